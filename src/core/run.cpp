// The fusion engine: moves a FusionRun through search -> panel -> judge -> final over a
// Transport, with a concurrency cap, idle/total timeouts, retries with backoff (honouring
// Retry-After), a quorum that starts the judge early, judge fallbacks and a degraded
// final answer when every judge fails. Only every member failing ends a run without an
// answer.
//
// Index of this file:
// [SECTION] names and totals
// [SECTION] configuration
// [SECTION] engine: start, dispatch, events, time
// [SECTION] judge and final answer
// [SECTION] cancel and retry
#include "run.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "jsonutil.h"
#include "synthesis.h"
#include "url.h"

namespace concord {

// ---- [SECTION] names and totals ---------------------------------------------------------
const char* ToString(MemberStatus s) {
  switch (s) {
    case MemberStatus::Queued: return "queued";
    case MemberStatus::Streaming: return "streaming";
    case MemberStatus::Done: return "done";
    case MemberStatus::Failed: return "failed";
    case MemberStatus::Cancelled: return "cancelled";
    case MemberStatus::TimedOut: return "timed out";
  }
  return "?";
}

const char* ToString(RunStage s) {
  switch (s) {
    case RunStage::Idle: return "idle";
    case RunStage::Search: return "searching";
    case RunStage::Panel: return "panel answering";
    case RunStage::Layers: return "refining";
    case RunStage::Judge: return "judge analysing";
    case RunStage::Final: return "writing final answer";
    case RunStage::Done: return "done";
    case RunStage::Failed: return "failed";
    case RunStage::Cancelled: return "cancelled";
  }
  return "?";
}

double Call::elapsed(double now) const {
  if (t_start < 0) return 0;
  return (t_end >= 0 ? t_end : now) - t_start;
}

bool Call::usage_unreported() const {
  const Usage& u = result.usage;
  const bool ended = status == MemberStatus::Done || status == MemberStatus::Failed || status == MemberStatus::Cancelled ||
                     status == MemberStatus::TimedOut;
  const bool text = !result.content.empty() || !result.reasoning.empty();
  return ended && text && !u.has_cost && u.prompt_tokens == 0 && u.completion_tokens == 0;
}

std::string AnsweredBy(const Call& c) {
  const std::string& by = c.result.model;
  // `by` is `name` itself, or a version of it: name + "-<digit>…" (a date), ":…" or "@…".
  auto same = [&](const std::string& name) {
    if (name.empty() || by.compare(0, name.size(), name) != 0) return false;
    if (by.size() == name.size()) return true;
    const char next = by[name.size()];
    return next == ':' || next == '@' ||
           (next == '-' && by.size() > name.size() + 1 && std::isdigit(static_cast<unsigned char>(by[name.size() + 1])));
  };
  const std::string& asked = c.model.model;
  const size_t slash = asked.find('/');
  // Providers that drop the vendor prefix answer "gpt-4o-2024-08-06" for "openai/gpt-4o".
  if (by.empty() || same(asked) || (slash != std::string::npos && same(asked.substr(slash + 1)))) return "";
  return by;
}

bool Call::cost_unknown() const {
  const bool ended = status == MemberStatus::Done || status == MemberStatus::Failed || status == MemberStatus::Cancelled ||
                     status == MemberStatus::TimedOut;
  const bool text = !result.content.empty() || !result.reasoning.empty();
  return usage_unreported() || (ended && text && !result.usage.has_cost && cost <= 0);  // nothing to price it with
}

std::string FormatCost(double usd) {
  char b[32];
  if (usd <= 0) return "$0";
  if (usd < 0.01) std::snprintf(b, sizeof b, "$%.5f", usd);
  else std::snprintf(b, sizeof b, "$%.4f", usd);
  return b;
}

const Call* FusionRun::named_judge() const {
  if (analyst_call >= 0 && static_cast<size_t>(analyst_call) < judge_calls.size()) return &judge_calls[static_cast<size_t>(analyst_call)];
  return judge_calls.empty() ? nullptr : &judge_calls.back();
}

double FusionRun::total_cost() const {
  double c = fusion_cost();
  for (auto& x : contestants) c += x.cost;
  return c;
}
double FusionRun::fusion_cost() const {
  double c = 0;
  for (auto& m : members) c += m.cost;
  for (auto& j : judge_calls) c += j.cost;
  for (auto& layer : layers) for (auto& l : layer) c += l.cost;
  for (auto& r : ranking_calls) c += r.cost;
  c += final_call.cost;
  for (auto& w : writer_attempts) c += w.cost;
  return c;
}
double FusionRun::cheapest_member_cost() const {
  double best = -1;
  for (auto& m : members)
    if (m.status == MemberStatus::Done && !m.cost_unknown() && (best < 0 || m.cost < best)) best = m.cost;
  return best;
}
double FusionRun::dearest_member_cost() const {
  double best = -1;
  for (auto& m : members)
    if (m.status == MemberStatus::Done && !m.cost_unknown()) best = std::max(best, m.cost);
  return best;
}
int FusionRun::cost_unknown_calls() const {
  int n = 0;
  auto add = [&](const Call& c) { n += c.cost_unknown(); };
  for (auto& c : members) add(c);
  for (auto& c : judge_calls) add(c);
  for (auto& layer : layers) for (auto& c : layer) add(c);
  for (auto& c : ranking_calls) add(c);
  add(final_call);
  for (auto& c : writer_attempts) add(c);
  for (auto& c : contestants) add(c);
  return n;
}
double FusionRun::slowest_member_s() const {
  double s = 0;
  for (auto& m : members)
    if (m.status == MemberStatus::Done && m.t_end >= 0) s = std::max(s, m.t_end - m.t_queued);
  return s;
}
int FusionRun::answered() const {
  int n = 0;
  for (auto& m : members) n += m.status == MemberStatus::Done;
  return n;
}
std::string FusionRun::label_model(const std::string& label) const {
  for (auto& m : members)
    if (m.label == label) return m.model.model;
  return label;
}
const std::string& FusionRun::current_answer(const std::string& label) const {
  static const std::string empty;
  const Call* c = current_call(label);
  return c ? c->result.content : empty;
}

JudgeInput JudgeInputOf(const std::string& label, const Call* c) {
  if (!c) return {label, "", ""};
  return {label, c->result.content, IncompleteReason(c->result)};
}

const Call* FusionRun::current_call(const std::string& label) const {
  for (size_t k = layers.size(); k-- > 0;)
    for (auto& c : layers[k])
      if (c.label == label && c.status == MemberStatus::Done) return &c;
  for (auto& m : members)
    if (m.label == label) return &m;
  return nullptr;
}

// ---- [SECTION] configuration --------------------------------------------------------------
RunConfig Normalise(RunConfig c) {
  if (c.max_concurrency <= 0) c.max_concurrency = 8;
  if (c.idle_timeout_s <= 0) c.idle_timeout_s = 60;
  if (c.total_timeout_s <= 0) c.total_timeout_s = 300;
  if (c.max_retries < 0) c.max_retries = 2;
  if (c.retry_base_s <= 0) c.retry_base_s = 1.0;
  if (c.quorum < 0 || c.quorum > static_cast<int>(c.panel.size())) c.quorum = 0;
  c.moa_layers = std::clamp(c.moa_layers, 0, 3);
  if (c.search_max_results <= 0) c.search_max_results = 5;
  c.search_max_results = std::min(c.search_max_results, 10);
  if (c.contestants.size() > 2) c.contestants.resize(2);
  return c;
}

namespace {
std::string Label(size_t i) { return std::string(1, static_cast<char>('A' + i)); }

constexpr double kSearchTimeoutS = 20;  // the shared search is sent at run start (run time 0)


bool IsTerminal(MemberStatus s) {
  return s == MemberStatus::Done || s == MemberStatus::Failed || s == MemberStatus::Cancelled ||
         s == MemberStatus::TimedOut;
}

// The member answer shown when there is no synthesis: the longest whole one, else the longest
// incomplete one.
const Call* BestMemberAnswer(const FusionRun& run) {
  const Call* best = nullptr;
  auto better = [](const Call& m, const Call* b) {
    const bool whole = IncompleteReason(m.result).empty(), b_whole = IncompleteReason(b->result).empty();
    if (whole != b_whole) return whole;
    return m.result.content.size() > b->result.content.size();
  };
  for (auto& m : run.members)
    if (m.status == MemberStatus::Done && (!best || better(m, best))) best = &m;
  return best;
}

// Why a call that ended normally has no text, as precisely as the stream says.
std::string EmptyAnswerReason(const ChatResult& r) {
  if (r.refusal.find_first_not_of(" \t\r\n") != std::string::npos) return "the model refused: " + r.refusal;
  if (r.finish_reason == "length")
    return std::string("the model used up its token limit before writing any answer (finish_reason \"length\")") +
           (r.reasoning.empty() ? "" : ": all of it went on reasoning");
  if (r.finish_reason == "content_filter") return "the provider's content filter stopped it before any answer (finish_reason \"content_filter\")";
  if (r.finish_reason == "tool_calls") return "the model asked to call a tool instead of answering (finish_reason \"tool_calls\")";
  return "the model returned an empty answer";
}
}  // namespace

std::string FinalIncompleteNote(const std::string& why) { return "The final answer is incomplete: " + why + "."; }

namespace {
// " It is incomplete: <why>." for a member answer shown as the final answer; "" when whole.
std::string IncompleteSuffix(const Call& c) {
  const std::string why = IncompleteReason(c.result);
  return why.empty() ? "" : " It is incomplete: " + why + ".";
}
}  // namespace

// ---- [SECTION] engine: start, dispatch, events, time ------------------------------------------
FusionEngine::FusionEngine(Transport& t, std::vector<Endpoint> endpoints, std::vector<ModelInfo> catalogue)
    : t_(t), endpoints_(std::move(endpoints)), catalogue_(std::move(catalogue)) {}

double FusionEngine::now() const { return t_.now() - run_.t_start; }

const Endpoint* FusionEngine::endpoint(const std::string& id) const {
  for (auto& e : endpoints_)
    if (e.id == id) return &e;
  return nullptr;
}

const ModelInfo* FusionEngine::info(const std::string& model) const {
  for (auto& m : catalogue_)
    if (m.id == model) return &m;
  return nullptr;
}

// The call in a slot, of a FusionRun or of a const one.
template <class Run>
auto& FusionEngine::CallIn(Run& run, Slot s) {
  switch (s.g) {
    case Group::Member: return run.members[s.i];
    case Group::Judge: return run.judge_calls[s.i];
    case Group::Layer: return run.layers[s.i / 8][s.i % 8];
    case Group::Rank: return run.ranking_calls[s.i];
    case Group::Contestant: return run.contestants[s.i];
    case Group::Final: break;
  }
  return run.final_call;
}
Call& FusionEngine::call(Slot s) { return CallIn(run_, s); }
const Call& FusionEngine::call(Slot s) const { return CallIn(run_, s); }

namespace {
struct BusyTimer {  // adds the wall time of a scope to an accumulator
  double& acc;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  explicit BusyTimer(double& a) : acc(a) {}
  ~BusyTimer() { acc += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); }
};
}  // namespace

std::string FusionEngine::start(RunConfig cfg, std::vector<ChatMessage> history, RunMeta meta) {
  BusyTimer bt(busy_s_);
  if (busy()) return "a run is already in progress: cancel it first";
  cfg = Normalise(std::move(cfg));
  auto trim = [](const std::string& s) {
    size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
  };
  if (trim(cfg.prompt).empty()) return "the prompt is empty: type a question first";
  if (cfg.panel.empty()) return "the panel is empty: add at least one model";
  if (cfg.panel.size() > kMaxPanel) return "the panel has more than 8 models: remove some";
  if (cfg.judges.empty() && !cfg.panel_only) return "no judge is set: choose a judge model";
  for (auto& m : cfg.panel) {
    if (m.model.empty()) return "a panel entry has no model id";
    if (!endpoint(m.endpoint)) return "no endpoint '" + m.endpoint + "' for " + m.model + ": add it or set its key";
  }
  for (auto& m : cfg.judges)
    if (!endpoint(m.endpoint)) return "no endpoint '" + m.endpoint + "' for judge " + m.model;
  for (auto& m : cfg.writers)
    if (!endpoint(m.endpoint)) return "no endpoint '" + m.endpoint + "' for writer " + m.model;
  for (auto& m : cfg.contestants)
    if (!endpoint(m.endpoint)) return "no endpoint '" + m.endpoint + "' for the comparison model " + m.model;
  for (auto* list : {&cfg.panel, &cfg.judges, &cfg.writers})
    for (auto& m : *list)
      if (!ValidEffort(m.effort)) return "unknown reasoning effort '" + m.effort + "' for " + m.model + ": use minimal, low, medium or high";
  if (cfg.search == WebSearchMode::SharedSearch && cfg.search_url.empty())
    return "shared web search needs a search URL";

  for (auto& l : live_) t_.cancel(l.id);
  live_.clear();
  retries_.clear();
  search_.cancel(t_);
  judge_index_ = writer_index_ = analyst_index_ = 0;
  has_reserve_ = false;
  reserve_ = JudgeParse();

  FusionRun r;
  r.t_start = t_.now();
  r.config = cfg;
  r.history = std::move(history);
  r.id = std::move(meta.id);
  r.created_unix = meta.created_unix;
  for (size_t i = 0; i < cfg.panel.size(); ++i) {
    Call c;
    c.model = cfg.panel[i];
    c.label = Label(i);
    r.members.push_back(std::move(c));
  }
  for (auto& m : cfg.contestants) {
    Call c;
    c.model = m;
    c.label = "compare";
    r.contestants.push_back(std::move(c));
  }
  r.judge_calls.reserve(cfg.judges.size());
  for (auto& p : cfg.panel)
    if (!cfg.judges.empty() && p.model == cfg.judges[0].model && p.endpoint == cfg.judges[0].endpoint) {
      r.warning = "The judge (" + p.model + ") is also a panel member: it may favour its own answer.";
      break;
    }
  run_ = std::move(r);
  run_.t_start = t_.now();

  if (cfg.search == WebSearchMode::SharedSearch) {
    run_.stage = RunStage::Search;
    HttpRequest req;
    req.method = "GET";
    std::string sep = cfg.search_url.find('?') == std::string::npos ? "?q=" : "&q=";
    req.url = cfg.search_url + sep + PercentEncode(cfg.prompt);
    req.headers = {{"Accept", "application/json"}};
    if (!cfg.search_key.empty()) req.headers.push_back({"Authorization", "Bearer " + cfg.search_key});
    search_.send(t_, req, kSearchTimeoutS);
  } else {
    start_panel();
  }
  // Comparison models get the prompt alone, at once: they wait for nothing of ours.
  for (size_t i = 0; i < run_.contestants.size(); ++i) launch({Group::Contestant, i}, params_for({Group::Contestant, i}));
  return "";
}

void FusionEngine::load(FusionRun r) {
  for (auto& l : live_) t_.cancel(l.id);
  live_.clear();
  retries_.clear();
  search_.cancel(t_);
  run_ = std::move(r);
  // Retry on a card of a run from history or a file sends its call with today's limits, and
  // its answer is shown as one the judge never read.
  run_.config = Normalise(run_.config);
  run_.t_start = t_.now();
  if (run_.t_panel_closed < 0 && (run_.has_analysis || !run_.judge_calls.empty())) run_.t_panel_closed = 0;
}

void FusionEngine::on_search_done(bool ok, const std::string& why) {
  if (ok) {
    json j = ParseJson(search_.body());
    int n = 0;
    for (auto& d : GetArr(j, "data")) {
      if (n >= 8) break;
      Source s;
      s.n = ++n;
      s.url = GetStr(d, "url");
      s.title = GetStr(d, "title");
      s.snippet = GetStr(d, "description");
      if (s.snippet.empty()) s.snippet = GetStr(d, "content").substr(0, 600);
      if (s.url.empty()) { --n; continue; }
      run_.sources.push_back(std::move(s));
    }
    if (run_.sources.empty()) run_.search_error = "web search returned no usable results; the panel answers without sources";
  } else {
    run_.search_error = "web search failed (" + why + "); the panel answers without sources";
  }
  start_panel();
}

void FusionEngine::start_panel() {
  run_.stage = RunStage::Panel;
  run_.t_panel_start = now();
  for (auto& m : run_.members) m.t_queued = now();
  dispatch();
}

bool FusionEngine::launch(Slot s, const ChatParams& p) {
  Call& c = call(s);
  const Endpoint* ep = endpoint(c.model.endpoint);
  c.t_start = now();
  c.t_first_token = -1;
  c.t_end = -1;
  c.t_next_retry = -1;
  c.t_last_byte = now();
  c.result = ChatResult();
  c.status = MemberStatus::Streaming;
  if (!ep) {
    c.result.error = {"config.endpoint", 0, "", "", "no endpoint '" + c.model.endpoint + "'", -1, false};
    c.status = MemberStatus::Failed;
    c.t_end = now();
    return false;
  }
  HttpRequest req = BuildChatRequest(*ep, p);
  req.tag = role_name(s.g);
  RequestId id = t_.send(req);
  c.req = id;
  live_.push_back(Live{id, s, StreamDecoder(ep->kind), req.url});
  return true;
}

void FusionEngine::dispatch() {
  if (run_.stage == RunStage::Cancelled || run_.stage == RunStage::Failed) return;
  // During the shared search the panel waits: members must be sent with the sources.
  if (run_.stage == RunStage::Idle || run_.stage == RunStage::Search) return;
  int in_flight = 0;
  for (auto& l : live_) in_flight += l.slot.g == Group::Member;
  for (size_t i = 0; i < run_.members.size() && in_flight < run_.config.max_concurrency; ++i) {
    Call& m = run_.members[i];
    if (m.status != MemberStatus::Queued || m.req != 0) continue;
    if (m.t_next_retry >= 0 && now() < m.t_next_retry) continue;
    launch({Group::Member, i}, params_for({Group::Member, i}));
    ++in_flight;
  }
}

void FusionEngine::drop(RequestId id) {
  live_.erase(std::remove_if(live_.begin(), live_.end(), [&](const Live& l) { return l.id == id; }), live_.end());
}

bool FusionEngine::on_event(const TransportEvent& e, bool& changed) {
  if (e.id == 0) return false;
  if (search_.busy() && e.id == search_.id()) {
    BusyTimer bt(busy_s_);
    changed = true;
    if (!search_.feed(e)) return true;
    if (search_.failure() != NetFailure::None)
      on_search_done(false, NetError(search_.failure(), run_.config.search_url, search_.message()).message);
    else
      on_search_done(search_.ok(), search_.ok() ? "" : ParseHttpError(search_.status(), {}, search_.body()).message);
    search_.clear_body();
    return true;
  }
  if (closing_.take(e)) return true;  // after its terminator: nothing more is read
  auto it = std::find_if(live_.begin(), live_.end(), [&](const Live& l) { return l.id == e.id; });
  if (it == live_.end()) return false;
  BusyTimer bt(busy_s_);
  Slot s = it->slot;
  Call& c = call(s);
  switch (e.kind) {
    case TransportEvent::Kind::Headers:
      it->dec.on_headers(e.status, e.headers, c.result);
      c.t_last_byte = now();
      changed = true;
      break;
    case TransportEvent::Kind::Data:
      c.t_last_byte = now();
      if (it->dec.on_data(e.data, c.result)) {
        changed = true;
        if (c.t_first_token < 0 && (!c.result.content.empty() || !c.result.reasoning.empty())) c.t_first_token = now();
      }
      // The stream's own terminator ([DONE], message_stop) completes the answer: the call is
      // finished here, not when the connection reports its end, which may come later (a
      // browser delivers it in a message of its own; some proxies hold a stream open after
      // [DONE]), while the judge or writer waits on it. Nothing after the terminator is read
      // (the decoder ignores it), so the result is the same. The request is left to close by
      // itself, which keeps an HTTP/1.1 connection reusable, and is cancelled if it has not
      // after kCloseGraceS.
      if (c.result.done && c.result.error.empty()) {
        it->dec.on_end(c.result);
        drop(e.id);
        closing_.add(e.id, t_.now() + kCloseGraceS);
        finish_call(s);
        changed = true;
      }
      break;
    case TransportEvent::Kind::End:
      it->dec.on_end(c.result);
      if (c.t_first_token < 0 && !c.result.content.empty()) c.t_first_token = now();
      drop(e.id);
      finish_call(s);
      changed = true;
      break;
    case TransportEvent::Kind::Fail: {
      std::string url = it->url;
      if (e.failure == NetFailure::Lost) {
        // The connection broke mid-response: what arrived is decoded and kept. Text becomes the
        // answer, marked cut short; no text is a failure worth retrying; an HTTP error's body
        // (read in part) keeps its own error.
        it->dec.on_end(c.result);
        if (c.result.error.empty() || c.result.error.id == "sse.truncated") {
          if (!c.result.content.empty()) {
            c.result.error = {};
            c.result.lost = e.message.empty() ? "the browser gave no reason" : e.message;
            if (c.t_first_token < 0) c.t_first_token = now();
          } else {
            c.result.error = NetError(e.failure, url, e.message);
          }
        } else {
          c.result.error.message += " (the connection was lost before the response ended: " + e.message + ")";
        }
        drop(e.id);
        finish_call(s);
        changed = true;
        break;
      }
      drop(e.id);
      c.result.error = NetError(e.failure, url, e.message);
      finish_call(s);
      changed = true;
      break;
    }
  }
  return true;
}

void FusionEngine::finish_call(Slot s) {
  Call& c = call(s);
  c.req = 0;
  c.t_end = now();
  const RunConfig& cfg = run_.config;
  CallError& err = c.result.error;
  bool cancelled = c.status == MemberStatus::Cancelled;
  if (!err.empty() && !cancelled) {
    // Retry failures that say they are transient, before any text arrived: an HTTP status, an
    // error sent inside the stream (OpenRouter's 429 or 502 after a 200, Anthropic's
    // "overloaded_error"), a stream that ended with no answer, a connection lost before one.
    bool retryable = (err.retryable || err.http_status == 408 || err.http_status == 429 || err.http_status >= 500) &&
                     c.result.content.empty();
    if (retryable && c.attempt < cfg.max_retries && run_.stage != RunStage::Cancelled) {
      c.retried_errors.push_back(err);
      c.earlier_cost += CallCost(c.result.usage, info(c.model.model));  // a failed try can still be billed
      ++c.attempt;
      double backoff = cfg.retry_base_s * std::pow(2.0, c.attempt - 1);
      if (err.retry_after_s >= 0) backoff = std::max(backoff, err.retry_after_s);
      c.t_next_retry = now() + std::min(backoff, 60.0);
      c.status = MemberStatus::Queued;
      if (s.g != Group::Member) retries_.push_back(s);
      return;
    }
    c.status = (err.id == "net.timeout" || err.id == "net.idle_timeout") ? MemberStatus::TimedOut : MemberStatus::Failed;
  } else if (!cancelled) {
    if (c.result.content.find_first_not_of(" \t\r\n") == std::string::npos) {
      c.status = MemberStatus::Failed;
      err = {"empty.content", 0, "", "", EmptyAnswerReason(c.result), -1, false};
    } else {
      c.status = MemberStatus::Done;
    }
  }
  c.cost = c.earlier_cost + CallCost(c.result.usage, info(c.model.model));

  if (s.g == Group::Member) {
    if (run_.t_panel_closed >= 0) c.late = true;
    dispatch();
    maybe_start_judge();
  } else if (s.g == Group::Layer || s.g == Group::Rank) {
    if (s.g == Group::Rank && c.status == MemberStatus::Done) {
      Ranking rk{c.label, ParseRanking(c.result.content, run_.judged_labels), c.result.content};
      if (!rk.order.empty()) run_.rankings.push_back(std::move(rk));
      else c.result.error = {"rank.parse", 0, "", "", "no 'FINAL RANKING' list could be read from this ranking", -1, false};
    }
    stage_calls_done();
  } else if (s.g == Group::Contestant) {
    // A comparison only: it never changes the fusion's stages.
  } else if (s.g == Group::Judge) {
    judge_done(c);
  } else {
    final_done(c);
  }
}

void FusionEngine::maybe_start_judge() {
  if (run_.stage != RunStage::Panel) return;
  int done = 0, pending = 0;
  for (auto& m : run_.members) {
    done += m.status == MemberStatus::Done;
    pending += !IsTerminal(m.status);
  }
  const RunConfig& cfg = run_.config;
  if (pending == 0) {
    if (done == 0) {
      run_.stage = RunStage::Failed;
      run_.error = "Every panel member failed, so there is nothing to judge:";
      for (auto& m : run_.members)
        run_.error += "\n- " + m.label + " (" + m.model.model + "): " +
                      (m.result.error.empty() ? ToString(m.status) : m.result.error.message);
      run_.t_end = now();
      return;
    }
    close_panel();
    return;
  }
  if (cfg.quorum > 0 && done >= cfg.quorum) { close_panel(); return; }
  if (cfg.quorum_deadline_s > 0 && done >= 1 && now() - run_.t_panel_start >= cfg.quorum_deadline_s) close_panel();
}

void FusionEngine::close_panel() {
  run_.t_panel_closed = now();
  run_.judged_labels.clear();
  for (auto& m : run_.members)
    if (m.status == MemberStatus::Done) run_.judged_labels.push_back(m.label);
  if (run_.config.panel_only) {  // a single-model call: its answer as it was written
    for (auto& m : run_.members)
      if (m.status == MemberStatus::Done) {
        run_.final_answer = m.result.content;
        run_.final_incomplete = IncompleteReason(m.result);
        break;
      }
    finish_run();
    return;
  }
  if (run_.config.moa_layers > 0) start_layer(0);
  else if (run_.config.peer_ranking && run_.judged_labels.size() >= 2) start_ranking();
  else start_judge();
}

// The answer of `label` that layer k refines: layer k-1's if it succeeded, else the one before.
const Call* FusionEngine::layer_input(size_t k, const std::string& label) const {
  for (size_t j = k; j-- > 0;)
    for (auto& c : run_.layers[j])
      if (c.label == label && c.status == MemberStatus::Done) return &c;
  for (auto& m : run_.members)
    if (m.label == label) return &m;
  return nullptr;
}

// One queued call per answering member (same model and label): a MoA layer or the rankings.
std::vector<Call> FusionEngine::calls_for_judged() const {
  std::vector<Call> out;
  for (auto& l : run_.judged_labels)
    for (auto& m : run_.members)
      if (m.label == l) {
        Call c;
        c.model = m.model;
        c.label = m.label;
        c.t_queued = now();
        out.push_back(std::move(c));
      }
  return out;
}

void FusionEngine::start_layer(size_t k) {
  run_.stage = RunStage::Layers;
  run_.layers.push_back(calls_for_judged());
  for (size_t i = 0; i < run_.layers[k].size(); ++i) {
    Slot s{Group::Layer, k * 8 + i};
    launch(s, params_for(s));
  }
}

void FusionEngine::start_ranking() {
  run_.stage = RunStage::Layers;
  run_.ranking_calls = calls_for_judged();
  for (size_t i = 0; i < run_.ranking_calls.size(); ++i) {
    Slot s{Group::Rank, i};
    launch(s, params_for(s));
  }
}

void FusionEngine::stage_calls_done() {
  if (run_.stage != RunStage::Layers) return;
  const bool ranking = !run_.ranking_calls.empty();
  const std::vector<Call>& calls = ranking ? run_.ranking_calls : run_.layers.back();
  for (auto& c : calls)
    if (!IsTerminal(c.status)) return;
  if (!ranking && run_.layers.size() < static_cast<size_t>(run_.config.moa_layers)) {
    start_layer(run_.layers.size());
  } else if (!ranking && run_.config.peer_ranking && run_.judged_labels.size() >= 2) {
    start_ranking();
  } else {
    start_judge();
  }
}

bool FusionEngine::tick() {
  BusyTimer bt(busy_s_);
  closing_.expire(t_);
  if (run_.stage == RunStage::Idle) return false;
  bool changed = false;
  const RunConfig& cfg = run_.config;
  double t = now();
  // Timeouts, enforced here so that every transport behaves the same.
  if (search_.expire(t_)) {
    on_search_done(false, NetError(NetFailure::Timeout, cfg.search_url, "").message);
    changed = true;
  }
  std::vector<std::pair<RequestId, NetFailure>> expired;
  for (auto& l : live_) {
    const Call& c = call(l.slot);
    if (t - c.t_start > cfg.total_timeout_s) expired.push_back({l.id, NetFailure::Timeout});
    else if (t - c.t_last_byte > cfg.idle_timeout_s) expired.push_back({l.id, NetFailure::IdleTimeout});
  }
  for (auto& expired_entry : expired) {
    const auto id = expired_entry.first;
    const auto why = expired_entry.second;
    auto it = std::find_if(live_.begin(), live_.end(), [&](const Live& l) { return l.id == id; });
    if (it == live_.end()) continue;
    Slot s = it->slot;
    std::string url = it->url;
    t_.cancel(id);
    drop(id);
    char limit[64];
    std::snprintf(limit, sizeof limit, "limit %.0f s", why == NetFailure::Timeout ? cfg.total_timeout_s : cfg.idle_timeout_s);
    call(s).result.error = NetError(why, url, limit);
    finish_call(s);
    changed = true;
  }
  // Retries whose backoff has passed.
  if (run_.stage == RunStage::Panel || run_.stage == RunStage::Judge || run_.stage == RunStage::Done) {
    size_t before = live_.size();
    dispatch();
    changed |= live_.size() != before;
  }
  for (size_t k = 0; k < retries_.size();) {
    Call& c = call(retries_[k]);
    if (c.status == MemberStatus::Queued && t >= c.t_next_retry) {
      Slot s = retries_[k];
      retries_.erase(retries_.begin() + static_cast<long>(k));
      launch(s, params_for(s));
      changed = true;
    } else {
      ++k;
    }
  }
  // Quorum deadline.
  if (run_.stage == RunStage::Panel) {
    RunStage before = run_.stage;
    maybe_start_judge();
    changed |= run_.stage != before;
  }
  return changed;
}

bool FusionEngine::pump() {
  std::vector<TransportEvent> evs;
  t_.poll(evs);
  bool changed = false;
  for (auto& e : evs) on_event(e, changed);
  changed |= tick();
  return changed;
}

bool FusionEngine::busy() const {
  if (!live_.empty() || search_.busy()) return true;
  for (auto& m : run_.members)
    if (m.status == MemberStatus::Queued && run_.stage != RunStage::Idle && run_.stage != RunStage::Cancelled &&
        run_.stage != RunStage::Failed)
      return true;
  return run_.stage == RunStage::Search || run_.stage == RunStage::Panel || run_.stage == RunStage::Layers ||
         run_.stage == RunStage::Judge || run_.stage == RunStage::Final;
}

// ---- [SECTION] judge and final answer ------------------------------------------------------------
std::vector<JudgeInput> FusionEngine::judge_inputs() const {
  std::vector<JudgeInput> in;
  for (auto& m : run_.members)
    if (std::find(run_.judged_labels.begin(), run_.judged_labels.end(), m.label) != run_.judged_labels.end())
      in.push_back(JudgeInputOf(m.label, run_.current_call(m.label)));
  return in;
}

void FusionEngine::accept_analysis(JudgeParse jp, const std::string& raw, const std::string& note) {
  run_.judge_raw = raw;
  run_.judge_parse = std::move(jp);
  run_.has_analysis = true;
  run_.analyst_call = analyst_index_ < run_.judge_calls.size() ? static_cast<int>(analyst_index_) : -1;
  run_.analysis_note = note;
  writer_index_ = 0;
  if (!run_.config.two_phase_judge && !run_.judge_parse.analysis.final_answer.empty()) {
    WriterCheck w = CheckWriterOutput(run_.judge_parse.analysis.final_answer, false);
    if (w.ok) {
      run_.final_answer = w.text;
      run_.final_note = w.note;
      finish_run();
      return;
    }
  }
  start_final();
}

// The writers in fallback order: the configured ones, or the judge that wrote the analysis
// and the judges after it.
std::vector<ModelRef> FusionEngine::writers() const {
  if (!run_.config.writers.empty()) return run_.config.writers;
  std::vector<ModelRef> w;
  for (size_t k = analyst_index_; k < run_.config.judges.size(); ++k) w.push_back(run_.config.judges[k]);
  return w;
}

// A writer's reply is the final answer only when it is one: not empty, not a token, not
// the analysis JSON again. Otherwise the next writer tries; with none left, the judge's own
// final answer (one-phase) or the best member answer is shown, and the note says why.
void FusionEngine::final_done(Call& c) {
  std::string why;
  if (c.status == MemberStatus::Done) {
    WriterCheck w = CheckWriterOutput(c.result.content);
    if (w.ok) {
      run_.final_answer = w.text;
      run_.final_note = w.note;
      // Shown, since it is the synthesis, but never as if it were whole.
      run_.final_incomplete = IncompleteReason(c.result);
      if (!run_.final_incomplete.empty())
        run_.final_note += std::string(run_.final_note.empty() ? "" : " ") + FinalIncompleteNote(run_.final_incomplete);
      finish_run();
      return;
    }
    c.status = MemberStatus::Failed;
    c.result.error = {w.error_id, 0, "", "", w.message, -1, false};
  }
  if (run_.stage == RunStage::Cancelled) return;
  why = c.model.model + ": " + c.result.error.message;
  ++writer_index_;
  if (writer_index_ < writers().size()) {
    run_.writer_attempts.push_back(std::move(run_.final_call));  // kept: its cost and raw text
    start_final();
    return;
  }
  WriterCheck own = CheckWriterOutput(run_.judge_parse.analysis.final_answer, false);
  if (own.ok) {
    run_.final_answer = own.text;
    run_.final_note = "No writer gave a usable final answer (" + why + "); showing the judge's own final answer.";
    finish_run();
    return;
  }
  const Call* best = BestMemberAnswer(run_);
  run_.final_answer = best ? best->result.content : "";
  run_.final_incomplete = best ? IncompleteReason(best->result) : "";
  run_.final_note = "No writer gave a usable final answer (" + why + "); the analysis is complete, " +
                    (best ? "and Response " + best->label + " (" + best->model.model + ") is shown unsynthesised." + IncompleteSuffix(*best)
                          : "but no answer is available.");
  finish_run();
}

void FusionEngine::start_judge() {
  if (run_.t_judge_start < 0) run_.t_judge_start = now();
  run_.stage = RunStage::Judge;
  if (judge_index_ >= run_.config.judges.size() && has_reserve_) {
    has_reserve_ = false;
    if (analyst_index_ < run_.judge_calls.size())  // its call said it would try the next judge
      run_.judge_calls[analyst_index_].result.error.message += " No later judge wrote a whole analysis, so this one's is shown.";
    accept_analysis(std::move(reserve_), reserve_raw_, reserve_note_ + " No later judge wrote a whole analysis.");
    return;
  }
  if (judge_index_ >= run_.config.judges.size()) {
    std::string why = "every judge failed";
    for (size_t k = 0; k < run_.judge_calls.size(); ++k) {
      const Call& j = run_.judge_calls[k];
      why += (k ? "; " : " (") + j.model.model + ": " + (j.result.error.empty() ? ToString(j.status) : j.result.error.message);
    }
    if (!run_.judge_calls.empty()) why += ")";
    fallback_final(why);
    return;
  }
  Call j;
  j.model = run_.config.judges[judge_index_];
  j.label = judge_index_ == 0 ? "judge" : "fallback judge " + std::to_string(judge_index_);
  j.t_queued = now();
  run_.judge_calls.push_back(std::move(j));
  Slot s{Group::Judge, run_.judge_calls.size() - 1};
  launch(s, params_for(s));
}

void FusionEngine::judge_done(Call& c) {
  if (run_.stage == RunStage::Cancelled) return;
  if (c.status == MemberStatus::Done) {
    JudgeParse jp = ExtractAnalysis(c.result.content);
    if (jp.ok) {
      // Believe only what the judge could know: labels it was shown, sections it finished.
      const std::string note = ReviewAnalysis(jp, run_.judged_labels);
      if (jp.truncated && judge_index_ + 1 < run_.config.judges.size()) {
        // Cut off, and another judge is configured: it may write a whole analysis. This one
        // is kept in reserve in case every later judge fails.
        c.status = MemberStatus::Failed;
        c.result.error = {"judge.parse.truncated", 0, "", "", note + " Trying the next judge.", -1, false};
        if (!has_reserve_) {
          has_reserve_ = true;
          reserve_ = std::move(jp);
          reserve_raw_ = c.result.content;
          reserve_note_ = note;
          analyst_index_ = judge_index_;
        }
        ++judge_index_;
        start_judge();
        return;
      }
      analyst_index_ = judge_index_;
      accept_analysis(std::move(jp), c.result.content, note);
      return;
    }
    // Unreadable analysis: keep the raw text on the call and try the next judge.
    c.status = MemberStatus::Failed;
    c.result.error = {jp.error_id, 0, "", "", "the judge's output could not be read as an analysis: " + jp.message, -1, false};
    run_.judge_parse = jp;
    run_.judge_raw = c.result.content;
  }
  ++judge_index_;
  start_judge();
}

void FusionEngine::start_final() {
  run_.stage = RunStage::Final;
  Call f;
  const std::vector<ModelRef> w = writers();
  f.model = writer_index_ < w.size() ? w[writer_index_] : run_.judge_calls.back().model;
  f.label = writer_index_ == 0 ? "final answer" : "fallback writer " + std::to_string(writer_index_);
  f.t_queued = now();
  run_.final_call = std::move(f);
  launch({Group::Final, 0}, params_for({Group::Final, 0}));
}

void FusionEngine::fallback_final(const std::string& why) {
  const Call* best = BestMemberAnswer(run_);
  run_.final_answer = best ? best->result.content : "";
  run_.final_incomplete = best ? IncompleteReason(best->result) : "";
  run_.final_note = "No synthesis: " + why + ". Showing Response " + (best ? best->label + " (" + best->model.model + ")" : "?") +
                    " as it was written; the maps fall back to local text similarity." + (best ? IncompleteSuffix(*best) : "");
  finish_run();
}

void FusionEngine::finish_run() {
  run_.stage = RunStage::Done;
  run_.t_end = now();
}

// ---- [SECTION] cancel and retry --------------------------------------------------------------------
void FusionEngine::cancel_member(size_t i) {
  if (i >= run_.members.size()) return;
  Call& m = run_.members[i];
  if (IsTerminal(m.status)) return;
  if (m.req) { t_.cancel(m.req); drop(m.req); }
  m.status = MemberStatus::Cancelled;
  m.result.error = {"cancelled", 0, "", "", "cancelled by you", -1, false};
  finish_call({Group::Member, i});
}

void FusionEngine::retry_member(size_t i) {
  if (i >= run_.members.size()) return;
  Call& m = run_.members[i];
  if (!IsTerminal(m.status) || m.status == MemberStatus::Done) return;
  if (run_.stage == RunStage::Cancelled || run_.stage == RunStage::Failed) {
    // A retry revives a run that had no answer: back to the panel stage.
    run_.stage = RunStage::Panel;
    run_.error.clear();
    run_.t_panel_closed = -1;  // the judge has not read this panel yet: its answers are not late
  }
  m.earlier_cost = m.cost;  // the failed attempt stays counted
  m.t_queued = now();       // its time is the new attempt's, not the minutes since the run began
  m.attempt = 0;
  m.status = MemberStatus::Queued;
  m.t_next_retry = -1;
  dispatch();
}

void FusionEngine::cancel_run() {
  search_.cancel(t_);
  for (auto& l : live_) {
    t_.cancel(l.id);
    Call& c = call(l.slot);
    c.status = MemberStatus::Cancelled;
    c.req = 0;
    c.t_end = now();
    c.result.error = {"cancelled", 0, "", "", "cancelled by you", -1, false};
  }
  live_.clear();
  retries_.clear();
  auto cancel_queued = [](Call& m) {
    if (m.status != MemberStatus::Queued) return;
    m.status = MemberStatus::Cancelled;
    m.result.error = {"cancelled", 0, "", "", "cancelled by you", -1, false};
  };
  for (auto& m : run_.members) cancel_queued(m);
  for (auto& layer : run_.layers) for (auto& m : layer) cancel_queued(m);
  for (auto& m : run_.ranking_calls) cancel_queued(m);
  for (auto& m : run_.judge_calls) cancel_queued(m);
  for (auto& m : run_.contestants) cancel_queued(m);
  if (run_.stage != RunStage::Done && run_.stage != RunStage::Idle) {
    run_.stage = RunStage::Cancelled;
    run_.t_end = now();
  }
}

}  // namespace concord
