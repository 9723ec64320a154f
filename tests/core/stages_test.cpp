// Optional stages of a fusion run: MoA refinement layers and llm-council-style anonymous
// peer ranking, driven end to end through the scripted transport.
#include <gtest/gtest.h>

#include "jsonutil.h"
#include "run.h"

namespace concord {
namespace {

std::string Sse(const std::string& text) {
  json d = {{"choices", json::array({{{"index", 0}, {"delta", {{"content", text}}}}})}};
  json u = {{"choices", json::array({{{"index", 0}, {"delta", json::object()}, {"finish_reason", "stop"}}})},
            {"usage", {{"prompt_tokens", 5}, {"completion_tokens", 7}, {"cost", 0.001}}}};
  return "data: " + d.dump() + "\n\ndata: " + u.dump() + "\n\ndata: [DONE]\n\n";
}
std::string Analysis() {
  return json{{"consensus", json::array()}, {"contradictions", json::array()}, {"partial_coverage", json::array()},
              {"unique_insights", json::array()}, {"blind_spots", json::array()}, {"final_answer", "fused"}}
      .dump();
}

struct StageRig {
  ScriptedTransport t;
  FusionEngine engine{t, {Endpoint{"or", ProviderKind::OpenRouter, "https://openrouter.ai/api/v1", "k", false, false, ""}}};
  RunConfig cfg;
  StageRig() {
    cfg.prompt = "Why is the sky blue?";
    cfg.panel = {{"or", "m/a", -1}, {"or", "m/b", -1}, {"or", "m/c", -1}};
    cfg.judges = {{"or", "m/judge", -1}};
  }
  // The calls of one role (the request's tag: "judge", "layer", "rank"; "" for any call).
  void add(const std::string& role, const std::string& text, int uses = -1) {
    t.add({"chat/completions", "", ScriptedTransport::Sse({Sse(text)}), uses, role});
  }
  void run_to_end() {
    ASSERT_EQ(engine.start(cfg), "");
    for (int i = 0; i < 400 && engine.busy(); ++i) { t.advance(0.05); engine.pump(); }
    ASSERT_FALSE(engine.busy());
  }
  std::vector<std::string> bodies_of(const std::string& role) const {
    std::vector<std::string> out;
    for (auto& r : t.sent) if (r.tag == role) out.push_back(r.body);
    return out;
  }
};

TEST(MoaLayers, EachMemberRefinesFromEveryAnswerAndTheJudgeReadsTheRefinedOnes) {
  StageRig rig;
  rig.cfg.moa_layers = 2;
  rig.add("judge", Analysis());
  rig.add("layer", "REFINED answer");
  rig.add("", "panel answer");
  rig.run_to_end();
  const FusionRun& r = rig.engine.run();
  EXPECT_EQ(r.stage, RunStage::Done);
  ASSERT_EQ(r.layers.size(), 2u);
  for (auto& layer : r.layers) {
    ASSERT_EQ(layer.size(), 3u);
    for (auto& c : layer) EXPECT_EQ(c.status, MemberStatus::Done);
  }
  auto refine = rig.bodies_of("layer");
  EXPECT_EQ(refine.size(), 6u);  // 3 members x 2 layers
  // Layer 1 reads the panel's answers, all three anonymised.
  EXPECT_NE(refine[0].find("=== Response A ==="), std::string::npos);
  EXPECT_NE(refine[0].find("=== Response C ==="), std::string::npos);
  EXPECT_NE(refine[0].find("panel answer"), std::string::npos);
  // Layer 2 reads layer 1's rewrites.
  EXPECT_NE(refine[5].find("REFINED answer"), std::string::npos);
  auto judge = rig.bodies_of("judge");
  ASSERT_EQ(judge.size(), 1u);
  EXPECT_NE(judge[0].find("REFINED answer"), std::string::npos);
  EXPECT_EQ(judge[0].find("panel answer"), std::string::npos) << "the judge sees the refined answers";
  EXPECT_EQ(r.final_answer, "fused");
  EXPECT_NEAR(r.total_cost(), 0.001 * (3 + 6 + 1), 1e-9) << "every call's cost is counted";
}

TEST(MoaLayers, AFailedRewriteKeepsThePreviousAnswer) {
  StageRig rig;
  rig.cfg.moa_layers = 1;
  rig.cfg.max_retries = 0;
  rig.add("judge", Analysis());
  rig.t.add({"chat/completions", "", ScriptedTransport::Json(500, R"({"error":{"code":500,"message":"boom"}})"), 1, "layer"});
  rig.add("layer", "REFINED");
  rig.add("", "panel answer");
  rig.run_to_end();
  const FusionRun& r = rig.engine.run();
  EXPECT_EQ(r.stage, RunStage::Done);
  ASSERT_EQ(r.layers.size(), 1u);
  EXPECT_EQ(r.layers[0][0].status, MemberStatus::Failed);
  EXPECT_EQ(r.current_answer("A"), "panel answer");
  EXPECT_EQ(r.current_answer("B"), "REFINED");
}

TEST(PeerRanking, MembersRankAnonymouslyAndTheJudgeGetsTheAverage) {
  StageRig rig;
  rig.cfg.peer_ranking = true;
  rig.add("judge", Analysis());
  rig.add("rank", "A is thin. C is best.\nFINAL RANKING:\n1. Response C\n2. Response B\n3. Response A");
  rig.add("", "panel answer");
  rig.run_to_end();
  const FusionRun& r = rig.engine.run();
  EXPECT_EQ(r.stage, RunStage::Done);
  EXPECT_EQ(r.ranking_calls.size(), 3u);
  ASSERT_EQ(r.rankings.size(), 3u);
  EXPECT_EQ(r.rankings[0].order, (std::vector<std::string>{"C", "B", "A"}));
  auto agg = AggregateRanking(r.rankings);
  ASSERT_EQ(agg.size(), 3u);
  EXPECT_EQ(agg[0].first, "C");
  EXPECT_DOUBLE_EQ(agg[0].second, 1.0);
  auto judge = rig.bodies_of("judge");
  ASSERT_EQ(judge.size(), 1u);
  EXPECT_NE(judge[0].find("Peer ranking"), std::string::npos);
  // Rankers never see model names: only anonymised labels.
  for (auto& b : rig.bodies_of("rank")) {
    size_t ids = 0;
    for (size_t p = b.find("m/"); p != std::string::npos; p = b.find("m/", p + 1)) ++ids;
    EXPECT_EQ(ids, 1u) << "only the request's own model field names a model";
  }
}

TEST(PeerRanking, ParseIsTolerantAndIgnoresUnknownLabels) {
  std::vector<std::string> valid = {"A", "B", "C"};
  EXPECT_EQ(ParseRanking("blah Response A was good\nFINAL RANKING:\n1. Response B\n2) Response A\n- Response Z\n3. Response B", valid),
            (std::vector<std::string>{"B", "A"}));
  EXPECT_EQ(ParseRanking("I prefer Response C over Response A.", valid), (std::vector<std::string>{"C", "A"}));
  EXPECT_TRUE(ParseRanking("no ranking here", valid).empty());
  EXPECT_TRUE(ParseRanking("", valid).empty());
}

TEST(PeerRanking, UnreadableRankingsDoNotBlockTheJudge) {
  StageRig rig;
  rig.cfg.peer_ranking = true;
  rig.add("judge", Analysis());
  rig.add("rank", "I refuse to rank.");
  rig.add("", "panel answer");
  rig.run_to_end();
  const FusionRun& r = rig.engine.run();
  EXPECT_EQ(r.stage, RunStage::Done);
  EXPECT_TRUE(r.rankings.empty());
  EXPECT_EQ(r.ranking_calls[0].result.error.id, "rank.parse");
  EXPECT_EQ(r.final_answer, "fused");
}

TEST(OptionalStages, ExportImportKeepsLayersAndRankings) {
  StageRig rig;
  rig.cfg.moa_layers = 1;
  rig.cfg.peer_ranking = true;
  rig.add("judge", Analysis());
  rig.add("rank", "FINAL RANKING:\n1. Response A\n2. Response B\n3. Response C");
  rig.add("layer", "REFINED");
  rig.add("", "panel answer");
  rig.run_to_end();
  FusionRun back;
  ASSERT_EQ(ImportRunJson(ExportRunJson(rig.engine.run()), back), "");
  EXPECT_EQ(back.layers.size(), 1u);
  EXPECT_EQ(back.layers[0].size(), 3u);
  EXPECT_EQ(back.rankings.size(), 3u);
  EXPECT_EQ(back.current_answer("A"), "REFINED");
  EXPECT_EQ(back.config.moa_layers, 1);
  EXPECT_TRUE(back.config.peer_ranking);
}

}  // namespace
}  // namespace concord
