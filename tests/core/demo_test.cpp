// The in-page demo's endpoint rule, example list parsing and question matching.
#include <gtest/gtest.h>

#include "demo.h"
#include "settings.h"

using namespace concord;

TEST(Demo, InPageUrlIsRecognisedAndNeverANetworkScheme) {
  EXPECT_TRUE(IsInPageDemoUrl(kInPageDemoBase));
  EXPECT_TRUE(IsInPageDemoUrl(std::string(kInPageDemoBase) + "/chat/completions"));
  EXPECT_FALSE(IsInPageDemoUrl("http://127.0.0.1:8787/api/v1"));
  EXPECT_FALSE(IsInPageDemoUrl("https://openrouter.ai/api/v1"));
  EXPECT_EQ(BuildExamplesRequest(std::string(kInPageDemoBase) + "/").url, std::string(kInPageDemoBase) + "/examples");
  EXPECT_EQ(BuildExamplesRequest(kInPageDemoBase).method, "GET");
}

TEST(Demo, ParsesTheExampleList) {
  std::vector<DemoExample> ex;
  EXPECT_EQ(ParseDemoExamples(R"({"data":[{"question":"Q1?","label":"one","kind":"k","panel":"self","search":true},
                                          {"label":"no question: skipped"},{"question":"Q2"}]})", ex), "");
  ASSERT_EQ(ex.size(), 2u);
  EXPECT_EQ(ex[0].label, "one");
  EXPECT_EQ(ex[0].panel, "self");
  EXPECT_TRUE(ex[0].search);
  EXPECT_EQ(ex[1].label, "Q2");  // the question stands in for a missing label
  EXPECT_EQ(ex[1].panel, "demo");
  EXPECT_FALSE(ex[1].search);
}

TEST(Demo, BadExampleListsGiveStableIds) {
  std::vector<DemoExample> ex{{"old", "", "", "", false}};
  EXPECT_EQ(ParseDemoExamples("<html>", ex).rfind("[demo.examples.bad_json]", 0), 0u);
  EXPECT_TRUE(ex.empty());
  EXPECT_EQ(ParseDemoExamples(R"({"models":[]})", ex).rfind("[demo.examples.no_data]", 0), 0u);
}

TEST(Demo, QuestionsMatchIgnoringCaseSpacingAndFinalPunctuation) {
  std::vector<DemoExample> ex{{"Can you see the Great Wall of China from space with the naked eye?", "", "", "demo", false},
                              {"Roughly how many piano tuners work in Chicago?", "", "", "demo", false}};
  EXPECT_EQ(FindExample(ex, "Can you see the Great Wall of China from space with the naked eye?"), 0);
  EXPECT_EQ(FindExample(ex, "  can you see the great wall of china\nfrom space with the naked eye  "), 0);
  EXPECT_EQ(FindExample(ex, "Roughly how many piano tuners work in Chicago!!"), 1);
  EXPECT_EQ(FindExample(ex, "Is it safe to eat raw cookie dough? Give the real risks."), -1);
  EXPECT_EQ(FindExample(ex, "Can you see the Great Wall"), -1);  // a prefix is another question
  EXPECT_EQ(FindExample(ex, ""), -1);
}

TEST(Demo, SettingsDefaultToTheInPageDemoAndMoveTheOldSimulatorDefault) {
  Settings s;
  EXPECT_EQ(s.demo_base, kInPageDemoBase);
  EXPECT_TRUE(ValidateSettings(s, "q").size() <= 2);  // panel and judge empty, but the base is valid
  for (auto& e : ValidateSettings(s, "q")) EXPECT_EQ(e.find("demo provider URL"), std::string::npos) << e;
  Settings old;
  SettingsFromJson(std::string(R"({"demo_base":")") + kLegacyDemoBase + "\"}", old);
  EXPECT_EQ(old.demo_base, kInPageDemoBase);
  Settings local;
  SettingsFromJson(R"({"demo_base":"http://127.0.0.1:9999/api/v1"})", local);
  EXPECT_EQ(local.demo_base, "http://127.0.0.1:9999/api/v1");  // a simulator the user chose stays
}
