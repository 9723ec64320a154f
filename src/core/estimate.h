// The cost of a run before it starts, from catalogue prices: every call the run's
// configuration makes (members, grounding, MoA layers, peer ranking, the judge, the
// writer, comparison models), with the token assumptions named below. Pure.
#pragma once
#include <string>
#include <vector>

#include "provider.h"
#include "run.h"

namespace concord {

// Assumptions (tokens). An estimate, not a quote: the real cost is shown per call as it lands.
struct EstimateAssumptions {
  double chars_per_token = 4;
  double member_system = 120;     // the member system prompt
  double answer = 700;            // a member's answer (less when its max tokens is lower)
  double judge_overhead = 600;    // judge instructions and schema
  double analysis = 1200;         // the judge's analysis JSON
  double final_answer = 800;      // the writer's answer
  double reasoning_low = 1000, reasoning_medium = 4000, reasoning_high = 8000;  // extra billed tokens
};

struct RunEstimate {
  double cost = 0;                     // USD, over the calls whose model has a price
  int calls = 0;                       // model calls, without retries
  std::vector<std::string> unpriced;   // models not in the catalogue, or priced by routing
  bool complete() const { return unpriced.empty(); }
};

RunEstimate EstimateRun(const RunConfig& cfg, const std::vector<ModelInfo>& catalogue, const std::vector<Endpoint>& endpoints,
                        const EstimateAssumptions& a = {});

}  // namespace concord
