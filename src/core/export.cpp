// Versioned JSON export/import of a run (never a key: endpoints are referenced by id,
// and the run holds no secrets), and a Markdown export of the final answer with its
// analysis. Import never throws and leaves the target untouched on error.
#include <algorithm>
#include <cstdio>

#include "jsonutil.h"
#include "model_json.h"
#include "run.h"
#include "synthesis.h"

namespace concord {
namespace {
constexpr int kFormatVersion = 1;
constexpr const char* kFormat = "concord.run";

json ToJson(const Usage& u) {
  return {{"prompt_tokens", u.prompt_tokens}, {"completion_tokens", u.completion_tokens},
          {"reasoning_tokens", u.reasoning_tokens}, {"cached_tokens", u.cached_tokens},
          {"web_search_requests", u.web_search_requests}, {"cost", u.cost}, {"has_cost", u.has_cost},
          {"byok_upstream", u.byok_upstream}};
}
Usage UsageFrom(const json& j) {
  Usage u;
  u.prompt_tokens = GetInt(j, "prompt_tokens");
  u.completion_tokens = GetInt(j, "completion_tokens");
  u.reasoning_tokens = GetInt(j, "reasoning_tokens");
  u.cached_tokens = GetInt(j, "cached_tokens");
  u.web_search_requests = GetInt(j, "web_search_requests");
  u.cost = GetNum(j, "cost");
  u.has_cost = GetBool(j, "has_cost");
  u.byok_upstream = GetNum(j, "byok_upstream");
  return u;
}
json ToJson(const CallError& e) {
  if (e.empty()) return nullptr;
  return {{"id", e.id}, {"http_status", e.http_status}, {"code", e.code}, {"error_type", e.error_type},
          {"message", e.message}, {"retry_after_s", e.retry_after_s}, {"retryable", e.retryable}};
}
CallError ErrorFrom(const json& j) {
  CallError e;
  if (!j.is_object()) return e;
  e.id = GetStr(j, "id");
  e.http_status = static_cast<int>(GetInt(j, "http_status"));
  e.code = GetStr(j, "code");
  e.error_type = GetStr(j, "error_type");
  e.message = GetStr(j, "message");
  e.retry_after_s = GetNum(j, "retry_after_s", -1);
  e.retryable = GetBool(j, "retryable");
  return e;
}
json ToJson(const Call& c) {
  json cites = json::array();
  for (auto& ci : c.result.citations)
    cites.push_back({{"url", ci.url}, {"title", ci.title}, {"content", ci.content},
                     {"start_index", ci.start_index}, {"end_index", ci.end_index}});
  json retried = json::array();
  for (auto& e : c.retried_errors) retried.push_back(ToJson(e));
  json j = ModelRefToJson(c.model);
  j.update(json{{"label", c.label}, {"status", ToString(c.status)}, {"attempt", c.attempt},
          {"t_queued", c.t_queued}, {"t_start", c.t_start}, {"t_first_token", c.t_first_token}, {"t_end", c.t_end},
          {"content", c.result.content}, {"reasoning", c.result.reasoning}, {"citations", cites},
          {"usage", ToJson(c.result.usage)}, {"finish_reason", c.result.finish_reason},
          {"unterminated", c.result.unterminated}, {"lost", c.result.lost}, {"answered_by", c.result.model},
          {"generation_id", c.result.generation_id}, {"error", ToJson(c.result.error)},
          {"retried_errors", retried}, {"cost", c.cost}, {"earlier_cost", c.earlier_cost}, {"late", c.late}});
  return j;
}
json MergedSourcesJson(const FusionRun& r) {
  json a = json::array();
  for (auto& s : MergeSources(r)) a.push_back({{"url", s.url}, {"title", s.title}, {"cited_by", s.labels}});
  return a;
}
json CallsJson(const std::vector<Call>& calls) {
  json a = json::array();
  for (auto& c : calls) a.push_back(ToJson(c));
  return a;
}
MemberStatus StatusFrom(const std::string& s) {
  for (auto st : {MemberStatus::Queued, MemberStatus::Streaming, MemberStatus::Done, MemberStatus::Failed,
                  MemberStatus::Cancelled, MemberStatus::TimedOut})
    if (s == ToString(st)) return st;
  return MemberStatus::Failed;
}
Call CallFrom(const json& j) {
  Call c;
  c.model = ModelRefFromJson(j);
  c.label = GetStr(j, "label");
  c.status = StatusFrom(GetStr(j, "status"));
  // An imported run is never in flight: anything that was still running is shown as cancelled.
  if (c.status == MemberStatus::Queued || c.status == MemberStatus::Streaming) c.status = MemberStatus::Cancelled;
  c.attempt = static_cast<int>(GetInt(j, "attempt"));
  c.t_queued = GetNum(j, "t_queued");
  c.t_start = GetNum(j, "t_start", -1);
  c.t_first_token = GetNum(j, "t_first_token", -1);
  c.t_end = GetNum(j, "t_end", -1);
  c.result.content = GetStr(j, "content");
  c.result.reasoning = GetStr(j, "reasoning");
  for (auto& ci : GetArr(j, "citations"))
    c.result.citations.push_back({GetStr(ci, "url"), GetStr(ci, "title"), GetStr(ci, "content"),
                                  static_cast<int>(GetInt(ci, "start_index", -1)), static_cast<int>(GetInt(ci, "end_index", -1))});
  c.result.usage = UsageFrom(GetObj(j, "usage"));
  c.result.finish_reason = GetStr(j, "finish_reason");
  c.result.unterminated = GetBool(j, "unterminated");
  c.result.lost = GetStr(j, "lost");
  c.result.model = GetStr(j, "answered_by");
  c.result.generation_id = GetStr(j, "generation_id");
  if (const json* e = Get(j, "error")) c.result.error = ErrorFrom(*e);
  for (auto& e : GetArr(j, "retried_errors")) c.retried_errors.push_back(ErrorFrom(e));
  c.cost = GetNum(j, "cost");
  c.earlier_cost = std::max(0.0, std::min(GetNum(j, "earlier_cost"), c.cost));
  c.late = GetBool(j, "late");
  return c;
}
// Markdown blockquote of a (possibly multi-line) text.
std::string Quote(const std::string& text) {
  std::string q = "> ";
  for (char ch : text) {
    q += ch;
    if (ch == '\n') q += "> ";
  }
  return q;
}
const char* SearchName(WebSearchMode m) {
  return m == WebSearchMode::OpenRouterPlugin ? "openrouter_plugin" : m == WebSearchMode::SharedSearch ? "shared"
       : m == WebSearchMode::OpenRouterTool ? "openrouter_tool" : "off";
}
}  // namespace

std::string ExportRunJson(const FusionRun& r) {
  const RunConfig& c = r.config;
  json cfg = {{"prompt", c.prompt}, {"panel", ModelRefsToJson(c.panel)}, {"judges", ModelRefsToJson(c.judges)},
              {"writers", ModelRefsToJson(c.writers)}, {"contestants", ModelRefsToJson(c.contestants)},
              {"search", SearchName(c.search)}, {"search_url", c.search_url},
              {"search_max_results", c.search_max_results}, {"search_excluded_domains", c.search_excluded_domains},
              {"quorum", c.quorum},
              {"quorum_deadline_s", c.quorum_deadline_s}, {"two_phase_judge", c.two_phase_judge},
              {"structured_output", c.structured_output}, {"max_tokens", c.max_tokens}};
  // search_key is deliberately absent: exports never carry a secret.
  json hist = json::array();
  for (auto& m : r.history) hist.push_back({{"role", m.role}, {"content", m.content}});
  json sources = json::array();
  for (auto& s : r.sources) sources.push_back({{"n", s.n}, {"url", s.url}, {"title", s.title}, {"snippet", s.snippet}});
  json members = CallsJson(r.members);
  json judges = CallsJson(r.judge_calls);
  json labels = json::array();
  for (auto& l : r.judged_labels) labels.push_back(l);
  json layers = json::array();
  for (auto& layer : r.layers) {
    json a = json::array();
    for (auto& c : layer) a.push_back(ToJson(c));
    layers.push_back(a);
  }
  json ranking_calls = json::array();
  for (auto& c : r.ranking_calls) ranking_calls.push_back(ToJson(c));
  json rankings = json::array();
  for (auto& rk : r.rankings) rankings.push_back({{"by", rk.by}, {"order", rk.order}});
  json out = {{"format", kFormat}, {"version", kFormatVersion}, {"id", r.id}, {"created_unix", r.created_unix},
              {"config", cfg}, {"history", hist}, {"stage", ToString(r.stage)}, {"sources", sources},
              {"search_error", r.search_error}, {"members", members}, {"judge_calls", judges},
              {"final_call", r.final_call.label.empty() ? json(nullptr) : ToJson(r.final_call)},
              {"judged_labels", labels}, {"judge_raw", r.judge_raw}, {"analyst_call", r.analyst_call}, {"final_answer", r.final_answer},
              {"final_note", r.final_note}, {"analysis_note", r.analysis_note},
              {"writer_attempts", CallsJson(r.writer_attempts)}, {"contestants", CallsJson(r.contestants)}, {"merged_sources", MergedSourcesJson(r)}, {"warning", r.warning}, {"error", r.error},
              {"t_end", r.t_end}, {"t_panel_start", r.t_panel_start}, {"t_judge_start", r.t_judge_start},
              {"moa_layers", c.moa_layers}, {"peer_ranking", c.peer_ranking}, {"layers", layers},
              {"ranking_calls", ranking_calls}, {"rankings", rankings}};
  return Dump(out, 1);
}

std::string ImportRunJson(const std::string& text, FusionRun& out) {
  json j = ParseJson(text);
  if (j.is_discarded()) return "[import.not_json] the file is not JSON";
  if (!j.is_object() || GetStr(j, "format") != kFormat) return "[import.format] not a Concord run export (no \"format\":\"concord.run\")";
  const int64_t version = GetInt(j, "version");  // compared as read: no narrowing to int first
  if (version < 1 || version > kFormatVersion)
    return "[import.version] export version " + std::to_string(version) + " is not supported (this app reads 1)";
  FusionRun r;
  r.id = GetStr(j, "id");
  r.created_unix = GetNum(j, "created_unix");
  const json& cfg = GetObj(j, "config");
  r.config.prompt = GetStr(cfg, "prompt");
  r.config.panel = ModelRefsFromJson(GetArr(cfg, "panel"));
  r.config.judges = ModelRefsFromJson(GetArr(cfg, "judges"));
  r.config.writers = ModelRefsFromJson(GetArr(cfg, "writers"));
  r.config.contestants = ModelRefsFromJson(GetArr(cfg, "contestants"), 2);
  r.config.search_max_results = static_cast<int>(std::clamp<int64_t>(GetInt(cfg, "search_max_results"), 0, 10));
  for (auto& d : GetArr(cfg, "search_excluded_domains"))
    if (d.is_string() && r.config.search_excluded_domains.size() < 20) r.config.search_excluded_domains.push_back(d.get<std::string>());
  std::string sm = GetStr(cfg, "search");
  r.config.search = sm == "openrouter_plugin" ? WebSearchMode::OpenRouterPlugin : sm == "shared" ? WebSearchMode::SharedSearch
                  : sm == "openrouter_tool" ? WebSearchMode::OpenRouterTool : WebSearchMode::Off;
  r.config.search_url = GetStr(cfg, "search_url");
  r.config.quorum = static_cast<int>(GetInt(cfg, "quorum"));
  r.config.quorum_deadline_s = GetNum(cfg, "quorum_deadline_s");
  r.config.two_phase_judge = GetBool(cfg, "two_phase_judge");
  r.config.structured_output = GetBool(cfg, "structured_output", true);
  r.config.max_tokens = static_cast<int>(GetInt(cfg, "max_tokens"));
  for (auto& m : GetArr(j, "history")) r.history.push_back({GetStr(m, "role"), GetStr(m, "content")});
  for (auto& s : GetArr(j, "sources")) r.sources.push_back({static_cast<int>(GetInt(s, "n")), GetStr(s, "url"), GetStr(s, "title"), GetStr(s, "snippet")});
  r.search_error = GetStr(j, "search_error");
  for (auto& m : GetArr(j, "members")) r.members.push_back(CallFrom(m));
  if (r.members.empty()) return "[import.no_members] the export has no panel members";
  if (r.members.size() > 26) return "[import.too_many] the export has more than 26 members";
  for (auto& m : GetArr(j, "judge_calls")) r.judge_calls.push_back(CallFrom(m));
  if (const json* f = Get(j, "final_call"); f && f->is_object()) r.final_call = CallFrom(*f);
  for (auto& m : GetArr(j, "writer_attempts")) r.writer_attempts.push_back(CallFrom(m));
  for (auto& m : GetArr(j, "contestants")) if (m.is_object() && r.contestants.size() < 2) r.contestants.push_back(CallFrom(m));
  r.analysis_note = GetStr(j, "analysis_note");
  for (auto& l : GetArr(j, "judged_labels")) if (l.is_string()) r.judged_labels.push_back(l.get<std::string>());
  r.config.moa_layers = static_cast<int>(GetInt(j, "moa_layers"));
  r.config.peer_ranking = GetBool(j, "peer_ranking");
  for (auto& layer : GetArr(j, "layers")) {
    r.layers.emplace_back();
    for (auto& c : layer) if (c.is_object() && r.layers.back().size() < 8) r.layers.back().push_back(CallFrom(c));
  }
  for (auto& c : GetArr(j, "ranking_calls")) if (c.is_object()) r.ranking_calls.push_back(CallFrom(c));
  for (auto& rk : GetArr(j, "rankings")) {
    Ranking x;
    x.by = GetStr(rk, "by");
    for (auto& l : GetArr(rk, "order")) if (l.is_string()) x.order.push_back(l.get<std::string>());
    r.rankings.push_back(std::move(x));
  }
  r.judge_raw = GetStr(j, "judge_raw");
  const int64_t analyst = GetInt(j, "analyst_call", -1);
  r.analyst_call = analyst >= 0 && static_cast<uint64_t>(analyst) < r.judge_calls.size() ? static_cast<int>(analyst) : -1;
  if (!r.judge_raw.empty()) {
    r.judge_parse = ExtractAnalysis(r.judge_raw);
    r.has_analysis = r.judge_parse.ok;
    // The same review as the live run (its note is saved as analysis_note).
    if (r.has_analysis) ReviewAnalysis(r.judge_parse, r.judged_labels);
  }
  r.final_answer = GetStr(j, "final_answer");
  r.final_note = GetStr(j, "final_note");
  r.warning = GetStr(j, "warning");
  r.error = GetStr(j, "error");
  std::string st = GetStr(j, "stage");
  r.stage = st == "failed" ? RunStage::Failed : st == "cancelled" ? RunStage::Cancelled : RunStage::Done;
  r.t_end = GetNum(j, "t_end", -1);
  r.t_panel_start = GetNum(j, "t_panel_start", -1);
  r.t_judge_start = GetNum(j, "t_judge_start", -1);
  out = std::move(r);
  return "";
}

std::string ExportRunMarkdown(const FusionRun& r) {
  std::string md = "# Concord fusion\n\n**Question:** " + r.config.prompt + "\n\n";
  md += "**Panel:**";
  for (auto& m : r.members) md += " " + m.label + " = `" + m.model.model + "` (" + ToString(m.status) + ");";
  if (const Call* judge = r.named_judge()) md += "\n**Judge:** `" + judge->model.model + "`";
  char buf[160];
  md += "\n**Cost:** " + FormatCost(r.total_cost()) + " total" +
        (r.contestants.empty() ? std::string() : " (" + FormatCost(r.fusion_cost()) + " the fusion, the rest the comparison)") + "\n\n";
  if (const int unknown = r.cost_unknown_calls(); unknown > 0)
    md += Quote("The total leaves out " + std::to_string(unknown) + (unknown == 1 ? " call" : " calls") + " of unknown cost: " +
                (unknown == 1 ? "its" : "their") + " provider reported no cost, and no price is known to compute one.") + "\n\n";
  if (!r.error.empty()) md += Quote(r.error) + "\n\n";
  if (!r.final_note.empty()) md += Quote(r.final_note) + "\n\n";
  if (!r.analysis_note.empty()) md += Quote(r.analysis_note) + "\n\n";
  if (const auto merged = MergeSources(r); !merged.empty()) {
    md += "**Sources the panel cited:**\n\n";
    for (auto& s : merged) {
      std::string who;
      for (auto& l : s.labels) who += (who.empty() ? "" : ", ") + l;
      md += "- [" + s.title + "](" + s.url + ") (" + who + ")\n";
    }
    md += "\n";
  }
  md += "## Final answer\n\n" + r.final_answer + "\n\n";
  if (r.has_analysis) {
    const Analysis& a = r.judge_parse.analysis;
    auto models = [](const std::vector<std::string>& v) {
      std::string s;
      for (auto& m : v) s += (s.empty() ? "" : ", ") + m;
      return s;
    };
    md += "## Analysis\n\n### Consensus\n\n";
    for (auto& c : a.consensus) md += "- " + c.claim + " (" + models(c.models) + ")\n";
    md += "\n### Contradictions\n\n";
    for (auto& c : a.contradictions) {
      md += "- **" + c.topic + "**\n";
      for (auto& s : c.stances) md += "  - " + s.model + ": " + s.stance + "\n";
      if (!c.assessment.empty()) md += "  - *Assessment:* " + c.assessment + "\n";
    }
    md += "\n### Partial coverage\n\n";
    for (auto& p : a.partial_coverage) md += "- " + p.point + " (" + models(p.models) + ")\n";
    md += "\n### Unique insights\n\n";
    for (auto& u : a.unique_insights) md += "- " + u.model + ": " + u.insight + "\n";
    md += "\n### Blind spots\n\n";
    for (auto& b : a.blind_spots) md += "- " + b + "\n";
    if (!a.minority.empty()) {
      md += "\n### Minority positions (may be right)\n\n";
      for (auto& m : a.minority) md += "- " + m.position + " (" + m.model + ")" + (m.why.empty() ? "" : ": " + m.why) + "\n";
    }
  }
  // Every member's own answer (or why it has none): the export is the whole run, not only the synthesis.
  md += "\n## Panel answers\n\n";
  for (auto& m : r.members) {
    md += "### Response " + m.label + " — `" + m.model.model + "`";
    if (const std::string by = AnsweredBy(m); !by.empty()) md += " (answered by `" + by + "`)";
    if (m.status != MemberStatus::Done) md += std::string(" (") + ToString(m.status) + ")";
    if (m.late) md += " (late: not seen by the judge)";
    md += "\n\n";
    if (!m.result.error.empty()) md += Quote(m.result.error.message) + "\n\n";
    if (const std::string why = IncompleteReason(m.result); !why.empty() && !m.result.content.empty())
      md += Quote("Incomplete: " + why + ".") + "\n\n";
    if (!m.result.content.empty()) md += m.result.content + "\n\n";
  }
  for (auto& c : r.contestants) {
    std::snprintf(buf, sizeof buf, ", %.1f s)", c.t_end >= 0 && c.t_start >= 0 ? c.t_end - c.t_start : 0.0);
    md += "\n## Comparison: `" + c.model.model + "` alone" + (c.status == MemberStatus::Done ? " (" + FormatCost(c.cost) + buf : " (" + std::string(ToString(c.status)) + ")") + "\n\n";
    if (!c.result.error.empty()) md += Quote(c.result.error.message) + "\n\n";
    if (const std::string why = IncompleteReason(c.result); !why.empty() && !c.result.content.empty())
      md += Quote("Incomplete: " + why + ".") + "\n\n";
    if (!c.result.content.empty()) md += c.result.content + "\n\n";
  }
  if (!r.sources.empty()) {
    md += "\n## Sources\n\n";
    for (auto& s : r.sources) md += "[" + std::to_string(s.n) + "] " + s.title + " — " + s.url + "\n";
  }
  return md;
}

}  // namespace concord
