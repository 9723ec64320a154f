// libFuzzer target: the eval-file loader (a JSONL or CSV file the user picked, or one fetched
// by URL) and the graders on arbitrary replies. Never a crash or a throw; a rejected file
// leaves the target untouched and says a line; an accepted one grades any reply.
#include <cstddef>
#include <cstdint>
#include <string>

#include "eval_grade.h"
#include "eval_set.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  concord::EvalSet s;
  s.id = "untouched";
  std::vector<concord::EvalFileError> errors;
  if (!concord::ParseEvalFile(text, "file:fuzz", s, errors)) {
    if (errors.empty() || s.id != "untouched") __builtin_trap();
    return 0;
  }
  if (s.items.empty() || !errors.empty()) __builtin_trap();
  for (size_t i = 0; i < s.items.size() && i < 20; ++i) {
    const auto& it = s.items[i];
    (void)concord::EvalPrompt(it);
    (void)concord::GradeReply(it, text);
    (void)concord::VoteKey(it, text);
    if (it.grade == concord::GradeKind::Rubric) (void)concord::ParseRubricVerdict(it, text);
  }
  return 0;
}
