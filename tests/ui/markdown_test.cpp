// Headless tests of the ImGui markdown renderer: every element renders without crashing,
// raw HTML stays literal text, links click (only safe schemes), Copy buttons, highlight
// scrolling, wrapping of long words, parse caching, big documents, and the entity decoder.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "headless.h"
#include "markdown.h"

namespace concord {
namespace {

const char* const kFixture =
    "# Title heading\n"
    "## Second level\n"
    "### Third level\n"
    "#### Fourth level\n\n"
    "Paragraph with **bold**, *italic*, `inline code`, ~~strike~~ and a [link](https://example.com/page) "
    "plus &amp; &lt;tag&gt; &#233; &#x416; &copy; &bogus; entities.\n"
    "Soft break here  \nhard break.\n\n"
    "- item one\n"
    "  - nested a\n"
    "    - deeper\n"
    "  - nested b\n"
    "- item two\n\n"
    "3. three\n"
    "4. four\n"
    "5. five\n\n"
    "> quoted *line*\n"
    "> more\n\n"
    "| Name | Value | Right |\n"
    "|------|:-----:|------:|\n"
    "| **a** | `1` | x |\n"
    "| b | 2 | [cell link](http://example.org) |\n\n"
    "```cpp\n"
    "int main() { return 0; }\n"
    "```\n\n"
    "    indented code\n\n"
    "---\n\n"
    "<script>alert(1)</script>\n\n"
    "Inline <b>html</b> too.\n\n"
    "[bad](javascript:alert(1)) and [rel](/relative/path)\n\n"
    "![alt text](http://img.example/x.png)\n\n"
    "Autolink https://auto.example.com/x and www.example.net\n\n"
    "Supercalifragilisticexpialidocious_Supercalifragilisticexpialidocious_"
    "Supercalifragilisticexpialidocious_Supercalifragilisticexpialidocious_"
    "Supercalifragilisticexpialidocious_Supercalifragilisticexpialidocious_"
    "Supercalifragilisticexpialidocious_Supercalifragilisticexpialidocious_\n\n"
    "UTF-8: \xE2\x80\x9C\xC3\xA9 \xE2\x80\x94 \xD0\x96\xE2\x80\x9D\n\n"
    "- [x] done task\n"
    "- [ ] open task\n";

MarkdownResult RenderIn(HeadlessImGui& h, const std::string& text, const char* id = "md", int hb = -1, int he = -1,
                        bool scroll = false) {
  MarkdownResult r;
  h.frame([&] { r = RenderMarkdown(id, text, MarkdownStyle{&h.fonts, 1.0f}, hb, he, scroll); });
  return r;
}

ImVec2 Centre(const ImVec4& r) { return ImVec2((r.x + r.z) * 0.5f, (r.y + r.w) * 0.5f); }

TEST(MarkdownTest, FixtureRendersForSeveralFrames) {
  ClearMarkdownCache();
  HeadlessImGui h;
  MarkdownResult r;
  for (int i = 0; i < 5; ++i) r = RenderIn(h, kFixture);
  EXPECT_TRUE(r.clicked_url.empty());
  EXPECT_TRUE(r.copy_code.empty());
  bool page = false, cell = false, autolink = false, www = false;
  for (auto& [url, rect] : r.link_rects) {
    EXPECT_EQ(url.rfind("javascript:", 0), std::string::npos);
    EXPECT_NE(url, "/relative/path");
    EXPECT_LT(rect.x, rect.z);
    EXPECT_LT(rect.y, rect.w);
    page |= url == "https://example.com/page";
    cell |= url == "http://example.org";
    autolink |= url == "https://auto.example.com/x";
    www |= url == "http://www.example.net";
  }
  EXPECT_TRUE(page);
  EXPECT_TRUE(cell);
  EXPECT_TRUE(autolink);
  EXPECT_TRUE(www);
  EXPECT_EQ(r.copy_rects.size(), 2u);  // fenced + indented
  EXPECT_GT(ImGui::GetDrawData()->TotalVtxCount, 1000);
}

// Models break lines in table cells with <br>: a line break, not the tag as text. Other tags,
// and "<br>" in code, stay as written.
TEST(MarkdownTest, BrTagsAreLineBreaksEverywhereButCode) {
  const std::string t = MarkdownToPlainText("| Option | Notes |\n|---|---|\n| Rust | safe<br>fast<BR/>young |\n\nOne<br />two <b>bold</b> `a<br>b`\n");
  EXPECT_EQ(t.find("<br"), t.find("a<br>b") + 1) << "only the one in code is left" << t;
  EXPECT_EQ(t.find("<BR"), std::string::npos) << t;
  EXPECT_NE(t.find("safe\nfast\nyoung"), std::string::npos) << t;
  EXPECT_NE(t.find("One\ntwo <b>bold</b>"), std::string::npos) << t;
}

// An answer wrapped whole in a ```markdown fence is shown as Markdown, not as its source in a
// code block; any other fence, or a fence that is only part of the answer, is code.
TEST(MarkdownTest, AnAnswerWrappedInAMarkdownFenceIsRendered) {
  const std::string wrapped = "```markdown\n## Paris\n\n**Paris** is the capital.\n\n```python\nprint(1)\n```\n```\n";
  const std::string t = MarkdownToPlainText(wrapped);
  EXPECT_EQ(t.find("##"), std::string::npos) << t;
  EXPECT_EQ(t.find("**"), std::string::npos) << t;
  EXPECT_NE(t.find("Paris is the capital."), std::string::npos) << t;
  EXPECT_NE(t.find("print(1)"), std::string::npos) << t;
  EXPECT_NE(MarkdownToPlainText("```python\n## not a heading\n```\n").find("## not a heading"), std::string::npos);
  EXPECT_NE(MarkdownToPlainText("Intro.\n\n```md\n**raw**\n```\n").find("**raw**"), std::string::npos);
  EXPECT_NE(MarkdownToPlainText("```markdown\n**cut").find("**cut"), std::string::npos) << "no closing fence: as written";
}

// Math in $…$ is shown as written (not typeset), so its asterisks are not emphasis; prices
// with dollar signs stay text.
TEST(MarkdownTest, DollarMathIsShownAsWrittenAndPricesStayText) {
  const std::string t = MarkdownToPlainText("P = $1 - (5/6)^4$ and $a*b*c$; $$x_1 + x_2$$\n\nThe ball costs $0.05 and the bat $1.05, between $5 and $10.\n");
  EXPECT_NE(t.find("1 - (5/6)^4"), std::string::npos) << t;
  EXPECT_NE(t.find("a*b*c"), std::string::npos) << t;
  EXPECT_NE(t.find("x_1 + x_2"), std::string::npos) << t;
  EXPECT_NE(t.find("The ball costs $0.05 and the bat $1.05, between $5 and $10."), std::string::npos) << t;
}

TEST(MarkdownTest, PlainTextShowsElementsAndLiteralHtml) {
  std::string t = MarkdownToPlainText(kFixture);
  EXPECT_NE(t.find("<script>alert(1)</script>"), std::string::npos) << t;
  EXPECT_NE(t.find("<b>html</b>"), std::string::npos) << t;
  EXPECT_NE(t.find("& <tag> \xC3\xA9 \xD0\x96 \xC2\xA9 &bogus;"), std::string::npos) << t;
  EXPECT_NE(t.find("3. three\n4. four\n5. five"), std::string::npos) << t;
  EXPECT_NE(t.find("- item one\n  - nested a\n    - deeper"), std::string::npos) << t;
  EXPECT_NE(t.find("Name | Value | Right"), std::string::npos) << t;
  EXPECT_NE(t.find("int main() { return 0; }\n"), std::string::npos) << t;
  EXPECT_NE(t.find("indented code"), std::string::npos) << t;
  EXPECT_NE(t.find("[image: alt text]"), std::string::npos) << t;
  EXPECT_NE(t.find("- [x] done task"), std::string::npos) << t;
  EXPECT_NE(t.find("- [ ] open task"), std::string::npos) << t;
  EXPECT_NE(t.find("> quoted line"), std::string::npos) << t;
  EXPECT_NE(t.find("Soft break here\nhard break."), std::string::npos) << t;
  EXPECT_NE(t.find("\xE2\x80\x9C\xC3\xA9 \xE2\x80\x94 \xD0\x96\xE2\x80\x9D"), std::string::npos) << t;
}

TEST(MarkdownTest, ClickingALinkReturnsItsUrl) {
  ClearMarkdownCache();
  HeadlessImGui h;
  const std::string text = "Intro text then [the link](https://example.com/x?a=1&b=2) and more.";
  MarkdownResult r = RenderIn(h, text);
  RenderIn(h, text);
  r = RenderIn(h, text);
  ASSERT_EQ(r.link_rects.size(), 2u);  // "the" and "link"
  ImVec2 p = Centre(r.link_rects[1].second);
  std::string clicked;
  bool hand = false;
  auto fn = [&] {
    MarkdownResult m = RenderMarkdown("md", text, MarkdownStyle{&h.fonts, 1.0f});
    if (!m.clicked_url.empty()) clicked = m.clicked_url;
    hand |= ImGui::GetMouseCursor() == ImGuiMouseCursor_Hand;
  };
  h.click(p, fn);
  EXPECT_EQ(clicked, "https://example.com/x?a=1&b=2");
  EXPECT_TRUE(hand);
  // Clicking plain text next to it does nothing.
  clicked.clear();
  h.click(ImVec2(r.link_rects[0].second.x - 40, p.y), fn);
  EXPECT_TRUE(clicked.empty());
}

TEST(MarkdownTest, UnsafeLinksAreNotClickable) {
  ClearMarkdownCache();
  HeadlessImGui h;
  const std::string text = "[bad link text](javascript:alert(1)) [data](data:text/html,x) [ftp](ftp://x.org/f)";
  MarkdownResult r;
  for (int i = 0; i < 3; ++i) r = RenderIn(h, text);
  EXPECT_TRUE(r.link_rects.empty());
  // Click where the text is drawn (start of the content region).
  ImVec2 start;
  std::string clicked;
  bool hand = false;
  auto fn = [&] {
    start = ImGui::GetCursorScreenPos();
    MarkdownResult m = RenderMarkdown("md", text, MarkdownStyle{&h.fonts, 1.0f});
    if (!m.clicked_url.empty()) clicked = m.clicked_url;
    hand |= ImGui::GetMouseCursor() == ImGuiMouseCursor_Hand;
  };
  h.frame(fn);
  for (float dx : {5.f, 30.f, 60.f}) h.click(ImVec2(start.x + dx, start.y + 6), fn);
  EXPECT_TRUE(clicked.empty());
  EXPECT_FALSE(hand);
}

TEST(MarkdownTest, CopyButtonReturnsCode) {
  ClearMarkdownCache();
  HeadlessImGui h;
  const std::string text = "Some code:\n\n```python\nprint('hi')\n\tx = 1\n```\n";
  MarkdownResult r;
  for (int i = 0; i < 3; ++i) r = RenderIn(h, text);
  ASSERT_EQ(r.copy_rects.size(), 1u);
  std::string copied;
  h.click(Centre(r.copy_rects[0]), [&] {
    MarkdownResult m = RenderMarkdown("md", text, MarkdownStyle{&h.fonts, 1.0f});
    if (!m.copy_code.empty()) copied = m.copy_code;
  });
  EXPECT_EQ(copied, "print('hi')\n    x = 1");  // md4c turns a leading tab into indentation spaces
}

TEST(MarkdownTest, HighlightScrollsIntoView) {
  ClearMarkdownCache();
  HeadlessImGui h;
  std::string text;
  for (int i = 0; i < 200; ++i) text += "Paragraph number " + std::to_string(i) + " with some words in it.\n\n";
  const std::string needle = "Paragraph number 150 with";
  const int hb = static_cast<int>(text.find(needle));
  const int he = hb + static_cast<int>(needle.size());
  float scroll = 0, max_scroll = 0;
  auto fn = [&](bool scroll_to) {
    return [&, scroll_to] {
      ImGui::BeginChild("box", ImVec2(600, 300), true);
      RenderMarkdown("md", text, MarkdownStyle{&h.fonts, 1.0f}, hb, he, scroll_to);
      scroll = ImGui::GetScrollY();
      max_scroll = ImGui::GetScrollMaxY();
      ImGui::EndChild();
    };
  };
  h.frame(fn(false));
  h.frame(fn(false));
  EXPECT_EQ(scroll, 0);
  h.frame(fn(true));
  h.frame(fn(false));
  h.frame(fn(false));
  EXPECT_GT(max_scroll, 1000);
  EXPECT_GT(scroll, max_scroll * 0.6f);
  EXPECT_LT(scroll, max_scroll * 0.85f);
}

TEST(MarkdownTest, LongWordsWrapByCharacters) {
  ClearMarkdownCache();
  HeadlessImGui h;
  std::string word(600, 'x');
  std::string cyr;
  for (int i = 0; i < 300; ++i) cyr += "\xD0\x96";  // Ж x300, breaks must stay on char boundaries
  const std::string text = "short " + word + " tail\n\n" + cyr;
  float height = 0, width = 0;
  for (int i = 0; i < 2; ++i)
    h.frame([&] {
      ImGui::BeginChild("narrow", ImVec2(200, 600), false);
      RenderMarkdown("md", text, MarkdownStyle{&h.fonts, 1.0f});
      height = ImGui::GetItemRectSize().y;
      width = ImGui::GetItemRectSize().x;
      ImGui::EndChild();
    });
  EXPECT_LE(width, 201);
  EXPECT_GT(height, 13 * 20);  // 600 x's at ~7px in 200px: ~21 lines, plus the Cyrillic lines
}

TEST(MarkdownTest, ParseIsCachedAndStreamingReparses) {
  ClearMarkdownCache();
  HeadlessImGui h;
  const std::string text = kFixture;
  RenderIn(h, text);
  size_t n0 = MarkdownParseCount();
  for (int i = 0; i < 10; ++i) RenderIn(h, text);
  EXPECT_EQ(MarkdownParseCount(), n0);
  // Same text under another id is a separate entry; a copy of the string hits the cache.
  RenderIn(h, std::string(text), "other");
  EXPECT_EQ(MarkdownParseCount(), n0 + 1);
  EXPECT_EQ(MarkdownCacheSize(), 2u);
  // Streaming: each growth re-parses, every prefix renders (unterminated code fence, tables...).
  for (size_t len = 0; len <= text.size(); len += 7) RenderIn(h, text.substr(0, len), "stream");
  EXPECT_GT(MarkdownParseCount(), n0 + 50);
  // The LRU stays bounded.
  for (int i = 0; i < 100; ++i) RenderIn(h, "doc " + std::to_string(i), ("id" + std::to_string(i)).c_str());
  EXPECT_LE(MarkdownCacheSize(), 32u);
}

TEST(MarkdownTest, EightLargeDocumentsRender) {
  ClearMarkdownCache();
  HeadlessImGui h;
  std::string doc;
  int k = 0;
  while (doc.size() < 30000) {
    doc += "## Section " + std::to_string(k) + "\n\nSome **bold** words, *emphasis*, `code` and a "
           "[link](https://example.com/" + std::to_string(k) + ") in a paragraph long enough to wrap "
           "across several lines of the card at its usual width, with &amp; entities.\n\n"
           "- point one\n- point two\n  1. sub\n  2. sub\n\n"
           "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\ncode line " + std::to_string(k) + "\n```\n\n";
    ++k;
  }
  std::vector<std::string> docs(8, doc);
  for (int i = 0; i < 8; ++i) docs[i] += "\nmember " + std::to_string(i);
  auto t0 = std::chrono::steady_clock::now();
  const int frames = 30;
  double first_ms = 0;
  for (int f = 0; f < frames; ++f, first_ms = first_ms > 0 ? first_ms
                                              : std::chrono::duration<double, std::milli>(
                                                    std::chrono::steady_clock::now() - t0).count())
    h.frame([&] {
      for (int i = 0; i < 8; ++i) {
        ImGui::PushID(i);
        ImGui::BeginChild("card", ImVec2(600, 90), true);  // all 8 visible in 800 px
        RenderMarkdown("md", docs[i], MarkdownStyle{&h.fonts, 1.0f});
        ImGui::EndChild();
        ImGui::PopID();
      }
    });
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("8 x %zu bytes, %d frames: %.1f ms total (first frame with parsing %.1f ms), %.2f ms/frame after\n",
              doc.size(), frames, ms, first_ms, (ms - first_ms) / (frames - 1));
  EXPECT_EQ(MarkdownCacheSize(), 8u);
}

TEST(MarkdownTest, ScaleAndNullFonts) {
  ClearMarkdownCache();
  HeadlessImGui h;
  for (float s : {1.0f, 2.0f, 0.5f})
    h.frame([&] { RenderMarkdown("md", kFixture, MarkdownStyle{nullptr, s}); });
  h.frame([&] { RenderMarkdown("md", "", MarkdownStyle{&h.fonts, 1}); });
  SUCCEED();
}

TEST(MarkdownTest, RandomInputDoesNotCrash) {
  ClearMarkdownCache();
  HeadlessImGui h;
  const char* const tokens[] = {"#", " ", "\n", "\n\n", "*", "**", "_", "`", "```", "~~", "[", "]", "(", ")", "!",
                                "|", "---", "-", "1.", ">", "&amp;", "&#x;", "&", "<", "http://a.b", "www.x.y",
                                "a@b.c", "word", "\t", "    ", "\xD0\x96", "\xE2\x80", "\xFF", "[x]", "\\", ":"};
  unsigned seed = 12345;
  auto rnd = [&] { return (seed = seed * 1103515245u + 12345u) >> 16; };
  for (int i = 0; i < 300; ++i) {
    std::string t;
    int n = static_cast<int>(rnd() % 80);
    for (int k = 0; k < n; ++k) t += tokens[rnd() % (sizeof tokens / sizeof *tokens)];
    int hb = static_cast<int>(rnd() % (t.size() + 1));
    h.frame([&] {
      ImGui::BeginChild("c", ImVec2(static_cast<float>(40 + rnd() % 500), 300), true);
      RenderMarkdown("md", t, MarkdownStyle{&h.fonts, 1.0f}, hb, hb + 5, true);
      ImGui::EndChild();
    });
    (void)MarkdownToPlainText(t);
  }
  SUCCEED();
}

TEST(MarkdownTest, EntityDecoder) {
  EXPECT_EQ(DecodeHtmlEntity("&amp;"), "&");
  EXPECT_EQ(DecodeHtmlEntity("&lt;"), "<");
  EXPECT_EQ(DecodeHtmlEntity("&gt;"), ">");
  EXPECT_EQ(DecodeHtmlEntity("&quot;"), "\"");
  EXPECT_EQ(DecodeHtmlEntity("&apos;"), "'");
  EXPECT_EQ(DecodeHtmlEntity("&nbsp;"), "\xC2\xA0");
  EXPECT_EQ(DecodeHtmlEntity("&mdash;"), "\xE2\x80\x94");
  EXPECT_EQ(DecodeHtmlEntity("&#65;"), "A");
  EXPECT_EQ(DecodeHtmlEntity("&#233;"), "\xC3\xA9");
  EXPECT_EQ(DecodeHtmlEntity("&#x416;"), "\xD0\x96");
  EXPECT_EQ(DecodeHtmlEntity("&#X1F600;"), "\xF0\x9F\x98\x80");
  EXPECT_EQ(DecodeHtmlEntity("&#0;"), "\xEF\xBF\xBD");
  EXPECT_EQ(DecodeHtmlEntity("&#xD800;"), "\xEF\xBF\xBD");
  EXPECT_EQ(DecodeHtmlEntity("&#99999999999;"), "\xEF\xBF\xBD");
  EXPECT_EQ(DecodeHtmlEntity("&bogus;"), "&bogus;");
  EXPECT_EQ(DecodeHtmlEntity("&#xZZ;"), "&#xZZ;");
  EXPECT_EQ(DecodeHtmlEntity("&#;"), "&#;");
  EXPECT_EQ(DecodeHtmlEntity("amp"), "amp");
}

TEST(MarkdownTest, ClickableUrls) {
  EXPECT_TRUE(IsClickableUrl("https://example.com"));
  EXPECT_TRUE(IsClickableUrl("HTTP://EXAMPLE.COM/x"));
  EXPECT_TRUE(IsClickableUrl("mailto:a@b.c"));
  EXPECT_FALSE(IsClickableUrl("javascript:alert(1)"));
  EXPECT_FALSE(IsClickableUrl("JavaScript:alert(1)"));
  EXPECT_FALSE(IsClickableUrl(" javascript:alert(1)"));
  EXPECT_FALSE(IsClickableUrl("data:text/html,<script>"));
  EXPECT_FALSE(IsClickableUrl("vbscript:x"));
  EXPECT_FALSE(IsClickableUrl("/relative"));
  EXPECT_FALSE(IsClickableUrl("https://"));
  EXPECT_FALSE(IsClickableUrl("https://a\nb"));
  EXPECT_FALSE(IsClickableUrl(""));
}

}  // namespace
}  // namespace concord
