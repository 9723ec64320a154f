// The question box (prompt_edit.h): ImGui's multi-line input over a soft-wrapped copy of the
// question. ImGui 1.90 cannot wrap an input, so each wrap point is the space itself shown as
// '\n': the buffer keeps the question's length and offsets, every edit is read back against
// the wrap points in force (CarrySoftBreaks), and the line is wrapped again in the same frame.
// ImGui's own undo would replay those rewraps as edits, so the box keeps its own history of
// the question (EditHistory), and a copy or cut gives the question's spaces, not the wrap.
#include "prompt_edit.h"

#include <algorithm>
#include <cfloat>
#include <cstring>
#include <string_view>

#include "imgui.h"
#include "imgui_internal.h"
#include "imgui_stdlib.h"

namespace concord {

namespace {
struct EditContext {
  PromptView* v;
  float width;
  MeasureText measure;
  ImGuiID id;
  void (*copy_fn)(void*, const char*);  // the platform's clipboard, restored after the box
  void* copy_data;
  bool changed = false;  // the question changed this frame
};

// Wraps `v.text` for the context's width; the wrap points and what they were made from are kept.
SoftWrapped Rewrap(PromptView& v, const EditContext& c) {
  SoftWrapped w = SoftWrap(v.text, c.width, c.measure);
  v.base = w.shown;
  v.soft = w.soft;
  v.wrapped_from = v.text;
  v.wrap_width = c.width;
  v.wrap_font = ImGui::GetFontSize();
  return w;
}

bool NeedsRewrap(const PromptView& v, const EditContext& c) {
  return v.text != v.wrapped_from || c.width != v.wrap_width || ImGui::GetFontSize() != v.wrap_font;
}

EditHistory::Edit KindOf(const std::string& before, const std::string& after) {
  const long d = static_cast<long>(after.size()) - static_cast<long>(before.size());
  if (d >= 1 && d <= 4) return EditHistory::Edit::TypeChar;     // one character, up to 4 UTF-8 bytes
  if (d <= -1 && d >= -4) return EditHistory::Edit::DeleteChar;
  return EditHistory::Edit::Other;
}

// Every frame while the box is being edited (ImGuiInputTextFlags_CallbackAlways | CallbackEdit).
int OnEdit(ImGuiInputTextCallbackData* d) {
  EditContext& c = *static_cast<EditContext*>(d->UserData);
  PromptView& v = *c.v;
  const std::string_view cur(d->Buf, static_cast<size_t>(d->BufTextLen));
  const size_t caret = static_cast<size_t>(d->CursorPos);
  long restore_caret = -1;
  if (cur != v.base) {  // ImGui applied an edit: read it against the wrap points in force
    std::string edited(cur);
    std::vector<size_t> soft = CarrySoftBreaks(v.base, v.soft, edited, caret);
    std::string text = Unwrap(edited, soft);
    if (text != v.text) {
      const bool word_end = caret > 0 && caret <= cur.size() && (cur[caret - 1] == ' ' || cur[caret - 1] == '\n');
      v.history.record(v.text, v.cursor, ImGui::GetTime(), KindOf(v.text, text), word_end);
      v.text = std::move(text);
      c.changed = true;
    }
    v.base = std::move(edited);
    v.soft = std::move(soft);
  } else {
    const bool undo = ImGui::IsKeyChordPressed(ImGuiMod_Shortcut | ImGuiKey_Z);
    const bool redo = ImGui::IsKeyChordPressed(ImGuiMod_Shortcut | ImGuiKey_Y) ||
                      ImGui::IsKeyChordPressed(ImGuiMod_Shortcut | ImGuiMod_Shift | ImGuiKey_Z);
    if (undo || redo) {  // (the question is copied only then: this runs every frame)
      EditHistory::Snapshot s{v.text, v.cursor};
      if (undo ? v.history.undo(s) : v.history.redo(s)) {
        v.text = std::move(s.text);
        restore_caret = static_cast<long>(s.cursor);
        c.changed = true;
      }
    }
  }
  if (NeedsRewrap(v, c)) {
    const SoftWrapped w = Rewrap(v, c);
    if (w.shown != cur) {
      if (w.shown.size() == cur.size()) {  // only wrap points moved: same offsets, caret stays
        std::memcpy(d->Buf, w.shown.data(), w.shown.size());
        d->BufDirty = true;
      } else {  // an undo or redo: the whole text is replaced
        d->DeleteChars(0, d->BufTextLen);
        d->InsertChars(0, w.shown.data(), w.shown.data() + w.shown.size());
        d->CursorPos = static_cast<int>(std::min<size_t>(restore_caret < 0 ? caret : static_cast<size_t>(restore_caret), w.shown.size()));
        d->SelectionStart = d->SelectionEnd = d->CursorPos;
      }
    }
  }
  v.cursor = static_cast<size_t>(d->CursorPos);
  return 0;
}

// The clipboard while the box is drawn: a copy or cut of the box's selection gives the
// question's own text (a wrap point is a space again).
void CopyUnwrapped(void* data, const char* text) {
  EditContext& c = *static_cast<EditContext*>(data);
  std::string out = text ? text : "";
  if (ImGuiInputTextState* st = ImGui::GetInputTextState(c.id)) {
    const int first = std::min(st->Stb.select_start, st->Stb.select_end);
    const size_t off = static_cast<size_t>(ImTextCountUtf8BytesFromStr(st->TextW.Data, st->TextW.Data + first));
    if (off <= c.v->base.size() && c.v->base.compare(off, out.size(), out) == 0)
      for (size_t q : c.v->soft)
        if (q >= off && q < off + out.size()) out[q - off] = ' ';
  }
  if (c.copy_fn) c.copy_fn(c.copy_data, out.c_str());
}
}  // namespace

bool PromptInput(const char* label, PromptView& v, float height) {
  const ImGuiStyle& style = ImGui::GetStyle();
  ImFont* font = ImGui::GetFont();
  const float font_size = ImGui::GetFontSize();
  ImGuiIO& io = ImGui::GetIO();
  // The text area: the box less its padding, the vertical scrollbar it may show, and the caret.
  const float width = ImGui::GetContentRegionAvail().x - style.FramePadding.x * 2 - style.ScrollbarSize - 2;
  EditContext c{&v, width,
                [font, font_size](const char* b, const char* e) { return font->CalcTextSizeA(font_size, FLT_MAX, 0, b, e).x; },
                ImGui::GetID(label), io.SetClipboardTextFn, io.ClipboardUserData};
  if (ImGui::GetActiveID() != c.id) {
    // Not being edited. Every edit passes through OnEdit (called every frame while the box is
    // active); the one change ImGui makes without it is Esc's revert to the text the box had
    // when it was entered. That revert is not taken: it would throw away what was typed (Esc
    // is this page's "cancel the run"), and its line breaks would be read against the wrap
    // points in force now. Then the App may have set the question, or the width changed.
    if (v.shown != v.base) v.shown = v.base;
    if (NeedsRewrap(v, c)) v.shown = Rewrap(v, c).shown;
  }
  io.SetClipboardTextFn = CopyUnwrapped;
  io.ClipboardUserData = &c;
  ImGui::InputTextMultiline(label, &v.shown, ImVec2(-1, height),
                            ImGuiInputTextFlags_AllowTabInput | ImGuiInputTextFlags_NoUndoRedo |
                                ImGuiInputTextFlags_CallbackAlways | ImGuiInputTextFlags_CallbackEdit,
                            OnEdit, &c);
  io.SetClipboardTextFn = c.copy_fn;
  io.ClipboardUserData = c.copy_data;
  return c.changed;
}

}  // namespace concord
