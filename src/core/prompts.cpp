// The prompts of a run: the system texts for panel members, MoA refinement and peer ranking, and
// the chat parameters (messages included) of every call: member, comparison, judge, layer, rank, writer.
#include "run.h"

#include <cstdio>

#include "jsonutil.h"

namespace concord {

namespace {

const char* kMemberSystem =
    "You are one member of a panel of AI models answering the same question independently. "
    "Answer accurately and completely in markdown. State your reasoning and be explicit about "
    "uncertainty; say so when you disagree with a common view.";
const char* kMoaSystem =
    "You are refining your own answer. Below are answers to the same question from several AI models, "
    "anonymised as Response A, B, C... (yours is among them). Write one improved, complete answer in "
    "markdown: keep what is correct and well supported, fix mistakes, add what is missing, and say where "
    "real uncertainty remains. Do not mention the other responses or this refinement step.";
const char* kRankSystem =
    "You evaluate anonymised answers to a question. For each response, say briefly what it does well and "
    "badly (accuracy first, then completeness and clarity). Then end with the exact line 'FINAL RANKING:' "
    "followed by a numbered list from best to worst, one per line, in the form '1. Response C'.";

std::string AnswerBlocks(const std::vector<JudgeInput>& in) {
  std::string s;
  for (auto& a : in) s += "\n\n=== Response " + a.label + " ===\n" + a.answer + IncompleteNote(a);
  return s;
}
}  // namespace

std::string FusionEngine::conversation_prompt() const {
  if (run_.history.empty()) return run_.config.prompt;
  std::string s = "Conversation so far:\n";
  for (auto& m : run_.history) s += (m.role == "user" ? "User: " : "Assistant: ") + m.content + "\n\n";
  s += "Follow-up question: " + run_.config.prompt;
  return s;
}

const char* FusionEngine::role_name(Group g) {
  static const char* kRoles[] = {"member", "judge", "writer", "layer", "rank", "contestant"};
  return kRoles[static_cast<int>(g)];
}

ChatParams FusionEngine::params_for(Slot s) const {
  ChatParams p;
  const RunConfig& cfg = run_.config;
  if (s.g == Group::Member) {
    const Call& c = run_.members[s.i];
    const Endpoint* ep = endpoint(c.model.endpoint);
    p.model = c.model.model;
    p.temperature = c.model.temperature;
    p.max_tokens = c.model.max_tokens > 0 ? c.model.max_tokens : cfg.max_tokens;
    p.reasoning_effort = c.model.effort;
    std::string sys = cfg.custom_member_system ? cfg.member_system : kMemberSystem;
    if (!run_.sources.empty()) {
      sys += "\n\nWeb sources (cite them as [n] where you use them):\n";
      for (auto& src : run_.sources) sys += "[" + std::to_string(src.n) + "] " + src.title + " - " + src.url + "\n" + src.snippet + "\n";
    }
    if (!sys.empty()) p.messages.push_back({"system", sys});
    for (auto& h : run_.history) p.messages.push_back(h);
    p.messages.push_back({"user", cfg.prompt});
    p.web_plugin = cfg.search == WebSearchMode::OpenRouterPlugin && ep && ep->kind == ProviderKind::OpenRouter;
    p.web_tool = cfg.search == WebSearchMode::OpenRouterTool && ep && ep->kind == ProviderKind::OpenRouter;
    p.web_max_results = cfg.search_max_results;
    p.web_excluded_domains = cfg.search_excluded_domains;
  } else if (s.g == Group::Contestant) {
    // The prompt alone, as a user would send it: the comparison model does its own work.
    const Call& c = run_.contestants[s.i];
    p.model = c.model.model;
    p.temperature = c.model.temperature;
    p.max_tokens = c.model.max_tokens;
    p.reasoning_effort = c.model.effort;
    for (auto& h : run_.history) p.messages.push_back(h);
    p.messages.push_back({"user", cfg.prompt});
  } else if (s.g == Group::Judge) {
    const Call& c = run_.judge_calls[s.i];
    const Endpoint* ep = endpoint(c.model.endpoint);
    p.model = c.model.model;
    p.temperature = 0;
    p.max_tokens = c.model.max_tokens;
    p.reasoning_effort = c.model.effort;
    p.messages = BuildJudgeMessages(conversation_prompt(), judge_inputs(), run_.sources, cfg.two_phase_judge);
    if (!run_.rankings.empty() && !p.messages.empty()) {
      std::string line = "\n\nPeer ranking by the panel members themselves (average position, 1 = best; a hint, not a verdict):";
      char buf[32];
      for (auto& [label, avg] : AggregateRanking(run_.rankings)) {
        std::snprintf(buf, sizeof buf, " %s %.2f", label.c_str(), avg);
        line += buf;
      }
      p.messages.back().content += line;
    }
    const ModelInfo* mi = info(c.model.model);
    bool schema_ok = cfg.structured_output && ep && ep->kind != ProviderKind::Anthropic && (!mi || mi->structured_outputs);
    if (schema_ok) {
      p.json_schema = AnalysisSchema();
      p.require_parameters = ep->kind == ProviderKind::OpenRouter;
    }
  } else if (s.g == Group::Layer || s.g == Group::Rank) {
    const Call& c = s.g == Group::Layer ? run_.layers[s.i / 8][s.i % 8] : run_.ranking_calls[s.i];
    p.model = c.model.model;
    p.temperature = s.g == Group::Rank ? 0 : c.model.temperature;
    p.max_tokens = c.model.max_tokens > 0 ? c.model.max_tokens : cfg.max_tokens;
    p.reasoning_effort = c.model.effort;
    // Layer k refines from layer k-1's answers (judge_inputs() already gives the latest ones).
    std::vector<JudgeInput> in;
    for (auto& l : run_.judged_labels) in.push_back(JudgeInputOf(l, s.g == Group::Layer ? layer_input(s.i / 8, l) : run_.current_call(l)));
    p.messages.push_back({"system", s.g == Group::Layer ? kMoaSystem : kRankSystem});
    std::string user = "Question:\n" + conversation_prompt() + AnswerBlocks(in);
    if (s.g == Group::Layer) user += "\n\nYou wrote Response " + c.label + ". Now write your improved answer.";
    p.messages.push_back({"user", user});
  } else {
    p.model = run_.final_call.model.model;
    p.temperature = 0.2;
    p.max_tokens = run_.final_call.model.max_tokens;
    p.reasoning_effort = run_.final_call.model.effort;
    p.messages = BuildFinalAnswerMessages(conversation_prompt(), judge_inputs(), run_.sources, run_.judge_parse.analysis);
  }
  p.stream = true;
  // BuildChatRequest sends the hint to demo endpoints only: what the app asks the scripted demo
  // to script (an eval item's answer key), and what the call is, so the demo never has to guess
  // a call's role from the prompt's wording.
  const Endpoint* ep = endpoint(call(s).model.endpoint);
  if (ep && ep->is_demo) {
    json hint = cfg.demo_hint.empty() ? json::object() : ParseJson(cfg.demo_hint);
    if (!hint.is_object()) hint = json::object();
    hint["call"] = {{"role", role_name(s.g)}, {"two_phase", s.g == Group::Judge && cfg.two_phase_judge}};
    p.demo_hint = Dump(hint);
  }
  return p;
}

}  // namespace concord
