// The Concord application: settings, catalogue, the fusion engine, history, and the
// frame that lays out the panels. Platform-free: it talks to the browser only through
// Host and Transport, so headless tests can drive it frame by frame.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "command_table.h"
#include "eval_run.h"
#include "host.h"
#include "mapdata.h"
#include "imgui.h"
#include "run.h"
#include "settings.h"
#include "ui_common.h"
#include "whole_body.h"

namespace concord {

void ApplyTheme(ImGuiStyle& style);
extern const ImVec4 kBackground;

struct CatalogueState {
  std::vector<ModelInfo> models;
  std::string endpoint_id;   // whose catalogue this is
  std::string error;
  bool loading = false;
  WholeBody call;
};

// The demo's example gallery, fetched from the demo endpoint with its catalogue.
struct ExamplesState {
  std::vector<DemoExample> list;
  std::string error;
  WholeBody call;
};

struct KeyCheck {
  std::string endpoint_id, result;
  bool ok = false;
  WholeBody call;
};

// "Connect OpenRouter" (OAuth PKCE): the code exchange in flight and what to tell the user.
struct OAuthState {
  WholeBody call;          // the exchange (its body holds the key on success: cleared at once)
  std::string message;     // status line, or "[oauth.<id>] …" on failure
  std::string error_id;    // "" or the stable id of the last failure
  bool ok = false;         // connected: a key was stored
  bool busy() const { return call.busy(); }
};

class App {
 public:
  App(Host& host, Transport& transport);
  void init();                       // settings, history, URL hash
  bool tick();                       // engine + side requests; true when something changed
  void draw();                       // one frame of UI (inside NewFrame/Render)
  static constexpr float kNarrowWidth = 760;  // below this width (CSS px) the layout is one column
  // Work that must not hold up the frame that shows its result: saving a finished run to
  // history (a merge with other tabs and a rewrite of the stored history: tens of ms once it
  // is long). The platform calls it in its own task right after that frame, and on a timer in
  // case no frame comes (a hidden tab). A new run sends its requests first and keeps the run it
  // replaced for that save; an opened or imported run flushes it first.
  bool after_frame_due() const { return save_due_ || !replaced_.empty(); }
  void after_frame();
  bool animating() const;            // streaming or animating: keep drawing
  bool streaming() const { return engine_.busy() || eval_.busy(); }  // a run or an eval has calls out
  std::string api(const std::string& json_cmd);  // the window API used by browser tests
  // Adds the App's commands (state, configure, run, …) to a window-API table; the platform
  // adds its own (frames, bench probes) to the same table.
  void register_commands(CommandTable& t);
  void on_file(const std::string& name, const std::string& data);  // import picked by the user
  void on_file_refused(const std::string& name, double bytes);     // one too large to read
  void set_fonts(const UiFonts& f) { ui_.fonts = f; }
  void set_scale(float s) { ui_.scale = s; }

  // Exposed for tests.
  Settings& settings() { return settings_; }
  const FusionRun& run() const { return engine_.run(); }
  const EvalRunner& eval() const { return eval_; }
  FusionEngine& engine() { return engine_; }
  const std::vector<FusionRun>& history() const { return history_; }
  const OAuthState& oauth() const { return oauth_; }
  const std::vector<DemoExample>& examples() const { return examples_.list; }
  UiShared& ui() { return ui_; }
  // One path for a question and a follow-up (with the conversation so far). "" or an error message.
  struct RunOverrides { std::optional<WebSearchMode> search; };  // a demo example's own search setting
  std::string start_run(const std::string& prompt, std::vector<ChatMessage> history = {}, const RunOverrides& o = {});
  void apply(UiActions& a);

 private:
  Host& host_;
  Transport& transport_;
  Settings settings_;
  std::vector<Endpoint> endpoints_;
  FusionEngine engine_;
  CatalogueState catalogue_;
  ExamplesState examples_;
  bool demo_mode_ = false;           // settings_.using_demo() as last applied (sync_demo_mode)
  bool budget_pending_ = false;      // a key replaced the demo: apply Budget once the catalogue loads
  KeyCheck key_check_;
  OAuthState oauth_;
  std::vector<FusionRun> history_;
  std::vector<std::string> deleted_ids_;  // runs deleted in this tab (not re-merged from storage)
  bool saved_while_busy_ = false;   // saved with a late straggler still streaming: save again when it ends
  std::string history_note_;         // "history is full: ..." etc.
  size_t history_unreadable_ = 0;    // stored runs this version cannot read (kept as they are)
  UiShared ui_;
  AppStatus status_;                 // what the panels show from the App, and the prompt (its one owner)
  bool run_saved_ = true;            // the current run has been saved to history
  bool save_due_ = false;            // it has finished: after_frame() saves it
  std::vector<FusionRun> replaced_;  // runs a new run replaced before they were saved: after_frame() saves them
  std::string settings_error_;
  bool layout_chosen_ = false;  // the first frame chose Setup open or closed by the window's width
  bool remember_seen_ = false;  // "Remember keys" as stored when this tab last read or wrote it
  std::string device_keys_seen_;  // the remembered keys (localStorage) as this tab last read or wrote them
  std::string link_notes_;
  MapData maps_;                     // the maps panel's data for the run on screen
  // Eval mode (app_eval.cpp)
  EvalRunner eval_;
  std::vector<EvalSet> user_sets_;   // loaded from a file or a URL this session
  WholeBody eval_url_;               // a set being fetched by URL
  std::string eval_url_name_;
  bool eval_interrupted_ = false;    // saved progress of an eval the page did not finish
  std::vector<EvalContestant> eval_extras_;  // contestants the user added (kept between visits)
  int eval_saved_done_ = -1;         // done count when progress was last saved
  // What localStorage holds of this eval (eval_save): its id, stage, and each task's status
  // there (Pending: not saved); parts written so far.
  std::string eval_saved_id_, eval_saved_stage_;
  std::vector<EvalTask::Status> eval_saved_status_;
  int eval_saved_parts_ = 0;
  bool eval_saved_elsewhere_ = false;  // another tab's eval owns the saved progress: this one stops saving
  std::vector<const EvalSet*> eval_sets() const;
  json eval_sets_json() const;
  std::vector<EvalContestant> eval_contestants() const;
  // Kept fusion configurations equal to Setup now (id, label): they run as the fusion itself.
  std::vector<std::pair<std::string, std::string>> eval_resting_extras() const;
  std::string eval_add_model(const std::string& model);   // "" or why not
  std::string eval_add_fusion(int which);                 // 0: Setup as it is; 1+: Preset(which - 1)
  void eval_save_extras();
  std::string start_eval(const EvalSet& set, int limit, const std::vector<std::string>& only_ids, double budget, int concurrency);
  void eval_confirm();
  void eval_save(bool fresh = false);  // fresh: a new eval (or an older one-key save): a new id, written whole
  void eval_load_saved();
  std::string eval_resume();
  std::string eval_retry();
  void set_eval_file_message(const std::string& m, bool failed);
  std::string eval_csv() const;
  std::string eval_json() const;
  json eval_summaries_json() const;
  void on_eval_file(const std::string& name, const std::string& data);
  void on_eval_url_done();
  void apply_eval(UiActions& a);
  void register_eval_commands(CommandTable& t);
  CommandTable commands_;            // api(): the App's own commands (tests call it directly)
  bool commands_ready_ = false;           // what a share link asked for that was ignored, and why

  void rebuild_endpoints();
  bool sync_demo_mode();              // entering or leaving the demo swaps a demo panel (true: it did, and refetched)
  void run_example(int i);
  void on_catalogue_loaded();
  void fetch_catalogue();
  void check_key();
  void connect_openrouter();          // stores a verifier, then leaves for the sign-in page
  void oauth_return();                // on load: ?code=… -> removes it from the URL, exchanges it
  void on_oauth_done();
  void oauth_fail(const CallError& e);
  void on_side_event(const TransportEvent& e);
  void expire_side_requests();
  void on_examples_done();
  void on_catalogue_done();
  void on_key_check_done();
  void draw_side(ImVec2 size, UiActions& act);
  void draw_eval(ImVec2 size, UiActions& act);
  void draw_summary(const FusionRun& run, double now);
  void draw_narrow(const FusionRun& run, double now, UiActions& act);
  void adopt_device_keys();
  void save_settings();
  void load_settings();
  void save_history();
  void set_prompt(const std::string& text) { status_.prompt = text; ++status_.prompt_rev; }
  void save_current_run();
  void put_in_history(FusionRun run);
  void keep_replaced_run();
  void load_history();
  void apply_hash(const std::string& hash);
  std::string hash_for_current() const;
};

}  // namespace concord
