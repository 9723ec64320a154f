// libFuzzer target: ExtractAnalysis (and the label normaliser it uses) on arbitrary bytes.
// It must never crash, throw, hang or recurse deeply, whatever the judge model writes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "judge.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string raw(reinterpret_cast<const char*>(data), size);
  concord::JudgeParse p = concord::ExtractAnalysis(raw);
  // Invariants the UI relies on: ok <=> no error id; every failure has a stable id.
  if (p.ok != p.error_id.empty()) __builtin_trap();
  if (!p.ok && p.error_id.rfind("judge.parse.", 0) != 0) __builtin_trap();
  // Extraction is deterministic.
  concord::JudgeParse q = concord::ExtractAnalysis(raw);
  if (q.ok != p.ok || q.analysis.final_answer != p.analysis.final_answer) __builtin_trap();
  (void)concord::NormaliseLabel(raw.substr(0, 64));
  return 0;
}
