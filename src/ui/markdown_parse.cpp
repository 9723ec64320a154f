// Markdown parsing: md4c's SAX callbacks build the Doc of markdown_doc.h (blocks, styled word
// pieces, link indices, source byte ranges); HTML entities are decoded to UTF-8.
#include "markdown_doc.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "markdown.h"
#include "utf8.h"
#include "md4c.h"

namespace concord {

using namespace markdown_detail;

namespace {

// ---- [SECTION] Entities --------------------------------------------------------------------
struct NamedEntity {
  const char* name;
  unsigned cp;
};
const NamedEntity kEntities[] = {
    {"amp", '&'},      {"lt", '<'},         {"gt", '>'},        {"quot", '"'},      {"apos", '\''},
    {"nbsp", 0xA0},    {"copy", 0xA9},      {"reg", 0xAE},      {"trade", 0x2122},  {"hellip", 0x2026},
    {"mdash", 0x2014}, {"ndash", 0x2013},   {"lsquo", 0x2018},  {"rsquo", 0x2019},  {"ldquo", 0x201C},
    {"rdquo", 0x201D}, {"laquo", 0xAB},     {"raquo", 0xBB},    {"times", 0xD7},    {"divide", 0xF7},
    {"deg", 0xB0},     {"plusmn", 0xB1},    {"middot", 0xB7},   {"bull", 0x2022},   {"euro", 0x20AC},
    {"pound", 0xA3},   {"yen", 0xA5},       {"cent", 0xA2},     {"sect", 0xA7},     {"para", 0xB6},
    {"larr", 0x2190},  {"rarr", 0x2192},    {"uarr", 0x2191},   {"darr", 0x2193},   {"harr", 0x2194},
    {"rArr", 0x21D2},  {"lArr", 0x21D0},    {"le", 0x2264},     {"ge", 0x2265},     {"ne", 0x2260},
    {"infin", 0x221E}, {"asymp", 0x2248},   {"minus", 0x2212},  {"micro", 0xB5},    {"alpha", 0x3B1},
    {"beta", 0x3B2},   {"gamma", 0x3B3},    {"delta", 0x3B4},   {"pi", 0x3C0},      {"sigma", 0x3C3},
    {"mu", 0x3BC},     {"lambda", 0x3BB},   {"theta", 0x3B8},   {"Delta", 0x394},   {"Sigma", 0x3A3},
    {"frac12", 0xBD},  {"frac14", 0xBC},    {"frac34", 0xBE},   {"sup2", 0xB2},     {"sup3", 0xB3},
    {"eacute", 0xE9},  {"egrave", 0xE8},    {"agrave", 0xE0},   {"ccedil", 0xE7},   {"uuml", 0xFC},
    {"ouml", 0xF6},    {"auml", 0xE4},      {"szlig", 0xDF},    {"iexcl", 0xA1},    {"iquest", 0xBF},
    {"ensp", 0x2002},  {"emsp", 0x2003},    {"thinsp", 0x2009}, {"zwj", 0x200D},    {"zwnj", 0x200C},
    {"shy", 0xAD},     {"dagger", 0x2020},  {"check", 0x2713},  {"hearts", 0x2665}, {"larrow", 0x2190},
};

}  // namespace

std::string DecodeHtmlEntity(const char* s, size_t n) {
  std::string raw(s, n);
  if (n < 3 || s[0] != '&' || s[n - 1] != ';') return raw;
  std::string out;
  if (s[1] == '#') {
    unsigned long cp = 0;
    size_t i = 2;
    bool hex = i < n - 1 && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    if (i >= n - 1) return raw;
    for (; i < n - 1; ++i) {
      char ch = s[i];
      int d;
      if (ch >= '0' && ch <= '9') d = ch - '0';
      else if (hex && ch >= 'a' && ch <= 'f') d = ch - 'a' + 10;
      else if (hex && ch >= 'A' && ch <= 'F') d = ch - 'A' + 10;
      else return raw;
      cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(d);
      if (cp > 0x10FFFF) cp = 0x110000;  // clamp (invalid -> U+FFFD)
    }
    AppendUtf8(out, static_cast<unsigned>(cp));
    return out;
  }
  const std::string name(s + 1, n - 2);
  for (const NamedEntity& e : kEntities)
    if (name == e.name) {
      AppendUtf8(out, e.cp);
      return out;
    }
  return raw;
}

namespace {

size_t g_parse_count = 0;

bool IsWs(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool IsInline(BK k) { return k == BK::Para || k == BK::Heading || k == BK::Cell || k == BK::Code; }

// ---- [SECTION] Parser (md4c callbacks) -----------------------------------------------------
struct Parser {
  Doc* doc = nullptr;
  const char* base = nullptr;
  size_t n = 0;
  std::vector<Block*> stack;
  Block* implicit = nullptr;  // paragraph made for text directly inside a container (tight LI)
  int bold = 0, italic = 0, code = 0, strike = 0, img = 0;
  std::vector<int> links;     // open link spans: clickable index or -1
  bool in_thead = false;

  Block* push(BK k) {
    implicit = nullptr;
    Block* top = stack.back();
    top->kids.emplace_back();
    Block* b = &top->kids.back();
    b->kind = k;
    stack.push_back(b);
    return b;
  }
  void pop() {
    implicit = nullptr;
    if (stack.size() <= 1) return;
    Block* b = stack.back();
    stack.pop_back();
    Block* p = stack.back();
    if (b->src_e >= 0) {
      p->src_b = std::min(p->src_b, b->src_b);
      p->src_e = std::max(p->src_e, b->src_e);
    }
  }
  Block* target() {
    Block* top = stack.back();
    if (IsInline(top->kind)) return top;
    if (!implicit) {
      top->kids.emplace_back();
      implicit = &top->kids.back();
      implicit->kind = BK::Para;
    }
    return implicit;
  }
  uint8_t style() const {
    uint8_t s = 0;
    if (bold) s |= S_BOLD;
    if (italic) s |= S_ITALIC;
    if (code) s |= S_CODE;
    if (strike) s |= S_STRIKE;
    if (img) s |= S_IMG;
    if (!links.empty()) s |= S_LINKTEXT;
    return s;
  }
  int16_t link() const {
    for (auto it = links.rbegin(); it != links.rend(); ++it)
      if (*it >= 0) return static_cast<int16_t>(*it);
    return -1;
  }
  // Source range of a callback's text, or -1 when it does not point into the input.
  bool src_of(const char* p, size_t len, int& b, int& e) const {
    if (p >= base && p <= base + n && static_cast<size_t>(p - base) + len <= n) {
      b = static_cast<int>(p - base);
      e = b + static_cast<int>(len);
      return true;
    }
    b = e = -1;
    return false;
  }
  void add(Block* blk, PK kind, const char* s, size_t len, int sb, int se, bool exact, uint8_t st) {
    Piece p;
    p.off = static_cast<uint32_t>(doc->pool.size());
    p.len = static_cast<uint32_t>(len);
    if (len) doc->pool.append(s, len);
    p.src_b = sb;
    p.src_e = se;
    p.exact = exact && sb >= 0;
    p.style = st;
    p.link = link();
    p.kind = kind;
    blk->pieces.push_back(p);
    if (sb >= 0) {
      blk->src_b = std::min(blk->src_b, sb);
      blk->src_e = std::max(blk->src_e, se);
    }
  }
  // Splits prose into words and (collapsible) spaces.
  // "<br>", "<br/>" and "<br />" are line breaks (models write them in table cells, where
  // Markdown has none); every other tag is shown as written, never interpreted.
  void add_text(Block* blk, const char* s, size_t len, uint8_t st) {
    size_t from = 0;
    for (size_t i = 0; i + 3 < len; ++i) {
      if (s[i] != '<' || (s[i + 1] | 0x20) != 'b' || (s[i + 2] | 0x20) != 'r') continue;
      size_t j = i + 3;
      while (j < len && s[j] == ' ') ++j;
      if (j < len && s[j] == '/') ++j;
      if (j >= len || s[j] != '>') continue;
      if (i > from) add_words(blk, s + from, i - from, st);
      add(blk, PK::Break, "", 0, -1, -1, false, st);
      from = j + 1;
      i = j;
    }
    if (from < len) add_words(blk, s + from, len - from, st);
  }

  void add_words(Block* blk, const char* s, size_t len, uint8_t st) {
    int sb, se;
    bool exact = src_of(s, len, sb, se);
    size_t i = 0;
    while (i < len) {
      size_t j = i;
      bool ws = IsWs(s[i]);
      while (j < len && IsWs(s[j]) == ws) ++j;
      int b = exact ? sb + static_cast<int>(i) : -1, e = exact ? sb + static_cast<int>(j) : -1;
      if (ws) add(blk, PK::Space, " ", 1, b, e, false, st);
      else add(blk, PK::Text, s + i, j - i, b, e, exact, st);
      i = j;
    }
  }
  // Code block text: lines (whitespace kept) and breaks.
  void add_code(Block* blk, const char* s, size_t len) {
    blk->code.append(s, len);
    int sb, se;
    bool exact = src_of(s, len, sb, se);
    size_t i = 0;
    while (i < len) {
      if (s[i] == '\n') {
        add(blk, PK::Break, "", 0, -1, -1, false, 0);
        ++i;
        continue;
      }
      size_t j = i;
      while (j < len && s[j] != '\n') ++j;
      // Tabs would draw as the fallback glyph: expand to spaces (loses the 1:1 mapping).
      if (std::memchr(s + i, '\t', j - i)) {
        std::string t;
        for (size_t k = i; k < j; ++k) t.append(s[k] == '\t' ? "    " : std::string(1, s[k]));
        add(blk, PK::Text, t.data(), t.size(), exact ? sb + static_cast<int>(i) : -1,
            exact ? sb + static_cast<int>(j) : -1, false, S_CODE);
      } else {
        add(blk, PK::Text, s + i, j - i, exact ? sb + static_cast<int>(i) : -1, exact ? sb + static_cast<int>(j) : -1,
            exact, S_CODE);
      }
      i = j;
    }
  }

  static std::string Attr(const MD_ATTRIBUTE& a) {
    std::string out;
    if (!a.text || !a.size) return out;
    for (unsigned i = 0; a.substr_offsets[i] < a.size; ++i) {
      const char* s = a.text + a.substr_offsets[i];
      size_t len = a.substr_offsets[i + 1] - a.substr_offsets[i];
      if (a.substr_types[i] == MD_TEXT_ENTITY) out += DecodeHtmlEntity(s, len);
      else if (a.substr_types[i] == MD_TEXT_NULLCHAR) out += "\xEF\xBF\xBD";
      else out.append(s, len);
    }
    return out;
  }

  static int EnterBlock(MD_BLOCKTYPE t, void* d, void* u) {
    Parser& P = *static_cast<Parser*>(u);
    switch (t) {
      case MD_BLOCK_DOC: break;
      case MD_BLOCK_QUOTE: P.push(BK::Quote); break;
      case MD_BLOCK_UL: P.push(BK::UL)->tight = static_cast<MD_BLOCK_UL_DETAIL*>(d)->is_tight != 0; break;
      case MD_BLOCK_OL: {
        auto* od = static_cast<MD_BLOCK_OL_DETAIL*>(d);
        Block* b = P.push(BK::OL);
        b->tight = od->is_tight != 0;
        b->start = od->start;
        b->delim = od->mark_delimiter ? od->mark_delimiter : '.';
        break;
      }
      case MD_BLOCK_LI: {
        auto* ld = static_cast<MD_BLOCK_LI_DETAIL*>(d);
        Block* b = P.push(BK::LI);
        if (ld->is_task) b->task = (ld->task_mark == 'x' || ld->task_mark == 'X') ? 'x' : ' ';
        break;
      }
      case MD_BLOCK_HR: P.push(BK::HR); break;
      case MD_BLOCK_H: {
        unsigned lv = static_cast<MD_BLOCK_H_DETAIL*>(d)->level;
        P.push(BK::Heading)->level = static_cast<uint8_t>(std::min(6u, std::max(1u, lv)));
        break;
      }
      case MD_BLOCK_CODE: {
        auto* cd = static_cast<MD_BLOCK_CODE_DETAIL*>(d);
        Block* b = P.push(BK::Code);
        b->lang = Attr(cd->lang);
        break;
      }
      case MD_BLOCK_HTML: P.push(BK::Code); break;  // not produced with MD_FLAG_NOHTML; shown verbatim
      case MD_BLOCK_P: P.push(BK::Para); break;
      case MD_BLOCK_TABLE: P.push(BK::Table)->cols = static_cast<MD_BLOCK_TABLE_DETAIL*>(d)->col_count; break;
      case MD_BLOCK_THEAD: P.in_thead = true; P.implicit = nullptr; break;
      case MD_BLOCK_TBODY: P.in_thead = false; P.implicit = nullptr; break;
      case MD_BLOCK_TR: P.push(BK::TR)->header = P.in_thead; break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD: {
        Block* b = P.push(BK::Cell);
        b->header = t == MD_BLOCK_TH;
        b->align = static_cast<uint8_t>(static_cast<MD_BLOCK_TD_DETAIL*>(d)->align);
        break;
      }
    }
    return 0;
  }
  static int LeaveBlock(MD_BLOCKTYPE t, void*, void* u) {
    Parser& P = *static_cast<Parser*>(u);
    switch (t) {
      case MD_BLOCK_DOC: break;
      case MD_BLOCK_THEAD: P.in_thead = false; P.implicit = nullptr; break;
      case MD_BLOCK_TBODY: P.implicit = nullptr; break;
      default: P.pop(); break;
    }
    return 0;
  }
  static int EnterSpan(MD_SPANTYPE t, void* d, void* u) {
    Parser& P = *static_cast<Parser*>(u);
    switch (t) {
      case MD_SPAN_EM: P.italic++; break;
      case MD_SPAN_STRONG: P.bold++; break;
      case MD_SPAN_CODE: P.code++; break;
      case MD_SPAN_LATEXMATH:          // $x$ and $$x$$: shown as written, in the code face, so
      case MD_SPAN_LATEXMATH_DISPLAY:  // "a*b*c" is not read as emphasis; never typeset
        P.code++;
        break;
      case MD_SPAN_DEL: P.strike++; break;
      case MD_SPAN_A: {
        std::string href = Attr(static_cast<MD_SPAN_A_DETAIL*>(d)->href);
        int idx = -1;
        if (IsClickableUrl(href) && P.doc->links.size() < 30000) {
          idx = static_cast<int>(P.doc->links.size());
          P.doc->links.push_back(std::move(href));
        }
        P.links.push_back(idx);
        break;
      }
      case MD_SPAN_IMG: {
        P.img++;
        Block* b = P.target();
        P.add(b, PK::Text, "[image:", 7, -1, -1, false, P.style());
        P.add(b, PK::Space, " ", 1, -1, -1, false, P.style());
        break;
      }
      default: break;
    }
    return 0;
  }
  static int LeaveSpan(MD_SPANTYPE t, void*, void* u) {
    Parser& P = *static_cast<Parser*>(u);
    switch (t) {
      case MD_SPAN_EM: P.italic--; break;
      case MD_SPAN_STRONG: P.bold--; break;
      case MD_SPAN_CODE: P.code--; break;
      case MD_SPAN_LATEXMATH:
      case MD_SPAN_LATEXMATH_DISPLAY: P.code--; break;
      case MD_SPAN_DEL: P.strike--; break;
      case MD_SPAN_A:
        if (!P.links.empty()) P.links.pop_back();
        break;
      case MD_SPAN_IMG: {
        Block* b = P.target();
        P.add(b, PK::Text, "]", 1, -1, -1, false, P.style());
        P.img--;
        break;
      }
      default: break;
    }
    return 0;
  }
  static int Text(MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE len, void* u) {
    Parser& P = *static_cast<Parser*>(u);
    if (P.stack.back()->kind == BK::Code) {
      P.add_code(P.stack.back(), s, len);
      return 0;
    }
    Block* b = P.target();
    uint8_t st = P.style();
    switch (t) {
      case MD_TEXT_NULLCHAR: P.add(b, PK::Text, "\xEF\xBF\xBD", 3, -1, -1, false, st); break;
      case MD_TEXT_BR: P.add(b, PK::Break, "", 0, -1, -1, false, st); break;
      case MD_TEXT_SOFTBR: P.add(b, PK::Space, " ", 1, -1, -1, false, st); break;
      case MD_TEXT_ENTITY: {
        std::string dec = DecodeHtmlEntity(s, len);
        int sb, se;
        P.src_of(s, len, sb, se);
        P.add(b, PK::Text, dec.data(), dec.size(), sb, se, false, st);
        break;
      }
      case MD_TEXT_NORMAL: P.add_text(b, s, len, st); break;
      default: P.add_words(b, s, len, st); break;  // CODE (inline), HTML (as text), LATEXMATH
    }
    return 0;
  }
};

}  // namespace

namespace markdown_detail {

std::pair<size_t, size_t> MarkdownFenceBody(const std::string& text) {
  const size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string::npos || (text.compare(b, 3, "```") != 0 && text.compare(b, 3, "~~~") != 0)) return {0, text.size()};
  const std::string fence = text.substr(b, 3);
  const size_t nl = text.find('\n', b);
  if (nl == std::string::npos) return {0, text.size()};
  std::string info = text.substr(b + 3, nl - b - 3);
  for (char& c : info) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!info.empty() && (info.back() == ' ' || info.back() == '\r')) info.pop_back();
  if (info != "markdown" && info != "md") return {0, text.size()};
  size_t e = text.find_last_not_of(" \t\r\n");
  if (e < nl + 3 || text.compare(e - 2, 3, fence) != 0) return {0, text.size()};
  size_t close = e - 2;  // the closing fence must stand on a line of its own
  if (text[close - 1] != '\n') return {0, text.size()};
  return {nl + 1, close - (nl + 1)};
}

void Parse(Doc& doc, const std::string& text) {
  ++g_parse_count;
  doc = Doc();
  doc.root.kind = BK::Doc;
  doc.pool.reserve(text.size());
  Parser P;
  P.doc = &doc;
  P.base = text.data();
  P.n = text.size();
  P.stack.push_back(&doc.root);
  MD_PARSER mp;
  std::memset(&mp, 0, sizeof mp);
  mp.abi_version = 0;
  mp.flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML | MD_FLAG_LATEXMATHSPANS;
  mp.enter_block = &Parser::EnterBlock;
  mp.leave_block = &Parser::LeaveBlock;
  mp.enter_span = &Parser::EnterSpan;
  mp.leave_span = &Parser::LeaveSpan;
  mp.text = &Parser::Text;
  const std::pair<size_t, size_t> body = MarkdownFenceBody(text);
  if (md_parse(text.data() + body.first, static_cast<MD_SIZE>(body.second), &mp, &P) != 0) {
    // Parser failure (out of memory): fall back to the raw text as one paragraph.
    doc = Doc();
    doc.root.kind = BK::Doc;
    Parser R;
    R.doc = &doc;
    R.base = text.data();
    R.n = text.size();
    R.stack.push_back(&doc.root);
    Block* b = R.push(BK::Code);
    R.add_code(b, text.data(), text.size());
  }
}

}  // namespace markdown_detail

size_t MarkdownParseCount() { return g_parse_count; }

}  // namespace concord
