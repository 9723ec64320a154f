// Shared UI vocabulary: fonts, scale, palette, per-panel view state, the actions that
// panels emit (applied by App after the frame), and the named-widget registry that the
// browser tests use to click real pixels.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "imgui.h"
#include "demo.h"
#include "maps.h"
#include "settings.h"
#include "soft_wrap.h"

namespace concord {

struct UiFonts {
  ImFont* regular = nullptr;
  ImFont* bold = nullptr;
  ImFont* heading = nullptr;
  ImFont* mono = nullptr;
};

// Okabe-Ito: colour-blind-safe, used for stances and states everywhere.
namespace pal {
constexpr ImU32 Agree = IM_COL32(0, 158, 115, 255);      // bluish green
constexpr ImU32 Disagree = IM_COL32(213, 94, 0, 255);    // vermillion
constexpr ImU32 Partial = IM_COL32(230, 159, 0, 255);    // orange
constexpr ImU32 Silent = IM_COL32(70, 76, 90, 255);      // neutral grey
constexpr ImU32 Blue = IM_COL32(86, 180, 233, 255);      // sky blue
constexpr ImU32 Accent = IM_COL32(0, 114, 178, 255);     // blue
constexpr ImU32 Yellow = IM_COL32(240, 228, 66, 255);
constexpr ImU32 Purple = IM_COL32(204, 121, 167, 255);   // reddish purple
constexpr ImU32 Text = IM_COL32(230, 232, 238, 255);
constexpr ImU32 Dim = IM_COL32(150, 156, 170, 255);
constexpr ImU32 Demo = IM_COL32(240, 228, 66, 255);
}  // namespace pal
ImU32 StanceColour(StanceKind k);
const char* StanceName(StanceKind k);
// On a contested topic the colours say which side, not who is right: "takes the majority side",
// "takes another side" (the judge's assessment says which is right).
const char* ContradictionStanceName(StanceKind k);

struct CardsView {
  std::vector<bool> show_raw;     // per member: raw text instead of rendered markdown
  int focus_member = -1;          // card whose quote is highlighted (from the maps)
  bool scroll_pending = false;    // scroll that card's quote into view once
  int highlight_begin = -1, highlight_end = -1;  // byte range to highlight in that member's text
};
struct JudgeView {
  int tab = 0;                    // 0 answer, 1 analysis, 2 raw
};
struct MapsView {
  int tab = 0;                    // 0 stance grid, 1 agreement, 2 graph
  bool similarity = false;        // agreement heat map: local text similarity instead of judge
  bool weight_by_cost = false;    // graph node size
  float zoom = 1, pan_x = 0, pan_y = 0;
  int hover_node = -1;
};
struct SetupView {
  char model_filter[128] = "";
  int picker_target = 0;          // 0 add to panel, 1 set judge, 2 add fallback judge, 3 add writer
  std::string edit_list;          // the model list whose row `edit_row` shows its settings editor
  int edit_row = -1;
  std::string new_ep_id, new_ep_url, new_ep_key;
};
struct PromptView {
  std::string text;               // the question: the App's prompt (AppStatus::prompt) as of `rev`, plus typing
  unsigned rev = 0;               // the AppStatus::prompt_rev `text` was last loaded from
  // The box shows `text` soft-wrapped (prompt_edit.cpp, soft_wrap.h):
  std::string shown;              // the edit buffer: `text` with each wrap point's space as '\n'
  std::string base;               // `shown` as last wrapped; an edit is read against it
  std::vector<size_t> soft;       // the wrap points of `base`
  std::string wrapped_from;       // the `text` that `base` shows
  float wrap_width = -1;          // the width and font size `base` was wrapped for
  float wrap_font = 0;
  size_t cursor = 0;              // the caret (byte offset), as of the last frame
  EditHistory history;            // Ctrl/Cmd+Z and redo, in terms of `text`
  std::string follow_up;
};
struct EvalView {
  int set = 0;                    // index into the sets offered (built-in, then loaded files)
  int limit = 20;
  std::map<std::string, bool> off;  // contestants the user switched off (by id)
  float budget = 0;               // USD; 0: no cap
  int concurrency = 4;
  bool confirming = false;        // the estimate is shown and waits for "Start eval"
  int confirm_calls = 0;
  double confirm_cost = 0;
  std::string confirm_unpriced;
  std::string url;                // load a set by URL
  std::string add_model;          // a model id typed to add as a contestant alone
  int sel_item = -1, sel_contestant = -1;  // the grid cell opened below it
  bool show_grader = false;
  bool scroll_to_cell = false;    // bring the opened cell's answer into view on the next frame
};
struct HistoryView {
  int selected = -1;
};

// What the App says to the user through the panels, and the prompt it holds: the App writes it,
// panels only read it (passed as const). The prompt has this one owner; the prompt panel edits
// a copy and hands each change back as an action (UiActions::prompt_text).
struct AppStatus {
  std::string prompt;              // the question (typed, from a link, an example, history, a follow-up)
  unsigned prompt_rev = 0;         // bumped when the App itself sets the prompt
  std::string prompt_message;      // why a run did not start (shown under the prompt)
  std::string prompt_notice;       // what the app did for the user (e.g. the panel it chose)
  bool demo_only_examples = false;  // a free question was refused in the demo: offer Connect
  std::string history_message;     // an import's outcome
  std::string eval_message;        // what happened in eval mode (a refused start, saving)
  std::string eval_file_message;   // a question file's or URL's outcome, shown under its buttons
  bool eval_file_failed = false;   // ... in the warning colour
};

// Requests from the App to a panel's own view, the way back of UiActions: the panel that owns
// the view applies (and clears) them when it next draws. The App never writes into a view.
struct ViewRequests {
  bool clear_follow_up = false;     // the follow-up was sent
  bool reset_cards = false;         // another run is on screen: per-card state starts over
  int focus_member = -1;            // show this member's card (from the maps) ...
  int focus_begin = -1, focus_end = -1;  // ... with this byte range highlighted
  bool clear_new_endpoint = false;  // a preset replaced the endpoint being typed
  int eval_set = -1, eval_limit = -1;  // a loaded file: select it, all its questions
  int narrow_tab = -1;              // narrow layout: show this tab (0 question, 1 answer, 2 maps, 3 panel)
  bool eval_confirm_done = false;   // the estimate was acted on (started, or the plan changed)
  bool eval_estimate = false;       // show this estimate and wait for "Start eval":
  int eval_calls = 0;
  double eval_cost = 0;
  std::string eval_unpriced;
};

// What panels ask for; App::apply() carries it out after the frame.
struct UiActions {
  std::optional<std::string> prompt_text;  // the prompt as typed this frame
  bool run = false;
  bool follow_up = false;
  std::string follow_up_text;
  bool cancel_run = false;
  int cancel_member = -1;
  int retry_member = -1;
  bool check_key = false;
  bool connect_openrouter = false;  // start the OAuth PKCE sign-in (leaves the page)
  bool refresh_catalogue = false;
  bool settings_changed = false;
  std::optional<Settings> settings;  // Setup's edited settings, applied after the frame
  std::string setup_message;      // Setup refused an edit: why (shown under the prompt)
  int preset = -1;                // Preset enum value
  std::string copy;               // text for the system clipboard
  std::string open_url;
  int open_history = -1, delete_history = -1;
  bool export_json = false, export_markdown = false, import_json = false;
  bool export_csv = false;
  int example = -1;               // run this gallery example (demo)
  int jump_member = -1;           // maps -> cards: show this member
  std::string jump_quote;         // ... and highlight this quote
  // Eval mode
  bool eval_toggle = false;       // switch between the single run and eval mode
  bool eval_confirm = false;      // compute the estimate and ask for confirmation
  bool eval_start = false;        // confirmed: start
  bool eval_cancel = false, eval_retry = false, eval_resume = false;
  bool eval_export_csv = false, eval_export_json = false, eval_load_file = false;
  std::string eval_load_url;
  std::string eval_add_model;     // a model alone as an extra contestant (from Setup's picker)
  int eval_add_fusion = -1;       // an extra fusion: 0 = Setup as it is now, 1 + Preset = a preset
  std::string eval_remove;        // an added contestant's id
};

struct UiShared {
  UiFonts fonts;
  float scale = 1;                // device pixel ratio (ImGui works in device pixels)
  SetupView setup;
  PromptView prompt;
  CardsView cards;
  JudgeView judge;
  MapsView maps;
  HistoryView history;
  EvalView eval;
  ViewRequests requests;
  bool setup_open = true;         // the shell's own state (its top bar toggles these)
  bool eval_open = false;         // eval mode is on screen instead of the single run
  std::map<std::string, ImVec4> rects;  // named widget rects (device pixels), for tests
  float px(float v) const { return v * scale; }
};

// Records the last item's rectangle under `name` (window API: widget rects).
void RecordRect(UiShared& ui, const std::string& name);
// Small shared widgets.
void HelpMarker(const char* text);
// SameLine() when an item of width w still fits on the current line, else a new line.
bool SameLineIfFits(float w);  // true: on the same line
// Text on the current line if it fits, else wrapped on the next one.
void SameLineText(const char* text, ImU32 colour);
bool SmallButtonId(const char* label, const char* id);
// A model's own settings: "t=0.7 · max 2000 · effort high", or "" when it uses every default.
std::string SettingsSummary(const ModelRef& m);
std::string FormatSeconds(double s);
std::string FormatTokens(long long n);

}  // namespace concord
