// Eval runner (see eval_run.h).
//
// Index of this file:
// [SECTION] contestants and names
// [SECTION] start, resume, retry
// [SECTION] events, time and launches
// [SECTION] finishing a task: grading and votes
// [SECTION] summaries
// [SECTION] saved progress
#include "eval_run.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "jsonutil.h"
#include "model_json.h"

namespace concord {

// ---- [SECTION] contestants and names ----------------------------------------------------------
const char* ToString(EvalTask::Status s) {
  switch (s) {
    case EvalTask::Status::Pending: return "pending";
    case EvalTask::Status::Running: return "running";
    case EvalTask::Status::Grading: return "grading";
    case EvalTask::Status::Done: return "done";
    case EvalTask::Status::Failed: return "failed";
  }
  return "?";
}
const char* ToString(EvalStage s) {
  switch (s) {
    case EvalStage::Idle: return "idle";
    case EvalStage::Running: return "running";
    case EvalStage::Done: return "done";
    case EvalStage::StoppedBudget: return "stopped: budget reached";
    case EvalStage::Cancelled: return "cancelled";
  }
  return "?";
}

namespace {
constexpr const char* kEvalSystem =
    "Answer the question. Think it through briefly if you need to, then end with the answer line "
    "the question asks for.";
// The answer key, for the scripted demo provider only (BuildChatRequest never sends it to a
// real endpoint): the demo answers right or wrong by its scripted accuracy profiles.
std::string DemoHint(const EvalItem& it, const std::string& contestant) {
  std::string answer = it.answer;
  if (it.grade == GradeKind::Number) { char b[40]; std::snprintf(b, sizeof b, "%.10g", it.number); answer = b; }
  return Dump({{"eval", {{"id", it.id}, {"contestant", contestant}, {"grade", ToString(it.grade)}, {"answer", answer},
                         {"choices", it.choices.size()}}}});
}
EvalTask Fresh(const EvalTask& t) {
  EvalTask f;
  f.contestant = t.contestant;
  f.item = t.item;
  return f;
}
RunConfig SingleConfig(const RunConfig& base, const ModelRef& m) {
  RunConfig c;
  c.panel = {m};
  c.panel_only = true;
  c.custom_member_system = true;
  c.member_system = kEvalSystem;
  c.search = base.search;
  c.search_max_results = base.search_max_results;
  c.search_excluded_domains = base.search_excluded_domains;
  c.max_tokens = base.max_tokens;
  c.idle_timeout_s = base.idle_timeout_s;
  c.total_timeout_s = base.total_timeout_s;
  c.max_retries = base.max_retries;
  return c;
}
}  // namespace

EvalContestant SingleContestant(const RunConfig& base, const ModelRef& m, std::string id, std::string label) {
  EvalContestant c;
  c.id = std::move(id);
  c.label = std::move(label);
  c.kind = EvalContestant::Kind::Single;
  c.config = SingleConfig(base, m);
  return c;
}

EvalContestant FusionContestant(const RunConfig& cfg, std::string id, std::string label) {
  EvalContestant f;
  f.id = std::move(id);
  f.label = std::move(label);
  f.kind = EvalContestant::Kind::Fusion;
  f.config = cfg;
  f.config.contestants.clear();  // a comparison router is not part of the fusion
  f.config.custom_member_system = false;
  f.config.prompt.clear();
  return f;
}

std::string FusionLabel(const RunConfig& cfg) {
  std::string out = "fusion of ";
  for (size_t i = 0; i < cfg.panel.size(); ++i) {
    const std::string& m = cfg.panel[i].model;
    const size_t slash = m.rfind('/');
    out += (i ? ", " : "") + (slash == std::string::npos ? m : m.substr(slash + 1));
  }
  return out;
}

std::vector<EvalContestant> DefaultContestants(const RunConfig& fusion) {
  std::vector<EvalContestant> out;
  std::vector<std::string> voters;
  for (size_t i = 0; i < fusion.panel.size(); ++i) {
    const ModelRef& m = fusion.panel[i];
    out.push_back(SingleContestant(fusion, m, "single:" + std::to_string(i) + ":" + m.model, m.model + " alone"));
    voters.push_back(out.back().id);
  }
  const EvalContestant f = FusionContestant(fusion, "fusion", "Concord fusion");
  out.push_back(f);
  if (!fusion.panel.empty() && !fusion.judges.empty()) {
    EvalContestant s = f;
    s.id = "self:" + fusion.panel[0].model;
    s.label = "self-fusion of " + fusion.panel[0].model;
    s.config.panel.clear();
    for (double t : {0.2, 0.7, 1.1}) {
      ModelRef m = fusion.panel[0];
      m.temperature = t;
      s.config.panel.push_back(m);
    }
    out.push_back(std::move(s));
  }
  if (voters.size() >= 3) {
    EvalContestant v;
    v.id = "vote";
    v.label = "majority vote of the panel";
    v.kind = EvalContestant::Kind::Vote;
    v.voters = voters;
    out.push_back(std::move(v));
  }
  return out;
}

EvalRunner::EvalRunner(Transport& t, std::vector<Endpoint> endpoints, std::vector<ModelInfo> catalogue)
    : t_(t), endpoints_(std::move(endpoints)), catalogue_(std::move(catalogue)) {}

const EvalContestant* EvalRunner::contestant(const std::string& id) const {
  for (auto& c : plan_.contestants) if (c.id == id) return &c;
  return nullptr;
}
const EvalItem* EvalRunner::item(const std::string& id) const {
  for (auto& i : plan_.set.items) if (i.id == id) return &i;
  return nullptr;
}
const EvalTask* EvalRunner::task(const std::string& c, const std::string& i) const {
  auto it = index_.find({c, i});
  return it == index_.end() ? nullptr : &tasks_[it->second];
}

// ---- [SECTION] start, resume, retry -------------------------------------------------------------
std::string EvalRunner::start(EvalPlan plan, const std::vector<EvalTask>& saved) {
  if (busy()) return "an eval is already running: cancel it first";
  if (plan.set.items.empty()) return "the question set has no items";
  if (plan.contestants.empty()) return "no contestants: add at least one";
  if (plan.concurrency < 1) plan.concurrency = 1;
  if (plan.concurrency > 16) plan.concurrency = 16;
  bool rubric = false;
  for (auto& i : plan.set.items) rubric |= i.grade == GradeKind::Rubric;
  if (plan.grader.model.empty())
    for (auto& c : plan.contestants)
      if (c.kind == EvalContestant::Kind::Fusion && !c.config.judges.empty()) { plan.grader = c.config.judges[0]; break; }
  if (rubric && plan.grader.model.empty()) return "the set has rubric items: choose a grader model";
  for (auto& c : plan.contestants) {
    if (c.kind == EvalContestant::Kind::Vote) {
      for (auto& v : c.voters)
        if (std::none_of(plan.contestants.begin(), plan.contestants.end(), [&](const EvalContestant& x) { return x.id == v; }))
          return "the vote " + c.label + " counts a contestant that is not in the eval: " + v;
      continue;
    }
    if (c.config.panel.empty()) return c.label + " has no model";
    if (c.kind == EvalContestant::Kind::Fusion && c.config.judges.empty()) return c.label + " has no judge";
    for (auto& m : c.config.panel)
      if (std::none_of(endpoints_.begin(), endpoints_.end(), [&](const Endpoint& e) { return e.id == m.endpoint; }))
        return "no endpoint '" + m.endpoint + "' for " + m.model + " (" + c.label + ")";
  }
  for (auto& a : active_) {
    a.engine->cancel_run();
    closing_.adopt(a.engine->take_closing());
  }
  active_.clear();
  plan_ = std::move(plan);
  tasks_.clear();
  index_.clear();
  abandoned_cost_ = 0;
  // Every (contestant, item) in item order, so partial results cover the first items fully.
  for (auto& it : plan_.set.items)
    for (auto& c : plan_.contestants) {
      EvalTask t;
      t.contestant = c.id;
      t.item = it.id;
      for (auto& s : saved)
        if (s.contestant == c.id && s.item == it.id && s.status == EvalTask::Status::Done) t = s;
      index_[{t.contestant, t.item}] = tasks_.size();
      tasks_.push_back(std::move(t));
    }
  stage_ = EvalStage::Running;
  stop_reason_.clear();
  t0_ = t_.now();
  settle_votes();
  launch_more();
  maybe_done();
  return "";
}

std::string EvalRunner::retry_failed() {
  if (busy()) return "the eval is still running";
  int n = 0;
  for (auto& t : tasks_)
    if (t.status == EvalTask::Status::Failed) {
      abandoned_cost_ += t.cost;  // paid for, even though the item is asked again
      t = Fresh(t);
      ++n;
    }
  if (n == 0) return "no failed items to retry";
  stage_ = EvalStage::Running;
  stop_reason_.clear();
  settle_votes();
  launch_more();
  maybe_done();
  return "";
}

void EvalRunner::cancel() {
  for (auto& a : active_) {
    a.engine->cancel_run();
    closing_.adopt(a.engine->take_closing());
    EvalTask& t = tasks_[a.task];
    abandoned_cost_ += t.cost + a.engine->run().total_cost();  // what the cancelled calls had cost so far
    t = Fresh(t);  // not done: a resume asks again
  }
  active_.clear();
  if (stage_ == EvalStage::Running) {
    stage_ = EvalStage::Cancelled;
    stop_reason_ = "cancelled by you";
  }
}

// ---- [SECTION] events, time and launches ----------------------------------------------------------
size_t EvalRunner::in_flight() const {
  size_t n = 0;
  for (auto& a : active_) n += std::max<size_t>(1, a.engine->in_flight());
  return n;
}

double EvalRunner::spent() const {
  double s = abandoned_cost_;
  for (auto& t : tasks_) {
    // A vote's cost is its voters' answers, already counted in their own tasks.
    const EvalContestant* c = contestant(t.contestant);
    if (!c || c->kind != EvalContestant::Kind::Vote) s += t.cost;
  }
  for (auto& a : active_) s += a.engine->run().total_cost();
  return s;
}

void EvalRunner::launch_more() {
  if (stage_ != EvalStage::Running) return;
  for (size_t i = 0; i < tasks_.size(); ++i) {
    if (in_flight() >= static_cast<size_t>(plan_.concurrency)) return;
    EvalTask& t = tasks_[i];
    if (t.status != EvalTask::Status::Pending) continue;
    const EvalContestant* c = contestant(t.contestant);
    const EvalItem* it = item(t.item);
    if (!c || !it) { t.status = EvalTask::Status::Failed; t.error = "unknown contestant or item"; continue; }
    if (c->kind == EvalContestant::Kind::Vote) continue;  // settled from its voters' answers
    if (plan_.budget_usd > 0 && spent() >= plan_.budget_usd) {
      stage_ = active_.empty() ? EvalStage::StoppedBudget : stage_;
      stop_reason_ = "the budget of $" + std::to_string(plan_.budget_usd).substr(0, 6) + " was reached: no new calls are made";
      return;
    }
    RunConfig cfg = c->config;
    cfg.prompt = EvalPrompt(*it);
    cfg.demo_hint = DemoHint(*it, c->id);
    const size_t room = plan_.concurrency - in_flight();
    cfg.max_concurrency = static_cast<int>(std::max<size_t>(1, room));
    auto engine = std::make_unique<FusionEngine>(t_, endpoints_, catalogue_);
    const std::string err = engine->start(cfg);
    if (!err.empty()) { t.status = EvalTask::Status::Failed; t.error = err; continue; }
    t.status = EvalTask::Status::Running;
    active_.push_back(Active{i, false, std::move(engine), now()});
  }
}

bool EvalRunner::on_event(const TransportEvent& e) {
  if (closing_.take(e)) return true;
  for (size_t k = 0; k < active_.size(); ++k) {
    bool changed = false;
    if (!active_[k].engine->on_event(e, changed)) continue;
    if (!active_[k].engine->busy()) {
      Active a = std::move(active_[k]);
      active_.erase(active_.begin() + static_cast<long>(k));
      finish(a);
      settle_votes();
      launch_more();
      maybe_done();
    }
    return true;
  }
  return false;
}

bool EvalRunner::tick() {
  closing_.expire(t_);
  bool changed = false;
  for (size_t k = 0; k < active_.size();) {
    changed |= active_[k].engine->tick();
    if (!active_[k].engine->busy()) {
      Active a = std::move(active_[k]);
      active_.erase(active_.begin() + static_cast<long>(k));
      finish(a);
      changed = true;
      continue;
    }
    ++k;
  }
  if (changed) settle_votes();
  const size_t before = active_.size();
  launch_more();
  maybe_done();
  return changed || active_.size() != before;
}

void EvalRunner::maybe_done() {
  if (stage_ != EvalStage::Running || !active_.empty()) return;
  const bool pending = std::any_of(tasks_.begin(), tasks_.end(), [](const EvalTask& t) {
    return t.status == EvalTask::Status::Pending || t.status == EvalTask::Status::Running || t.status == EvalTask::Status::Grading;
  });
  if (!pending) { stage_ = EvalStage::Done; return; }
  if (!stop_reason_.empty()) stage_ = EvalStage::StoppedBudget;
}

// ---- [SECTION] finishing a task: grading and votes --------------------------------------------------
void EvalRunner::finish(Active& a) {
  closing_.adopt(a.engine->take_closing());  // the engine goes; its open requests are still closed
  EvalTask& t = tasks_[a.task];
  const FusionRun& r = a.engine->run();
  const EvalItem* it = item(t.item);
  t.cost += r.total_cost();
  t.cost_unreported += r.cost_unknown_calls();
  int calls = 0;
  for (auto& m : r.members) calls += m.t_start >= 0;
  calls += static_cast<int>(r.judge_calls.size() + r.writer_attempts.size()) + (r.final_call.t_start >= 0);
  t.calls += calls;
  if (a.grading) {
    t.grader_raw = r.final_answer.empty() && !r.members.empty() ? r.members[0].result.content : r.final_answer;
    if (r.stage != RunStage::Done || r.final_answer.empty()) {
      t.status = EvalTask::Status::Failed;
      t.error = "the grader failed: " + (r.error.empty() && !r.members.empty() ? r.members[0].result.error.message : r.error);
      return;
    }
    t.grade = ParseRubricVerdict(*it, r.final_answer);
    t.status = t.grade.graded ? EvalTask::Status::Done : EvalTask::Status::Failed;
    if (!t.grade.graded) t.error = "the grader's verdict could not be read: " + t.grade.detail;
    return;
  }
  // The answer's time: when the run had its answer, not when a late straggler (quorum) ended.
  t.latency_s = r.stage == RunStage::Done && r.t_end >= 0 ? r.t_end : now() - a.t_start;
  if (r.stage != RunStage::Done || r.final_answer.empty()) {
    t.status = EvalTask::Status::Failed;
    std::string why = r.error;
    if (why.empty() && !r.members.empty()) why = r.members[0].result.error.message;
    t.error = why.empty() ? std::string("no answer (") + ToString(r.stage) + ")" : why;
    return;
  }
  t.answer = r.final_answer;
  t.incomplete = r.final_incomplete;
  if (!r.final_note.empty()) t.error = r.final_note;  // degraded fusion: said, and still graded
  t.member_correct.clear();
  const EvalContestant* c = contestant(t.contestant);
  if (c && c->kind == EvalContestant::Kind::Fusion)
    for (auto& m : r.members) {
      // What the judge was given: only the answers it read (not a straggler the quorum left
      // out), as it read them (the last MoA rewrite).
      const bool judged = std::find(r.judged_labels.begin(), r.judged_labels.end(), m.label) != r.judged_labels.end();
      const std::string& given = r.current_answer(m.label);
      const bool answered = judged && !given.empty() && it->grade != GradeKind::Rubric;
      t.member_correct.push_back(answered ? GradeReply(*it, given).correct : -1);
    }
  if (it->grade != GradeKind::Rubric) {
    t.grade = GradeReply(*it, t.answer);
    t.status = EvalTask::Status::Done;
    return;
  }
  // A rubric item: the grader model reads the answer.
  RunConfig g;
  g.panel = {plan_.grader};
  g.panel_only = true;
  g.custom_member_system = true;
  const auto msgs = RubricGraderMessages(*it, t.answer);
  g.member_system = msgs[0].content;
  g.prompt = msgs[1].content;
  g.max_retries = 2;
  auto engine = std::make_unique<FusionEngine>(t_, endpoints_, catalogue_);
  const std::string err = engine->start(g);
  if (!err.empty()) { t.status = EvalTask::Status::Failed; t.error = "the grader could not start: " + err; return; }
  t.status = EvalTask::Status::Grading;
  active_.push_back(Active{a.task, true, std::move(engine), now()});
}

void EvalRunner::settle_votes() {
  for (auto& t : tasks_) {
    if (t.status != EvalTask::Status::Pending) continue;
    const EvalContestant* c = contestant(t.contestant);
    if (!c || c->kind != EvalContestant::Kind::Vote) continue;
    const EvalItem* it = item(t.item);
    std::vector<const EvalTask*> votes;
    bool waiting = false;
    for (auto& v : c->voters) {
      const EvalTask* vt = task(v, t.item);
      if (!vt || vt->status == EvalTask::Status::Pending || vt->status == EvalTask::Status::Running ||
          vt->status == EvalTask::Status::Grading) { waiting = true; break; }
      votes.push_back(vt);
    }
    if (waiting) continue;
    if (it->grade == GradeKind::Rubric) {
      t.status = EvalTask::Status::Failed;
      t.error = "a majority vote cannot compare free-form answers (rubric item)";
      continue;
    }
    std::map<std::string, int> count, cut;  // votes per answer, and of them from answers not whole
    std::map<std::string, std::string> example;
    double cost = 0, latency = 0;
    int unreported = 0;
    for (auto* v : votes) {
      cost += v->cost;
      unreported += v->cost_unreported;
      latency = std::max(latency, v->latency_s);
      if (v->status != EvalTask::Status::Done) continue;
      const std::string k = VoteKey(*it, v->answer);
      if (k.empty()) continue;
      ++count[k];
      if (!v->incomplete.empty()) ++cut[k];
      if (!example.count(k)) example[k] = v->answer;
    }
    t.cost = cost;  // the vote's price is its voters' answers
    t.cost_unreported = unreported;
    t.latency_s = latency;
    int best = 0, ties = 0;
    std::string key;
    for (auto& [k, n] : count) {
      if (n > best) { best = n; key = k; ties = 1; }
      else if (n == best) ++ties;
    }
    t.status = EvalTask::Status::Done;
    if (best == 0 || ties > 1) {
      t.grade.graded = true;
      t.grade.correct = false;
      t.grade.detail = best == 0 ? "no comparable answers to vote on" : "a tie: no majority";
      t.answer = "";
      continue;
    }
    t.answer = "Answer: " + key;
    if (cut[key] > 0)  // the winning answer leans on answers that were cut short: said, as for any answer
      t.incomplete = std::to_string(cut[key]) + " of its " + std::to_string(best) + (best == 1 ? " vote" : " votes") +
                     " came from answers that were not whole";
    t.grade = GradeReply(*it, example[key]);
    t.grade.detail = std::to_string(best) + " of " + std::to_string(votes.size()) + " voted \"" + key + "\"; " + t.grade.detail;
  }
}

// ---- [SECTION] summaries -------------------------------------------------------------------------------
int EvalRunner::done_count() const {
  int n = 0;
  for (auto& t : tasks_) n += t.status == EvalTask::Status::Done || t.status == EvalTask::Status::Failed;
  return n;
}

double EvalRunner::eta_s() const {
  std::vector<double> lat;
  for (auto& t : tasks_) if (t.status == EvalTask::Status::Done && t.latency_s > 0) lat.push_back(t.latency_s);
  const int left = static_cast<int>(tasks_.size()) - done_count();
  if (lat.empty() || left <= 0) return left <= 0 ? 0 : -1;
  std::sort(lat.begin(), lat.end());
  return lat[lat.size() / 2] * left / std::max(1, plan_.concurrency);
}

std::vector<EvalSummary> EvalRunner::summaries() const {
  std::vector<EvalSummary> out;
  for (auto& c : plan_.contestants) {
    EvalSummary s;
    s.contestant = c.id;
    s.label = c.label;
    s.fusion = c.kind == EvalContestant::Kind::Fusion;
    std::vector<double> lat;
    for (auto& t : tasks_) {
      if (t.contestant != c.id) continue;
      ++s.total;
      s.cost += t.cost;
      s.cost_unreported += t.cost_unreported;
      if (t.status == EvalTask::Status::Failed) ++s.failed;
      if (t.status != EvalTask::Status::Done) continue;
      ++s.done;
      s.incomplete += !t.incomplete.empty();
      s.correct += t.grade.correct;
      s.score_sum += t.grade.score;
      if (t.latency_s > 0) lat.push_back(t.latency_s);
    }
    s.ci = Wilson(s.correct, s.done);
    s.cost_per_item = s.done + s.failed ? s.cost / (s.done + s.failed) : 0;
    if (!lat.empty()) { std::sort(lat.begin(), lat.end()); s.median_latency_s = lat[lat.size() / 2]; }
    out.push_back(s);
  }
  return out;
}

// ---- [SECTION] saved progress ---------------------------------------------------------------------------
namespace {
json ConfigJson(const RunConfig& c) {
  return {{"panel", ModelRefsToJson(c.panel)}, {"judges", ModelRefsToJson(c.judges)}, {"writers", ModelRefsToJson(c.writers)},
          {"search", static_cast<int>(c.search)}, {"two_phase_judge", c.two_phase_judge}, {"panel_only", c.panel_only},
          {"custom_member_system", c.custom_member_system}, {"member_system", c.member_system}, {"max_tokens", c.max_tokens},
          {"max_retries", c.max_retries}, {"idle_timeout_s", c.idle_timeout_s}, {"total_timeout_s", c.total_timeout_s},
          {"structured_output", c.structured_output}, {"search_url", c.search_url},
          {"search_max_results", c.search_max_results}, {"search_excluded_domains", c.search_excluded_domains},
          {"quorum", c.quorum}, {"quorum_deadline_s", c.quorum_deadline_s}, {"moa_layers", c.moa_layers},
          {"peer_ranking", c.peer_ranking}};  // search_key never: it is the user's secret
}
RunConfig ConfigFrom(const json& j) {
  RunConfig c;
  c.panel = ModelRefsFromJson(GetArr(j, "panel"), kMaxPanel);
  c.judges = ModelRefsFromJson(GetArr(j, "judges"), kMaxPanel);
  c.writers = ModelRefsFromJson(GetArr(j, "writers"), kMaxPanel);
  c.search = static_cast<WebSearchMode>(std::clamp<int64_t>(GetInt(j, "search"), 0, 3));
  c.two_phase_judge = GetBool(j, "two_phase_judge");
  c.panel_only = GetBool(j, "panel_only");
  c.custom_member_system = GetBool(j, "custom_member_system");
  c.member_system = GetStr(j, "member_system");
  c.max_tokens = static_cast<int>(std::clamp<int64_t>(GetInt(j, "max_tokens"), 0, 1000000));
  c.max_retries = static_cast<int>(std::clamp<int64_t>(GetInt(j, "max_retries", -1), -1, 5));
  c.idle_timeout_s = GetNum(j, "idle_timeout_s");
  c.total_timeout_s = GetNum(j, "total_timeout_s");
  c.structured_output = GetBool(j, "structured_output", true);
  c.search_url = GetStr(j, "search_url");
  c.search_max_results = static_cast<int>(std::clamp<int64_t>(GetInt(j, "search_max_results"), 0, 25));
  for (auto& d : GetArr(j, "search_excluded_domains")) if (d.is_string()) c.search_excluded_domains.push_back(d.get<std::string>());
  c.quorum = static_cast<int>(std::clamp<int64_t>(GetInt(j, "quorum"), 0, static_cast<int64_t>(kMaxPanel)));
  c.quorum_deadline_s = GetNum(j, "quorum_deadline_s");
  c.moa_layers = static_cast<int>(std::clamp<int64_t>(GetInt(j, "moa_layers"), 0, 3));
  c.peer_ranking = GetBool(j, "peer_ranking");
  return c;
}
json ContestantsJ(const std::vector<EvalContestant>& cs) {
  json out = json::array();
  for (auto& c : cs) {
    json v = json::array();
    for (auto& x : c.voters) v.push_back(x);
    out.push_back({{"id", c.id}, {"label", c.label}, {"kind", static_cast<int>(c.kind)}, {"config", ConfigJson(c.config)}, {"voters", v}});
  }
  return out;
}
std::vector<EvalContestant> ContestantsFromJ(const json& a) {
  std::vector<EvalContestant> out;
  if (!a.is_array()) return out;
  for (auto& c : a) {
    EvalContestant x;
    x.id = GetStr(c, "id");
    x.label = GetStr(c, "label", x.id);
    x.kind = static_cast<EvalContestant::Kind>(std::clamp<int64_t>(GetInt(c, "kind"), 0, 2));
    x.config = ConfigFrom(GetObj(c, "config"));
    for (auto& v : GetArr(c, "voters")) if (v.is_string()) x.voters.push_back(v.get<std::string>());
    if (x.id.empty() || std::any_of(out.begin(), out.end(), [&](const EvalContestant& y) { return y.id == x.id; })) continue;
    out.push_back(std::move(x));
  }
  return out;
}
}  // namespace

std::string ContestantsToJson(const std::vector<EvalContestant>& cs) { return Dump(ContestantsJ(cs)); }
std::vector<EvalContestant> ContestantsFromJson(const std::string& text) { return ContestantsFromJ(ParseJson(text)); }

namespace {
json TaskJ(const EvalTask& t) {
  return {{"c", t.contestant}, {"i", t.item}, {"status", ToString(t.status)}, {"answer", t.answer}, {"cost", t.cost},
          {"cost_unreported", t.cost_unreported}, {"latency_s", t.latency_s}, {"calls", t.calls}, {"correct", t.grade.correct},
          {"score", t.grade.score}, {"graded", t.grade.graded}, {"extracted", t.grade.extracted}, {"detail", t.grade.detail},
          {"error", t.error}, {"incomplete", t.incomplete}, {"grader_raw", t.grader_raw}, {"members", t.member_correct}};
}
bool Finished(const EvalTask& t) { return t.status == EvalTask::Status::Done || t.status == EvalTask::Status::Failed; }
}  // namespace

std::string EvalRunner::plan_json(const std::string& id) const {
  const json cs = ContestantsJ(plan_.contestants);
  json items = json::array();
  for (auto& i : plan_.set.items) items.push_back(i.id);
  json out = {{"format", "concord.eval"}, {"version", 1}, {"set", plan_.set.id}, {"set_name", plan_.set.name}, {"items", items},
              {"contestants", cs}, {"budget_usd", plan_.budget_usd}, {"concurrency", plan_.concurrency},
              {"grader", ModelRefToJson(plan_.grader)}, {"stage", ToString(stage_)}, {"tasks", json::array()}};
  if (!id.empty()) out["id"] = id;
  if (!FindBuiltinSet(plan_.set.id)) out["set_items"] = EvalItemsToJsonl(plan_.set.items);
  return Dump(out);
}

std::string EvalRunner::save_json() const {
  json out = ParseJson(plan_json());
  json& ts = out["tasks"];
  for (auto& t : tasks_)
    if (Finished(t)) ts.push_back(TaskJ(t));  // in flight: asked again
  return Dump(out);
}

std::string EvalRunner::task_json(size_t i, const std::string& id) const {
  if (i >= tasks_.size() || !Finished(tasks_[i])) return "";
  json j = TaskJ(tasks_[i]);
  j["eval"] = id;
  return Dump(j);
}

std::string EvalRunner::LoadJson(const std::string& text, EvalPlan& plan, std::vector<EvalTask>& tasks) {
  return LoadParts(text, {}, plan, tasks);
}

std::string EvalRunner::LoadParts(const std::string& plan_text, const std::vector<std::string>& task_texts, EvalPlan& plan,
                                  std::vector<EvalTask>& tasks) {
  json j = ParseJson(plan_text);
  if (!j.is_object() || GetStr(j, "format") != "concord.eval") return "[eval.format] not saved eval progress";
  if (GetInt(j, "version") != 1) return "[eval.version] saved eval progress of another version";
  EvalPlan p;
  p.set.id = GetStr(j, "set");
  p.set.name = GetStr(j, "set_name");
  EvalSet file;  // a loaded file's items travel with the progress
  const EvalSet* from = FindBuiltinSet(p.set.id);
  if (!from && !GetStr(j, "set_items").empty()) {
    std::vector<EvalFileError> errs;
    if (!ParseEvalFile(GetStr(j, "set_items"), p.set.id, file, errs))
      return "[eval.set] the saved questions of \"" + p.set.name + "\" could not be read: " + (errs.empty() ? "" : errs[0].message);
    from = &file;
  }
  if (!from) return "[eval.set] the saved eval used the set \"" + p.set.id + "\", which is not built in: load that file again";
  for (auto& id : GetArr(j, "items")) {
    if (!id.is_string()) continue;
    for (auto& it : from->items) if (it.id == id.get<std::string>()) { p.set.items.push_back(it); break; }
  }
  if (const json* cs = Get(j, "contestants")) p.contestants = ContestantsFromJ(*cs);
  p.budget_usd = GetNum(j, "budget_usd");
  p.concurrency = static_cast<int>(std::clamp<int64_t>(GetInt(j, "concurrency", 4), 1, 16));
  p.grader = ModelRefFromJson(GetObj(j, "grader"));
  // The plan's own tasks (a whole save, an export), then the parts saved one by one for this
  // eval (the same id); a later entry for the same answer (a failed one, retried) wins.
  std::vector<json> entries;
  for (auto& t : GetArr(j, "tasks")) entries.push_back(t);
  const std::string id = GetStr(j, "id");
  for (auto& text : task_texts) {
    json t = ParseJson(text);
    if (t.is_object() && !id.empty() && GetStr(t, "eval") == id) entries.push_back(std::move(t));
  }
  std::vector<EvalTask> ts;
  std::map<std::pair<std::string, std::string>, size_t> at;
  for (auto& t : entries) {
    EvalTask x;
    x.contestant = GetStr(t, "c");
    x.item = GetStr(t, "i");
    x.status = GetStr(t, "status") == "done" ? EvalTask::Status::Done : EvalTask::Status::Failed;
    x.answer = GetStr(t, "answer");
    x.cost = GetNum(t, "cost");
    x.cost_unreported = static_cast<int>(GetInt(t, "cost_unreported"));
    x.latency_s = GetNum(t, "latency_s");
    x.calls = static_cast<int>(GetInt(t, "calls"));
    x.grade.correct = GetBool(t, "correct");
    x.grade.score = GetNum(t, "score");
    x.grade.graded = GetBool(t, "graded");
    x.grade.extracted = GetStr(t, "extracted");
    x.grade.detail = GetStr(t, "detail");
    x.error = GetStr(t, "error");
    x.incomplete = GetStr(t, "incomplete");
    x.grader_raw = GetStr(t, "grader_raw");
    for (auto& m : GetArr(t, "members")) x.member_correct.push_back(m.is_number_integer() ? std::clamp(m.get<int>(), -1, 1) : -1);
    const auto key = std::make_pair(x.contestant, x.item);
    if (auto f = at.find(key); f != at.end()) ts[f->second] = std::move(x);
    else { at[key] = ts.size(); ts.push_back(std::move(x)); }
  }
  if (p.set.items.empty() || p.contestants.empty()) return "[eval.empty] the saved eval has no items or no contestants";
  plan = std::move(p);
  tasks = std::move(ts);
  return "";
}

}  // namespace concord
