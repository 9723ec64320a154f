// Pre-run cost estimate (see estimate.h).
#include "estimate.h"

#include <algorithm>

namespace concord {
namespace {
struct Pricer {
  const std::vector<ModelInfo>& cat;
  RunEstimate& out;
  const ModelInfo* find(const ModelRef& m) {
    for (auto& i : cat) if (i.id == m.model) return &i;
    return nullptr;
  }
  // Adds one call of `m` reading `in` tokens and writing `completion` tokens.
  void call(const ModelRef& m, double in, double completion, bool search) {
    ++out.calls;
    const ModelInfo* i = find(m);
    // Routers (openrouter/auto, openrouter/fusion...) are billed by the models they route to.
    if (!i || m.model.rfind("openrouter/", 0) == 0) {
      const std::string why = m.model + (i ? " (priced by the models it routes to)" : " (not in the catalogue)");
      if (std::find(out.unpriced.begin(), out.unpriced.end(), why) == out.unpriced.end()) out.unpriced.push_back(why);
      return;
    }
    out.cost += in * i->price_prompt + completion * i->price_completion + i->price_request;
    if (search) out.cost += i->price_web_search;  // one search (the server tool may search more)
  }
};
double Reasoning(const ModelRef& m, const EstimateAssumptions& a) {
  if (m.effort == "high") return a.reasoning_high;
  if (m.effort == "medium") return a.reasoning_medium;
  if (m.effort == "low" || m.effort == "minimal") return a.reasoning_low;
  return 0;
}
}  // namespace

RunEstimate EstimateRun(const RunConfig& cfg, const std::vector<ModelInfo>& cat, const std::vector<Endpoint>& eps,
                        const EstimateAssumptions& a) {
  RunEstimate out;
  Pricer p{cat, out};
  auto is_openrouter = [&](const ModelRef& m) {
    for (auto& e : eps) if (e.id == m.endpoint) return e.kind == ProviderKind::OpenRouter;
    return false;
  };
  const double question = static_cast<double>(cfg.prompt.size()) / a.chars_per_token;
  const double member_in = question + a.member_system;
  double answers = 0;  // what the judge and the writer read
  for (auto& m : cfg.panel) {
    const int cap = m.max_tokens > 0 ? m.max_tokens : cfg.max_tokens;
    const double answer = cap > 0 ? std::min<double>(a.answer, cap) : a.answer;
    answers += answer;
    const bool search = is_openrouter(m) && (cfg.search == WebSearchMode::OpenRouterPlugin || cfg.search == WebSearchMode::OpenRouterTool);
    p.call(m, member_in, answer + Reasoning(m, a), search);
  }
  // MoA layers and peer ranking: one call per member each, reading every answer.
  for (int k = 0; k < cfg.moa_layers; ++k)
    for (auto& m : cfg.panel) p.call(m, member_in + answers, a.answer + Reasoning(m, a), false);
  if (cfg.peer_ranking)
    for (auto& m : cfg.panel) p.call(m, member_in + answers, 200, false);
  const double judge_in = question + answers + a.judge_overhead;
  if (!cfg.judges.empty()) {
    const ModelRef& j = cfg.judges[0];
    p.call(j, judge_in, a.analysis + Reasoning(j, a), false);
    if (cfg.two_phase_judge) {
      const ModelRef& w = cfg.writers.empty() ? j : cfg.writers[0];
      p.call(w, judge_in + a.analysis, a.final_answer + Reasoning(w, a), false);
    }
  }
  for (auto& c : cfg.contestants) p.call(c, question, a.answer, false);
  return out;
}

}  // namespace concord
