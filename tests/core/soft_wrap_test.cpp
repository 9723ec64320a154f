// Soft wrapping of the question box and its undo history: wrap points, round trips, how an
// edit carries the wrap points, and undo/redo steps.
#include <gtest/gtest.h>

#include <random>

#include "soft_wrap.h"

namespace concord {
namespace {

// One unit per byte: a line of width 10 holds 10 characters.
const MeasureText kMono = [](const char* b, const char* e) { return static_cast<float>(e - b); };

TEST(SoftWrap, BreaksAtTheLastSpaceThatFitsAndKeepsOffsets) {
  const std::string text = "the quick brown fox jumps";
  SoftWrapped w = SoftWrap(text, 10, kMono);
  EXPECT_EQ(w.shown, "the quick\nbrown fox\njumps");
  EXPECT_EQ(w.soft, (std::vector<size_t>{9, 19}));
  EXPECT_EQ(w.shown.size(), text.size());
  EXPECT_EQ(Unwrap(w.shown, w.soft), text);
}

TEST(SoftWrap, HardLineBreaksStayAndEachLineWrapsOnItsOwn) {
  SoftWrapped w = SoftWrap("aaaa bbbb cccc\nshort\ndddd eeee ffff", 9, kMono);
  EXPECT_EQ(w.shown, "aaaa bbbb\ncccc\nshort\ndddd eeee\nffff");
  EXPECT_EQ(w.soft, (std::vector<size_t>{9, 30}));
  EXPECT_EQ(Unwrap(w.shown, w.soft), "aaaa bbbb cccc\nshort\ndddd eeee ffff");
}

TEST(SoftWrap, AWordWiderThanTheLineKeepsItsOwnLineWhole) {
  SoftWrapped w = SoftWrap("see https://example.com/a/very/long/path now", 10, kMono);
  EXPECT_EQ(w.shown, "see\nhttps://example.com/a/very/long/path\nnow");
  EXPECT_EQ(Unwrap(w.shown, w.soft), "see https://example.com/a/very/long/path now");
}

TEST(SoftWrap, NoWidthMeansNoWrapAndTabsAreNeverBreakPoints) {
  EXPECT_EQ(SoftWrap("a b c d e f", 0, kMono).shown, "a b c d e f");
  EXPECT_TRUE(SoftWrap("a b c d e f", -5, kMono).soft.empty());
  EXPECT_EQ(SoftWrap("aaaa\tbbbb\tcccc", 5, kMono).shown, "aaaa\tbbbb\tcccc");
}

TEST(SoftWrap, UnwrapIgnoresOffsetsThatAreNotWrapPoints) {
  EXPECT_EQ(Unwrap("ab\ncd", {0, 2, 99}), "ab cd");
}

TEST(SoftWrap, AnyTextRoundTripsAtAnyWidth) {
  std::mt19937 rng(42);
  const char alphabet[] = "ab  \n\t\xc3\xa9.";  // includes a two-byte UTF-8 letter, kept whole
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const int len = static_cast<int>(rng() % 80);
    for (int i = 0; i < len; ++i) {
      const size_t k = rng() % (sizeof(alphabet) - 1);
      if (alphabet[k] == '\xc3') text += "\xc3\xa9";
      else if (alphabet[k] != '\xa9') text += alphabet[k];
    }
    const float width = static_cast<float>(rng() % 12);
    SoftWrapped w = SoftWrap(text, width, kMono);
    ASSERT_EQ(Unwrap(w.shown, w.soft), text) << "width " << width;
    for (size_t q : w.soft) ASSERT_EQ(text[q], ' ');
  }
}

TEST(CarrySoftBreaks, TypingBeforeAWrapPointMovesItAndTypingAfterLeavesIt) {
  // "the quick\nbrown fox" with the wrap point at 9.
  const std::string before = "the quick\nbrown fox";
  EXPECT_EQ(CarrySoftBreaks(before, {9}, "the quickX\nbrown fox", 10), (std::vector<size_t>{10}));
  EXPECT_EQ(CarrySoftBreaks(before, {9}, "the quick\nbrownX fox", 15), (std::vector<size_t>{9}));
}

TEST(CarrySoftBreaks, BackspaceAtTheStartOfAWrappedLineDeletesThatSpace) {
  const std::string before = "the quick\nbrown";
  const std::string after = "the quickbrown";
  auto soft = CarrySoftBreaks(before, {9}, after, 9);
  EXPECT_TRUE(soft.empty());
  EXPECT_EQ(Unwrap(after, soft), "the quickbrown");
}

TEST(CarrySoftBreaks, AnEnterTypedIsTheUsersOwnLineBreak) {
  // Enter at the end of the first visual line (before the wrap point: the caret lands at 2)
  // or at the start of the second (after it: the caret lands at 3). Same picture, and the
  // caret tells on which side of the line break the space stays.
  const std::string before = "a\nb";
  EXPECT_EQ(Unwrap("a\n\nb", CarrySoftBreaks(before, {1}, "a\n\nb", 2)), "a\n b");
  EXPECT_EQ(Unwrap("a\n\nb", CarrySoftBreaks(before, {1}, "a\n\nb", 3)), "a \nb");
  // ...and a pasted block with line breaks keeps every one of them.
  auto pasted = CarrySoftBreaks("x\ny", {1}, "x\n1\n2\ny", 5);
  EXPECT_EQ(Unwrap("x\n1\n2\ny", pasted), "x\n1\n2 y");
}

TEST(CarrySoftBreaks, ReplacingASelectionDropsTheWrapPointsInsideIt) {
  const std::string before = "aaa\nbbb\nccc\nddd";  // wrap points at 3, 7, 11
  const std::string after = "aaa\nZ\nddd";         // "bbb\nccc" replaced by "Z"
  auto soft = CarrySoftBreaks(before, {3, 7, 11}, after, 5);
  EXPECT_EQ(soft, (std::vector<size_t>{3, 5}));
  EXPECT_EQ(Unwrap(after, soft), "aaa Z ddd");
}

TEST(EditHistory, TypingIsOneStepPerWordAndUndoRedoWalkTheSteps) {
  EditHistory h;
  std::string text;
  double t = 0;
  auto type = [&](char c) {
    h.record(text, text.size(), t += 0.1, EditHistory::Edit::TypeChar, c == ' ');
    text += c;
  };
  for (char c : std::string("hello world")) type(c);
  EXPECT_EQ(h.undo_depth(), 2u);
  EditHistory::Snapshot cur{text, text.size()};
  ASSERT_TRUE(h.undo(cur));
  EXPECT_EQ(cur.text, "hello ");
  EXPECT_EQ(cur.cursor, 6u);
  ASSERT_TRUE(h.undo(cur));
  EXPECT_EQ(cur.text, "");
  EXPECT_FALSE(h.undo(cur));
  ASSERT_TRUE(h.redo(cur));
  ASSERT_TRUE(h.redo(cur));
  EXPECT_EQ(cur.text, "hello world");
  EXPECT_FALSE(h.redo(cur));
}

TEST(EditHistory, APauseAPasteOrAChangeFromTypingToDeletingStartsANewStep) {
  EditHistory h;
  h.record("", 0, 0.0, EditHistory::Edit::TypeChar, false);    // "a"
  h.record("a", 1, 0.2, EditHistory::Edit::TypeChar, false);   // "ab": same step
  h.record("ab", 2, 5.0, EditHistory::Edit::TypeChar, false);  // after a pause: new step
  h.record("abc", 3, 5.1, EditHistory::Edit::DeleteChar, false);  // deleting: new step
  h.record("ab", 2, 5.2, EditHistory::Edit::Other, false);     // a paste: new step
  EXPECT_EQ(h.undo_depth(), 4u);
}

TEST(EditHistory, ANewEditAfterAnUndoForgetsTheRedo) {
  EditHistory h;
  h.record("", 0, 0, EditHistory::Edit::Other, false);
  EditHistory::Snapshot cur{"pasted", 6};
  ASSERT_TRUE(h.undo(cur));
  h.record(cur.text, 0, 1, EditHistory::Edit::TypeChar, false);
  EditHistory::Snapshot now{"x", 1};
  EXPECT_FALSE(h.redo(now));
}

TEST(EditHistory, KeepsAtMostItsByteBudgetButAlwaysTheLastStep) {
  EditHistory h;
  const std::string big(3u << 20, 'x');
  h.record(big, 0, 0, EditHistory::Edit::Other, false);
  h.record(big + "y", 0, 1, EditHistory::Edit::Other, false);
  EXPECT_EQ(h.undo_depth(), 1u);
  EditHistory::Snapshot cur{"z", 0};
  ASSERT_TRUE(h.undo(cur));
  EXPECT_EQ(cur.text, big + "y");
}

}  // namespace
}  // namespace concord
