// Map data for the consensus / contradiction views: stance matrix, agreement, TF-IDF text
// similarity, deterministic graph layout, quote finding and CSV export. Pure and unit-tested;
// the UI only converts the results to pixels.
//
// Index of this file:
// [SECTION] Tokens (shared by similarity, Jaccard and FindQuote)
// [SECTION] Stance matrix
// [SECTION] Agreement
// [SECTION] Text similarity
// [SECTION] Graph layout
// [SECTION] FindQuote
// [SECTION] CSV
#include "maps.h"
#include "small_sort.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "judge.h"

namespace concord {

namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Tokens
// -----------------------------------------------------------------------------------------

constexpr uint64_t kFnvOffset = 1469598103934665603ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

struct Token {
  uint64_t hash;     // FNV-1a of the lower-cased token bytes
  size_t begin, end; // byte range in the source text
};

// Decodes the code point of a UTF-8 sequence at s[i] leniently (no validation beyond lengths);
// `len` receives the bytes consumed (1 for a stray byte).
uint32_t DecodeUtf8(const std::string& s, size_t i, size_t& len) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (i + n > s.size()) n = 1;
  uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < n; ++k) {
    const unsigned char d = static_cast<unsigned char>(s[i + k]);
    if ((d & 0xC0) != 0x80) { n = 1; cp = c; break; }
    cp = (cp << 6) | (d & 0x3F);
  }
  len = n;
  return cp;
}

// Multibyte characters are word characters (so Cyrillic, Greek, accented Latin... form words),
// except punctuation-like blocks, which would otherwise glue words together ("a—b").
bool IsSeparatorCp(uint32_t cp) {
  return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
         (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
         (cp >= 0xFF1A && cp <= 0xFF20) || cp == 0xFEFF;
}

// CJK scripts are written without spaces: each character is its own token, and bigrams then
// capture character pairs, the usual approach for such text.
bool IsCjkCp(uint32_t cp) {
  return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
         (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

// Simple case folding for the common bicameral scripts (Latin-1, Greek, Cyrillic), so
// "Привет" and "привет" are the same word. Full Unicode folding is not worth its tables here.
uint32_t FoldCp(uint32_t cp) {
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
      (cp >= 0x410 && cp <= 0x42F))
    return cp + 0x20;
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  return cp;
}

// Feeds a (folded) multibyte character into a token hash. Hashing the code point rather than
// its bytes keeps folded and unfolded spellings equal; stray bytes hash as themselves.
uint64_t HashCp(uint64_t h, uint32_t cp) {
  h = (h ^ (cp & 0xFF)) * kFnvPrime;
  h = (h ^ ((cp >> 8) & 0xFF)) * kFnvPrime;
  return (h ^ ((cp >> 16) | 0x80)) * kFnvPrime;  // | 0x80: never collides with an ASCII byte step
}

template <class F>
void ForEachToken(const std::string& s, F&& f) {
  size_t i = 0;
  bool in_word = false;
  Token cur{kFnvOffset, 0, 0};
  auto finish = [&](size_t end) {
    if (in_word) {
      cur.end = end;
      f(cur);
      in_word = false;
    }
  };
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!word) {
        finish(i);
        ++i;
        continue;
      }
      if (!in_word) { in_word = true; cur = Token{kFnvOffset, i, i}; }
      const unsigned char l = (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c;
      cur.hash = (cur.hash ^ l) * kFnvPrime;
      ++i;
      continue;
    }
    size_t len = 1;
    const uint32_t cp = DecodeUtf8(s, i, len);
    if (IsSeparatorCp(cp)) {
      finish(i);
      i += len;
      continue;
    }
    if (IsCjkCp(cp)) {
      finish(i);
      Token t{HashCp(kFnvOffset, cp), i, i + len};
      f(t);
      i += len;
      continue;
    }
    if (!in_word) { in_word = true; cur = Token{kFnvOffset, i, i}; }
    cur.hash = HashCp(cur.hash, FoldCp(cp));
    i += len;
  }
  finish(s.size());
}

std::vector<Token> Tokens(const std::string& s) {
  std::vector<Token> v;
  ForEachToken(s, [&v](const Token& t) { v.push_back(t); });
  return v;
}

uint64_t Mix(uint64_t x) {  // splitmix64 finaliser: spreads bigram hashes
  x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27; x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

double Jaccard(const std::string& a, const std::string& b) {
  std::unordered_set<uint64_t> sa, sb;
  ForEachToken(a, [&sa](const Token& t) { sa.insert(t.hash); });
  ForEachToken(b, [&sb](const Token& t) { sb.insert(t.hash); });
  if (sa.empty() && sb.empty()) return 1;
  size_t inter = 0;
  for (uint64_t h : sa) inter += sb.count(h);
  const size_t uni = sa.size() + sb.size() - inter;
  return uni ? static_cast<double>(inter) / static_cast<double>(uni) : 0;
}

// The numbers a text states ("10", "1.05", "51.8"), in order of appearance. Two stances
// that name different numbers take different sides however many other words they share:
// "the ball costs 10 cents" and "the ball costs 5 cents" are the contradiction itself.
std::vector<std::string> Numbers(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] < '0' || s[i] > '9') { ++i; continue; }
    std::string n;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') ||
                            ((s[i] == '.' || s[i] == ',') && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9'))) {
      if (s[i] != ',') n += s[i];
      ++i;
    }
    out.push_back(n);
  }
  SmallSort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string LowerAscii(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string TrimWs(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\n' || s[b] == '\r')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\n' || s[e - 1] == '\r')) --e;
  return s.substr(b, e - b);
}

// The hashes of a few words, as ForEachToken makes them.
std::unordered_set<uint64_t> HashSet(std::initializer_list<const char*> words) {
  std::unordered_set<uint64_t> w;
  for (const char* s : words) ForEachToken(s, [&w](const Token& t) { w.insert(t.hash); });
  return w;
}

// Whether the text has one of those words.
bool HasWord(const std::string& text, const std::unordered_set<uint64_t>& words) {
  bool hit = false;
  ForEachToken(text, [&](const Token& t) { hit = hit || words.count(t.hash) != 0; });
  return hit;
}

// Hedging words that make a contradiction stance "partial" rather than one side.
bool IsHedged(const std::string& stance) {
  static const std::unordered_set<uint64_t> words =
      HashSet({"partially", "partly", "partial", "somewhat", "depends", "depending", "mixed", "conditionally", "nuanced"});
  return HasWord(stance, words);
}

// Says no: "not", "never", "no", "cannot", "isn't" (its "t"), "without", "none"…
bool Negated(const std::string& s) {
  static const std::unordered_set<uint64_t> words =
      HashSet({"not", "no", "never", "none", "nothing", "neither", "nor", "cannot", "t", "without"});
  return HasWord(s, words);
}

// Two stances are one side when they say the same thing in other words: equal ignoring case,
// or sharing at least half their words, with the same numbers, the same negation ("visible"
// and "not visible" are the contradiction), and, in a short stance, no word swapped for another
// ("Rust developers are scarce" and "C++ developers are scarce").
bool SameSide(const std::string& a, const std::string& b) {
  if (LowerAscii(TrimWs(a)) == LowerAscii(TrimWs(b))) return true;
  if (Jaccard(a, b) < 0.5 || Numbers(a) != Numbers(b) || Negated(a) != Negated(b)) return false;
  static const std::unordered_set<uint64_t> filler =
      HashSet({"the", "a", "an", "is", "are", "was", "were", "be", "it", "its", "this", "that", "of", "to", "in", "on",
               "at", "for", "with", "and", "or", "by", "from", "as", "about", "around", "roughly", "approximately"});
  // Words only: numbers were compared above, however they are written ("1,000" and "1000").
  const auto words = [](const std::string& text, std::unordered_set<uint64_t>& out) {
    ForEachToken(text, [&](const Token& t) {
      const bool number = text.find_first_not_of("0123456789", t.begin) >= t.end;
      if (!number && !filler.count(t.hash)) out.insert(t.hash);
    });
  };
  std::unordered_set<uint64_t> sa, sb;
  words(a, sa);
  words(b, sb);
  const auto only = [](const std::unordered_set<uint64_t>& x, const std::unordered_set<uint64_t>& y) {
    return std::any_of(x.begin(), x.end(), [&y](uint64_t h) { return !y.count(h); });
  };
  return !(only(sa, sb) && only(sb, sa) && std::max(sa.size(), sb.size()) <= 6);
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] Stance matrix
// -----------------------------------------------------------------------------------------

StanceMatrix BuildStanceMatrix(const Analysis& a, const std::vector<std::string>& labels) {
  StanceMatrix m;
  m.columns = labels;
  const size_t n = labels.size();
  std::unordered_map<std::string, size_t> col;
  for (size_t i = 0; i < n; ++i) {
    col.emplace(labels[i], i);
    col.emplace(NormaliseLabel(labels[i]), i);
  }
  auto find = [&col](const std::string& ref) -> int {
    auto it = col.find(ref);
    if (it == col.end()) it = col.find(NormaliseLabel(ref));
    return it == col.end() ? -1 : static_cast<int>(it->second);
  };
  auto row = [n](RowSection s, const std::string& text, size_t idx) {
    StanceRow r;
    r.section = s;
    r.text = text;
    r.cells.assign(n, StanceKind::Silent);
    r.notes.assign(n, std::string());
    r.source_index = static_cast<int>(idx);
    return r;
  };

  for (size_t i = 0; i < a.consensus.size(); ++i) {
    StanceRow r = row(RowSection::Consensus, a.consensus[i].claim, i);
    for (const auto& ref : a.consensus[i].models) {
      const int c = find(ref);
      if (c >= 0) r.cells[static_cast<size_t>(c)] = StanceKind::Agree;
    }
    m.rows.push_back(std::move(r));
  }

  // Contradictions. Deliberately simple and explainable: stances are grouped into sides; a
  // stance joins the first side whose first stance it matches (word sets overlap with
  // Jaccard >= 0.5 and the same numbers are stated, or the texts are equal ignoring case),
  // else it starts a side. The biggest side is Agree and every other side Disagree (a tie
  // favours the side that came first), so a three-way split shows three ways, not two.
  // Hedged stances ("partially", "depends", ...) are Partial and do not count.
  // Limitation: two differently worded stances on the same side count as different sides.
  for (size_t i = 0; i < a.contradictions.size(); ++i) {
    const Contradiction& k = a.contradictions[i];
    StanceRow r = row(RowSection::Contradiction, k.topic, i);
    struct Item { size_t col; int side; };  // side: index into `sides`, or -1 for hedged
    std::vector<Item> items;
    std::vector<const std::string*> sides;  // each side's first stance
    std::vector<size_t> size;
    std::vector<bool> used(n, false);
    for (const Stance& s : k.stances) {
      const int c = find(s.model);
      if (c < 0 || used[static_cast<size_t>(c)] || TrimWs(s.stance).empty()) continue;  // unknown, repeated or silent
      used[static_cast<size_t>(c)] = true;
      const size_t cc = static_cast<size_t>(c);
      r.notes[cc] = s.stance;
      if (IsHedged(s.stance)) { items.push_back({cc, -1}); continue; }
      int side = -1;
      for (size_t j = 0; j < sides.size() && side < 0; ++j) {
        const std::string& rep = *sides[j];
        if (SameSide(rep, s.stance)) side = static_cast<int>(j);
      }
      if (side < 0) { side = static_cast<int>(sides.size()); sides.push_back(&s.stance); size.push_back(0); }
      ++size[static_cast<size_t>(side)];
      items.push_back({cc, side});
    }
    int biggest = 0;
    for (size_t j = 1; j < size.size(); ++j)
      if (size[j] > size[static_cast<size_t>(biggest)]) biggest = static_cast<int>(j);
    r.sides.assign(n, -1);
    for (const Item& it : items) {
      r.sides[it.col] = it.side;
      if (it.side < 0) r.cells[it.col] = StanceKind::Partial;
      else if (it.side == biggest) r.cells[it.col] = StanceKind::Agree;
      else r.cells[it.col] = StanceKind::Disagree;
    }
    m.rows.push_back(std::move(r));
  }

  // Minority positions: the lone response that holds it, kept in its own section so a
  // position the judge thinks may be right is never lost among the unique insights.
  for (size_t i = 0; i < a.minority.size(); ++i) {
    StanceRow r = row(RowSection::Minority, a.minority[i].position, i);
    const int c = find(a.minority[i].model);
    if (c >= 0) {
      r.cells[static_cast<size_t>(c)] = StanceKind::Agree;
      r.notes[static_cast<size_t>(c)] = a.minority[i].position;
    }
    m.rows.push_back(std::move(r));
  }

  for (size_t i = 0; i < a.partial_coverage.size(); ++i) {
    StanceRow r = row(RowSection::Partial, a.partial_coverage[i].point, i);
    for (const auto& ref : a.partial_coverage[i].models) {
      const int c = find(ref);
      if (c >= 0) r.cells[static_cast<size_t>(c)] = StanceKind::Partial;
    }
    m.rows.push_back(std::move(r));
  }

  for (size_t i = 0; i < a.unique_insights.size(); ++i) {
    StanceRow r = row(RowSection::Unique, a.unique_insights[i].insight, i);
    const int c = find(a.unique_insights[i].model);
    if (c >= 0) r.cells[static_cast<size_t>(c)] = StanceKind::Agree;
    m.rows.push_back(std::move(r));
  }

  for (size_t i = 0; i < a.blind_spots.size(); ++i) m.rows.push_back(row(RowSection::BlindSpot, a.blind_spots[i], i));
  return m;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Agreement
// -----------------------------------------------------------------------------------------

std::vector<double> AgreementFromStances(const StanceMatrix& m) {
  const size_t n = m.columns.size();
  std::vector<double> sum(n * n, 0.0);
  std::vector<int> cnt(n * n, 0);
  for (const StanceRow& r : m.rows) {
    // Rows built elsewhere may be short; a missing cell is Silent.
    const size_t w = std::min(n, r.cells.size());
    for (size_t i = 0; i < w; ++i) {
      const StanceKind a = r.cells[i];
      if (a == StanceKind::Silent) continue;
      for (size_t j = i + 1; j < w; ++j) {
        const StanceKind b = r.cells[j];
        if (b == StanceKind::Silent) continue;
        // Two minority stances agree only when they are the same side (50 vs 280 do not).
        const bool same = a == b && (a != StanceKind::Disagree || i >= r.sides.size() || j >= r.sides.size() ||
                                     r.sides[i] == r.sides[j]);
        const double s = same ? 1.0 : (a == StanceKind::Partial || b == StanceKind::Partial) ? 0.5 : 0.0;
        sum[i * n + j] += s;
        ++cnt[i * n + j];
      }
    }
  }
  std::vector<double> out(n * n, -1.0);
  for (size_t i = 0; i < n; ++i) {
    out[i * n + i] = 1.0;
    for (size_t j = i + 1; j < n; ++j) {
      const int c = cnt[i * n + j];
      const double v = c ? sum[i * n + j] / c : -1.0;
      out[i * n + j] = out[j * n + i] = v;
    }
  }
  return out;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Text similarity
// -----------------------------------------------------------------------------------------

namespace {

// Open-addressing (linear probing) map from an n-gram hash to a dense term id. A node-based
// std::unordered_map spends most of its time in malloc here; this keeps 8 x 30 KB well under
// the 20 ms budget natively (and in wasm, where allocation is dearer still).
class TermIds {
 public:
  explicit TermIds(size_t expected) {
    size_t cap = 64;
    while (cap < expected * 2) cap <<= 1;
    keys_.assign(cap, 0);
    ids_.assign(cap, 0);
  }
  // Returns the term id of `h`, adding it when new.
  uint32_t get(uint64_t h) {
    if (h == 0) h = 1;  // 0 marks an empty slot
    if ((count_ + 1) * 2 > keys_.size()) grow();
    size_t mask = keys_.size() - 1, i = static_cast<size_t>(Mix(h)) & mask;
    while (keys_[i] != 0) {
      if (keys_[i] == h) return ids_[i];
      i = (i + 1) & mask;
    }
    keys_[i] = h;
    ids_[i] = static_cast<uint32_t>(count_);
    return static_cast<uint32_t>(count_++);
  }
  size_t size() const { return count_; }

 private:
  void grow() {
    std::vector<uint64_t> k(keys_.size() * 2, 0);
    std::vector<uint32_t> v(k.size(), 0);
    const size_t mask = k.size() - 1;
    for (size_t j = 0; j < keys_.size(); ++j) {
      if (!keys_[j]) continue;
      size_t i = static_cast<size_t>(Mix(keys_[j])) & mask;
      while (k[i]) i = (i + 1) & mask;
      k[i] = keys_[j];
      v[i] = ids_[j];
    }
    keys_.swap(k);
    ids_.swap(v);
  }
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> ids_;
  size_t count_ = 0;
};

}  // namespace

std::vector<double> TextSimilarity(const std::vector<std::string>& texts) {
  const size_t n = texts.size();
  size_t bytes = 0;
  for (const auto& t : texts) bytes += t.size();
  // N-grams (unigrams + bigrams) are hashed to uint64 and mapped to dense term ids; per-term
  // document frequency and per-document counts then live in flat arrays.
  TermIds ids(bytes / 3 + 16);
  std::vector<uint32_t> df, cnt, last_doc;
  std::vector<std::vector<std::pair<uint32_t, double>>> vec(n);  // (term id, count, then weight)
  for (size_t d = 0; d < n; ++d) {
    std::vector<uint32_t> touched;
    auto add = [&](uint64_t h) {
      const uint32_t id = ids.get(h);
      if (id >= df.size()) {
        df.push_back(0);
        cnt.push_back(0);
        last_doc.push_back(UINT32_MAX);
      }
      if (last_doc[id] != d) {
        last_doc[id] = static_cast<uint32_t>(d);
        ++df[id];
        cnt[id] = 0;
        touched.push_back(id);
      }
      ++cnt[id];
    };
    uint64_t prev = 0;
    bool has_prev = false;
    ForEachToken(texts[d], [&](const Token& t) {
      add(t.hash);
      if (has_prev) add(Mix(prev * 0x9E3779B97F4A7C15ull + t.hash) ^ 0x5bd1e995ull);  // bigram
      prev = t.hash;
      has_prev = true;
    });
    vec[d].reserve(touched.size());
    for (uint32_t id : touched) vec[d].emplace_back(id, static_cast<double>(cnt[id]));
  }
  std::vector<double> norm(n, 0.0);
  const double nd = static_cast<double>(n);
  for (size_t d = 0; d < n; ++d) {
    double s = 0;
    for (auto& p : vec[d]) {
      const double idf = std::log((1.0 + nd) / (1.0 + df[p.first])) + 1.0;  // smooth IDF
      p.second = (1.0 + std::log(p.second)) * idf;                          // log-scaled TF
      s += p.second * p.second;
    }
    norm[d] = std::sqrt(s);
  }
  // Dot products: scatter document i into a dense array, then walk each later document once.
  std::vector<double> dense(ids.size(), 0.0);
  std::vector<double> out(n * n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    out[i * n + i] = 1.0;
    if (norm[i] <= 0) continue;
    for (const auto& p : vec[i]) dense[p.first] = p.second;
    for (size_t j = i + 1; j < n; ++j) {
      if (norm[j] <= 0) continue;
      double dot = 0;
      for (const auto& p : vec[j]) dot += dense[p.first] * p.second;
      const double sim = std::max(0.0, std::min(1.0, dot / (norm[i] * norm[j])));
      out[i * n + j] = out[j * n + i] = sim;
    }
    for (const auto& p : vec[i]) dense[p.first] = 0.0;
  }
  return out;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Graph layout
// -----------------------------------------------------------------------------------------

GraphLayout LayoutGraph(const StanceMatrix& m, const std::vector<double>& agreement,
                        const std::vector<double>& weights) {
  GraphLayout g;
  const size_t n = m.columns.size();
  const double kPi = 3.14159265358979323846;
  struct P { double x, y; };
  std::vector<P> pos;
  std::vector<double> mobility;  // models move less than topics so the ring stays readable

  // Model weights normalised to [0.5, 1.5]; non-finite values count as the minimum.
  std::vector<double> w(n, 1.0);
  if (weights.size() == n && n > 0) {
    double lo = INFINITY, hi = -INFINITY;
    for (double v : weights)
      if (std::isfinite(v)) { lo = std::min(lo, v); hi = std::max(hi, v); }
    if (std::isfinite(lo) && hi > lo)
      for (size_t i = 0; i < n; ++i) w[i] = 0.5 + ((std::isfinite(weights[i]) ? weights[i] : lo) - lo) / (hi - lo);
  }
  for (size_t i = 0; i < n; ++i) {
    const double ang = -kPi / 2 + 2 * kPi * static_cast<double>(i) / static_cast<double>(n);  // first at the top
    GraphNode node;
    node.label = m.columns[i];
    node.weight = static_cast<float>(w[i]);
    g.nodes.push_back(node);
    pos.push_back({0.5 + 0.38 * std::cos(ang), 0.5 + 0.38 * std::sin(ang)});
    mobility.push_back(0.25);
  }

  // Topic nodes start near the centroid of their models, pulled toward the centre, with a
  // golden-angle offset so topics shared by the same models do not start on top of each other.
  for (const StanceRow& r : m.rows) {
    if (r.section != RowSection::Contradiction) continue;
    const size_t t = g.nodes.size();
    GraphNode node;
    node.label = r.text;
    node.is_topic = true;
    g.nodes.push_back(node);
    double cx = 0, cy = 0;
    int linked = 0;
    const size_t wcells = std::min(n, r.cells.size());
    for (size_t c = 0; c < wcells; ++c) {
      if (r.cells[c] == StanceKind::Silent) continue;
      cx += pos[c].x;
      cy += pos[c].y;
      ++linked;
      GraphEdge e;
      e.a = static_cast<int>(t);
      e.b = static_cast<int>(c);
      e.kind = r.cells[c];
      e.text = c < r.notes.size() ? r.notes[c] : std::string();
      g.edges.push_back(e);
    }
    const double k = static_cast<double>(t - n);
    const double ang = k * 2.399963229728653, rad = 0.02 + 0.012 * std::sqrt(k);
    if (linked) { cx = 0.5 + 0.6 * (cx / linked - 0.5); cy = 0.5 + 0.6 * (cy / linked - 0.5); }
    else { cx = 0.5; cy = 0.5; }
    pos.push_back({cx + rad * std::cos(ang), cy + rad * std::sin(ang)});
    mobility.push_back(1.0);
  }
  const size_t topic_edges = g.edges.size();

  if (agreement.size() == n * n) {
    for (size_t i = 0; i < n; ++i)
      for (size_t j = i + 1; j < n; ++j) {
        const double v = agreement[i * n + j];
        if (!(v >= 0)) continue;  // -1 (unknown) or NaN
        GraphEdge e;
        e.a = static_cast<int>(i);
        e.b = static_cast<int>(j);
        e.kind = v >= 0.5 ? StanceKind::Agree : StanceKind::Disagree;
        e.text = "agreement " + std::to_string(static_cast<int>(std::lround(v * 100))) + "%";
        g.edges.push_back(e);
      }
  }

  // Fixed-count force relaxation: no randomness, fixed iteration order, so the same input gives
  // the same picture every time. Repulsion ~ k^2/d between all pairs, springs along edges; the
  // step shrinks linearly (simulated cooling). O(iter * N^2): 70 nodes -> ~1M pair updates.
  const size_t N = g.nodes.size();
  const int kIters = 150;
  const double k = N ? 0.6 / std::sqrt(static_cast<double>(N)) : 0.1;
  std::vector<P> disp(N);
  auto clamp = [](double v) { return std::max(0.05, std::min(0.95, v)); };
  for (P& p : pos) { p.x = clamp(p.x); p.y = clamp(p.y); }
  for (int it = 0; it < kIters; ++it) {
    const double step = 0.03 * (1.0 - static_cast<double>(it) / kIters);
    for (P& d : disp) d = {0, 0};
    for (size_t i = 0; i < N; ++i)
      for (size_t j = i + 1; j < N; ++j) {
        double dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
        double d2 = dx * dx + dy * dy;
        if (d2 < 1e-12) {  // coincident: separate along a direction fixed by the indices
          const double ang = static_cast<double>(i * 31 + j * 17);
          dx = 1e-3 * std::cos(ang);
          dy = 1e-3 * std::sin(ang);
          d2 = dx * dx + dy * dy;
        }
        const double f = k * k / std::max(d2, 1e-4);  // (k^2/d) along the unit vector = k^2/d^2 * (dx,dy)
        disp[i].x += dx * f; disp[i].y += dy * f;
        disp[j].x -= dx * f; disp[j].y -= dy * f;
      }
    for (size_t e = 0; e < g.edges.size(); ++e) {
      const GraphEdge& ed = g.edges[e];
      const size_t a = static_cast<size_t>(ed.a), b = static_cast<size_t>(ed.b);
      const double dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y;
      const double d = std::sqrt(dx * dx + dy * dy) + 1e-9;
      double rest, stiff;
      if (e < topic_edges) { rest = 0.18; stiff = 1.0; }
      else {  // agreeing models drift together, disagreeing ones apart (weakly)
        const double v = agreement[a * n + b];
        rest = 0.25 + 0.4 * (1.0 - v);
        stiff = 0.3;
      }
      const double f = stiff * (d - rest) / d;
      disp[a].x -= dx * f; disp[a].y -= dy * f;
      disp[b].x += dx * f; disp[b].y += dy * f;
    }
    for (size_t i = 0; i < N; ++i) {
      const double len = std::sqrt(disp[i].x * disp[i].x + disp[i].y * disp[i].y);
      if (len > 0) {
        const double s = std::min(len, step) * mobility[i] / len;
        pos[i].x = clamp(pos[i].x + disp[i].x * s);
        pos[i].y = clamp(pos[i].y + disp[i].y * s);
      }
    }
  }
  for (size_t i = 0; i < N; ++i) {
    g.nodes[i].x = static_cast<float>(pos[i].x);
    g.nodes[i].y = static_cast<float>(pos[i].y);
  }
  return g;
}

// -----------------------------------------------------------------------------------------
// [SECTION] FindQuote
// -----------------------------------------------------------------------------------------

std::pair<int, int> FindQuote(const std::string& text, const std::string& quote_in) {
  // Judges often wrap quotes in quotation marks or ellipses; those are not part of the answer.
  std::string q = TrimWs(quote_in);
  auto strip = [&q](const char* p) {
    const size_t l = std::char_traits<char>::length(p);
    while (q.size() >= l && q.compare(0, l, p) == 0) q.erase(0, l);
    while (q.size() >= l && q.compare(q.size() - l, l, p) == 0) q.erase(q.size() - l);
  };
  for (int pass = 0; pass < 2; ++pass)
    for (const char* p : {"\"", "'", "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99", "...",
                          "\xE2\x80\xA6", " "})
      strip(p);
  if (q.empty() || text.empty()) return {-1, -1};
  if (text.size() > static_cast<size_t>(INT32_MAX)) return {-1, -1};

  // 1. Exact, ASCII case-insensitive.
  auto lo = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  auto hit = std::search(text.begin(), text.end(), q.begin(), q.end(), [&](char a, char b) { return lo(a) == lo(b); });
  if (hit != text.end()) {
    const int b = static_cast<int>(hit - text.begin());
    return {b, b + static_cast<int>(q.size())};
  }

  // 2. Longest run of consecutive quote words that also occur consecutively in the text
  // (longest common substring over word hashes; O(text words x quote words), quote capped).
  std::vector<Token> qt = Tokens(q);
  if (qt.size() > 256) qt.resize(256);
  if (qt.empty()) return {-1, -1};
  const std::vector<Token> tt = Tokens(text);
  const size_t need = std::min<size_t>(3, qt.size());
  std::vector<uint32_t> prev(qt.size() + 1, 0), cur(qt.size() + 1, 0);
  size_t best = 0, best_end = 0;  // best length, index in tt of the run's last word
  for (size_t i = 0; i < tt.size(); ++i) {
    for (size_t j = 0; j < qt.size(); ++j) {
      cur[j + 1] = tt[i].hash == qt[j].hash ? prev[j] + 1 : 0;
      if (cur[j + 1] > best) { best = cur[j + 1]; best_end = i; }  // strict: first occurrence wins
    }
    std::swap(prev, cur);
  }
  if (best < need || best == 0) return {-1, -1};
  const size_t first = best_end + 1 - best;
  return {static_cast<int>(tt[first].begin), static_cast<int>(tt[best_end].end)};
}

// -----------------------------------------------------------------------------------------
// [SECTION] CSV
// -----------------------------------------------------------------------------------------

namespace {

// RFC 4180 field, with CSV-injection guarding: a leading = + - @ (or tab / CR, which some
// spreadsheets also treat as formula starts) is prefixed with ' so it is shown, not evaluated.
std::string CsvField(const std::string& s) {
  std::string f = s;
  if (!f.empty() && (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@' || f[0] == '\t' || f[0] == '\r'))
    f.insert(f.begin(), '\'');
  if (f.find_first_of(",\"\r\n") == std::string::npos) return f;
  std::string out = "\"";
  for (char c : f) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

const char* SectionName(RowSection s) {
  switch (s) {
    case RowSection::Consensus: return "consensus";
    case RowSection::Contradiction: return "contradiction";
    case RowSection::Minority: return "minority";
    case RowSection::Partial: return "partial";
    case RowSection::Unique: return "unique";
    case RowSection::BlindSpot: return "blind_spot";
  }
  return "";
}

const char* KindName(StanceKind k) {
  switch (k) {
    case StanceKind::Agree: return "agree";
    case StanceKind::Disagree: return "disagree";
    case StanceKind::Partial: return "partial";
    case StanceKind::Silent: return "silent";
  }
  return "silent";
}

}  // namespace

// Lines end with CRLF as RFC 4180 specifies (spreadsheets accept it everywhere).
std::string StanceMatrixCsv(const StanceMatrix& m, const std::vector<std::string>& column_names) {
  std::string out = "section,row";
  const size_t n = m.columns.size();
  for (size_t i = 0; i < n; ++i) {
    out += ',';
    out += CsvField(i < column_names.size() && !column_names[i].empty() ? column_names[i] : m.columns[i]);
  }
  out += "\r\n";
  for (const StanceRow& r : m.rows) {
    out += SectionName(r.section);
    out += ',';
    out += CsvField(r.text);
    for (size_t i = 0; i < n; ++i) {
      out += ',';
      out += KindName(i < r.cells.size() ? r.cells[i] : StanceKind::Silent);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace concord
