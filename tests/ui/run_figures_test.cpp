// The figures a run shows as text (the summary's SummaryTimes and SummarySpread, a card's
// CardMetrics): what they claim must be true at every moment of a run, not only at its end.
#include <gtest/gtest.h>

#include "panels.h"

namespace concord {
namespace {

Call Member(MemberStatus st, double t_end, double cost) {
  Call c;
  c.status = st;
  c.t_queued = 0;
  c.t_end = t_end;
  c.cost = cost;
  return c;
}

TEST(Summary, BeforeTheFirstAnswerItNamesNoSlowestMemberAndNoSpread) {
  FusionRun r;
  r.members = {Member(MemberStatus::Streaming, -1, 0), Member(MemberStatus::Streaming, -1, 0), Member(MemberStatus::Queued, -1, 0)};
  const std::string times = SummaryTimes(r, 1.18);
  EXPECT_EQ(times.find("slowest"), std::string::npos) << times;
  EXPECT_NE(times.find("0/3 answered"), std::string::npos) << times;
  EXPECT_EQ(SummarySpread(r), "") << "no member has a cost yet: $0 would be a claim";
}

TEST(Summary, WhileMembersStreamTheFiguresSaySoFar) {
  FusionRun r;
  r.members = {Member(MemberStatus::Done, 0.9, 0.0002), Member(MemberStatus::Streaming, -1, 0), Member(MemberStatus::Done, 0.6, 0.0001)};
  const std::string times = SummaryTimes(r, 1.2);
  EXPECT_NE(times.find("2/3 answered"), std::string::npos) << times;
  EXPECT_NE(times.find("slowest answer so far"), std::string::npos) << times;
  EXPECT_NE(times.find(FormatSeconds(0.9)), std::string::npos) << times;
  const std::string spread = SummarySpread(r);
  EXPECT_NE(spread.find("so far"), std::string::npos) << spread;
  EXPECT_NE(spread.find(FormatCost(0.0001)), std::string::npos) << spread;
  EXPECT_NE(spread.find(FormatCost(0.0002)), std::string::npos) << spread;
}

TEST(Summary, OnceEveryMemberHasSettledTheyAreTheRunsFigures) {
  FusionRun r;
  r.members = {Member(MemberStatus::Done, 0.9, 0.0002), Member(MemberStatus::Failed, 0.3, 0), Member(MemberStatus::Done, 2.5, 0.0001)};
  r.t_end = 3.1;
  const std::string times = SummaryTimes(r, 99);
  EXPECT_NE(times.find("wall " + FormatSeconds(3.1)), std::string::npos) << "the run's end, not now: " << times;
  EXPECT_NE(times.find("(slowest member " + FormatSeconds(2.5) + ")"), std::string::npos) << times;
  const std::string spread = SummarySpread(r);
  EXPECT_EQ(spread.find("so far"), std::string::npos) << spread;
  EXPECT_NE(spread.find("cheapest member " + FormatCost(0.0001)), std::string::npos) << "a failed member is not the cheapest: " << spread;
  EXPECT_NE(spread.find("dearest member " + FormatCost(0.0002)), std::string::npos) << spread;
}

TEST(CardMetrics, WhileAnAnswerStreamsItClaimsNoTokensOrCost) {
  Call c = Member(MemberStatus::Streaming, -1, 0);
  c.t_start = 0;
  c.t_first_token = 0.5;
  const std::string line = CardMetrics(c, 1.9);
  EXPECT_EQ(line.find("tokens out"), std::string::npos) << line;
  EXPECT_EQ(line.find('$'), std::string::npos) << line;
  EXPECT_NE(line.find("first token " + FormatSeconds(0.5)), std::string::npos) << line;
  EXPECT_NE(line.find("when it ends"), std::string::npos) << line;
  EXPECT_EQ(CallCost(c), "cost when it ends") << "the judge's line and the comparison say the same";
}

TEST(CardMetrics, AnAnsweredCallShowsItsUsageAndCost) {
  Call c = Member(MemberStatus::Done, 2.0, 0.00017);
  c.t_start = 0;
  c.t_first_token = 0.6;
  c.result.usage.completion_tokens = 413;
  c.result.usage.reasoning_tokens = 95;
  c.result.usage.has_cost = true;
  const std::string line = CardMetrics(c, 9);
  EXPECT_NE(line.find(FormatTokens(413) + " tokens out (" + FormatTokens(95) + " reasoning)"), std::string::npos) << line;
  EXPECT_NE(line.find(FormatCost(0.00017)), std::string::npos) << line;
  EXPECT_EQ(line.find("est."), std::string::npos) << "the provider reported the cost: " << line;
  // Without a reported cost, a priced estimate says so.
  c.result.usage.has_cost = false;
  EXPECT_NE(CardMetrics(c, 9).find("(est.)"), std::string::npos);
  EXPECT_EQ(CallCost(c), FormatCost(0.00017) + " (est.)");
}

// A provider that sends no usage (some OpenAI-compatible servers; a stream cut short): its
// tokens and cost are unknown, and no line may say 0.
Call Unreported(double t_end) {
  Call c = Member(MemberStatus::Done, t_end, 0);
  c.t_start = 0;
  c.t_first_token = 0.4;
  c.result.content = "An answer.";
  return c;
}

TEST(CardMetrics, AnAnswerWithNoReportedUsageClaimsNoTokensOrCost) {
  const Call c = Unreported(2.0);
  ASSERT_TRUE(c.usage_unreported());
  const std::string line = CardMetrics(c, 9);
  EXPECT_NE(line.find("tokens and cost not reported by the provider"), std::string::npos) << line;
  EXPECT_EQ(line.find("tokens out"), std::string::npos) << line;
  EXPECT_EQ(line.find('$'), std::string::npos) << line;
  EXPECT_EQ(CallCost(c), "cost unknown");
  // A call that failed before any text cost nothing, and says so.
  Call failed = Member(MemberStatus::Failed, 0.3, 0);
  EXPECT_FALSE(failed.usage_unreported());
  EXPECT_EQ(CallCost(failed), FormatCost(0));
}

TEST(CardMetrics, TokensWithNoCostAndNoPriceShowTheTokensAndNoDollarFigure) {
  Call c = Unreported(2.0);
  c.result.usage.prompt_tokens = 120;
  c.result.usage.completion_tokens = 812;  // Anthropic's message_delta: tokens, no cost
  ASSERT_FALSE(c.usage_unreported());
  ASSERT_TRUE(c.cost_unknown());
  const std::string line = CardMetrics(c, 9);
  EXPECT_NE(line.find("812 tokens out"), std::string::npos) << line;
  EXPECT_NE(line.find("cost unknown: the provider reported none, and no price is known for this model"), std::string::npos) << line;
  EXPECT_EQ(line.find('$'), std::string::npos) << line;
}

TEST(Summary, AMemberWithNoReportedUsageIsNeitherTheCheapestNorTheDearest) {
  FusionRun r;
  Call known = Member(MemberStatus::Done, 0.9, 0.0002);
  known.result.content = "Paris.";
  known.result.usage.prompt_tokens = 20;
  known.result.usage.completion_tokens = 5;
  r.members = {Unreported(0.5), known};
  EXPECT_EQ(r.cost_unknown_calls(), 1);
  const std::string spread = SummarySpread(r);
  EXPECT_NE(spread.find("cheapest member " + FormatCost(0.0002)), std::string::npos) << spread;
  EXPECT_NE(spread.find("dearest member " + FormatCost(0.0002)), std::string::npos) << spread;
  // With no member's cost known, there is no spread to show.
  r.members = {Unreported(0.5), Unreported(0.7)};
  EXPECT_EQ(SummarySpread(r), "");
  EXPECT_EQ(r.cost_unknown_calls(), 2);
}

}  // namespace
}  // namespace concord
