// A fusion run as explicit stages over plain structs, and the engine that moves it.
// Stages: search -> panel -> (optional peer ranking / MoA layers) -> judge -> final.
// Only every member failing ends a run without an answer; every other failure degrades
// it and says which model failed and why.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "closing_requests.h"
#include "judge.h"
#include "provider.h"
#include "transport.h"
#include "types.h"
#include "whole_body.h"

namespace concord {

enum class MemberStatus { Queued, Streaming, Done, Failed, Cancelled, TimedOut };
const char* ToString(MemberStatus s);

enum class RunStage { Idle, Search, Panel, Layers, Judge, Final, Done, Failed, Cancelled };
const char* ToString(RunStage s);

constexpr size_t kMaxPanel = 8;  // members in a panel (and judges / writers in a fallback list)
constexpr double kCloseGraceS = 2.0;  // a stream finished at its terminator has this long to close

// Settings of one run. Zero means "default" (defaults applied in Normalise()).
struct RunConfig {
  std::string prompt;
  std::vector<ModelRef> panel;           // 1..8 members (the same model may repeat: self-fusion)
  std::vector<ModelRef> judges;          // judges[0] is the judge (analyst), the rest are fallbacks
  std::vector<ModelRef> writers;         // who writes the final answer, in fallback order; empty:
                                         // the judge that wrote the analysis, then the later judges
  WebSearchMode search = WebSearchMode::Off;
  std::string search_url;                // SharedSearch: Jina-style endpoint (GET {url}?q=...)
  std::string search_key;                // never exported
  int search_max_results = 0;            // 0 = 5 (the web plugin's and tool's max_results)
  std::vector<std::string> search_excluded_domains;  // the tool's excluded_domains
  std::vector<ModelRef> contestants;     // extra models given the prompt alone, shown beside the
                                         // fusion for comparison (e.g. openrouter/fusion); never judged
  int quorum = 0;                        // judge starts after k answers; 0 = all members
  double quorum_deadline_s = 0;          // judge starts at this time after panel start if >= 1 answer; 0 = off
  int max_concurrency = 0;               // 0 = 8
  double idle_timeout_s = 0;             // 0 = 60
  double total_timeout_s = 0;            // 0 = 300
  int max_retries = -1;                  // < 0 = 2
  double retry_base_s = 0;               // 0 = 1.0 (exponential backoff)
  bool two_phase_judge = false;          // analysis first, then a streamed final answer
  bool structured_output = true;         // response_format json_schema where supported
  int max_tokens = 0;                    // per member; 0 = provider default
  int moa_layers = 0;                    // 0 = none; 1..3 extra MoA refinement layers
  bool peer_ranking = false;             // llm-council-style anonymous ranking
  // Single-model calls (eval mode: a member alone, a rubric grader): no judge; the answer is
  // the first member's, shown as it was written.
  bool panel_only = false;
  bool custom_member_system = false;     // true: member_system replaces the panel instructions
  std::string member_system;             // ("" with custom_member_system: no system message)
  std::string demo_hint;                 // JSON given to the scripted demo provider only (eval answer keys)
};
RunConfig Normalise(RunConfig c);

// One model call (a panel member, a judge attempt, a ranking or MoA call).
struct Call {
  ModelRef model;
  std::string label;          // "A", "B", ... for panel members; "judge" / "judge 2" for judges
  MemberStatus status = MemberStatus::Queued;
  RequestId req = 0;
  int attempt = 0;            // retries so far
  double t_queued = 0;        // run-relative seconds
  double t_start = -1;        // request sent (last attempt)
  double t_first_token = -1;  // first content or reasoning byte
  double t_end = -1;
  double t_next_retry = -1;   // waiting for a retry
  double t_last_byte = -1;
  ChatResult result;          // content, reasoning, citations, usage, error
  std::vector<CallError> retried_errors;  // errors that were retried, oldest first
  double cost = 0;            // usage.cost, else catalogue price x tokens; earlier attempts included
  double earlier_cost = 0;    // of `cost`, what earlier attempts cost (retried by the engine or by you)
  bool late = false;          // finished after the judge had started (kept and shown)
  double ttft() const { return t_first_token >= 0 && t_start >= 0 ? t_first_token - t_start : -1; }
  // It ended with text but its provider reported no usage (no tokens, no cost; some
  // OpenAI-compatible servers send none, and a stream cut short loses its last chunk): its
  // tokens and cost are unknown, not zero.
  bool usage_unreported() const;
  // It ended with text and its cost is not known (never shown as $0): no usage at all, or
  // tokens with no cost and no price for its model (a provider other than OpenRouter, or a
  // model its catalogue does not list).
  bool cost_unknown() const;
  double elapsed(double now) const;
};

// The model that answered when it is another than the one asked for ("openrouter/auto" routes
// to one; a fallback model answered); "" when the same, or a dated version of it
// ("openai/gpt-4o" answered as "openai/gpt-4o-2024-08-06").
std::string AnsweredBy(const Call& c);

// A call's answer as the judge (or a writer, MoA layer or ranking) reads it: its text, and
// why it may be incomplete. An empty answer for nullptr.
JudgeInput JudgeInputOf(const std::string& label, const Call* c);

// One member's anonymous ranking of the panel (llm-council style): labels, best first.
struct Ranking { std::string by; std::vector<std::string> order; std::string raw; };
// Parses "FINAL RANKING:" followed by "1. Response C" lines (tolerant: any "Response X"
// mentions after the marker, else in the whole text), keeping only `valid` labels, no repeats.
std::vector<std::string> ParseRanking(const std::string& text, const std::vector<std::string>& valid);
// Average position per label over all rankings (1 = best), labels never ranked omitted.
std::vector<std::pair<std::string, double>> AggregateRanking(const std::vector<Ranking>& rankings);

// The final note's sentence for a final answer that is not whole ("The final answer is
// incomplete: <why>."); eval mode's opened cell recognises it so as not to say it twice.
std::string FinalIncompleteNote(const std::string& why);

struct FusionRun {
  std::string id;                  // stable id (time-based)
  double created_unix = 0;         // wall-clock seconds since epoch (set by the app)
  RunConfig config;
  std::vector<ChatMessage> history;  // earlier turns for follow-ups (user / assistant pairs)
  RunStage stage = RunStage::Idle;
  std::vector<Source> sources;     // shared search results, numbered
  std::string search_error;
  std::vector<Call> members;       // the panel, labels A, B, C...
  std::vector<Call> judge_calls;   // attempts in fallback order
  Call final_call;                 // two-phase: the streamed final answer
  std::vector<Call> contestants;    // comparison calls (config.contestants), not judged
  std::vector<Call> writer_attempts;  // earlier writer calls whose reply was not usable (cost, raw)
  std::vector<Ranking> rankings;   // parsed peer rankings (one per ranking call that worked)
  std::vector<Call> ranking_calls; // peer-ranking calls, one per answering member
  std::vector<std::vector<Call>> layers;  // MoA refinement layers: layers[k] has one call per refined member
  std::vector<std::string> judged_labels;  // the member labels the judge was shown
  std::string judge_raw;           // the raw text of the judge that produced the analysis
  int analyst_call = -1;           // index in judge_calls of that judge (-1: no analysis)
  JudgeParse judge_parse;          // parse result (analysis + error id)
  bool has_analysis = false;
  std::string final_answer;        // markdown; the judge's, or the best member's on judge failure
  std::string final_note;          // why the final answer is degraded, if it is
  // Why the final answer is not whole (IncompleteReason of the call that wrote it: a cut
  // writer, or a cut member answer shown unsynthesised), "" when it is. final_note says it
  // in words; eval mode marks the graded answer with it. Not saved: set when the run ends.
  std::string final_incomplete;
  std::string analysis_note;       // what was repaired or left out of the judge's analysis
  std::string warning;             // e.g. "the judge is also a panel member"
  std::string error;               // run-level error (all members failed, bad config)
  double t_start = 0, t_panel_start = -1, t_judge_start = -1, t_end = -1;
  double t_panel_closed = -1;      // the panel stopped taking answers (layers/ranking/judge began)

  // Totals
  double total_cost() const;             // everything this run paid for, comparison calls included
  double fusion_cost() const;            // the fusion alone: members, layers, ranking, judges, writers
  double cheapest_member_cost() const;   // among members that finished with a known cost (-1: none)
  double dearest_member_cost() const;    // (-1: none)
  int cost_unknown_calls() const;    // calls counted in total_cost() as 0: cost_unknown()
  double slowest_member_s() const;
  int answered() const;                  // members Done
  std::string label_model(const std::string& label) const;  // "B" -> model id
  // The answer the judge sees for a member: the last successful MoA refinement, else the panel answer.
  const std::string& current_answer(const std::string& label) const;
  // The call that wrote that answer (nullptr for an unknown label).
  const Call* current_call(const std::string& label) const;
  // The judge to name: the one whose analysis is shown (a cut-off first judge kept when its
  // fallback failed), else the last judge called; nullptr before any.
  const Call* named_judge() const;
};

// What the app knows of a run and the engine does not: its id and wall-clock start.
struct RunMeta {
  std::string id;
  double created_unix = 0;
};

// The engine: owns a run, sends through a Transport, advances on events and time.
class FusionEngine {
 public:
  FusionEngine(Transport& t, std::vector<Endpoint> endpoints, std::vector<ModelInfo> catalogue = {});
  // Validates and starts. Returns "" or a clear message (nothing is sent on error).
  // `meta` is stamped on the run (its id and wall-clock creation time, which the app knows).
  std::string start(RunConfig cfg, std::vector<ChatMessage> history = {}, RunMeta meta = {});
  // Takes a transport event if it belongs to this run (returns false otherwise, so the
  // caller can route it elsewhere). Sets `changed` when anything visible changed.
  bool on_event(const TransportEvent& e, bool& changed);
  // Applies time: idle/total timeouts, retry backoff, the quorum deadline. Every frame.
  bool tick();
  // Tests and benchmarks: poll the transport, deliver every event, then tick().
  bool pump();
  void cancel_member(size_t i);
  void retry_member(size_t i);
  void cancel_run();
  bool busy() const;            // anything in flight or scheduled
  size_t in_flight() const { return live_.size() + (search_.busy() ? 1 : 0); }  // HTTP requests now
  const FusionRun& run() const { return run_; }
  void load(FusionRun r);       // shows an imported / historical run (nothing in flight)
  void set_catalogue(std::vector<ModelInfo> c) { catalogue_ = std::move(c); }
  void set_endpoints(std::vector<Endpoint> e) { endpoints_ = std::move(e); }
  const std::vector<Endpoint>& endpoints() const { return endpoints_; }
  const ModelInfo* info(const std::string& model) const;
  // Engine time spent inside start()/on_event()/tick() (not waiting), for the benchmark.
  double busy_seconds() const { return busy_s_; }
  // Hands over the requests finished at their terminator whose connection is still open, for
  // whoever outlives this engine to close (EvalRunner).
  ClosingRequests take_closing() { return std::move(closing_); }

 private:
  // A call is referenced by group + index (vectors may grow: no raw pointers kept).
  enum class Group { Member, Judge, Final, Layer, Rank, Contestant };  // Layer: i = layer * 8 + index in layer
  struct Slot { Group g; size_t i; };
  static const char* role_name(Group g);  // "member", "judge", "writer", "layer", "rank", "contestant"
  struct Live { RequestId id; Slot slot; StreamDecoder dec; std::string url; };

  Transport& t_;
  std::vector<Endpoint> endpoints_;
  std::vector<ModelInfo> catalogue_;
  FusionRun run_;
  std::vector<Live> live_;
  ClosingRequests closing_;         // calls finished at their terminator, connection still open
  std::vector<Slot> retries_;       // calls waiting for their backoff to pass
  WholeBody search_;                // the shared web search (SharedSearch mode)
  size_t judge_index_ = 0;          // which judge in config.judges is being tried
  size_t writer_index_ = 0;         // which writer (writers()) is being tried
  size_t analyst_index_ = 0;        // the judge whose analysis was accepted
  bool has_reserve_ = false;        // a cut-off analysis kept while a later judge tries
  JudgeParse reserve_;
  std::string reserve_raw_, reserve_note_;
  double busy_s_ = 0;

  double now() const;               // run-relative seconds
  template <class Run> static auto& CallIn(Run& run, Slot s);  // run.cpp: call() for both constnesses
  Call& call(Slot s);
  const Call& call(Slot s) const;
  const Endpoint* endpoint(const std::string& id) const;
  bool launch(Slot s, const ChatParams& p);
  ChatParams params_for(Slot s) const;
  void dispatch();
  void start_panel();
  void maybe_start_judge();
  void close_panel();               // panel done (or quorum): layers, ranking, then the judge
  void start_layer(size_t k);
  std::vector<Call> calls_for_judged() const;
  void start_ranking();
  void stage_calls_done();
  const Call* layer_input(size_t k, const std::string& label) const;          // a layer or ranking call ended: advance when all have
  void start_judge();
  void start_final();
  void finish_call(Slot s);
  void judge_done(Call& c);
  void accept_analysis(JudgeParse jp, const std::string& raw, const std::string& note);
  void final_done(Call& c);
  std::vector<ModelRef> writers() const;
  void fallback_final(const std::string& why);
  void finish_run();
  void drop(RequestId id);
  void on_search_done(bool ok, const std::string& why);
  std::vector<JudgeInput> judge_inputs() const;
  std::string conversation_prompt() const;
};

// Every web source the members cited, once each (by URL, ignoring a trailing slash and a
// #fragment), in order of first citation, with the labels of the members that cited it.
struct MergedSource { std::string url, title; std::vector<std::string> labels; };
std::vector<MergedSource> MergeSources(const FusionRun& r);

// ---- Export / import (versioned JSON; never contains a key) -----------------------
// Dollars as the app writes them everywhere: "$0", "$0.00004" (five places under a cent), "$0.0123".
std::string FormatCost(double usd);

std::string ExportRunJson(const FusionRun& r);
// Returns "" on success, else a clear message; `out` untouched on error. Never throws.
std::string ImportRunJson(const std::string& text, FusionRun& out);
std::string ExportRunMarkdown(const FusionRun& r);

}  // namespace concord
