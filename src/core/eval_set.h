// Eval question sets: items with a verifiable answer and the way each is graded. The built-in
// sets are generated here from a fixed seed (computed answers), plus written factual and
// multiple-choice items; users load their own JSONL or CSV, validated line by line.
#pragma once
#include <string>
#include <vector>

namespace concord {

enum class GradeKind { Exact, Pattern, Number, Choice, Rubric };
const char* ToString(GradeKind g);

struct RubricCriterion {
  std::string text;
  double weight = 1;  // negative: a penalty when the answer does it
};

struct EvalItem {
  std::string id;                      // unique within its set
  std::string kind;                    // what sort of question ("arithmetic", "date", "fact", …)
  std::string question;                // as the user wrote it (choices are added when asking)
  GradeKind grade = GradeKind::Exact;
  std::string answer;                  // Exact: the answer; Choice: the correct letter ("B")
  std::vector<std::string> patterns;   // Pattern: alternatives, each a MiniRegex
  double number = 0, tolerance = 0;    // Number: right when |x - number| <= tolerance
  std::vector<std::string> choices;    // Choice: the options, lettered A, B, C…
  std::vector<RubricCriterion> rubric; // Rubric: graded by a grader model
  std::string how() const;             // "exact: canberra", "number 42 ± 0.01", …
};

struct EvalSet {
  std::string id;      // "builtin:arithmetic", "file:my.jsonl", "url:https://…"
  std::string name;
  std::vector<EvalItem> items;
  std::string note;    // how a file was read when not as plain UTF-8 JSONL/CSV ("semicolon-separated; …")
};

// The built-in sets (ids builtin:arithmetic, builtin:units-dates, builtin:facts, builtin:choice)
// and builtin:mixed, every item of the four interleaved. Deterministic.
const std::vector<EvalSet>& BuiltinEvalSets();
const EvalSet* FindBuiltinSet(const std::string& id);

struct EvalFileError {
  int line = 0;        // 1-based; 0 = the file as a whole
  std::string message;
};
// JSONL (one object a line), a JSON array of objects, or CSV with a header row (question plus
// answer | pattern | number [tolerance] | choices (separated by '|') + answer | rubric (JSON
// array of {text, weight}), or columns A, B, C… as the choices). CSV may be comma, semicolon
// or tab separated (or name it: "sep=;"); the text UTF-8, UTF-16 with its BOM, or Windows-1252.
// null, "" and [] fields are not given; an answer written as a JSON number is graded as one.
// On any error nothing is loaded: `out` is untouched and every error (at most 20) says its line.
// Implemented in eval_file.cpp.
bool ParseEvalFile(const std::string& text, const std::string& set_id, EvalSet& out, std::vector<EvalFileError>& errors);

// The items as JSONL that ParseEvalFile reads back to the same items (saved progress of a
// loaded file, so a reload can resume it without the file).
std::string EvalItemsToJsonl(const std::vector<EvalItem>& items);

// What is sent for an item: the question, the lettered choices, and how to end the answer.
std::string EvalPrompt(const EvalItem& item);

}  // namespace concord
