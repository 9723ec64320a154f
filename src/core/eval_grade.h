// Grading an eval answer: the answer line a reply ends with, normalised comparison for
// exact answers, numbers with a tolerance, a choice's letter, answer patterns, and rubric
// verdicts from a grader model (strict JSON asked, read as tolerantly as the judge's).
// Also the comparable form of an answer for a majority vote. Pure.
#pragma once
#include <string>
#include <vector>

#include "eval_set.h"
#include "provider.h"

namespace concord {

struct Grade {
  bool graded = false;     // false: not gradable yet (a rubric item waits for its grader)
  bool correct = false;
  double score = 0;        // 0..1 (rubric: weighted share of the criteria; others 0 or 1)
  std::string extracted;   // what was compared ("" when nothing could be read)
  std::string detail;      // why, in words ("expected 42, read 41", "3 of 4 criteria")
};

// The text after the last "Answer:" / "Final answer:" label, else the last non-empty line.
std::string AnswerLine(const std::string& reply);
// Lower case, no surrounding punctuation or quotes, inner runs of spaces as one, no leading
// "the"/"a"/"an", no trailing period.
std::string NormaliseAnswer(const std::string& s);
// The last number in `s` ("1,234.5", "-3", "$45.50", "12 600"); false when there is none.
bool LastNumber(const std::string& s, double& out);

// Grades every kind but Rubric (which returns graded=false: see the grader below).
Grade GradeReply(const EvalItem& item, const std::string& reply);

// The grader model's messages for a rubric item, and the reading of its verdict:
// {"criteria":[{"index":1,"met":true,"why":"…"}, …]}. Score = Σ met positive weights − Σ met
// negative weights, over Σ positive weights, clamped to 0..1; correct when ≥ 0.5.
std::vector<ChatMessage> RubricGraderMessages(const EvalItem& item, const std::string& reply);
Grade ParseRubricVerdict(const EvalItem& item, const std::string& grader_reply);

// A comparable form of the reply for a majority vote ("" when the item's answers cannot be
// compared: rubric, or nothing readable): the number, the choice letter, the normalised text.
std::string VoteKey(const EvalItem& item, const std::string& reply);

}  // namespace concord
