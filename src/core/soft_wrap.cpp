// Soft wrapping of an editable text and its undo history (see soft_wrap.h).
#include "soft_wrap.h"

#include <algorithm>

namespace concord {

SoftWrapped SoftWrap(const std::string& text, float width, const MeasureText& measure) {
  SoftWrapped out{text, {}};
  if (width <= 0 || !measure) return out;
  const char* s = text.data();
  const size_t n = text.size();
  for (size_t line = 0; line <= n;) {
    size_t end = text.find('\n', line);
    if (end == std::string::npos) end = n;
    // Word by word: x is the visual line's width so far, including the space before the word.
    // Widths add up (ImGui places glyphs by their advances, without kerning), so each word is
    // measured once and a long text wraps in one pass.
    float x = 0;
    for (size_t pos = line; pos < end;) {
      size_t word_end = text.find(' ', pos);
      if (word_end == std::string::npos || word_end > end) word_end = end;
      const float w = measure(s + pos, s + word_end);
      if (x > 0 && x + w > width && pos > line && s[pos - 1] == ' ') {
        out.shown[pos - 1] = '\n';
        out.soft.push_back(pos - 1);
        x = 0;
      }
      x += w;
      if (word_end < end) x += measure(s + word_end, s + word_end + 1);
      pos = word_end + 1;
    }
    line = end + 1;
  }
  return out;
}

std::string Unwrap(const std::string& shown, const std::vector<size_t>& soft) {
  std::string text = shown;
  for (size_t q : soft)
    if (q < text.size() && text[q] == '\n') text[q] = ' ';
  return text;
}

std::vector<size_t> CarrySoftBreaks(const std::string& before, const std::vector<size_t>& soft,
                                    const std::string& after, size_t cursor) {
  const size_t nb = before.size(), na = after.size();
  cursor = std::min(cursor, na);
  // The longest common suffix, up to the caret: text typed or pasted ends at the caret, so
  // where the same characters could have been inserted in more than one place (an Enter
  // next to a wrap point), the caret says which.
  size_t s = 0;
  while (s < nb && s < na - cursor && before[nb - 1 - s] == after[na - 1 - s]) ++s;
  // Then the longest common prefix that neither passes the caret (a deletion starts there)
  // nor overlaps that suffix.
  const size_t limit = std::min({cursor, nb - s, na - s});
  size_t p = 0;
  while (p < limit && before[p] == after[p]) ++p;
  std::vector<size_t> out;
  out.reserve(soft.size());
  for (size_t q : soft) {
    if (q >= nb) continue;
    if (q < p) out.push_back(q);
    else if (q >= nb - s) out.push_back(q - nb + na);
  }
  return out;
}

void EditHistory::record(const std::string& text, size_t cursor, double now_s, Edit kind, bool word_end) {
  redo_.clear();
  const bool coalesce = kind != Edit::Other && kind == open_ && now_s - last_s_ <= kPauseS && !undo_.empty();
  if (!coalesce) {
    undo_.push_back({text, cursor});
    trim();
  }
  open_ = word_end ? Edit::Other : kind;
  last_s_ = now_s;
}

// One step from `from` to `to`: `current` is kept on `to` and the step taken becomes current.
bool EditHistory::step(std::vector<Snapshot>& from, std::vector<Snapshot>& to, Snapshot& current) {
  if (from.empty()) return false;
  to.push_back(std::move(current));
  current = std::move(from.back());
  from.pop_back();
  open_ = Edit::Other;
  return true;
}

bool EditHistory::undo(Snapshot& current) { return step(undo_, redo_, current); }
bool EditHistory::redo(Snapshot& current) { return step(redo_, undo_, current); }

void EditHistory::clear() {
  undo_.clear();
  redo_.clear();
  open_ = Edit::Other;
}

void EditHistory::trim() {
  size_t bytes = 0;
  for (auto& u : undo_) bytes += u.text.size();
  size_t drop = 0;
  while (undo_.size() - drop > 1 && (undo_.size() - drop > kMaxSteps || bytes > kMaxBytes)) bytes -= undo_[drop++].text.size();
  undo_.erase(undo_.begin(), undo_.begin() + static_cast<std::ptrdiff_t>(drop));
}

}  // namespace concord
