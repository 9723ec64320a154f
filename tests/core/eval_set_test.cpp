// Eval sets: the built-in sets' size, kinds and computed answers; the small regex; the JSONL
// and CSV loader with line-numbered errors that load nothing.
#include <gtest/gtest.h>

#include <set>

#include "eval_grade.h"
#include "eval_set.h"
#include "jsonutil.h"
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
  EXPECT_NE(errs[0].message.find("used twice (first on line 1)"), std::string::npos) << errs[0].message;
  EXPECT_EQ(errs[0].line, 2);
  EXPECT_FALSE(ParseEvalFile("   \n", "file:g", s, errs));
  EXPECT_NE(errs[0].message.find("empty"), std::string::npos);
}

// A file as the user's tool wrote it: loads, and says how it was read.
EvalSet Loads(const std::string& text, const char* name = "file:t") {
  EvalSet s;
  std::vector<EvalFileError> errs;
  EXPECT_TRUE(ParseEvalFile(text, name, s, errs)) << (errs.empty() ? "" : "line " + std::to_string(errs[0].line) + ": " + errs[0].message);
  return s;
}

TEST(EvalFile, NullAndEmptyFieldsAreNotGivenAsPandasWritesThem) {
  const EvalSet s = Loads(
      R"({"question":"Capital of France?","answer":"Paris","choices":null,"number":null,"rubric":null,"pattern":null,"tolerance":null,"id":null})" "\n"
      R"({"question":"Two plus two?","answer":4.0,"choices":[],"rubric":"","number":""})" "\n");
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_EQ(s.items[0].grade, GradeKind::Exact);
  EXPECT_EQ(s.items[0].answer, "Paris");
  EXPECT_EQ(s.items[0].id, "line-1");
  EXPECT_EQ(s.items[1].grade, GradeKind::Number) << "an answer written as a JSON number is graded as a number";
  EXPECT_TRUE(GradeReply(s.items[1], "Answer: 4").correct);
  EXPECT_TRUE(s.note.empty()) << s.note;
}

TEST(EvalFile, ChoiceAnswersKeepTheirLetterThroughASaveAndResume) {
  // "D" is choice 3's text: it means C. Saved and read back, it must still mean C, not D's text.
  const EvalSet s = Loads(R"({"question":"Which vitamin does skin make in sunlight?","choices":["A","C","D","K"],"answer":"D"})" "\n"
                          R"({"question":"Which?","choices":["B","A"],"answer":"A"})" "\n");
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_EQ(s.items[0].answer, "C");
  EXPECT_EQ(s.items[1].answer, "B");
  for (int round = 0; round < 2; ++round) {
    const EvalSet back = Loads(EvalItemsToJsonl(s.items));
    ASSERT_EQ(back.items.size(), 2u);
    EXPECT_EQ(back.items[0].answer, "C");
    EXPECT_EQ(back.items[1].answer, "B");
  }
}

TEST(EvalFile, AJsonArrayOfItems) {
  const EvalSet s = Loads(R"([{"question":"One?","answer":"1"},
                              {"question":"Two?","answer":"2"}])");
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_EQ(s.items[1].id, "item-2");
  EvalSet keep;
  std::vector<EvalFileError> errs;
  EXPECT_FALSE(ParseEvalFile(R"([{"question":"One?","answer":"1"},{"answer":"2"}])", "file:a", keep, errs));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0].message.find("item 2: no \"question\""), std::string::npos) << errs[0].message;
}

TEST(EvalFile, SpreadsheetCsvSeparatorsBomsAndBlankRows) {
  // Excel in a European locale: semicolons, a "sep=" line, blank rows as ";;".
  EvalSet s = Loads("sep=;\r\nquestion;answer\r\n\"Capital of France?\";Paris\r\n;\r\nHalf of 9, as a decimal?;4,5\r\n");
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_EQ(s.items[1].answer, "4,5");
  EXPECT_NE(s.note.find("semicolon"), std::string::npos);
  s = Loads("question;answer\nq;a\n");
  EXPECT_EQ(s.items.at(0).answer, "a");
  s = Loads("question\tanswer\nq, with a comma\ta\n");
  EXPECT_EQ(s.items.at(0).question, "q, with a comma");
  EXPECT_NE(s.note.find("tab"), std::string::npos);
  // PowerShell's Export-Csv: a BOM, then every field quoted.
  s = Loads("\xEF\xBB\xBF\"question\",\"answer\"\r\n\"q\",\"a\"\r\n,\r\n , \r\n");
  ASSERT_EQ(s.items.size(), 1u);
  EXPECT_EQ(s.items[0].answer, "a");
  EXPECT_TRUE(s.note.empty()) << s.note;
}

TEST(EvalFile, Utf16AndWindows1252AreReadAsTheirText) {
  // "question,answer\nBrasil?,Brasília\n" as UTF-16 LE with its BOM (Notepad's "Unicode").
  const std::string utf8 = "question,answer\nCapital of Brazil?,Bras\xC3\xADlia \xF0\x9F\x87\xA7\n";
  std::string u16 = "\xFF\xFE";
  for (size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    uint32_t cp = c;
    int more = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (more) cp = c & (0x3F >> more);
    for (int k = 1; k <= more; ++k) cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    i += more + 1;
    auto put = [&](uint32_t u) { u16 += static_cast<char>(u & 0xFF); u16 += static_cast<char>(u >> 8); };
    if (cp >= 0x10000) { put(0xD800 + ((cp - 0x10000) >> 10)); put(0xDC00 + ((cp - 0x10000) & 0x3FF)); }
    else put(cp);
  }
  EvalSet s = Loads(u16);
  ASSERT_EQ(s.items.size(), 1u);
  EXPECT_EQ(s.items[0].answer, "Bras\xC3\xADlia \xF0\x9F\x87\xA7");
  EXPECT_NE(s.note.find("UTF-16"), std::string::npos);
  // Excel's default "CSV (Comma delimited)": Windows-1252, í is one byte (0xED), € is 0x80.
  s = Loads("question,answer\nCapital of Brazil?,Bras\xEDlia\nCost?,\x80" "5\n");
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_EQ(s.items[0].answer, "Bras\xC3\xADlia");
  EXPECT_EQ(s.items[1].answer, "\xE2\x82\xAC" "5");
  EXPECT_NE(s.note.find("Windows-1252"), std::string::npos);
  EXPECT_TRUE(GradeReply(s.items[0], "Answer: Bras\xC3\xADlia").correct);
}

TEST(EvalFile, LetterColumnsAreTheChoicesAndUnusedColumnsAreNamed) {
  const EvalSet s = Loads("question,A,B,C,D,answer,subject\nWhich is prime?,4,6,7,9,C,math\nWhich is even?,3,8,,,B,math\n");
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_EQ(s.items[0].grade, GradeKind::Choice);
  EXPECT_EQ(s.items[0].choices, (std::vector<std::string>{"4", "6", "7", "9"}));
  EXPECT_EQ(s.items[0].answer, "C");
  EXPECT_EQ(s.items[1].choices.size(), 2u);
  EXPECT_NE(EvalPrompt(s.items[0]).find("C) 7"), std::string::npos);
  EXPECT_NE(s.note.find("choices from columns A–D"), std::string::npos) << s.note;
  EXPECT_NE(s.note.find("columns not used: \"subject\""), std::string::npos) << s.note;
}

TEST(EvalFile, DeeplyNestedJsonIsRefusedNotACrash) {
  const std::string deep = std::string(200000, '[') + std::string(200000, ']');
  EvalSet s;
  std::vector<EvalFileError> errs;
  EXPECT_FALSE(ParseEvalFile("question,rubric\nq," + deep + "\n", "file:deep.csv", s, errs));
  EXPECT_FALSE(ParseEvalFile(R"({"question":"q","rubric":)" + deep + "}\n", "file:deep.jsonl", s, errs));
  EXPECT_FALSE(ParseEvalFile(deep, "file:deep.json", s, errs));
  EXPECT_TRUE(ParseJson(std::string(300, '[') + std::string(300, ']')).is_discarded());
  EXPECT_FALSE(ParseJson(std::string(200, '[') + std::string(200, ']')).is_discarded());
  EXPECT_FALSE(ParseJson(R"({"a":"[[[[[[ in a string is not nesting"})").is_discarded());
}

}  // namespace
}  // namespace concord
