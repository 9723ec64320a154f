// Prompt panel: the multi-line question (Ctrl/Cmd+Enter runs, Esc cancels), the demo's
// example questions, the estimated cost before running, inline validation, and the
// follow-up box; plus the run summary (cost against the cheapest/dearest member, wall time
// against the slowest).
#include <algorithm>
#include <cstdio>
#include <cstring>

#include "imgui.h"
#include "imgui_stdlib.h"
#include "estimate.h"
#include "panels.h"
#include "prompt_edit.h"

namespace concord {

bool IsDemoEndpoint(const std::vector<Endpoint>& eps, const std::string& id) {
  for (auto& e : eps) if (e.id == id) return e.is_demo;
  return false;
}

namespace {
// The demo's gallery: a list with what each example shows before the first run, a row of
// chips after it. A click runs the example at once.
void DrawExamples(UiShared& ui, const std::vector<DemoExample>& examples, bool has_run, bool busy, UiActions& out) {
  if (examples.empty()) return;
  ImGui::TextDisabled(has_run ? "Examples:" : "Try an example (scripted demo answers, no key needed):");
  for (size_t i = 0; i < examples.size(); ++i) {
    const DemoExample& ex = examples[i];
    ImGui::PushID(static_cast<int>(i));
    if (has_run) SameLineIfFits(ImGui::CalcTextSize(ex.label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2);
    ImGui::BeginDisabled(busy);
    if (ImGui::Button(ex.label.c_str())) out.example = static_cast<int>(i);
    ImGui::EndDisabled();
    RecordRect(ui, "example." + std::to_string(i));
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s\n\n%s", ex.question.c_str(), ex.kind.c_str());
    if (!has_run) SameLineText(ex.kind.c_str(), pal::Dim);
    ImGui::PopID();
  }
}

// A free question in the demo: say plainly why nothing ran, and offer the way out.
void DrawDemoOnlyNotice(UiShared& ui, UiActions& out) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Demo));
  ImGui::TextWrapped("The demo has written answers only for the example questions, so it did not run this one: "
                     "its models are scripted, and anything else would be a made-up answer.");
  ImGui::PopStyleColor();
  ImGui::TextWrapped("To ask your own question, connect OpenRouter (you sign in there and come back with a key), "
                     "or paste a key in Setup.");
  if (ImGui::Button("Connect OpenRouter")) out.connect_openrouter = true;
  RecordRect(ui, "demo.connect");
}
}  // namespace

void DrawPrompt(UiShared& ui, const AppStatus& st, const FusionRun& run, const Settings& s, const std::vector<ModelInfo>& cat, const std::vector<Endpoint>& eps,
                const std::vector<DemoExample>& examples, bool busy, UiActions& out) {
  ImGuiIO& io = ImGui::GetIO();
  bool has_run = !run.members.empty();
  ImGui::TextDisabled("Question");
  ImGui::SetNextItemWidth(-1);
  // The box grows with the wrapped question up to 10 lines, then scrolls.
  const float lines = std::max(has_run ? 3.5f : 6.f, std::min(10.f, static_cast<float>(std::count(ui.prompt.shown.begin(), ui.prompt.shown.end(), '\n')) + 1.5f));
  float h = ImGui::GetTextLineHeight() * lines + ImGui::GetStyle().FramePadding.y * 2;
  // The App's prompt is the truth: load it when the App set it (an example, a link, history).
  if (ui.prompt.rev != st.prompt_rev) {
    ui.prompt.text = st.prompt;
    ui.prompt.rev = st.prompt_rev;
  }
  if (ui.requests.clear_follow_up) {
    ui.prompt.follow_up.clear();
    ui.requests.clear_follow_up = false;
  }
  if (PromptInput("##prompt", ui.prompt, h)) out.prompt_text = ui.prompt.text;
  RecordRect(ui, "prompt.input");
  // Ctrl+Enter in a multi-line field validates it, which deactivates it in that same frame.
  bool focused = ImGui::IsItemActive() || ImGui::IsItemDeactivated();
  // Ctrl/Cmd+Enter runs the question from the prompt, or from anywhere not typing elsewhere.
  bool ctrl_enter = (io.KeyCtrl || io.KeySuper) && ImGui::IsKeyPressed(ImGuiKey_Enter, false);
  if (busy) {
    if (ImGui::Button("Cancel run (Esc)")) out.cancel_run = true;
    RecordRect(ui, "prompt.cancel");
    if (ImGui::IsKeyPressed(ImGuiKey_Escape, false)) out.cancel_run = true;
  } else {
    if (ImGui::Button("Run fusion") || (ctrl_enter && (focused || !io.WantTextInput))) out.run = true;
    RecordRect(ui, "prompt.run");
    ImGui::SameLine();
    ImGui::TextDisabled("Ctrl/Cmd+Enter");
  }
  const RunEstimate est = EstimateRun(BuildRunConfig(s, ui.prompt.text), cat, eps);
  std::string line;
  if (s.using_demo()) {
    line = "· demo: free";
  } else if (est.calls > 0 && est.unpriced.size() < static_cast<size_t>(est.calls)) {
    line = "· estimated " + FormatCost(est.cost);
    for (size_t k = 0; k < est.unpriced.size(); ++k) line += (k == 0 ? " + " : ", ") + est.unpriced[k];
  } else {
    line = "· cost unknown (models not in the catalogue)";
  }
  line += " · " + std::to_string(est.calls) + " calls, judge " + (s.judges.empty() ? std::string("(none)") : s.judges[0].model);
  // On the button's line when it fits, else wrapped below it: never cut at the panel's edge.
  SameLineIfFits(ImGui::CalcTextSize(line.c_str()).x);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", line.c_str());
  ImGui::PopStyleColor();
  RecordRect(ui, "prompt.estimate");
  if (ui.prompt.text.size() > 200000) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
    ImGui::TextWrapped("The prompt is %zu KB: it is kept whole, but most models' context will not hold it, and it costs accordingly.",
                       ui.prompt.text.size() / 1024);
    ImGui::PopStyleColor();
  }
  if (st.demo_only_examples) {
    DrawDemoOnlyNotice(ui, out);
  } else if (!st.prompt_message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Disagree));
    ImGui::TextWrapped("%s", st.prompt_message.c_str());
    ImGui::PopStyleColor();
    RecordRect(ui, "prompt.message");
  }
  if (!st.prompt_notice.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Blue));
    ImGui::TextWrapped("%s", st.prompt_notice.c_str());
    ImGui::PopStyleColor();
    RecordRect(ui, "prompt.notice");
  }
  if (s.using_demo()) DrawExamples(ui, examples, has_run, busy, out);
  if (!run.warning.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
    ImGui::TextWrapped("%s", run.warning.c_str());
    ImGui::PopStyleColor();
  }
  if (!run.search_error.empty()) ImGui::TextWrapped("%s", run.search_error.c_str());
  if (!run.sources.empty()) {
    if (ImGui::TreeNode("sources", "Web sources (%zu)", run.sources.size())) {
      for (auto& src : run.sources) {
        ImGui::TextWrapped("[%d] %s", src.n, src.title.c_str());
        ImGui::SameLine();
        ImGui::PushID(src.n);
        if (ImGui::SmallButton("open")) out.open_url = src.url;
        ImGui::PopID();
      }
      ImGui::TreePop();
    }
  }
  if (run.stage == RunStage::Done && !busy && !run.final_answer.empty()) {
    ImGui::SetNextItemWidth(-ui.px(110));
    bool enter = ImGui::InputTextWithHint("##followup", "Ask a follow-up on this answer…", &ui.prompt.follow_up,
                                          ImGuiInputTextFlags_EnterReturnsTrue);
    RecordRect(ui, "prompt.followup");
    ImGui::SameLine();
    if (ImGui::Button("Follow up", ImVec2(-1, 0)) || enter) {
      out.follow_up = true;
      out.follow_up_text = ui.prompt.follow_up;
    }
  }
  ImGui::Spacing();
}

namespace {
// Every member's outcome is known (answered, failed, cancelled or timed out).
bool MembersSettled(const FusionRun& run) {
  return std::none_of(run.members.begin(), run.members.end(), [](const Call& m) {
    return m.status == MemberStatus::Queued || m.status == MemberStatus::Streaming;
  });
}
}  // namespace

std::string SummaryTimes(const FusionRun& run, double now) {
  const double wall = run.t_end >= 0 ? run.t_end : now;
  std::string s = "· " + std::to_string(run.answered()) + "/" + std::to_string(run.members.size()) +
                  " answered · wall " + FormatSeconds(wall);
  if (run.answered() == 0) return s;
  return s + (MembersSettled(run) ? " (slowest member " : " (slowest answer so far ") + FormatSeconds(run.slowest_member_s()) + ")";
}

std::string SummarySpread(const FusionRun& run) {
  if (run.answered() == 0 || run.cheapest_member_cost() < 0) return "";
  return std::string(MembersSettled(run) ? "· " : "· so far: ") + "cheapest member " + FormatCost(run.cheapest_member_cost()) +
         " · dearest member " + FormatCost(run.dearest_member_cost());
}

void DrawSummary(UiShared& ui, const FusionRun& run, const std::vector<Endpoint>& eps, double now) {
  if (run.members.empty()) {
    ImGui::TextDisabled("Run a question to see the judge's synthesis and the agreement maps here.");
    return;
  }
  ImGui::Text("%s", ToString(run.stage));
  // Each part on the line if it fits, else on the next, and wrapped there: never cut off.
  ImGui::PushTextWrapPos(0);
  const std::string times = SummaryTimes(run, now);
  const bool times_inline = SameLineIfFits(ImGui::CalcTextSize(times.c_str()).x);
  ImGui::TextDisabled("%s", times.c_str() + (times_inline || times.rfind("· ", 0) != 0 ? 0 : std::strlen("· ")));
  // The demo's calls report usage at its catalogue's made-up prices: the figures show how
  // costs are counted, and say that nobody pays them.
  int demo_calls = 0, calls = 0;
  auto count = [&](const Call& c) { ++calls; demo_calls += IsDemoEndpoint(eps, c.model.endpoint); };
  for (auto& c : run.members) count(c);
  for (auto& c : run.judge_calls) count(c);
  if (run.final_call.t_start >= 0) count(run.final_call);
  ImGui::Text("Cost %s", FormatCost(run.total_cost()).c_str());
  if (const int unknown = run.cost_unknown_calls(); unknown > 0) {
    // Never a total that looks whole: those calls are counted as 0, and may have cost more.
    const std::string more = "+ " + std::to_string(unknown) + (unknown == 1 ? " call" : " calls") + " of unknown cost";
    SameLineText(more.c_str(), pal::Partial);
    RecordRect(ui, "summary.cost_unreported");
  }
  if (demo_calls > 0) {
    SameLineText(demo_calls == calls ? "simulated: the demo charges nothing" : "demo calls simulated, not charged", pal::Demo);
    RecordRect(ui, "summary.cost_simulated");
  }
  const std::string spread = SummarySpread(run);
  if (!spread.empty()) {
    const bool same_line = SameLineIfFits(ImGui::CalcTextSize(spread.c_str()).x);
    ImGui::TextDisabled("%s", spread.c_str() + (same_line ? 0 : std::strlen("· ")));  // a wrapped line starts with its words
  }
  ImGui::PopTextWrapPos();
  RecordRect(ui, "summary");
  // Optional stages: what they added, so their cost is visible next to their effect.
  if (!run.layers.empty()) {
    int ok = 0, all = 0;
    for (auto& layer : run.layers) for (auto& c : layer) { ++all; ok += c.status == MemberStatus::Done; }
    ImGui::TextDisabled("MoA: %zu refinement layer(s), %d of %d rewrites succeeded", run.layers.size(), ok, all);
  }
  if (!run.ranking_calls.empty()) {
    std::string line = "Peer ranking (avg position):";
    char buf[48];
    for (auto& [label, avg] : AggregateRanking(run.rankings)) {
      std::snprintf(buf, sizeof buf, "  %s %.1f", label.c_str(), avg);
      line += buf;
    }
    if (run.rankings.empty()) line += run.stage == RunStage::Layers ? "  ranking…" : "  no ranking could be read";
    ImGui::TextDisabled("%s", line.c_str());
    RecordRect(ui, "summary.ranking");
  }
  if (!run.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Disagree));
    ImGui::TextWrapped("%s", run.error.c_str());
    ImGui::PopStyleColor();
  }
}

}  // namespace concord
