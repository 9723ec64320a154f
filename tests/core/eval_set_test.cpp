// Eval sets: the built-in sets' size, kinds and computed answers; the small regex; the JSONL
// and CSV loader with line-numbered errors that load nothing.
#include <gtest/gtest.h>

#include <set>

#include "eval_grade.h"
#include "eval_set.h"
#include "mini_regex.h"

namespace concord {
namespace {

bool Search(const std::string& pattern, const std::string& text) {
  MiniRegex re;
  EXPECT_EQ(re.compile(pattern), "") << pattern;
  return re.search(text);
}

TEST(MiniRegex, MatchesTheUsualAnswerPatterns) {
  EXPECT_TRUE(Search("\\bcanberra\\b", "Answer: Canberra."));
  EXPECT_FALSE(Search("\\bcanberra\\b", "Canberrans"));
  EXPECT_TRUE(Search("bras(i|í)lia", "BRASILIA"));
  EXPECT_TRUE(Search("bras(i|í)lia", "Brasília"));
  EXPECT_TRUE(Search("^\\W*k\\W*$|\\bk\\b", "K"));
  EXPECT_TRUE(Search("colou?r", "color"));
  EXPECT_TRUE(Search("a{2,3}b", "caaab"));
  EXPECT_FALSE(Search("^a{2,3}b", "aaaab"));
  EXPECT_TRUE(Search("(?:one|two|three) cats?", "I saw two cats"));
  EXPECT_TRUE(Search("\\d+\\.\\d+", "pi is 3.14"));
  EXPECT_FALSE(Search("[^a-z]", "abc"));
  EXPECT_TRUE(Search("x$", "box"));
  EXPECT_TRUE(Search("", "anything"));
}

TEST(MiniRegex, BadPatternsSayWhyAndMatchNothing) {
  MiniRegex re;
  EXPECT_NE(re.compile("(abc").find("unclosed '('"), std::string::npos);
  EXPECT_FALSE(re.search("abc"));
  EXPECT_NE(re.compile("[abc").find("unclosed '['"), std::string::npos);
  EXPECT_NE(re.compile("*a").find("nothing to repeat"), std::string::npos);
  EXPECT_NE(re.compile("a{3,1}").find("n < m"), std::string::npos);
  EXPECT_NE(re.compile("abc)").find("unexpected ')'"), std::string::npos);
  EXPECT_NE(re.compile("a\\").find("backslash"), std::string::npos);
}

TEST(MiniRegex, CatastrophicPatternsStopInsteadOfHanging) {
  MiniRegex re;
  ASSERT_EQ(re.compile("(a*)*b"), "");
  EXPECT_FALSE(re.search(std::string(40, 'a')));  // bounded by the step budget
}

TEST(BuiltinEvalSets, AtLeast150ItemsOverFourKindsWithUniqueIds) {
  const EvalSet* mixed = FindBuiltinSet("builtin:mixed");
  ASSERT_NE(mixed, nullptr);
  EXPECT_GE(mixed->items.size(), 150u);
  std::set<std::string> ids, kinds;
  std::set<GradeKind> grades;
  for (auto& it : mixed->items) {
    EXPECT_TRUE(ids.insert(it.id).second) << it.id;
    kinds.insert(it.kind);
    grades.insert(it.grade);
    EXPECT_FALSE(it.question.empty());
    EXPECT_FALSE(it.how().empty());
  }
  EXPECT_GE(kinds.size(), 4u);
  EXPECT_EQ(grades, (std::set<GradeKind>{GradeKind::Exact, GradeKind::Pattern, GradeKind::Number, GradeKind::Choice}));
  // Interleaved: the first 20 items already hold every kind of set.
  std::set<std::string> first;
  for (size_t i = 0; i < 20; ++i) first.insert(mixed->items[i].id.substr(0, 4));
  EXPECT_GE(first.size(), 4u);
  // The same items every time (results are saved by id and resumed).
  EXPECT_EQ(&BuiltinEvalSets(), &BuiltinEvalSets());
}

TEST(BuiltinEvalSets, ComputedAnswersAreRight) {
  for (auto& it : FindBuiltinSet("builtin:units-dates")->items) {
    // 2000-01-01 was a Saturday; check the weekday items against a second method (Zeller).
    if (it.question.rfind("What day of the week", 0) != 0) continue;
    int y = 0, m = 0, d = 0;
    ASSERT_EQ(std::sscanf(it.question.c_str() + it.question.find("(or will be) ") + 13, "%d-%d-%d", &y, &m, &d), 3);
    if (m < 3) { m += 12; --y; }
    const int h = (d + 13 * (m + 1) / 5 + y + y / 4 - y / 100 + y / 400) % 7;  // 0 = Saturday
    const char* names[] = {"Saturday", "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"};
    EXPECT_EQ(it.answer, names[h]) << it.question;
  }
  for (auto& it : FindBuiltinSet("builtin:choice")->items) {
    ASSERT_EQ(it.answer.size(), 1u);
    EXPECT_LT(static_cast<size_t>(it.answer[0] - 'A'), it.choices.size());
    EXPECT_GE(it.choices.size(), 3u);
  }
  // Every built-in item's own answer is graded right (the demo scripts right answers from it).
  for (auto& it : FindBuiltinSet("builtin:mixed")->items) {
    std::string a = it.answer;
    if (it.grade == GradeKind::Number) { char b[40]; std::snprintf(b, sizeof b, "%.10g", it.number); a = b; }
    EXPECT_TRUE(GradeReply(it, "Some working.\nAnswer: " + a).correct) << it.id << ": " << a;
  }
  const std::string p = EvalPrompt(FindBuiltinSet("builtin:choice")->items[0]);
  EXPECT_NE(p.find("\nA) "), std::string::npos);
  EXPECT_NE(p.find("Answer: X"), std::string::npos);
}

TEST(EvalFile, JsonlWithEveryGradeKind) {
  const std::string text =
      R"({"id":"q1","question":"Capital of France?","answer":"Paris"})" "\n"
      R"({"question":"Two plus two?","number":4,"tolerance":0})" "\n"
      "\n"
      R"({"question":"Capital of Australia?","pattern":["\\bcanberra\\b"]})" "\n"
      R"({"question":"Pick the prime","choices":["4","6","7"],"answer":"C"})" "\n"
      R"({"question":"Explain TCP","rubric":[{"text":"mentions handshake","weight":2},{"text":"says UDP is reliable","weight":-1}]})" "\n";
  EvalSet s;
  std::vector<EvalFileError> errs;
  ASSERT_TRUE(ParseEvalFile(text, "file:a.jsonl", s, errs)) << (errs.empty() ? "" : errs[0].message);
  ASSERT_EQ(s.items.size(), 5u);
  EXPECT_EQ(s.items[0].id, "q1");
  EXPECT_EQ(s.items[1].id, "line-2");
  EXPECT_EQ(s.items[1].grade, GradeKind::Number);
  EXPECT_EQ(s.items[2].id, "line-4");  // the blank line still counts
  EXPECT_EQ(s.items[3].answer, "C");
  EXPECT_EQ(s.items[4].grade, GradeKind::Rubric);
  EXPECT_DOUBLE_EQ(s.items[4].rubric[1].weight, -1);
}

TEST(EvalFile, ABadLineSaysItsNumberAndNothingIsLoaded) {
  EvalSet before;
  before.id = "kept";
  std::vector<EvalFileError> errs;
  const std::string text = R"({"question":"ok","answer":"x"})" "\n" R"({"question":"no grader"})" "\n" "{broken\n"
                           R"({"question":"q","pattern":"(unclosed"})" "\n" R"({"question":"c","choices":["a","b"],"answer":"D"})" "\n";
  EXPECT_FALSE(ParseEvalFile(text, "file:b.jsonl", before, errs));
  EXPECT_EQ(before.id, "kept");
  ASSERT_EQ(errs.size(), 4u);
  EXPECT_EQ(errs[0].line, 2);
  EXPECT_NE(errs[0].message.find("no way to grade it"), std::string::npos);
  EXPECT_EQ(errs[1].line, 3);
  EXPECT_NE(errs[1].message.find("not valid JSON"), std::string::npos);
  EXPECT_EQ(errs[2].line, 4);
  EXPECT_NE(errs[2].message.find("unclosed"), std::string::npos);
  EXPECT_EQ(errs[3].line, 5);
  EXPECT_NE(errs[3].message.find("not one of the choices"), std::string::npos);
}

TEST(EvalFile, CsvWithQuotesChoicesAndDuplicateIds) {
  const std::string csv =
      "question,answer,choices,number,tolerance\n"
      "\"Say \"\"hi\"\", please\",hi,,,\n"
      "Pick one,B,red|green|blue,,\n"
      "\"Pi, to two\ndecimals?\",,,3.14,0.005\n";
  EvalSet s;
  std::vector<EvalFileError> errs;
  ASSERT_TRUE(ParseEvalFile(csv, "file:c.csv", s, errs)) << (errs.empty() ? "" : errs[0].message);
  ASSERT_EQ(s.items.size(), 3u);
  EXPECT_EQ(s.items[0].question, "Say \"hi\", please");
  EXPECT_EQ(s.items[1].choices.size(), 3u);
  EXPECT_EQ(s.items[2].question, "Pi, to two\ndecimals?");
  EXPECT_DOUBLE_EQ(s.items[2].tolerance, 0.005);
  EXPECT_FALSE(ParseEvalFile("question,answer\nq,a,extra\n", "file:d.csv", s, errs));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].line, 2);
  EXPECT_FALSE(ParseEvalFile("prompt,answer\nq,a\n", "file:e.csv", s, errs));
  EXPECT_NE(errs[0].message.find("no \"question\" column"), std::string::npos);
  EXPECT_FALSE(ParseEvalFile(R"({"id":"a","question":"x","answer":"1"})" "\n" R"({"id":"a","question":"y","answer":"2"})", "file:f", s, errs));
  EXPECT_NE(errs[0].message.find("used twice"), std::string::npos);
  EXPECT_FALSE(ParseEvalFile("   \n", "file:g", s, errs));
  EXPECT_NE(errs[0].message.find("empty"), std::string::npos);
}

}  // namespace
}  // namespace concord
