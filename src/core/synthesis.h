// What the app may believe of a judge's analysis and of a writer's final answer. Pure
// checks that keep the synthesis truthful: labels the judge was never shown are dropped,
// a cut-off analysis is named with what it lost, and a writer's reply that is not a usable
// answer (empty, a token, JSON) is recognised so the engine can try the next writer.
// Every repair returns a note for the user: nothing is dropped silently.
#pragma once
#include <string>
#include <vector>

#include "judge.h"
#include "types.h"

namespace concord {

// Removes every reference to a label not in `judged` (and repeated references) from every
// section. Items left with no model are dropped. Returns "" or a note such as
// "The judge cited Response D, which it was not shown: removed from 2 places."
std::string DropUnjudgedLabels(Analysis& a, const std::vector<std::string>& judged);

// For a truncated parse (jp.truncated): the item the cut fell in is incomplete, so it is
// removed (a cut final answer is cleared). Returns the note naming what was recovered and
// what was lost, or "" when jp was not truncated.
std::string ReviewTruncation(JudgeParse& jp);

// Both checks above, in the order the engine applies them to a judge's parse before it is
// shown; a run read back from history or a file goes through the same step, so it shows the
// analysis the live run showed. An empty `judged` (an export older than judged_labels) skips
// the label check. Returns the two notes joined, or "".
std::string ReviewAnalysis(JudgeParse& jp, const std::vector<std::string>& judged);

// A writer's reply as the final answer. ok: `text` is what to show (and `note`, when it had
// to be taken out of JSON). Not ok: error_id is "writer.empty", "writer.too_short" or
// "writer.json_no_answer", with a message for the user.
struct WriterCheck {
  bool ok = false;
  std::string text;
  std::string note;
  std::string error_id;
  std::string message;
};
// `whole_reply`: the content is a writer's entire reply (a couple of words is then a failed
// call); false for the final_answer field inside a judge's analysis, where only emptiness
// and JSON-in-JSON are failures.
WriterCheck CheckWriterOutput(const std::string& content, bool whole_reply = true);

}  // namespace concord
