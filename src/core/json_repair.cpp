// Tolerant JSON extraction: a string-aware scan from each '{' that cleans what it copies, then
// closes or cuts truncated text until nlohmann's strict parser accepts an object.
#include "json_repair.h"

#include <algorithm>
#include <vector>

namespace concord {

// -----------------------------------------------------------------------------------------
// [SECTION] JSON candidate scanning and repair
// -----------------------------------------------------------------------------------------

namespace detail {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

constexpr size_t kMaxDepth = 256;      // deeper than any analysis; bounds the repair stack
constexpr size_t kMaxCuts = 6;         // truncation repairs tried per candidate

// Result of one string-aware scan from a '{'. The scan also cleans what it copies:
// trailing commas are dropped, raw control characters inside strings are escaped and invalid
// UTF-8 inside strings becomes U+FFFD, so nlohmann's strict parser accepts the text.
struct Scan {
  enum Status { Balanced, Unterminated, Invalid } status = Invalid;
  std::string out;          // cleaned copy of the candidate
  size_t raw_end = 0;       // one past the last raw byte consumed
  bool changed = false;     // cleaning altered something
  // State at the end (Unterminated only):
  std::string stack;        // open brackets, innermost last
  bool in_string = false;
  size_t esc_start = std::string::npos;  // out position of a pending / recent backslash in a string
  // Cut points in `out` where the text before them ends on a complete element (or just after an
  // opener), innermost-last order; only the last few are kept.
  std::vector<size_t> cuts;
};

// Length of a valid UTF-8 sequence at s[i] (RFC 3629 table, as nlohmann enforces), 0 when
// invalid, or -1 when the bytes present are a valid prefix cut off by the end of input.
int Utf8Len(const std::string& s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  int len;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c == 0xE0) { len = 3; lo = 0xA0; }
  else if (c >= 0xE1 && c <= 0xEC) len = 3;
  else if (c == 0xED) { len = 3; hi = 0x9F; }
  else if (c >= 0xEE && c <= 0xEF) len = 3;
  else if (c == 0xF0) { len = 4; lo = 0x90; }
  else if (c >= 0xF1 && c <= 0xF3) len = 4;
  else if (c == 0xF4) { len = 4; hi = 0x8F; }
  else return 0;
  for (int k = 1; k < len; ++k) {
    if (i + k >= s.size()) return -1;
    const unsigned char d = static_cast<unsigned char>(s[i + k]);
    const unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (d < l || d > h) return 0;
  }
  return len;
}

void PushCut(std::vector<size_t>& cuts, size_t pos) {
  cuts.push_back(pos);
  if (cuts.size() >= 4 * kMaxCuts) cuts.erase(cuts.begin(), cuts.end() - kMaxCuts);  // amortised O(1)
}

Scan ScanFrom(const std::string& raw, size_t start) {
  Scan sc;
  std::string& out = sc.out;
  out.reserve(std::min<size_t>(raw.size() - start, 1 << 16));
  bool in_str = false, esc = false;
  size_t i = start;
  while (i < raw.size()) {
    const char c = raw[i];
    if (in_str) {
      const unsigned char uc = static_cast<unsigned char>(c);
      if (esc) {
        esc = false;
        out += c;
        ++i;
        continue;
      }
      if (c == '\\') {
        esc = true;
        sc.esc_start = out.size();
        out += c;
        ++i;
        continue;
      }
      if (c == '"') {
        in_str = false;
        out += c;
        ++i;
        continue;
      }
      if (uc < 0x20) {  // raw newline / tab inside a string: models do this; JSON forbids it
        static const char kHex[] = "0123456789abcdef";
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else { out += "\\u00"; out += kHex[uc >> 4]; out += kHex[uc & 15]; }
        sc.changed = true;
        ++i;
        continue;
      }
      if (uc >= 0x80) {
        int n = Utf8Len(raw, i);
        if (n > 0) {
          out.append(raw, i, static_cast<size_t>(n));
          i += static_cast<size_t>(n);
        } else if (n < 0) {  // cut mid-character by truncation: drop the partial character
          sc.changed = true;
          i = raw.size();
        } else {
          out += "\xEF\xBF\xBD";
          sc.changed = true;
          ++i;
        }
        continue;
      }
      // Plain run: copy up to the next byte that needs a decision, in one append.
      size_t j = i + 1;
      while (j < raw.size()) {
        const unsigned char d = static_cast<unsigned char>(raw[j]);
        if (d == '\\' || d == '"' || d < 0x20 || d >= 0x80) break;
        ++j;
      }
      out.append(raw, i, j - i);
      i = j;
      continue;
    }
    // Outside strings.
    switch (c) {
      case '"':
        in_str = true;
        sc.esc_start = std::string::npos;
        out += c;
        break;
      case '{':
      case '[':
        if (sc.stack.size() >= kMaxDepth) {
          sc.status = Scan::Invalid;
          sc.raw_end = i;
          return sc;
        }
        sc.stack += c;
        out += c;
        PushCut(sc.cuts, out.size());
        break;
      case '}':
      case ']': {
        const char want = c == '}' ? '{' : '[';
        if (sc.stack.empty() || sc.stack.back() != want) {
          sc.status = Scan::Invalid;
          sc.raw_end = i;
          return sc;
        }
        sc.stack.pop_back();
        out += c;
        if (sc.stack.empty()) {
          sc.status = Scan::Balanced;
          sc.raw_end = i + 1;
          return sc;
        }
        break;
      }
      case ',': {
        // Trailing comma: drop it when the next significant character closes a container.
        size_t j = i + 1;
        while (j < raw.size() && IsSpace(raw[j])) ++j;
        if (j < raw.size() && (raw[j] == '}' || raw[j] == ']')) {
          sc.changed = true;
          break;
        }
        PushCut(sc.cuts, out.size());  // cut before the comma: what precedes is complete
        out += c;
        break;
      }
      default:
        out += c;
    }
    ++i;
  }
  sc.status = Scan::Unterminated;
  sc.raw_end = raw.size();
  sc.in_string = in_str;
  if (!in_str) sc.esc_start = std::string::npos;
  else if (!esc && sc.esc_start != std::string::npos) {
    // Only an unfinished \uXXXX matters; a complete escape earlier in the string is fine.
    const size_t tail = out.size() - sc.esc_start;
    if (!(tail < 6 && sc.esc_start + 1 < out.size() && out[sc.esc_start + 1] == 'u')) sc.esc_start = std::string::npos;
  }
  if (in_str && esc) sc.esc_start = out.size() - 1;  // a lone trailing backslash
  return sc;
}

// Stacks of open brackets at each cut position (ascending positions), from one pass over the
// already-cleaned text.
std::vector<std::string> StacksAt(const std::string& out, const std::vector<size_t>& cuts) {
  std::vector<std::string> stacks(cuts.size());
  std::string st;
  bool in_str = false, esc = false;
  size_t k = 0;
  for (size_t i = 0; i <= out.size() && k < cuts.size(); ++i) {
    while (k < cuts.size() && cuts[k] == i) stacks[k++] = st;
    if (i == out.size()) break;
    const char c = out[i];
    if (in_str) {
      if (esc) esc = false;
      else if (c == '\\') esc = true;
      else if (c == '"') in_str = false;
      continue;
    }
    if (c == '"') in_str = true;
    else if (c == '{' || c == '[') st += c;
    else if ((c == '}' || c == ']') && !st.empty()) st.pop_back();
  }
  return stacks;
}

void StripTrailingComma(std::string& s) {
  while (!s.empty() && IsSpace(s.back())) s.pop_back();
  if (!s.empty() && s.back() == ',') s.pop_back();
}

void AppendClosers(std::string& s, const std::string& stack) {
  for (size_t i = stack.size(); i-- > 0;) s += stack[i] == '{' ? '}' : ']';
}

}  // namespace

// Tries to turn the text starting at raw[start] == '{' into a JSON object. `budget` bounds
// the total bytes scanned + parsed across all candidates, keeping the whole extraction linear.
Candidate TryCandidate(const std::string& raw, size_t start, size_t& budget) {
  Candidate cand;
  Scan sc = ScanFrom(raw, start);
  cand.raw_end = sc.raw_end;
  cand.changed = sc.changed;
  budget -= std::min(budget, sc.raw_end - start);
  if (sc.status == Scan::Invalid) return cand;
  if (sc.status == Scan::Balanced) {
    cand.balanced = true;
    budget -= std::min(budget, sc.out.size());
    json j = ParseJson(sc.out);
    if (!j.is_discarded() && j.is_object()) {
      cand.ok = true;
      cand.value = std::move(j);
    }
    return cand;
  }
  // Unterminated: close what is open. First keep everything (closing an open string keeps a
  // partial stance or final answer), then fall back to cutting at the last complete elements.
  cand.unterminated = true;
  {
    std::string t = sc.out;
    if (sc.in_string) {
      if (sc.esc_start != std::string::npos) t.resize(sc.esc_start);  // drop "\" or "\u00"
      t += '"';
    } else {
      StripTrailingComma(t);
    }
    AppendClosers(t, sc.stack);
    if (budget >= t.size()) {
      budget -= t.size();
      json j = ParseJson(t);
      if (!j.is_discarded() && j.is_object()) {
        cand.ok = cand.truncation_repaired = true;
        cand.value = std::move(j);
        return cand;
      }
    }
  }
  std::vector<size_t> cuts(sc.cuts.end() - static_cast<std::ptrdiff_t>(std::min(sc.cuts.size(), kMaxCuts)),
                           sc.cuts.end());
  if (cuts.empty() || budget < sc.out.size()) return cand;
  budget -= sc.out.size();
  std::vector<std::string> stacks = StacksAt(sc.out, cuts);
  for (size_t k = cuts.size(); k-- > 0;) {
    std::string t = sc.out.substr(0, cuts[k]);
    StripTrailingComma(t);
    AppendClosers(t, stacks[k]);
    if (budget < t.size()) break;
    budget -= t.size();
    json j = ParseJson(t);
    if (!j.is_discarded() && j.is_object()) {
      cand.ok = cand.truncation_repaired = cand.dropped_tail = true;
      cand.value = std::move(j);
      return cand;
    }
  }
  return cand;
}

}  // namespace detail

using detail::Candidate;
using detail::kMaxCandidates;
using detail::TryCandidate;

json ExtractJsonObject(const std::string& raw, const std::function<bool(const json&)>& accept, bool* repaired) {
  size_t budget = 48 * raw.size() + (size_t(1) << 20);
  int tried = 0;
  size_t first = raw.find_first_not_of(" \t\r\n");
  size_t pos = raw.find('{');
  while (pos != std::string::npos && tried < kMaxCandidates && budget > 0) {
    ++tried;
    Candidate c = TryCandidate(raw, pos, budget);
    if (c.ok && accept(c.value)) {
      if (repaired) *repaired = pos != first || c.changed || c.truncation_repaired;
      return std::move(c.value);
    }
    pos = raw.find('{', c.balanced && !c.ok ? c.raw_end : pos + 1);  // a rejected object may hold the one wanted
  }
  return json::value_t::discarded;
}

}  // namespace concord
