// Truthful synthesis: what the engine believes of a judge's analysis and a writer's reply.
// Pure checks first, then whole runs through ScriptedTransport: a writer that returns JSON,
// nothing or one token; a cut-off analysis with and without a fallback judge; a judge that
// cites a response it was never shown; analyst and writer as different models.
#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "synthesis.h"

namespace concord {
namespace {
using namespace test;

// ---- pure checks ---------------------------------------------------------------------------
TEST(Synthesis, UnjudgedLabelsAreRemovedFromEverySectionWithANote) {
  Analysis a;
  a.consensus = {{"c1", {"A", "B", "D"}, 0.9}, {"only D", {"D"}, 0.5}, {"dup", {"A", "A", "B"}, 0.5}};
  a.contradictions = {{"t", {{"A", "yes"}, {"D", "no"}, {"A", "again"}}, ""}, {"gone", {{"E", "x"}}, ""}};
  a.partial_coverage = {{"p", {"D", "B"}}};
  a.unique_insights = {{"D", "hallucinated", ""}, {"C", "real", ""}};
  const std::string note = DropUnjudgedLabels(a, {"A", "B", "C"});
  EXPECT_EQ(note, "The judge cited Responses D and E, which it was not shown: removed from 6 places.");
  ASSERT_EQ(a.consensus.size(), 2u);
  EXPECT_EQ(a.consensus[0].models, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(a.consensus[1].models, (std::vector<std::string>{"A", "B"})) << "repeats count once: coverage never exceeds the judged";
  ASSERT_EQ(a.contradictions.size(), 1u);
  ASSERT_EQ(a.contradictions[0].stances.size(), 1u);
  EXPECT_EQ(a.partial_coverage[0].models, (std::vector<std::string>{"B"}));
  ASSERT_EQ(a.unique_insights.size(), 1u);
  EXPECT_EQ(a.unique_insights[0].model, "C");
  Analysis clean;
  clean.consensus = {{"c", {"A"}, 1}};
  EXPECT_EQ(DropUnjudgedLabels(clean, {"A"}), "");
  // "all" names every response the judge was shown: credited to each, not dropped as a letter.
  Analysis all;
  all.consensus = {{"Paris is the capital", {"All"}, 1}, {"every one", {"all responses"}, 1}};
  EXPECT_EQ(DropUnjudgedLabels(all, {"A", "C"}), "");
  ASSERT_EQ(all.consensus.size(), 2u);
  EXPECT_EQ(all.consensus[0].models, (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(all.consensus[1].models, (std::vector<std::string>{"A", "C"}));
}

// A cut that falls between items (after a whole contradiction, or right after
// "final_answer":) loses no item: only what the cut fell inside is left out.
TEST(Synthesis, ACutBetweenItemsKeepsTheLastWholeItem) {
  const std::string whole = R"({"consensus":[{"claim":"x","models":["A","B"]}],"contradictions":[{"topic":"t","stances":[{"model":"A","stance":"s"}]}])";
  for (const std::string tail : {"", ",", ",\"final_answer\":", ",\"blind_spots\":[\"one\","}) {
    JudgeParse jp = ExtractAnalysis(whole + tail);
    ASSERT_TRUE(jp.ok && jp.truncated) << tail;
    const std::string note = ReviewTruncation(jp);
    EXPECT_EQ(jp.analysis.contradictions.size(), 1u) << "cut after \"" << tail << "\": " << note;
    EXPECT_EQ(note.find("left out"), std::string::npos) << note;
  }
  JudgeParse in_string = ExtractAnalysis(whole + R"(,"blind_spots":["one","tw)");
  ReviewTruncation(in_string);
  EXPECT_EQ(in_string.analysis.blind_spots, (std::vector<std::string>{"one"})) << "a blind spot cut mid-word is left out";
  JudgeParse wrapped = ExtractAnalysis(R"({"analysis":)" + whole + ",");
  ReviewTruncation(wrapped);
  EXPECT_EQ(wrapped.analysis.contradictions.size(), 1u) << "inside a wrapper object too";
}

TEST(Synthesis, ACutOffAnalysisNamesWhatItRecoveredAndWhatItLost) {
  // Cut inside the second partial-coverage point, as a judge hitting its token limit does.
  JudgeParse jp = ExtractAnalysis(R"({"consensus":[{"claim":"Water is wet","models":["A","B"]}],
    "contradictions":[{"topic":"Temperature","stances":[{"model":"A","stance":"hot"},{"model":"B","stance":"cold"}]}],
    "partial_coverage":[{"point":"Oceans","models":["A","B"]},{"point":"Repa)");
  ASSERT_TRUE(jp.ok);
  ASSERT_TRUE(jp.truncated);
  ASSERT_EQ(jp.analysis.partial_coverage.size(), 2u);
  const std::string note = ReviewTruncation(jp);
  ASSERT_EQ(jp.analysis.partial_coverage.size(), 1u) << "the point cut mid-word is not shown as a claim";
  EXPECT_EQ(jp.analysis.partial_coverage[0].point, "Oceans");
  EXPECT_EQ(note, "The judge's analysis was cut off. Recovered: consensus (1), contradictions (1), partial coverage (1). "
                  "Lost: unique insights, minority positions, blind spots, the final answer. Its last partial-coverage point was cut off mid-way and is left out.");
  // A final answer cut mid-way is not used as one.
  JudgeParse fa = ExtractAnalysis(R"({"consensus":[],"final_answer":"The answer is )");
  ASSERT_TRUE(fa.truncated);
  EXPECT_NE(ReviewTruncation(fa).find("The final answer was cut off"), std::string::npos);
  EXPECT_EQ(fa.analysis.final_answer, "");
  JudgeParse whole = ExtractAnalysis(R"({"consensus":[]})");
  EXPECT_EQ(ReviewTruncation(whole), "");
}

TEST(Synthesis, AWritersReplyMustBeAnAnswer) {
  EXPECT_EQ(CheckWriterOutput("  \n").error_id, "writer.empty");
  EXPECT_EQ(CheckWriterOutput("Paris").error_id, "writer.too_short");
  EXPECT_TRUE(CheckWriterOutput("Paris", false).ok) << "inside a judge's JSON a short answer may be right";
  WriterCheck again = CheckWriterOutput(AnalysisText(""));
  EXPECT_EQ(again.error_id, "writer.json_no_answer");
  WriterCheck inner = CheckWriterOutput("```json\n" + AnalysisText("**Paris** is the capital.") + "\n```");
  ASSERT_TRUE(inner.ok);
  EXPECT_EQ(inner.text, "**Paris** is the capital.");
  EXPECT_NE(inner.note.find("JSON"), std::string::npos);
  WriterCheck md = CheckWriterOutput("```python\nprint('hi')\n```\nThat prints hi.");
  EXPECT_TRUE(md.ok) << "a code block is markdown, not JSON";
  EXPECT_EQ(md.note, "");
  EXPECT_TRUE(CheckWriterOutput("## Paris\n\nParis is the capital of France.").ok);
}

// JSON that is not an analysis is never shown as the answer: its answer field is, with a note,
// and an object with no answer in it is a failed writer.
TEST(Synthesis, AWritersJsonObjectGivesItsAnswerFieldOrFails) {
  WriterCheck field = CheckWriterOutput(R"({"answer": "The ball costs 5 cents.", "confidence": 0.9})");
  ASSERT_TRUE(field.ok);
  EXPECT_EQ(field.text, "The ball costs 5 cents.");
  EXPECT_NE(field.note.find("\"answer\" field"), std::string::npos) << field.note;
  WriterCheck fenced = CheckWriterOutput("```json\n{\"Response\": \"**Paris** is the capital of France.\"}\n```");
  ASSERT_TRUE(fenced.ok);
  EXPECT_EQ(fenced.text, "**Paris** is the capital of France.");
  WriterCheck none = CheckWriterOutput(R"({"confidence": 0.9, "sources": ["a", "b"]})");
  EXPECT_FALSE(none.ok);
  EXPECT_EQ(none.error_id, "writer.json_no_answer");
  WriterCheck in_judge = CheckWriterOutput(R"({"answer": "5 cents"})", false);
  ASSERT_TRUE(in_judge.ok) << "a judge's final_answer field holding JSON";
  EXPECT_EQ(in_judge.text, "5 cents");
  EXPECT_NE(in_judge.note.find("judge"), std::string::npos);
  // Prose that merely starts with a brace, or a fenced code answer, is still an answer.
  EXPECT_TRUE(CheckWriterOutput("{x | x > 0} is the set of positive numbers, as asked.").ok);
  EXPECT_TRUE(CheckWriterOutput("```json\n{\"a\": 1}\n```\nThat object sets a to one.").ok);
}

TEST(Synthesis, SourcesAreMergedAcrossMembersWithWhoCitedThem) {
  FusionRun r;
  r.members.resize(3);
  r.members[0].label = "A";
  r.members[1].label = "B";
  r.members[2].label = "C";
  r.members[0].result.citations = {{"https://en.wikipedia.org/wiki/K2-18b", "K2-18b", "", -1, -1},
                                   {"https://example.org/a#part", "A page", "", -1, -1}};
  r.members[1].result.citations = {{"https://en.wikipedia.org/wiki/K2-18b/", "K2-18b (again)", "", -1, -1},
                                   {"https://example.org/a", "", "", -1, -1}, {"", "no url", "", -1, -1}};
  r.members[2].result.citations = {{"https://en.wikipedia.org/wiki/K2-18b", "K2-18b", "", -1, -1}};
  const auto m = MergeSources(r);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0].url, "https://en.wikipedia.org/wiki/K2-18b");
  EXPECT_EQ(m[0].labels, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(m[1].labels, (std::vector<std::string>{"A", "B"}));
  const std::string md = ExportRunMarkdown(r);
  EXPECT_NE(md.find("[K2-18b](https://en.wikipedia.org/wiki/K2-18b) (A, B, C)"), std::string::npos) << md;
  EXPECT_NE(ExportRunJson(r).find("\"merged_sources\""), std::string::npos);
}

// ---- whole runs ------------------------------------------------------------------------------
class SynthesisRun : public EngineTest {
 protected:
  RunConfig TwoPhase(std::vector<std::string> judges = {"j/judge"}) {
    RunConfig c = Config({"m/alpha", "m/beta"}, judges);
    c.two_phase_judge = true;
    return c;
  }
  void Panel() {
    Script("m/alpha", Answer("Short."));
    Script("m/beta", Answer("A much longer answer from beta about Paris."));
  }
  void Writer(const std::string& reply) { Next("writer", Answer(reply, 0.004)); }
};

TEST_F(SynthesisRun, AWriterReturningTheAnalysisJsonIsReadForItsFinalAnswer) {
  Panel();
  Writer(AnalysisText("Paris, on the Seine.", {"A", "B"}));
  Next("judge", Answer(AnalysisText("", {"A", "B"}), 0.01));
  ASSERT_EQ(engine.start(TwoPhase()), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().final_answer, "Paris, on the Seine.");
  EXPECT_NE(R().final_note.find("JSON"), std::string::npos);
}

TEST_F(SynthesisRun, AnEmptyOrOneTokenWriterGivesWayToTheNextWriter) {
  Panel();
  Writer("Paris");
  Writer("## Paris\n\nParis is the capital of France.");
  Next("judge", Answer(AnalysisText("", {"A", "B"}), 0.01));
  ASSERT_EQ(engine.start(TwoPhase({"j/judge", "j/second"})), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  EXPECT_EQ(r.final_answer, "## Paris\n\nParis is the capital of France.");
  ASSERT_EQ(r.writer_attempts.size(), 1u);
  EXPECT_EQ(r.writer_attempts[0].result.error.id, "writer.too_short");
  EXPECT_EQ(r.final_call.model.model, "j/second");
  EXPECT_NEAR(r.total_cost(), 0.001 + 0.001 + 0.01 + 0.004 + 0.004, 1e-12) << "the failed writer's cost is counted";
}

TEST_F(SynthesisRun, WithNoUsableWriterTheBestMemberIsShownAndMarked) {
  Panel();
  Writer("");
  Next("judge", Answer(AnalysisText("", {"A", "B"}), 0.01));
  ASSERT_EQ(engine.start(TwoPhase()), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(R().final_answer, "A much longer answer from beta about Paris.");
  EXPECT_NE(R().final_note.find("No writer gave a usable final answer"), std::string::npos) << R().final_note;
  EXPECT_NE(R().final_note.find("Response B"), std::string::npos);
  EXPECT_TRUE(R().has_analysis);
}

TEST_F(SynthesisRun, ACutOffAnalysisTriesTheFallbackJudge) {
  Panel();
  const std::string whole = AnalysisText("", {"A", "B"});
  Next("judge", Answer(whole.substr(0, whole.size() - 40)));
  Next("judge", Answer(whole));
  Writer("## Paris\n\nParis is the capital of France.");
  ASSERT_EQ(engine.start(TwoPhase({"j/judge", "j/second"})), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  ASSERT_EQ(r.judge_calls.size(), 2u);
  EXPECT_EQ(r.judge_calls[0].result.error.id, "judge.parse.truncated");
  EXPECT_NE(r.judge_calls[0].result.error.message.find("cut off"), std::string::npos);
  EXPECT_EQ(r.analysis_note, "") << "the fallback judge's analysis is whole";
  EXPECT_EQ(r.judge_parse.analysis.blind_spots.size(), 1u);
  EXPECT_EQ(r.final_answer, "## Paris\n\nParis is the capital of France.");
}

// The first judge was cut off and its fallback failed: the cut-off analysis is shown, and it
// is that judge, not the failed one, that is named above the answer and in the export.
TEST_F(SynthesisRun, AKeptCutOffAnalysisNamesTheJudgeWhoWroteIt) {
  Panel();
  const std::string whole = AnalysisText("", {"A", "B"});
  Next("judge", Answer(whole.substr(0, whole.size() - 40)));
  Next("judge", ScriptedTransport::Json(401, ErrorBody(401, "bad key")));
  Writer("## Paris\n\nParis is the capital of France.");
  ASSERT_EQ(engine.start(TwoPhase({"j/judge", "j/second"})), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  ASSERT_TRUE(r.has_analysis);
  ASSERT_EQ(r.judge_calls.size(), 2u);
  EXPECT_EQ(r.analyst_call, 0);
  ASSERT_NE(r.named_judge(), nullptr);
  EXPECT_EQ(r.named_judge()->model.model, "j/judge");
  EXPECT_NE(r.judge_calls[0].result.error.message.find("so this one's is shown"), std::string::npos) << r.judge_calls[0].result.error.message;
  EXPECT_NE(ExportRunMarkdown(r).find("**Judge:** `j/judge`"), std::string::npos);
  FusionRun back;
  ASSERT_EQ(ImportRunJson(ExportRunJson(r), back), "");
  EXPECT_EQ(back.named_judge()->model.model, "j/judge") << "a reload names the same judge";
}

TEST_F(SynthesisRun, ACutOffAnalysisWithNoFallbackIsUsedAndNamedAsPartial) {
  Panel();
  const std::string whole = AnalysisText("", {"A", "B"});
  Next("judge", Answer(whole.substr(0, whole.find("\"blind_spots\"") + 20)));
  Writer("## Paris\n\nParis is the capital of France.");
  ASSERT_EQ(engine.start(TwoPhase()), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  EXPECT_TRUE(r.has_analysis);
  EXPECT_NE(r.analysis_note.find("The judge's analysis was cut off"), std::string::npos) << r.analysis_note;
  EXPECT_NE(r.analysis_note.find("Lost:"), std::string::npos);
  EXPECT_TRUE(r.judge_parse.analysis.blind_spots.empty()) << "the blind spot cut mid-word is left out";
  EXPECT_EQ(r.final_answer, "## Paris\n\nParis is the capital of France.");
}

TEST_F(SynthesisRun, AJudgeCitingAResponseItWasNotShownIsCorrected) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", ScriptedTransport::Json(502, ErrorBody(502, "down")));
  ScriptJudge(AnalysisText("Paris is the capital.", {"A", "B"}));
  RunConfig c = Config({"m/alpha", "m/beta"});
  c.max_retries = 0;
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  EXPECT_EQ(r.judged_labels, (std::vector<std::string>{"A"}));
  ASSERT_EQ(r.judge_parse.analysis.consensus.size(), 1u);
  EXPECT_EQ(r.judge_parse.analysis.consensus[0].models, (std::vector<std::string>{"A"}));
  EXPECT_EQ(r.analysis_note, "The judge cited Response B, which it was not shown: removed from 1 place.");
}

TEST_F(SynthesisRun, TheAnalystAndTheWriterCanBeDifferentModels) {
  Panel();
  Next("judge", Answer(AnalysisText("", {"A", "B"}), 0.01));
  Writer("## Paris\n\nParis is the capital of France.");
  RunConfig c = TwoPhase({"j/analyst"});
  c.writers = {{"or", "w/writer", -1}};
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(R().judge_calls.back().model.model, "j/analyst");
  EXPECT_EQ(R().final_call.model.model, "w/writer");
  EXPECT_EQ(RequestsFor("w/writer").size(), 1u);
  EXPECT_NE(MessageText(RequestsFor("w/writer")[0], "user").find("Analysis (JSON):"), std::string::npos);
  EXPECT_EQ(R().final_answer, "## Paris\n\nParis is the capital of France.");
}

TEST_F(SynthesisRun, ALoneRightMemberIsKeptAsAMinorityPositionAndTheWriterIsToldToKeepIt) {
  Script("m/alpha", Answer("The ball costs 10 cents."));
  Script("m/beta", Answer("The ball costs 10 cents, obviously."));
  Script("m/gamma", Answer("The ball costs 5 cents: 0.05 + 1.05 = 1.10."));
  json a = ParseJson(AnalysisText("", {"A", "B", "C"}));
  a["contradictions"] = json::array({{{"topic", "The ball's price"},
                                      {"stances", {{{"model", "A"}, {"stance", "10 cents"}}, {{"model", "B"}, {"stance", "10 cents"}},
                                                   {{"model", "C"}, {"stance", "5 cents"}}}},
                                      {"assessment", "C is right: with 10 cents the total is 1.20."}}});
  a["minority"] = json::array({{{"model", "Response C"}, {"position", "The ball costs 5 cents."},
                                {"why", "It is the only answer that satisfies both conditions."}}});
  Next("judge", Answer(Dump(a), 0.01));
  Writer("The ball costs **5 cents** and the bat $1.05.");
  RunConfig c = Config({"m/alpha", "m/beta", "m/gamma"});
  c.two_phase_judge = true;
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  ASSERT_EQ(r.judge_parse.analysis.minority.size(), 1u);
  EXPECT_EQ(r.judge_parse.analysis.minority[0].model, "C");
  // The writer is given the minority position and told to keep it or say why not.
  HttpRequest writer;
  for (auto& q : t.sent) if (q.tag == "writer") writer = q;
  EXPECT_NE(MessageText(writer, "system").find("Keep every minority position"), std::string::npos);
  EXPECT_NE(MessageText(writer, "user").find("The ball costs 5 cents."), std::string::npos);
  EXPECT_NE(r.final_answer.find("5 cents"), std::string::npos);
  // The judge's own prompt asks for minority positions, checked on their merits.
  EXPECT_NE(MessageText(t.sent[3], "system").find("not wrong because it is outnumbered"), std::string::npos);
}

}  // namespace
}  // namespace concord
