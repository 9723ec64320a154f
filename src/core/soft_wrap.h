// Soft wrapping of an editable text, and its undo history: the question box shows long lines
// wrapped at spaces while the question itself keeps them. A wrap point is the space itself
// shown as '\n', so the shown buffer has the text's length and offsets (a caret, a selection
// and an edit mean the same in both), and backspace at the start of a wrapped line deletes
// that space, as in any editor. Pure; widths come from the caller's measure function.
#pragma once
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace concord {

// Width of the bytes [begin, end) of one line (no '\n' inside), in the caller's units.
using MeasureText = std::function<float(const char* begin, const char* end)>;

struct SoftWrapped {
  std::string shown;          // the text with each wrap point's space replaced by '\n'
  std::vector<size_t> soft;   // byte offsets of those '\n', ascending
};

// Greedy word wrap of every line of `text` to `width`: a line breaks at the last space before
// the word that would cross the width. A word wider than the width keeps its own line (it
// overflows; nothing is cut). Tabs and other characters are never break points. width <= 0:
// nothing wraps.
SoftWrapped SoftWrap(const std::string& text, float width, const MeasureText& measure);

// The text back from a shown buffer: each soft offset's '\n' is a space again. Offsets past
// the end, or not on a '\n', are ignored.
std::string Unwrap(const std::string& shown, const std::vector<size_t>& soft);

// The soft offsets of `before` that survive an edit that turned it into `after`. The edit is
// taken as one replaced range (the longest common prefix and suffix), bounded by the caret after
// the edit (`cursor`), which always sits at the end of typed or pasted text and at the start of a
// deletion. A wrap point inside the replaced range was deleted; one after it moves with the text.
// Every '\n' the edit inserted is the user's own line break.
std::vector<size_t> CarrySoftBreaks(const std::string& before, const std::vector<size_t>& soft,
                                    const std::string& after, size_t cursor);

// Undo and redo of a text by snapshots. Typing is coalesced into one step per word or pause, as
// editors do; a paste, a cut or a deletion of several characters is a step of its own.
class EditHistory {
 public:
  struct Snapshot { std::string text; size_t cursor = 0; };
  enum class Edit { Other, TypeChar, DeleteChar };  // one character typed / deleted, or anything else
  // Before an edit is applied: `text` and `cursor` as they were. `now_s` is any clock in seconds.
  // Characters typed (or deleted) in a row without a pause are one step; a typed space or line
  // break (`word_end`) closes it.
  void record(const std::string& text, size_t cursor, double now_s, Edit kind, bool word_end);
  // Steps back (or forward) from `current`, which the other stack keeps. False: nothing to do.
  bool undo(Snapshot& current);
  bool redo(Snapshot& current);
  void clear();
  size_t undo_depth() const { return undo_.size(); }

  static constexpr size_t kMaxSteps = 200;         // the oldest step is dropped past this...
  static constexpr size_t kMaxBytes = 4u << 20;    // ...or past this many bytes of snapshots
  static constexpr double kPauseS = 1.0;           // a pause longer than this starts a new step

 private:
  bool step(std::vector<Snapshot>& from, std::vector<Snapshot>& to, Snapshot& current);
  void trim();
  std::vector<Snapshot> undo_, redo_;
  double last_s_ = -1e9;
  Edit open_ = Edit::Other;  // the kind of the step still being typed into (Other: none)
};

}  // namespace concord
