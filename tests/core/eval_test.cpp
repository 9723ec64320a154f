// Eval mode through ScriptedTransport on a virtual clock: graders of every kind, rubric
// verdicts read tolerantly, Wilson intervals, the budget stop, the concurrency cap, resume
// from saved progress without repeating a finished call, retry of failed items only, votes.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <set>

#include "engine_fixture.h"
#include "eval_run.h"

namespace concord {
namespace {
using namespace concord::test;

EvalItem Item(GradeKind g) {
  EvalItem it;
  it.id = "x";
  it.question = "q";
  it.grade = g;
  return it;
}

TEST(EvalGrade, ExactNumberChoiceAndPatternReadTheAnswerLine) {
  EvalItem ex = Item(GradeKind::Exact);
  ex.answer = "Friday";
  EXPECT_TRUE(GradeReply(ex, "Let me count.\nAnswer: **Friday**.").correct);
  EXPECT_TRUE(GradeReply(ex, "It was a friday").correct);
  EXPECT_FALSE(GradeReply(ex, "Answer: Thursday").correct);
  EXPECT_EQ(GradeReply(ex, "Answer: Thursday").detail, "expected \"Friday\"");
  EXPECT_FALSE(GradeReply(ex, "").correct);
  EvalItem n = Item(GradeKind::Number);
  n.number = 12600;
  n.tolerance = 0;
  EXPECT_TRUE(GradeReply(n, "3.5 h is 3.5 × 3600 s.\nAnswer: 12,600").correct);
  EXPECT_TRUE(GradeReply(n, "Final answer: 12600 seconds").correct);
  EXPECT_FALSE(GradeReply(n, "Answer: 12601").correct);
  EXPECT_EQ(GradeReply(n, "Answer: 12601").detail, "expected 12600, read 12601");
  n.number = 45.5;
  n.tolerance = 0.005;
  EXPECT_TRUE(GradeReply(n, "Answer: $45.50").correct);
  n.number = -3;
  EXPECT_TRUE(GradeReply(n, "Answer: -3").correct);
  EvalItem c = Item(GradeKind::Choice);
  c.choices = {"2^10", "10^3", "3^6"};
  c.answer = "A";
  EXPECT_TRUE(GradeReply(c, "2^10 = 1024 is the largest.\nAnswer: A").correct);
  EXPECT_TRUE(GradeReply(c, "Answer: (A)").correct);
  EXPECT_TRUE(GradeReply(c, "Answer: option a").correct);
  EXPECT_TRUE(GradeReply(c, "Answer: 2^10").correct);  // the option's text
  EXPECT_FALSE(GradeReply(c, "Answer: B").correct);
  EvalItem p = Item(GradeKind::Pattern);
  p.patterns = {"\\bcanberra\\b"};
  EXPECT_TRUE(GradeReply(p, "Answer: Canberra").correct);
  EXPECT_FALSE(GradeReply(p, "Answer: Sydney").correct);
  EXPECT_FALSE(GradeReply(Item(GradeKind::Rubric), "anything").graded);
}

TEST(EvalGrade, RubricVerdictsAreReadTolerantlyAndWeighted) {
  EvalItem r = Item(GradeKind::Rubric);
  r.rubric = {{"mentions the handshake", 2}, {"names SYN and ACK", 1}, {"claims UDP is reliable", -2}};
  Grade g = ParseRubricVerdict(r, R"({"criteria":[{"index":1,"met":true},{"index":2,"met":false},{"index":3,"met":false}]})");
  EXPECT_TRUE(g.graded);
  EXPECT_NEAR(g.score, 2.0 / 3.0, 1e-9);
  EXPECT_TRUE(g.correct);
  // Fences, prose, "yes"/"no", a trailing comma, a penalty met.
  g = ParseRubricVerdict(r, "Here you go:\n```json\n{\"criteria\": [{\"index\": 1, \"met\": \"yes\"}, {\"index\": 2, \"met\": \"yes\"},"
                            " {\"index\": 3, \"met\": \"yes\"},]}\n```");
  EXPECT_TRUE(g.graded);
  EXPECT_NEAR(g.score, 1.0 / 3.0, 1e-9);
  EXPECT_FALSE(g.correct);
  EXPECT_NE(g.detail.find("repaired"), std::string::npos);
  // Cut off after two verdicts: not graded (never a guess), with why.
  g = ParseRubricVerdict(r, R"({"criteria":[{"index":1,"met":true},{"index":2,"met":true},{"ind)");
  EXPECT_FALSE(g.graded);
  EXPECT_NE(g.detail.find("2 of 3"), std::string::npos);
  EXPECT_FALSE(ParseRubricVerdict(r, "I think it is good.").graded);
  const auto msgs = RubricGraderMessages(r, "TCP uses a three-way handshake.");
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_NE(msgs[1].content.find("3. claims UDP is reliable"), std::string::npos);
}

TEST(EvalStats, WilsonIntervalsAndTheParetoFront) {
  Interval w = Wilson(8, 10);
  EXPECT_NEAR(w.lo, 0.4902, 1e-3);
  EXPECT_NEAR(w.hi, 0.9433, 1e-3);
  w = Wilson(0, 20);
  EXPECT_DOUBLE_EQ(w.lo, 0);
  EXPECT_NEAR(w.hi, 0.1611, 1e-3);
  w = Wilson(20, 20);
  EXPECT_NEAR(w.lo, 0.8389, 1e-3);
  EXPECT_DOUBLE_EQ(w.hi, 1);
  EXPECT_DOUBLE_EQ(Wilson(0, 0).hi, 0);
  // cheap+bad, dear+good are on the front; dear+bad is beaten; a duplicate counts once.
  auto f = ParetoFront({{1, 0.5}, {3, 0.9}, {4, 0.6}, {2, 0.7}, {2, 0.7}});
  EXPECT_EQ(f, (std::vector<size_t>{0, 3, 1}));
}

// ---- the runner ---------------------------------------------------------------------------------
class EvalRunTest : public EngineTest {
 protected:
  EvalRunner runner{t, {TestEndpoint()}};
  static EvalSet Set(int n) {
    EvalSet s;
    s.id = "builtin:test";
    for (int i = 0; i < n; ++i) {
      EvalItem it;
      it.id = "q" + std::to_string(i);
      it.question = "What is " + std::to_string(i) + " + 1?";
      it.grade = GradeKind::Number;
      it.number = i + 1;
      s.items.push_back(it);
    }
    return s;
  }
  static EvalContestant Single(const std::string& model) {
    RunConfig base;
    base.panel = {{"or", model}};
    return DefaultContestants(base)[0];
  }
  // Answers "Answer: <i+1>" (right) or "<i+2>" (wrong) for question i, for `model`.
  // (The rules match the question only: these tests have one answering model.)
  void Answers(bool right, double cost = 0.001, double at = 0.05) {
    for (int i = 0; i < 30; ++i) {
      ScriptedTransport::Rule r;
      r.url_contains = "/chat/completions";
      r.body_contains = "What is " + std::to_string(i) + " + 1?";
      r.steps = Answer("Answer: " + std::to_string(right ? i + 1 : i + 2), cost, at);
      t.add(r);
    }
  }
  // m/a and m/b, each alone, answer n questions with steps(is_b, i), one call at a time (so each
  // one-shot rule meets its question), to the end.
  void RunTwoSingles(int n, const std::function<Steps(bool, int)>& steps) {
    for (auto [model, is_b] : std::vector<std::pair<std::string, bool>>{{"m/a", false}, {"m/b", true}}) {
      for (int i = 0; i < n; ++i) {
        ScriptedTransport::Rule r;
        r.url_contains = "/chat/completions";
        r.body_contains = "\"model\":\"" + model + "\"";
        r.steps = steps(is_b, i);
        r.uses_left = 1;
        t.add(r);
      }
    }
    EvalPlan p;
    p.set = Set(n);
    p.contestants = {Single("m/a"), Single("m/b")};
    p.contestants[1].id = "single:1:m/b";
    p.contestants[1].label = "m/b alone";
    p.contestants[1].config.panel = {{"or", "m/b"}};
    p.concurrency = 1;
    ASSERT_EQ(runner.start(p), "");
    ASSERT_TRUE(RunEval());
  }
  // m/a answers normally and m/b with odd("Answer: <n>").
  void RunTwoSingles(const std::function<Steps(const std::string&)>& odd) {
    RunTwoSingles(2, [&](bool is_b, int i) {
      const std::string text = "Answer: " + std::to_string(i + 1);
      return is_b ? odd(text) : Answer(text, 0.001);
    });
  }
  // The progress as saved, loaded back.
  std::vector<EvalTask> Saved() {
    EvalPlan p;
    std::vector<EvalTask> tasks;
    EXPECT_EQ(EvalRunner::LoadJson(runner.save_json(), p, tasks), "");
    return tasks;
  }
  void Pump() {
    std::vector<TransportEvent> evs;
    t.poll(evs);
    for (auto& e : evs) runner.on_event(e);
    runner.tick();
  }
  bool RunEval(double max_s = 200) {
    const double end = t.now() + max_s;
    Pump();
    while (runner.busy() && t.now() < end) { t.set_time(std::round((t.now() + 0.01) * 1000) / 1000); Pump(); }
    return !runner.busy();
  }
};

TEST_F(EvalRunTest, EveryContestantAnswersEveryItemAndIsScored) {
  // Model-specific scripts: the questions are the same, so match on model and question.
  RunTwoSingles(4, [](bool is_b, int i) {
    const bool right = !is_b || i % 2 == 0;
    return Answer("Answer: " + std::to_string(right ? i + 1 : i + 2), 0.001);
  });
  EXPECT_EQ(runner.stage(), EvalStage::Done);
  auto s = runner.summaries();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].done, 4);
  EXPECT_EQ(s[0].correct, 4);
  EXPECT_EQ(s[1].correct, 2);
  EXPECT_NEAR(s[0].cost, 0.004, 1e-9);
  EXPECT_NEAR(s[1].ci.lo, Wilson(2, 4).lo, 1e-12);
  // The question went out as the user wrote it plus the answer-line instruction, no panel text.
  EXPECT_NE(MessageText(t.sent[0], "user").find("Answer: <number>"), std::string::npos);
  EXPECT_EQ(MessageText(t.sent[0], "system").find("member of a panel"), std::string::npos);
  for (auto& q : t.sent) EXPECT_EQ(q.body.find("concord_demo"), std::string::npos) << "the answer key goes to demo endpoints only";
}

TEST_F(EvalRunTest, AnswersWhoseProviderReportedNoUsageAreCountedAndSaved) {
  // m/b (an OpenAI-compatible server that ignores include_usage) sends no usage.
  RunTwoSingles([](const std::string& text) { return ScriptedTransport::Sse({Chunk(text), kDone}, 0.05, 0.01); });
  auto s = runner.summaries();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].cost_unreported, 0);
  EXPECT_EQ(s[1].cost_unreported, 2) << "its $0 is a lower bound, not a price";
  EXPECT_EQ(s[1].correct, 2) << "graded all the same";
  int saved = 0;
  for (auto& x : Saved()) saved += x.cost_unreported;
  EXPECT_EQ(saved, 2) << "saved progress keeps the count";
}

TEST_F(EvalRunTest, AnAnswerThatIsNotWholeIsGradedAsWrittenAndMarked) {
  // m/b's stream closes after its answer line with no finish reason and no [DONE].
  RunTwoSingles([](const std::string& text) { return ScriptedTransport::Sse({Chunk(text)}, 0.05, 0.01); });
  auto s = runner.summaries();
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].incomplete, 0);
  EXPECT_EQ(s[1].incomplete, 2);
  EXPECT_EQ(s[1].correct, 2) << "graded as written";
  const EvalTask* cut = runner.task("single:1:m/b", runner.plan().set.items[0].id);
  ASSERT_NE(cut, nullptr);
  EXPECT_NE(cut->incomplete.find("may be cut short"), std::string::npos) << cut->incomplete;
  EXPECT_EQ(runner.task(runner.plan().contestants[0].id, runner.plan().set.items[0].id)->incomplete, "");
  int saved = 0;
  for (auto& x : Saved()) saved += !x.incomplete.empty();
  EXPECT_EQ(saved, 2) << "saved progress keeps why";
}

TEST_F(EvalRunTest, ProgressSavedInPartsLoadsBackWithTheLatestPartOfThisEvalOnly) {
  ScriptedTransport::Rule any;
  any.url_contains = "/chat/completions";
  any.steps = Answer("Answer: 1", 0.001);
  t.add(any);
  EvalPlan p;
  p.set.id = "builtin:mixed";  // LoadParts takes items from a built-in set
  for (size_t i = 0; i < 3; ++i) p.set.items.push_back(FindBuiltinSet("builtin:mixed")->items[i]);
  p.contestants = {Single("m/a")};
  ASSERT_EQ(runner.start(p), "");
  ASSERT_TRUE(RunEval());
  const std::string plan = runner.plan_json("e1");
  EXPECT_EQ(plan.find("\"answer\""), std::string::npos) << "the plan holds no answers";
  std::vector<std::string> parts;
  for (size_t i = 0; i < runner.tasks().size(); ++i) parts.push_back(runner.task_json(i, "e1"));
  ASSERT_EQ(parts.size(), 3u);
  // A later part for the first answer wins; a part of another eval, and a torn part, are ignored.
  json later = ParseJson(parts[0]);
  later["answer"] = "Answer: retried";
  parts.push_back(Dump(later));
  json other = ParseJson(parts[1]);
  other["eval"] = "e0";
  other["answer"] = "from another eval";
  parts.push_back(Dump(other));
  parts.push_back(parts[2].substr(0, parts[2].size() / 2));
  EvalPlan p2;
  std::vector<EvalTask> tasks;
  ASSERT_EQ(EvalRunner::LoadParts(plan, parts, p2, tasks), "");
  ASSERT_EQ(tasks.size(), 3u);
  EXPECT_EQ(tasks[0].answer, "Answer: retried");
  EXPECT_EQ(tasks[1].answer, runner.tasks()[1].answer);
  for (auto& t : tasks) EXPECT_EQ(t.status, EvalTask::Status::Done);
  // A whole save (the older format, and the export) still loads.
  ASSERT_EQ(EvalRunner::LoadJson(runner.save_json(), p2, tasks), "");
  EXPECT_EQ(tasks.size(), 3u);
  // Parts cannot be joined to a plan without an id.
  ASSERT_EQ(EvalRunner::LoadParts(runner.plan_json(), parts, p2, tasks), "");
  EXPECT_TRUE(tasks.empty());
}

TEST_F(EvalRunTest, TheConcurrencyCapHoldsCallsInFlight) {
  Answers(true, 0.001, 1.0);  // each answer takes a second
  EvalPlan p;
  p.set = Set(10);
  p.contestants = {Single("m/a")};
  p.concurrency = 3;
  ASSERT_EQ(runner.start(p), "");
  size_t peak = 0;
  Pump();
  while (runner.busy() && t.now() < 100) {
    peak = std::max(peak, runner.in_flight());
    t.set_time(std::round((t.now() + 0.01) * 1000) / 1000);
    Pump();
  }
  EXPECT_EQ(peak, 3u);
  EXPECT_EQ(runner.summaries()[0].done, 10);
  EXPECT_GE(t.now(), 3.9);  // 10 one-second calls, three at a time: four waves
}

// Answers held open after [DONE] count at once, and the eval closes them after the grace
// although each answer's engine is gone by then (over HTTP/1.1 a browser has six connections
// per host: held for ever, they would stall the eval).
TEST_F(EvalRunTest, AnswersHeldOpenAfterTheirTerminatorAreClosedAfterTheGrace) {
  for (int i = 0; i < 3; ++i) {
    ScriptedTransport::Rule r;
    r.url_contains = "/chat/completions";
    r.body_contains = "What is " + std::to_string(i) + " + 1?";
    r.steps = Hanging({Chunk("Answer: " + std::to_string(i + 1)), FinishChunk(0.001), kDone});
    t.add(r);
  }
  EvalPlan p;
  p.set = Set(3);
  p.contestants = {Single("m/a")};
  p.concurrency = 3;
  ASSERT_EQ(runner.start(p), "");
  ASSERT_TRUE(RunEval(1.0)) << "the answers counted at their [DONE]";
  EXPECT_EQ(runner.summaries()[0].correct, 3);
  EXPECT_TRUE(t.cancelled.empty()) << "not before the grace";
  const double end = t.now() + kCloseGraceS + 0.1;
  while (t.now() < end) { t.set_time(std::round((t.now() + 0.01) * 1000) / 1000); Pump(); }
  std::vector<RequestId> closed = t.cancelled;
  std::sort(closed.begin(), closed.end());
  EXPECT_EQ(closed, (std::vector<RequestId>{1, 2, 3}));
  EXPECT_EQ(runner.summaries()[0].correct, 3) << "closing them changes no result";
}

TEST_F(EvalRunTest, TheBudgetStopsNewCallsCleanly) {
  Answers(true, 0.01);
  EvalPlan p;
  p.set = Set(10);
  p.contestants = {Single("m/a")};
  p.concurrency = 1;
  p.budget_usd = 0.035;
  ASSERT_EQ(runner.start(p), "");
  ASSERT_TRUE(RunEval());
  EXPECT_EQ(runner.stage(), EvalStage::StoppedBudget);
  EXPECT_EQ(runner.summaries()[0].done, 4);  // 0, 0.01, 0.02, 0.03 spent before each: the 5th would pass 0.035
  EXPECT_EQ(t.sent.size(), 4u);
  EXPECT_NE(runner.stop_reason().find("budget"), std::string::npos);
}

TEST_F(EvalRunTest, ResumingFromSavedProgressNeverRepeatsAFinishedCall) {
  EvalPlan p;
  p.set.id = "builtin:mixed";  // LoadJson takes items from a built-in set
  for (size_t i = 0; i < 6; ++i) p.set.items.push_back(FindBuiltinSet("builtin:mixed")->items[i]);
  p.contestants = {Single("m/a")};
  p.concurrency = 2;
  // Every builtin item gets an answer (wrong or right does not matter here).
  ScriptedTransport::Rule any;
  any.url_contains = "/chat/completions";
  any.steps = Answer("Answer: 1", 0.001, 0.5);
  t.add(any);
  // A demo endpoint: requests then carry the item's id (the demo's answer key), which the check
  // below reads. The first runner uses it too.
  Endpoint demo_ep = TestEndpoint();
  demo_ep.is_demo = true;
  runner.set_endpoints({demo_ep});
  ASSERT_EQ(runner.start(p), "");
  ASSERT_NE(t.sent.at(0).body.find("\"concord_demo\""), std::string::npos);
  while (runner.done_count() < 3 && t.now() < 50) { t.set_time(std::round((t.now() + 0.01) * 1000) / 1000); Pump(); }
  const std::string saved = runner.save_json();  // the tab closes here, calls in flight
  EvalPlan p2;
  std::vector<EvalTask> tasks;
  ASSERT_EQ(EvalRunner::LoadJson(saved, p2, tasks), "");
  EXPECT_GE(tasks.size(), 3u);
  std::set<std::string> finished;
  for (auto& x : tasks) finished.insert(x.item);
  ScriptedTransport t2;
  t2.add(any);
  EvalRunner again{t2, {demo_ep}};
  ASSERT_EQ(again.start(p2, tasks), "");
  for (int k = 0; k < 5000 && again.busy(); ++k) {
    t2.set_time(std::round((t2.now() + 0.01) * 1000) / 1000);
    std::vector<TransportEvent> evs;
    t2.poll(evs);
    for (auto& e : evs) again.on_event(e);
    again.tick();
  }
  EXPECT_EQ(again.stage(), EvalStage::Done);
  EXPECT_EQ(again.summaries()[0].done, 6);
  EXPECT_EQ(t2.sent.size(), 6 - finished.size()) << "only the unfinished items are asked again";
  for (auto& q : t2.sent)
    for (auto& id : finished) {
      const EvalItem* it = nullptr;
      for (auto& x : p2.set.items) if (x.id == id) it = &x;
      ASSERT_NE(it, nullptr);
      EXPECT_EQ(q.body.find("\"id\":\"" + id + "\""), std::string::npos) << "repeated " << id;
    }
}

TEST_F(EvalRunTest, RetryFailedAsksOnlyTheFailedItemsAgain) {
  Script("m/a", ScriptedTransport::Json(401, ErrorBody(401, "bad key")), 2);
  Answers(true);
  EvalPlan p;
  p.set = Set(5);
  p.contestants = {Single("m/a")};
  p.contestants[0].config.max_retries = 0;
  p.concurrency = 1;
  ASSERT_EQ(runner.start(p), "");
  ASSERT_TRUE(RunEval());
  auto s = runner.summaries()[0];
  EXPECT_EQ(s.failed, 2);
  EXPECT_EQ(s.done, 3);
  const size_t sent = t.sent.size();
  ASSERT_EQ(runner.retry_failed(), "");
  ASSERT_TRUE(RunEval());
  EXPECT_EQ(t.sent.size(), sent + 2);
  EXPECT_EQ(runner.summaries()[0].done, 5);
  EXPECT_EQ(runner.retry_failed(), "no failed items to retry");
}

// Three voters on one question ("What is 2 + 3?", item "v") and the vote; m/b's reply is scripted
// by the caller, m/a says 5 and m/c says 7.
EvalPlan VotePlan() {
  EvalSet s;
  s.id = "builtin:test";
  EvalItem it;
  it.id = "v";
  it.question = "What is 2 + 3?";
  it.grade = GradeKind::Number;
  it.number = 5;
  s.items = {it};
  RunConfig fusion;
  fusion.panel = {{"or", "m/a"}, {"or", "m/b"}, {"or", "m/c"}};
  fusion.judges = {{"or", "j/judge"}};
  auto cs = DefaultContestants(fusion);
  std::vector<EvalContestant> plan_cs;
  for (auto& c : cs) if (c.kind != EvalContestant::Kind::Fusion) plan_cs.push_back(c);
  EXPECT_EQ(plan_cs.size(), 4u);  // three alone + the vote (fusion and self-fusion left out here)
  EvalPlan p;
  p.set = s;
  p.contestants = plan_cs;
  return p;
}

TEST_F(EvalRunTest, AMajorityVoteReadsItsVotersAnswersAndCostsTheirPrice) {
  // Two say 5, one says 7. The truth is 5.
  for (auto [m, a] : std::vector<std::pair<std::string, std::string>>{{"m/a", "5"}, {"m/b", "5"}, {"m/c", "7"}})
    Script(m, Answer("Answer: " + a, 0.002));
  ASSERT_EQ(runner.start(VotePlan()), "");
  ASSERT_TRUE(RunEval());
  const EvalTask* v = runner.task("vote", "v");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->status, EvalTask::Status::Done);
  EXPECT_TRUE(v->grade.correct);
  EXPECT_NE(v->grade.detail.find("2 of 3 voted \"5\""), std::string::npos);
  EXPECT_NEAR(v->cost, 0.006, 1e-9);
  EXPECT_NEAR(runner.spent(), 0.006, 1e-9) << "spent counts the three answers once, not again for the vote";
  EXPECT_EQ(t.sent.size(), 3u) << "the vote makes no calls of its own";
  EXPECT_TRUE(v->incomplete.empty());
}

TEST_F(EvalRunTest, AVoteWonWithAnAnswerThatWasNotWholeSaysSo) {
  Script("m/a", Answer("Answer: 5", 0.002));
  Script("m/b", ScriptedTransport::Sse({Chunk("Answer: 5"), FinishChunk(0.002, 10, 20, "length"), kDone}));  // cut at its token limit
  Script("m/c", Answer("Answer: 7", 0.002));
  ASSERT_EQ(runner.start(VotePlan()), "");
  ASSERT_TRUE(RunEval());
  const EvalTask* v = runner.task("vote", "v");
  ASSERT_NE(v, nullptr);
  EXPECT_TRUE(v->grade.correct);
  EXPECT_EQ(v->incomplete, "1 of its 2 votes came from answers that were not whole");
}

TEST_F(EvalRunTest, ARubricItemIsGradedByTheGraderModel) {
  EvalSet s;
  s.id = "file:r";
  EvalItem it;
  it.id = "r";
  it.question = "Explain TCP's handshake.";
  it.grade = GradeKind::Rubric;
  it.rubric = {{"mentions SYN", 1}, {"mentions ACK", 1}};
  s.items = {it};
  Script("m/a", Answer("SYN, SYN-ACK, ACK.", 0.001));
  Script("g/grader", Answer(R"({"criteria":[{"index":1,"met":true},{"index":2,"met":true}]})", 0.0005));
  EvalPlan p;
  p.set = s;
  p.contestants = {Single("m/a")};
  p.grader = {"or", "g/grader"};
  ASSERT_EQ(runner.start(p), "");
  ASSERT_TRUE(RunEval());
  const EvalTask* x = runner.task(p.contestants[0].id, "r");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->status, EvalTask::Status::Done);
  EXPECT_TRUE(x->grade.correct);
  EXPECT_DOUBLE_EQ(x->grade.score, 1);
  EXPECT_NEAR(x->cost, 0.0015, 1e-9) << "the grader's call is part of the item's cost";
  EXPECT_NE(x->grader_raw.find("criteria"), std::string::npos);
  EXPECT_NE(MessageText(RequestsFor("g/grader").at(0), "user").find("SYN, SYN-ACK, ACK."), std::string::npos);
  // Without a grader (and no fusion judge to borrow), a rubric set is refused up front.
  EvalRunner r2{t, {TestEndpoint()}};
  p.grader = {};
  EXPECT_NE(r2.start(p).find("choose a grader model"), std::string::npos);
}

// With a quorum, a straggler the judge never read is not one of "what its judge was given",
// and the fusion's time is when it had its answer, not when the straggler ended.
TEST_F(EvalRunTest, AStragglerTheJudgeNeverReadIsNotGradedAsGivenToIt) {
  Script("m/a", Answer("Answer: 1", 0.001));
  Script("m/b", Answer("Answer: 1", 0.001));
  Script("m/c", Answer("Answer: 1", 0.001, 30.0));  // 30 s late
  Script("j/judge", Answer(AnalysisText("Answer: 1", {"A", "B"}), 0.002));
  RunConfig c = Config({"m/a", "m/b", "m/c"}, {"j/judge"});
  c.quorum = 2;
  EvalPlan p;
  p.set = Set(1);
  p.contestants = {FusionContestant(c, "fusion", FusionLabel(c))};
  ASSERT_EQ(runner.start(p), "");
  ASSERT_TRUE(RunEval());
  const EvalTask* f = runner.task("fusion", "q0");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->grade.correct);
  EXPECT_EQ(f->member_correct, (std::vector<int>{1, 1, -1})) << "C was late: the judge never had it";
  EXPECT_LT(f->latency_s, 5.0) << "the answer was ready long before the straggler ended";
}

TEST_F(EvalRunTest, TwoFusionConfigurationsAndAnAddedModelRunInOneEval) {
  // Budget panel (m/a, m/b → j/cheap) and quality panel (m/c, m/d → j/dear), plus m/e alone.
  for (const char* m : {"m/a", "m/b", "m/c", "m/d", "m/e"}) Script(m, Answer("Answer: 1", 0.001));
  Script("j/cheap", Answer(AnalysisText("Answer: 1", {"A", "B"}), 0.002));
  Script("j/dear", Answer(AnalysisText("Answer: 2", {"A", "B"}), 0.02));
  RunConfig budget = Config({"m/a", "m/b"}, {"j/cheap"});
  RunConfig quality = Config({"m/c", "m/d"}, {"j/dear"});
  EvalPlan p;
  p.set = Set(1);  // q0: "What is 0 + 1?"
  p.contestants = {FusionContestant(budget, "fusion", FusionLabel(budget)),
                   FusionContestant(quality, "extra:fusion:quality", "Quality preset fusion"),
                   SingleContestant(budget, {"or", "m/e"}, "extra:single:or:m/e", "m/e alone")};
  EXPECT_EQ(p.contestants[0].label, "fusion of a, b");
  EXPECT_TRUE(p.contestants[0].config.prompt.empty()) << "the setup's prompt is not an eval question";
  ASSERT_EQ(runner.start(p), "");
  ASSERT_TRUE(RunEval());
  EXPECT_TRUE(runner.task("fusion", "q0")->grade.correct);
  EXPECT_FALSE(runner.task("extra:fusion:quality", "q0")->grade.correct);
  EXPECT_TRUE(runner.task("extra:single:or:m/e", "q0")->grade.correct);
  // The fusion's own panel answers are graded (no extra call): what its judge was given.
  EXPECT_EQ(runner.task("fusion", "q0")->member_correct, (std::vector<int>{1, 1}));
  EXPECT_TRUE(runner.task("extra:single:or:m/e", "q0")->member_correct.empty());
  EXPECT_EQ(RequestsFor("j/cheap").size(), 1u);
  EXPECT_EQ(RequestsFor("j/dear").size(), 1u);
  EXPECT_EQ(RequestsFor("m/e").size(), 1u);
  auto s = runner.summaries();
  ASSERT_EQ(s.size(), 3u);
  EXPECT_NEAR(s[1].cost, 0.022, 1e-9);  // its own panel and judge only
  // The added contestants survive a JSON round trip (as the page keeps them between visits).
  const auto back = ContestantsFromJson(ContestantsToJson(p.contestants));
  ASSERT_EQ(back.size(), 3u);
  {  // and they survive saved progress
    EvalPlan p2;
    std::vector<EvalTask> tasks;
    ASSERT_EQ(EvalRunner::LoadJson(runner.save_json(), p2, tasks), "");
    ASSERT_EQ(tasks.size(), 3u);
    EXPECT_EQ(tasks[0].contestant, "fusion");
    EXPECT_EQ(tasks[0].member_correct, (std::vector<int>{1, 1}));
  }
  EXPECT_EQ(back[1].label, "Quality preset fusion");
  EXPECT_EQ(back[1].config.judges.at(0).model, "j/dear");
  EXPECT_EQ(back[2].kind, EvalContestant::Kind::Single);
  EXPECT_TRUE(back[2].config.panel_only);
  EXPECT_TRUE(ContestantsFromJson("not json").empty());
  EXPECT_EQ(ContestantsFromJson(R"([{"id":""},{"id":"x","kind":9},{"id":"x"}])").size(), 1u) << "no id: skipped; ids are unique";
}

TEST_F(EvalRunTest, ALoadedFilesProgressResumesWithoutTheFile) {
  EvalSet s;
  std::vector<EvalFileError> errs;
  ASSERT_TRUE(ParseEvalFile("{\"question\":\"What is 0 + 1?\",\"number\":1,\"tolerance\":0}\n"
                            "{\"id\":\"cap\",\"question\":\"Capital of Australia?\",\"pattern\":[\"\\\\bcanberra\\\\b\"]}\n"
                            "{\"question\":\"Pick\",\"choices\":[\"x\",\"y\"],\"answer\":\"y\"}\n"
                            "{\"question\":\"Explain\",\"rubric\":[{\"text\":\"clear\",\"weight\":2},{\"text\":\"rude\",\"weight\":-1}]}\n"
                            "{\"question\":\"Day?\",\"answer\":\"Friday\"}\n",
                            "file:mine.jsonl", s, errs))
      << (errs.empty() ? "" : std::to_string(errs[0].line) + ": " + errs[0].message);
  // Round trip of every grading kind through the saved form.
  EvalSet again;
  ASSERT_TRUE(ParseEvalFile(EvalItemsToJsonl(s.items), s.id, again, errs)) << (errs.empty() ? "" : errs[0].message);
  ASSERT_EQ(again.items.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(again.items[i].id, s.items[i].id);
    EXPECT_EQ(again.items[i].how(), s.items[i].how());
    EXPECT_EQ(EvalPrompt(again.items[i]), EvalPrompt(s.items[i]));
  }
  EXPECT_DOUBLE_EQ(again.items[3].rubric[1].weight, -1);
  // Progress of a file set, saved and loaded with no file around.
  Answers(true);
  EvalPlan p;
  p.set = s;
  p.set.items.resize(1);
  p.set.items.push_back(s.items[4]);
  p.contestants = {Single("m/a")};
  ScriptedTransport::Rule day;
  day.url_contains = "/chat/completions";
  day.body_contains = "Day?";
  day.steps = Answer("Answer: Friday");
  t.add(day);
  ASSERT_EQ(runner.start(p), "");
  ASSERT_TRUE(RunEval());
  EvalPlan p2;
  std::vector<EvalTask> tasks;
  ASSERT_EQ(EvalRunner::LoadJson(runner.save_json(), p2, tasks), "");
  ASSERT_EQ(p2.set.items.size(), 2u);
  EXPECT_EQ(p2.set.items[1].answer, "Friday");
  EXPECT_EQ(tasks.size(), 2u);
}

}  // namespace
}  // namespace concord
