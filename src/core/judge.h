// The judge: prompt construction over anonymised answers, the analysis JSON schema,
// and tolerant extraction of the analysis from whatever the judge model wrote.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "json_repair.h"
#include "jsonutil.h"
#include "provider.h"
#include "types.h"

namespace concord {

// One anonymised panel answer as the judge sees it.
struct JudgeInput {
  std::string label;   // "A", "B", ...
  std::string answer;  // the member's text
  std::string incomplete;  // IncompleteReason of the call that wrote it ("" when it ended normally)
};
// The line that tells a reader of the answers (judge, writer, MoA, ranking) that one of them is
// incomplete, set apart from the model's words; "" for a whole answer.
std::string IncompleteNote(const JudgeInput& a);

struct Source { int n = 0; std::string url, title, snippet; };  // numbered web sources [n]

// JSON schema text (superset of OpenRouter Fusion's analysis) for response_format.
const std::string& AnalysisSchema();
// System + user messages for the judge. `prior` is the conversation so far (follow-ups).
// two_phase=true asks for the analysis only (final_answer left empty) so the final answer
// can be streamed by a second call built with BuildFinalAnswerMessages.
std::vector<ChatMessage> BuildJudgeMessages(const std::string& prompt, const std::vector<JudgeInput>& answers,
                                            const std::vector<Source>& sources, bool two_phase);
std::vector<ChatMessage> BuildFinalAnswerMessages(const std::string& prompt, const std::vector<JudgeInput>& answers,
                                                  const std::vector<Source>& sources, const Analysis& analysis);

// Result of extraction. `error_id` is stable: "judge.parse.empty", "judge.parse.no_json",
// "judge.parse.truncated" (repaired => ok with repaired=true), "judge.parse.bad_shape".
struct JudgeParse {
  bool ok = false;
  bool repaired = false;   // fences / prose / trailing commas / truncation were repaired
  std::string error_id;
  std::string message;     // human text
  Analysis analysis;
  bool truncated = false;  // the JSON was cut off and closed by the repair: its tail is suspect
  // The analysis sections present ("consensus", …, "final_answer"), in the order the judge
  // wrote them: after a truncation, the last one is where the text was cut.
  std::vector<std::string> sections;
  // After a truncation: the cut fell inside an item of the last section (its closing bracket,
  // or the end of its string, was written by the repair), so that item is not whole. False
  // when the cut fell between items or sections.
  bool cut_in_item = false;
};
// Never throws. Accepts code fences, prose around the JSON, trailing commas, single missing
// closing brackets/quotes from truncation, model labels as "A", "Response A", "Model A".
JudgeParse ExtractAnalysis(const std::string& raw);
// ExtractJsonObject (the first acceptable JSON object in a text, repaired) is in json_repair.h.
// Normalises a label reference ("Response B", "model b", "B") to "B"; "" if none.
std::string NormaliseLabel(const std::string& s);

}  // namespace concord
