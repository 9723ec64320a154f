// Per-member settings (temperature, max tokens, reasoning effort) from settings to the wire,
// through exports; the comparison contestant (e.g. openrouter/fusion); grounding defaults.
#include <gtest/gtest.h>

#include "engine_fixture.h"
#include "model_json.h"
#include "provider.h"
#include "settings.h"

namespace concord {
namespace {
using namespace concord::test;

json BodyOf(const HttpRequest& r) { return ParseJson(r.body); }

Endpoint Ep(ProviderKind k, const std::string& base) {
  Endpoint e;
  e.id = "x";
  e.kind = k;
  e.base_url = base;
  e.api_key = "k";
  return e;
}

TEST(MemberSettingsWire, OpenRouterGetsReasoningEffortAndTheSearchToolsExcludedDomains) {
  ChatParams p;
  p.model = "m/a";
  p.messages = {{"user", "q"}};
  p.reasoning_effort = "high";
  p.max_tokens = 2000;
  p.web_tool = true;
  p.web_max_results = 3;
  p.web_excluded_domains = {"pinterest.com", "quora.com"};
  json b = BodyOf(BuildChatRequest(Ep(ProviderKind::OpenRouter, "https://openrouter.ai/api/v1"), p));
  EXPECT_EQ(b["reasoning"], json({{"effort", "high"}}));
  EXPECT_FALSE(b.contains("reasoning_effort"));
  EXPECT_EQ(b["max_tokens"], 2000);
  ASSERT_TRUE(b["tools"].is_array());
  EXPECT_EQ(b["tools"][0]["type"], "openrouter:web_search");
  EXPECT_EQ(b["tools"][0]["parameters"]["max_results"], 3);
  EXPECT_EQ(b["tools"][0]["parameters"]["excluded_domains"], json({"pinterest.com", "quora.com"}));
}

TEST(MemberSettingsWire, NoEffortAndNoExclusionsSendNeitherField) {
  ChatParams p;
  p.model = "m/a";
  p.web_tool = true;
  json b = BodyOf(BuildChatRequest(Ep(ProviderKind::OpenRouter, "https://openrouter.ai/api/v1"), p));
  EXPECT_FALSE(b.contains("reasoning"));
  EXPECT_FALSE(b["tools"][0]["parameters"].contains("excluded_domains"));
  EXPECT_EQ(b["tools"][0]["parameters"]["max_results"], 5);
}

TEST(MemberSettingsWire, OpenAICompatibleEndpointsGetReasoningEffortAndNeverTheOpenRouterTool) {
  ChatParams p;
  p.model = "gpt-x";
  p.reasoning_effort = "low";
  p.web_tool = true;
  json b = BodyOf(BuildChatRequest(Ep(ProviderKind::OpenAICompatible, "https://api.groq.com/openai/v1"), p));
  EXPECT_EQ(b["reasoning_effort"], "low");
  EXPECT_FALSE(b.contains("reasoning"));
  EXPECT_FALSE(b.contains("tools"));
}

TEST(MemberSettingsWire, AnthropicThinksWithABudgetInsideMaxTokensAndDropsTemperature) {
  ChatParams p;
  p.model = "claude-x";
  p.messages = {{"user", "q"}};
  p.reasoning_effort = "medium";
  p.max_tokens = 1000;
  p.temperature = 0.7;
  json b = BodyOf(BuildChatRequest(Ep(ProviderKind::Anthropic, "https://api.anthropic.com/v1"), p));
  EXPECT_EQ(b["thinking"], json({{"type", "enabled"}, {"budget_tokens", 8192}}));
  EXPECT_EQ(b["max_tokens"], 1000 + 8192);
  EXPECT_FALSE(b.contains("temperature"));
  p.reasoning_effort.clear();
  b = BodyOf(BuildChatRequest(Ep(ProviderKind::Anthropic, "https://api.anthropic.com/v1"), p));
  EXPECT_FALSE(b.contains("thinking"));
  EXPECT_EQ(b["max_tokens"], 1000);
  EXPECT_DOUBLE_EQ(b["temperature"].get<double>(), 0.7);
}

TEST(ModelRefJson, RoundTripsEverySettingAndDropsBadOnes) {
  ModelRef m{"or", "m/a", 0.7, 2000, "high"};
  ModelRef back = ModelRefFromJson(ModelRefToJson(m));
  EXPECT_EQ(back.endpoint, "or");
  EXPECT_EQ(back.model, "m/a");
  EXPECT_DOUBLE_EQ(back.temperature, 0.7);
  EXPECT_EQ(back.max_tokens, 2000);
  EXPECT_EQ(back.effort, "high");
  // Defaults are not written at all.
  json plain = ModelRefToJson(ModelRef{"or", "m/b"});
  EXPECT_FALSE(plain.contains("max_tokens"));
  EXPECT_FALSE(plain.contains("effort"));
  // Hostile values: an unknown effort, a negative or huge token count, a string temperature.
  ModelRef bad = ModelRefFromJson(json{{"model", "m/c"}, {"effort", "ultra"}, {"max_tokens", -5}, {"temperature", "hot"}});
  EXPECT_EQ(bad.effort, "");
  EXPECT_EQ(bad.max_tokens, 0);
  EXPECT_DOUBLE_EQ(bad.temperature, -1);
  EXPECT_EQ(ModelRefFromJson(json{{"model", "m"}, {"max_tokens", 1e12}}).max_tokens, 1000000);
  // Entries without a model are skipped; the cap holds.
  json list = json::array({json{{"model", ""}}, json{{"model", "a"}}, json{{"model", "b"}}, json{{"model", "c"}}});
  EXPECT_EQ(ModelRefsFromJson(list, 2).size(), 2u);
  EXPECT_EQ(ModelRefsFromJson(json("not a list")).size(), 0u);
}

TEST(MemberSettingsSettings, SavedAndLoadedWithThePanelAndNotTheSameDuplicate) {
  Settings s;
  s.panel = {{"openrouter", "m/a", 0.2, 0, "low"}, {"openrouter", "m/a", 0.2, 0, "high"}};
  s.judges = {{"openrouter", "j/j"}};
  s.search_excluded_domains = "Pinterest.com, https://www.quora.com/x  example.org";
  Settings back;
  SettingsFromJson(SettingsToJson(s), back);
  ASSERT_EQ(back.panel.size(), 2u);
  EXPECT_EQ(back.panel[1].effort, "high");
  // Same model, same temperature, different effort: a legitimate panel, no duplicate error.
  EXPECT_TRUE(ValidateSettings(back, "q").empty());
  back.panel[1].effort = "low";
  auto errs = ValidateSettings(back, "q");
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_NE(errs[0].find("twice with the same settings"), std::string::npos);
  // The excluded domains reach the run as bare, lower-case hosts.
  RunConfig c = BuildRunConfig(s, "q");
  EXPECT_EQ(c.search_excluded_domains, (std::vector<std::string>{"pinterest.com", "www.quora.com", "example.org"}));
}

TEST(MemberSettingsSettings, GroundingIsOnByDefaultWithTheOpenRouterTool) {
  Settings s;
  EXPECT_EQ(s.search, WebSearchMode::OpenRouterTool);
  // A saved choice of "off" is kept: the default never overrides what the user chose.
  s.search = WebSearchMode::Off;
  Settings back;
  SettingsFromJson(SettingsToJson(s), back);
  EXPECT_EQ(back.search, WebSearchMode::Off);
}

class MemberSettingsRun : public EngineTest {};

TEST_F(MemberSettingsRun, EachMemberSendsItsOwnMaxTokensAndEffortOverTheRunDefault) {
  ScriptHappyPanel();
  ScriptJudge(AnalysisText("Paris."));
  RunConfig c = Config();
  c.max_tokens = 500;
  c.panel[0].max_tokens = 3000;
  c.panel[0].effort = "high";
  c.panel[1].temperature = 1.1;
  c.search = WebSearchMode::OpenRouterTool;
  c.search_excluded_domains = {"example.com"};
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  json a = BodyOf(RequestsFor("m/alpha").at(0)), b = BodyOf(RequestsFor("m/beta").at(0)), g = BodyOf(RequestsFor("m/gamma").at(0));
  EXPECT_EQ(a["max_tokens"], 3000);
  EXPECT_EQ(a["reasoning"]["effort"], "high");
  EXPECT_EQ(b["max_tokens"], 500);
  EXPECT_FALSE(b.contains("reasoning"));
  EXPECT_DOUBLE_EQ(b["temperature"].get<double>(), 1.1);
  EXPECT_EQ(g["tools"][0]["parameters"]["excluded_domains"], json({"example.com"}));
  // The judge gets no web tool and keeps its own (default) settings.
  json j = BodyOf(RequestsFor("j/judge").at(0));
  EXPECT_FALSE(j.contains("tools"));
  EXPECT_FALSE(j.contains("reasoning"));
  // The settings survive an export and an import.
  FusionRun back;
  ASSERT_EQ(ImportRunJson(ExportRunJson(R()), back), "");
  EXPECT_EQ(back.config.panel[0].effort, "high");
  EXPECT_EQ(back.config.panel[0].max_tokens, 3000);
  EXPECT_EQ(back.members[0].model.effort, "high");
  EXPECT_EQ(back.config.search_excluded_domains, (std::vector<std::string>{"example.com"}));
}

TEST_F(MemberSettingsRun, AnUnknownEffortIsRefusedBeforeAnythingIsSent) {
  RunConfig c = Config();
  c.panel[2].effort = "extreme";
  EXPECT_NE(engine.start(c).find("unknown reasoning effort 'extreme'"), std::string::npos);
  EXPECT_TRUE(t.sent.empty());
}

TEST_F(MemberSettingsRun, AComparisonModelGetsThePromptAloneAndIsShownApartWithItsOwnCost) {
  ScriptHappyPanel();
  ScriptJudge(AnalysisText("Paris is the capital."));
  Script("openrouter/fusion", Answer("Fusion says: Paris.", 0.05, 0.05, 0.5));  // slower than our fusion
  RunConfig c = Config();
  c.contestants = {{"or", "openrouter/fusion"}};
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  const FusionRun& r = R();
  auto sent = RequestsFor("openrouter/fusion");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(MessageText(sent[0], "user"), c.prompt);
  EXPECT_EQ(MessageText(sent[0], "system"), "");  // no panel instructions: it does its own work
  ASSERT_EQ(r.contestants.size(), 1u);
  EXPECT_EQ(r.contestants[0].status, MemberStatus::Done);
  EXPECT_EQ(r.contestants[0].result.content, "Fusion says: Paris.");
  // Never judged, never a member, never in the final answer.
  EXPECT_EQ(r.judged_labels, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(MessageText(RequestsFor("j/judge").at(0), "user").find("Fusion says"), std::string::npos);
  EXPECT_EQ(r.final_answer, "Paris is the capital.");
  // Our fusion finished before the slower comparison, and its cost is kept apart.
  EXPECT_LT(r.t_end, r.contestants[0].t_end);
  EXPECT_NEAR(r.fusion_cost(), 0.001 + 0.002 + 0.003 + 0.01, 1e-9);
  EXPECT_NEAR(r.total_cost(), r.fusion_cost() + 0.05, 1e-9);
  FusionRun back;
  ASSERT_EQ(ImportRunJson(ExportRunJson(r), back), "");
  ASSERT_EQ(back.contestants.size(), 1u);
  EXPECT_EQ(back.contestants[0].result.content, "Fusion says: Paris.");
  EXPECT_NE(ExportRunMarkdown(r).find("## Comparison: `openrouter/fusion` alone"), std::string::npos);
}

TEST_F(MemberSettingsRun, AFailingComparisonModelNeverFailsTheFusion) {
  ScriptHappyPanel();
  ScriptJudge(AnalysisText("Paris."));
  Script("openrouter/fusion", ScriptedTransport::Json(402, ErrorBody(402, "Insufficient credits")));
  RunConfig c = Config();
  c.contestants = {{"or", "openrouter/fusion"}};
  c.max_retries = 0;
  ASSERT_EQ(engine.start(c), "");
  ASSERT_TRUE(RunUntilIdle());
  EXPECT_EQ(R().stage, RunStage::Done);
  EXPECT_EQ(R().final_answer, "Paris.");
  EXPECT_EQ(R().contestants[0].status, MemberStatus::Failed);
  EXPECT_EQ(R().contestants[0].result.error.http_status, 402);
}

TEST(MemberSettingsSettings, TheComparisonModelIsOnlyAddedWithAnOpenRouterKey) {
  Settings s;
  s.panel = {{"demo", "demo/atlas"}};
  s.judges = {{"demo", "demo/judge"}};
  s.compare_model = "openrouter/fusion";
  EXPECT_TRUE(BuildRunConfig(s, "q").contestants.empty());  // the demo has no OpenRouter Fusion
  s.openrouter_key = "sk-or-test";
  auto c = BuildRunConfig(s, "q").contestants;
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].endpoint, "openrouter");
  EXPECT_EQ(c[0].model, "openrouter/fusion");
}

}  // namespace
}  // namespace concord
