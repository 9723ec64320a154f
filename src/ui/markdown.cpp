// Markdown -> ImGui. See markdown.h. Structure:
//   1. md4c SAX callbacks build a Doc (markdown_parse.cpp; the model is markdown_doc.h): a Block
//      tree whose inline content is a flat list of Pieces (a word, a collapsible space or a hard
//      break) with style bits, a link index and the source byte range (for the highlight).
//   2. Docs are cached per (ImGui id, text hash+size) in a small LRU map; word widths and
//      per-block heights (at a given width) are cached inside the Doc, so blocks outside the
//      clip rect cost one Dummy per frame.
//   3. A flow layout breaks each block's pieces into lines (whole words; over-long words by
//      UTF-8 characters) and draws them with ImDrawList::AddText, then ImGui::Dummy.
//
// Index of this file:
// [SECTION] Document cache
// [SECTION] Rendering
// [SECTION] Public
#include "markdown.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <unordered_map>

#include "imgui_internal.h"
#include "markdown_doc.h"
#include "md4c.h"

namespace concord {

using namespace markdown_detail;

namespace {

// ---- [SECTION] Document cache --------------------------------------------------------------
struct CacheEntry {
  ImU32 hash = 0;
  size_t size = 0;
  uint64_t used = 0;
  Doc doc;
};
// One cache per ImGui context: two Apps (each with its own context) never share parses or
// widths measured with another context's fonts; a context's cache goes with it (shutdown hook).
using DocCache = std::unordered_map<ImGuiID, CacheEntry>;
std::unordered_map<const ImGuiContext*, DocCache>& AllCaches() {
  static std::unordered_map<const ImGuiContext*, DocCache> all;
  return all;
}
DocCache& Cache() {
  ImGuiContext* ctx = ImGui::GetCurrentContext();
  auto& all = AllCaches();
  auto it = all.find(ctx);
  if (it == all.end()) {
    it = all.emplace(ctx, DocCache()).first;
    if (ctx) {
      ImGuiContextHook hook;
      hook.Type = ImGuiContextHookType_Shutdown;
      hook.Callback = [](ImGuiContext* c, ImGuiContextHook*) { AllCaches().erase(c); };
      ImGui::AddContextHook(ctx, &hook);
    }
  }
  return it->second;
}
uint64_t g_use_clock = 0;
constexpr size_t kCacheMax = 32;

void ResetMeasures(Block& b) {
  b.cache_w = -1;
  b.col_w.clear();
  for (Piece& p : b.pieces) p.w = -1;
  for (Block& k : b.kids) ResetMeasures(k);
}

Doc& GetDoc(ImGuiID key, const std::string& text) {
  auto& cache = Cache();
  ImU32 h = ImHashData(text.data(), text.size(), 0x9E3779B9u);
  auto it = cache.find(key);
  if (it == cache.end()) {
    if (cache.size() >= kCacheMax) {
      auto old = cache.begin();
      for (auto i = cache.begin(); i != cache.end(); ++i)
        if (i->second.used < old->second.used) old = i;
      cache.erase(old);
    }
    it = cache.emplace(key, CacheEntry()).first;
    Parse(it->second.doc, text);
    it->second.hash = h;
    it->second.size = text.size();
  } else if (it->second.hash != h || it->second.size != text.size()) {
    int hovered = it->second.doc.hovered_link;
    Parse(it->second.doc, text);
    it->second.doc.hovered_link = hovered;
    it->second.hash = h;
    it->second.size = text.size();
  }
  it->second.used = ++g_use_clock;
  return it->second.doc;
}

// ---- [SECTION] Rendering -------------------------------------------------------------------
const ImU32 kItalic = IM_COL32(176, 198, 240, 255);
const ImU32 kQuoteText = IM_COL32(196, 200, 212, 255);
const ImU32 kCodeBg = IM_COL32(18, 20, 26, 255);
const ImU32 kCodeBorder = IM_COL32(60, 64, 76, 255);
const ImU32 kInlineCodeBg = IM_COL32(255, 255, 255, 26);
const ImU32 kCodeText = IM_COL32(222, 224, 230, 255);
const ImU32 kHighlight = (pal::Yellow & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 96);

struct Frag {
  int piece;
  uint32_t off, len;
  float x, w;
};
struct Line {
  int f0, f1;
  float y, h, maxs, shift, width;
};

struct Ctx {
  Doc* doc;
  MarkdownResult* res;
  ImGuiWindow* win;
  ImDrawList* dl;
  float s;  // scale
  ImFont *regular, *bold, *heading, *mono;
  float rs, bs, hs, ms;  // their sizes
  int hb, he;
  bool scroll_to, scrolled = false;
  int quote = 0, list_depth = 0, in_table = 0, depth = 0;
  int new_hovered = -1;
  int auto_id = 0;
  ImU32 text_col;
  std::vector<Frag> frags;
  std::vector<Line> lines;

  bool overlaps(int b, int e) const { return hb >= 0 && he > hb && b >= 0 && b < he && e > hb; }
  float line_h(float size) const { return std::floor(size * 1.25f + 0.5f); }
  float para_gap() const { return std::floor(rs * 0.6f + 0.5f); }
};

float FontSizeOf(const ImFont* f) { return f->FontSize * f->Scale * ImGui::GetIO().FontGlobalScale; }

// Font and size for a piece inside `b`.
void FontFor(const Ctx& c, const Block& b, uint8_t style, ImFont*& f, float& size) {
  if (b.kind == BK::Code) {
    f = c.mono;
    size = c.ms;
    return;
  }
  float sz = c.rs;
  ImFont* face = c.regular;
  if (b.kind == BK::Heading) {
    switch (b.level) {
      case 1: face = c.heading; sz = c.hs; break;
      case 2: face = c.heading; sz = std::max(c.hs * 0.88f, c.bs * 1.1f); break;
      case 3: face = c.heading; sz = std::max(c.hs * 0.78f, c.bs * 1.05f); break;
      default: face = c.bold; sz = c.bs; break;
    }
  } else if (b.header || (style & S_BOLD)) {
    face = c.bold;
    sz = c.bs;
  }
  if (style & S_CODE) {
    face = c.mono;
    if (b.kind != BK::Heading) sz = c.ms;
  }
  f = face;
  size = sz;
}

float BaseSize(const Ctx& c, const Block& b) {
  ImFont* f;
  float sz;
  FontFor(c, b, 0, f, sz);
  return sz;
}

float PieceWidth(const Ctx& c, const Block& b, Piece& p) {
  if (p.w < 0) {
    ImFont* f;
    float sz;
    FontFor(c, b, p.style, f, sz);
    if (p.kind == PK::Break) p.w = 0;
    else if (p.kind == PK::Space) p.w = f->CalcTextSizeA(sz, FLT_MAX, 0, " ").x;
    else {
      const char* s = c.doc->pool.data() + p.off;
      p.w = f->CalcTextSizeA(sz, FLT_MAX, 0, s, s + p.len).x;
    }
  }
  return p.w;
}

// Breaks b.pieces into c.lines / c.frags for `width`. align: MD_ALIGN.
void Layout(Ctx& c, Block& b, float width, int align) {
  c.frags.clear();
  c.lines.clear();
  const float base = BaseSize(c, b);
  float x = 0, pend = 0, maxs = 0;
  int f0 = 0;
  bool empty = true;
  float y = 0;
  auto end_line = [&]() {
    Line L;
    L.f0 = f0;
    L.f1 = static_cast<int>(c.frags.size());
    L.maxs = maxs > 0 ? maxs : base;
    L.h = c.line_h(L.maxs);
    L.y = y;
    L.width = L.f1 > L.f0 ? c.frags[L.f1 - 1].x + c.frags[L.f1 - 1].w : 0;
    L.shift = 0;
    if (align == MD_ALIGN_CENTER) L.shift = std::floor(std::max(0.f, width - L.width) * 0.5f);
    else if (align == MD_ALIGN_RIGHT) L.shift = std::floor(std::max(0.f, width - L.width));
    c.lines.push_back(L);
    y += L.h;
    f0 = L.f1;
    x = 0;
    pend = 0;
    maxs = 0;
    empty = true;
  };
  auto place = [&](int pi, uint32_t off, uint32_t len, float w) {
    ImFont* f;
    float sz;
    FontFor(c, b, b.pieces[pi].style, f, sz);
    c.frags.push_back(Frag{pi, off, len, x, w});
    maxs = std::max(maxs, sz);
    x += w;
    empty = false;
  };
  const int n = static_cast<int>(b.pieces.size());
  int i = 0;
  while (i < n) {
    Piece& p = b.pieces[i];
    if (p.kind == PK::Break) {
      end_line();
      ++i;
      continue;
    }
    if (p.kind == PK::Space) {
      if (!empty) pend = PieceWidth(c, b, p);
      ++i;
      continue;
    }
    int j = i;
    float gw = 0;
    while (j < n && b.pieces[j].kind == PK::Text) gw += PieceWidth(c, b, b.pieces[j++]);
    float sp = empty ? 0 : pend;
    if (x + sp + gw <= width) {
      x += sp;
      for (int k = i; k < j; ++k) place(k, b.pieces[k].off, b.pieces[k].len, b.pieces[k].w);
    } else if (!empty && gw <= width) {
      end_line();
      for (int k = i; k < j; ++k) place(k, b.pieces[k].off, b.pieces[k].len, b.pieces[k].w);
    } else {
      // Wider than a whole line: break by characters (start on a fresh line unless the
      // current one still has most of its room).
      if (!empty) {
        if (width - (x + sp) < width * 0.5f) end_line();
        else x += sp;
      }
      for (int k = i; k < j; ++k) {
        Piece& q = b.pieces[k];
        ImFont* f;
        float sz;
        FontFor(c, b, q.style, f, sz);
        const float k_scale = sz / f->FontSize;
        const char* s0 = c.doc->pool.data() + q.off;
        const char* s = s0;
        const char* e = s0 + q.len;
        const char* seg = s;
        float segw = 0;
        while (s < e) {
          unsigned cp = 0;
          int nb = ImTextCharFromUtf8(&cp, s, e);
          if (nb <= 0) nb = 1;
          float cw = f->GetCharAdvance(static_cast<ImWchar>(cp <= IM_UNICODE_CODEPOINT_MAX ? cp : 0xFFFD)) * k_scale;
          if (x + segw + cw > width && (x + segw) > 0) {
            if (s > seg) place(k, q.off + static_cast<uint32_t>(seg - s0), static_cast<uint32_t>(s - seg), segw);
            end_line();
            seg = s;
            segw = 0;
          }
          segw += cw;
          s += nb;
        }
        if (s > seg) place(k, q.off + static_cast<uint32_t>(seg - s0), static_cast<uint32_t>(s - seg), segw);
      }
    }
    pend = 0;
    i = j;
  }
  if (!empty) end_line();
}

// Lays out and draws b's inline content at the cursor, then reserves the space.
float FlowWidth(const Ctx& c, const Block& b, float width) { return std::max(width, BaseSize(c, b) * 2); }

// laid_out: Layout() was already called for this block at this width.
void DrawFlow(Ctx& c, Block& b, float width, int align, ImU32 base_col, bool laid_out = false) {
  width = FlowWidth(c, b, width);
  if (!laid_out) Layout(c, b, width, align);
  if (c.lines.empty()) return;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const ImVec2 cmin = c.dl->GetClipRectMin(), cmax = c.dl->GetClipRectMax();
  const Doc& doc = *c.doc;
  float maxw = 0, total = 0;
  for (const Line& L : c.lines) {
    maxw = std::max(maxw, L.shift + L.width);
    total = L.y + L.h;
    const float y0 = o.y + L.y, y1 = y0 + L.h;
    const bool vis = !(y0 > cmax.y || y1 < cmin.y);
    const bool want_scroll = c.scroll_to && !c.scrolled;
    if (!vis && !want_scroll) continue;
    float prev_end = 0;
    bool prev_hl = false, prev_code = false, prev_strike = false;
    for (int fi = L.f0; fi < L.f1; ++fi) {
      const Frag& f = c.frags[fi];
      const Piece& p = b.pieces[f.piece];
      int sb = p.src_b, se = p.src_e;
      if (p.exact) {
        sb = p.src_b + static_cast<int>(f.off - p.off);
        se = sb + static_cast<int>(f.len);
      }
      const bool hl = c.overlaps(sb, se);
      if (hl && want_scroll && !c.scrolled) {
        ImGui::SetScrollFromPosY(y0 - c.win->Pos.y, 0.3f);
        c.scrolled = true;
      }
      if (!vis) continue;
      ImFont* font;
      float sz;
      FontFor(c, b, p.style, font, sz);
      const float x0 = o.x + L.shift + f.x, x1 = x0 + f.w;
      const float ty = y0 + std::floor((L.h - L.maxs) * 0.5f + (L.maxs - sz) * 0.8f);
      if (hl) c.dl->AddRectFilled(ImVec2(prev_hl ? prev_end : x0, y0), ImVec2(x1, y1), kHighlight);
      const bool code = (p.style & S_CODE) && b.kind != BK::Code;
      if (code) {
        float pad = 1.5f * c.s;
        c.dl->AddRectFilled(ImVec2((prev_code ? prev_end + pad : x0 - pad), ty - 0.5f * c.s),
                            ImVec2(x1 + pad, ty + sz + 0.5f * c.s), kInlineCodeBg, 2 * c.s);
      }
      ImU32 col = base_col;
      if (p.style & S_ITALIC) col = kItalic;
      if (p.style & S_IMG) col = pal::Dim;
      bool underline = false;
      if (p.link >= 0) {
        col = pal::Blue;
        underline = p.link == doc.hovered_link;
        ImGuiID id = p.src_b >= 0 ? c.win->GetID(static_cast<int>(p.src_b + (f.off - p.off)) * 2 + 1)
                                  : c.win->GetID(-2 - (c.auto_id++));
        ImRect bb(ImVec2(x0, y0), ImVec2(x1, y1));
        const std::string& url = doc.links[p.link];
        c.res->link_rects.emplace_back(url, ImVec4(x0, y0, x1, y1));
        if (ImGui::ItemAdd(bb, id)) {
          bool hov = false, held = false;
          if (ImGui::ButtonBehavior(bb, id, &hov, &held)) c.res->clicked_url = url;
          if (hov) {
            underline = true;
            c.new_hovered = p.link;
            ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
            ImGui::SetTooltip("%s", url.c_str());
          }
        }
      }
      const char* s = doc.pool.data() + f.off;
      c.dl->AddText(font, sz, ImVec2(x0, ty), col, s, s + f.len);
      const bool strike = (p.style & S_STRIKE) != 0;
      if (strike) {
        float ly = std::floor(ty + sz * 0.55f) + 0.5f;
        c.dl->AddLine(ImVec2(prev_strike ? prev_end : x0, ly), ImVec2(x1, ly), col, std::max(1.f, c.s));
      }
      if (underline) {
        float ly = std::floor(ty + sz) - 0.5f;
        c.dl->AddLine(ImVec2(x0, ly), ImVec2(x1, ly), col, std::max(1.f, c.s));
      }
      prev_end = x1;
      prev_hl = hl;
      prev_code = code;
      prev_strike = strike;
    }
  }
  ImGui::Dummy(ImVec2(std::max(1.f, maxw), total));
}

void RenderBlock(Ctx& c, Block& b, bool tight);

void Gap(float h) {
  if (h > 0) ImGui::Dummy(ImVec2(0, h));
}

void RenderKids(Ctx& c, Block& parent, bool tight) {
  for (size_t i = 0; i < parent.kids.size(); ++i) {
    Block& k = parent.kids[i];
    if (i > 0) {
      float g = tight ? 0 : c.para_gap();
      if (k.kind == BK::Heading) g = c.para_gap() + std::floor(c.rs * 0.5f);
      Gap(g);
    }
    RenderBlock(c, k, tight);
  }
}

void RenderList(Ctx& c, Block& b) {
  const bool ordered = b.kind == BK::OL;
  float indent = std::floor(18 * c.s);
  if (ordered) {
    unsigned last = b.start + static_cast<unsigned>(b.kids.size() ? b.kids.size() - 1 : 0);
    std::string widest = std::to_string(last) + b.delim;
    indent = std::max(indent, std::floor(c.regular->CalcTextSizeA(c.rs, FLT_MAX, 0, widest.c_str()).x + 8 * c.s));
  }
  if (c.depth > 12) indent = 0;  // pathological nesting: stop shifting right
  c.list_depth++;
  unsigned num = b.start;
  for (size_t i = 0; i < b.kids.size(); ++i, ++num) {
    Block& li = b.kids[i];
    if (i > 0) Gap(b.tight ? std::floor(2 * c.s) : c.para_gap());
    ImGui::Indent(indent);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const float lh = c.line_h(c.rs);
    const ImU32 col = c.quote ? kQuoteText : c.text_col;
    if (li.task) {
      float box = std::floor(c.rs * 0.8f);
      ImVec2 a(p.x - indent + std::floor((indent - box) * 0.5f), p.y + std::floor((lh - box) * 0.5f));
      c.dl->AddRect(a, ImVec2(a.x + box, a.y + box), pal::Dim, 2 * c.s, 0, std::max(1.f, c.s));
      if (li.task == 'x') {
        c.dl->AddRectFilled(a, ImVec2(a.x + box, a.y + box), pal::Accent, 2 * c.s);
        ImGui::RenderCheckMark(c.dl, ImVec2(a.x + box * 0.15f, a.y + box * 0.15f), pal::Text, box * 0.7f);
      }
    } else if (ordered) {
      std::string m = std::to_string(num) + b.delim;
      float w = c.regular->CalcTextSizeA(c.rs, FLT_MAX, 0, m.c_str()).x;
      c.dl->AddText(c.regular, c.rs, ImVec2(p.x - w - 6 * c.s, p.y + std::floor((lh - c.rs) * 0.5f)), col, m.c_str());
    } else {
      ImVec2 ctr(p.x - indent * 0.5f, p.y + lh * 0.5f);
      float r = std::max(1.5f, 2.5f * c.s);
      int style = (c.list_depth - 1) % 3;
      if (style == 0) c.dl->AddCircleFilled(ctr, r, col);
      else if (style == 1) c.dl->AddCircle(ctr, r, col, 0, std::max(1.f, c.s));
      else c.dl->AddRectFilled(ImVec2(ctr.x - r, ctr.y - r), ImVec2(ctr.x + r, ctr.y + r), col);
    }
    if (li.kids.empty()) ImGui::Dummy(ImVec2(0, lh));
    else RenderKids(c, li, b.tight);
    ImGui::Unindent(indent);
  }
  c.list_depth--;
}

void RenderCode(Ctx& c, Block& b) {
  const float pad = std::floor(6 * c.s);
  const float W = ImGui::GetContentRegionAvail().x;
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const float head = c.rs + pad;  // lang label + Copy button row
  // Layout first so the background (drawn before the text) knows the height.
  const float tw = FlowWidth(c, b, W - 2 * pad);
  Layout(c, b, tw, 0);
  const float text_h = c.lines.empty() ? c.line_h(c.ms) : c.lines.back().y + c.lines.back().h;
  const float H = pad + head + text_h + pad;
  c.dl->AddRectFilled(o, ImVec2(o.x + W, o.y + H), kCodeBg, 4 * c.s);
  c.dl->AddRect(o, ImVec2(o.x + W, o.y + H), kCodeBorder, 4 * c.s);
  if (!b.lang.empty()) {
    std::string lang = b.lang.size() > 40 ? b.lang.substr(0, 40) : b.lang;
    c.dl->AddText(c.regular, c.rs, ImVec2(o.x + pad, o.y + pad * 0.5f), pal::Dim, lang.c_str());
  }
  ImGui::SetCursorScreenPos(ImVec2(o.x + pad, o.y + pad + head));
  DrawFlow(c, b, tw, 0, kCodeText, true);
  const float bw = c.regular->CalcTextSizeA(c.rs, FLT_MAX, 0, "Copy").x + ImGui::GetStyle().FramePadding.x * 2;
  ImGui::SetCursorScreenPos(ImVec2(o.x + W - pad - bw, o.y + pad * 0.5f));
  ImGui::PushID(b.src_b == INT_MAX ? -1 - c.auto_id++ : b.src_b);
  const ImVec2 bp = ImGui::GetCursorScreenPos();
  c.res->copy_rects.push_back(ImVec4(bp.x, bp.y, bp.x + bw, bp.y + ImGui::GetFontSize()));
  if (ImGui::SmallButton("Copy")) {
    std::string code = b.code;
    if (!code.empty() && code.back() == '\n') code.pop_back();
    c.res->copy_code = code.empty() ? std::string(" ") : code;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Copy code");
  ImGui::PopID();
  ImGui::SetCursorScreenPos(o);
  ImGui::Dummy(ImVec2(W, H));
}

void RenderTable(Ctx& c, Block& b) {
  const int cols = static_cast<int>(std::min<unsigned>(b.cols, 64));
  if (cols < 1 || b.kids.empty()) return;
  if (b.col_w.empty()) {
    b.col_w.assign(cols, 0.f);
    for (Block& tr : b.kids)
      for (int k = 0; k < cols && k < static_cast<int>(tr.kids.size()); ++k) {
        Block& cell = tr.kids[k];
        float w = 0;
        for (Piece& p : cell.pieces) w += PieceWidth(c, cell, p);
        b.col_w[k] = std::max(b.col_w[k], w);
      }
  }
  ImGui::PushID(b.src_b == INT_MAX ? -1 - c.auto_id++ : b.src_b);
  ImGui::PushStyleVar(ImGuiStyleVar_CellPadding, ImVec2(std::floor(6 * c.s), std::floor(3 * c.s)));
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp |
                                ImGuiTableFlags_NoSavedSettings;
  if (ImGui::BeginTable("##table", cols, flags)) {
    for (int k = 0; k < cols; ++k)
      ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch,
                              std::min(std::max(b.col_w[k], 30 * c.s), 320 * c.s));
    c.in_table++;
    for (Block& tr : b.kids) {
      ImGui::TableNextRow(tr.header ? ImGuiTableRowFlags_Headers : 0);
      if (tr.header) ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, ImGui::GetColorU32(ImGuiCol_TableHeaderBg));
      for (int k = 0; k < cols && k < static_cast<int>(tr.kids.size()); ++k) {
        ImGui::TableSetColumnIndex(k);
        Block& cell = tr.kids[k];
        DrawFlow(c, cell, ImGui::GetContentRegionAvail().x, cell.align, c.text_col);
      }
    }
    c.in_table--;
    ImGui::EndTable();
  }
  ImGui::PopStyleVar();
  ImGui::PopID();
}

void RenderBlockBody(Ctx& c, Block& b) {
  switch (b.kind) {
    case BK::Doc: RenderKids(c, b, false); break;
    case BK::Para: DrawFlow(c, b, ImGui::GetContentRegionAvail().x, 0, c.quote ? kQuoteText : c.text_col); break;
    case BK::Cell: DrawFlow(c, b, ImGui::GetContentRegionAvail().x, b.align, c.text_col); break;
    case BK::Heading: {
      DrawFlow(c, b, ImGui::GetContentRegionAvail().x, 0, pal::Text);
      if (b.level <= 2) {
        ImVec2 p = ImGui::GetCursorScreenPos();
        float W = ImGui::GetContentRegionAvail().x;
        float y = p.y + std::floor(3 * c.s);
        c.dl->AddLine(ImVec2(p.x, y), ImVec2(p.x + W, y), pal::Silent, std::max(1.f, c.s));
        ImGui::Dummy(ImVec2(0, std::floor(5 * c.s)));
      }
      break;
    }
    case BK::Code: RenderCode(c, b); break;
    case BK::Quote: {
      float ind = c.depth > 12 ? 0 : std::floor(14 * c.s);
      ImVec2 p = ImGui::GetCursorScreenPos();
      ImGui::Indent(ind);
      c.quote++;
      RenderKids(c, b, false);
      c.quote--;
      ImGui::Unindent(ind);
      float y1 = ImGui::GetCursorScreenPos().y;
      c.dl->AddRectFilled(ImVec2(p.x + std::floor(2 * c.s), p.y), ImVec2(p.x + std::floor(5 * c.s), y1), pal::Silent,
                          1.5f * c.s);
      break;
    }
    case BK::UL:
    case BK::OL: RenderList(c, b); break;
    case BK::LI: RenderKids(c, b, true); break;  // (only via RenderList)
    case BK::HR: {
      ImVec2 p = ImGui::GetCursorScreenPos();
      float W = ImGui::GetContentRegionAvail().x, h = std::floor(12 * c.s);
      float y = std::floor(p.y + h * 0.5f);
      c.dl->AddLine(ImVec2(p.x, y), ImVec2(p.x + W, y), pal::Silent, std::max(1.f, 1.5f * c.s));
      ImGui::Dummy(ImVec2(W, h));
      break;
    }
    case BK::Table: RenderTable(c, b); break;
    case BK::TR: break;  // (only via RenderTable)
  }
}

// Renders a block, or (outside tables, when its height at this width is known and it is
// off-screen) just reserves that height.
void RenderBlock(Ctx& c, Block& b, bool) {
  const float W = ImGui::GetContentRegionAvail().x;
  const bool force = c.scroll_to && !c.scrolled && c.overlaps(b.src_b, b.src_e);
  if (!c.in_table && !force && b.cache_w == W) {
    if (!ImGui::IsRectVisible(ImVec2(std::max(W, 1.f), std::max(b.cache_h, 1.f)))) {
      if (b.cache_h > 0) ImGui::Dummy(ImVec2(1, b.cache_h));
      return;
    }
  }
  const float y0 = ImGui::GetCursorScreenPos().y;
  c.depth++;
  RenderBlockBody(c, b);
  c.depth--;
  if (!c.in_table) {
    b.cache_w = W;
    b.cache_h = ImGui::GetCursorScreenPos().y - y0;
  }
}

void PlainInline(const Doc& d, const Block& b, std::string& out) {
  for (const Piece& p : b.pieces) {
    if (p.kind == PK::Break) out += '\n';
    else out.append(d.pool, p.off, p.len);
  }
}

void PlainBlock(const Doc& d, const Block& b, std::string& out, const std::string& indent) {
  switch (b.kind) {
    case BK::Para:
    case BK::Heading:
      out += indent;
      PlainInline(d, b, out);
      out += '\n';
      break;
    case BK::Code:
      out += b.code;
      if (!b.code.empty() && b.code.back() != '\n') out += '\n';
      break;
    case BK::HR: out += indent + "---\n"; break;
    case BK::UL:
    case BK::OL: {
      unsigned num = b.start;
      for (const Block& li : b.kids) {
        std::string mark = b.kind == BK::OL ? std::to_string(num++) + b.delim + " " : std::string("- ");
        if (li.task) mark += li.task == 'x' ? "[x] " : "[ ] ";
        std::string sub;
        for (const Block& k : li.kids) PlainBlock(d, k, sub, "");
        // Prefix the first line with the marker, indent the rest.
        size_t pos = 0;
        bool first = true;
        while (pos < sub.size()) {
          size_t nl = sub.find('\n', pos);
          if (nl == std::string::npos) nl = sub.size();
          out += indent + (first ? mark : std::string(mark.size(), ' ')) + sub.substr(pos, nl - pos) + "\n";
          first = false;
          pos = nl + 1;
        }
        if (first) out += indent + mark + "\n";
      }
      break;
    }
    case BK::Quote: {
      std::string sub;
      for (const Block& k : b.kids) PlainBlock(d, k, sub, "");
      size_t pos = 0;
      while (pos < sub.size()) {
        size_t nl = sub.find('\n', pos);
        if (nl == std::string::npos) nl = sub.size();
        out += indent + "> " + sub.substr(pos, nl - pos) + "\n";
        pos = nl + 1;
      }
      break;
    }
    case BK::Table:
      for (const Block& tr : b.kids) {
        out += indent;
        for (size_t k = 0; k < tr.kids.size(); ++k) {
          if (k) out += " | ";
          PlainInline(d, tr.kids[k], out);
        }
        out += '\n';
      }
      break;
    default:
      for (const Block& k : b.kids) PlainBlock(d, k, out, indent);
      break;
  }
}

}  // namespace

// ---- [SECTION] Public ----------------------------------------------------------------------
bool IsClickableUrl(const std::string& url) {
  for (unsigned char ch : url)
    if (ch < 0x20 || ch == 0x7F) return false;
  auto starts = [&](const char* p) {
    size_t n = std::strlen(p);
    if (url.size() < n) return false;
    for (size_t i = 0; i < n; ++i)
      if (std::tolower(static_cast<unsigned char>(url[i])) != p[i]) return false;
    return true;
  };
  if (starts("http://") || starts("https://")) return url.size() > (starts("https://") ? 8u : 7u);
  if (starts("mailto:")) return url.size() > 7;
  return false;
}

std::string MarkdownToPlainText(const std::string& text) {
  Doc d;
  Parse(d, text);
  std::string out;
  PlainBlock(d, d.root, out, "");
  return out;
}

void ClearMarkdownCache() { for (auto& [ctx, c] : AllCaches()) c.clear(); }
size_t MarkdownCacheSize() { return Cache().size(); }

MarkdownResult RenderMarkdown(const char* id, const std::string& text, const MarkdownStyle& st, int highlight_begin,
                              int highlight_end, bool scroll_to) {
  MarkdownResult res;
  ImGuiWindow* win = ImGui::GetCurrentWindow();
  if (!win || win->SkipItems) return res;
  const ImGuiID key = ImGui::GetID(id ? id : "md");
  Doc& doc = GetDoc(key, text);

  Ctx c;
  c.doc = &doc;
  c.res = &res;
  c.win = win;
  c.dl = ImGui::GetWindowDrawList();
  c.s = st.scale > 0 ? st.scale : 1;
  ImFont* cur = ImGui::GetFont();
  const UiFonts* f = st.fonts;
  c.regular = f && f->regular ? f->regular : cur;
  c.bold = f && f->bold ? f->bold : c.regular;
  c.heading = f && f->heading ? f->heading : c.bold;
  c.mono = f && f->mono ? f->mono : c.regular;
  c.rs = FontSizeOf(c.regular);
  c.bs = FontSizeOf(c.bold);
  c.hs = FontSizeOf(c.heading);
  c.ms = FontSizeOf(c.mono);
  if (c.heading == c.regular || c.hs <= c.rs) c.hs = std::floor(c.rs * 1.3f + 0.5f);  // no distinct heading font
  c.hb = highlight_begin;
  c.he = highlight_end;
  c.scroll_to = scroll_to && highlight_begin >= 0 && highlight_end > highlight_begin;
  c.text_col = ImGui::GetColorU32(ImGuiCol_Text);

  FontKey fk;
  fk.ctx = ImGui::GetCurrentContext();
  ImFont* fs[4] = {c.regular, c.bold, c.heading, c.mono};
  float ss[4] = {c.rs, c.bs, c.hs, c.ms};
  for (int i = 0; i < 4; ++i) {
    fk.f[i] = fs[i];
    fk.size[i] = ss[i];
  }
  fk.scale = c.s;
  if (!(fk == doc.fonts)) {
    ResetMeasures(doc.root);
    doc.fonts = fk;
  }

  ImGui::PushID(key);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 0));
  ImGui::BeginGroup();
  RenderBlock(c, doc.root, false);
  ImGui::EndGroup();
  ImGui::PopStyleVar();
  ImGui::PopID();
  doc.hovered_link = c.new_hovered;
  return res;
}

}  // namespace concord
