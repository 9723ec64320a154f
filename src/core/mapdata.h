// Cached inputs of the maps panel (stance grid, agreement heat map, graph), recomputed from a
// FusionRun only when a cheap change key moves. Pure core: no ImGui; the UI only paints it.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "maps.h"
#include "run.h"

namespace concord {

// The most redundant pair of members (empty text when none reaches the threshold): their
// agreement on the judged claims (or local text similarity without an analysis), and which
// of the two adds the least for its cost (the dearer; on equal cost the later one).
struct RedundancyHint {
  int a = -1, b = -1, drop = -1;     // member indices
  double value = 0;                  // agreement or similarity of the pair, in [0,1]
  std::string text;                  // what the agreement map says
};
inline constexpr double kRedundantAgreement = 0.9;   // judged claims: share on the same side
inline constexpr double kRedundantSimilarity = 0.8;  // TF-IDF cosine of the answers
RedundancyHint FindRedundancy(const std::vector<double>& m, const std::vector<std::string>& labels,
                              const std::vector<double>& costs, bool judged);

struct MapData {
  std::vector<std::string> labels;   // member labels in panel order ("A", "B", ...)
  std::vector<std::string> models;   // member model ids, same order
  StanceMatrix matrix;               // from the judge's analysis (rows empty without one)
  std::vector<double> agreement;     // n x n from the stances (empty without an analysis)
  std::vector<double> similarity;    // n x n TF-IDF cosine over the answers (live while streaming)
  GraphLayout graph;                 // positions in [0,1]^2
  RedundancyHint redundancy;         // from agreement (analysis) or similarity
  bool has_analysis = false;         // the judge produced a readable analysis
  bool judge_failed = false;         // no analysis and no judge call is still pending
  size_t revision = 0;               // bumped on every recompute (0: never computed)
  std::vector<int64_t> key;          // change key of the last recompute (internal)
};

// Recomputes `d` when the run's map inputs changed (member count, statuses, content sizes,
// usage, has_analysis, judge_raw size, judge statuses, weighting). Returns true if it did.
bool UpdateMapData(MapData& d, const FusionRun& run, bool weight_by_cost);

// True when the judge stage is over without an analysis (every judge failed, or the run ended).
bool JudgeFailed(const FusionRun& run);

}  // namespace concord
