// UpdateMapData: turns a (possibly still streaming) FusionRun into the maps' data, recomputing
// only when a cheap change key differs, so the panel can call it every frame.
#include "mapdata.h"

#include <cmath>
#include <cstdio>

namespace concord {

namespace {

bool Pending(MemberStatus s) { return s == MemberStatus::Queued || s == MemberStatus::Streaming; }

// Everything the maps read, as integers. Content *sizes* stand in for content: streamed text
// only grows, and a finished answer changes status, so size + status catches every change.
std::vector<int64_t> ChangeKey(const FusionRun& run, bool weight_by_cost) {
  std::vector<int64_t> k;
  k.reserve(8 + run.members.size() * 5 + run.judge_calls.size());
  k.push_back(static_cast<int64_t>(run.members.size()));
  k.push_back(weight_by_cost ? 1 : 0);
  k.push_back(run.has_analysis ? 1 : 0);
  k.push_back(static_cast<int64_t>(run.judge_raw.size()));
  k.push_back(static_cast<int64_t>(run.stage));
  for (const Call& m : run.members) {
    k.push_back(static_cast<int64_t>(m.status));
    // While a member streams, its size counts in steps (64 B up to 2 KB, then 1/16 of what is there):
    // the live similarity stays current without a full TF-IDF pass on every token, which
    // for 8 x 30 KB answers would cost tens of ms per frame in wasm. Final sizes are exact.
    const int64_t size = static_cast<int64_t>(m.result.content.size());
    const bool streaming = m.status == MemberStatus::Streaming || m.status == MemberStatus::Queued;
    const int64_t step = size < 2048 ? size / 64 : 32 + static_cast<int64_t>(std::log(size / 2048.0) / std::log(1.0625));
    k.push_back(streaming ? step : size);
    k.push_back(streaming ? 1 : 0);
    k.push_back(m.result.usage.completion_tokens);
    k.push_back(static_cast<int64_t>(m.cost * 1e9));  // nano-dollars
    k.push_back(static_cast<int64_t>(m.label.size() * 131 + m.model.model.size()));
  }
  k.push_back(static_cast<int64_t>(run.judge_calls.size()));
  for (const Call& j : run.judge_calls) k.push_back(static_cast<int64_t>(j.status));
  return k;
}

}  // namespace

bool JudgeFailed(const FusionRun& run) {
  if (run.has_analysis) return false;
  for (const Call& j : run.judge_calls)
    if (Pending(j.status)) return false;
  // Judge attempts all ended, or the run is over (every judge failed, none configured, or
  // every member failed so there was nothing to judge).
  if (!run.judge_calls.empty()) return run.stage != RunStage::Panel && run.stage != RunStage::Search;
  return run.stage == RunStage::Done || run.stage == RunStage::Failed || run.stage == RunStage::Cancelled;
}

bool UpdateMapData(MapData& d, const FusionRun& run, bool weight_by_cost) {
  std::vector<int64_t> key = ChangeKey(run, weight_by_cost);
  if (d.revision != 0 && key == d.key) return false;
  d.key = std::move(key);
  ++d.revision;

  const size_t n = run.members.size();
  d.labels.clear();
  d.models.clear();
  std::vector<std::string> texts;
  texts.reserve(n);
  for (const Call& m : run.members) {
    d.labels.push_back(m.label);
    d.models.push_back(m.model.model);
    texts.push_back(m.result.content);
  }
  d.has_analysis = run.has_analysis;
  d.judge_failed = JudgeFailed(run);

  if (run.has_analysis) {
    d.matrix = BuildStanceMatrix(run.judge_parse.analysis, d.labels);
    d.agreement = AgreementFromStances(d.matrix);
  } else {
    d.matrix = StanceMatrix();
    d.matrix.columns = d.labels;
    d.agreement.clear();
  }
  d.similarity = TextSimilarity(texts);

  // Node weights: cost, or completion tokens (estimated from the text while streaming, before
  // the provider reports usage). All-zero weights are passed as "none".
  std::vector<double> w(n, 0.0);
  bool any = false;
  for (size_t i = 0; i < n; ++i) {
    const Call& m = run.members[i];
    if (weight_by_cost) w[i] = m.cost;
    else if (m.result.usage.completion_tokens > 0) w[i] = static_cast<double>(m.result.usage.completion_tokens);
    else w[i] = static_cast<double>(m.result.content.size()) / 4.0;
    any = any || w[i] > 0;
  }
  if (!any) w.clear();
  d.graph = LayoutGraph(d.matrix, run.has_analysis ? d.agreement : d.similarity, w);
  std::vector<double> costs;
  for (const Call& m : run.members) costs.push_back(m.status == MemberStatus::Done ? m.cost : -1);
  d.redundancy = FindRedundancy(run.has_analysis ? d.agreement : d.similarity, d.labels, costs, run.has_analysis);
  return true;
}

RedundancyHint FindRedundancy(const std::vector<double>& m, const std::vector<std::string>& labels,
                              const std::vector<double>& costs, bool judged) {
  RedundancyHint h;
  const size_t n = labels.size();
  if (n < 3 || m.size() != n * n || costs.size() != n) return h;  // with two members, neither is spare
  const double threshold = judged ? kRedundantAgreement : kRedundantSimilarity;
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i + 1; j < n; ++j) {
      const double v = m[i * n + j];
      if (costs[i] < 0 || costs[j] < 0 || v < threshold || v <= h.value) continue;  // unanswered, or weaker
      h.a = static_cast<int>(i);
      h.b = static_cast<int>(j);
      h.value = v;
    }
  if (h.a < 0) return h;
  const size_t a = static_cast<size_t>(h.a), b = static_cast<size_t>(h.b);
  h.drop = costs[a] > costs[b] ? h.a : h.b;
  const size_t keep = static_cast<size_t>(h.drop) == a ? b : a;
  char pct[16];
  std::snprintf(pct, sizeof pct, "%.0f%%", h.value * 100);
  h.text = labels[a] + " and " + labels[b] + (judged ? " take the same side on " + std::string(pct) + " of the judged claims"
                                                     : " are " + std::string(pct) + " similar in wording (local text similarity)") +
           ": " + labels[static_cast<size_t>(h.drop)] + " adds the least for its cost, since " + labels[keep] +
           " says much the same. A panel without it may be as good and cheaper; check on your own questions.";
  return h;
}

}  // namespace concord
