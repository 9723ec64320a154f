// The pre-run estimate: every call a configuration makes, priced from the catalogue.
#include <gtest/gtest.h>

#include "estimate.h"

namespace concord {
namespace {

ModelInfo Priced(const std::string& id, double in, double out, double search = 0) {
  ModelInfo m;
  m.id = id;
  m.price_prompt = in;
  m.price_completion = out;
  m.price_web_search = search;
  return m;
}
std::vector<Endpoint> Eps() {
  Endpoint e;
  e.id = "or";
  e.kind = ProviderKind::OpenRouter;
  Endpoint g;
  g.id = "groq";
  g.kind = ProviderKind::OpenAICompatible;
  return {e, g};
}
RunConfig Cfg() {
  RunConfig c;
  c.prompt = std::string(400, 'q');  // 100 tokens
  c.panel = {{"or", "m/a"}, {"or", "m/b"}};
  c.judges = {{"or", "j/j"}};
  return c;
}

TEST(Estimate, CountsEveryCallAndPricesThemWithTheNamedAssumptions) {
  std::vector<ModelInfo> cat = {Priced("m/a", 1e-6, 2e-6), Priced("m/b", 1e-6, 2e-6), Priced("j/j", 3e-6, 4e-6)};
  RunConfig c = Cfg();
  c.search = WebSearchMode::Off;
  EstimateAssumptions a;
  RunEstimate e = EstimateRun(c, cat, Eps(), a);
  EXPECT_EQ(e.calls, 3);
  EXPECT_TRUE(e.complete());
  const double member = (100 + a.member_system) * 1e-6 + a.answer * 2e-6;
  const double judge = (100 + 2 * a.answer + a.judge_overhead) * 3e-6 + a.analysis * 4e-6;
  EXPECT_NEAR(e.cost, 2 * member + judge, 1e-12);
  // Two-phase adds the writer's call, at the writer's own price.
  c.two_phase_judge = true;
  c.writers = {{"or", "m/a"}};
  e = EstimateRun(c, cat, Eps(), a);
  EXPECT_EQ(e.calls, 4);
  EXPECT_NEAR(e.cost, 2 * member + judge + (100 + 2 * a.answer + a.judge_overhead + a.analysis) * 1e-6 + a.final_answer * 2e-6, 1e-12);
}

TEST(Estimate, GroundingIsPricedOnlyForOpenRouterMembers) {
  std::vector<ModelInfo> cat = {Priced("m/a", 0, 0, 0.01), Priced("m/b", 0, 0, 0.01), Priced("j/j", 0, 0, 0.01)};
  RunConfig c = Cfg();
  c.panel = {{"or", "m/a"}, {"groq", "m/b"}};
  c.search = WebSearchMode::OpenRouterTool;
  EXPECT_NEAR(EstimateRun(c, cat, Eps()).cost, 0.01, 1e-12);  // one OpenRouter member; never the judge
  c.search = WebSearchMode::Off;
  EXPECT_NEAR(EstimateRun(c, cat, Eps()).cost, 0, 1e-12);
}

TEST(Estimate, AMemberMaxTokensAndReasoningEffortChangeItsShare) {
  std::vector<ModelInfo> cat = {Priced("m/a", 0, 1e-6), Priced("m/b", 0, 1e-6), Priced("j/j", 0, 0)};
  RunConfig c = Cfg();
  EstimateAssumptions a;
  c.panel[0].max_tokens = 100;
  c.panel[1].effort = "high";
  EXPECT_NEAR(EstimateRun(c, cat, Eps(), a).cost, (100 + a.answer + a.reasoning_high) * 1e-6, 1e-12);
}

TEST(Estimate, RoutersAndUnknownModelsAreNamedNotGuessed) {
  std::vector<ModelInfo> cat = {Priced("m/a", 1e-6, 1e-6), Priced("openrouter/fusion", 0, 0)};
  RunConfig c = Cfg();
  c.contestants = {{"or", "openrouter/fusion"}};
  RunEstimate e = EstimateRun(c, cat, Eps());
  EXPECT_EQ(e.calls, 4);
  EXPECT_FALSE(e.complete());
  EXPECT_EQ(e.unpriced, (std::vector<std::string>{"m/b (not in the catalogue)", "j/j (not in the catalogue)",
                                                  "openrouter/fusion (priced by the models it routes to)"}));
}

TEST(Estimate, LayersAndRankingAddACallPerMember) {
  RunConfig c = Cfg();
  c.moa_layers = 2;
  c.peer_ranking = true;
  EXPECT_EQ(EstimateRun(c, {}, Eps()).calls, 2 + 4 + 2 + 1);
}

}  // namespace
}  // namespace concord
