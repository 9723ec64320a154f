// Unit tests for UpdateMapData: change detection, live similarity while streaming, the stance
// matrix / agreement / graph from an analysis, and the judge-failed fallback.
#include <gtest/gtest.h>

#include "mapdata.h"

namespace concord {
namespace {

Call Member(const std::string& label, const std::string& model, MemberStatus s, const std::string& text) {
  Call c;
  c.label = label;
  c.model.model = model;
  c.status = s;
  c.result.content = text;
  return c;
}

FusionRun ThreeStreaming() {
  FusionRun r;
  r.stage = RunStage::Panel;
  r.members.push_back(Member("A", "openai/gpt-4o", MemberStatus::Streaming, "The sky is blue because of Rayleigh"));
  r.members.push_back(Member("B", "anthropic/claude", MemberStatus::Streaming, "The sky is blue because of Rayleigh scattering"));
  r.members.push_back(Member("C", "google/gemini", MemberStatus::Queued, ""));
  return r;
}

Analysis SmallAnalysis() {
  Analysis a;
  a.consensus.push_back({"Rayleigh scattering explains the colour", {"A", "B", "C"}, 0.9});
  a.contradictions.push_back({"Role of ozone", {{"A", "ozone matters"}, {"B", "ozone matters"}, {"C", "ozone is irrelevant"}}, "C is right"});
  a.partial_coverage.push_back({"Sunsets", {"B"}});
  a.unique_insights.push_back({"C", "Mie scattering for clouds", "useful"});
  a.blind_spots.push_back("Human colour perception");
  return a;
}

TEST(MapDataUpdate, EmptyRunComputesOnceThenCaches) {
  MapData d;
  FusionRun r;
  EXPECT_TRUE(UpdateMapData(d, r, false));
  EXPECT_EQ(d.revision, 1u);
  EXPECT_TRUE(d.labels.empty());
  EXPECT_TRUE(d.similarity.empty());
  EXPECT_TRUE(d.graph.nodes.empty());
  EXPECT_FALSE(d.has_analysis);
  EXPECT_FALSE(d.judge_failed);  // nothing ran
  EXPECT_FALSE(UpdateMapData(d, r, false));
  EXPECT_EQ(d.revision, 1u);
}

TEST(MapDataUpdate, StreamingTextUpdatesSimilarityLive) {
  MapData d;
  FusionRun r = ThreeStreaming();
  ASSERT_TRUE(UpdateMapData(d, r, false));
  ASSERT_EQ(d.labels, (std::vector<std::string>{"A", "B", "C"}));
  EXPECT_EQ(d.models[1], "anthropic/claude");
  ASSERT_EQ(d.similarity.size(), 9u);
  EXPECT_DOUBLE_EQ(d.similarity[0], 1.0);
  EXPECT_GT(d.similarity[1], 0.5);               // A ~ B
  EXPECT_DOUBLE_EQ(d.similarity[0 * 3 + 2], 0);  // C has no text yet
  EXPECT_TRUE(d.agreement.empty());
  EXPECT_TRUE(d.matrix.rows.empty());
  EXPECT_EQ(d.matrix.columns.size(), 3u);
  EXPECT_EQ(d.graph.nodes.size(), 3u);  // models only
  EXPECT_FALSE(d.judge_failed);
  const double before = d.similarity[2];

  EXPECT_FALSE(UpdateMapData(d, r, false));  // nothing changed
  r.members[2].result.content = "Blue light scatters more: Rayleigh scattering";
  r.members[2].status = MemberStatus::Streaming;
  EXPECT_TRUE(UpdateMapData(d, r, false));
  EXPECT_EQ(d.revision, 2u);
  EXPECT_GT(d.similarity[2], before);
  // Symmetric.
  EXPECT_DOUBLE_EQ(d.similarity[2], d.similarity[6]);
}

TEST(MapDataUpdate, AnalysisGivesMatrixAgreementAndGraph) {
  MapData d;
  FusionRun r = ThreeStreaming();
  for (auto& m : r.members) m.status = MemberStatus::Done;
  r.stage = RunStage::Done;
  r.has_analysis = true;
  r.judge_parse.ok = true;
  r.judge_parse.analysis = SmallAnalysis();
  r.judge_raw = "{...}";
  ASSERT_TRUE(UpdateMapData(d, r, false));
  EXPECT_TRUE(d.has_analysis);
  EXPECT_FALSE(d.judge_failed);
  ASSERT_EQ(d.matrix.rows.size(), 5u);
  EXPECT_EQ(d.matrix.rows[0].section, RowSection::Consensus);
  EXPECT_EQ(d.matrix.rows[4].section, RowSection::BlindSpot);
  EXPECT_EQ(d.matrix.rows[1].notes[2], "ozone is irrelevant");
  ASSERT_EQ(d.agreement.size(), 9u);
  EXPECT_GT(d.agreement[0 * 3 + 1], d.agreement[0 * 3 + 2]);  // A sides with B, not C
  ASSERT_EQ(d.graph.nodes.size(), 4u);                         // 3 models + 1 topic
  EXPECT_TRUE(d.graph.nodes[3].is_topic);
  for (const GraphNode& n : d.graph.nodes) {
    EXPECT_GE(n.x, 0.f); EXPECT_LE(n.x, 1.f);
    EXPECT_GE(n.y, 0.f); EXPECT_LE(n.y, 1.f);
  }
}

TEST(MapDataUpdate, JudgeFailedFallsBackToSimilarity) {
  MapData d;
  FusionRun r = ThreeStreaming();
  for (auto& m : r.members) m.status = MemberStatus::Done;
  r.stage = RunStage::Judge;
  Call j;
  j.label = "judge";
  j.status = MemberStatus::Streaming;
  r.judge_calls.push_back(j);
  UpdateMapData(d, r, false);
  EXPECT_FALSE(d.judge_failed);  // still running

  r.judge_calls[0].status = MemberStatus::Failed;
  r.judge_parse.error_id = "judge.parse.no_json";
  r.judge_raw = "I cannot do that";
  r.stage = RunStage::Done;
  EXPECT_TRUE(UpdateMapData(d, r, false));
  EXPECT_TRUE(d.judge_failed);
  EXPECT_FALSE(d.has_analysis);
  EXPECT_TRUE(d.matrix.rows.empty());
  EXPECT_EQ(d.similarity.size(), 9u);
  // Model-model links come from similarity (A~B >= 0.5 -> an Agree edge).
  bool ab = false;
  for (const GraphEdge& e : d.graph.edges)
    if ((e.a == 0 && e.b == 1) || (e.a == 1 && e.b == 0)) ab = e.kind == StanceKind::Agree;
  EXPECT_TRUE(ab);
}

TEST(MapDataUpdate, WeightsFollowTokensOrCost) {
  MapData d;
  FusionRun r = ThreeStreaming();
  r.members[0].result.usage.completion_tokens = 100;
  r.members[1].result.usage.completion_tokens = 900;
  r.members[2].result.usage.completion_tokens = 500;
  r.members[0].cost = 0.05;
  r.members[1].cost = 0.001;
  r.members[2].cost = 0.01;
  UpdateMapData(d, r, false);
  EXPECT_LT(d.graph.nodes[0].weight, d.graph.nodes[1].weight);
  EXPECT_TRUE(UpdateMapData(d, r, true));  // the weighting is part of the key
  EXPECT_GT(d.graph.nodes[0].weight, d.graph.nodes[1].weight);
  EXPECT_FALSE(UpdateMapData(d, r, true));
}

TEST(MapDataUpdate, AllMembersFailed) {
  MapData d;
  FusionRun r = ThreeStreaming();
  for (auto& m : r.members) {
    m.status = MemberStatus::Failed;
    m.result.content.clear();
  }
  r.stage = RunStage::Failed;
  UpdateMapData(d, r, false);
  EXPECT_TRUE(d.judge_failed);
  ASSERT_EQ(d.similarity.size(), 9u);
  EXPECT_DOUBLE_EQ(d.similarity[1], 0);
  EXPECT_EQ(d.graph.nodes.size(), 3u);
}

}  // namespace
}  // namespace concord

namespace concord {
TEST(Redundancy, TheDearerOfTwoNearIdenticalMembersIsNamed) {
  const std::vector<std::string> labels{"A", "B", "C"};
  // A and C agree on 95% of the judged claims; B differs.
  const std::vector<double> m{1, 0.4, 0.95, 0.4, 1, 0.5, 0.95, 0.5, 1};
  RedundancyHint h = FindRedundancy(m, labels, {0.002, 0.001, 0.004}, true);
  EXPECT_EQ(h.a, 0);
  EXPECT_EQ(h.b, 2);
  EXPECT_EQ(h.drop, 2) << "C costs more than A for the same claims";
  EXPECT_NE(h.text.find("A and C take the same side on 95% of the judged claims"), std::string::npos) << h.text;
  EXPECT_NE(h.text.find("C adds the least for its cost"), std::string::npos);
  // Without an analysis the wording says what was measured.
  RedundancyHint s = FindRedundancy(m, labels, {0.002, 0.001, 0.001}, false);
  EXPECT_EQ(s.drop, 0);
  EXPECT_NE(s.text.find("local text similarity"), std::string::npos);
  // Below the threshold, an unanswered member, or only two members: no hint.
  EXPECT_TRUE(FindRedundancy({1, 0.5, 0.6, 0.5, 1, 0.5, 0.6, 0.5, 1}, labels, {1, 1, 1}, true).text.empty());
  EXPECT_TRUE(FindRedundancy(m, labels, {0.002, 0.001, -1}, true).text.empty());
  EXPECT_TRUE(FindRedundancy({1, 0.99, 0.99, 1}, {"A", "B"}, {1, 2}, true).text.empty());
}
}  // namespace concord
