// History storage rules: parse, merge another tab's runs, cap, and fit a full store.
#include <gtest/gtest.h>

#include "history.h"
#include "jsonutil.h"

namespace concord {
namespace {

FusionRun SavedRun(const std::string& id, double t) {
  FusionRun r;
  r.id = id;
  r.created_unix = t;
  r.config.prompt = "q " + id;
  Call c;
  c.label = "A";
  c.model = {"demo", "demo/atlas"};
  c.status = MemberStatus::Done;
  c.result.content = std::string(200, 'x');
  r.members.push_back(c);
  r.stage = RunStage::Done;
  return r;
}
std::string Stored(const std::vector<FusionRun>& runs) {
  json a = json::array();
  for (auto& r : runs) a.push_back(ExportRunJson(r));
  return Dump(a);
}
std::vector<std::string> Ids(const std::vector<FusionRun>& v) {
  std::vector<std::string> out;
  for (auto& r : v) out.push_back(r.id);
  return out;
}

TEST(History, ParseSkipsWhatIsNotARunAndCountsIt) {
  json a = json::array({ExportRunJson(SavedRun("a", 1)), 42, "not json", ExportRunJson(SavedRun("b", 2))});
  size_t skipped = 0;
  auto v = ParseHistory(Dump(a), &skipped);
  EXPECT_EQ(Ids(v), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(skipped, 2u);
  EXPECT_TRUE(ParseHistory("", &skipped).empty());
  EXPECT_EQ(skipped, 0u);
  EXPECT_TRUE(ParseHistory("{broken", &skipped).empty());
  EXPECT_EQ(skipped, 1u);
}

TEST(History, MergeKeepsAnotherTabsRunsButNotOnesDeletedHere) {
  std::vector<FusionRun> ours = {SavedRun("mine", 30), SavedRun("shared", 10)};
  std::vector<FusionRun> stored = ParseHistory(Stored({SavedRun("other", 20), SavedRun("shared", 10), SavedRun("gone", 40), SavedRun("", 50)}));
  auto v = MergeHistory(ours, stored, {"gone"});
  EXPECT_EQ(Ids(v), (std::vector<std::string>{"mine", "other", "shared"}));  // newest first, no repeats, no id-less run
}

TEST(History, MergeCapsToTheNewest) {
  std::vector<FusionRun> ours;
  for (int i = 0; i < 60; ++i) ours.push_back(SavedRun("r" + std::to_string(i), i));
  auto v = MergeHistory(ours, {}, {});
  ASSERT_EQ(v.size(), kHistoryMax);
  EXPECT_EQ(v.front().id, "r59");
  EXPECT_EQ(v.back().id, "r10");
}

TEST(History, RunsThisVersionCannotReadAreWrittenBackAsTheyWere) {
  const std::string newer = R"({"format":"concord.run","version":2,"id":"from-the-future"})";
  json stored = json::parse(Stored({SavedRun("a", 2)}));
  stored.push_back(newer);
  stored.push_back(json{{"not", "a string"}});
  size_t skipped = 0;
  std::vector<std::string> unreadable;
  const auto runs = ParseHistory(Dump(stored), &skipped, &unreadable);
  EXPECT_EQ(Ids(runs), (std::vector<std::string>{"a"}));
  EXPECT_EQ(skipped, 2u);
  ASSERT_EQ(unreadable.size(), 2u);
  EXPECT_EQ(unreadable[0], newer);
  std::string saved;
  EXPECT_EQ(SaveHistoryFitting({SavedRun("b", 3), runs[0]}, [&](const std::string& v) { saved = v; return true; }, nullptr, unreadable), 2u);
  const json back = json::parse(saved);
  ASSERT_EQ(back.size(), 4u);
  EXPECT_EQ(back[2], newer) << "byte for byte";
  std::vector<std::string> again;
  ParseHistory(saved, nullptr, &again);
  EXPECT_EQ(again, unreadable) << "a second save keeps them too";
}

TEST(History, AFullStoreDropsTheOldestUntilItFits) {
  std::vector<FusionRun> runs = {SavedRun("new", 3), SavedRun("mid", 2), SavedRun("old", 1)};
  const size_t one = Stored({runs[0]}).size();
  std::string saved;
  auto store = [&](const std::string& v) {
    if (v.size() > one + 10) return false;  // room for one run
    saved = v;
    return true;
  };
  bool any = false;
  EXPECT_EQ(SaveHistoryFitting(runs, store, &any), 1u);
  EXPECT_TRUE(any);
  EXPECT_EQ(Ids(ParseHistory(saved)), (std::vector<std::string>{"new"}));
  // A store that refuses everything: nothing kept, and that is said apart from "empty".
  EXPECT_EQ(SaveHistoryFitting(runs, [](const std::string&) { return false; }, &any), 0u);
  EXPECT_FALSE(any);
  EXPECT_EQ(SaveHistoryFitting({}, [](const std::string&) { return true; }, &any), 0u);
  EXPECT_TRUE(any);
}

}  // namespace
}  // namespace concord
