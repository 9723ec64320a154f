// Eval mode's runner: every contestant answers every item of a set, through the same engine
// as a single run (retries, Retry-After, timeouts, costs), with a cap on HTTP calls in flight,
// a budget that stops the eval cleanly, cancel, retry of failed items only, and progress that
// can be saved as it goes and resumed without repeating a finished (paid-for) answer.
//
// Contestants: a model alone (one call), a fusion configuration (panel + judge/writer), a
// self-fusion (one model at a temperature spread + a judge), and a majority vote of the
// single-model contestants (no calls of its own: it reads their answers).
#pragma once
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "eval_grade.h"
#include "eval_set.h"
#include "eval_stats.h"
#include "run.h"

namespace concord {

struct EvalContestant {
  enum class Kind { Single, Fusion, Vote };
  std::string id;                   // stable: results are saved under it
  std::string label;                // shown
  Kind kind = Kind::Single;
  RunConfig config;                 // Single and Fusion (prompt filled per item)
  std::vector<std::string> voters;  // Vote: ids of Single contestants
};

// Contestants from a panel, its judge (and writers):
// each member alone, the fusion, self-fusion of the first member, and the majority vote.
std::vector<EvalContestant> DefaultContestants(const RunConfig& fusion);
// One model alone, answering as the eval asks, with `base`'s grounding and limits.
EvalContestant SingleContestant(const RunConfig& base, const ModelRef& m, std::string id, std::string label);
// A fusion configuration (panel + judge/writers) as a contestant; comparison routers dropped.
EvalContestant FusionContestant(const RunConfig& cfg, std::string id, std::string label);
// "fusion of a, b, c" with the models' short names (after the last '/').
std::string FusionLabel(const RunConfig& cfg);
// Contestants as JSON text (no keys: endpoints are named by id) and back; malformed entries
// are skipped. Used by saved progress and by the user's added contestants.
std::string ContestantsToJson(const std::vector<EvalContestant>& cs);
std::vector<EvalContestant> ContestantsFromJson(const std::string& text);

struct EvalTask {
  enum class Status { Pending, Running, Grading, Done, Failed };
  std::string contestant, item;
  Status status = Status::Pending;
  std::string answer;
  double cost = 0;         // the answer's calls, and the grader's
  int cost_unreported = 0; // of those calls, how many had an unknown cost (Call::cost_unknown; counted as 0)
  double latency_s = 0;    // the answer's wall time
  int calls = 0;
  Grade grade;
  std::string error;       // why it failed
  std::string incomplete;  // why the graded answer is not whole (cut at the token limit, ...): graded as written
  std::string grader_raw;  // the grader model's reply (rubric items)
  // A fusion's own panel answers, graded like any answer (no extra calls): 1 right, 0 wrong,
  // -1 none (failed, or not comparable: rubric items). What the judge was given, so "the judge
  // dropped a correct answer" is said only when it really had one.
  std::vector<int> member_correct;
};
const char* ToString(EvalTask::Status s);

struct EvalPlan {
  EvalSet set;                          // the items to run (already limited)
  std::vector<EvalContestant> contestants;
  double budget_usd = 0;                // 0: no cap
  int concurrency = 4;                  // HTTP calls in flight at most
  ModelRef grader;                      // rubric items; empty model: the first fusion's judge
};

struct EvalSummary {
  std::string contestant, label;
  bool fusion = false;                  // a fusion configuration (or self-fusion): drawn apart
  int done = 0, correct = 0, failed = 0, total = 0;
  double score_sum = 0;                 // rubric scores (others 0/1)
  Interval ci;                          // Wilson 95 % of correct / done
  double cost = 0, cost_per_item = 0, median_latency_s = 0;
  int cost_unreported = 0;              // calls counted in cost as 0: it is a lower bound
  int incomplete = 0;                   // graded answers that were not whole (EvalTask::incomplete)
  double accuracy() const { return done ? static_cast<double>(correct) / done : 0; }
};

enum class EvalStage { Idle, Running, Done, StoppedBudget, Cancelled };
const char* ToString(EvalStage s);

class EvalRunner {
 public:
  EvalRunner(Transport& t, std::vector<Endpoint> endpoints, std::vector<ModelInfo> catalogue = {});
  // Starts (or resumes: tasks already Done in `saved` are kept and never sent again).
  // "" or why it cannot start.
  std::string start(EvalPlan plan, const std::vector<EvalTask>& saved = {});
  bool on_event(const TransportEvent& e);  // true when the event was one of the eval's
  bool tick();                             // timeouts, launches; true when anything changed
  void cancel();
  std::string retry_failed();              // "" or why not
  bool busy() const { return stage_ == EvalStage::Running; }

  EvalStage stage() const { return stage_; }
  const EvalPlan& plan() const { return plan_; }
  const std::vector<EvalTask>& tasks() const { return tasks_; }
  std::vector<EvalSummary> summaries() const;
  double spent() const;
  int done_count() const;                  // tasks Done or Failed
  double eta_s() const;                    // < 0: unknown
  size_t in_flight() const;
  const EvalTask* task(const std::string& contestant, const std::string& item) const;
  const std::string& stop_reason() const { return stop_reason_; }
  double now() const { return t_.now() - t0_; }

  // Progress as JSON (plan + tasks, no keys); Load restores both for start(plan, tasks).
  std::string save_json() const;
  static std::string LoadJson(const std::string& text, EvalPlan& plan, std::vector<EvalTask>& tasks);
  // The same progress in parts, so that saving one more finished answer costs that answer, not
  // the whole eval: the plan and stage (tasks empty) under an eval `id`, and each finished task
  // (tasks()[i], "" while it is not finished) tagged with that id. LoadParts takes the plan and
  // the parts in the order they were written: parts of another eval are ignored, and a later
  // part for the same answer (a failed one, retried) wins.
  std::string plan_json(const std::string& id = "") const;
  std::string task_json(size_t i, const std::string& id) const;
  static std::string LoadParts(const std::string& plan_text, const std::vector<std::string>& task_texts, EvalPlan& plan,
                               std::vector<EvalTask>& tasks);

  void set_catalogue(std::vector<ModelInfo> c) { catalogue_ = std::move(c); }
  void set_endpoints(std::vector<Endpoint> e) { endpoints_ = std::move(e); }

 private:
  struct Active {
    size_t task;
    bool grading;                          // the grader call of a rubric item
    std::unique_ptr<FusionEngine> engine;
    double t_start;
  };
  Transport& t_;
  std::vector<Endpoint> endpoints_;
  std::vector<ModelInfo> catalogue_;
  EvalPlan plan_;
  std::vector<EvalTask> tasks_;
  std::map<std::pair<std::string, std::string>, size_t> index_;  // (contestant, item) -> tasks_ index
  std::vector<Active> active_;
  ClosingRequests closing_;    // retired engines' requests finished at their terminator, still open
  EvalStage stage_ = EvalStage::Idle;
  std::string stop_reason_;
  double t0_ = 0;
  double abandoned_cost_ = 0;  // calls cancelled or failed and asked again: paid for all the same

  const EvalContestant* contestant(const std::string& id) const;
  const EvalItem* item(const std::string& id) const;
  void launch_more();
  void finish(Active& a);
  void settle_votes();
  void maybe_done();
};

}  // namespace concord
