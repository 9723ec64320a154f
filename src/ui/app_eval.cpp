// The App's eval mode: the sets on offer (built-in and loaded), the contestants from Setup,
// starting with a confirmed estimate, saving progress after every finished answer so a reload
// resumes without asking anything twice, exports, and the eval window-API commands.
#include <algorithm>
#include <cstdio>

#include "app.h"
#include "estimate.h"
#include "jsonutil.h"
#include "url.h"

namespace concord {
namespace {
const char* kEvalKey = "concord.eval";  // localStorage: the eval's plan and stage (no keys)
// localStorage: the eval's finished answers, one per key (<prefix>0, 1, ...), in the order they
// were saved: saving one more costs that answer, not the whole eval (a 924-answer eval took
// ~100 ms per save in one key, on the page thread, after every answer).
const std::string kEvalPartKey = "concord.eval.part.";
// localStorage: the id of the eval whose progress the keys above hold. A tab that starts an eval
// takes it; a tab whose eval it no longer names stops saving, so two tabs never write the same
// part keys.
const char* kEvalOwnerKey = "concord.eval.owner";
const char* kExtrasKey = "concord.eval.extras";  // localStorage: contestants the user added (no keys)
constexpr size_t kMaxExtras = 8;
constexpr double kEvalUrlTimeoutS = 30;

// The user switched this contestant off in the eval's setup (read without touching the view).
bool EvalOff(const EvalView& v, const std::string& id) {
  auto it = v.off.find(id);
  return it != v.off.end() && it->second;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string o = "\"";
  for (char c : s) { if (c == '"') o += '"'; o += c; }
  return o + "\"";
}
}  // namespace

std::vector<const EvalSet*> App::eval_sets() const {
  std::vector<const EvalSet*> v;
  for (auto& s : BuiltinEvalSets()) v.push_back(&s);
  for (auto& s : user_sets_) v.push_back(&s);
  return v;
}

json App::eval_sets_json() const {
  json a = json::array();
  for (auto* s : eval_sets()) a.push_back({{"id", s->id}, {"name", s->name}, {"items", s->items.size()}});
  return a;
}

namespace {
bool SameFusion(const RunConfig& a, const RunConfig& b) { return a.panel == b.panel && a.judges == b.judges && a.writers == b.writers; }
}  // namespace

std::vector<EvalContestant> App::eval_contestants() const {
  const RunConfig live = BuildRunConfig(settings_, "");
  std::vector<EvalContestant> cs = DefaultContestants(live);
  for (auto& x : eval_extras_) {
    // A kept configuration that Setup is again right now runs once, as the fusion.
    if (x.kind == EvalContestant::Kind::Fusion && SameFusion(x.config, live)) continue;
    if (std::none_of(cs.begin(), cs.end(), [&](const EvalContestant& c) { return c.id == x.id; })) cs.push_back(x);
  }
  return cs;
}

std::vector<std::pair<std::string, std::string>> App::eval_resting_extras() const {
  const RunConfig live = BuildRunConfig(settings_, "");
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& x : eval_extras_)
    if (x.kind == EvalContestant::Kind::Fusion && SameFusion(x.config, live)) out.push_back({x.id, x.label});
  return out;
}

void App::eval_save_extras() { host_.storage_set(true, kExtrasKey, ContestantsToJson(eval_extras_)); }

std::string App::eval_add_model(const std::string& model) {
  if (model.empty()) return "No model given.";
  if (eval_extras_.size() >= kMaxExtras) return "At most 8 added contestants: remove one first.";
  if (!catalogue_.models.empty() &&
      std::none_of(catalogue_.models.begin(), catalogue_.models.end(), [&](const ModelInfo& m) { return m.id == model; }))
    return "\"" + model + "\" is not in the model catalogue: check the id (Setup's model list has them all).";
  rebuild_endpoints();
  const std::string ep = settings_.default_endpoint();
  const std::string id = "extra:single:" + ep + ":" + model;
  for (auto& c : eval_contestants())
    if (c.id == id || (c.kind == EvalContestant::Kind::Single && c.config.panel[0].model == model && c.config.panel[0].endpoint == ep))
      return model + " alone is already a contestant.";
  eval_extras_.push_back(SingleContestant(BuildRunConfig(settings_, ""), {ep, model, -1}, id, model + " alone"));
  eval_save_extras();
  ui_.requests.eval_confirm_done = true;
  return "Added " + model + " alone.";
}

std::string App::eval_add_fusion(int which) {
  if (eval_extras_.size() >= kMaxExtras) return "At most 8 added contestants: remove one first.";
  Settings s = settings_;
  std::string label, note;
  if (which > 0) {
    static const char* kNames[] = {"Budget", "Quality", "Fast", "Self", "Demo"};
    if (which > 5) return "No such preset.";
    s.preset.clear();  // ApplyPreset names the preset only when it applied it
    note = ApplyPreset(static_cast<Preset>(which - 1), catalogue_.models, settings_.default_endpoint(), s);
    if (s.preset.empty()) return note;
    label = std::string(kNames[which - 1]) + " preset fusion";
  }
  RunConfig cfg = BuildRunConfig(s, "");
  if (cfg.panel.empty() || cfg.judges.empty()) return "That configuration needs a panel and a judge.";
  if (label.empty()) label = FusionLabel(cfg) + " → " + cfg.judges[0].model.substr(cfg.judges[0].model.rfind('/') + 1);
  // The id names the configuration, so the same one cannot be added twice.
  std::string id = "extra:fusion:";
  for (auto& m : cfg.panel) id += m.endpoint + "/" + m.model + "@" + std::to_string(m.temperature) + ",";
  id += ">" + cfg.judges[0].model;
  for (auto& w : cfg.writers) id += ">" + w.model;
  for (auto& c : eval_extras_) if (c.id == id) return label + " is already a contestant.";
  eval_extras_.push_back(FusionContestant(cfg, id, label));
  eval_save_extras();
  ui_.requests.eval_confirm_done = true;
  const bool resting = SameFusion(cfg, BuildRunConfig(settings_, ""));
  return "Added " + label + "." + (note.empty() ? "" : " " + note) +
         (resting ? " It is Setup as it is now, so it runs once, as Concord fusion, until you change Setup." : "");
}

std::string App::start_eval(const EvalSet& set, int limit, const std::vector<std::string>& only_ids, double budget, int concurrency) {
  if (engine_.busy()) return "A run is in progress: let it finish or cancel it first.";
  EvalPlan p;
  p.set.id = set.id;
  p.set.name = set.name;
  const size_t n = std::min(set.items.size(), static_cast<size_t>(std::max(1, limit)));
  p.set.items.assign(set.items.begin(), set.items.begin() + static_cast<long>(n));
  for (auto& c : eval_contestants()) {
    const bool wanted = only_ids.empty() ? !EvalOff(ui_.eval, c.id) : std::find(only_ids.begin(), only_ids.end(), c.id) != only_ids.end();
    if (wanted) p.contestants.push_back(c);
  }
  // A vote needs its voters: drop it when one of them is off.
  p.contestants.erase(std::remove_if(p.contestants.begin(), p.contestants.end(), [&](const EvalContestant& c) {
                        if (c.kind != EvalContestant::Kind::Vote) return false;
                        for (auto& v : c.voters)
                          if (std::none_of(p.contestants.begin(), p.contestants.end(), [&](const EvalContestant& x) { return x.id == v; })) return true;
                        return false;
                      }), p.contestants.end());
  p.budget_usd = budget;
  p.concurrency = concurrency;
  rebuild_endpoints();
  eval_.set_endpoints(endpoints_);
  eval_.set_catalogue(catalogue_.models);
  const std::string err = eval_.start(p);
  if (err.empty()) {
    eval_interrupted_ = false;
    eval_saved_done_ = -1;
    eval_save(true);
  }
  return err;
}

void App::eval_confirm() {
  const EvalView& v = ui_.eval;  // read only: the plan the user set up
  const auto sets = eval_sets();
  if (v.set < 0 || v.set >= static_cast<int>(sets.size())) return;
  const EvalSet& set = *sets[static_cast<size_t>(v.set)];
  const size_t n = std::min(set.items.size(), static_cast<size_t>(std::max(1, v.limit)));
  rebuild_endpoints();
  RunEstimate total;
  for (auto& c : eval_contestants()) {
    if (EvalOff(v, c.id) || c.kind == EvalContestant::Kind::Vote) continue;
    for (size_t i = 0; i < n; ++i) {
      RunConfig cfg = c.config;
      cfg.prompt = EvalPrompt(set.items[i]);
      const RunEstimate e = EstimateRun(cfg, catalogue_.models, endpoints_);
      total.cost += e.cost;
      total.calls += e.calls;
      for (auto& u : e.unpriced)
        if (std::find(total.unpriced.begin(), total.unpriced.end(), u) == total.unpriced.end()) total.unpriced.push_back(u);
    }
  }
  // Rubric items add one grader call per answering contestant (priced like any call).
  const ModelRef grader = settings_.judges.empty() ? ModelRef() : settings_.judges[0];
  for (size_t i = 0; i < n && !grader.model.empty(); ++i) {
    if (set.items[i].grade != GradeKind::Rubric) continue;
    RunConfig g;
    g.panel = {grader};
    g.panel_only = true;
    g.prompt = set.items[i].question;
    for (auto& c : eval_contestants()) {
      if (EvalOff(v, c.id) || c.kind == EvalContestant::Kind::Vote) continue;
      const RunEstimate e = EstimateRun(g, catalogue_.models, endpoints_);
      total.cost += e.cost;
      total.calls += e.calls;
    }
  }
  ViewRequests& rq = ui_.requests;
  rq.eval_estimate = true;
  rq.eval_confirm_done = false;
  rq.eval_calls = total.calls;
  rq.eval_cost = settings_.using_demo() ? 0 : total.cost;
  rq.eval_unpriced.clear();
  if (!settings_.using_demo())
    for (auto& u : total.unpriced) rq.eval_unpriced += (rq.eval_unpriced.empty() ? "" : ", ") + u;
  if (settings_.using_demo()) rq.eval_unpriced = "the demo is free: its costs are scripted";
}

// Saves what changed since the last save: each answer finished since, as a part of its own,
// and the plan when the stage changed. Fresh (a new eval, or an older save in one key): a new
// id, the old parts removed, every finished answer, then the plan last, so that a tab closed in
// between still has the old plan (which ignores parts of another id).
void App::eval_save(bool fresh) {
  const auto& ts = eval_.tasks();
  if (ts.empty()) return;
  const bool new_id = fresh || eval_saved_id_.empty();
  if (new_id) {
    static int serial = 0;
    eval_saved_id_ = std::to_string(static_cast<long long>(host_.unix_now() * 1000)) + "-" + std::to_string(++serial);
    host_.storage_set(true, kEvalOwnerKey, eval_saved_id_);
    eval_saved_elsewhere_ = false;
    for (int n = 0; !host_.storage_get(true, kEvalPartKey + std::to_string(n)).empty(); ++n) host_.storage_remove(true, kEvalPartKey + std::to_string(n));
    eval_saved_parts_ = 0;
    eval_saved_status_.assign(ts.size(), EvalTask::Status::Pending);
  } else if (eval_saved_elsewhere_ || host_.storage_get(true, kEvalOwnerKey) != eval_saved_id_) {
    if (!eval_saved_elsewhere_)
      status_.eval_message = "Another tab started an eval, and its progress is the one saved now: this eval goes on here, "
                             "but a reload will not resume it. Export the results to keep them.";
    eval_saved_elsewhere_ = true;
    eval_saved_done_ = eval_.done_count();
    return;
  }
  eval_saved_status_.resize(ts.size(), EvalTask::Status::Pending);
  bool ok = true;
  for (size_t i = 0; i < ts.size() && ok; ++i) {
    if (eval_saved_status_[i] == ts[i].status) continue;
    const std::string part = eval_.task_json(i, eval_saved_id_);
    if (part.empty()) {  // not finished (again, when retried): its next end is saved anew
      eval_saved_status_[i] = ts[i].status;
      continue;
    }
    ok = host_.storage_set(true, kEvalPartKey + std::to_string(eval_saved_parts_), part);
    if (ok) { ++eval_saved_parts_; eval_saved_status_[i] = ts[i].status; }
  }
  if (ok && (new_id || eval_saved_stage_ != ToString(eval_.stage()))) {
    ok = host_.storage_set(true, kEvalKey, eval_.plan_json(eval_saved_id_));
    if (ok) eval_saved_stage_ = ToString(eval_.stage());
  }
  if (!ok) status_.eval_message = "The eval's progress could not be saved: browser storage is full. Export the results to keep them.";
  eval_saved_done_ = eval_.done_count();
}

// Asks the failed answers again. Saved at once, so that one failing again (maybe before the
// next frame's save) is saved with its new error.
std::string App::eval_retry() {
  const std::string err = eval_.retry_failed();
  eval_save();
  return err;
}

void App::eval_load_saved() {
  eval_extras_ = ContestantsFromJson(host_.storage_get(true, kExtrasKey));
  eval_extras_.erase(std::remove_if(eval_extras_.begin(), eval_extras_.end(), [](const EvalContestant& c) {
                       return c.id.rfind("extra:", 0) != 0 || c.kind == EvalContestant::Kind::Vote || c.config.panel.empty();
                     }), eval_extras_.end());
  if (eval_extras_.size() > kMaxExtras) eval_extras_.resize(kMaxExtras);
  const std::string saved = host_.storage_get(true, kEvalKey);
  if (saved.empty()) return;
  json j = ParseJson(saved);
  eval_interrupted_ = GetStr(j, "stage") == "running";
  if (eval_interrupted_) ui_.eval_open = true;  // the page opens where the user left it, with Resume
}

std::string App::eval_resume() {
  EvalPlan p;
  std::vector<EvalTask> tasks;
  std::vector<std::string> parts;
  for (int n = 0;; ++n) {
    std::string part = host_.storage_get(true, kEvalPartKey + std::to_string(n));
    if (part.empty()) break;
    parts.push_back(std::move(part));
  }
  const std::string plan_text = host_.storage_get(true, kEvalKey);
  const std::string err = EvalRunner::LoadParts(plan_text, parts, p, tasks);
  if (!err.empty()) return err;
  rebuild_endpoints();
  eval_.set_endpoints(endpoints_);
  eval_.set_catalogue(catalogue_.models);
  const std::string e2 = eval_.start(p, tasks);
  if (!e2.empty()) return e2;
  eval_interrupted_ = false;
  ui_.eval_open = true;
  // What is saved stays as it is (its finished answers are the runner's finished tasks now);
  // an older save in one key is rewritten in parts.
  const json saved = ParseJson(plan_text);
  eval_saved_id_ = GetStr(saved, "id");
  if (!eval_saved_id_.empty()) host_.storage_set(true, kEvalOwnerKey, eval_saved_id_);  // this tab saves it now
  eval_saved_elsewhere_ = false;
  eval_saved_stage_ = GetStr(saved, "stage");
  eval_saved_parts_ = static_cast<int>(parts.size());
  eval_saved_status_.clear();
  for (auto& t : eval_.tasks())
    eval_saved_status_.push_back(t.status == EvalTask::Status::Done || t.status == EvalTask::Status::Failed ? t.status : EvalTask::Status::Pending);
  eval_save(eval_saved_id_.empty());
  return e2;
}

std::string App::eval_csv() const {
  std::string out = "contestant,label,item,kind,status,correct,score,cost_usd,latency_s,calls,panel_right,extracted,detail,error,incomplete\n";
  for (auto& t : eval_.tasks()) {
    const EvalContestant* c = nullptr;
    for (auto& x : eval_.plan().contestants) if (x.id == t.contestant) c = &x;
    const EvalItem* it = nullptr;
    for (auto& x : eval_.plan().set.items) if (x.id == t.item) it = &x;
    std::string panel;  // a fusion: right answers among its panel's graded ones ("1/3")
    int graded = 0, right = 0;
    for (int m : t.member_correct) { graded += m >= 0; right += m == 1; }
    if (graded) panel = std::to_string(right) + "/" + std::to_string(graded);
    char nums[128];
    std::snprintf(nums, sizeof nums, "%d,%.3f,%.6f,%.3f,%d", t.grade.correct ? 1 : 0, t.grade.score, t.cost, t.latency_s, t.calls);
    out += CsvField(t.contestant) + "," + CsvField(c ? c->label : "") + "," + CsvField(t.item) + "," + CsvField(it ? it->kind : "") + "," +
           ToString(t.status) + "," + nums + "," + panel + "," + CsvField(t.grade.extracted) + "," + CsvField(t.grade.detail) + "," + CsvField(t.error) + "," + CsvField(t.incomplete) + "\n";
  }
  return out;
}

json App::eval_summaries_json() const {
  json sums = json::array();
  for (auto& s : eval_.summaries())
    sums.push_back({{"id", s.contestant}, {"label", s.label}, {"done", s.done}, {"correct", s.correct}, {"failed", s.failed},
                    {"total", s.total}, {"accuracy", s.accuracy()}, {"ci_lo", s.ci.lo}, {"ci_hi", s.ci.hi}, {"cost", s.cost},
                    {"cost_per_item", s.cost_per_item}, {"calls_without_usage", s.cost_unreported}, {"incomplete_answers", s.incomplete}, {"median_latency_s", s.median_latency_s}, {"score_sum", s.score_sum}});
  return sums;
}

std::string App::eval_json() const {
  json out = ParseJson(eval_.save_json());
  out["summaries"] = eval_summaries_json();
  out["scripted_demo"] = settings_.using_demo();
  return Dump(out, 1);
}

void App::set_eval_file_message(const std::string& m, bool failed) {
  status_.eval_file_message = m;
  status_.eval_file_failed = failed;
}

void App::on_eval_file(const std::string& name, const std::string& data) {
  EvalSet s;
  std::vector<EvalFileError> errs;
  if (!ParseEvalFile(data, "file:" + name, s, errs)) {
    std::string m = "Could not load " + name + " (nothing was loaded):";
    for (auto& e : errs) m += "\n" + (e.line > 0 ? "line " + std::to_string(e.line) + ": " : std::string()) + e.message;
    set_eval_file_message(m, true);
    return;
  }
  s.name = name;
  user_sets_.erase(std::remove_if(user_sets_.begin(), user_sets_.end(), [&](const EvalSet& x) { return x.id == s.id; }), user_sets_.end());
  user_sets_.push_back(std::move(s));
  ui_.requests.eval_set = static_cast<int>(BuiltinEvalSets().size() + user_sets_.size() - 1);
  ui_.requests.eval_limit = static_cast<int>(user_sets_.back().items.size());
  const size_t n = user_sets_.back().items.size();
  set_eval_file_message("Loaded " + name + ": " + std::to_string(n) + (n == 1 ? " question" : " questions") +
                            (user_sets_.back().note.empty() ? "." : " (" + user_sets_.back().note + ")."), false);
  ui_.requests.eval_confirm_done = true;
}

void App::on_eval_url_done() {
  if (eval_url_.failure() != NetFailure::None) {
    set_eval_file_message("Could not fetch " + eval_url_name_ + ": " + NetError(eval_url_.failure(), eval_url_name_, eval_url_.message()).message, true);
  } else if (!eval_url_.ok()) {
    set_eval_file_message("Could not fetch " + eval_url_name_ + ": " + ParseHttpError(eval_url_.status(), {}, eval_url_.body()).message, true);
  } else {
    on_eval_file(eval_url_name_, eval_url_.body());
  }
  eval_url_.clear_body();
}

void App::apply_eval(UiActions& a) {
  const EvalView& v = ui_.eval;  // read only: the plan the user set up
  if (a.eval_toggle) ui_.eval_open = !ui_.eval_open;
  if (a.eval_confirm) eval_confirm();
  if (a.eval_start) {
    const auto sets = eval_sets();
    if (v.set >= 0 && v.set < static_cast<int>(sets.size())) {
      const std::string err = start_eval(*sets[static_cast<size_t>(v.set)], v.limit, {}, v.budget, v.concurrency);
      status_.eval_message = err;
    }
    ui_.requests.eval_confirm_done = true;
  }
  if (!a.eval_add_model.empty()) status_.eval_message = eval_add_model(a.eval_add_model);
  if (a.eval_add_fusion >= 0) status_.eval_message = eval_add_fusion(a.eval_add_fusion);
  if (!a.eval_remove.empty()) {
    eval_extras_.erase(std::remove_if(eval_extras_.begin(), eval_extras_.end(), [&](const EvalContestant& c) { return c.id == a.eval_remove; }),
                       eval_extras_.end());
    eval_save_extras();
    ui_.requests.eval_confirm_done = true;
  }
  if (a.eval_cancel) { eval_.cancel(); eval_save(); }
  if (a.eval_retry) status_.eval_message = eval_retry();
  if (a.eval_resume) status_.eval_message = eval_resume();
  if (a.eval_export_csv) host_.download("concord-eval.csv", "text/csv", eval_csv());
  if (a.eval_export_json) host_.download("concord-eval.json", "application/json", eval_json());
  if (a.eval_load_file) host_.pick_file(".jsonl,.csv,.json,.txt");
  if (!a.eval_load_url.empty()) {
    if (!IsHttpUrl(a.eval_load_url)) {
      set_eval_file_message("\"" + a.eval_load_url + "\" is not an http(s) URL.", true);
    } else {
      HttpRequest req;
      req.method = "GET";
      req.url = a.eval_load_url;
      // The set is named (and saved, and exported) by the URL without its query and fragment:
      // a private file's ?token=… is used for this download and kept nowhere.
      eval_url_name_ = a.eval_load_url.substr(0, a.eval_load_url.find_first_of("?#"));
      eval_url_.send(transport_, req, kEvalUrlTimeoutS);
      set_eval_file_message("Fetching " + eval_url_name_ + "…", false);
    }
  }
}

void App::register_eval_commands(CommandTable& t) {
  // {cmd:'eval_run', set:'builtin:mixed' | a loaded file's id, limit:N, contestants:[ids], budget, concurrency}
  // Automation starts at once (the page's own button asks for confirmation first).
  t.add("eval_run", false, [this](const json& cmd) -> std::string {
    const std::string id = GetStr(cmd, "set", "builtin:mixed");
    const EvalSet* set = nullptr;
    for (auto* s : eval_sets()) if (s->id == id || s->id == "builtin:" + id) set = s;
    if (!set) return Dump({{"ok", false}, {"error", "no such set: " + id}});
    std::vector<std::string> ids;
    for (auto& c : GetArr(cmd, "contestants")) if (c.is_string()) ids.push_back(c.get<std::string>());
    ui_.eval_open = true;
    const std::string err = start_eval(*set, static_cast<int>(GetInt(cmd, "limit", 20)), ids, GetNum(cmd, "budget", 0),
                                       static_cast<int>(GetInt(cmd, "concurrency", 4)));
    return Dump({{"ok", err.empty()}, {"error", err}});
  });
  t.add("eval_state", true, [this](const json&) -> std::string {
    const json sums = eval_summaries_json();
    json available = json::array();  // who an eval started now would have (id, label, on)
    for (auto& c : eval_contestants())
      available.push_back({{"id", c.id}, {"label", c.label}, {"on", !EvalOff(ui_.eval, c.id)},
                           {"added", c.id.rfind("extra:", 0) == 0}});
    return Dump({{"stage", ToString(eval_.stage())}, {"busy", eval_.busy()}, {"done", eval_.done_count()},
                 {"total", eval_.tasks().size()}, {"spent", eval_.spent()}, {"eta_s", eval_.eta_s()},
                 {"in_flight", eval_.in_flight()}, {"stop_reason", eval_.stop_reason()}, {"interrupted", eval_interrupted_},
                 {"set", eval_.plan().set.id}, {"contestants", sums}, {"message", status_.eval_message}, {"file_message", status_.eval_file_message}, {"open", ui_.eval_open},
                 {"available", available}, {"selected", {ui_.eval.sel_item, ui_.eval.sel_contestant}}});
  });
  t.add("eval_export", true, [this](const json&) -> std::string { return Dump({{"csv", eval_csv()}, {"json", eval_json()}}); });
  t.add("eval_cancel", false, [this](const json&) -> std::string { eval_.cancel(); eval_save(); return R"({"ok":true})"; });
  t.add("eval_resume", false, [this](const json&) -> std::string {
    const std::string err = eval_resume();
    return Dump({{"ok", err.empty()}, {"error", err}});
  });
  t.add("eval_retry", false, [this](const json&) -> std::string {
    const std::string err = eval_retry();
    return Dump({{"ok", err.empty()}, {"error", err}});
  });
  t.add("eval_load", false, [this](const json& cmd) -> std::string {  // a file's text, as if picked
    on_eval_file(GetStr(cmd, "name", "api.jsonl"), GetStr(cmd, "text"));
    return Dump({{"message", status_.eval_file_message}});
  });
  // {cmd:'eval_add', model:'id'} | {cmd:'eval_add', preset:'setup'|'budget'|'quality'|'fast'|'self'|'demo'}
  t.add("eval_add", false, [this](const json& cmd) -> std::string {
    std::string msg;
    if (!GetStr(cmd, "model").empty()) {
      msg = eval_add_model(GetStr(cmd, "model"));
    } else {
      static const char* kWhich[] = {"setup", "budget", "quality", "fast", "self", "demo"};
      const std::string p = GetStr(cmd, "preset", "setup");
      int which = -1;
      for (int i = 0; i < 6; ++i) if (p == kWhich[i]) which = i;
      msg = which < 0 ? "no such preset: " + p : eval_add_fusion(which);
    }
    status_.eval_message = msg;
    return Dump({{"ok", msg.rfind("Added", 0) == 0}, {"message", msg}});
  });
  t.add("eval_remove", false, [this](const json& cmd) -> std::string {
    UiActions a;
    a.eval_remove = GetStr(cmd, "id");
    const size_t before = eval_extras_.size();
    apply_eval(a);
    return Dump({{"ok", eval_extras_.size() < before}});
  });
  t.add("eval_open", false, [this](const json& cmd) -> std::string { ui_.eval_open = GetBool(cmd, "open", true); return R"({"ok":true})"; });
}

}  // namespace concord
