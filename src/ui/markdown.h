// Markdown rendering with Dear ImGui (never via HTML): md4c parses model-written text
// (GitHub dialect, raw HTML disabled so it shows as literal text) into a small block /
// inline-piece tree that is cached per (widget id, text hash); a flow layout draws the
// mixed-style runs with word wrapping. Links are clickable only for http/https/mailto.
#pragma once
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"
#include "ui_common.h"

namespace concord {

struct MarkdownStyle {
  const UiFonts* fonts = nullptr;  // null (or null members) falls back to the current font
  float scale = 1;                 // device pixel ratio: fixed sizes are multiplied by it
};

// Actions for the caller (applied after the frame).
struct MarkdownResult {
  std::string clicked_url;  // a safe (http/https/mailto) link was clicked: open in a new tab, noopener
  std::string copy_code;    // a code block's "Copy" button was pressed: put this on the clipboard
  // Debug/test hook: every clickable link fragment drawn this frame, (url, x0 y0 x1 y1) in
  // screen (device) pixels.
  std::vector<std::pair<std::string, ImVec4>> link_rects;
  std::vector<ImVec4> copy_rects;  // each code block's Copy button, same frame/coordinates
};

// Renders `text` inside the current window, wrapping at the content region width. `id` is
// combined with the ImGui ID stack (so the same id in different PushID scopes is distinct)
// and keys the parse cache. highlight_begin/end: a byte range of `text` painted with a yellow
// background; with scroll_to the window scrolls to its first line (call it for one frame).
MarkdownResult RenderMarkdown(const char* id, const std::string& text, const MarkdownStyle& st,
                              int highlight_begin = -1, int highlight_end = -1, bool scroll_to = false);

// ---- Helpers (exposed for tests) --------------------------------------------------------
// Decodes one HTML entity ("&amp;", "&#233;", "&#x416;") to UTF-8. Unknown names are returned
// unchanged; invalid code points become U+FFFD.
std::string DecodeHtmlEntity(const char* s, size_t n);
inline std::string DecodeHtmlEntity(const std::string& s) { return DecodeHtmlEntity(s.data(), s.size()); }
// True for http://, https:// and mailto: URLs (case-insensitive scheme, no control chars).
bool IsClickableUrl(const std::string& url);
// The text as the renderer shows it (no styling): blocks on their own lines, list markers
// ("- ", "3. ", "[x] "), table cells joined with " | ", code blocks verbatim. Uncached.
std::string MarkdownToPlainText(const std::string& text);
// Drops every cached parse (tests; also safe to call when fonts are rebuilt).
void ClearMarkdownCache();
// Number of cached documents and how many parses have happened (tests: cache behaviour).
size_t MarkdownCacheSize();
size_t MarkdownParseCount();

}  // namespace concord
