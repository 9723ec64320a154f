// Judge panel: the final answer (markdown via md4c), the analysis sections with the
// model behind each label, and the judge's raw text one click away; copy buttons.
#include <cstdio>

#include "markdown.h"
#include "panels.h"

namespace concord {
namespace {
std::string Models(const FusionRun& run, const std::vector<std::string>& labels) {
  std::string s;
  for (auto& l : labels) s += (s.empty() ? "" : ", ") + l;
  (void)run;
  return s;
}

void Section(UiShared& ui, const char* title, size_t n) {
  ImGui::PushFont(ui.fonts.bold);
  ImGui::Text("%s (%zu)", title, n);
  ImGui::PopFont();
}

void Bullet(const std::string& text, const std::string& who) {
  ImGui::Bullet();
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(text.c_str());
  if (!who.empty()) ImGui::TextDisabled("%s", who.c_str());
  ImGui::PopTextWrapPos();
}

void DrawAnalysis(UiShared& ui, const FusionRun& run) {
  const Analysis& a = run.judge_parse.analysis;
  ImGui::TextDisabled("Labels: ");
  for (auto& m : run.members) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s = %s;", m.label.c_str(), m.model.model.c_str());
  }
  Section(ui, "Consensus", a.consensus.size());
  for (auto& c : a.consensus) {
    char conf[32] = "";
    if (c.confidence >= 0) std::snprintf(conf, sizeof conf, " · confidence %.0f%%", c.confidence * 100);
    Bullet(c.claim, "agreed by " + Models(run, c.models) + conf);
  }
  Section(ui, "Contradictions", a.contradictions.size());
  for (auto& c : a.contradictions) {
    ImGui::Bullet();
    ImGui::PushTextWrapPos(0);
    ImGui::PushFont(ui.fonts.bold);
    ImGui::TextUnformatted(c.topic.c_str());
    ImGui::PopFont();
    for (auto& s : c.stances) {
      ImGui::Indent();
      ImGui::TextWrapped("%s: %s", s.model.c_str(), s.stance.c_str());
      ImGui::Unindent();
    }
    if (!c.assessment.empty()) ImGui::TextDisabled("Judge: %s", c.assessment.c_str());
    ImGui::PopTextWrapPos();
  }
  Section(ui, "Minority positions (may be right)", a.minority.size());
  for (auto& m : a.minority) Bullet(m.position, "only " + m.model + (m.why.empty() ? "" : " · " + m.why));
  Section(ui, "Partial coverage", a.partial_coverage.size());
  for (auto& p : a.partial_coverage) Bullet(p.point, "covered by " + Models(run, p.models));
  Section(ui, "Unique insights", a.unique_insights.size());
  for (auto& u : a.unique_insights) Bullet(u.insight, "only " + u.model + (u.assessment.empty() ? "" : " · " + u.assessment));
  Section(ui, "Blind spots", a.blind_spots.size());
  for (auto& b : a.blind_spots) Bullet(b, "missed by every model");
}
}  // namespace

void DrawJudge(UiShared& ui, const FusionRun& run, const std::vector<Endpoint>& eps, double now, UiActions& out) {
  if (run.members.empty()) {
    ImGui::PushFont(ui.fonts.heading);
    ImGui::TextUnformatted("How Concord works");
    ImGui::PopFont();
    ImGui::TextWrapped("1. Your question goes to every model in the panel at once.\n"
                       "2. A separate judge reads the anonymised answers (Response A, B, C…).\n"
                       "3. It maps consensus, contradictions, unique insights and blind spots, then writes a final answer that takes the best of each.\n"
                       "Costs and timings of every call are shown as they happen.");
    return;
  }
  const Call* judge = run.named_judge();
  ImGui::PushFont(ui.fonts.bold);
  ImGui::TextUnformatted("Judge");
  ImGui::PopFont();
  ImGui::SameLine();
  if (judge) {
    // A cut-off analysis kept when every later judge failed: its call failed, its analysis is shown.
    const bool partial = run.has_analysis && judge == run.named_judge() && judge->status == MemberStatus::Failed;
    ImGui::TextDisabled("%s · %s · %s · %s", judge->model.model.c_str(), partial ? "cut off: its partial analysis is shown" : ToString(judge->status),
                        FormatSeconds(judge->elapsed(now)).c_str(), CallCost(*judge).c_str());
    if (IsDemoEndpoint(eps, judge->model.endpoint)) SameLineText("Demo provider: scripted answers, not real models", pal::Demo);
  } else if (run.stage == RunStage::Failed) {
    ImGui::TextDisabled("not called: every panel member failed (see the cards)");
  } else if (run.stage == RunStage::Cancelled) {
    ImGui::TextDisabled("not called: the run was cancelled");
  } else if (run.stage == RunStage::Layers) {
    ImGui::TextDisabled("waiting for the optional stages (MoA layers / peer ranking)");
  } else {
    ImGui::TextDisabled("waiting for the panel (%d of %zu answered%s)", run.answered(), run.members.size(),
                        run.config.quorum > 0 ? (", quorum " + std::to_string(run.config.quorum)).c_str() : "");
  }
  for (size_t k = 0; k < run.judge_calls.size(); ++k) {
    const Call& j = run.judge_calls[k];
    if (j.status != MemberStatus::Failed && j.status != MemberStatus::TimedOut) continue;
    const bool last = k + 1 == run.judge_calls.size() || static_cast<int>(k) == run.analyst_call;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
    ImGui::TextWrapped("%s %s failed: %s%s", j.label.c_str(), j.model.model.c_str(), j.result.error.message.c_str(),
                       last ? "" : " — fell back to the next judge.");
    ImGui::PopStyleColor();
  }
  // Writers whose reply was not an answer: named, with why and what they cost.
  for (const Call& w : run.writer_attempts) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
    ImGui::TextWrapped("Writer %s gave no usable answer (%s, %s) — the next writer was tried.", w.model.model.c_str(),
                       w.result.error.message.c_str(), CallCost(w).c_str());
    ImGui::PopStyleColor();
  }
  // Only a writer whose reply is the answer shown is credited with it.
  if (run.final_call.status == MemberStatus::Done) {
    if (run.final_call.model.model != (judge ? judge->model.model : std::string()))
      ImGui::TextDisabled("Final answer written by %s · %s · %s", run.final_call.model.model.c_str(),
                          FormatSeconds(run.final_call.elapsed(now)).c_str(), CallCost(run.final_call).c_str());
  }
  for (const std::string* note : {&run.analysis_note, &run.final_note}) {
    if (note->empty()) continue;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
    ImGui::TextWrapped("%s", note->c_str());
    ImGui::PopStyleColor();
    RecordRect(ui, note == &run.final_note ? "judge.note" : "judge.analysis_note");
  }
  if (ImGui::BeginTabBar("judgetabs")) {
    const bool final_open = ImGui::BeginTabItem("Final answer");
    RecordRect(ui, "judge.tab.final");
    if (final_open) {
      ui.judge.tab = 0;
      if (ImGui::SmallButton("Copy answer")) out.copy = run.final_answer;
      RecordRect(ui, "judge.copy");
      ImGui::SameLine();
      if (ImGui::SmallButton("Export Markdown")) out.export_markdown = true;
      ImGui::SameLine();
      if (ImGui::SmallButton("Export JSON")) out.export_json = true;
      BeginChildOnChildBg("final", ImVec2(0, 0), false);
      const std::vector<MergedSource> sources = run.final_answer.empty() ? std::vector<MergedSource>() : MergeSources(run);
      std::string text = run.final_answer;
      const bool cancelled = run.stage == RunStage::Cancelled;
      if (text.empty() && (run.stage == RunStage::Final || cancelled)) text = run.final_call.result.content;
      if (cancelled && run.final_answer.empty()) {
        // What the writer had written is kept, never passed off as the answer.
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
        ImGui::TextWrapped("%s", text.empty() ? "No final answer: the run was cancelled."
                                              : "Cancelled: the final answer as far as it was written, cut short.");
        ImGui::PopStyleColor();
        RecordRect(ui, text.empty() ? "judge.final_cancelled" : "judge.final_cut_by_cancel");
      }
      if (text.empty()) {
        if (!cancelled)
          ImGui::TextDisabled(run.stage == RunStage::Failed ? "No answer: every panel member failed (see the cards)."
                                                            : "The final answer appears here when the judge is done.");
      } else {
        MarkdownResult r = RenderMarkdown("final", text, MarkdownStyle{&ui.fonts, ui.scale});
        if (!r.clicked_url.empty()) out.open_url = r.clicked_url;
        if (!r.copy_code.empty()) out.copy = r.copy_code;
      }
      // The sources the members cited, merged: one line each, with who cited it.
      if (!sources.empty()) {
        ImGui::Separator();
        ImGui::TextDisabled("Sources the panel cited (%zu)", sources.size());
        for (size_t k = 0; k < sources.size(); ++k) {
          const MergedSource& s = sources[k];
          std::string who;
          for (auto& l : s.labels) who += (who.empty() ? "" : ", ") + l;
          ImGui::PushID(static_cast<int>(k));
          if (ImGui::SmallButton("open")) out.open_url = s.url;
          ImGui::PopID();
          ImGui::SameLine();
          ImGui::TextWrapped("%s — %s (cited by %s)", s.title.c_str(), s.url.c_str(), who.c_str());
        }
        RecordRect(ui, "judge.sources");
      }
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    const bool analysis_open = ImGui::BeginTabItem("Analysis");
    RecordRect(ui, "judge.tab.analysis");
    if (analysis_open) {
      ui.judge.tab = 1;
      BeginChildOnChildBg("analysis", ImVec2(0, 0), false);
      if (run.has_analysis) DrawAnalysis(ui, run);
      else if (!run.judge_parse.error_id.empty())
        ImGui::TextWrapped("The judge's output could not be read (%s): %s", run.judge_parse.error_id.c_str(),
                           run.judge_parse.message.c_str());
      else ImGui::TextDisabled("No analysis yet.");
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    // Comparison models (e.g. OpenRouter's own Fusion): their answer, time and cost beside ours.
    for (size_t k = 0; k < run.contestants.size(); ++k) {
      const Call& c = run.contestants[k];
      const std::string tab = "vs " + c.model.model + "##compare" + std::to_string(k);
      const bool open = ImGui::BeginTabItem(tab.c_str());
      RecordRect(ui, "judge.tab.compare." + std::to_string(k));
      if (!open) continue;
      ui.judge.tab = 3 + static_cast<int>(k);
      const double ours_s = run.t_end >= 0 ? run.t_end : now;
      ImGui::TextWrapped("Concord's synthesis: %s, %s%s.   %s alone: %s, %s, %s.", FormatCost(run.fusion_cost()).c_str(),
                         FormatSeconds(ours_s).c_str(), run.t_end >= 0 ? "" : " so far", c.model.model.c_str(),
                         ToString(c.status), CallCost(c).c_str(), FormatSeconds(c.elapsed(now)).c_str());
      ImGui::TextDisabled("It got the question alone; the judge never saw its answer.");
      DrawCallProblems(ui, c, "judge.compare." + std::to_string(k));
      BeginChildOnChildBg("compare", ImVec2(0, 0), false);
      if (!c.result.content.empty()) {
        MarkdownResult r = RenderMarkdown(k == 0 ? "compare0" : "compare1", c.result.content, MarkdownStyle{&ui.fonts, ui.scale});
        if (!r.clicked_url.empty()) out.open_url = r.clicked_url;
        if (!r.copy_code.empty()) out.copy = r.copy_code;
      } else if (c.status == MemberStatus::Streaming || c.status == MemberStatus::Queued) {
        ImGui::TextDisabled("Waiting for its answer…");
      }
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    const bool raw_open = ImGui::BeginTabItem("Raw judge output");
    RecordRect(ui, "judge.tab.raw");
    if (raw_open) {
      ui.judge.tab = 2;
      const std::string& raw = !run.judge_raw.empty() ? run.judge_raw : (judge ? judge->result.content : run.judge_raw);
      if (ImGui::SmallButton("Copy raw")) out.copy = raw;
      if (run.judge_parse.repaired) { ImGui::SameLine(); ImGui::TextDisabled("(the JSON was repaired before parsing)"); }
      BeginChildOnChildBg("raw", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
      ImGui::PushFont(ui.fonts.mono);
      ImGui::PushTextWrapPos(0);
      ImGui::TextUnformatted(raw.c_str(), raw.c_str() + raw.size());
      ImGui::PopTextWrapPos();
      ImGui::PopFont();
      ImGui::EndChild();
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
}

}  // namespace concord
