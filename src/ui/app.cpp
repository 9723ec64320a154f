// The application: owns settings, the engine, the catalogue and history; lays out the
// panels each frame; applies the actions they emit; answers the window API.
//
// Index of this file:
// [SECTION] init, settings and history storage
// [SECTION] side requests (catalogue, key check)
// [SECTION] Connect OpenRouter (OAuth PKCE)
// [SECTION] tick and actions
// [SECTION] frame layout
// [SECTION] window API
#include "app.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "history.h"
#include "jsonutil.h"
#include "model_json.h"
#include "share_link.h"
#include "url.h"
#include "mapdata.h"
#include "markdown.h"
#include "panel_maps.h"
#include "pkce.h"
#include "render_hooks.h"
#include "panels.h"

namespace concord {
namespace {
const char* kSettingsKey = "concord.settings";
const char* kKeysKey = "concord.keys";
const char* kHistoryKey = "concord.history";
const char* kPkceKey = "concord.pkce";  // sessionStorage: the PKCE verifier while signing in
const char* kDraftKey = "concord.draft";
constexpr double kSideRequestTimeoutS = 30;  // catalogue, examples, OAuth exchange
constexpr double kKeyCheckTimeoutS = 20;  // sessionStorage: the question typed before leaving to sign in

// Unique enough across tabs: two tabs starting a run in the same millisecond still differ
// by prompt, and one tab never repeats (counter). History merges by this id.
std::string NewRunId(double unix_s, const std::string& prompt) {
  static unsigned counter = 0;
  char id[64];
  std::snprintf(id, sizeof id, "run-%.0f-%04x%u", unix_s * 1000,
                static_cast<unsigned>(std::hash<std::string>{}(prompt) & 0xffff), counter++);
  return id;
}
json examples_question_list(const std::vector<DemoExample>& list) {
  json a = json::array();
  for (auto& e : list) a.push_back(e.question);
  return a;
}
}  // namespace

App::App(Host& host, Transport& transport) : host_(host), transport_(transport), engine_(transport, {}), eval_(transport, {}) {}

// ---- [SECTION] init, settings and history storage --------------------------------------------
void App::init() {
  load_settings();
  load_history();
  eval_load_saved();
  apply_hash(host_.get_hash());
  if (settings_.panel.empty() && settings_.using_demo()) UseDemoPanel(settings_, false);
  demo_mode_ = settings_.using_demo();
  rebuild_endpoints();
  const std::string draft = host_.storage_get(false, kDraftKey);
  if (!draft.empty()) {
    if (status_.prompt.empty()) set_prompt(draft);
    host_.storage_remove(false, kDraftKey);
  }
  oauth_return();
  fetch_catalogue();
}

void App::load_settings() {
  SettingsFromJson(host_.storage_get(true, kSettingsKey), settings_);
  remember_seen_ = settings_.remember_keys;
  // Keys: sessionStorage unless the user opted in to remembering them on this device.
  std::string keys = host_.storage_get(false, kKeysKey);
  device_keys_seen_ = settings_.remember_keys ? host_.storage_get(true, kKeysKey) : "";
  if (keys.empty()) keys = device_keys_seen_;
  KeysFromJson(keys, settings_);
}

// Remembered keys another tab changed since this one read them (a key removed or replaced
// there) stay changed, for every key this tab has not changed itself: a tab never writes back
// a key the user deleted elsewhere.
void App::adopt_device_keys() {
  const std::string device = host_.storage_get(true, kKeysKey);
  if (device == device_keys_seen_) return;
  Settings seen = settings_, there = settings_;
  KeysFromJson(device_keys_seen_.empty() ? "{}" : device_keys_seen_, seen);
  KeysFromJson(device.empty() ? "{}" : device, there);
  auto adopt = [](std::string& mine, const std::string& was, const std::string& theirs) { if (mine == was) mine = theirs; };
  adopt(settings_.openrouter_key, seen.openrouter_key, there.openrouter_key);
  adopt(settings_.anthropic_key, seen.anthropic_key, there.anthropic_key);
  adopt(settings_.search_key, seen.search_key, there.search_key);
  for (size_t i = 0; i < settings_.custom.size(); ++i) adopt(settings_.custom[i].key, seen.custom[i].key, there.custom[i].key);
}

void App::save_settings() {
  // "Remember keys" changed in another tab since this one read it (and not here): that choice
  // stands. Otherwise this tab would write the keys back to the device after the user, in the
  // other tab, asked to forget them.
  const json stored = ParseJson(host_.storage_get(true, kSettingsKey));
  if (const json* r = Get(stored, "remember_keys"); r && r->is_boolean() && r->get<bool>() != remember_seen_ &&
                                                    settings_.remember_keys == remember_seen_)
    settings_.remember_keys = r->get<bool>();
  if (remember_seen_ && settings_.remember_keys) adopt_device_keys();
  remember_seen_ = settings_.remember_keys;
  if (!host_.storage_set(true, kSettingsKey, SettingsToJson(settings_))) settings_error_ = "Settings could not be saved: storage is full.";
  std::string keys = KeysToJson(settings_);
  host_.storage_set(false, kKeysKey, keys);
  if (settings_.remember_keys) host_.storage_set(true, kKeysKey, keys);
  else host_.storage_remove(true, kKeysKey);
  device_keys_seen_ = settings_.remember_keys ? keys : "";
}

namespace {
std::string UnreadableRunsNote(size_t n) {
  if (n == 0) return "";
  return std::to_string(n) + (n == 1 ? " saved run" : " saved runs") +
         " could not be read (saved by a newer version of Concord, or damaged): kept in storage as they are.";
}
}  // namespace

void App::load_history() {
  std::vector<std::string> unreadable;
  history_ = ParseHistory(host_.storage_get(true, kHistoryKey), nullptr, &unreadable);
  history_unreadable_ = unreadable.size();
}

void App::save_history() {
  // Another tab may have saved runs since we loaded: merge them in (by id) before writing,
  // so the last writer does not erase the other tab's history.
  std::vector<std::string> unreadable;  // runs this version cannot read are written back as they were
  history_ = MergeHistory(std::move(history_), ParseHistory(host_.storage_get(true, kHistoryKey), nullptr, &unreadable), deleted_ids_);
  history_note_.clear();
  history_unreadable_ = unreadable.size();
  bool stored = false;
  const size_t keep =
      SaveHistoryFitting(history_, [&](const std::string& v) { return host_.storage_set(true, kHistoryKey, v); }, &stored, unreadable);
  if (!stored) {
    history_note_ = "History could not be saved: browser storage is full. Export runs you want to keep.";
    return;
  }
  if (keep < history_.size()) {
    history_note_ = "Browser storage is full: the " + std::to_string(history_.size() - keep) +
                    " oldest run(s) were dropped from history. Export runs you want to keep.";
    history_.resize(keep);
  }
}

void App::rebuild_endpoints() {
  endpoints_ = BuildEndpoints(settings_, host_.page_url());
  engine_.set_endpoints(endpoints_);
}

void App::apply_hash(const std::string& hash) {
  if (hash.empty()) return;
  ShareLink link = ParseShareLink(hash);
  if (link.has_prompt) set_prompt(link.prompt);
  ApplyShareLink(link, settings_);
  link_notes_.clear();
  for (auto& n : link.notes) link_notes_ += (link_notes_.empty() ? "From the link: " : "; ") + n;
}

std::string App::hash_for_current() const { return FormatShareLink(settings_, status_.prompt); }

// ---- [SECTION] side requests ----------------------------------------------------------------------
void App::fetch_catalogue() {
  catalogue_.call.cancel(transport_);
  std::string ep_id = settings_.default_endpoint();
  const Endpoint* ep = nullptr;
  for (auto& e : endpoints_) if (e.id == ep_id) ep = &e;
  if (!ep) return;
  catalogue_.endpoint_id = ep_id;
  catalogue_.loading = true;
  catalogue_.error.clear();
  catalogue_.call.send(transport_, BuildModelsRequest(*ep), kSideRequestTimeoutS);
  examples_.call.cancel(transport_);
  examples_.list.clear();
  examples_.error.clear();
  if (ep->is_demo) examples_.call.send(transport_, BuildExamplesRequest(ep->base_url), kSideRequestTimeoutS);
}

// Who answers the catalogue, in the words the user knows it by.
static std::string CatalogueSource(const Settings& s, const std::string& endpoint_id) {
  if (endpoint_id != "demo") return "OpenRouter (" + s.openrouter_base + ")";
  if (IsInPageDemoUrl(s.demo_base)) return "the in-page demo provider";
  return "the local demo simulator at " + s.demo_base;
}

void App::on_catalogue_loaded() {
  if (!budget_pending_ || catalogue_.endpoint_id != "openrouter") return;
  budget_pending_ = false;
  std::string why = ApplyPreset(Preset::Budget, catalogue_.models, "openrouter", settings_);
  std::string panel;
  for (auto& m : settings_.panel) panel += (panel.empty() ? "" : ", ") + m.model;
  if (IsDemoPanel(settings_)) {
    status_.prompt_notice = "Your key is set, but the Budget preset could not replace the demo panel: " + why +
                        " Pick models in Setup.";
  } else {
    status_.prompt_notice = "Your key is set, so the demo panel was replaced by the Budget preset: " + panel +
                        ", judged by " + (settings_.judges.empty() ? std::string("(none)") : settings_.judges[0].model) +
                        "." + (why.empty() ? "" : " " + why);
  }
  save_settings();
}

// Entering or leaving the demo: a panel of demo models is replaced by the Budget preset
// when a key arrives (once OpenRouter's catalogue is there to resolve it), and the demo
// panel comes back when the demo does.
bool App::sync_demo_mode() {
  const bool demo = settings_.using_demo();
  if (demo == demo_mode_) return false;
  demo_mode_ = demo;
  status_.demo_only_examples = false;
  if (!demo && IsDemoPanel(settings_)) {
    budget_pending_ = true;
    status_.prompt_notice = "Your key is set: the demo panel will be replaced by the Budget preset as soon as OpenRouter's model list loads.";
  } else if (demo) {
    budget_pending_ = false;
    if (!IsDemoPanel(settings_)) {
      UseDemoPanel(settings_, false);
      status_.prompt_notice = "Back to the demo: the panel is the three scripted demo models again (your own panel is replaced; a preset restores one).";
    }
  }
  rebuild_endpoints();
  save_settings();
  fetch_catalogue();
  return true;
}

void App::run_example(int i) {
  if (i < 0 || i >= static_cast<int>(examples_.list.size()) || engine_.busy()) return;
  const DemoExample& ex = examples_.list[static_cast<size_t>(i)];
  UseDemoPanel(settings_, ex.panel == "self");
  save_settings();
  set_prompt(ex.question);
  status_.prompt_notice.clear();
  // The example says whether it searches; the user's own grounding setting is left as it is.
  RunOverrides o;
  o.search = ex.search ? WebSearchMode::OpenRouterPlugin : WebSearchMode::Off;
  status_.prompt_message = start_run(ex.question, {}, o);
}

void App::check_key() {
  key_check_.call.cancel(transport_);
  key_check_.ok = false;
  key_check_.result.clear();
  const Endpoint* ep = nullptr;
  for (auto& e : endpoints_) if (e.id == "openrouter") ep = &e;
  if (!ep || ep->api_key.empty()) { key_check_.result = "Enter a key first."; return; }
  key_check_.endpoint_id = ep->id;
  key_check_.result = "checking…";
  key_check_.call.send(transport_, BuildKeyCheckRequest(*ep), kKeyCheckTimeoutS);
}

void App::on_side_event(const TransportEvent& e) {
  if (eval_url_.feed(e)) on_eval_url_done();
  else if (oauth_.call.feed(e)) on_oauth_done();
  else if (examples_.call.feed(e)) on_examples_done();
  else if (catalogue_.call.feed(e)) on_catalogue_done();
  else if (key_check_.call.feed(e)) on_key_check_done();
}

// Side requests past their time limit end as timeouts (the transport has no timers).
void App::expire_side_requests() {
  if (eval_url_.expire(transport_)) on_eval_url_done();
  if (oauth_.call.expire(transport_)) on_oauth_done();
  if (examples_.call.expire(transport_)) on_examples_done();
  if (catalogue_.call.expire(transport_)) on_catalogue_done();
  if (key_check_.call.expire(transport_)) on_key_check_done();
}

void App::on_examples_done() {
  const WholeBody& w = examples_.call;
  if (w.failure() != NetFailure::None) examples_.error = NetError(w.failure(), "demo /examples", w.message()).message;
  else examples_.error = w.status() == 200 ? ParseDemoExamples(w.body(), examples_.list) : ParseHttpError(w.status(), {}, w.body()).message;
  examples_.call.clear_body();
}

void App::on_catalogue_done() {
  const WholeBody& w = catalogue_.call;
  catalogue_.loading = false;
  const std::string who = CatalogueSource(settings_, catalogue_.endpoint_id);
  if (w.failure() != NetFailure::None) {
    catalogue_.error = "The model list from " + who + " could not be loaded: " +
                       NetError(w.failure(), catalogue_.endpoint_id + " /models", w.message()).message;
    if (catalogue_.endpoint_id == "demo" && !IsInPageDemoUrl(settings_.demo_base))
      catalogue_.error += " Start the simulator with node scripts/sim/provider-sim.mjs, or open the page without a demo= link to use the in-page demo.";
  } else if (!w.ok()) {
    catalogue_.error = "The model list from " + who + " failed: " + ParseHttpError(w.status(), {}, w.body()).message;
  } else {
    std::vector<ModelInfo> models;
    std::string err;
    if (!ParseCatalogue(w.body(), models, err)) {
      catalogue_.error = "The model list from " + who + " could not be read: " + err;
    } else {
      catalogue_.models = std::move(models);
      engine_.set_catalogue(catalogue_.models);
      on_catalogue_loaded();
    }
  }
  catalogue_.call.clear_body();
}

void App::on_key_check_done() {
  const WholeBody& w = key_check_.call;
  if (w.failure() != NetFailure::None) {
    key_check_.ok = false;
    key_check_.result = NetError(w.failure(), "/key", w.message()).message;
  } else {
    KeyCheckResult k = ParseKeyCheck(w.status(), w.body());
    key_check_.ok = k.ok;
    key_check_.result = k.message;
  }
  key_check_.call.clear_body();
}

// ---- [SECTION] Connect OpenRouter (OAuth PKCE) ---------------------------------------------
// connect_openrouter() keeps a fresh verifier in sessionStorage and sends the tab to the
// sign-in page; OpenRouter sends it back with ?code=…, which oauth_return() reads, removes
// from the address bar at once, and exchanges for a key. The key is then stored exactly
// like a pasted one (save_settings) and never logged, shown or put in a URL.
void App::connect_openrouter() {
  if (oauth_.busy()) return;
  oauth_ = OAuthState();
  if (OAuthAuthPage(settings_.openrouter_base).empty()) {
    oauth_fail(OAuthError("oauth.bad_base", "The OpenRouter base URL is not a valid http(s) URL: fix it in Setup first."));
    return;
  }
  const std::string verifier = MakeVerifier(host_.random_bytes(32));
  if (verifier.empty()) {
    oauth_fail(OAuthError("oauth.no_random", "This browser offers no secure random numbers (crypto.getRandomValues), "
                                             "so the sign-in cannot start. Paste a key instead."));
    return;
  }
  if (!host_.storage_set(false, kPkceKey, verifier)) {
    oauth_fail(OAuthError("oauth.storage", "This tab's sessionStorage is unavailable or full, so the sign-in cannot "
                                           "start (it must remember a secret until you come back). Paste a key instead."));
    return;
  }
  // The sign-in leaves the page: keep the question being typed for when the tab comes back.
  if (!status_.prompt.empty()) host_.storage_set(false, kDraftKey, status_.prompt);
  oauth_.message = "Opening OpenRouter's sign-in page…";
  host_.navigate(BuildAuthUrl(settings_.openrouter_base, host_.page_url(), PkceChallengeS256(verifier)));
}

void App::oauth_return() {
  const std::string q = host_.page_query();
  const bool has_code = QueryHas(q, "code"), has_error = QueryHas(q, "error");
  if (!has_code && !has_error) return;
  const std::string code = QueryParam(q, "code"), err = QueryParam(q, "error");
  // The code must not stay in the address bar, the history entry or a bookmark.
  host_.replace_query(QueryWithout(q, {"code", "error", "error_description"}));
  const std::string verifier = host_.storage_get(false, kPkceKey);
  oauth_ = OAuthState();
  if (!has_code) {
    // Only a short token from the URL is echoed: a crafted link must not put text in the app.
    bool plain = !err.empty() && err.size() <= 64 &&
                 err.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == std::string::npos;
    oauth_fail(OAuthError("oauth.denied", std::string("OpenRouter did not grant a key") + (plain ? " (" + err + ")" : "") +
                                              ". Press Connect OpenRouter to try again, or paste a key."));
    return;
  }
  if (!IsValidVerifier(verifier)) {
    oauth_fail(OAuthError("oauth.no_verifier", "This page was opened with a sign-in code, but the sign-in was not started "
                                               "in this tab (or its session was cleared), so the code cannot be used. "
                                               "Press Connect OpenRouter to sign in again."));
    return;
  }
  if (code.empty() || code.size() > 4096) {
    oauth_fail(OAuthError("oauth.bad_code", "The sign-in code in the address is empty or malformed. "
                                            "Press Connect OpenRouter to sign in again."));
    return;
  }
  if (OAuthAuthPage(settings_.openrouter_base).empty()) {
    oauth_fail(OAuthError("oauth.bad_base", "The OpenRouter base URL is not a valid http(s) URL: fix it in Setup first."));
    return;
  }
  oauth_.message = "Connecting to OpenRouter: exchanging the sign-in code for a key…";
  oauth_.call.send(transport_, BuildKeyExchangeRequest(settings_.openrouter_base, code, verifier), kSideRequestTimeoutS);
}

void App::on_oauth_done() {
  if (oauth_.call.failure() != NetFailure::None) {
    CallError ne = NetError(oauth_.call.failure(), settings_.openrouter_base + "/auth/keys", oauth_.call.message());
    oauth_fail(OAuthError("oauth.net", "Could not reach OpenRouter to finish the sign-in: " + ne.message +
                                           ". Press Connect OpenRouter to try again."));
    return;
  }
  KeyExchange k = ParseKeyExchange(oauth_.call.status(), oauth_.call.body());
  oauth_.call.clear_body();  // it held the key
  if (!k.ok()) { oauth_fail(k.error); return; }
  host_.storage_remove(false, kPkceKey);
  settings_.openrouter_key = k.key;  // stored like a pasted key: this tab unless "remember" is on
  settings_.force_demo = false;      // the user asked for OpenRouter
  key_check_.call.cancel(transport_);
  key_check_.result.clear();
  key_check_.ok = false;
  rebuild_endpoints();
  save_settings();
  if (!sync_demo_mode()) fetch_catalogue();  // leaving the demo fetches OpenRouter's list itself
  oauth_.ok = true;
  oauth_.error_id.clear();
  oauth_.message = settings_.remember_keys ? "Connected: key stored on this device (\"Remember keys\" is on)."
                                           : "Connected: key stored in this tab's session.";
}

void App::oauth_fail(const CallError& e) {
  host_.storage_remove(false, kPkceKey);  // a verifier is good for one code only
  oauth_.call.cancel(transport_);
  oauth_.ok = false;
  oauth_.error_id = e.id;
  oauth_.message = e.message;
}

// ---- [SECTION] tick and actions ---------------------------------------------------------------------
bool App::tick() {
  std::vector<TransportEvent> evs;
  transport_.poll(evs);
  bool changed = !evs.empty();
  for (auto& e : evs) {
    bool c = false;
    if (!engine_.on_event(e, c) && !eval_.on_event(e)) on_side_event(e);
  }
  changed |= engine_.tick();
  changed |= eval_.tick();
  // The eval's progress is saved after every finished answer: a closed tab loses nothing paid for.
  if (!eval_.tasks().empty() && eval_.done_count() != eval_saved_done_) eval_save();
  expire_side_requests();
  // Save a finished run as soon as it has its answer; a late straggler still streaming
  // updates the saved copy once more when it ends.
  const FusionRun& r = engine_.run();
  bool finished = r.stage == RunStage::Done || r.stage == RunStage::Failed || r.stage == RunStage::Cancelled;
  if (finished && (!run_saved_ || (saved_while_busy_ && !engine_.busy()))) {
    run_saved_ = true;
    saved_while_busy_ = false;
    save_due_ = true;
    changed = true;
  }
  return changed;
}

void App::after_frame() {
  if (!after_frame_due()) return;
  for (FusionRun& run : replaced_) put_in_history(std::move(run));
  replaced_.clear();
  if (save_due_) {
    save_due_ = false;
    save_current_run();
  } else {
    save_history();
  }
}

void App::save_current_run() {
  run_saved_ = true;
  saved_while_busy_ = engine_.busy();
  put_in_history(engine_.run());
  save_history();
}

void App::put_in_history(FusionRun run) {
  if (run.members.empty() || run.id.empty()) return;
  auto it = std::find_if(history_.begin(), history_.end(), [&](const FusionRun& h) { return h.id == run.id; });
  if (it != history_.end()) *it = std::move(run);
  else history_.insert(history_.begin(), std::move(run));
}

// The run on screen is about to be replaced by a new one. If it finished with late stragglers
// still streaming, they are stopped (marked cancelled: they must not block the next question);
// if it is still to be saved, a copy is kept for after_frame(). Nothing is written here, so
// the new run's requests leave first: a save merges and rewrites the stored history, tens of
// ms once it is long.
void App::keep_replaced_run() {
  const FusionRun& r = engine_.run();
  const bool finished = r.stage == RunStage::Done || r.stage == RunStage::Failed || r.stage == RunStage::Cancelled;
  if (finished && engine_.busy()) {
    engine_.cancel_run();
    save_due_ = true;
  }
  if (!save_due_) return;
  save_due_ = false;
  run_saved_ = true;
  replaced_.push_back(engine_.run());
}

bool App::animating() const { return engine_.busy() || catalogue_.loading || key_check_.call.busy() || examples_.call.busy() || oauth_.busy() ||
                                     eval_.busy() || eval_url_.busy(); }

std::string App::start_run(const std::string& prompt, std::vector<ChatMessage> history, const RunOverrides& o) {
  auto problems = ValidateSettings(settings_, prompt);
  if (!problems.empty()) return problems[0];
  ui_.requests.narrow_tab = 1;  // a narrow layout shows the answer as it comes
  // The in-page demo has written answers for its examples only: anything else would be a
  // made-up answer, so it is not run, and the way to real models is offered instead.
  status_.demo_only_examples = false;
  // (Without the list, the demo provider itself answers such questions with that message.)
  if (settings_.using_demo() && IsInPageDemoUrl(settings_.demo_base) && IsDemoPanel(settings_) &&
      !examples_.list.empty() && FindExample(examples_.list, prompt) < 0) {
    status_.demo_only_examples = true;
    return "The demo answers only its example questions: connect OpenRouter or paste a key to ask your own.";
  }
  rebuild_endpoints();
  keep_replaced_run();
  RunConfig cfg = BuildRunConfig(settings_, prompt);
  if (o.search) cfg.search = *o.search;
  const double now = host_.unix_now();
  std::string err = engine_.start(std::move(cfg), std::move(history), {NewRunId(now, prompt), now});
  if (!err.empty()) return err;
  run_saved_ = false;
  ui_.requests.reset_cards = true;
  host_.set_hash(hash_for_current());
  return "";
}

void App::apply(UiActions& a) {
  if (a.prompt_text) status_.prompt = std::move(*a.prompt_text);  // typed: the panel has it already
  if (a.settings) settings_ = std::move(*a.settings);  // Setup's edits first: the rest sees them
  apply_eval(a);
  if (!a.copy.empty()) host_.copy_text(a.copy);
  if (!a.open_url.empty()) host_.open_url(a.open_url);
  bool fetched = false;  // entering or leaving the demo already fetched the new catalogue
  if (!a.setup_message.empty()) status_.prompt_message = a.setup_message;
  if (a.settings_changed) { rebuild_endpoints(); save_settings(); fetched = sync_demo_mode(); }
  if (a.refresh_catalogue && !fetched) fetch_catalogue();
  if (a.check_key) { rebuild_endpoints(); check_key(); }
  if (a.connect_openrouter) connect_openrouter();
  if (a.preset >= 0) {
    std::string ep = settings_.default_endpoint();
    ui_.requests.clear_new_endpoint = true;
    std::string msg = ApplyPreset(static_cast<Preset>(a.preset), catalogue_.models, ep, settings_);
    status_.prompt_message = msg;
    save_settings();
  }
  if (a.example >= 0) run_example(a.example);
  if (a.run) {
    std::string err = start_run(status_.prompt);
    status_.prompt_message = err;
  }
  if (a.follow_up) {
    const FusionRun& prev = engine_.run();
    const std::string q = a.follow_up_text;
    if (q.find_first_not_of(" \t\r\n") == std::string::npos) {
      status_.prompt_message = "The follow-up is empty: type a question first.";
    } else {
      // The same path as a first question, with the conversation so far.
      std::vector<ChatMessage> hist = prev.history;
      hist.push_back({"user", prev.config.prompt});
      hist.push_back({"assistant", prev.final_answer});
      status_.prompt_message = start_run(q, std::move(hist));
      if (status_.prompt_message.empty()) {
        set_prompt(q);
        ui_.requests.clear_follow_up = true;
      }
    }
  }
  if (a.cancel_run) engine_.cancel_run();
  if (a.cancel_member >= 0) engine_.cancel_member(static_cast<size_t>(a.cancel_member));
  if (a.retry_member >= 0) { engine_.retry_member(static_cast<size_t>(a.retry_member)); run_saved_ = false; }
  if (a.open_history >= 0 && a.open_history < static_cast<int>(history_.size())) {
    after_frame();
    if (engine_.busy()) engine_.cancel_run();
    engine_.load(history_[static_cast<size_t>(a.open_history)]);
    set_prompt(engine_.run().config.prompt);
    ui_.requests.reset_cards = true;
    run_saved_ = true;
  }
  if (a.delete_history >= 0 && a.delete_history < static_cast<int>(history_.size())) {
    deleted_ids_.push_back(history_[static_cast<size_t>(a.delete_history)].id);
    history_.erase(history_.begin() + a.delete_history);
    save_history();
  }
  const FusionRun& r = engine_.run();
  if (a.export_json && !r.members.empty()) host_.download("concord-" + r.id + ".json", "application/json", ExportRunJson(r));
  if (a.export_markdown && !r.members.empty()) host_.download("concord-" + r.id + ".md", "text/markdown", ExportRunMarkdown(r));
  if (a.export_csv && !r.members.empty()) {
    std::vector<std::string> names;
    for (auto& m : r.members) names.push_back(m.label + " " + m.model.model);
    host_.download("concord-" + r.id + "-stances.csv", "text/csv", StanceMatrixCsv(maps_.matrix, names));
  }
  if (a.import_json) host_.pick_file(".json,application/json");
  if (a.jump_member >= 0 && a.jump_member < static_cast<int>(r.members.size())) {
    auto range = FindQuote(r.members[static_cast<size_t>(a.jump_member)].result.content, a.jump_quote);
    ui_.requests.focus_member = a.jump_member;
    ui_.requests.narrow_tab = 3;  // the member's card is on the panel's tab
    ui_.requests.focus_begin = range.first;
    ui_.requests.focus_end = range.second;
  }
}

namespace {
bool EndsWith(const std::string& s, const std::string& ext) {
  return s.size() >= ext.size() && s.compare(s.size() - ext.size(), ext.size(), ext) == 0;
}
}  // namespace

void App::on_file(const std::string& name, const std::string& data) {
  // Eval question sets (JSONL, CSV, a JSON array of questions) go to eval mode; run exports
  // (JSON) to history.
  const bool run_export = data.find("\"concord.run\"") != std::string::npos;
  const bool questions = data.find("\"question\"") != std::string::npos;
  if (!run_export && (ui_.eval_open || questions || EndsWith(name, ".csv") || EndsWith(name, ".jsonl") || EndsWith(name, ".txt"))) {
    on_eval_file(name, data);
    return;
  }
  FusionRun r;
  std::string err = ImportRunJson(data, r);
  if (!err.empty()) { status_.history_message = "Could not import " + name + ": " + err; return; }
  if (r.id.empty()) r.id = "imported-" + std::to_string(history_.size());
  after_frame();
  if (engine_.busy()) engine_.cancel_run();
  engine_.load(r);
  auto it = std::find_if(history_.begin(), history_.end(), [&](const FusionRun& h) { return h.id == r.id; });
  if (it == history_.end()) history_.insert(history_.begin(), r);
  save_history();
  run_saved_ = true;
  set_prompt(r.config.prompt);
  status_.history_message = "Imported " + name + ".";
}

void App::on_file_refused(const std::string& name, double bytes) {
  char size[32];
  std::snprintf(size, sizeof size, bytes >= 1e9 ? "%.1f GB" : "%.0f MB", bytes >= 1e9 ? bytes / 1e9 : bytes / 1e6);
  const std::string m = "Could not open " + name + " (nothing was loaded): it is " + size + ", and Concord reads files of up to " +
                        std::to_string(static_cast<int>(kMaxPickedFileBytes / (1024 * 1024))) + " MB.";
  if (ui_.eval_open || EndsWith(name, ".csv") || EndsWith(name, ".jsonl") || EndsWith(name, ".txt")) set_eval_file_message(m, true);
  else status_.history_message = m;
}

// ---- [SECTION] frame layout ------------------------------------------------------------------------
void App::draw() {
  UiActions act;
  ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
  ImGui::Begin("Concord", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBackground |
                                       ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoSavedSettings);
  ImGui::PopStyleVar();
  const FusionRun& run = engine_.run();
  double now = run.stage == RunStage::Idle ? 0 : transport_.now() - run.t_start;

  // Top bar.
  ImGui::PushFont(ui_.fonts.heading);
  ImGui::TextUnformatted("Concord");
  ImGui::PopFont();
  // A phone or a narrow window gets one column with tabs (draw_narrow), short buttons, and, on
  // its first frame, the question rather than Setup.
  const bool narrow = vp->WorkSize.x < ui_.px(kNarrowWidth);
  if (!layout_chosen_) {
    layout_chosen_ = true;
    if (narrow) ui_.setup_open = false;
  }
  const float button_w = ui_.px(narrow ? 70 : 120);
  // What fits left of the two buttons: the demo label matters more than the tagline, which goes
  // first in a narrow window; the label is shortened last.
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float room = ImGui::GetContentRegionMax().x - 2 * button_w - ui_.px(8) - spacing -
                     (ImGui::GetItemRectMax().x - ImGui::GetWindowPos().x) - spacing;
  const char* tagline = "LLM fusion: a panel answers, a judge maps agreement and writes the final answer";
  const bool demo = settings_.using_demo();
  const char* label = "  ● Demo provider: scripted answers, not real models";
  if (demo && ImGui::CalcTextSize(label).x > room) label = "  ● Demo: not real models";
  const float label_w = demo ? ImGui::CalcTextSize(label).x + spacing : 0;
  if (ImGui::CalcTextSize(tagline).x + label_w <= room) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tagline);
  }
  if (demo) {
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Demo));
    ImGui::TextUnformatted(label);
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("No API key is set, so runs go to the local demo provider.\nConnect OpenRouter (or paste a key) in Setup to use real models.");
  }
  float right = ImGui::GetContentRegionMax().x;
  ImGui::SameLine(right - 2 * button_w - ui_.px(8));
  const char* eval_label = narrow ? (ui_.eval_open ? "Single" : "Eval") : (ui_.eval_open ? "Single question" : "Eval mode");
  if (ImGui::Button(eval_label, ImVec2(button_w, 0))) act.eval_toggle = true;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(ui_.eval_open ? "Back to asking one question" : "Check on a question set whether fusion beats each model alone, and at what cost");
  RecordRect(ui_, "toggle.eval");
  ImGui::SameLine();
  const char* setup_label = narrow ? (ui_.setup_open ? "Close" : "Setup") : (ui_.setup_open ? "Hide setup" : "Show setup");
  if (ImGui::Button(setup_label, ImVec2(button_w, 0))) ui_.setup_open = !ui_.setup_open;
  RecordRect(ui_, "toggle.setup");
  ImGui::Separator();
  if (narrow) {
    draw_narrow(run, now, act);
    ImGui::End();
    apply(act);
    return;
  }
  ui_.requests.narrow_tab = -1;  // asked for the one-column layout, which this frame is not

  ImVec2 avail = ImGui::GetContentRegionAvail();
  float gap = ImGui::GetStyle().ItemSpacing.x;
  float side_w = ui_.setup_open ? std::max(ui_.px(320), avail.x * 0.23f) : 0;
  float rest = avail.x - side_w - (ui_.setup_open ? gap : 0);
  float mid_w = std::floor(rest * 0.46f);
  float right_w = rest - mid_w - gap;

  if (ui_.setup_open) {
    draw_side(ImVec2(side_w, avail.y), act);
    ImGui::SameLine();
  }

  if (ui_.eval_open) {
    draw_eval(ImVec2(rest, avail.y), act);
    ImGui::End();
    apply(act);
    return;
  }
  ImGui::BeginChild("mid", ImVec2(mid_w, avail.y), false);
  DrawPrompt(ui_, status_, run, settings_, catalogue_.models, endpoints_, examples_.list, engine_.busy(), act);
  DrawCards(ui_, run, endpoints_, now, act);
  ImGui::EndChild();
  ImGui::SameLine();

  ImGui::BeginChild("right", ImVec2(right_w, avail.y), false);
  draw_summary(run, now);
  float judge_h = std::floor(ImGui::GetContentRegionAvail().y * 0.52f);
  BeginChildOnChildBg("judge", ImVec2(0, judge_h), true);
  DrawJudge(ui_, run, endpoints_, now, act);
  ImGui::EndChild();
  BeginChildOnChildBg("maps", ImVec2(0, 0), true);
  DrawMaps(ui_.maps, maps_, run, ui_, act);
  ImGui::EndChild();
  ImGui::EndChild();

  ImGui::End();
  apply(act);
}

// The parts both layouts draw.
void App::draw_side(ImVec2 size, UiActions& act) {
  ImGui::BeginChild("side", size, true);
  if (ImGui::BeginTabBar("sidetabs")) {
    if (ImGui::BeginTabItem("Setup")) {
      auto problems = ValidateSettings(settings_);
      DrawSetup(ui_, settings_, catalogue_, key_check_, oauth_, problems, act);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("History")) {
      DrawHistory(ui_, status_, history_, history_note_ + (history_note_.empty() ? "" : "\n") + UnreadableRunsNote(history_unreadable_), act);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ImGui::EndChild();
}

void App::draw_eval(ImVec2 size, UiActions& act) {
  ImGui::BeginChild("eval", size, false);
  DrawEval(ui_, status_, eval_, eval_sets(), eval_contestants(), eval_resting_extras(), settings_.using_demo(), eval_interrupted_, act);
  ImGui::EndChild();
}

void App::draw_summary(const FusionRun& run, double now) {
  DrawSummary(ui_, run, endpoints_, now);
  if (!history_note_.empty()) {  // e.g. storage full: the run is on screen but may not be kept
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
    ImGui::TextWrapped("%s", history_note_.c_str());
    ImGui::PopStyleColor();
    RecordRect(ui_, "history.note");
  }
  if (!link_notes_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
    ImGui::TextWrapped("%s", link_notes_.c_str());
    ImGui::PopStyleColor();
  }
}

// One column for a phone or a narrow window: Setup or eval mode take the whole width; a run is
// four tabs, and the answer's tab comes to the front when a run starts.
void App::draw_narrow(const FusionRun& run, double now, UiActions& act) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  if (ui_.setup_open) { draw_side(avail, act); return; }
  if (ui_.eval_open) { draw_eval(avail, act); return; }
  if (ImGui::BeginTabBar("narrowtabs")) {
    int i = 0;
    auto tab = [&](const char* name, const char* rect) {
      const bool open = ImGui::BeginTabItem(name, nullptr, ui_.requests.narrow_tab == i ? ImGuiTabItemFlags_SetSelected : 0);
      RecordRect(ui_, rect);
      ++i;
      return open;
    };
    if (tab("Question", "narrow.tab.question")) {
      ImGui::BeginChild("n.question", ImVec2(0, 0), false);
      DrawPrompt(ui_, status_, run, settings_, catalogue_.models, endpoints_, examples_.list, engine_.busy(), act);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (tab("Answer", "narrow.tab.answer")) {
      ImGui::BeginChild("n.answer", ImVec2(0, 0), false);
      draw_summary(run, now);
      BeginChildOnChildBg("judge", ImVec2(0, 0), true);
      DrawJudge(ui_, run, endpoints_, now, act);
      ImGui::EndChild();
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (tab("Maps", "narrow.tab.maps")) {
      BeginChildOnChildBg("maps", ImVec2(0, 0), true);
      DrawMaps(ui_.maps, maps_, run, ui_, act);
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    if (tab("Panel", "narrow.tab.panel")) {
      DrawCards(ui_, run, endpoints_, now, act);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  ui_.requests.narrow_tab = -1;
}

// ---- [SECTION] window API ----------------------------------------------------------------------------
// Every command's name and reply fields are kept as they are: benchmarks and outside
// automation depend on them. Read-only ones (state, rect, rects, settings, export) must not
// wake the render loop.
void App::register_commands(CommandTable& t) {
  register_eval_commands(t);
  t.add("state", true, [this](const json&) -> std::string {
    const FusionRun& r = engine_.run();
    json members = json::array();
    for (auto& m : r.members)
      members.push_back({{"label", m.label}, {"model", m.model.model}, {"endpoint", m.model.endpoint},
                         {"status", ToString(m.status)}, {"chars", m.result.content.size()},
                         {"text", m.result.content.substr(0, 4000)}, {"error", m.result.error.message},
                         {"error_id", m.result.error.id}, {"retries", m.retried_errors.size()}, {"late", m.late},
                         {"ttft", m.ttft()}, {"cost", m.cost}, {"usage_unreported", m.usage_unreported()}, {"citations", m.result.citations.size()},
                         {"finish_reason", m.result.finish_reason}, {"incomplete", IncompleteReason(m.result)}});
    json judges = json::array();
    for (auto& j : r.judge_calls)
      judges.push_back({{"model", j.model.model}, {"status", ToString(j.status)}, {"error", j.result.error.message}});
    json contestants = json::array();
    for (auto& x : r.contestants)
      contestants.push_back({{"model", x.model.model}, {"status", ToString(x.status)}, {"chars", x.result.content.size()},
                             {"cost", x.cost}, {"error", x.result.error.message}, {"incomplete", IncompleteReason(x.result)}});
    json out = {{"stage", ToString(r.stage)}, {"busy", engine_.busy()}, {"members", members}, {"judges", judges},
                {"contestants", contestants}, {"fusion_cost", r.fusion_cost()}, {"compare_model", settings_.compare_model},
                {"eval_sets", eval_sets_json()}, {"eval_open", ui_.eval_open},
                {"has_analysis", r.has_analysis}, {"final_answer", r.final_answer}, {"final_note", r.final_note},
                {"error", r.error}, {"warning", r.warning}, {"judged", r.judged_labels},
                {"demo", settings_.using_demo()}, {"history", history_.size()}, {"history_note", history_note_}, {"history_unreadable", history_unreadable_}, {"link_notes", link_notes_},
                {"message", status_.prompt_message}, {"catalogue", catalogue_.models.size()},
                {"catalogue_error", catalogue_.error}, {"key_check", key_check_.result},
                {"examples", examples_question_list(examples_.list)}, {"examples_error", examples_.error},
                {"demo_only_examples", status_.demo_only_examples}, {"notice", status_.prompt_notice},
                {"panel", ModelRefsToJson(settings_.panel)}, {"judge_model", settings_.judges.empty() ? "" : settings_.judges[0].model},
                {"search_mode", static_cast<int>(settings_.search)}, {"setup_open", ui_.setup_open}, {"demo_base", settings_.demo_base},
                {"oauth", oauth_.message}, {"oauth_id", oauth_.error_id}, {"oauth_ok", oauth_.ok},
                {"oauth_busy", oauth_.busy()}, {"openrouter_key_set", !settings_.openrouter_key.empty()},
                {"openrouter_base", settings_.openrouter_base},
                {"total_cost", r.total_cost()}, {"usage_unreported_calls", r.cost_unknown_calls()}, {"prompt", status_.prompt.substr(0, 2000)},
                {"prompt_chars", status_.prompt.size()}, {"prompt_wrapped_at", ui_.prompt.soft.size()},
                {"history_message", status_.history_message},
                {"consensus", r.judge_parse.analysis.consensus.size()},
                {"contradictions", r.judge_parse.analysis.contradictions.size()},
                {"minority", r.judge_parse.analysis.minority.size()}, {"analysis_note", r.analysis_note},
                {"writer_attempts", r.writer_attempts.size()}, {"merged_sources", MergeSources(r).size()},
                {"map_rows", maps_.matrix.rows.size()}, {"maps_tab", ui_.maps.tab}, {"focus_member", ui_.cards.focus_member},
                {"highlight", {ui_.cards.highlight_begin, ui_.cards.highlight_end}}, {"judge_tab", ui_.judge.tab},
                {"gl_heatmap", GetRenderHooks().heatmap != nullptr}, {"gl_heatmap_draws", GetRenderHooks().heatmap_draws}};
    return Dump(out);
  });
  t.add("configure", false, [this](const json& cmd) -> std::string {
    // Test and automation hook: panel/judge model ids (demo endpoint unless given) and options.
    // openrouter_base may only point at loopback (the simulator) or back at the default.
    if (Get(cmd, "openrouter_base")) {
      std::string b = GetStr(cmd, "openrouter_base");
      if (!IsLoopbackHttpUrl(b) && b != Settings().openrouter_base)
        return R"({"ok":false,"error":"openrouter_base must be a loopback http(s) URL or the default"})";
      settings_.openrouter_base = b;
    }
    std::string ep = GetStr(cmd, "endpoint", settings_.default_endpoint());
    if (Get(cmd, "demo_base")) settings_.demo_base = GetStr(cmd, "demo_base");
    // A model is an id, or an object {model, temperature?, max_tokens?, effort?} (ModelRef JSON).
    auto models = [&](const char* key, std::vector<ModelRef>& list) {
      if (!Get(cmd, key)) return;
      list.clear();
      for (auto& m : GetArr(cmd, key)) {
        if (m.is_string()) list.push_back({ep, m.get<std::string>()});
        else if (m.is_object()) {
          ModelRef r = ModelRefFromJson(m);
          if (r.endpoint.empty()) r.endpoint = ep;
          if (!r.model.empty()) list.push_back(std::move(r));
        }
      }
    };
    models("panel", settings_.panel);
    models("judges", settings_.judges);
    models("writers", settings_.writers);
    if (Get(cmd, "compare_model")) settings_.compare_model = GetStr(cmd, "compare_model");
    settings_.force_demo = GetBool(cmd, "force_demo", settings_.force_demo);
    if (Get(cmd, "search_excluded_domains")) settings_.search_excluded_domains = GetStr(cmd, "search_excluded_domains");
    settings_.quorum = static_cast<int>(GetInt(cmd, "quorum", settings_.quorum));
    settings_.quorum_deadline_s = GetNum(cmd, "quorum_deadline_s", settings_.quorum_deadline_s);
    settings_.idle_timeout_s = GetNum(cmd, "idle_timeout_s", settings_.idle_timeout_s);
    settings_.total_timeout_s = GetNum(cmd, "total_timeout_s", settings_.total_timeout_s);
    settings_.two_phase_judge = GetBool(cmd, "two_phase_judge", settings_.two_phase_judge);
    settings_.max_retries = static_cast<int>(GetInt(cmd, "max_retries", settings_.max_retries));
    if (Get(cmd, "search")) settings_.search = static_cast<WebSearchMode>(std::clamp<int64_t>(GetInt(cmd, "search"), 0, 3));
    if (Get(cmd, "search_url")) settings_.search_url = GetStr(cmd, "search_url");
    rebuild_endpoints();
    save_settings();
    if (GetBool(cmd, "refresh_catalogue")) fetch_catalogue();
    return R"({"ok":true})";
  });
  t.add("run", false, [this](const json& cmd) -> std::string {
    if (Get(cmd, "prompt")) set_prompt(GetStr(cmd, "prompt"));
    std::string err = start_run(status_.prompt);
    status_.prompt_message = err;
    return Dump({{"ok", err.empty()}, {"error", err}});
  });
  t.add("example", false, [this](const json& cmd) -> std::string {  // runs gallery example i as a click on its chip does
    const int i = static_cast<int>(GetInt(cmd, "i", -1));
    if (i < 0 || i >= static_cast<int>(examples_.list.size())) return R"({"ok":false,"error":"no such example"})";
    run_example(i);
    return Dump({{"ok", status_.prompt_message.empty()}, {"error", status_.prompt_message}});
  });
  t.add("cancel", false, [this](const json&) -> std::string { engine_.cancel_run(); return R"({"ok":true})"; });
  t.add("cancel_member", false, [this](const json& cmd) -> std::string { engine_.cancel_member(static_cast<size_t>(GetInt(cmd, "i"))); return R"({"ok":true})"; });
  t.add("retry_member", false, [this](const json& cmd) -> std::string { engine_.retry_member(static_cast<size_t>(GetInt(cmd, "i"))); run_saved_ = false; return R"({"ok":true})"; });
  t.add("rect", true, [this](const json& cmd) -> std::string {
    auto it = ui_.rects.find(GetStr(cmd, "name"));
    if (it == ui_.rects.end()) return R"({"error":"no such widget"})";
    float s = ui_.scale;  // device pixels -> CSS pixels
    return Dump({{"x", it->second.x / s}, {"y", it->second.y / s}, {"w", (it->second.z - it->second.x) / s},
                 {"h", (it->second.w - it->second.y) / s}});
  });
  t.add("rects", true, [this](const json&) -> std::string {
    json names = json::array();
    for (auto& [k, v] : ui_.rects) names.push_back(k);
    return Dump(names);
  });
  t.add("export", true, [this](const json&) -> std::string { return Dump({{"json", ExportRunJson(engine_.run())}, {"markdown", ExportRunMarkdown(engine_.run())}}); });
  t.add("import", false, [this](const json& cmd) -> std::string { on_file("api.json", GetStr(cmd, "text")); return Dump({{"message", status_.history_message}}); });
  t.add("open_history", false, [this](const json& cmd) -> std::string {
    UiActions a;
    a.open_history = static_cast<int>(GetInt(cmd, "i"));
    apply(a);
    return R"({"ok":true})";
  });
  t.add("settings", true, [this](const json&) -> std::string { return SettingsToJson(settings_); });
}

std::string App::api(const std::string& cmd_text) {
  if (!commands_ready_) {
    register_commands(commands_);
    commands_ready_ = true;
  }
  return commands_.dispatch(cmd_text).text;
}

}  // namespace concord
