// Tests for run export/import: the versioned JSON round trip (a run made by the engine and a
// hand-built one with every part filled), clear "[import.*]" errors that leave the target
// untouched, no API key ever in an export, and the Markdown export.
//
// Index of this file:
// [SECTION] round trip
// [SECTION] import errors
// [SECTION] secrets
// [SECTION] Markdown
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "jsonutil.h"
#include "run.h"
#include "synthesis.h"
#include "transport.h"

namespace concord {
namespace {

using Steps = std::vector<ScriptedTransport::Step>;

const char* kOrKey = "sk-or-v1-EXPORT-TEST-SECRET-4f3e2d1c";
const char* kAntKey = "sk-ant-api03-EXPORT-TEST-SECRET";
const char* kSearchKey = "jina_EXPORT_TEST_SECRET";

std::string Chunk(const json& delta) {
  json j = {{"id", "gen-x"}, {"object", "chat.completion.chunk"},
            {"choices", json::array({{{"index", 0}, {"delta", delta}, {"finish_reason", nullptr}}})}};
  return "data: " + Dump(j) + "\n\n";
}
std::string Finish(double cost) {
  json j = {{"id", "gen-x"},
            {"choices", json::array({{{"index", 0}, {"delta", {{"content", ""}}}, {"finish_reason", "stop"}}})},
            {"usage", {{"prompt_tokens", 100}, {"completion_tokens", 50}, {"cost", cost},
                       {"completion_tokens_details", {{"reasoning_tokens", 7}}}}}};
  return "data: " + Dump(j) + "\n\n";
}
Steps Answer(const std::string& text, double cost, const std::string& reasoning = "") {
  std::vector<std::string> c;
  if (!reasoning.empty()) c.push_back(Chunk({{"reasoning", reasoning}}));
  c.push_back(Chunk({{"content", text}}));
  c.push_back(Finish(cost));
  c.push_back("data: [DONE]\n\n");
  return ScriptedTransport::Sse(c);
}

const char* kAnalysis = R"({
  "consensus": [{"claim": "Paris is the capital", "models": ["A", "C"], "confidence": 0.97}],
  "contradictions": [{"topic": "Population", "stances": [{"model": "A", "stance": "2.1 million"}, {"model": "C", "stance": "12 million"}],
                      "assessment": "Both: city vs metro."}],
  "partial_coverage": [{"point": "The Seine", "models": ["C"]}],
  "unique_insights": [{"model": "A", "insight": "Capital since 987", "assessment": "Roughly right."}],
  "blind_spots": ["Administrative regions"],
  "final_answer": "**Paris** is the capital of France [1]."
})";

// A finished run made by the engine: A answers (with reasoning), B fails with 401, C is rate
// limited once and then answers; shared search supplies sources; the judge synthesises.
FusionRun EngineRun(std::vector<HttpRequest>* sent = nullptr, const char* analysis = kAnalysis) {
  ScriptedTransport t;
  Endpoint orr;
  orr.id = "openrouter";
  orr.kind = ProviderKind::OpenRouter;
  orr.base_url = "https://openrouter.test/api/v1";
  orr.api_key = kOrKey;
  Endpoint ant;
  ant.id = "anthropic";
  ant.kind = ProviderKind::Anthropic;
  ant.base_url = "https://api.anthropic.test/v1";
  ant.api_key = kAntKey;
  FusionEngine engine(t, {orr, ant});

  ScriptedTransport::Rule search;
  search.url_contains = "search.test";
  search.steps = ScriptedTransport::Json(200, Dump(json{{"data", json::array({{{"url", "https://en.wikipedia.org/wiki/Paris"},
                                                                              {"title", "Paris"},
                                                                              {"description", "Capital of France."}}})}}));
  t.add(search);
  auto rule = [&](const std::string& model, Steps steps, int uses = -1) {
    ScriptedTransport::Rule r;
    r.body_contains = "\"model\":\"" + model + "\"";
    r.steps = std::move(steps);
    r.uses_left = uses;
    t.add(r);
  };
  rule("m/alpha", Answer("Paris, capital since 987; about 2.1 million people.", 0.0012, "Let me think."));
  rule("claude-x", ScriptedTransport::Json(401, R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}})"));
  rule("m/gamma", ScriptedTransport::Json(429, R"({"error":{"code":429,"message":"Rate limit exceeded"}})", 0.01, {{"retry-after", "2"}}), 1);
  rule("m/gamma", Answer("Paris, on the Seine; the metro area has 12 million.", 0.0021));
  rule("j/judge", Answer(analysis, 0.0105));

  RunConfig c;
  c.prompt = "What is the capital of France?";
  c.panel = {{"openrouter", "m/alpha", -1}, {"anthropic", "claude-x", 0.5}, {"openrouter", "m/gamma", 0.9}};
  c.judges = {{"openrouter", "j/judge", -1}};
  c.search = WebSearchMode::SharedSearch;
  c.search_url = "https://search.test/";
  c.search_key = kSearchKey;
  EXPECT_EQ(engine.start(c, {{"user", "Hi"}, {"assistant", "Hello! Ask me anything."}}), "");
  for (int i = 0; i < 10000 && engine.busy(); ++i) {
    t.advance(0.01);
    engine.pump();
  }
  EXPECT_FALSE(engine.busy());
  if (sent) *sent = t.sent;
  FusionRun r = engine.run();
  r.id = "run-20250101-120000";
  r.created_unix = 1735732800;
  return r;
}

Call MakeCall(const std::string& label, const std::string& model, MemberStatus st, const std::string& content) {
  Call c;
  c.model = {"openrouter", model, 0.3};
  c.label = label;
  c.status = st;
  c.attempt = 1;
  c.t_queued = 0.5;
  c.t_start = 1.0;
  c.t_first_token = 1.5;
  c.t_end = 4.25;
  c.result.content = content;
  c.result.reasoning = "thinking about " + label;
  c.result.citations = {{"https://example.org/" + label, "Title " + label, "quoted", 3, 9}};
  c.result.usage.prompt_tokens = 11;
  c.result.usage.completion_tokens = 22;
  c.result.usage.reasoning_tokens = 3;
  c.result.usage.cached_tokens = 4;
  c.result.usage.web_search_requests = 1;
  c.result.usage.cost = 0.125;
  c.result.usage.has_cost = true;
  c.result.finish_reason = "stop";
  c.result.generation_id = "gen-" + label;
  c.retried_errors = {{"http.429", 429, "429", "rate_limit_exceeded", "HTTP 429 (rate limited)", 2, true}};
  c.cost = 0.125;
  return c;
}

// A run with every exported part filled by hand.
FusionRun HandRun() {
  FusionRun r;
  r.id = "hand-1";
  r.created_unix = 1700000000.5;
  r.config.prompt = "Compare the answers — naïve café 東京 🎉";
  r.config.panel = {{"openrouter", "m/a", 0.3}, {"openrouter", "m/b", 0.3}, {"openrouter", "m/c", 0.3}, {"openrouter", "m/d", 0.3}};
  r.config.judges = {{"openrouter", "j/one", -1}, {"openrouter", "j/two", 0}};
  r.config.search = WebSearchMode::OpenRouterPlugin;
  r.config.search_url = "https://s.jina.ai/";
  r.config.quorum = 2;
  r.config.quorum_deadline_s = 30;
  r.config.two_phase_judge = true;
  r.config.structured_output = false;
  r.config.max_tokens = 1234;
  r.config.moa_layers = 1;
  r.config.peer_ranking = true;
  r.history = {{"user", "first question"}, {"assistant", "first answer"}};
  r.stage = RunStage::Done;
  r.sources = {{1, "https://a.example", "A source", "snippet a"}, {2, "https://b.example", "B source", ""}};
  r.search_error = "";
  r.members = {MakeCall("A", "m/a", MemberStatus::Done, "Answer A 東京"), MakeCall("B", "m/b", MemberStatus::Failed, ""),
               MakeCall("C", "m/c", MemberStatus::TimedOut, "partial C"), MakeCall("D", "m/d", MemberStatus::Done, "Answer D, late")};
  r.members[1].result.error = {"http.401", 401, "401", "", "HTTP 401 (invalid API key): No auth credentials found", -1, false};
  r.members[2].result.error = {"net.idle_timeout", 0, "", "", "no data for too long (idle timeout)", -1, false};
  r.members[3].late = true;
  r.members[0].result.model = "anthropic/claude-sonnet-4.5";  // asked m/a, routed elsewhere
  r.members[3].result.lost = "network error";
  r.members[0].result.usage.byok_upstream = 0.0001;
  r.judge_calls = {MakeCall("judge", "j/one", MemberStatus::Failed, "not json"), MakeCall("fallback judge 1", "j/two", MemberStatus::Done, kAnalysis)};
  r.judge_calls[0].result.error = {"judge.parse.no_json", 0, "", "", "the judge's output could not be read", -1, false};
  r.final_call = MakeCall("final answer", "j/two", MemberStatus::Done, "The final, streamed.");
  r.layers = {{MakeCall("A", "m/a", MemberStatus::Done, "Refined A")}};
  r.ranking_calls = {MakeCall("A", "m/a", MemberStatus::Done, "FINAL RANKING:\n1. Response A")};
  r.rankings = {{"A", {"A"}, ""}};
  r.judged_labels = {"A", "C"};
  r.judge_raw = kAnalysis;
  r.judge_parse = ExtractAnalysis(kAnalysis);
  r.has_analysis = true;
  r.final_answer = "The final, streamed.";
  r.final_note = "a note";
  r.warning = "a warning";
  r.error = "";
  r.t_panel_start = 0.25;
  r.t_judge_start = 5.5;
  r.t_end = 9.75;
  return r;
}

void ExpectSameCall(const Call& a, const Call& b, const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(a.model.endpoint, b.model.endpoint);
  EXPECT_EQ(a.model.model, b.model.model);
  EXPECT_DOUBLE_EQ(a.model.temperature, b.model.temperature);
  EXPECT_EQ(a.label, b.label);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.attempt, b.attempt);
  EXPECT_DOUBLE_EQ(a.t_queued, b.t_queued);
  EXPECT_DOUBLE_EQ(a.t_start, b.t_start);
  EXPECT_DOUBLE_EQ(a.t_first_token, b.t_first_token);
  EXPECT_DOUBLE_EQ(a.t_end, b.t_end);
  EXPECT_EQ(a.result.content, b.result.content);
  EXPECT_EQ(a.result.reasoning, b.result.reasoning);
  ASSERT_EQ(a.result.citations.size(), b.result.citations.size());
  for (size_t i = 0; i < a.result.citations.size(); ++i) {
    EXPECT_EQ(a.result.citations[i].url, b.result.citations[i].url);
    EXPECT_EQ(a.result.citations[i].title, b.result.citations[i].title);
    EXPECT_EQ(a.result.citations[i].content, b.result.citations[i].content);
    EXPECT_EQ(a.result.citations[i].start_index, b.result.citations[i].start_index);
    EXPECT_EQ(a.result.citations[i].end_index, b.result.citations[i].end_index);
  }
  EXPECT_EQ(a.result.usage.prompt_tokens, b.result.usage.prompt_tokens);
  EXPECT_EQ(a.result.usage.completion_tokens, b.result.usage.completion_tokens);
  EXPECT_EQ(a.result.usage.reasoning_tokens, b.result.usage.reasoning_tokens);
  EXPECT_EQ(a.result.usage.cached_tokens, b.result.usage.cached_tokens);
  EXPECT_EQ(a.result.usage.web_search_requests, b.result.usage.web_search_requests);
  EXPECT_DOUBLE_EQ(a.result.usage.cost, b.result.usage.cost);
  EXPECT_EQ(a.result.usage.has_cost, b.result.usage.has_cost);
  EXPECT_DOUBLE_EQ(a.result.usage.byok_upstream, b.result.usage.byok_upstream);
  EXPECT_EQ(a.result.finish_reason, b.result.finish_reason);
  EXPECT_EQ(a.result.unterminated, b.result.unterminated);
  EXPECT_EQ(a.result.lost, b.result.lost);
  EXPECT_EQ(a.result.model, b.result.model);
  EXPECT_EQ(a.result.generation_id, b.result.generation_id);
  EXPECT_EQ(a.result.error.id, b.result.error.id);
  EXPECT_EQ(a.result.error.http_status, b.result.error.http_status);
  EXPECT_EQ(a.result.error.message, b.result.error.message);
  EXPECT_EQ(a.result.error.code, b.result.error.code);
  EXPECT_EQ(a.result.error.error_type, b.result.error.error_type);
  EXPECT_DOUBLE_EQ(a.result.error.retry_after_s, b.result.error.retry_after_s);
  EXPECT_EQ(a.result.error.retryable, b.result.error.retryable);
  ASSERT_EQ(a.retried_errors.size(), b.retried_errors.size());
  for (size_t i = 0; i < a.retried_errors.size(); ++i) {
    EXPECT_EQ(a.retried_errors[i].id, b.retried_errors[i].id);
    EXPECT_EQ(a.retried_errors[i].message, b.retried_errors[i].message);
    EXPECT_DOUBLE_EQ(a.retried_errors[i].retry_after_s, b.retried_errors[i].retry_after_s);
  }
  EXPECT_DOUBLE_EQ(a.cost, b.cost);
  EXPECT_EQ(a.late, b.late);
}

void ExpectSameRun(const FusionRun& a, const FusionRun& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_DOUBLE_EQ(a.created_unix, b.created_unix);
  EXPECT_EQ(a.config.prompt, b.config.prompt);
  ASSERT_EQ(a.config.panel.size(), b.config.panel.size());
  for (size_t i = 0; i < a.config.panel.size(); ++i) {
    EXPECT_EQ(a.config.panel[i].endpoint, b.config.panel[i].endpoint);
    EXPECT_EQ(a.config.panel[i].model, b.config.panel[i].model);
    EXPECT_DOUBLE_EQ(a.config.panel[i].temperature, b.config.panel[i].temperature);
  }
  ASSERT_EQ(a.config.judges.size(), b.config.judges.size());
  for (size_t i = 0; i < a.config.judges.size(); ++i) EXPECT_EQ(a.config.judges[i].model, b.config.judges[i].model);
  EXPECT_EQ(a.config.search, b.config.search);
  EXPECT_EQ(a.config.search_url, b.config.search_url);
  EXPECT_EQ(a.config.quorum, b.config.quorum);
  EXPECT_DOUBLE_EQ(a.config.quorum_deadline_s, b.config.quorum_deadline_s);
  EXPECT_EQ(a.config.two_phase_judge, b.config.two_phase_judge);
  EXPECT_EQ(a.config.structured_output, b.config.structured_output);
  EXPECT_EQ(a.config.max_tokens, b.config.max_tokens);
  EXPECT_EQ(a.config.moa_layers, b.config.moa_layers);
  EXPECT_EQ(a.config.peer_ranking, b.config.peer_ranking);
  ASSERT_EQ(a.history.size(), b.history.size());
  for (size_t i = 0; i < a.history.size(); ++i) {
    EXPECT_EQ(a.history[i].role, b.history[i].role);
    EXPECT_EQ(a.history[i].content, b.history[i].content);
  }
  EXPECT_EQ(a.stage, b.stage);
  ASSERT_EQ(a.sources.size(), b.sources.size());
  for (size_t i = 0; i < a.sources.size(); ++i) {
    EXPECT_EQ(a.sources[i].n, b.sources[i].n);
    EXPECT_EQ(a.sources[i].url, b.sources[i].url);
    EXPECT_EQ(a.sources[i].title, b.sources[i].title);
    EXPECT_EQ(a.sources[i].snippet, b.sources[i].snippet);
  }
  EXPECT_EQ(a.search_error, b.search_error);
  ASSERT_EQ(a.members.size(), b.members.size());
  for (size_t i = 0; i < a.members.size(); ++i) ExpectSameCall(a.members[i], b.members[i], "member " + a.members[i].label);
  ASSERT_EQ(a.judge_calls.size(), b.judge_calls.size());
  for (size_t i = 0; i < a.judge_calls.size(); ++i) ExpectSameCall(a.judge_calls[i], b.judge_calls[i], "judge " + std::to_string(i));
  EXPECT_EQ(a.final_call.label, b.final_call.label);
  if (!a.final_call.label.empty()) ExpectSameCall(a.final_call, b.final_call, "final call");
  ASSERT_EQ(a.layers.size(), b.layers.size());
  for (size_t k = 0; k < a.layers.size(); ++k) {
    ASSERT_EQ(a.layers[k].size(), b.layers[k].size());
    for (size_t i = 0; i < a.layers[k].size(); ++i) ExpectSameCall(a.layers[k][i], b.layers[k][i], "layer");
  }
  ASSERT_EQ(a.ranking_calls.size(), b.ranking_calls.size());
  for (size_t i = 0; i < a.ranking_calls.size(); ++i) ExpectSameCall(a.ranking_calls[i], b.ranking_calls[i], "ranking");
  ASSERT_EQ(a.rankings.size(), b.rankings.size());
  for (size_t i = 0; i < a.rankings.size(); ++i) {
    EXPECT_EQ(a.rankings[i].by, b.rankings[i].by);
    EXPECT_EQ(a.rankings[i].order, b.rankings[i].order);
  }
  EXPECT_EQ(a.judged_labels, b.judged_labels);
  EXPECT_EQ(a.judge_raw, b.judge_raw);
  EXPECT_EQ(a.has_analysis, b.has_analysis);
  EXPECT_EQ(a.judge_parse.analysis.final_answer, b.judge_parse.analysis.final_answer);
  EXPECT_EQ(a.judge_parse.analysis.consensus.size(), b.judge_parse.analysis.consensus.size());
  EXPECT_EQ(a.final_answer, b.final_answer);
  EXPECT_EQ(a.final_note, b.final_note);
  EXPECT_EQ(a.warning, b.warning);
  EXPECT_EQ(a.error, b.error);
  EXPECT_DOUBLE_EQ(a.t_end, b.t_end);
  EXPECT_DOUBLE_EQ(a.t_panel_start, b.t_panel_start);
  EXPECT_DOUBLE_EQ(a.t_judge_start, b.t_judge_start);
  EXPECT_DOUBLE_EQ(a.total_cost(), b.total_cost());
}

FusionRun Sentinel() {
  FusionRun s;
  s.id = "untouched";
  s.final_answer = "keep me";
  return s;
}

void ExpectImportError(const std::string& text, const std::string& id) {
  FusionRun out = Sentinel();
  std::string err = ImportRunJson(text, out);
  EXPECT_EQ(err.rfind("[" + id + "]", 0), 0u) << "expected [" << id << "], got: " << err;
  EXPECT_GT(err.size(), id.size() + 3) << "the error says more than its id";
  EXPECT_EQ(out.id, "untouched");
  EXPECT_EQ(out.final_answer, "keep me");
  EXPECT_TRUE(out.members.empty());
}

// ---- [SECTION] round trip ------------------------------------------------------------------

TEST(ExportJson, EngineRunRoundTrips) {
  const FusionRun run = EngineRun();
  // The scenario ran as intended.
  ASSERT_EQ(run.stage, RunStage::Done);
  ASSERT_EQ(run.members.size(), 3u);
  ASSERT_EQ(run.members[1].status, MemberStatus::Failed);
  ASSERT_EQ(run.members[2].retried_errors.size(), 1u);
  ASSERT_TRUE(run.has_analysis);
  ASSERT_EQ(run.sources.size(), 1u);
  ASSERT_FALSE(run.members[0].result.reasoning.empty());

  const std::string text = ExportRunJson(run);
  FusionRun back;
  ASSERT_EQ(ImportRunJson(text, back), "");
  ExpectSameRun(run, back);
  EXPECT_EQ(back.final_answer, "**Paris** is the capital of France [1].");
  EXPECT_EQ(back.members[1].result.error.message, run.members[1].result.error.message);
  EXPECT_NE(back.members[1].result.error.message.find("invalid x-api-key"), std::string::npos);
  EXPECT_EQ(back.members[0].result.usage.reasoning_tokens, 7);
  EXPECT_EQ(ExportRunJson(back), text) << "export(import(x)) == x";

  // The file says what it is.
  json j = ParseJson(text);
  EXPECT_EQ(GetStr(j, "format"), "concord.run");
  EXPECT_EQ(GetInt(j, "version"), 1);
}

// What the live run believed of its judge is what a reload shows: a label the judge was never
// shown (B failed) and the item a cut-off analysis was writing stay out after the round trip.
TEST(ExportJson, AReloadedRunShowsTheAnalysisTheLiveRunShowed) {
  const std::string cites_failed = R"({
  "consensus": [{"claim": "Paris is the capital", "models": ["A", "B", "C"], "confidence": 0.97}],
  "contradictions": [{"topic": "Population", "stances": [{"model": "A", "stance": "2.1 million"}, {"model": "B", "stance": "3 million"}]}],
  "unique_insights": [{"model": "B", "insight": "Something B never said"}],
  "final_answer": "Paris."
})";
  const FusionRun run = EngineRun(nullptr, cites_failed.c_str());
  ASSERT_EQ(run.members[1].status, MemberStatus::Failed);
  ASSERT_TRUE(run.has_analysis);
  ASSERT_EQ(run.judge_parse.analysis.consensus.at(0).models, (std::vector<std::string>{"A", "C"}));
  ASSERT_NE(run.analysis_note.find("Response B"), std::string::npos);
  FusionRun back;
  ASSERT_EQ(ImportRunJson(ExportRunJson(run), back), "");
  const Analysis& a = back.judge_parse.analysis;
  EXPECT_EQ(a.consensus.at(0).models, (std::vector<std::string>{"A", "C"}));
  ASSERT_EQ(a.contradictions.size(), 1u);
  EXPECT_EQ(a.contradictions[0].stances.size(), 1u) << "B's stance stays out";
  EXPECT_TRUE(a.unique_insights.empty());
  EXPECT_EQ(back.analysis_note, run.analysis_note);

  // A cut-off analysis: the item the cut fell in stays out after a reload too.
  FusionRun cut = run;
  cut.judge_raw = R"({"consensus": [{"claim": "Paris is the capital", "models": ["A", "C"]}], "contradictions": [{"topic": "Popul)";
  cut.judge_parse = ExtractAnalysis(cut.judge_raw);
  ASSERT_TRUE(cut.judge_parse.truncated);
  ReviewAnalysis(cut.judge_parse, cut.judged_labels);
  ASSERT_TRUE(cut.judge_parse.analysis.contradictions.empty());
  ASSERT_EQ(ImportRunJson(ExportRunJson(cut), back), "");
  EXPECT_TRUE(back.judge_parse.analysis.contradictions.empty()) << "the half-written contradiction is not shown";
  EXPECT_EQ(back.judge_parse.analysis.consensus.size(), 1u);
}

TEST(ExportJson, HandBuiltRunWithEveryPartRoundTrips) {
  const FusionRun run = HandRun();
  const std::string text = ExportRunJson(run);
  FusionRun back;
  ASSERT_EQ(ImportRunJson(text, back), "");
  ExpectSameRun(run, back);
  EXPECT_EQ(back.config.prompt, "Compare the answers — naïve café 東京 🎉");
  EXPECT_EQ(back.members[2].status, MemberStatus::TimedOut);
  EXPECT_TRUE(back.members[3].late);
  EXPECT_EQ(back.final_call.result.content, "The final, streamed.");
  EXPECT_EQ(back.current_answer("A"), "Refined A");
  EXPECT_NE(IncompleteReason(back.members[3].result).find("connection was lost"), std::string::npos) << "a reload keeps the cut mark";
  EXPECT_EQ(AnsweredBy(back.members[0]), "anthropic/claude-sonnet-4.5");
  EXPECT_EQ(ExportRunJson(back), text);
}

TEST(ExportJson, FailedAndCancelledRunsKeepTheirStage) {
  FusionRun r = HandRun();
  r.stage = RunStage::Failed;
  r.error = "Every panel member failed, so there is nothing to judge:\n- A (m/a): HTTP 401";
  FusionRun back;
  ASSERT_EQ(ImportRunJson(ExportRunJson(r), back), "");
  EXPECT_EQ(back.stage, RunStage::Failed);
  EXPECT_EQ(back.error, r.error);
  r.stage = RunStage::Cancelled;
  ASSERT_EQ(ImportRunJson(ExportRunJson(r), back), "");
  EXPECT_EQ(back.stage, RunStage::Cancelled);
}

TEST(ExportJson, InFlightCallsImportAsCancelled) {
  FusionRun r = HandRun();
  r.members[0].status = MemberStatus::Streaming;
  r.members[1].status = MemberStatus::Queued;
  r.stage = RunStage::Panel;
  FusionRun back;
  ASSERT_EQ(ImportRunJson(ExportRunJson(r), back), "");
  EXPECT_EQ(back.members[0].status, MemberStatus::Cancelled);
  EXPECT_EQ(back.members[1].status, MemberStatus::Cancelled);
  EXPECT_NE(back.stage, RunStage::Panel) << "an imported run is never in flight";
  EXPECT_EQ(back.members[0].result.content, "Answer A 東京") << "the text that arrived is kept";
}

TEST(ExportJson, ImportedRunLoadsIntoAnIdleEngine) {
  ScriptedTransport t;
  Endpoint orr;
  orr.id = "openrouter";
  orr.kind = ProviderKind::OpenRouter;
  orr.base_url = "https://openrouter.test/api/v1";
  orr.api_key = kOrKey;
  FusionEngine engine(t, {orr});
  FusionRun back;
  ASSERT_EQ(ImportRunJson(ExportRunJson(HandRun()), back), "");
  engine.load(back);
  EXPECT_FALSE(engine.busy());
  EXPECT_FALSE(engine.tick());
  EXPECT_TRUE(t.sent.empty());
  EXPECT_EQ(engine.run().final_answer, "The final, streamed.");

  // Retry on a failed card of the loaded run sends its call, and its answer is late: the
  // judge of that run never read it.
  ScriptedTransport::Rule again;
  again.body_contains = "\"model\":\"m/b\"";
  again.steps = Answer("B, answering at last.", 0.004);
  t.add(again);
  engine.retry_member(1);
  for (int i = 0; i < 1000 && engine.busy(); ++i) { t.advance(0.01); engine.pump(); }
  ASSERT_EQ(t.sent.size(), 1u) << "the retry was sent";
  EXPECT_EQ(engine.run().members[1].status, MemberStatus::Done);
  EXPECT_TRUE(engine.run().members[1].late);
  EXPECT_EQ(engine.run().final_answer, "The final, streamed.") << "the judged answer is unchanged";
}

TEST(ExportJson, InvalidUtf8IsReplacedNotFatal) {
  FusionRun r = HandRun();
  r.members[0].result.content = std::string("bad \xff\xfe bytes and a cut \xe6\x9d");
  const std::string text = ExportRunJson(r);
  ASSERT_FALSE(text.empty());
  FusionRun back;
  ASSERT_EQ(ImportRunJson(text, back), "");
  EXPECT_EQ(back.members[0].result.content.rfind("bad ", 0), 0u);
  EXPECT_NE(back.members[0].result.content.find("bytes and a cut"), std::string::npos);
}

// ---- [SECTION] import errors ---------------------------------------------------------------

TEST(ImportJson, NotJson) {
  ExpectImportError("", "import.not_json");
  ExpectImportError("hello", "import.not_json");
  ExpectImportError("{\"format\": \"concord.run\", ", "import.not_json");
  ExpectImportError("\xff\xfe{}", "import.not_json");
}

TEST(ImportJson, WrongFormat) {
  ExpectImportError("{}", "import.format");
  ExpectImportError("[]", "import.format");
  ExpectImportError("42", "import.format");
  ExpectImportError("\"concord.run\"", "import.format");
  ExpectImportError(R"({"format":"something.else","version":1})", "import.format");
  // A Concord settings file is not a run.
  ExpectImportError(R"({"version":1,"panel":[],"judges":[]})", "import.format");
}

TEST(ImportJson, WrongVersion) {
  ExpectImportError(R"({"format":"concord.run","version":2,"members":[{"label":"A"}]})", "import.version");
  ExpectImportError(R"({"format":"concord.run","version":0,"members":[{"label":"A"}]})", "import.version");
  ExpectImportError(R"({"format":"concord.run","members":[{"label":"A"}]})", "import.version");
  ExpectImportError(R"({"format":"concord.run","version":-1,"members":[{"label":"A"}]})", "import.version");
  ExpectImportError(R"({"format":"concord.run","version":"two","members":[{"label":"A"}]})", "import.version");
  ExpectImportError(R"({"format":"concord.run","version":1e300,"members":[{"label":"A"}]})", "import.version");
  // Numbers that do not fit, or are not numbers at all, are not version 1 either.
  ExpectImportError(R"({"format":"concord.run","version":"nan","members":[{"label":"A"}]})", "import.version");
  ExpectImportError(R"({"format":"concord.run","version":"1e999","members":[{"label":"A"}]})", "import.version");
  ExpectImportError(R"({"format":"concord.run","version":-1e300,"members":[{"label":"A"}]})", "import.version");
  ExpectImportError(R"({"format":"concord.run","version":4294967297,"members":[{"label":"A"}]})", "import.version");
  FusionRun out = Sentinel();
  std::string err = ImportRunJson(R"({"format":"concord.run","version":99,"members":[{"label":"A"}]})", out);
  EXPECT_NE(err.find("99"), std::string::npos) << err;
}

TEST(ImportJson, NoOrTooManyMembers) {
  ExpectImportError(R"({"format":"concord.run","version":1})", "import.no_members");
  ExpectImportError(R"({"format":"concord.run","version":1,"members":[]})", "import.no_members");
  ExpectImportError(R"({"format":"concord.run","version":1,"members":"A"})", "import.no_members");
  json many = {{"format", "concord.run"}, {"version", 1}, {"members", json::array()}};
  for (int i = 0; i < 27; ++i) many["members"].push_back({{"label", "X"}, {"model", "m"}});
  ExpectImportError(Dump(many), "import.too_many");
}

TEST(ImportJson, EveryTruncationFailsCleanly) {
  const std::string text = ExportRunJson(EngineRun());
  ASSERT_GT(text.size(), 1000u);
  for (size_t n = 0; n < text.size(); n += (n < 400 ? 1 : 7)) {
    FusionRun out = Sentinel();
    std::string err = ImportRunJson(text.substr(0, n), out);
    ASSERT_EQ(err.rfind("[import.", 0), 0u) << "prefix of " << n << " bytes: " << err;
    ASSERT_EQ(out.id, "untouched") << n;
  }
}

TEST(ImportJson, HostileFieldTypesDoNotCrash) {
  const char* text = R"({"format":"concord.run","version":1,"id":7,"created_unix":"soon",
    "config":{"prompt":["x"],"panel":"none","judges":[1,2,{"model":3}],"search":{},"quorum":"many",
              "quorum_deadline_s":null,"two_phase_judge":"yes","max_tokens":1e300},
    "history":[1,"two",{"role":5,"content":null}],
    "sources":[{"n":"x","url":1},null],
    "members":[{"label":1,"model":null,"status":12,"attempt":"a","t_start":"b","content":{"a":1},
                "citations":[null,{"url":5,"start_index":"q"}],"usage":"none","error":"oops",
                "retried_errors":[1,null,{"id":3}],"cost":"free","late":"maybe"},
               "not an object", 5, null],
    "judge_calls":{"a":1},"final_call":[1],"judged_labels":[1,null,"A"],"judge_raw":{"x":1},
    "layers":[[1,{"label":"A"}],"x",null],"ranking_calls":[1],"rankings":[{"by":1,"order":"A"},3],
    "stage":5,"t_end":"late"})";
  FusionRun out;
  std::string err = ImportRunJson(text, out);
  // Either a clear error or a best-effort import; never a crash or an exception.
  if (err.empty()) {
    EXPECT_FALSE(out.members.empty());
    EXPECT_NE(out.stage, RunStage::Panel);
    EXPECT_FALSE(ExportRunJson(out).empty());
    EXPECT_FALSE(ExportRunMarkdown(out).empty());
  } else {
    EXPECT_EQ(err.rfind("[import.", 0), 0u) << err;
  }
}

TEST(ImportJson, OversizedNumbersDoNotOverflow) {
  const char* text = R"({"format":"concord.run","version":1,
    "config":{"prompt":"q","quorum":1e300,"max_tokens":-1e300},
    "members":[{"label":"A","model":"m","status":"done","attempt":1e300,"content":"x",
                "usage":{"prompt_tokens":1e300,"completion_tokens":-1e300},"error":{"http_status":1e300},
                "citations":[{"url":"u","start_index":1e300,"end_index":-1e300}]}],
    "sources":[{"n":1e300,"url":"u"}]})";
  FusionRun out;
  std::string err = ImportRunJson(text, out);
  EXPECT_TRUE(err.empty() || err.rfind("[import.", 0) == 0) << err;
}

// ---- [SECTION] secrets ---------------------------------------------------------------------

TEST(ExportSecrets, NoKeyInJsonOrMarkdown) {
  std::vector<HttpRequest> sent;
  const FusionRun run = EngineRun(&sent);
  // The keys were really in use during the run...
  bool or_key = false, ant_key = false, search_key = false;
  for (auto& r : sent)
    for (auto& h : r.headers) {
      or_key |= h.second.find(kOrKey) != std::string::npos;
      ant_key |= h.second.find(kAntKey) != std::string::npos;
      search_key |= h.second.find(kSearchKey) != std::string::npos;
    }
  ASSERT_TRUE(or_key);
  ASSERT_TRUE(ant_key);
  ASSERT_TRUE(search_key);
  ASSERT_EQ(run.config.search_key, kSearchKey);
  // ...and never reach an export.
  const std::string js = ExportRunJson(run), md = ExportRunMarkdown(run);
  for (const char* k : {kOrKey, kAntKey, kSearchKey}) {
    EXPECT_EQ(js.find(k), std::string::npos) << k;
    EXPECT_EQ(md.find(k), std::string::npos) << k;
  }
  EXPECT_EQ(js.find("search_key"), std::string::npos);
  EXPECT_EQ(js.find("api_key"), std::string::npos);
  EXPECT_EQ(js.find("Authorization"), std::string::npos);
  EXPECT_EQ(js.find("Bearer"), std::string::npos);
}

TEST(ExportSecrets, ImportNeverSetsASearchKey) {
  json j = ParseJson(ExportRunJson(HandRun()));
  j["config"]["search_key"] = "jina_from_a_shared_file";
  FusionRun back;
  ASSERT_EQ(ImportRunJson(Dump(j), back), "");
  EXPECT_TRUE(back.config.search_key.empty());
}

// ---- [SECTION] Markdown --------------------------------------------------------------------

TEST(ExportMarkdown, FinalAnswerAnalysisAndPerModelSections) {
  const FusionRun run = EngineRun();
  const std::string md = ExportRunMarkdown(run);
  EXPECT_EQ(md.rfind("# Concord fusion", 0), 0u);
  EXPECT_NE(md.find("What is the capital of France?"), std::string::npos);
  // The final answer, under its heading.
  const size_t fa = md.find("## Final answer");
  ASSERT_NE(fa, std::string::npos) << md;
  EXPECT_NE(md.find("**Paris** is the capital of France [1].", fa), std::string::npos) << md;
  // The analysis.
  EXPECT_NE(md.find("## Analysis"), std::string::npos);
  EXPECT_NE(md.find("Paris is the capital (A, C)"), std::string::npos) << md;
  EXPECT_NE(md.find("**Population**"), std::string::npos);
  EXPECT_NE(md.find("Administrative regions"), std::string::npos);
  // One section per panel member, with its model, its answer or why it has none.
  for (const char* label : {"A", "B", "C"})
    EXPECT_NE(md.find(std::string("### Response ") + label), std::string::npos) << label << "\n" << md;
  const size_t a = md.find("### Response A"), b = md.find("### Response B"), c = md.find("### Response C");
  ASSERT_TRUE(a != std::string::npos && b != std::string::npos && c != std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_GT(a, fa) << "the members come after the final answer";
  const std::string sec_a = md.substr(a, b - a), sec_b = md.substr(b, c - b), sec_c = md.substr(c);
  EXPECT_NE(sec_a.find("m/alpha"), std::string::npos) << sec_a;
  EXPECT_NE(sec_a.find("Paris, capital since 987; about 2.1 million people."), std::string::npos) << sec_a;
  EXPECT_NE(sec_b.find("claude-x"), std::string::npos) << sec_b;
  EXPECT_NE(sec_b.find("failed"), std::string::npos) << sec_b;
  EXPECT_NE(sec_b.find("invalid x-api-key"), std::string::npos) << sec_b;
  EXPECT_NE(sec_c.find("m/gamma"), std::string::npos) << sec_c;
  EXPECT_NE(sec_c.find("Paris, on the Seine; the metro area has 12 million."), std::string::npos) << sec_c;
  // Sources and cost.
  EXPECT_NE(md.find("## Sources"), std::string::npos);
  EXPECT_NE(md.find("https://en.wikipedia.org/wiki/Paris"), std::string::npos);
  EXPECT_NE(md.find("**Cost:** $0.0138"), std::string::npos) << md;  // 0.0012 + 0.0021 + 0.0105
}

TEST(ExportMarkdown, TheTotalSaysHowManyCallsReportedNoUsage) {
  FusionRun r = HandRun();
  auto known = [](Call& c) { c.result.usage.prompt_tokens = 12; };
  for (auto& c : r.members) known(c);
  for (auto& c : r.judge_calls) known(c);
  for (auto& c : r.contestants) known(c);
  for (auto& l : r.layers) for (auto& c : l) known(c);
  for (auto& c : r.ranking_calls) known(c);
  for (auto& c : r.writer_attempts) known(c);
  known(r.final_call);
  ASSERT_EQ(r.cost_unknown_calls(), 0);
  EXPECT_EQ(ExportRunMarkdown(r).find("unknown cost"), std::string::npos);
  ASSERT_FALSE(r.members[0].result.content.empty());
  r.members[0].result.usage = Usage{};
  const std::string md = ExportRunMarkdown(r);
  EXPECT_NE(md.find("> The total leaves out 1 call of unknown cost: its provider reported no cost, and no price is known to compute one."),
            std::string::npos) << md;
  EXPECT_LT(md.find("**Cost:**"), md.find("unknown cost"));
  r.members[2].result.usage = Usage{};  // C: partial text, then an idle timeout
  ASSERT_FALSE(r.members[2].result.content.empty());
  EXPECT_NE(ExportRunMarkdown(r).find("> The total leaves out 2 calls of unknown cost: their provider reported no cost"), std::string::npos);
}

TEST(ExportMarkdown, DegradedRunShowsItsNoteAndLateMembers) {
  FusionRun r = HandRun();
  r.has_analysis = false;
  r.final_note = "No synthesis: every judge failed. Showing Response A (m/a) as it was written.";
  const std::string md = ExportRunMarkdown(r);
  EXPECT_NE(md.find("> No synthesis: every judge failed."), std::string::npos) << md;
  EXPECT_EQ(md.find("## Analysis"), std::string::npos);
  const size_t d = md.find("### Response D");
  ASSERT_NE(d, std::string::npos) << md;
  EXPECT_NE(md.find("late", d), std::string::npos) << "a late member is labelled as such";
  EXPECT_NE(md.find("Answer D, late", d), std::string::npos);
  const size_t c = md.find("### Response C");
  ASSERT_NE(c, std::string::npos);
  EXPECT_NE(md.substr(c, d - c).find("partial C"), std::string::npos) << "partial text is kept";
  EXPECT_NE(md.substr(c, d - c).find("idle timeout"), std::string::npos) << "with why it stopped";
}

TEST(ExportMarkdown, FailedRunSaysWhy) {
  FusionRun r = HandRun();
  r.stage = RunStage::Failed;
  r.has_analysis = false;
  r.final_answer.clear();
  r.error = "Every panel member failed, so there is nothing to judge:\n- B (m/b): HTTP 401";
  const std::string md = ExportRunMarkdown(r);
  EXPECT_NE(md.find("Every panel member failed"), std::string::npos) << md;
}

}  // namespace
}  // namespace concord
