// Tests for SseParser: the byte-level Server-Sent Events parser (fields, line endings, splits).
#include "sse.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace concord {
namespace {

std::vector<SseEvent> FeedWhole(const std::string& s, SseParser* p = nullptr) {
  SseParser local;
  SseParser& sp = p ? *p : local;
  std::vector<SseEvent> out;
  sp.feed(s, out);
  sp.finish(out);
  return out;
}

std::vector<SseEvent> FeedChunks(const std::vector<std::string>& chunks) {
  SseParser p;
  std::vector<SseEvent> out;
  for (const auto& c : chunks) p.feed(c, out);
  p.finish(out);
  return out;
}

// One line per event, so failures print readable diffs.
std::string Show(const std::vector<SseEvent>& evs) {
  std::string s;
  for (const auto& e : evs) s += "[" + e.event + "|" + e.id + "|" + e.data + "]\n";
  return s;
}

// ---- fields ---------------------------------------------------------------------

TEST(SseParserFields, SingleDataEvent) {
  auto evs = FeedWhole("data: hello\n\n");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "hello");
  EXPECT_EQ(evs[0].event, "");
  EXPECT_EQ(evs[0].id, "");
}

TEST(SseParserFields, DataWithoutSpaceAfterColon) {
  auto evs = FeedWhole("data:hello\n\ndata:  two spaces\n\n");
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].data, "hello");
  EXPECT_EQ(evs[1].data, " two spaces");  // only one space is stripped
}

TEST(SseParserFields, MultiLineDataJoinedWithNewline) {
  auto evs = FeedWhole("data: line one\ndata: line two\ndata:\ndata: four\n\n");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "line one\nline two\n\nfour");
}

TEST(SseParserFields, EventAndIdFields) {
  auto evs = FeedWhole("event: message_start\nid: 7\ndata: {}\n\ndata: x\n\n");
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].event, "message_start");
  EXPECT_EQ(evs[0].id, "7");
  EXPECT_EQ(evs[1].event, "");   // event type resets after dispatch
  EXPECT_EQ(evs[1].id, "7");     // the last event id is sticky
}

TEST(SseParserFields, FieldNameWithoutColonHasEmptyValue) {
  auto evs = FeedWhole("data\n\n");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "");
}

TEST(SseParserFields, EventWithoutDataIsNotDispatched) {
  auto evs = FeedWhole("event: ping\n\ndata: real\n\n");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "real");
  EXPECT_EQ(evs[0].event, "");
}

TEST(SseParserFields, RetryAndUnknownFieldsAreIgnored) {
  auto evs = FeedWhole("retry: 1000\nfoo: bar\ndata: x\n\n");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "x");
}

TEST(SseParserFields, ColonInsideValueIsKept) {
  auto evs = FeedWhole("data: {\"a\":\"b:c\"}\n\n");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "{\"a\":\"b:c\"}");
}

TEST(SseParserFields, LeadingByteOrderMarkIsDropped) {
  auto evs = FeedChunks({"\xEF\xBB", "\xBF" "data: x\n\n"});
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "x");
}

// ---- comments ---------------------------------------------------------------------

TEST(SseParserComments, CountedAndNotEmitted) {
  SseParser p;
  auto evs = FeedWhole(": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\ndata: a\n\n:\n", &p);
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "a");
  EXPECT_EQ(p.comments(), 3u);
}

TEST(SseParserComments, CommentBetweenDataLinesDoesNotSplitTheEvent) {
  auto evs = FeedWhole("data: a\n: keep-alive\ndata: b\n\n");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "a\nb");
}

// ---- line endings -----------------------------------------------------------------

TEST(SseParserLineEndings, LfCrlfAndLoneCrGiveTheSameEvents) {
  const std::string lf = "event: e\ndata: a\ndata: b\n\ndata: c\n\n";
  std::string crlf, cr;
  for (char c : lf) {
    if (c == '\n') { crlf += "\r\n"; cr += '\r'; }
    else { crlf += c; cr += c; }
  }
  const auto want = Show(FeedWhole(lf));
  EXPECT_EQ(Show(FeedWhole(crlf)), want);
  EXPECT_EQ(Show(FeedWhole(cr)), want);
  EXPECT_EQ(want, "[e||a\nb]\n[||c]\n");
}

TEST(SseParserLineEndings, CrlfSplitAcrossChunksIsOneLineEnd) {
  // If the split CRLF counted as CR + LF, the LF would be a blank line and dispatch "a" alone.
  auto evs = FeedChunks({"data: a\r", "\ndata: b\r", "\n\r", "\n"});
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "a\nb");
}

TEST(SseParserLineEndings, LoneCrAtChunkEndFollowedByText) {
  auto evs = FeedChunks({"data: a\r", "data: b\r\r"});
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].data, "a\nb");
}

TEST(SseParserLineEndings, MixedEndingsInOneStream) {
  auto evs = FeedWhole("data: a\r\ndata: b\ndata: c\r\r\ndata: d\n\n");
  ASSERT_EQ(evs.size(), 2u);
  EXPECT_EQ(evs[0].data, "a\nb\nc");
  EXPECT_EQ(evs[1].data, "d");
}

// ---- splits -----------------------------------------------------------------------

TEST(SseParserSplits, Utf8SplitAtEveryByteOffset) {
  const std::string text = "\xC3\xA9\xE2\x80\x94\xD0\x96\xE4\xBD\xA0\xE5\xA5\xBD";  // é—Ж你好
  const std::string stream = "data: " + text + "\n\n";
  for (size_t cut = 0; cut <= stream.size(); ++cut) {
    auto evs = FeedChunks({stream.substr(0, cut), stream.substr(cut)});
    ASSERT_EQ(evs.size(), 1u) << "cut at " << cut;
    EXPECT_EQ(evs[0].data, text) << "cut at " << cut;
  }
}

TEST(SseParserSplits, EveryByteFeedingEqualsWholeFeeding) {
  const std::string stream =
      ": OPENROUTER PROCESSING\r\n\r\n"
      "event: a\r\nid: 1\r\ndata: {\"x\":1}\r\ndata: second\r\n\r\n"
      "data:no-space\n\n"
      "data: cr\r\r"
      "data: \xE4\xBD\xA0\xE5\xA5\xBD\n"
      "data: tail without blank line";
  SseParser whole_p;
  const auto whole = FeedWhole(stream, &whole_p);
  std::vector<std::string> bytes;
  for (char c : stream) bytes.emplace_back(1, c);
  SseParser byte_p;
  std::vector<SseEvent> out;
  for (const auto& b : bytes) byte_p.feed(b, out);
  byte_p.finish(out);
  EXPECT_EQ(Show(out), Show(whole));
  EXPECT_EQ(byte_p.comments(), whole_p.comments());
  EXPECT_EQ(whole.size(), 4u);
}

TEST(SseParserSplits, IncompleteLineIsBuffered) {
  SseParser p;
  std::vector<SseEvent> out;
  p.feed("data: par", out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(p.buffered(), 9u);
  p.feed("tial\n\n", out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, "partial");
  EXPECT_EQ(p.buffered(), 0u);
}

TEST(SseParserSplits, EmptyAndNullFeedsAreHarmless) {
  SseParser p;
  std::vector<SseEvent> out;
  p.feed(nullptr, 0, out);
  p.feed("", out);
  p.finish(out);
  EXPECT_TRUE(out.empty());
}

// ---- finish / reset ----------------------------------------------------------------

TEST(SseParserFinish, FlushesLastEventWithoutBlankLine) {
  EXPECT_EQ(Show(FeedWhole("data: a\n\ndata: last")), "[||a]\n[||last]\n");
  EXPECT_EQ(Show(FeedWhole("data: last\n")), "[||last]\n");
  EXPECT_EQ(Show(FeedWhole("data: last\r")), "[||last]\n");
}

TEST(SseParserFinish, NothingPendingGivesNothing) {
  EXPECT_TRUE(FeedWhole("data: a\n\n: comment").size() == 1u);
  EXPECT_TRUE(FeedWhole("").empty());
}

TEST(SseParserReset, ClearsBufferedStateAndCounters) {
  SseParser p;
  std::vector<SseEvent> out;
  p.feed(": c\ndata: half", out);
  p.reset();
  EXPECT_EQ(p.buffered(), 0u);
  EXPECT_EQ(p.comments(), 0u);
  p.feed("data: fresh\n\n", out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].data, "fresh");
}

}  // namespace
}  // namespace concord
