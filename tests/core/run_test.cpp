// Behavioural tests for FusionEngine, driven end to end by ScriptedTransport on its virtual
// clock: happy path, member failures, retries honouring Retry-After, quorum and stragglers,
// judge failures and fallbacks, cancel, timeouts and the SSE details OpenRouter really sends.
// Assertions are on what a user (or the UI) can observe: statuses, messages, answers, costs
// and the requests that went out.
//
// Index of this file:
// [SECTION] happy path
// [SECTION] validation
// [SECTION] member failures
// [SECTION] retries
// [SECTION] judge output problems
// [SECTION] quorum and stragglers
// [SECTION] cancel
// [SECTION] timeouts
// [SECTION] SSE details
#include "run.h"
#include "engine_fixture.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "jsonutil.h"
#include "transport.h"

namespace concord {
namespace {
using namespace test;

// ---- [SECTION] happy path ------------------------------------------------------------------

TEST_F(EngineTest, HappyPathThreeMembersAndJudge) {
  ScriptHappyPanel();
  ScriptJudge(AnalysisText("**Paris** is the capital of France."));
  ASSERT_EQ(engine.start(Config()), "");
  EXPECT_TRUE(engine.busy());
  EXPECT_EQ(R().stage, RunStage::Panel);
  ASSERT_EQ(t.sent.size(), 3u) << "every member is sent at once";
  ASSERT_TRUE(RunUntilIdle());

  const FusionRun& r = R();
  EXPECT_EQ(r.stage, RunStage::Done);
  EXPECT_TRUE(r.error.empty()) << r.error;
  EXPECT_TRUE(r.final_note.empty()) << r.final_note;
  EXPECT_TRUE(r.warning.empty()) << r.warning;
  ASSERT_EQ(r.members.size(), 3u);
  const char* labels[] = {"A", "B", "C"};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(M(i).label, labels[i]);
    EXPECT_EQ(M(i).status, MemberStatus::Done) << i;
    EXPECT_TRUE(M(i).result.error.empty()) << M(i).result.error.message;
    EXPECT_FALSE(M(i).late);
    EXPECT_EQ(M(i).attempt, 0);
    EXPECT_GE(M(i).ttft(), 0);
    EXPECT_GE(M(i).t_end, M(i).t_first_token);
  }
  EXPECT_EQ(M(0).result.content, "Alpha says Paris is the capital of France.");
  EXPECT_EQ(M(1).result.content, "Beta says Paris, on the Seine.");
  EXPECT_EQ(r.answered(), 3);
  EXPECT_EQ(r.judged_labels, (std::vector<std::string>{"A", "B", "C"}));

  // Judge: one call, analysis read, final answer is the judge's.
  ASSERT_EQ(r.judge_calls.size(), 1u);
  EXPECT_EQ(r.judge_calls[0].status, MemberStatus::Done);
  EXPECT_EQ(r.judge_calls[0].label, "judge");
  EXPECT_TRUE(r.has_analysis);
  ASSERT_EQ(r.judge_parse.analysis.consensus.size(), 1u);
  EXPECT_EQ(r.judge_parse.analysis.consensus[0].claim, "Paris is the capital of France");
  EXPECT_EQ(r.judge_parse.analysis.blind_spots, (std::vector<std::string>{"Population figures"}));
  EXPECT_EQ(r.final_answer, "**Paris** is the capital of France.");
  EXPECT_GE(r.t_judge_start, 0);
  EXPECT_GE(r.t_end, r.t_judge_start);

  // Totals: member costs plus the judge's.
  EXPECT_NEAR(M(0).cost, 0.001, 1e-12);
  EXPECT_NEAR(M(2).cost, 0.003, 1e-12);
  EXPECT_NEAR(r.judge_calls[0].cost, 0.01, 1e-12);
  EXPECT_NEAR(r.total_cost(), 0.016, 1e-12);
  EXPECT_NEAR(r.cheapest_member_cost(), 0.001, 1e-12);
  EXPECT_NEAR(r.dearest_member_cost(), 0.003, 1e-12);
  EXPECT_GT(r.slowest_member_s(), 0);
  EXPECT_EQ(M(0).result.usage.prompt_tokens, 10);
  EXPECT_EQ(M(0).result.usage.completion_tokens, 20);

  // Requests: 3 members then 1 judge, all authenticated streaming chat completions.
  ASSERT_EQ(t.sent.size(), 4u);
  for (auto& req : t.sent) {
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.url, "https://openrouter.test/api/v1/chat/completions");
    EXPECT_EQ(HeaderOf(req, "Authorization"), std::string("Bearer ") + kKey);
    EXPECT_TRUE(req.stream);
    EXPECT_EQ(GetBool(ParseJson(req.body), "stream"), true);
  }
  EXPECT_EQ(ModelOf(t.sent[3]), "j/judge");
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(MessageText(t.sent[i], "user"), "What is the capital of France?");

  // The judge sees every answer, labelled and anonymised, and is asked for structured output.
  const HttpRequest& jr = t.sent[3];
  const std::string ju = MessageText(jr, "user");
  EXPECT_NE(ju.find("What is the capital of France?"), std::string::npos);
  EXPECT_NE(ju.find("=== Response A ===\nAlpha says Paris is the capital of France."), std::string::npos) << ju;
  EXPECT_NE(ju.find("=== Response B ===\nBeta says Paris, on the Seine."), std::string::npos) << ju;
  EXPECT_NE(ju.find("=== Response C ===\nGamma says the capital is Paris"), std::string::npos) << ju;
  EXPECT_LT(ju.find("=== Response A ==="), ju.find("=== Response B ==="));
  EXPECT_LT(ju.find("=== Response B ==="), ju.find("=== Response C ==="));
  for (const char* model : {"m/alpha", "m/beta", "m/gamma"})
    EXPECT_EQ(jr.body.find(model), std::string::npos) << "the judge must not see model names: " << model;
  EXPECT_NE(MessageText(jr, "system").find("You are the judge"), std::string::npos);
  json jb = ParseJson(jr.body);
  EXPECT_EQ(GetStr(GetObj(jb, "response_format"), "type"), "json_schema");
  EXPECT_DOUBLE_EQ(GetNum(jb, "temperature", -1), 0.0);
}

TEST_F(EngineTest, CostFromCatalogueWhenProviderReportsNone) {
  ModelInfo a;
  a.id = "m/alpha";
  a.price_prompt = 1e-6;
  a.price_completion = 2e-6;
  a.price_request = 0.0005;
  a.structured_outputs = true;
  engine.set_catalogue({a});
  Script("m/alpha", Answer("Alpha answer.", -1));  // usage tokens 10 + 20, no cost field
  ScriptJudge(AnalysisText("Final."), "j/judge", 0.02);
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_NEAR(M(0).cost, 10 * 1e-6 + 20 * 2e-6 + 0.0005, 1e-12);
  EXPECT_NEAR(R().total_cost(), 10 * 1e-6 + 20 * 2e-6 + 0.0005 + 0.02, 1e-12);
}

TEST_F(EngineTest, JudgeWithoutStructuredOutputSupportGetsNoResponseFormat) {
  ModelInfo j;
  j.id = "j/judge";
  j.structured_outputs = false;
  engine.set_catalogue({j});
  Script("m/alpha", Answer("Alpha answer."));
  ScriptJudge(AnalysisText("Final."));
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  ASSERT_TRUE(RunUntilIdle());
  auto jr = RequestsFor("j/judge");
  ASSERT_EQ(jr.size(), 1u);
  EXPECT_EQ(Get(ParseJson(jr[0].body), "response_format"), nullptr);
  EXPECT_EQ(R().final_answer, "Final.");
}

TEST_F(EngineTest, TwoPhaseJudgeStreamsTheFinalAnswerInASecondCall) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", Answer("Beta answer."));
  // The final-answer call uses the judge model too: the analysis call is the one with the
  // schema (response_format), the writer's is the other (no prompt wording is matched).
  Script("j/judge", Answer(AnalysisText("", {"A", "B"}), 0.01), -1, kAnalysisCall);
  Script("j/judge", Answer("The streamed final answer.", 0.004));
  RunConfig c = Config({"m/alpha", "m/beta"});
  c.two_phase_judge = true;
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  EXPECT_EQ(r.stage, RunStage::Done);
  EXPECT_TRUE(r.has_analysis);
  EXPECT_EQ(r.final_answer, "The streamed final answer.");
  EXPECT_EQ(r.final_call.status, MemberStatus::Done);
  EXPECT_TRUE(r.final_note.empty()) << r.final_note;
  ASSERT_EQ(t.sent.size(), 4u);
  // Phase one asks for an empty final_answer; phase two gets the analysis and the answers.
  EXPECT_NE(MessageText(t.sent[2], "system").find("set it to the empty string"), std::string::npos);
  const std::string fu = MessageText(t.sent[3], "user");
  EXPECT_NE(fu.find("Analysis (JSON):"), std::string::npos);
  EXPECT_NE(fu.find("Paris is the capital of France"), std::string::npos);
  EXPECT_NE(fu.find("=== Response B ===\nBeta answer."), std::string::npos);
  EXPECT_NEAR(r.total_cost(), 0.001 + 0.001 + 0.01 + 0.004, 1e-12);
}

TEST_F(EngineTest, TwoPhaseFinalCallFailureFallsBackToBestMemberWithNote) {
  Script("m/alpha", Answer("Short."));
  Script("m/beta", Answer("A much longer answer from beta."));
  Script("j/judge", Answer(AnalysisText("", {"A", "B"}), 0.01), -1, kAnalysisCall);
  Script("j/judge", ScriptedTransport::Json(400, ErrorBody(400, "context too long")));
  RunConfig c = Config({"m/alpha", "m/beta"});
  c.two_phase_judge = true;
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  EXPECT_EQ(r.stage, RunStage::Done);
  EXPECT_TRUE(r.has_analysis) << "the analysis is kept";
  EXPECT_EQ(r.final_call.status, MemberStatus::Failed);
  EXPECT_EQ(r.final_answer, "A much longer answer from beta.");
  EXPECT_NE(r.final_note.find("context too long"), std::string::npos) << r.final_note;
  EXPECT_NE(r.final_note.find("Response B"), std::string::npos) << r.final_note;
}

TEST_F(EngineTest, JudgeAnalysisWithoutFinalAnswerTriggersFinalCall) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("j/judge", Answer(AnalysisText("", {"A"}), 0.01), -1, kAnalysisCall);
  Script("j/judge", Answer("Written by the final call."));
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");  // two_phase_judge is off
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().final_answer, "Written by the final call.");
  EXPECT_EQ(RequestsFor("j/judge").size(), 2u);
}

TEST_F(EngineTest, FollowUpSendsHistoryToMembersAndConversationToJudge) {
  Script("m/alpha", Answer("Lyon is second."));
  ScriptJudge(AnalysisText("Lyon.", {"A"}));
  RunConfig c = Config({"m/alpha"});
  c.prompt = "And the second largest city?";
  std::vector<ChatMessage> history = {{"user", "What is the capital of France?"}, {"assistant", "Paris."}};
  ASSERT_EQ(engine.start(c, history), "");
  ASSERT_TRUE(RunUntilIdle());
  json mb = ParseJson(t.sent[0].body);
  const json& msgs = GetArr(mb, "messages");
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(GetStr(msgs[0], "role"), "system");
  EXPECT_EQ(GetStr(msgs[1], "content"), "What is the capital of France?");
  EXPECT_EQ(GetStr(msgs[2], "role"), "assistant");
  EXPECT_EQ(GetStr(msgs[2], "content"), "Paris.");
  EXPECT_EQ(GetStr(msgs[3], "content"), "And the second largest city?");
  const std::string ju = MessageText(RequestsFor("j/judge").at(0), "user");
  EXPECT_NE(ju.find("Conversation so far:"), std::string::npos);
  EXPECT_NE(ju.find("Assistant: Paris."), std::string::npos);
  EXPECT_NE(ju.find("Follow-up question: And the second largest city?"), std::string::npos);
  EXPECT_EQ(R().history.size(), 2u);
}

TEST_F(EngineTest, JudgeWhoIsAlsoAPanelMemberGivesAWarning) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", Answer("Beta answer."));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"}, {"m/alpha"})), "");
  EXPECT_NE(R().warning.find("m/alpha"), std::string::npos) << R().warning;
  EXPECT_NE(R().warning.find("also a panel member"), std::string::npos) << R().warning;
}

// ---- [SECTION] validation ------------------------------------------------------------------

TEST_F(EngineTest, StartRejectsBadConfigAndSendsNothing) {
  struct Case { RunConfig cfg; const char* expect; };
  std::vector<Case> cases;
  { RunConfig c = Config(); c.prompt = "  \n\t"; cases.push_back({c, "prompt is empty"}); }
  { RunConfig c = Config(); c.panel.clear(); cases.push_back({c, "panel is empty"}); }
  { RunConfig c = Config({"a", "b", "c", "d", "e", "f", "g", "h", "i"}); cases.push_back({c, "more than 8"}); }
  { RunConfig c = Config(); c.judges.clear(); cases.push_back({c, "no judge"}); }
  { RunConfig c = Config(); c.panel[1].endpoint = "groq"; cases.push_back({c, "no endpoint 'groq'"}); }
  { RunConfig c = Config(); c.panel[0].model.clear(); cases.push_back({c, "no model id"}); }
  { RunConfig c = Config(); c.judges[0].endpoint = "nowhere"; cases.push_back({c, "no endpoint 'nowhere'"}); }
  { RunConfig c = Config(); c.search = WebSearchMode::SharedSearch; c.search_url.clear(); cases.push_back({c, "search URL"}); }
  for (auto& k : cases) {
    std::string err = engine.start(k.cfg);
    EXPECT_NE(err.find(k.expect), std::string::npos) << "expected '" << k.expect << "', got '" << err << "'";
    EXPECT_TRUE(t.sent.empty());
    EXPECT_FALSE(engine.busy());
    EXPECT_EQ(R().stage, RunStage::Idle);
  }
}

TEST_F(EngineTest, SecondStartWhileBusyIsRefused) {
  ScriptHappyPanel();
  ScriptJudge(AnalysisText("Final."));
  ASSERT_EQ(engine.start(Config()), "");
  EXPECT_NE(engine.start(Config()).find("already in progress"), std::string::npos);
  EXPECT_EQ(t.sent.size(), 3u);
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(engine.start(Config()), "") << "a finished run does not block the next";
}

// A browser reports the connection's end in a message of its own, after the last bytes: the
// stream's terminator already says the answer is whole, and the next stage starts on it.
TEST_F(EngineTest, TerminatorFinishesACallBeforeTheConnectionReportsItsEnd) {
  auto late_end = [](Steps s, double by) {
    s.back().at += by;  // the End step
    return s;
  };
  Script("m/alpha", late_end(Answer("Alpha says Paris.", 0.001), 1.0));
  Script("m/beta", late_end(Answer("Beta says Paris, on the Seine.", 0.002), 1.0));
  Script("j/judge", late_end(Answer(AnalysisText("Paris.", {"A", "B"}), 0.01), 1.0));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  ASSERT_TRUE(RunUntilIdle(0.9)) << "the run waited for the connections to close";
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().final_answer, "Paris.");
  EXPECT_EQ(M(1).result.content, "Beta says Paris, on the Seine.");
  EXPECT_EQ(M(1).result.finish_reason, "stop");
  EXPECT_NEAR(R().total_cost(), 0.013, 1e-12) << "the usage before [DONE] is counted";
  const FusionRun before = R();
  // The ends arrive within the grace: taken, nothing changes, nothing is cancelled (an
  // HTTP/1.1 connection that closes its response normally stays reusable).
  RunFor(3.0);
  EXPECT_TRUE(t.cancelled.empty());
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().final_answer, before.final_answer);
  EXPECT_EQ(M(0).status, MemberStatus::Done);
  EXPECT_EQ(M(0).t_end, before.members[0].t_end);
  EXPECT_EQ(t.sent.size(), 3u);
}

// Some proxies hold a stream open after [DONE]: the answer counts at once, and the request is
// cancelled after the grace so that it does not hold a connection for ever.
TEST_F(EngineTest, AStreamHeldOpenAfterItsTerminatorIsCancelledAfterTheGrace) {
  Script("m/alpha", Hanging({Chunk("Alpha says Paris."), FinishChunk(0.001), kDone}));
  Script("m/beta", Answer("Beta says Paris.", 0.002));
  ScriptJudge(AnalysisText("Paris.", {"A", "B"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  ASSERT_TRUE(RunUntilIdle(1.0));
  EXPECT_EQ(M(0).status, MemberStatus::Done);
  EXPECT_EQ(R().final_answer, "Paris.");
  const RequestId held = 1;  // m/alpha's: the first request sent
  ASSERT_EQ(ModelOf(t.sent[0]), "m/alpha");
  EXPECT_TRUE(t.cancelled.empty()) << "not before the grace";
  RunFor(kCloseGraceS + 0.1);
  ASSERT_EQ(t.cancelled.size(), 1u);
  EXPECT_EQ(t.cancelled[0], held) << "the held-open request, and only it";
  EXPECT_EQ(M(0).status, MemberStatus::Done) << "cancelling the finished request changes nothing";
  EXPECT_EQ(R().stage, RunStage::Done);
}

// A stream without its terminator still ends at the connection's end, as before.
TEST_F(EngineTest, WithoutATerminatorTheCallEndsWhenTheConnectionDoes) {
  Steps cut = ScriptedTransport::Sse({Chunk("Alpha says "), Chunk("Paris."), FinishChunk(0.001)}, 0.05, 0.01);
  cut.back().at += 1.0;
  Script("m/alpha", cut);
  Script("m/beta", Answer("Beta says Paris.", 0.002));
  ScriptJudge(AnalysisText("Paris.", {"A", "B"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  RunFor(0.5);
  EXPECT_EQ(M(0).status, MemberStatus::Streaming) << "no [DONE] yet: the answer may go on";
  EXPECT_TRUE(R().judge_calls.empty() || R().judge_calls[0].t_start < 0);
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(0).status, MemberStatus::Done);
  EXPECT_EQ(M(0).result.content, "Alpha says Paris.");
  EXPECT_EQ(R().stage, RunStage::Done);
}

TEST_F(EngineTest, ForeignEventsAreNotTaken) {
  ScriptHappyPanel();
  ASSERT_EQ(engine.start(Config()), "");
  bool changed = false;
  TransportEvent e;
  e.id = 999;
  e.kind = Kind::Data;
  e.data = Chunk("intruder");
  EXPECT_FALSE(engine.on_event(e, changed));
  EXPECT_FALSE(changed);
  e.id = 0;
  EXPECT_FALSE(engine.on_event(e, changed));
}

// ---- [SECTION] member failures -------------------------------------------------------------

TEST_F(EngineTest, Member401FailsClearlyAndRunCompletesWithOthers) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", ScriptedTransport::Json(401, ErrorBody(401, "No cookie auth credentials found")));
  Script("m/gamma", Answer("Gamma answer."));
  ScriptJudge(AnalysisText("Final from A and C.", {"A", "C"}));
  ASSERT_EQ(engine.start(Config()), "");
  ASSERT_TRUE(RunUntilIdle());

  const Call& b = M(1);
  EXPECT_EQ(b.status, MemberStatus::Failed);
  EXPECT_EQ(b.result.error.id, "http.401");
  EXPECT_EQ(b.result.error.http_status, 401);
  EXPECT_NE(b.result.error.message.find("HTTP 401"), std::string::npos) << b.result.error.message;
  EXPECT_NE(b.result.error.message.find("invalid API key"), std::string::npos) << b.result.error.message;
  EXPECT_NE(b.result.error.message.find("No cookie auth credentials found"), std::string::npos);
  EXPECT_EQ(b.attempt, 0) << "401 is not retried";
  EXPECT_TRUE(b.retried_errors.empty());
  EXPECT_EQ(RequestsFor("m/beta").size(), 1u);

  const FusionRun& r = R();
  EXPECT_EQ(r.stage, RunStage::Done);
  EXPECT_TRUE(r.error.empty());
  EXPECT_EQ(r.answered(), 2);
  EXPECT_EQ(r.judged_labels, (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(r.final_answer, "Final from A and C.");
  const std::string ju = MessageText(RequestsFor("j/judge").at(0), "user");
  EXPECT_NE(ju.find("=== Response A ==="), std::string::npos);
  EXPECT_NE(ju.find("=== Response C ==="), std::string::npos);
  EXPECT_EQ(ju.find("=== Response B ==="), std::string::npos) << "a failed member is not judged";
}

TEST_F(EngineTest, UnreachableMemberSaysCorsOrUnreachableWithUrl) {
  Script("m/alpha", Answer("Alpha answer."));
  // No rule for m/beta: the scripted transport fails it as Unreachable.
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(1).status, MemberStatus::Failed);
  EXPECT_EQ(M(1).result.error.id, "net.unreachable");
  EXPECT_NE(M(1).result.error.message.find("CORS"), std::string::npos);
  EXPECT_NE(M(1).result.error.message.find("https://openrouter.test/api/v1/chat/completions"), std::string::npos);
  EXPECT_EQ(RequestsFor("m/beta").size(), 1u) << "network failures are not retried blindly";
  EXPECT_EQ(R().stage, RunStage::Done);
}

TEST_F(EngineTest, TokensWithNoCostAndNoPriceAreAnUnknownCostNotZero) {
  // A provider other than OpenRouter reports tokens but no cost, and the catalogue has no price.
  Script("m/alpha", Answer("Alpha answer.", 0.002));
  Script("m/beta", Answer("Beta answer.", -1));
  ScriptJudge(AnalysisText("Final.", {"A", "B"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  ASSERT_TRUE(RunUntilIdle());
  ASSERT_EQ(M(1).status, MemberStatus::Done);
  EXPECT_GT(M(1).result.usage.completion_tokens, 0);
  EXPECT_FALSE(M(1).usage_unreported()) << "its tokens are known";
  EXPECT_TRUE(M(1).cost_unknown());
  EXPECT_FALSE(M(0).cost_unknown());
  EXPECT_EQ(R().cost_unknown_calls(), 1);
  EXPECT_DOUBLE_EQ(R().cheapest_member_cost(), 0.002) << "an unknown cost is not the cheapest";
}

TEST_F(EngineTest, AnAnswerlessEndSaysWhyWhenTheStreamDoes) {
  auto ending = [](const std::string& delta_json, const char* finish) {
    return "data: {\"choices\":[{\"index\":0,\"delta\":" + delta_json + ",\"finish_reason\":" + finish + "}]}\n\n";
  };
  Script("m/alpha", Answer("Alpha answer."));
  // A reasoning model that spent its whole token limit thinking.
  Script("m/beta", ScriptedTransport::Sse({ending(R"({"reasoning":"Let me think about this at length..."})", "null"),
                                           ending(R"({"content":""})", "\"length\""), kDone}));
  Script("m/gamma", ScriptedTransport::Sse({ending(R"({"content":""})", "\"content_filter\""), kDone}));
  Script("m/delta", ScriptedTransport::Sse({ending(R"({"refusal":"I can't help with that."})", "null"), ending("{}", "\"stop\""), kDone}));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta", "m/gamma", "m/delta"})), "");
  ASSERT_TRUE(RunUntilIdle());
  for (int i = 1; i <= 3; ++i) EXPECT_EQ(M(i).status, MemberStatus::Failed);
  EXPECT_EQ(M(1).result.error.message,
            "the model used up its token limit before writing any answer (finish_reason \"length\"): all of it went on reasoning");
  EXPECT_NE(M(2).result.error.message.find("content filter"), std::string::npos) << M(2).result.error.message;
  EXPECT_EQ(M(3).result.error.message, "the model refused: I can't help with that.");
  EXPECT_EQ(M(3).result.error.id, "empty.content");
}

TEST(AnsweredBy, OnlyAnotherModelIsNamed) {
  Call c;
  c.model.model = "openrouter/auto";
  EXPECT_EQ(AnsweredBy(c), "") << "nothing reported";
  c.result.model = "anthropic/claude-sonnet-4.5";
  EXPECT_EQ(AnsweredBy(c), "anthropic/claude-sonnet-4.5");
  c.model.model = "openai/gpt-4o";
  c.result.model = "openai/gpt-4o-2024-08-06";
  EXPECT_EQ(AnsweredBy(c), "") << "a dated version of the same model";
  c.result.model = "gpt-4o-2024-08-06";
  EXPECT_EQ(AnsweredBy(c), "") << "the same, without the vendor prefix";
  c.result.model = "openai/gpt-4o-mini";
  EXPECT_EQ(AnsweredBy(c), "openai/gpt-4o-mini") << "another model whose name starts the same";
  c.result.model = "openai/gpt-4o:extended";
  EXPECT_EQ(AnsweredBy(c), "");
  c.result.model = "meta-llama/llama-3.3-70b";
  EXPECT_EQ(AnsweredBy(c), "meta-llama/llama-3.3-70b") << "a fallback model answered";
}

TEST_F(EngineTest, EmptyAnswerIsAFailureNotASilentBlank) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", ScriptedTransport::Sse({Chunk("   \n"), FinishChunk(0.0001), kDone}));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(1).status, MemberStatus::Failed);
  EXPECT_EQ(M(1).result.error.id, "empty.content");
  EXPECT_NE(M(1).result.error.message.find("empty answer"), std::string::npos);
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A"}));
}

TEST_F(EngineTest, AllMembersFailGivesRunErrorAndNoJudgeCall) {
  Script("m/alpha", ScriptedTransport::Json(401, ErrorBody(401, "User not found.")));
  // m/beta: no rule -> unreachable
  Script("m/gamma", ScriptedTransport::Sse({kDone}));  // a stream with no answer at all
  ScriptJudge(AnalysisText("never"));
  ASSERT_EQ(engine.start(Config()), "");
  ASSERT_TRUE(RunUntilIdle());
  RunFor(5);  // nothing more happens later either

  const FusionRun& r = R();
  EXPECT_EQ(r.stage, RunStage::Failed);
  EXPECT_FALSE(engine.busy());
  EXPECT_EQ(r.answered(), 0);
  EXPECT_TRUE(r.final_answer.empty());
  EXPECT_TRUE(r.judge_calls.empty());
  EXPECT_TRUE(RequestsFor("j/judge").empty()) << "no judge call when nothing can be judged";
  EXPECT_EQ(t.sent.size(), 3u);
  EXPECT_NE(r.error.find("Every panel member failed"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("A (m/alpha): HTTP 401"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("B (m/beta): blocked by CORS or unreachable"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("C (m/gamma): "), std::string::npos) << r.error;
  EXPECT_GE(r.t_end, 0);
  for (auto& m : r.members) EXPECT_FALSE(m.result.error.message.empty()) << m.label;
}

TEST_F(EngineTest, RetryMemberRevivesAFailedRun) {
  Script("m/alpha", ScriptedTransport::Json(401, ErrorBody(401, "bad key")), 1);
  Script("m/alpha", Answer("Alpha after the key was fixed."));
  ScriptJudge(AnalysisText("Final after retry.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  ASSERT_TRUE(RunUntilIdle());
  ASSERT_EQ(R().stage, RunStage::Failed);
  engine.retry_member(0);
  EXPECT_EQ(R().stage, RunStage::Panel);
  EXPECT_TRUE(R().error.empty());
  EXPECT_TRUE(engine.busy());
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(M(0).status, MemberStatus::Done);
  EXPECT_EQ(R().final_answer, "Final after retry.");
  EXPECT_EQ(RequestsFor("m/alpha").size(), 2u);
}

// A failed attempt that was billed (its whole token limit spent on reasoning) stays in the
// member's cost and the run's total after you retry it; the card says how much it was.
TEST_F(EngineTest, ARetriedMemberKeepsTheCostOfItsFailedAttempt) {
  Script("m/alpha", ScriptedTransport::Sse({FinishChunk(0.05, 10, 4000, "length"), kDone}), 1);
  Script("m/alpha", Answer("Alpha, second time, with a bigger limit.", 0.01));
  ScriptJudge(AnalysisText("Final after retry.", {"A"}), "j/judge", 0.002);
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  ASSERT_TRUE(RunUntilIdle());
  ASSERT_EQ(M(0).status, MemberStatus::Failed);
  EXPECT_NEAR(R().total_cost(), 0.05, 1e-12);
  engine.retry_member(0);
  ASSERT_TRUE(RunUntilIdle());
  ASSERT_EQ(M(0).status, MemberStatus::Done);
  EXPECT_NEAR(M(0).cost, 0.06, 1e-12);
  EXPECT_NEAR(M(0).earlier_cost, 0.05, 1e-12);
  EXPECT_NEAR(R().total_cost(), 0.062, 1e-12) << "both attempts and the judge";
  FusionRun back;
  ASSERT_EQ(ImportRunJson(ExportRunJson(R()), back), "");
  EXPECT_NEAR(back.members[0].earlier_cost, 0.05, 1e-12);
  EXPECT_NEAR(back.total_cost(), 0.062, 1e-12);
}

// Cancelled while the judge read the panel, then a failed member retried: the run goes back to
// the panel, the judge reads the retried answer, and it is not called late.
TEST_F(EngineTest, AMemberRetriedAfterACancelIsJudgedNotLate) {
  Script("m/alpha", Answer("Alpha says Paris.", 0.001));
  Script("m/beta", ScriptedTransport::Json(500, ErrorBody(500, "boom")), 1);
  Script("m/beta", Answer("Beta says Paris too.", 0.001));
  ScriptJudge(AnalysisText("Final.", {"A", "B"}));
  RunConfig c = Config({"m/alpha", "m/beta"});
  c.max_retries = 0;
  ASSERT_EQ(engine.start(c), "");
  for (int i = 0; i < 1000 && R().stage != RunStage::Judge; ++i) { t.advance(0.01); engine.pump(); }
  ASSERT_EQ(R().stage, RunStage::Judge);
  engine.cancel_run();
  ASSERT_EQ(M(1).status, MemberStatus::Failed);
  engine.retry_member(1);
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_FALSE(M(1).late) << "the judge read it";
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A", "B"}));
}

TEST_F(EngineTest, RetryMemberIgnoresMembersThatAreDoneOrRunning) {
  Script("m/alpha", Answer("Alpha answer."));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  engine.retry_member(0);  // still streaming
  engine.retry_member(7);  // out of range
  ASSERT_TRUE(RunUntilIdle());
  engine.retry_member(0);  // done
  RunFor(1);
  EXPECT_EQ(RequestsFor("m/alpha").size(), 1u);
  EXPECT_EQ(R().stage, RunStage::Done);
}

// ---- [SECTION] retries ---------------------------------------------------------------------

TEST_F(EngineTest, RateLimitWithRetryAfterWaitsThenSucceeds) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", ScriptedTransport::Json(429, ErrorBody(429, "Rate limit exceeded"), 0.01, {{"retry-after", "3"}}), 1);
  Script("m/beta", Answer("Beta answer after waiting."));
  ScriptJudge(AnalysisText("Final.", {"A", "B"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");

  double second_send = -1;
  engine.pump();
  while (engine.busy() && t.now() < 60) {
    Step();
    if (second_send < 0 && RequestsFor("m/beta").size() == 2) second_send = t.now();
    if (t.now() > 0.5 && t.now() < 2.9) {
      // Waiting: the member shows as queued with the 429 remembered, and the judge has not started.
      ASSERT_EQ(M(1).status, MemberStatus::Queued);
      ASSERT_EQ(M(1).attempt, 1);
      ASSERT_TRUE(R().judge_calls.empty());
    }
  }
  ASSERT_FALSE(engine.busy());
  // Retry-After (3 s) beats the 1 s default backoff; the 429 came at 0.01 s.
  EXPECT_GE(second_send, 3.0);
  EXPECT_LT(second_send, 3.1);
  EXPECT_EQ(RequestsFor("m/beta").size(), 2u);
  const Call& b = M(1);
  EXPECT_EQ(b.status, MemberStatus::Done);
  EXPECT_EQ(b.attempt, 1);
  ASSERT_EQ(b.retried_errors.size(), 1u);
  EXPECT_EQ(b.retried_errors[0].http_status, 429);
  EXPECT_DOUBLE_EQ(b.retried_errors[0].retry_after_s, 3.0);
  EXPECT_NE(b.retried_errors[0].message.find("rate limited"), std::string::npos);
  EXPECT_TRUE(b.result.error.empty());
  EXPECT_EQ(b.result.content, "Beta answer after waiting.");
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A", "B"}));
  // The judge waited for the retried member.
  EXPECT_GE(R().t_judge_start, 3.0);
}

TEST_F(EngineTest, RetryWithoutRetryAfterUsesExponentialBackoffThenGivesUp) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", ScriptedTransport::Json(503, ErrorBody(503, "No instances available")));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  RunConfig c = Config({"m/alpha", "m/beta"});
  c.max_retries = 2;
  c.retry_base_s = 1.0;
  ASSERT_EQ(engine.start(c), "");
  std::vector<double> sends = {0};
  engine.pump();
  while (engine.busy() && t.now() < 60) {
    Step();
    if (RequestsFor("m/beta").size() > sends.size()) sends.push_back(t.now());
  }
  ASSERT_EQ(sends.size(), 3u) << "1 try + 2 retries";
  EXPECT_NEAR(sends[1] - 0.01, 1.0, 0.05);  // base
  EXPECT_NEAR(sends[2] - sends[1] - 0.01, 2.0, 0.05);  // doubled
  EXPECT_EQ(M(1).status, MemberStatus::Failed);
  EXPECT_EQ(M(1).attempt, 2);
  EXPECT_EQ(M(1).retried_errors.size(), 2u);
  EXPECT_NE(M(1).result.error.message.find("HTTP 503"), std::string::npos);
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A"}));
}

TEST_F(EngineTest, RetryAfterFromErrorBodyAvailabilityIsHonoured) {
  Script("m/alpha", ScriptedTransport::Json(429, Dump(json{{"error", {{"code", 429}, {"message", "slow down"},
                                                                      {"availability", {{"retryable", true}, {"retry_after", 4}}}}}})),
         1);
  Script("m/alpha", Answer("Alpha answer."));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  RunFor(3.9);
  EXPECT_EQ(RequestsFor("m/alpha").size(), 1u);
  RunFor(0.3);
  EXPECT_EQ(RequestsFor("m/alpha").size(), 2u);
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(0).status, MemberStatus::Done);
}

TEST_F(EngineTest, JudgeHttp500IsRetriedThenFallbackJudgeUsed) {
  ScriptHappyPanel();
  Script("j/judge", ScriptedTransport::Json(500, ErrorBody(500, "Internal Server Error")));
  ScriptJudge(AnalysisText("From the fallback judge."), "j/backup");
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta", "m/gamma"}, {"j/judge", "j/backup"})), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  EXPECT_EQ(r.stage, RunStage::Done);
  EXPECT_EQ(RequestsFor("j/judge").size(), 3u) << "1 try + 2 retries of a 500";
  ASSERT_EQ(r.judge_calls.size(), 2u);
  EXPECT_EQ(r.judge_calls[0].status, MemberStatus::Failed);
  EXPECT_EQ(r.judge_calls[0].attempt, 2);
  EXPECT_NE(r.judge_calls[0].result.error.message.find("HTTP 500"), std::string::npos);
  EXPECT_EQ(r.judge_calls[1].status, MemberStatus::Done);
  EXPECT_EQ(r.judge_calls[1].model.model, "j/backup");
  EXPECT_NE(r.judge_calls[1].label.find("fallback"), std::string::npos) << r.judge_calls[1].label;
  EXPECT_TRUE(r.has_analysis);
  EXPECT_EQ(r.final_answer, "From the fallback judge.");
  // The fallback judge saw the same labelled answers.
  const std::string ju = MessageText(RequestsFor("j/backup").at(0), "user");
  EXPECT_NE(ju.find("=== Response C ==="), std::string::npos);
}

// ---- [SECTION] judge output problems -------------------------------------------------------

TEST_F(EngineTest, JudgeNonJsonFallsBackToNextJudge) {
  ScriptHappyPanel();
  ScriptJudge("I think Response A is the best one, honestly.");
  ScriptJudge(AnalysisText("Fallback judge answer."), "j/backup");
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta", "m/gamma"}, {"j/judge", "j/backup"})), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  EXPECT_EQ(r.stage, RunStage::Done);
  ASSERT_EQ(r.judge_calls.size(), 2u);
  // The unreadable judge is visibly failed, with why, and its text is kept.
  EXPECT_EQ(r.judge_calls[0].status, MemberStatus::Failed);
  EXPECT_EQ(r.judge_calls[0].result.error.id, "judge.parse.no_json");
  EXPECT_NE(r.judge_calls[0].result.error.message.find("could not be read as an analysis"), std::string::npos);
  EXPECT_EQ(r.judge_calls[0].result.content, "I think Response A is the best one, honestly.");
  EXPECT_EQ(r.judge_calls[0].attempt, 0) << "a parse failure is not an HTTP failure: no retry";
  EXPECT_TRUE(r.has_analysis);
  EXPECT_EQ(r.final_answer, "Fallback judge answer.");
}

TEST_F(EngineTest, JudgeNonJsonWithoutFallbackShowsBestMemberWithNote) {
  Script("m/alpha", Answer("Short answer."));
  Script("m/beta", Answer("The longest answer of the whole panel, by far."));
  Script("m/gamma", Answer("Medium answer here."));
  ScriptJudge("Sorry, I cannot produce JSON today.");
  ASSERT_EQ(engine.start(Config()), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  EXPECT_EQ(r.stage, RunStage::Done);
  EXPECT_FALSE(r.has_analysis);
  EXPECT_EQ(r.final_answer, "The longest answer of the whole panel, by far.");
  EXPECT_NE(r.final_note.find("No synthesis"), std::string::npos) << r.final_note;
  EXPECT_NE(r.final_note.find("judge failed"), std::string::npos) << r.final_note;
  EXPECT_NE(r.final_note.find("could not be read as an analysis"), std::string::npos) << "says why: " << r.final_note;
  EXPECT_NE(r.final_note.find("Response B (m/beta)"), std::string::npos) << r.final_note;
  EXPECT_EQ(r.judge_raw, "Sorry, I cannot produce JSON today.");
  EXPECT_FALSE(r.judge_parse.ok);
  EXPECT_FALSE(r.judge_parse.error_id.empty());
  EXPECT_TRUE(r.error.empty()) << "a degraded run is not an error";
}

TEST_F(EngineTest, JudgeFencedJsonIsRepairedAndUsed) {
  ScriptHappyPanel();
  ScriptJudge("Here is my analysis:\n```json\n" + AnalysisText("Fenced final answer.") + "\n```\nHope it helps.");
  ASSERT_EQ(engine.start(Config()), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  EXPECT_EQ(r.stage, RunStage::Done);
  ASSERT_EQ(r.judge_calls.size(), 1u);
  EXPECT_EQ(r.judge_calls[0].status, MemberStatus::Done);
  EXPECT_TRUE(r.has_analysis);
  EXPECT_TRUE(r.judge_parse.repaired);
  EXPECT_EQ(r.final_answer, "Fenced final answer.");
  EXPECT_TRUE(r.final_note.empty());
}

TEST_F(EngineTest, EveryJudgeFailsWith500GivesFallbackFinalAnswerNeverEmpty) {
  ScriptHappyPanel();
  Script("j/judge", ScriptedTransport::Json(500, ErrorBody(500, "boom")));
  Script("j/backup", ScriptedTransport::Json(502, "<html><head><title>502 Bad Gateway</title></head></html>"));
  RunConfig c = Config({"m/alpha", "m/beta", "m/gamma"}, {"j/judge", "j/backup"});
  c.max_retries = 0;
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  EXPECT_EQ(r.stage, RunStage::Done);
  ASSERT_EQ(r.judge_calls.size(), 2u);
  EXPECT_EQ(r.judge_calls[0].status, MemberStatus::Failed);
  EXPECT_EQ(r.judge_calls[1].status, MemberStatus::Failed);
  EXPECT_NE(r.judge_calls[1].result.error.message.find("502 Bad Gateway"), std::string::npos)
      << r.judge_calls[1].result.error.message;
  EXPECT_FALSE(r.final_answer.empty());
  EXPECT_EQ(r.final_answer, M(2).result.content) << "the longest member answer";
  EXPECT_NE(r.final_note.find("No synthesis"), std::string::npos) << r.final_note;
  EXPECT_NE(r.final_note.find("every judge failed"), std::string::npos) << r.final_note;
  EXPECT_NE(r.final_note.find("HTTP 500"), std::string::npos) << "each judge's failure is named: " << r.final_note;
  EXPECT_NE(r.final_note.find("502 Bad Gateway"), std::string::npos) << r.final_note;
  EXPECT_FALSE(r.has_analysis);
}

// ---- [SECTION] quorum and stragglers -------------------------------------------------------

TEST_F(EngineTest, QuorumStartsJudgeEarlyAndStragglerIsMarkedLateNotDropped) {
  Script("m/alpha", Answer("Alpha answer.", 0.001, 0.05));
  Script("m/beta", Answer("Beta answer.", 0.002, 0.10));
  Script("m/gamma", Answer("Gamma, the straggler.", 0.003, 30.0));
  ScriptJudge(AnalysisText("Final from A and B.", {"A", "B"}));
  RunConfig c = Config();
  c.quorum = 2;
  ASSERT_EQ(engine.start(c), "");
  RunFor(1.0);
  // Quorum reached: the judge ran without waiting for C.
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().final_answer, "Final from A and B.");
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A", "B"}));
  EXPECT_LT(R().t_judge_start, 0.5);
  EXPECT_EQ(M(2).status, MemberStatus::Streaming);
  EXPECT_TRUE(engine.busy()) << "the straggler is still in flight";
  const std::string ju = MessageText(RequestsFor("j/judge").at(0), "user");
  EXPECT_EQ(ju.find("=== Response C ==="), std::string::npos);

  ASSERT_TRUE(RunUntilIdle());
  // The straggler finished: kept, marked late, not judged, and its cost counts.
  const Call& cc = M(2);
  EXPECT_EQ(cc.status, MemberStatus::Done);
  EXPECT_TRUE(cc.late);
  EXPECT_EQ(cc.result.content, "Gamma, the straggler.");
  EXPECT_GE(cc.t_end, 30.0);
  EXPECT_FALSE(M(0).late);
  EXPECT_FALSE(M(1).late);
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().final_answer, "Final from A and B.") << "a late answer does not rewrite the result";
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(R().answered(), 3);
  EXPECT_NEAR(R().total_cost(), 0.001 + 0.002 + 0.003 + 0.01, 1e-12);
  EXPECT_EQ(RequestsFor("j/judge").size(), 1u);
}

TEST_F(EngineTest, QuorumDeadlineStartsJudgeWithTheAnswersSoFar) {
  Script("m/alpha", Answer("Alpha answer.", 0.001, 0.05));
  Script("m/beta", Answer("Beta answer.", 0.001, 1.0));
  Script("m/gamma", Answer("Gamma, very late.", 0.001, 20.0));
  ScriptJudge(AnalysisText("Final from A and B.", {"A", "B"}));
  RunConfig c = Config();
  c.quorum = 3;  // all of them, never reached before the deadline
  c.quorum_deadline_s = 5;
  ASSERT_EQ(engine.start(c), "");
  RunFor(4.9);
  EXPECT_EQ(R().stage, RunStage::Panel) << "before the deadline the panel still waits";
  EXPECT_TRUE(RequestsFor("j/judge").empty());
  RunFor(0.3);
  EXPECT_NEAR(R().t_judge_start, 5.0, 0.02);
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(RequestsFor("j/judge").size(), 1u);
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(M(2).status, MemberStatus::Done);
  EXPECT_TRUE(M(2).late);
  EXPECT_EQ(M(2).result.content, "Gamma, very late.");
  EXPECT_FALSE(M(1).late);
}

TEST_F(EngineTest, QuorumDeadlineWithNoAnswerYetWaitsForTheFirstOne) {
  Script("m/alpha", Answer("Alpha answer.", 0.001, 8.0));
  Script("m/beta", Answer("Beta answer.", 0.001, 30.0));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  RunConfig c = Config({"m/alpha", "m/beta"});
  c.quorum_deadline_s = 2;
  ASSERT_EQ(engine.start(c), "");
  RunFor(7.0);
  EXPECT_EQ(R().stage, RunStage::Panel) << "the deadline needs at least one answer";
  RunFor(1.5);
  EXPECT_GE(R().t_judge_start, 8.0);
  EXPECT_LT(R().t_judge_start, 8.2);
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A"}));
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_TRUE(M(1).late);
  EXPECT_EQ(M(1).status, MemberStatus::Done);
}

TEST_F(EngineTest, ConcurrencyCapQueuesMembers) {
  Script("m/alpha", Answer("Alpha answer.", 0.001, 1.0));
  Script("m/beta", Answer("Beta answer.", 0.001, 2.0));
  Script("m/gamma", Answer("Gamma answer.", 0.001, 0.05));
  Script("m/delta", Answer("Delta answer.", 0.001, 0.05));
  ScriptJudge(AnalysisText("Final.", {"A", "B", "C", "D"}));
  RunConfig c = Config({"m/alpha", "m/beta", "m/gamma", "m/delta"});
  c.max_concurrency = 2;
  ASSERT_EQ(engine.start(c), "");
  EXPECT_EQ(t.sent.size(), 2u);
  EXPECT_EQ(M(2).status, MemberStatus::Queued);
  EXPECT_EQ(M(3).status, MemberStatus::Queued);
  EXPECT_TRUE(engine.busy());
  RunFor(1.2);  // A finished at ~1.04: C took its slot
  EXPECT_EQ(RequestsFor("m/gamma").size(), 1u);
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().answered(), 4);
  EXPECT_EQ(t.sent.size(), 5u);
}

// ---- [SECTION] cancel ----------------------------------------------------------------------

// A slow stream: one chunk per second.
Steps Slow(int n, const std::string& word = "w") {
  std::vector<std::string> chunks;
  for (int i = 0; i < n; ++i) chunks.push_back(Chunk(word + std::to_string(i) + " "));
  chunks.push_back(FinishChunk(0.002));
  chunks.push_back(kDone);
  return ScriptedTransport::Sse(chunks, 0.05, 1.0);
}

TEST_F(EngineTest, CancelOneMemberMidStream) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", Slow(10));
  Script("m/gamma", Answer("Gamma answer."));
  ScriptJudge(AnalysisText("Final from A and C.", {"A", "C"}));
  ASSERT_EQ(engine.start(Config()), "");
  RunFor(2.5);
  ASSERT_EQ(M(1).status, MemberStatus::Streaming);
  EXPECT_EQ(M(1).result.content, "w0 w1 w2 ");
  EXPECT_EQ(R().stage, RunStage::Panel) << "the judge waits for B";
  const RequestId breq = M(1).req;
  ASSERT_NE(breq, 0u);

  engine.cancel_member(1);
  EXPECT_TRUE(Contains(t.cancelled, breq)) << "the request is aborted for real";
  EXPECT_EQ(M(1).status, MemberStatus::Cancelled);
  EXPECT_EQ(M(1).result.error.message, "cancelled by you");
  EXPECT_EQ(M(1).result.content, "w0 w1 w2 ") << "what arrived is kept";
  // With B out of the way the judge starts at once.
  EXPECT_EQ(RequestsFor("j/judge").size(), 1u);

  ASSERT_TRUE(RunUntilIdle());
  RunFor(10);
  EXPECT_EQ(M(1).status, MemberStatus::Cancelled);
  EXPECT_EQ(M(1).result.content, "w0 w1 w2 ");
  EXPECT_FALSE(M(1).late);
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(R().final_answer, "Final from A and C.");
  EXPECT_EQ(MessageText(RequestsFor("j/judge").at(0), "user").find("w0 w1"), std::string::npos);
  EXPECT_EQ(RequestsFor("m/beta").size(), 1u) << "a cancelled member is not retried";

  engine.cancel_member(1);  // idempotent
  engine.cancel_member(0);  // a finished member cannot be cancelled
  engine.cancel_member(42);
  EXPECT_EQ(M(0).status, MemberStatus::Done);
}

TEST_F(EngineTest, CancelMemberWaitingForRetry) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", ScriptedTransport::Json(429, ErrorBody(429, "slow"), 0.01, {{"retry-after", "10"}}));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  RunFor(1);
  ASSERT_EQ(M(1).status, MemberStatus::Queued);
  engine.cancel_member(1);
  EXPECT_EQ(M(1).status, MemberStatus::Cancelled);
  ASSERT_TRUE(RunUntilIdle());
  RunFor(15);
  EXPECT_EQ(RequestsFor("m/beta").size(), 1u) << "no retry after a cancel";
  EXPECT_EQ(R().stage, RunStage::Done);
}

TEST_F(EngineTest, CancelRunDuringPanel) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", Slow(10));
  Script("m/gamma", Slow(10, "g"));
  ScriptJudge(AnalysisText("never"));
  ASSERT_EQ(engine.start(Config()), "");
  RunFor(1.5);
  ASSERT_EQ(M(0).status, MemberStatus::Done);
  const RequestId b = M(1).req, g = M(2).req;
  engine.cancel_run();
  const FusionRun& r = R();
  EXPECT_EQ(r.stage, RunStage::Cancelled);
  EXPECT_FALSE(engine.busy());
  EXPECT_TRUE(Contains(t.cancelled, b));
  EXPECT_TRUE(Contains(t.cancelled, g));
  EXPECT_EQ(M(0).status, MemberStatus::Done) << "a finished answer stays";
  EXPECT_EQ(M(1).status, MemberStatus::Cancelled);
  EXPECT_EQ(M(2).status, MemberStatus::Cancelled);
  EXPECT_EQ(M(1).result.error.message, "cancelled by you");
  EXPECT_EQ(M(1).result.content, "w0 w1 ");
  EXPECT_GE(r.t_end, 1.5);
  RunFor(30);
  EXPECT_EQ(R().stage, RunStage::Cancelled);
  EXPECT_TRUE(RequestsFor("j/judge").empty()) << "a cancelled run never reaches the judge";
  EXPECT_EQ(t.sent.size(), 3u);
  EXPECT_EQ(M(1).result.content, "w0 w1 ");
  // A new run can start right away.
  EXPECT_EQ(engine.start(Config({"m/alpha"})), "");
}

TEST_F(EngineTest, CancelRunDuringJudge) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("j/judge", ScriptedTransport::Sse({Chunk(AnalysisText("late", {"A"})), kDone}, 10.0));
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  RunFor(2);
  ASSERT_EQ(R().stage, RunStage::Judge);
  ASSERT_EQ(R().judge_calls.size(), 1u);
  const RequestId jr = R().judge_calls[0].req;
  engine.cancel_run();
  EXPECT_EQ(R().stage, RunStage::Cancelled);
  EXPECT_TRUE(Contains(t.cancelled, jr));
  EXPECT_EQ(R().judge_calls[0].status, MemberStatus::Cancelled);
  EXPECT_FALSE(engine.busy());
  RunFor(15);
  EXPECT_EQ(R().stage, RunStage::Cancelled);
  EXPECT_TRUE(R().final_answer.empty());
  EXPECT_EQ(R().judge_calls.size(), 1u) << "no fallback judge after a cancel";
}

TEST_F(EngineTest, CancelRunWhileMemberWaitsForRetry) {
  Script("m/alpha", ScriptedTransport::Json(429, ErrorBody(429, "slow"), 0.01, {{"retry-after", "5"}}));
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  RunFor(1);
  ASSERT_EQ(M(0).status, MemberStatus::Queued);
  engine.cancel_run();
  EXPECT_EQ(M(0).status, MemberStatus::Cancelled);
  EXPECT_FALSE(engine.busy());
  RunFor(10);
  EXPECT_EQ(t.sent.size(), 1u);
}

// ---- [SECTION] timeouts --------------------------------------------------------------------

TEST_F(EngineTest, IdleTimeoutOnHangingStream) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", Hanging({Chunk("partial ")}));
  Script("m/gamma", Answer("Gamma answer."));
  ScriptJudge(AnalysisText("Final.", {"A", "C"}));
  RunConfig c = Config();
  c.idle_timeout_s = 5;
  ASSERT_EQ(engine.start(c), "");
  RunFor(4.9);
  EXPECT_EQ(M(1).status, MemberStatus::Streaming);
  const RequestId breq = M(1).req;
  ASSERT_TRUE(RunUntilIdle(60));
  const Call& b = M(1);
  EXPECT_EQ(b.status, MemberStatus::TimedOut);
  EXPECT_EQ(b.result.error.id, "net.idle_timeout");
  EXPECT_NE(b.result.error.message.find("idle timeout"), std::string::npos) << b.result.error.message;
  EXPECT_NEAR(b.t_end, 5.05, 0.05) << "5 s after the last byte";
  EXPECT_TRUE(Contains(t.cancelled, breq)) << "the hanging request is aborted";
  EXPECT_EQ(RequestsFor("m/beta").size(), 1u);
  EXPECT_EQ(b.result.content, "partial ");
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A", "C"}));
  EXPECT_EQ(R().final_answer, "Final.");
}

TEST_F(EngineTest, IdleTimeoutWithoutAnyHeaders) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", {});  // the request goes out and nothing ever comes back
  ScriptJudge(AnalysisText("Final.", {"A"}));
  RunConfig c = Config({"m/alpha", "m/beta"});
  c.idle_timeout_s = 5;
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle(60));
  EXPECT_EQ(M(1).status, MemberStatus::TimedOut);
  EXPECT_NEAR(M(1).t_end, 5.0, 0.05);
  EXPECT_EQ(R().stage, RunStage::Done);
}

TEST_F(EngineTest, KeepAliveCommentsAndChunksReArmTheIdleTimer) {
  // A comment every 3 s for 15 s, then the answer: never 5 s of silence.
  std::vector<std::string> chunks;
  for (int i = 0; i < 5; ++i) chunks.push_back(": OPENROUTER PROCESSING\n\n");
  chunks.push_back(Chunk("Patient answer."));
  chunks.push_back(FinishChunk(0.001));
  chunks.push_back(kDone);
  Script("m/alpha", ScriptedTransport::Sse(chunks, 0.05, 3.0));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  RunConfig c = Config({"m/alpha"});
  c.idle_timeout_s = 5;
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle(60));
  EXPECT_EQ(M(0).status, MemberStatus::Done);
  EXPECT_EQ(M(0).result.content, "Patient answer.");
  EXPECT_GT(M(0).t_end, 15.0);
  EXPECT_GT(M(0).ttft(), 15.0) << "comments are not tokens";
  EXPECT_EQ(R().stage, RunStage::Done);
}

TEST_F(EngineTest, TotalTimeoutStopsAStreamThatNeverEnds) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", Slow(60));  // a chunk a second for a minute
  ScriptJudge(AnalysisText("Final.", {"A"}));
  RunConfig c = Config({"m/alpha", "m/beta"});
  c.idle_timeout_s = 5;
  c.total_timeout_s = 10;
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle(100));
  EXPECT_EQ(M(1).status, MemberStatus::TimedOut);
  EXPECT_EQ(M(1).result.error.id, "net.timeout");
  EXPECT_NEAR(M(1).t_end, 10.0, 0.05);
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A"}));
}

TEST_F(EngineTest, JudgeIdleTimeoutFallsBackToBestMember) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("j/judge", Hanging({Chunk("{\"consensus\": [")}));
  RunConfig c = Config({"m/alpha"});
  c.idle_timeout_s = 5;
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle(60));
  EXPECT_EQ(R().stage, RunStage::Done);
  ASSERT_EQ(R().judge_calls.size(), 1u);
  EXPECT_EQ(R().judge_calls[0].status, MemberStatus::TimedOut);
  EXPECT_EQ(R().final_answer, "Alpha answer.");
  EXPECT_NE(R().final_note.find("No synthesis"), std::string::npos);
}

// ---- [SECTION] SSE details -----------------------------------------------------------------

TEST_F(EngineTest, MidStreamErrorEventFailsTheMemberAndKeepsPartialText) {
  Script("m/alpha", Answer("Alpha answer."));
  std::string err = "data: " + Dump(json{{"id", "gen-test"},
                                         {"object", "chat.completion.chunk"},
                                         {"error", {{"code", 502}, {"message", "Provider returned error"},
                                                    {"metadata", {{"provider_name", "Example"}}}}},
                                         {"choices", json::array({{{"index", 0}, {"delta", {{"content", ""}}},
                                                                   {"finish_reason", "error"}}})}}) + "\n\n";
  Script("m/beta", ScriptedTransport::Sse({Chunk("Beta started "), err, Chunk("ignored after the error"), kDone}));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  ASSERT_TRUE(RunUntilIdle());
  const Call& b = M(1);
  EXPECT_EQ(b.status, MemberStatus::Failed);
  EXPECT_EQ(b.result.error.id, "sse.midstream");
  EXPECT_NE(b.result.error.message.find("mid-stream error"), std::string::npos) << b.result.error.message;
  EXPECT_NE(b.result.error.message.find("Provider returned error"), std::string::npos) << b.result.error.message;
  EXPECT_EQ(b.result.content, "Beta started ") << "text after the error is noise";
  EXPECT_EQ(RequestsFor("m/beta").size(), 1u) << "text had arrived: no silent retry";
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A"}));
}

TEST_F(EngineTest, MidStreamErrorBeforeAnyTextStillFailsClearly) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", ScriptedTransport::Sse({": OPENROUTER PROCESSING\n\n",
                                           "data: {\"error\":{\"code\":\"server_error\",\"message\":\"Upstream overloaded\"}}\n\n"}));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(1).status, MemberStatus::Failed);
  EXPECT_EQ(M(1).result.error.id, "sse.midstream");
  EXPECT_NE(M(1).result.error.message.find("Upstream overloaded"), std::string::npos);
  EXPECT_EQ(R().stage, RunStage::Done);
}

// A stream whose connection breaks after `chunks` (the browser's fetch reader rejects).
Steps LostAfter(const std::vector<std::string>& chunks, const std::string& why = "network error") {
  Steps st = ScriptedTransport::Sse(chunks);
  st.back().kind = TransportEvent::Kind::Fail;
  st.back().failure = NetFailure::Lost;
  st.back().message = why;
  return st;
}

TEST_F(EngineTest, MidStreamRateLimitBeforeAnyTextIsRetried) {
  Script("m/alpha", Answer("Alpha answer."));
  // OpenRouter sends a 429 inside a 200 stream; Anthropic an "overloaded_error" event.
  Script("m/beta", ScriptedTransport::Sse({": OPENROUTER PROCESSING\n\n",
                                           "data: {\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\"},\"choices\":[{\"index\":0,"
                                           "\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}\n\n"}), 1);
  Script("m/beta", Answer("Beta answer."));
  ScriptJudge(AnalysisText("Final.", {"A", "B"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(1).status, MemberStatus::Done);
  EXPECT_EQ(M(1).result.content, "Beta answer.");
  EXPECT_EQ(RequestsFor("m/beta").size(), 2u);
  ASSERT_EQ(M(1).retried_errors.size(), 1u);
  EXPECT_EQ(M(1).retried_errors[0].id, "sse.midstream");
}

TEST_F(EngineTest, ConnectionLostMidAnswerKeepsTheTextMarkedCutShort) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", LostAfter({Chunk("Beta had said this much"), Chunk(" and then")}, "net::ERR_INCOMPLETE_CHUNKED_ENCODING"));
  ScriptJudge(AnalysisText("Final.", {"A", "B"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  ASSERT_TRUE(RunUntilIdle());
  const Call& b = M(1);
  EXPECT_EQ(b.status, MemberStatus::Done) << b.result.error.message;
  EXPECT_EQ(b.result.content, "Beta had said this much and then") << "nothing that arrived is lost";
  const std::string why = IncompleteReason(b.result);
  EXPECT_NE(why.find("connection was lost"), std::string::npos) << why;
  EXPECT_NE(why.find("ERR_INCOMPLETE_CHUNKED_ENCODING"), std::string::npos) << why;
  EXPECT_EQ(why.find("CORS"), std::string::npos) << "a stream that began was not blocked";
  EXPECT_EQ(RequestsFor("m/beta").size(), 1u) << "text had arrived: no silent retry";
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A", "B"}));
  const std::string ju = MessageText(RequestsFor("j/judge").at(0), "user");
  EXPECT_NE(ju.find("this response is incomplete: the connection was lost"), std::string::npos) << "the judge is told";
}

TEST_F(EngineTest, ConnectionLostBeforeAnyTextIsRetried) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", LostAfter({": OPENROUTER PROCESSING\n\n"}), 1);
  Script("m/beta", Answer("Beta answer."));
  ScriptJudge(AnalysisText("Final.", {"A", "B"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(1).status, MemberStatus::Done);
  EXPECT_EQ(M(1).result.content, "Beta answer.");
  ASSERT_EQ(M(1).retried_errors.size(), 1u);
  EXPECT_EQ(M(1).retried_errors[0].id, "net.lost");
  EXPECT_TRUE(IncompleteReason(M(1).result).empty());
}

TEST_F(EngineTest, SseCommentsAreIgnored) {
  Script("m/alpha", ScriptedTransport::Sse({": OPENROUTER PROCESSING\n\n", ": OPENROUTER PROCESSING\n\n",
                                            Chunk("Hello"), ": OPENROUTER PROCESSING\n\n", Chunk(" world"),
                                            FinishChunk(0.001), ": trailing comment\n\n", kDone}));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(0).status, MemberStatus::Done);
  EXPECT_EQ(M(0).result.content, "Hello world");
  EXPECT_TRUE(M(0).result.error.empty());
  EXPECT_EQ(MessageText(RequestsFor("j/judge").at(0), "user").find("OPENROUTER"), std::string::npos);
}

TEST_F(EngineTest, Utf8SplitAcrossChunksIsPreserved) {
  const std::string answer = "Grüße aus Köln — 東京は日本の首都です 🎉🇫🇷 naïve café";
  // The whole SSE body cut into 1..3 byte pieces: every multi-byte character is split somewhere.
  std::string body = Chunk(Pieces(answer, 4)[0]);
  for (size_t i = 1; i < Pieces(answer, 4).size(); ++i) body += Chunk(Pieces(answer, 4)[i]);
  body += FinishChunk(0.001) + kDone;
  std::vector<std::string> bytes;
  for (size_t i = 0, n = 1; i < body.size(); i += n, n = n % 3 + 1) bytes.push_back(body.substr(i, n));
  Script("m/alpha", ScriptedTransport::Sse(bytes, 0.05, 0.001));

  const std::string final_answer = "Résumé: 東京 🎉";
  std::string jbody = Chunk(AnalysisText(final_answer, {"A"})) + kDone;
  std::vector<std::string> jbytes;
  for (size_t i = 0; i < jbody.size(); i += 2) jbytes.push_back(jbody.substr(i, 2));
  Script("j/judge", ScriptedTransport::Sse(jbytes, 0.05, 0.001));

  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(0).status, MemberStatus::Done);
  EXPECT_EQ(M(0).result.content, answer);
  EXPECT_EQ(R().final_answer, final_answer);
  EXPECT_NE(MessageText(RequestsFor("j/judge").at(0), "user").find(answer), std::string::npos)
      << "the judge sees the exact text";
}

TEST_F(EngineTest, NonStreamedJsonReplyIsAcceptedAsAnAnswer) {
  // Some OpenAI-compatible servers ignore "stream": true and send one JSON body.
  json body = {{"id", "cmpl-1"}, {"model", "m/alpha"},
               {"choices", json::array({{{"index", 0}, {"message", {{"role", "assistant"}, {"content", "Whole body answer."}}},
                                         {"finish_reason", "stop"}}})},
               {"usage", {{"prompt_tokens", 5}, {"completion_tokens", 6}, {"cost", 0.0007}}}};
  Script("m/alpha", ScriptedTransport::Json(200, Dump(body)));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(0).status, MemberStatus::Done);
  EXPECT_EQ(M(0).result.content, "Whole body answer.");
  EXPECT_NEAR(M(0).cost, 0.0007, 1e-12);
}

TEST_F(EngineTest, RetryAfterIsCappedAtOneMinute) {
  Script("m/alpha", ScriptedTransport::Json(429, ErrorBody(429, "slow"), 0.01, {{"retry-after", "3600"}}), 1);
  Script("m/alpha", Answer("Alpha answer."));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  RunFor(59.9, 0.1);
  EXPECT_EQ(RequestsFor("m/alpha").size(), 1u);
  RunFor(0.5, 0.1);
  EXPECT_EQ(RequestsFor("m/alpha").size(), 2u);
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(R().stage, RunStage::Done);
}

TEST_F(EngineTest, StreamClosedWithoutDoneKeepsTheText) {
  Script("m/alpha", ScriptedTransport::Sse({Chunk("Cut short but "), Chunk("still useful.")}));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha"})), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(0).status, MemberStatus::Done);
  EXPECT_EQ(M(0).result.content, "Cut short but still useful.");
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A"}));
}

TEST_F(EngineTest, StreamClosedWithNothingFailsWithReason) {
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", ScriptedTransport::Sse({": OPENROUTER PROCESSING\n\n"}));
  ScriptJudge(AnalysisText("Final.", {"A"}));
  ASSERT_EQ(engine.start(Config({"m/alpha", "m/beta"})), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(1).status, MemberStatus::Failed);
  EXPECT_EQ(M(1).result.error.id, "sse.truncated");
  EXPECT_NE(M(1).result.error.message.find("ended before any answer"), std::string::npos);
  EXPECT_EQ(R().stage, RunStage::Done);
}

TEST_F(EngineTest, AnthropicMemberNextToOpenRouterMembers) {
  Endpoint a;
  a.id = "anthropic";
  a.kind = ProviderKind::Anthropic;
  a.base_url = "https://api.anthropic.test/v1";
  a.api_key = "sk-ant-test-key";
  engine.set_endpoints({TestEndpoint(), a});
  std::vector<std::string> events = {
      "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-x\","
      "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}\n\n",
      "event: ping\ndata: {\"type\":\"ping\"}\n\n",
      "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Bonjour, \"}}\n\n",
      "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Paris.\"}}\n\n",
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
      "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":7}}\n\n",
      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"};
  ScriptedTransport::Rule r;
  r.url_contains = "api.anthropic.test/v1/messages";
  r.steps = ScriptedTransport::Sse(events);
  t.add(r);
  Script("m/alpha", Answer("Alpha answer."));
  ScriptJudge(AnalysisText("Final.", {"A", "B"}));
  RunConfig c = Config({"m/alpha"});
  c.panel.push_back({"anthropic", "claude-x", -1});
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(M(1).status, MemberStatus::Done);
  EXPECT_EQ(M(1).result.content, "Bonjour, Paris.");
  EXPECT_EQ(M(1).result.finish_reason, "stop");
  EXPECT_EQ(M(1).result.usage.completion_tokens, 7);
  auto ar = RequestsFor("claude-x");
  ASSERT_EQ(ar.size(), 1u);
  EXPECT_EQ(ar[0].url, "https://api.anthropic.test/v1/messages");
  EXPECT_EQ(HeaderOf(ar[0], "x-api-key"), "sk-ant-test-key");
  EXPECT_EQ(HeaderOf(ar[0], "Authorization"), "") << "the OpenRouter key never goes to another provider";
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"A", "B"}));
  EXPECT_NE(MessageText(RequestsFor("j/judge").at(0), "user").find("=== Response B ===\nBonjour, Paris."), std::string::npos);
}

TEST_F(EngineTest, SharedSearchSourcesReachMembersAndJudge) {
  ScriptedTransport::Rule s;
  s.url_contains = "search.test";
  s.steps = ScriptedTransport::Json(200, Dump(json{{"data", json::array({
      {{"url", "https://en.wikipedia.org/wiki/Paris"}, {"title", "Paris"}, {"description", "Capital of France."}},
      {{"title", "no url, skipped"}},
      {{"url", "https://example.org/fr"}, {"title", "France"}, {"content", "France is a country."}}})}}));
  t.add(s);
  Script("m/alpha", Answer("Paris [1]."));
  ScriptJudge(AnalysisText("Paris [1].", {"A"}));
  RunConfig c = Config({"m/alpha"});
  c.search = WebSearchMode::SharedSearch;
  c.search_url = "https://search.test/";
  c.search_key = "jina_secret_key";
  ASSERT_EQ(engine.start(c), "");
  EXPECT_EQ(R().stage, RunStage::Search);
  ASSERT_EQ(t.sent.size(), 1u) << "the panel waits for the search";
  EXPECT_EQ(t.sent[0].method, "GET");
  EXPECT_EQ(t.sent[0].url, "https://search.test/?q=What%20is%20the%20capital%20of%20France%3F");
  EXPECT_EQ(HeaderOf(t.sent[0], "Authorization"), "Bearer jina_secret_key");
  ASSERT_TRUE(RunUntilIdle());
  ASSERT_EQ(R().sources.size(), 2u);
  EXPECT_EQ(R().sources[0].n, 1);
  EXPECT_EQ(R().sources[1].n, 2);
  EXPECT_EQ(R().sources[1].snippet, "France is a country.");
  EXPECT_TRUE(R().search_error.empty());
  EXPECT_NE(MessageText(RequestsFor("m/alpha").at(0), "system").find("[1] Paris - https://en.wikipedia.org/wiki/Paris"),
            std::string::npos);
  EXPECT_NE(MessageText(RequestsFor("j/judge").at(0), "user").find("https://example.org/fr"), std::string::npos);
  EXPECT_EQ(R().stage, RunStage::Done);
}

TEST_F(EngineTest, SharedSearchFailureDegradesToNoSources) {
  ScriptedTransport::Rule s;
  s.url_contains = "search.test";
  s.steps = ScriptedTransport::Json(401, ErrorBody(401, "bad jina key"));
  t.add(s);
  Script("m/alpha", Answer("Paris."));
  ScriptJudge(AnalysisText("Paris.", {"A"}));
  RunConfig c = Config({"m/alpha"});
  c.search = WebSearchMode::SharedSearch;
  c.search_url = "https://search.test/?lang=en";
  ASSERT_EQ(engine.start(c), "");
  EXPECT_EQ(t.sent[0].url.find("https://search.test/?lang=en&q="), 0u);
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_TRUE(R().sources.empty());
  EXPECT_NE(R().search_error.find("web search failed"), std::string::npos) << R().search_error;
  EXPECT_NE(R().search_error.find("bad jina key"), std::string::npos) << R().search_error;
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().final_answer, "Paris.");
}

TEST_F(EngineTest, CancelRunDuringSearch) {
  ScriptedTransport::Rule s;
  s.url_contains = "search.test";
  s.steps = ScriptedTransport::Json(200, "{\"data\":[]}", 10.0);
  t.add(s);
  RunConfig c = Config({"m/alpha"});
  c.search = WebSearchMode::SharedSearch;
  c.search_url = "https://search.test/";
  ASSERT_EQ(engine.start(c), "");
  RunFor(1);
  engine.cancel_run();
  EXPECT_EQ(R().stage, RunStage::Cancelled);
  EXPECT_FALSE(engine.busy());
  EXPECT_TRUE(Contains(t.cancelled, 1u));
  RunFor(15);
  EXPECT_EQ(t.sent.size(), 1u) << "no panel after a cancelled search";
  EXPECT_EQ(R().stage, RunStage::Cancelled);
}

TEST_F(EngineTest, CancellingOneMemberDuringSearchDoesNotStartTheOthersWithoutSources) {
  ScriptedTransport::Rule s;
  s.url_contains = "search.test";
  s.steps = ScriptedTransport::Json(200, Dump(json{{"data", json::array({
      {{"url", "https://en.wikipedia.org/wiki/Paris"}, {"title", "Paris"}, {"description", "Capital of France."}}})}}), 2.0);
  t.add(s);
  Script("m/alpha", Answer("Alpha answer."));
  Script("m/beta", Answer("Beta answer [1]."));
  ScriptJudge(AnalysisText("Final.", {"B"}));
  RunConfig c = Config({"m/alpha", "m/beta"});
  c.search = WebSearchMode::SharedSearch;
  c.search_url = "https://search.test/";
  ASSERT_EQ(engine.start(c), "");
  RunFor(1);
  engine.cancel_member(0);
  EXPECT_EQ(M(0).status, MemberStatus::Cancelled);
  EXPECT_EQ(R().stage, RunStage::Search);
  EXPECT_TRUE(RequestsFor("m/beta").empty()) << "the panel waits for the search to finish";
  ASSERT_TRUE(RunUntilIdle());
  auto br = RequestsFor("m/beta");
  ASSERT_EQ(br.size(), 1u);
  EXPECT_NE(MessageText(br[0], "system").find("https://en.wikipedia.org/wiki/Paris"), std::string::npos)
      << "B was sent with the web sources";
  EXPECT_TRUE(RequestsFor("m/alpha").empty());
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().judged_labels, (std::vector<std::string>{"B"}));
}

TEST_F(EngineTest, CancellingEveryMemberDuringSearchFailsTheRunCleanly) {
  ScriptedTransport::Rule s;
  s.url_contains = "search.test";
  s.steps = ScriptedTransport::Json(200, "{\"data\":[]}", 2.0);
  t.add(s);
  RunConfig c = Config({"m/alpha"});
  c.search = WebSearchMode::SharedSearch;
  c.search_url = "https://search.test/";
  ASSERT_EQ(engine.start(c), "");
  RunFor(1);
  engine.cancel_member(0);
  ASSERT_TRUE(RunUntilIdle(30));
  EXPECT_EQ(R().stage, RunStage::Failed);
  EXPECT_NE(R().error.find("cancelled by you"), std::string::npos) << R().error;
  EXPECT_EQ(t.sent.size(), 1u);
}

TEST_F(EngineTest, HangingSearchTimesOutAndThePanelAnswersWithoutSources) {
  // The engine enforces timeouts itself, whatever the transport does: a search that never
  // answers must not hold the run in the search stage forever.
  ScriptedTransport::Rule s;
  s.url_contains = "search.test";
  t.add(s);  // no steps: nothing ever comes back
  Script("m/alpha", Answer("Paris."));
  ScriptJudge(AnalysisText("Paris.", {"A"}));
  RunConfig c = Config({"m/alpha"});
  c.search = WebSearchMode::SharedSearch;
  c.search_url = "https://search.test/";
  ASSERT_EQ(engine.start(c), "");
  RunFor(19.5);
  EXPECT_EQ(R().stage, RunStage::Search);
  ASSERT_TRUE(RunUntilIdle(60));
  EXPECT_TRUE(Contains(t.cancelled, 1u)) << "the hanging search is aborted";
  EXPECT_NE(R().search_error.find("web search failed"), std::string::npos) << R().search_error;
  EXPECT_NE(R().search_error.find("timed out"), std::string::npos) << R().search_error;
  EXPECT_GE(R().t_panel_start, 20.0);
  EXPECT_LT(R().t_panel_start, 20.1);
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().final_answer, "Paris.");
}

// The scripted demo is told what each call is, so it never reads a role from prompt wording;
// a real endpoint is never sent the field.
TEST_F(EngineTest, ADemoEndpointIsToldEachCallsRoleAndARealOneNever) {
  Endpoint demo_ep = TestEndpoint();
  demo_ep.is_demo = true;
  FusionEngine demo{t, {demo_ep}};
  ScriptHappyPanel();
  ScriptJudge(AnalysisText("Paris."));  // the analysis, and (same model) the writer's answer
  RunConfig c = Config();
  c.two_phase_judge = true;
  ASSERT_EQ(demo.start(c), "");
  for (int k = 0; k < 20000 && demo.busy(); ++k) { t.set_time(std::round((t.now() + 0.01) * 1000) / 1000); demo.pump(); }
  ASSERT_EQ(demo.run().stage, RunStage::Done);
  std::vector<std::string> roles;
  for (auto& q : t.sent) {
    const json body = ParseJson(q.body);
    const json& call = GetObj(GetObj(body, "concord_demo"), "call");
    roles.push_back(GetStr(call, "role") + (GetBool(call, "two_phase") ? "/2" : ""));
  }
  std::sort(roles.begin(), roles.end());
  EXPECT_EQ(roles, (std::vector<std::string>{"judge/2", "member", "member", "member", "writer"}));
  // The same run on a real endpoint: no concord_demo anywhere.
  const size_t before = t.sent.size();
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  ASSERT_GT(t.sent.size(), before);
  for (size_t i = before; i < t.sent.size(); ++i) EXPECT_EQ(t.sent[i].body.find("concord_demo"), std::string::npos);
  // Every call carries its role as the request's tag, on any endpoint (never on the wire).
  std::vector<std::string> tags;
  for (size_t i = before; i < t.sent.size(); ++i) tags.push_back(t.sent[i].tag);
  std::sort(tags.begin(), tags.end());
  EXPECT_EQ(tags, (std::vector<std::string>{"judge", "member", "member", "member", "writer"}));
}

}  // namespace
}  // namespace concord
