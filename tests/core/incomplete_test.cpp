// An answer that is not whole is never shown or judged as if it were: a reply cut at the token
// limit (finish_reason "length"), stopped by a content filter, or whose stream closed with no
// finish reason and no terminator. The decoder says so, the judge and writer are told, the final
// answer's note says so, and the export keeps it.
#include <gtest/gtest.h>

#include "engine_fixture.h"

namespace concord {
namespace {

using namespace test;

std::string LengthChunk() {
  json j = {{"id", "gen-test"},
            {"object", "chat.completion.chunk"},
            {"choices", json::array({{{"index", 0}, {"delta", {{"content", ""}}}, {"finish_reason", "length"}}})},
            {"usage", {{"prompt_tokens", 10}, {"completion_tokens", 64}, {"total_tokens", 74}, {"cost", 0.001}}}};
  return "data: " + Dump(j) + "\n\n";
}

ChatResult Decode(ProviderKind kind, const std::vector<std::string>& chunks) {
  StreamDecoder d(kind);
  ChatResult r;
  d.on_headers(200, {{"content-type", "text/event-stream"}}, r);
  for (auto& c : chunks) d.on_data(c, r);
  d.on_end(r);
  return r;
}

// ---- the decoder ---------------------------------------------------------------------------

TEST(Incomplete, AStreamThatClosesWithNoFinishReasonAndNoDoneIsKeptButMayBeCutShort) {
  ChatResult r = Decode(ProviderKind::OpenRouter, {Chunk("Paris is the cap")});
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "Paris is the cap");
  EXPECT_TRUE(r.unterminated);
  EXPECT_NE(IncompleteReason(r).find("may be cut short"), std::string::npos);
}

TEST(Incomplete, AFinishReasonWithoutDoneIsWhole) {
  ChatResult r = Decode(ProviderKind::OpenRouter, {Chunk("Paris."), FinishChunk(0.001)});
  EXPECT_TRUE(r.done);
  EXPECT_FALSE(r.unterminated);
  EXPECT_EQ(IncompleteReason(r), "");
}

TEST(Incomplete, DoneWithoutAFinishReasonIsWhole) {
  ChatResult r = Decode(ProviderKind::OpenRouter, {Chunk("Paris."), kDone});
  EXPECT_FALSE(r.unterminated);
  EXPECT_EQ(IncompleteReason(r), "");
}

TEST(Incomplete, TheTokenLimitIsNamed) {
  ChatResult r = Decode(ProviderKind::OpenRouter, {Chunk("Paris is the cap"), LengthChunk(), kDone});
  EXPECT_EQ(r.finish_reason, "length");
  EXPECT_NE(IncompleteReason(r).find("token limit"), std::string::npos);
}

TEST(Incomplete, AnthropicsMaxTokensIsTheTokenLimit) {
  ChatResult r = Decode(ProviderKind::Anthropic,
                        {"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Par\"}}\n\n",
                         "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":5}}\n\n",
                         "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"});
  EXPECT_EQ(r.content, "Par");
  EXPECT_NE(IncompleteReason(r).find("token limit"), std::string::npos);
}

TEST(Incomplete, AContentFilterStopIsNamed) {
  ChatResult r;
  r.content = "Some";
  r.finish_reason = "content_filter";
  EXPECT_NE(IncompleteReason(r).find("content filter"), std::string::npos);
}

// ---- the judge, the writer and the final answer ----------------------------------------------

class IncompleteRun : public EngineTest {
 protected:
  static Steps CutAnswer(const std::string& text) {
    return ScriptedTransport::Sse({Chunk(text), LengthChunk(), kDone}, 0.05, 0.01);
  }
  static Steps Unterminated(const std::string& text) { return ScriptedTransport::Sse({Chunk(text)}, 0.05, 0.01); }
  // A two-member, two-phase run whose writer replies with `writer`.
  void RunWithWriter(Steps writer) {
    Script("m/alpha", Answer("Alpha says Paris."));
    Script("m/beta", Answer("Beta says Paris, on the Seine."));
    Next("judge", Answer(AnalysisText("", {"A", "B"}), 0.01));
    Next("writer", std::move(writer));
    RunConfig c = Config({"m/alpha", "m/beta"});
    c.two_phase_judge = true;
    ASSERT_EQ(engine.start(c), "");
    ASSERT_TRUE(RunUntilIdle());
    ASSERT_EQ(R().stage, RunStage::Done);
  }
  HttpRequest Sent(const std::string& tag) const {
    for (auto& q : t.sent)
      if (q.tag == tag) return q;
    return {};
  }
};

TEST_F(IncompleteRun, TheJudgeIsToldWhichAnswerWasCutOff) {
  Script("m/alpha", Answer("Alpha says Paris."));
  Script("m/beta", CutAnswer("Beta says Paris, and the reasons are: first"));
  Script("m/gamma", Unterminated("Gamma says Paris, because"));
  ScriptJudge(AnalysisText("Paris."));
  ASSERT_EQ(engine.start(Config()), "");
  ASSERT_TRUE(RunUntilIdle());
  ASSERT_EQ(R().stage, RunStage::Done);
  // Still answers: kept, judged, and marked.
  EXPECT_EQ(M(1).status, MemberStatus::Done);
  EXPECT_EQ(M(2).status, MemberStatus::Done);
  const std::string u = MessageText(Sent("judge"), "user");
  EXPECT_EQ(u.find("not part of Response A"), std::string::npos);
  const size_t b = u.find("=== Response B ===\nBeta says Paris, and the reasons are: first\n\n[Note from Concord, not part of Response B: "
                          "this response is incomplete: cut off at the model's token limit");
  const size_t c = u.find("=== Response C ===\nGamma says Paris, because\n\n[Note from Concord, not part of Response C: "
                          "this response is incomplete: the stream closed with no finish reason");
  EXPECT_NE(b, std::string::npos) << u;
  EXPECT_NE(c, std::string::npos) << u;
  // The answer itself is the model's words only.
  EXPECT_EQ(M(1).result.content, "Beta says Paris, and the reasons are: first");
}

TEST_F(IncompleteRun, AWriterCutAtItsTokenLimitIsShownAsIncomplete) {
  RunWithWriter(CutAnswer("Paris is the capital of France. It lies on the"));
  EXPECT_EQ(R().final_answer, "Paris is the capital of France. It lies on the");
  EXPECT_NE(R().final_note.find("The final answer is incomplete"), std::string::npos) << R().final_note;
  EXPECT_NE(R().final_note.find("token limit"), std::string::npos) << R().final_note;
  EXPECT_NE(R().final_incomplete.find("token limit"), std::string::npos) << "eval mode marks the graded answer with it";
}

TEST_F(IncompleteRun, AWriterWhoseStreamClosedEarlyIsShownAsPossiblyCutShort) {
  RunWithWriter(Unterminated("Paris is the capital of France, and"));
  EXPECT_EQ(R().final_answer, "Paris is the capital of France, and");
  EXPECT_EQ(R().final_note, "The final answer is incomplete: the stream closed with no finish reason and no end marker, "
                            "so the answer may be cut short.");
}

TEST_F(IncompleteRun, AWholeWriterAnswerHasNoNote) {
  RunWithWriter(Answer("Paris is the capital of France, on the Seine."));
  EXPECT_EQ(R().final_answer, "Paris is the capital of France, on the Seine.");
  EXPECT_EQ(R().final_note, "");
  EXPECT_EQ(R().final_incomplete, "");
}

TEST_F(IncompleteRun, WithNoJudgeTheWholeAnswerIsShownBeforeALongerCutOne) {
  Script("m/alpha", Answer("Alpha says Paris."));
  Script("m/beta", CutAnswer("Beta says Paris, and here is a much longer answer that was cut off at its"));
  Script("j/judge", ScriptedTransport::Json(500, ErrorBody(500, "judge down")));
  RunConfig c = Config({"m/alpha", "m/beta"});
  c.max_retries = 0;
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  ASSERT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().final_answer, "Alpha says Paris.");
  EXPECT_EQ(R().final_note.find("incomplete"), std::string::npos) << R().final_note;
  EXPECT_EQ(R().final_incomplete, "");
}

TEST_F(IncompleteRun, WithNoJudgeAndOnlyCutAnswersTheShownOneIsMarked) {
  Script("m/alpha", CutAnswer("Alpha says Paris, and"));
  Script("m/beta", Unterminated("Beta says"));
  Script("j/judge", ScriptedTransport::Json(500, ErrorBody(500, "judge down")));
  RunConfig c = Config({"m/alpha", "m/beta"});
  c.max_retries = 0;
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(R().final_answer, "Alpha says Paris, and");
  EXPECT_NE(R().final_note.find("It is incomplete: cut off at the model's token limit"), std::string::npos) << R().final_note;
  EXPECT_NE(R().final_incomplete.find("token limit"), std::string::npos);
}

// ---- export --------------------------------------------------------------------------------

TEST_F(IncompleteRun, TheExportKeepsItAndTheMarkdownSaysSo) {
  Script("m/alpha", Answer("Alpha says Paris."));
  Script("m/beta", Unterminated("Beta says Paris, because"));
  ScriptJudge(AnalysisText("Paris.", {"A", "B"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  ASSERT_TRUE(RunUntilIdle());
  const std::string js = ExportRunJson(R());
  FusionRun back;
  ASSERT_EQ(ImportRunJson(js, back), "");
  EXPECT_TRUE(back.members.at(1).result.unterminated);
  EXPECT_FALSE(back.members.at(0).result.unterminated);
  const std::string md = ExportRunMarkdown(R());
  EXPECT_NE(md.find("> Incomplete: the stream closed with no finish reason"), std::string::npos) << md;
  // Under Response B, not A.
  EXPECT_GT(md.find("> Incomplete: ", md.find("### Response A")), md.find("### Response B"));
}

}  // namespace
}  // namespace concord
