// The question box, driven headless like a user: a long question wraps at spaces while the
// question keeps them, backspace at a wrapped line's start deletes that space, undo and redo
// walk the question's own history, a copy gives the spaces back, and a narrower box or a
// question set by the App is wrapped again.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <string>

#include "headless.h"
#include "prompt_edit.h"

namespace concord {
namespace {

std::string g_copied;
void CaptureCopy(void*, const char* text) { g_copied = text ? text : ""; }

struct Box {
  HeadlessImGui ui{ImVec2(420, 300)};
  PromptView v;
  ImVec2 min, max;
  int changes = 0;
  Box() { ImGui::GetIO().SetClipboardTextFn = CaptureCopy; }
  void frame() { ui.frame([&] { frame_body(); }); }
  void frames(int n) { for (int i = 0; i < n; ++i) frame(); }
  void key(ImGuiKey k, ImGuiKey mod = ImGuiKey_None, ImGuiKey mod2 = ImGuiKey_None) {
    ImGuiIO& io = ImGui::GetIO();
    if (mod != ImGuiKey_None) io.AddKeyEvent(mod, true);
    if (mod2 != ImGuiKey_None) io.AddKeyEvent(mod2, true);
    io.AddKeyEvent(k, true);
    frames(2);
    io.AddKeyEvent(k, false);
    if (mod2 != ImGuiKey_None) io.AddKeyEvent(mod2, false);
    if (mod != ImGuiKey_None) io.AddKeyEvent(mod, false);
    frames(2);
  }
  void type(const std::string& s) {
    ImGui::GetIO().AddInputCharactersUTF8(s.c_str());
    frames(static_cast<int>(s.size()) + 2);
  }
  void focus() {
    frames(2);
    ui.click(ImVec2((min.x + max.x) / 2, (min.y + max.y) / 2), [&] { frame_body(); });
    frames(2);
  }
  void frame_body() {
    if (PromptInput("##q", v, 200)) ++changes;
    min = ImGui::GetItemRectMin();
    max = ImGui::GetItemRectMax();
  }
  // The widest visual line that has a space in it (a single word may overflow).
  float widest_breakable_line() const {
    float widest = 0;
    size_t start = 0;
    for (;;) {
      size_t end = v.shown.find('\n', start);
      const std::string line = v.shown.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (line.find(' ') != std::string::npos)
        widest = std::max(widest, ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize(), FLT_MAX, 0, line.c_str()).x);
      if (end == std::string::npos) return widest;
      start = end + 1;
    }
  }
};

const std::string kQuestion =
    "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. "
    "How much does the ball cost? Explain the trap that makes most people answer ten cents.";

TEST(PromptEdit, ALongQuestionWrapsInTheBoxAndStaysOneLineInTheQuestion) {
  Box b;
  b.focus();
  b.type(kQuestion);
  EXPECT_EQ(b.v.text, kQuestion);
  EXPECT_GT(b.changes, 0);
  ASSERT_GE(b.v.soft.size(), 2u) << b.v.shown;
  EXPECT_EQ(b.v.shown.size(), kQuestion.size());
  EXPECT_EQ(Unwrap(b.v.shown, b.v.soft), kQuestion);
  EXPECT_LE(b.widest_breakable_line(), b.max.x - b.min.x) << b.v.shown;
}

TEST(PromptEdit, BackspaceAtAWrappedLinesStartDeletesTheSpaceAndUndoRedoWalkTheQuestion) {
  Box b;
  b.focus();
  b.type(kQuestion);
  ASSERT_FALSE(b.v.soft.empty());
  const size_t wrap = b.v.soft.back();
  b.key(ImGuiKey_Home);       // the start of the last visual line: just after the last wrap point
  b.key(ImGuiKey_Backspace);
  std::string joined = kQuestion;
  joined.erase(wrap, 1);
  EXPECT_EQ(b.v.text, joined);
  b.key(ImGuiKey_Z, ImGuiMod_Ctrl);
  EXPECT_EQ(b.v.text, kQuestion);
  b.key(ImGuiKey_Y, ImGuiMod_Ctrl);
  EXPECT_EQ(b.v.text, joined);
  b.key(ImGuiKey_Z, ImGuiMod_Ctrl, ImGuiMod_Shift);  // Ctrl+Shift+Z is redo too: nothing left to redo
  EXPECT_EQ(b.v.text, joined);
  // Typing was one step per word: undo enough times and the box is empty again.
  for (int i = 0; i < 40 && !b.v.text.empty(); ++i) b.key(ImGuiKey_Z, ImGuiMod_Ctrl);
  EXPECT_EQ(b.v.text, "");
  EXPECT_EQ(b.v.shown, "");
}

TEST(PromptEdit, ACopyOfTheWholeBoxGivesTheQuestionWithItsSpaces) {
  Box b;
  b.focus();
  b.type(kQuestion);
  ASSERT_FALSE(b.v.soft.empty());
  b.key(ImGuiKey_A, ImGuiMod_Ctrl);
  b.key(ImGuiKey_C, ImGuiMod_Ctrl);
  EXPECT_EQ(g_copied, kQuestion);
  b.key(ImGuiKey_X, ImGuiMod_Ctrl);
  EXPECT_EQ(g_copied, kQuestion);
  EXPECT_EQ(b.v.text, "");
}

TEST(PromptEdit, TheAppsQuestionIsWrappedAndANarrowerBoxWrapsAgain) {
  Box b;
  b.frames(2);
  b.v.text = kQuestion;  // as the App loads an example or a link
  b.frames(2);
  EXPECT_EQ(b.v.shown.size(), kQuestion.size());
  const size_t wide = b.v.soft.size();
  ASSERT_GT(wide, 0u);
  EXPECT_EQ(b.changes, 0);  // the App's own text is not an edit
  ImGui::GetIO().DisplaySize = ImVec2(260, 300);
  b.frames(2);
  EXPECT_GT(b.v.soft.size(), wide);
  EXPECT_EQ(Unwrap(b.v.shown, b.v.soft), kQuestion);
  EXPECT_LE(b.widest_breakable_line(), b.max.x - b.min.x);
}

TEST(PromptEdit, EscLeavesTheBoxAndKeepsEverythingTyped) {
  Box b;
  b.focus();
  b.type(kQuestion);
  b.key(ImGuiKey_Escape);  // ImGui would revert the box to its text on entry (empty)
  b.frames(2);
  EXPECT_EQ(b.v.text, kQuestion);
  EXPECT_EQ(Unwrap(b.v.shown, b.v.soft), kQuestion);
  EXPECT_EQ(b.v.shown, b.v.base);
  // Entered again with wrap points in place, edited, left with Esc: no wrap point becomes a line break.
  b.focus();
  b.key(ImGuiKey_End, ImGuiMod_Ctrl);
  b.type(" Thanks.");
  b.key(ImGuiKey_Escape);
  b.frames(2);
  EXPECT_EQ(b.v.text, kQuestion + " Thanks.");
}

TEST(PromptEdit, UserLineBreaksAndUnicodeAreKept) {
  Box b;
  b.focus();
  const std::string q = "Première ligne: est-ce que ça marche? Привет, мир, a second sentence that goes on.";
  b.type(q);
  b.key(ImGuiKey_Enter);
  b.type("Two");
  EXPECT_EQ(b.v.text, q + "\nTwo");
}

}  // namespace
}  // namespace concord
