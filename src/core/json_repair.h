// Tolerant JSON extraction from model text: the first JSON object past code fences and prose,
// cleaned (trailing commas, raw control characters, invalid UTF-8) and repaired after truncation.
#pragma once
#include <cstddef>
#include <functional>
#include <string>

#include "jsonutil.h"

namespace concord {

// The first JSON object in `raw` that `accept` takes, found and repaired as the judge's
// analysis is (code fences, prose around it, trailing commas, truncation). A discarded value
// when there is none. Never throws.
json ExtractJsonObject(const std::string& raw, const std::function<bool(const json&)>& accept, bool* repaired = nullptr);

// The candidate scanner under ExtractJsonObject, shared with the judge's ExtractAnalysis.
namespace detail {

constexpr int kMaxCandidates = 64;     // '{' starts tried before giving up

struct Candidate {
  bool ok = false;
  bool balanced = false;      // brackets matched (whether or not it parsed)
  bool unterminated = false;  // ran to the end of the input
  bool truncation_repaired = false;
  bool dropped_tail = false;  // had to drop an incomplete element
  bool changed = false;
  size_t raw_end = 0;
  json value;
};

// Tries to turn the text starting at raw[start] == '{' into a JSON object. `budget` bounds
// the total bytes scanned + parsed across all candidates, keeping the whole extraction linear.
Candidate TryCandidate(const std::string& raw, size_t start, size_t& budget);

}  // namespace detail

}  // namespace concord
