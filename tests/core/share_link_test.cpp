// Share links and the URL helpers behind them: parse, format, apply, hostile input.
#include <gtest/gtest.h>

#include "share_link.h"
#include "url.h"

namespace concord {
namespace {

TEST(Url, PercentEncodingKeepsOnlyWhatItIsAskedToKeep) {
  EXPECT_EQ(PercentEncode("a b/c:d"), "a%20b%2Fc%3Ad");
  EXPECT_EQ(PercentEncode("a b/c:d", "/:"), "a%20b/c:d");
  EXPECT_EQ(PercentDecode(PercentEncode("é & = ? #")), "é & = ? #");
  EXPECT_EQ(PercentDecode("100%"), "100%");  // malformed escape kept
}

TEST(Url, QueryPairsDecodeBothSidesAndSkipTheLeadingMark) {
  auto p = QueryPairs("#a=1&b%20c=x%26y&flag&=v");
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0], (std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(p[1], (std::pair<std::string, std::string>{"b c", "x&y"}));
  EXPECT_EQ(p[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ(p[3].first, "");
}

TEST(Url, OnlyLoopbackCountsAsLoopback) {
  EXPECT_TRUE(IsLoopbackHttpUrl("http://127.0.0.1:8787/api/v1"));
  EXPECT_TRUE(IsLoopbackHttpUrl("http://localhost:3000"));
  EXPECT_FALSE(IsLoopbackHttpUrl("http://127.0.0.1.evil.com/api"));
  EXPECT_FALSE(IsLoopbackHttpUrl("https://evil.com/?u=http://127.0.0.1:1"));
  // User info before the host: the browser goes to the host after '@'.
  EXPECT_FALSE(IsLoopbackHttpUrl("https://localhost:@evil.example/api/v1"));
  EXPECT_FALSE(IsLoopbackHttpUrl("http://127.0.0.1:80@evil.example/api/v1"));
  EXPECT_FALSE(IsLoopbackHttpUrl("http://localhost:80x/api"));
  EXPECT_FALSE(IsLoopbackHttpUrl("http://localhost:/api"));
  EXPECT_TRUE(IsLoopbackHttpUrl("https://[::1]:8443/api/v1?x=@"));
  EXPECT_TRUE(IsHttpUrl("https://openrouter.ai/api/v1"));
  EXPECT_FALSE(IsHttpUrl("https:///nohost"));
  EXPECT_FALSE(IsHttpUrl("javascript:alert(1)"));
}

TEST(MemberSpec, CarriesEverySettingAndSaysWhatItDropped) {
  ModelRef m{"openrouter", "google/gemini-3-flash", 0.7, 2000, "high"};
  EXPECT_EQ(FormatMemberSpec(m), "google/gemini-3-flash;t=0.7;max=2000;effort=high");
  EXPECT_EQ(FormatMemberSpec(ModelRef{"demo", "demo/atlas"}), "demo/atlas");
  ModelRef out;
  std::string why;
  ASSERT_TRUE(ParseMemberSpec("x/y;t=3;max=12.5;effort=turbo;colour=red", "demo", out, why));
  EXPECT_EQ(out.model, "x/y");
  EXPECT_DOUBLE_EQ(out.temperature, -1);
  EXPECT_EQ(out.max_tokens, 0);
  EXPECT_EQ(out.effort, "");
  EXPECT_NE(why.find("\"t=3\""), std::string::npos);
  EXPECT_NE(why.find("\"colour=red\""), std::string::npos);
  EXPECT_FALSE(ParseMemberSpec(";t=1", "demo", out, why));
}

TEST(ShareLink, FormatThenParseGivesBackTheSamePanelJudgeWriterAndPrompt) {
  Settings s;
  s.openrouter_key = "sk-or-v1-secret";
  s.panel = {{"openrouter", "a/one", 0.2, 0, "low"}, {"openrouter", "b/two", -1, 4000}};
  s.judges = {{"openrouter", "j/judge"}};
  s.writers = {{"openrouter", "w/writer", -1, 0, "medium"}};
  const std::string prompt = "Is 1 + 1 = 2? & what about #3?";
  std::string h = FormatShareLink(s, prompt);
  EXPECT_EQ(h.find("sk-or"), std::string::npos);  // never a key
  EXPECT_NE(h.find("panel=a/one;t=0.2;effort=low,b/two;max=4000"), std::string::npos);
  ShareLink l = ParseShareLink("#" + h);
  EXPECT_TRUE(l.notes.empty());
  EXPECT_EQ(l.prompt, prompt);
  EXPECT_EQ(l.provider, "openrouter");
  ASSERT_EQ(l.panel.size(), 2u);
  EXPECT_EQ(l.panel[0].endpoint, "openrouter");
  EXPECT_EQ(l.panel[0].effort, "low");
  EXPECT_EQ(l.panel[1].max_tokens, 4000);
  ASSERT_EQ(l.writers.size(), 1u);
  EXPECT_EQ(l.writers[0].effort, "medium");
  Settings fresh;
  ApplyShareLink(l, fresh);
  EXPECT_FALSE(fresh.force_demo);
  ASSERT_EQ(fresh.panel.size(), 2u);
  EXPECT_EQ(fresh.judges[0].model, "j/judge");
  EXPECT_EQ(fresh.writers[0].model, "w/writer");
}

TEST(ShareLink, HostileLinksAreCappedAndNoted) {
  std::string panel;
  for (int i = 0; i < 12; ++i) panel += (panel.empty() ? "" : ",") + std::string("m/") + std::to_string(i);
  ShareLink l = ParseShareLink("panel=" + panel + "&provider=evil&mode=turbo&demo=https://evil.example/api&prompt=" +
                               std::string(100010, 'x'));
  EXPECT_EQ(l.panel.size(), 8u);
  EXPECT_EQ(l.provider, "demo");
  EXPECT_EQ(l.panel[0].endpoint, "demo");
  EXPECT_EQ(l.mode, "");
  EXPECT_EQ(l.demo_base, "");
  EXPECT_EQ(l.prompt.size(), 100000u);
  EXPECT_EQ(l.notes.size(), 5u);  // provider, mode, demo, cut prompt, more than 8
  Settings s;
  ApplyShareLink(l, s);
  EXPECT_TRUE(s.force_demo);
  EXPECT_EQ(s.demo_base, Settings().demo_base);
  // A cut never splits a character: "é" is two bytes, the 100,000th byte its first.
  const ShareLink e = ParseShareLink("prompt=" + std::string(99999, 'x') + "%C3%A9tail");
  EXPECT_EQ(e.prompt, std::string(99999, 'x'));
  // A value quoted back in a note is short and on one line: a link cannot write a paragraph
  // of its own above the answer.
  const ShareLink p = ParseShareLink("provider=Your%20key%20expired.%0ARe-enter%20it%20at%20https%3A%2F%2Fevil.example%2Flogin%20now");
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_EQ(p.notes[0].find("evil.example"), std::string::npos) << p.notes[0];
  EXPECT_EQ(p.notes[0].find('\n'), std::string::npos);
  EXPECT_NE(p.notes[0].find("…"), std::string::npos);
}

TEST(ShareLink, SelfModeSpreadsTheFirstMemberAndALoopbackDemoIsTaken) {
  ShareLink l = ParseShareLink("panel=demo/atlas;effort=low&mode=self&demo=http://127.0.0.1:8787/api/v1");
  Settings s;
  ApplyShareLink(l, s);
  EXPECT_EQ(s.demo_base, "http://127.0.0.1:8787/api/v1");
  ASSERT_EQ(s.panel.size(), 3u);
  EXPECT_DOUBLE_EQ(s.panel[0].temperature, 0.2);
  EXPECT_DOUBLE_EQ(s.panel[2].temperature, 1.1);
  EXPECT_EQ(s.panel[2].effort, "low");  // the member's own settings are kept across the spread
  ShareLink one = ParseShareLink("mode=one-phase");
  s.two_phase_judge = true;
  ApplyShareLink(one, s);
  EXPECT_FALSE(s.two_phase_judge);
}

}  // namespace
}  // namespace concord
