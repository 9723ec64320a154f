// Tests for the map data: stance matrix rules, agreement math, TF-IDF similarity, layout
// determinism and bounds, quote finding and CSV export.
#include "maps.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>

#include "judge.h"

using namespace concord;

namespace {

const std::vector<std::string> kABC = {"A", "B", "C"};

Analysis Sample() {
  Analysis a;
  a.consensus.push_back({"c0", {"A", "Response B"}, 0.9});
  a.contradictions.push_back({"t0",
                              {{"A", "Use a mutex here"},
                               {"B", "use a mutex here"},
                               {"C", "Use lock-free atomics instead"}},
                              "x"});
  a.partial_coverage.push_back({"p0", {"C", "Z"}});
  a.unique_insights.push_back({"B", "u0", "good"});
  a.blind_spots.push_back("b0");
  return a;
}

const StanceRow* FindRow(const StanceMatrix& m, RowSection s, int idx) {
  for (const auto& r : m.rows)
    if (r.section == s && r.source_index == idx) return &r;
  return nullptr;
}

}  // namespace

// ---- Stance matrix -------------------------------------------------------------------------

TEST(StanceMatrix, SectionsAndCells) {
  StanceMatrix m = BuildStanceMatrix(Sample(), kABC);
  EXPECT_EQ(m.columns, kABC);
  ASSERT_EQ(m.rows.size(), 5u);
  EXPECT_EQ(m.rows[0].section, RowSection::Consensus);
  EXPECT_EQ(m.rows[1].section, RowSection::Contradiction);
  EXPECT_EQ(m.rows[2].section, RowSection::Partial);
  EXPECT_EQ(m.rows[3].section, RowSection::Unique);
  EXPECT_EQ(m.rows[4].section, RowSection::BlindSpot);
  using K = StanceKind;
  EXPECT_EQ(m.rows[0].cells, (std::vector<K>{K::Agree, K::Agree, K::Silent}));
  // A and B say the same (case-insensitively): the bigger side agrees, C disagrees.
  EXPECT_EQ(m.rows[1].cells, (std::vector<K>{K::Agree, K::Agree, K::Disagree}));
  EXPECT_EQ(m.rows[1].notes[2], "Use lock-free atomics instead");
  EXPECT_EQ(m.rows[2].cells, (std::vector<K>{K::Silent, K::Silent, K::Partial}));  // "Z" ignored
  EXPECT_EQ(m.rows[3].cells, (std::vector<K>{K::Silent, K::Agree, K::Silent}));
  EXPECT_EQ(m.rows[4].cells, (std::vector<K>{K::Silent, K::Silent, K::Silent}));
  for (const auto& r : m.rows) {
    EXPECT_EQ(r.cells.size(), 3u);
    EXPECT_EQ(r.notes.size(), 3u);
  }
}

TEST(StanceMatrix, ContradictionSidesTiesAndHedges) {
  using K = StanceKind;
  Analysis a;
  // Tie (1 vs 1): the first stance's side agrees.
  a.contradictions.push_back({"tie", {{"B", "yes it is safe"}, {"A", "no, never do that"}}, ""});
  // Minority reference: B alone vs A, C sharing words -> B Disagree.
  a.contradictions.push_back({"min",
                              {{"B", "the answer is 42"},
                               {"A", "it is definitely 7 in most cases"},
                               {"C", "it is 7 in most cases definitely"}},
                              ""});
  // Hedged stance is Partial; the unknown model and the empty stance are ignored.
  a.contradictions.push_back({"hedge",
                              {{"A", "It depends on the workload"},
                               {"B", "always use X"},
                               {"Q", "nonsense"},
                               {"C", "   "}},
                              ""});
  StanceMatrix m = BuildStanceMatrix(a, kABC);
  ASSERT_EQ(m.rows.size(), 3u);
  EXPECT_EQ(m.rows[0].cells, (std::vector<K>{K::Disagree, K::Agree, K::Silent}));
  // Word sets of A and C are identical apart from order -> same side.
  EXPECT_EQ(m.rows[1].cells, (std::vector<K>{K::Agree, K::Disagree, K::Agree}));
  EXPECT_EQ(m.rows[2].cells, (std::vector<K>{K::Partial, K::Agree, K::Silent}));
  EXPECT_EQ(m.rows[2].notes[0], "It depends on the workload");
  EXPECT_EQ(m.rows[2].notes[2], "");
}

TEST(StanceMatrix, StancesThatNameDifferentNumbersAreDifferentSides) {
  using K = StanceKind;
  Analysis a;
  // Almost every word is shared; only the numbers differ, and they are the disagreement.
  a.contradictions.push_back({"price",
                              {{"A", "The ball costs 10 cents, and the bat costs $1.00."},
                               {"B", "The ball costs 10 cents, and the bat costs $1.00."},
                               {"C", "The ball costs 5 cents, and the bat costs $1.05."}},
                              ""});
  // The same numbers in other words stay on one side; thousands separators do not matter.
  a.contradictions.push_back({"count",
                              {{"A", "About 1,000 tunings a year per tuner"}, {"B", "about 1000 tunings per tuner a year"},
                               {"C", "about 700 tunings per tuner a year"}},
                              ""});
  // Three different estimates are three sides: no two of them agree.
  a.contradictions.push_back({"estimate",
                              {{"A", "roughly 100 to 150 tuners"}, {"B", "only about 50 tuners"}, {"C", "around 280 tuners"}},
                              ""});
  // Two of four on one side, the others each alone: the pair agrees.
  a.contradictions.push_back({"split",
                              {{"A", "about 50 tuners"}, {"B", "about 280 tuners"}, {"C", "about 280 tuners"}},
                              ""});
  StanceMatrix m = BuildStanceMatrix(a, kABC);
  ASSERT_EQ(m.rows.size(), 4u);
  EXPECT_EQ(m.rows[0].cells, (std::vector<K>{K::Agree, K::Agree, K::Disagree}));
  EXPECT_EQ(m.rows[1].cells, (std::vector<K>{K::Agree, K::Agree, K::Disagree}));
  EXPECT_EQ(m.rows[2].cells, (std::vector<K>{K::Agree, K::Disagree, K::Disagree}));
  EXPECT_EQ(m.rows[3].cells, (std::vector<K>{K::Disagree, K::Agree, K::Agree}));

  // The heat map says the same: B's 50 and C's 280 are both minorities, not an agreement.
  StanceMatrix three;
  three.columns = kABC;
  three.rows = {m.rows[2]};
  std::vector<double> ag = AgreementFromStances(three);
  EXPECT_DOUBLE_EQ(ag[1 * 3 + 2], 0.0) << "two different minority sides";
  EXPECT_DOUBLE_EQ(ag[0 * 3 + 1], 0.0);
  StanceMatrix pair;
  pair.columns = kABC;
  pair.rows = {m.rows[0]};
  ag = AgreementFromStances(pair);
  EXPECT_DOUBLE_EQ(ag[0 * 3 + 1], 1.0) << "the same side still agrees";
}

// Stances that share most words but say opposite things are different sides: a negation, or a
// short stance with one word swapped for another. Paraphrases stay one side.
TEST(StanceMatrix, NegationsAndSwappedWordsAreDifferentSides) {
  using K = StanceKind;
  Analysis a;
  a.contradictions.push_back({"orbit", {{"A", "Visible from low orbit"}, {"B", "Not visible from low orbit"}, {"C", "visible from low orbit"}}, ""});
  a.contradictions.push_back({"wall", {{"A", "The wall can be seen from orbit"}, {"B", "The wall can't be seen from orbit"}, {"C", "The wall can be seen from orbit"}}, ""});
  a.contradictions.push_back({"hiring", {{"A", "Rust developers are scarce"}, {"B", "C++ developers are scarce"}, {"C", "Rust developers are scarce"}}, ""});
  a.contradictions.push_back({"paraphrase", {{"A", "About 2.1 million people live in the city"}, {"B", "roughly 2.1 million people live in the city proper"},
                                              {"C", "12 million in the metro area"}}, ""});
  StanceMatrix m = BuildStanceMatrix(a, kABC);
  ASSERT_EQ(m.rows.size(), 4u);
  EXPECT_EQ(m.rows[0].cells, (std::vector<K>{K::Agree, K::Disagree, K::Agree})) << "not visible";
  EXPECT_EQ(m.rows[1].cells, (std::vector<K>{K::Agree, K::Disagree, K::Agree})) << "can't";
  EXPECT_EQ(m.rows[2].cells, (std::vector<K>{K::Agree, K::Disagree, K::Agree})) << "Rust vs C++";
  EXPECT_EQ(m.rows[3].cells, (std::vector<K>{K::Agree, K::Agree, K::Disagree})) << "the same figure in other words";
}

TEST(StanceMatrix, MinorityPositionsHaveTheirOwnSection) {
  Analysis a;
  a.consensus.push_back({"shared", {"A", "B", "C"}, 0.9});
  a.unique_insights.push_back({"B", "an insight", ""});
  a.minority.push_back({"C", "The ball costs 5 cents.", "the only answer that checks out"});
  StanceMatrix m = BuildStanceMatrix(a, kABC);
  ASSERT_EQ(m.rows.size(), 3u);
  EXPECT_EQ(m.rows[1].section, RowSection::Minority) << "after consensus and contradictions, before the rest";
  EXPECT_EQ(m.rows[1].cells, (std::vector<StanceKind>{StanceKind::Silent, StanceKind::Silent, StanceKind::Agree}));
  EXPECT_EQ(m.rows[1].notes[2], "The ball costs 5 cents.");
}

TEST(StanceMatrix, TenModelsSixtyClaims) {
  std::vector<std::string> labels;
  for (int i = 0; i < 10; ++i) labels.push_back(std::string(1, static_cast<char>('A' + i)));
  Analysis a;
  for (int k = 0; k < 60; ++k) {
    ConsensusClaim c;
    c.claim = "claim " + std::to_string(k);
    for (int i = 0; i < 10; ++i)
      if ((k + i) % 3 != 0) c.models.push_back("Response " + labels[static_cast<size_t>(i)]);
    a.consensus.push_back(c);
    Contradiction d;
    d.topic = "topic " + std::to_string(k);
    for (int i = 0; i < 10; ++i)
      d.stances.push_back({labels[static_cast<size_t>(i)], (i + k) % 2 ? "side one text here" : "other position entirely"});
    a.contradictions.push_back(d);
  }
  StanceMatrix m = BuildStanceMatrix(a, labels);
  ASSERT_EQ(m.rows.size(), 120u);
  for (const auto& r : m.rows) ASSERT_EQ(r.cells.size(), 10u);
  const StanceRow* r5 = FindRow(m, RowSection::Consensus, 5);
  ASSERT_TRUE(r5);
  EXPECT_EQ(r5->cells[1], StanceKind::Silent);  // (5+1)%3 == 0
  EXPECT_EQ(r5->cells[0], StanceKind::Agree);
  const StanceRow* t0 = FindRow(m, RowSection::Contradiction, 0);
  ASSERT_TRUE(t0);
  EXPECT_EQ(t0->cells[0], StanceKind::Agree);  // 5 vs 5 tie: reference side agrees
  EXPECT_EQ(t0->cells[1], StanceKind::Disagree);

  std::vector<double> ag = AgreementFromStances(m);
  ASSERT_EQ(ag.size(), 100u);
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j) {
      EXPECT_DOUBLE_EQ(ag[i * 10 + j], ag[j * 10 + i]);
      EXPECT_GE(ag[i * 10 + j], 0.0);
      EXPECT_LE(ag[i * 10 + j], 1.0);
    }

  auto t = std::chrono::steady_clock::now();
  GraphLayout g = LayoutGraph(m, ag, {});
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  EXPECT_LT(secs, 2.0);
  EXPECT_EQ(g.nodes.size(), 70u);
  for (const auto& nd : g.nodes) {
    EXPECT_GE(nd.x, 0.05f);
    EXPECT_LE(nd.x, 0.95f);
    EXPECT_GE(nd.y, 0.05f);
    EXPECT_LE(nd.y, 0.95f);
    EXPECT_TRUE(std::isfinite(nd.x) && std::isfinite(nd.y));
  }
  EXPECT_EQ(g.edges.size(), 600u + 45u);  // every model has a stance on every topic + all pairs
}

// ---- Agreement -----------------------------------------------------------------------------

TEST(Agreement, HandBuiltMatrix) {
  using K = StanceKind;
  StanceMatrix m;
  m.columns = {"A", "B", "C", "D"};
  auto row = [](std::vector<K> c) {
    StanceRow r;
    r.section = RowSection::Contradiction;
    r.cells = std::move(c);
    return r;
  };
  m.rows.push_back(row({K::Agree, K::Agree, K::Disagree, K::Silent}));
  m.rows.push_back(row({K::Agree, K::Partial, K::Agree, K::Silent}));
  m.rows.push_back(row({K::Disagree, K::Disagree, K::Silent, K::Silent}));
  m.rows.push_back(row({K::Agree}));  // short row: missing cells are Silent
  std::vector<double> ag = AgreementFromStances(m);
  ASSERT_EQ(ag.size(), 16u);
  auto at = [&](int i, int j) { return ag[static_cast<size_t>(i * 4 + j)]; };
  EXPECT_DOUBLE_EQ(at(0, 0), 1);
  EXPECT_DOUBLE_EQ(at(3, 3), 1);
  EXPECT_DOUBLE_EQ(at(0, 1), (1 + 0.5 + 1) / 3.0);
  EXPECT_DOUBLE_EQ(at(0, 2), (0 + 1) / 2.0);
  EXPECT_DOUBLE_EQ(at(1, 2), (0 + 0.5) / 2.0);
  EXPECT_DOUBLE_EQ(at(1, 0), at(0, 1));
  EXPECT_DOUBLE_EQ(at(0, 3), -1);
  EXPECT_DOUBLE_EQ(at(3, 2), -1);
  EXPECT_TRUE(AgreementFromStances(StanceMatrix{}).empty());
}

// ---- Similarity ----------------------------------------------------------------------------

TEST(Similarity, IdenticalDisjointSymmetric) {
  std::vector<std::string> t = {"The quick brown fox jumps over the lazy dog.",
                                "the QUICK brown fox, jumps over the lazy dog!",
                                "Completely unrelated sentence about databases.",
                                "",
                                "The quick brown cat sleeps under the lazy dog."};
  std::vector<double> s = TextSimilarity(t);
  ASSERT_EQ(s.size(), 25u);
  auto at = [&](int i, int j) { return s[static_cast<size_t>(i * 5 + j)]; };
  EXPECT_NEAR(at(0, 1), 1.0, 1e-9);
  EXPECT_NEAR(at(0, 2), 0.0, 1e-9);
  for (int i = 0; i < 5; ++i) {
    EXPECT_DOUBLE_EQ(at(i, i), 1.0);
    for (int j = 0; j < 5; ++j) EXPECT_DOUBLE_EQ(at(i, j), at(j, i));
  }
  EXPECT_DOUBLE_EQ(at(3, 0), 0.0);  // empty text
  EXPECT_GT(at(0, 4), 0.2);
  EXPECT_LT(at(0, 4), 0.9);
  EXPECT_TRUE(TextSimilarity({}).empty());
}

TEST(Similarity, Utf8Words) {
  std::vector<std::string> t = {"Привет мир — это тест", "привет мир", "東京は日本の首都です", "日本の首都は東京です"};
  std::vector<double> s = TextSimilarity(t);
  EXPECT_GT(s[0 * 4 + 1], 0.3);
  EXPECT_NEAR(s[0 * 4 + 2], 0.0, 1e-9);
  EXPECT_GT(s[2 * 4 + 3], 0.3);  // CJK characters are tokens of their own
}

TEST(Similarity, EightTimesThirtyKbIsFast) {
  std::vector<std::string> t(8);
  for (size_t d = 0; d < 8; ++d) {
    unsigned x = static_cast<unsigned>(d) * 2654435761u + 1;
    while (t[d].size() < 30000) {
      x = x * 1664525u + 1013904223u;
      t[d] += "word" + std::to_string((x >> 8) % 3000) + ' ';
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  std::vector<double> s = TextSimilarity(t);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(s.size(), 64u);
  // 20 ms is the target for optimised native builds; sanitizer builds are several times slower.
  EXPECT_LT(ms, 400.0);
  RecordProperty("similarity_ms", std::to_string(ms));
}

// ---- Layout --------------------------------------------------------------------------------

TEST(Layout, DeterministicAndBounded) {
  StanceMatrix m = BuildStanceMatrix(Sample(), kABC);
  std::vector<double> ag = AgreementFromStances(m);
  GraphLayout g1 = LayoutGraph(m, ag, {1, 2, 3});
  GraphLayout g2 = LayoutGraph(m, ag, {1, 2, 3});
  ASSERT_EQ(g1.nodes.size(), 4u);  // 3 models + 1 contradiction topic
  ASSERT_EQ(g1.nodes.size(), g2.nodes.size());
  for (size_t i = 0; i < g1.nodes.size(); ++i) {
    EXPECT_EQ(g1.nodes[i].x, g2.nodes[i].x);
    EXPECT_EQ(g1.nodes[i].y, g2.nodes[i].y);
    EXPECT_EQ(g1.nodes[i].label, g2.nodes[i].label);
  }
  EXPECT_FALSE(g1.nodes[0].is_topic);
  EXPECT_TRUE(g1.nodes[3].is_topic);
  EXPECT_EQ(g1.nodes[3].label, "t0");
  EXPECT_FLOAT_EQ(g1.nodes[0].weight, 0.5f);
  EXPECT_FLOAT_EQ(g1.nodes[1].weight, 1.0f);
  EXPECT_FLOAT_EQ(g1.nodes[2].weight, 1.5f);
  // Topic edges: kind from the cell, text = the stance.
  int topic_edges = 0;
  for (const auto& e : g1.edges)
    if (e.a == 3) {
      ++topic_edges;
      if (e.b == 2) {
        EXPECT_EQ(e.kind, StanceKind::Disagree);
        EXPECT_EQ(e.text, "Use lock-free atomics instead");
      }
    }
  EXPECT_EQ(topic_edges, 3);
  // Model-model edges: A-B agree fully.
  bool ab = false;
  for (const auto& e : g1.edges)
    if (e.a == 0 && e.b == 1) { ab = true; EXPECT_EQ(e.kind, StanceKind::Agree); }
  EXPECT_TRUE(ab);
}

TEST(Layout, EqualOrMissingWeightsAndNoAgreement) {
  StanceMatrix m = BuildStanceMatrix(Sample(), kABC);
  GraphLayout g = LayoutGraph(m, {}, {5, 5, 5});
  for (size_t i = 0; i < 3; ++i) EXPECT_FLOAT_EQ(g.nodes[i].weight, 1.0f);
  for (const auto& e : g.edges) EXPECT_GE(e.a, 3);  // only topic edges
  GraphLayout g2 = LayoutGraph(m, {}, {1});  // wrong size: ignored
  EXPECT_FLOAT_EQ(g2.nodes[0].weight, 1.0f);
  GraphLayout e = LayoutGraph(StanceMatrix{}, {}, {});
  EXPECT_TRUE(e.nodes.empty());
  StanceMatrix one;
  one.columns = {"A"};
  GraphLayout g1 = LayoutGraph(one, {1.0}, {});
  ASSERT_EQ(g1.nodes.size(), 1u);
  EXPECT_TRUE(std::isfinite(g1.nodes[0].x));
}

// ---- FindQuote -----------------------------------------------------------------------------

TEST(FindQuote, Cases) {
  const std::string text = "First, preheat the oven to 200 C. Then bake the bread for 30 minutes until golden.";
  auto r = FindQuote(text, "PREHEAT the oven");
  EXPECT_EQ(text.substr(static_cast<size_t>(r.first), static_cast<size_t>(r.second - r.first)), "preheat the oven");
  r = FindQuote(text, "\"bake the bread\"");  // quotation marks are not part of the answer
  EXPECT_EQ(text.substr(static_cast<size_t>(r.first), static_cast<size_t>(r.second - r.first)), "bake the bread");
  // Paraphrase: the longest run of consecutive words that appears in the text.
  r = FindQuote(text, "they say to bake the bread for 30 minutes, roughly");
  EXPECT_EQ(text.substr(static_cast<size_t>(r.first), static_cast<size_t>(r.second - r.first)),
            "bake the bread for 30 minutes");
  r = FindQuote(text, "Bake  the\nbread");  // whitespace differs: word run of the whole quote
  EXPECT_EQ(text.substr(static_cast<size_t>(r.first), static_cast<size_t>(r.second - r.first)), "bake the bread");
  EXPECT_EQ(FindQuote(text, "the oven is hot"), std::make_pair(-1, -1));  // only 2 consecutive words
  EXPECT_EQ(FindQuote(text, "nothing like it"), std::make_pair(-1, -1));
  EXPECT_EQ(FindQuote(text, ""), std::make_pair(-1, -1));
  EXPECT_EQ(FindQuote("", "abc"), std::make_pair(-1, -1));
  r = FindQuote(text, "golden!!");  // one-word quote: the whole quote as a run
  EXPECT_EQ(text.substr(static_cast<size_t>(r.first), static_cast<size_t>(r.second - r.first)), "golden");
  const std::string u = "Ответ: вода кипит при 100 градусах.";
  r = FindQuote(u, "вода кипит при 90 градусах");
  EXPECT_EQ(u.substr(static_cast<size_t>(r.first), static_cast<size_t>(r.second - r.first)), "вода кипит при");
}

// ---- CSV -----------------------------------------------------------------------------------

TEST(Csv, QuotingAndInjection) {
  StanceMatrix m;
  m.columns = {"A", "B"};
  StanceRow r1;
  r1.section = RowSection::Consensus;
  r1.text = "plain";
  r1.cells = {StanceKind::Agree, StanceKind::Silent};
  StanceRow r2;
  r2.section = RowSection::Contradiction;
  r2.text = "has, comma and \"quotes\"\nand a newline";
  r2.cells = {StanceKind::Disagree, StanceKind::Partial};
  StanceRow r3;
  r3.section = RowSection::BlindSpot;
  r3.text = "=HYPERLINK(\"http://x\")";
  r3.cells = {StanceKind::Silent};  // short row
  m.rows = {r1, r2, r3};
  std::string csv = StanceMatrixCsv(m, {"gpt, 4o", "@claude"});
  EXPECT_EQ(csv,
            "section,row,\"gpt, 4o\",'@claude\r\n"
            "consensus,plain,agree,silent\r\n"
            "contradiction,\"has, comma and \"\"quotes\"\"\nand a newline\",disagree,partial\r\n"
            "blind_spot,\"'=HYPERLINK(\"\"http://x\"\")\",silent,silent\r\n");
  // Missing column names fall back to the labels.
  EXPECT_EQ(StanceMatrixCsv(m, {}).substr(0, 17), "section,row,A,B\r\n");
  EXPECT_EQ(StanceMatrixCsv(StanceMatrix{}, {}), "section,row\r\n");
  StanceRow neg;
  neg.section = RowSection::Partial;
  neg.text = "-5 degrees";
  m.rows = {neg};
  EXPECT_NE(StanceMatrixCsv(m, {}).find("partial,'-5 degrees,silent,silent"), std::string::npos);
}
