// Panel cards: one per member with status, elapsed time, time to first token, tokens,
// cost, the streaming text (rendered markdown or raw), citations, the provider's own
// error message, and cancel / retry for that member.
#include <cstdio>

#include "markdown.h"
#include "panels.h"

namespace concord {
namespace {
ImU32 StatusColour(const Call& c) {
  switch (c.status) {
    case MemberStatus::Done: return pal::Agree;
    case MemberStatus::Failed:
    case MemberStatus::TimedOut: return pal::Disagree;
    case MemberStatus::Cancelled: return pal::Dim;
    case MemberStatus::Streaming: return pal::Blue;
    case MemberStatus::Queued: break;
  }
  return pal::Partial;
}

constexpr size_t kReasoningShown = 20000;  // characters of a reasoning trace drawn in a card

std::string StatusText(const Call& c) {
  if (c.status == MemberStatus::Streaming && c.t_first_token < 0) return "waiting for first token";
  if (c.status == MemberStatus::Queued && c.t_next_retry >= 0) return "retrying soon";
  return ToString(c.status);
}

// A provider reports usage in its last chunk: while a call streams without it, "0 tokens ·
// $0" would be a figure nobody measured.
bool UsagePending(const Call& c) {
  const Usage& u = c.result.usage;
  const bool reported = u.completion_tokens > 0 || u.prompt_tokens > 0 || u.has_cost;
  return !reported && (c.status == MemberStatus::Queued || c.status == MemberStatus::Streaming);
}
}  // namespace

std::string CallCost(const Call& c) {
  if (UsagePending(c)) return "cost when it ends";
  if (c.cost_unknown()) return "cost unknown";
  const std::string earlier = c.earlier_cost > 0 ? " (" + FormatCost(c.earlier_cost) + " of it for earlier attempts)" : "";
  if (c.result.usage.byok_upstream > 0)
    return FormatCost(c.cost) + " (" + FormatCost(c.result.usage.byok_upstream) + " of it billed to your own provider key)" + earlier;
  return FormatCost(c.cost) + (c.result.usage.has_cost ? "" : (c.cost > 0 ? " (est.)" : "")) + earlier;
}

void DrawCallProblems(UiShared& ui, const Call& c, const std::string& rect_prefix) {
  if (!c.result.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Disagree));
    ImGui::TextWrapped("%s", c.result.error.message.c_str());
    ImGui::PopStyleColor();
    RecordRect(ui, rect_prefix + ".error");
    if (!c.result.content.empty()) ImGui::TextDisabled("The text received before the error is kept below.");
  } else if (const std::string why = IncompleteReason(c.result); !why.empty() && !c.result.content.empty()) {
    // Kept (and judged, with the judge told), but never passed off as whole.
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
    ImGui::TextWrapped("Incomplete: %s.", why.c_str());
    ImGui::PopStyleColor();
    RecordRect(ui, rect_prefix + ".incomplete");
  }
}

std::string CardMetrics(const Call& c, double now) {
  std::string s = FormatSeconds(c.elapsed(now)) + " · first token " + FormatSeconds(c.ttft());
  if (UsagePending(c)) return s + " · tokens and cost when it ends";
  if (c.usage_unreported()) return s + " · tokens and cost not reported by the provider";
  const Usage& u = c.result.usage;
  s += " · " + FormatTokens(u.completion_tokens) + " tokens out";
  if (u.reasoning_tokens) s += " (" + FormatTokens(u.reasoning_tokens) + " reasoning)";
  if (c.cost_unknown()) return s + " · cost unknown: the provider reported none, and no price is known for this model";
  return s + " · " + CallCost(c);
}

void DrawCards(UiShared& ui, const FusionRun& run, const std::vector<Endpoint>& eps, double now, UiActions& out) {
  ViewRequests& rq = ui.requests;
  if (rq.reset_cards) {
    ui.cards = CardsView();
    rq.reset_cards = false;
  }
  if (rq.focus_member >= 0) {
    ui.cards.focus_member = rq.focus_member;
    ui.cards.scroll_pending = true;
    ui.cards.highlight_begin = rq.focus_begin;
    ui.cards.highlight_end = rq.focus_end;
    rq.focus_member = rq.focus_begin = rq.focus_end = -1;
  }
  if (run.members.empty()) {
    ImGui::TextDisabled("The panel's answers stream in here, one card per model.");
    return;
  }
  BeginChildOnChildBg("cards", ImVec2(0, 0), false);
  if (ui.cards.show_raw.size() != run.members.size()) ui.cards.show_raw.assign(run.members.size(), false);
  for (size_t i = 0; i < run.members.size(); ++i) {
    const Call& c = run.members[i];
    ImGui::PushID(static_cast<int>(i));
    bool demo = IsDemoEndpoint(eps, c.model.endpoint);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::BeginGroup();
    // Header: label badge, model, status.
    ImGui::PushFont(ui.fonts.bold);
    ImGui::Text("Response %s", c.label.c_str());
    ImGui::PopFont();
    ImGui::SameLine();
    ImGui::TextUnformatted(c.model.model.c_str());
    if (const std::string by = AnsweredBy(c); !by.empty()) {
      ImGui::SameLine(0, 4);
      ImGui::TextDisabled("→ answered by %s", by.c_str());
      RecordRect(ui, "card." + std::to_string(i) + ".answered_by");
    }
    if (const std::string set = SettingsSummary(c.model); !set.empty()) { ImGui::SameLine(); ImGui::TextDisabled("%s", set.c_str()); }
    ImGui::SameLine();
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(StatusColour(c)));
    ImGui::Text("● %s", StatusText(c).c_str());
    ImGui::PopStyleColor();
    RecordRect(ui, "card." + std::to_string(i) + ".status");
    if (c.late) { ImGui::SameLine(); ImGui::TextDisabled("(late: after the judge started)"); }
    if (demo) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Demo));
      ImGui::TextUnformatted("Demo provider: scripted answers, not real models");
      ImGui::PopStyleColor();
    }
    ImGui::PushTextWrapPos(0);  // a narrow card wraps its figures rather than cutting the cost off
    ImGui::TextDisabled("%s", CardMetrics(c, now).c_str());
    ImGui::PopTextWrapPos();
    // Actions.
    bool active = c.status == MemberStatus::Streaming || c.status == MemberStatus::Queued;
    if (active && run.stage != RunStage::Idle) {
      if (ImGui::SmallButton("Cancel")) out.cancel_member = static_cast<int>(i);
      RecordRect(ui, "card." + std::to_string(i) + ".cancel");
      ImGui::SameLine();
    }
    bool retryable = c.status == MemberStatus::Failed || c.status == MemberStatus::TimedOut || c.status == MemberStatus::Cancelled;
    if (retryable) {
      if (ImGui::SmallButton("Retry")) out.retry_member = static_cast<int>(i);
      RecordRect(ui, "card." + std::to_string(i) + ".retry");
      ImGui::SameLine();
    }
    bool raw = ui.cards.show_raw[i];
    if (ImGui::SmallButton(raw ? "Rendered" : "Raw")) ui.cards.show_raw[i] = !raw;
    ImGui::SameLine();
    if (ImGui::SmallButton("Copy")) out.copy = c.result.content;
    // Errors: the provider's own words, and what was retried.
    // Wrapped, not clipped: a provider's message is often longer than the card is wide.
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    for (auto& e : c.retried_errors) ImGui::TextWrapped("retried after: %s", e.message.c_str());
    ImGui::PopStyleColor();
    DrawCallProblems(ui, c, "card." + std::to_string(i));
    // Text.
    if (!c.result.reasoning.empty() && ImGui::TreeNode("reasoning", "Reasoning (%zu chars)", c.result.reasoning.size())) {
      ImGui::PushTextWrapPos(0);
      ImGui::TextUnformatted(c.result.reasoning.c_str(), c.result.reasoning.c_str() + std::min<size_t>(c.result.reasoning.size(), kReasoningShown));
      if (c.result.reasoning.size() > kReasoningShown)
        ImGui::TextDisabled("The first %zu of %zu characters are shown here; the JSON export has all of it.", kReasoningShown,
                            c.result.reasoning.size());
      ImGui::PopTextWrapPos();
      ImGui::TreePop();
    }
    if (!c.result.content.empty()) {
      float h = ui.px(230);
      bool focus = ui.cards.focus_member == static_cast<int>(i);
      if (focus) h = ui.px(300);
      bool scroll = focus && ui.cards.scroll_pending;
      BeginChildOnChildBg("text", ImVec2(0, h), true);
      if (ui.cards.show_raw[i]) {
        ImGui::PushFont(ui.fonts.mono);
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(c.result.content.c_str(), c.result.content.c_str() + c.result.content.size());
        ImGui::PopTextWrapPos();
        ImGui::PopFont();
      } else {
        MarkdownStyle st{&ui.fonts, ui.scale};
        MarkdownResult r = RenderMarkdown("md", c.result.content, st, focus ? ui.cards.highlight_begin : -1,
                                          focus ? ui.cards.highlight_end : -1, scroll);
        if (!r.clicked_url.empty()) out.open_url = r.clicked_url;
        if (!r.copy_code.empty()) out.copy = r.copy_code;
      }
      ImGui::EndChild();
      RecordRect(ui, "card." + std::to_string(i) + ".text");
      if (scroll) {
        ImGui::SetScrollHereY(0.0f);  // bring the card into view in the card list
        ui.cards.scroll_pending = false;
      }
    }
    // MoA rewrites of this member, newest first: the judge reads the newest one that succeeded.
    for (size_t k = run.layers.size(); k-- > 0;) {
      for (const Call& l : run.layers[k]) {
        if (l.label != c.label) continue;
        ImGui::PushID(static_cast<int>(k));
        const std::string head = "Refined, layer " + std::to_string(k + 1) + " (" + ToString(l.status) + ", " +
                                 CallCost(l) + ")";
        if (ImGui::TreeNode("layer", "%s", head.c_str())) {
          if (!l.result.error.empty()) ImGui::TextWrapped("%s", l.result.error.message.c_str());
          if (!l.result.content.empty()) {
            BeginChildOnChildBg("ltext", ImVec2(0, ui.px(200)), true);
            RenderMarkdown("lmd", l.result.content, MarkdownStyle{&ui.fonts, ui.scale});
            ImGui::EndChild();
          }
          ImGui::TreePop();
        }
        ImGui::PopID();
      }
    }
    for (const Call& r : run.ranking_calls) {
      if (r.label != c.label || r.status == MemberStatus::Queued) continue;
      const Ranking* rk = nullptr;
      for (auto& x : run.rankings) if (x.by == c.label) rk = &x;
      std::string order;
      if (rk) for (auto& l : rk->order) order += (order.empty() ? "" : " > ") + l;
      const std::string head = "Its ranking of the panel: " + (rk ? order : std::string(ToString(r.status)));
      if (ImGui::TreeNode("ranking", "%s", head.c_str())) {  // the raw text, so the parse can be checked
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(r.result.content.c_str(), r.result.content.c_str() + r.result.content.size());
        if (!r.result.error.empty()) ImGui::TextWrapped("%s", r.result.error.message.c_str());
        ImGui::PopTextWrapPos();
        ImGui::TreePop();
      }
    }
    if (!c.result.citations.empty() && ImGui::TreeNode("cites", "Citations (%zu)", c.result.citations.size())) {
      for (size_t k = 0; k < c.result.citations.size(); ++k) {
        const Citation& ci = c.result.citations[k];
        ImGui::PushID(static_cast<int>(k));
        if (ImGui::SmallButton("open")) out.open_url = ci.url;
        ImGui::SameLine();
        ImGui::TextWrapped("%s — %s", ci.title.empty() ? "(untitled)" : ci.title.c_str(), ci.url.c_str());
        ImGui::PopID();
      }
      ImGui::TreePop();
    }
    ImGui::EndGroup();
    ImVec2 p1 = ImGui::GetItemRectMax();
    dl->AddRectFilled(ImVec2(p0.x - ui.px(6), p0.y), ImVec2(p0.x - ui.px(3), p1.y), StatusColour(c), ui.px(2));
    RecordRect(ui, "card." + std::to_string(i));
    ImGui::Separator();
    ImGui::PopID();
  }
  ImGui::EndChild();
}

}  // namespace concord
