// Internal to markdown.cpp and markdown_parse.cpp: the parsed document (a Block tree whose inline
// content is a flat list of styled Pieces with source byte ranges) and the parse that builds it.
#pragma once
#include <climits>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "imgui.h"

namespace concord {
namespace markdown_detail {

// ---- [SECTION] Document model --------------------------------------------------------------
enum Style : uint8_t { S_BOLD = 1, S_ITALIC = 2, S_CODE = 4, S_STRIKE = 8, S_IMG = 16, S_LINKTEXT = 32 };
enum class PK : uint8_t { Text, Space, Break };

struct Piece {
  uint32_t off = 0, len = 0;  // text in Doc::pool
  int32_t src_b = -1, src_e = -1;  // source byte range (-1: none)
  int16_t link = -1;          // clickable link index into Doc::links
  uint8_t style = 0;
  PK kind = PK::Text;
  bool exact = false;         // pool bytes == source bytes (offsets map 1:1)
  float w = -1;               // cached width (-1 unmeasured)
};

enum class BK : uint8_t { Doc, Para, Heading, Code, Quote, UL, OL, LI, HR, Table, TR, Cell };

struct Block {
  BK kind = BK::Para;
  uint8_t level = 0;     // heading level
  uint8_t align = 0;     // cell alignment (MD_ALIGN)
  bool tight = true;     // lists
  bool header = false;   // TR in THEAD / TH cell
  char task = 0;         // LI: 0 not a task, ' ' open, 'x' done
  char delim = '.';      // OL delimiter
  unsigned start = 1;    // OL start
  unsigned cols = 0;     // table
  int src_b = INT_MAX, src_e = -1;
  std::vector<Piece> pieces;
  std::string code, lang;
  std::vector<Block> kids;
  std::vector<float> col_w;  // table: natural column widths (cached)
  float cache_w = -1, cache_h = 0;
};

struct FontKey {
  const void* ctx = nullptr;
  const ImFont* f[4] = {nullptr, nullptr, nullptr, nullptr};
  float size[4] = {0, 0, 0, 0};
  float scale = 0;
  bool operator==(const FontKey& o) const {
    if (ctx != o.ctx || scale != o.scale) return false;
    for (int i = 0; i < 4; ++i)
      if (f[i] != o.f[i] || size[i] != o.size[i]) return false;
    return true;
  }
};

struct Doc {
  Block root;
  std::string pool;
  std::vector<std::string> links;
  FontKey fonts;
  int hovered_link = -1;
};

// Parses `text` (GitHub dialect, raw HTML shown as text) into `doc`, replacing what it held.
// A reply wrapped whole in a ```markdown (or ```md) fence is Markdown to show, not code: the
// offset and length of what is inside; else {0, text.size()}.
std::pair<size_t, size_t> MarkdownFenceBody(const std::string& text);
void Parse(Doc& doc, const std::string& text);

}  // namespace markdown_detail
}  // namespace concord
