// Eval panel: choose a question set, its size, the contestants, a budget and a concurrency
// cap; see the calls and cost before starting and confirm; follow the progress (count, cost,
// ETA, cancel, resume after a reload, retry of failed items); read the results: a table with
// accuracy and its 95 % interval, cost and latency per contestant, the score-vs-cost chart
// with its Pareto front, and the per-question grid whose cells open the answer and grading.
//
// Index of this file:
// [SECTION] setup and confirmation
// [SECTION] progress
// [SECTION] results table
// [SECTION] score vs cost chart
// [SECTION] per-question grid and the opened cell
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "eval_run.h"
#include "panels.h"
#include "imgui_stdlib.h"  // after imgui.h (panels.h)

namespace concord {
namespace {
const ImU32 kRight = IM_COL32(0, 158, 115, 255), kWrong = IM_COL32(213, 94, 0, 255), kWait = IM_COL32(120, 124, 136, 255);

void Note(const std::string& text, ImU32 colour) {
  if (text.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colour));
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::PopStyleColor();
}

// ---- [SECTION] setup and confirmation ------------------------------------------------------------
void DrawEvalSetup(UiShared& ui, const std::vector<const EvalSet*>& sets,
                   const std::vector<EvalContestant>& contestants, const std::vector<std::pair<std::string, std::string>>& resting,
                   bool busy, bool demo, const AppStatus& st, UiActions& out) {
  EvalView& v = ui.eval;
  ImGui::SeparatorText("Question set");
  for (size_t i = 0; i < sets.size(); ++i) {
    const std::string label = sets[i]->name + " (" + std::to_string(sets[i]->items.size()) + ")##set" + std::to_string(i);
    if (ImGui::RadioButton(label.c_str(), v.set == static_cast<int>(i))) { v.set = static_cast<int>(i); v.confirming = false; }
    RecordRect(ui, "eval.set." + std::to_string(i));
  }
  if (ImGui::Button("Load a file…")) out.eval_load_file = true;
  RecordRect(ui, "eval.load_file");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("JSONL, a JSON array or CSV with a \"question\" and one of: answer, pattern, number (+ tolerance),\n"
                      "choices + answer (or columns A, B, C…), or rubric ([{text, weight}], graded by the grader model).\n"
                      "CSV as spreadsheets save it: comma, semicolon or tab separated; UTF-8, UTF-16 or Windows-1252.");
  ImGui::SetNextItemWidth(-ui.px(60));
  ImGui::InputTextWithHint("##evalurl", "or the URL of a question file", &v.url);
  ImGui::SameLine();
  if (ImGui::Button("Load") && !v.url.empty()) out.eval_load_url = v.url;
  if (!st.eval_file_message.empty()) {  // right where the file was asked for
    if (st.eval_file_failed) Note(st.eval_file_message, pal::Partial);
    else ImGui::TextWrapped("%s", st.eval_file_message.c_str());
    RecordRect(ui, "eval.file_message");
  }
  const int n_items = v.set < static_cast<int>(sets.size()) ? static_cast<int>(sets[static_cast<size_t>(v.set)]->items.size()) : 0;
  v.limit = std::clamp(v.limit, 1, std::max(1, n_items));
  ImGui::SetNextItemWidth(ui.px(160));
  if (ImGui::SliderInt("questions", &v.limit, 1, std::max(1, n_items))) v.confirming = false;
  RecordRect(ui, "eval.limit");

  ImGui::SeparatorText("Contestants");
  for (auto& c : contestants) {
    ImGui::PushID(c.id.c_str());
    bool on = !v.off[c.id];
    if (ImGui::Checkbox(c.label.c_str(), &on)) { v.off[c.id] = !on; v.confirming = false; }
    if (c.id.rfind("extra:", 0) == 0) {
      ImGui::SameLine();
      if (ImGui::SmallButton("remove")) out.eval_remove = c.id;
    }
    ImGui::PopID();
  }
  for (auto& [id, label] : resting) {  // a kept configuration that Setup is again: it runs as the fusion
    ImGui::PushID(id.c_str());
    ImGui::TextDisabled("%s: Setup as it is now, runs as Concord fusion", label.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("remove")) out.eval_remove = id;
    ImGui::PopID();
  }
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("From Setup's panel, judge and writer. The vote costs nothing extra: it reads the members' own answers.");
  ImGui::PopStyleColor();
  ImGui::BeginDisabled(busy);
  const bool adding = ImGui::TreeNodeEx("Add a contestant…", ImGuiTreeNodeFlags_NoTreePushOnOpen);
  RecordRect(ui, "eval.add");
  if (adding) {
  ImGui::TextUnformatted("A model alone");
  ImGui::SetNextItemWidth(-(ImGui::CalcTextSize("Add").x + ImGui::CalcTextSize("(?)").x + ImGui::GetStyle().FramePadding.x * 2 +
                            ImGui::GetStyle().ItemSpacing.x * 2 + ui.px(4)));
  const bool enter = ImGui::InputTextWithHint("##addmodel", demo ? "model id, e.g. demo/cirrus" : "model id, e.g. openai/gpt-5-mini",
                                              &v.add_model, ImGuiInputTextFlags_EnterReturnsTrue);
  RecordRect(ui, "eval.add_model");
  ImGui::SameLine();
  if ((ImGui::Button("Add##model") || enter) && !v.add_model.empty()) { out.eval_add_model = v.add_model; v.add_model.clear(); }
  HelpMarker("Or choose \"eval contestant\" above Setup's model list and click a model.");
  ImGui::TextUnformatted("A fusion configuration");
  if (ImGui::Button("Keep Setup as it is now")) out.eval_add_fusion = 0;
  RecordRect(ui, "eval.add_setup");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Keeps a snapshot of Setup's panel, judge and writer as a contestant of its own; then change Setup:\n"
                      "Concord fusion follows Setup, the snapshot stays (for example a budget panel against a quality panel).");
  if (!demo) {
    static const char* kPresets[] = {"Budget", "Quality", "Fast"};
    for (int k = 0; k < 3; ++k) {
      SameLineIfFits(ImGui::CalcTextSize(kPresets[k]).x + ImGui::GetStyle().FramePadding.x * 2);
      if (ImGui::Button(kPresets[k])) out.eval_add_fusion = 1 + k;
    }
  }
  }
  ImGui::EndDisabled();

  ImGui::SeparatorText("Limits");
  ImGui::SetNextItemWidth(ui.px(160));
  if (ImGui::SliderFloat("budget", &v.budget, 0, 20, v.budget <= 0 ? "no cap" : "$%.2f")) v.confirming = false;
  HelpMarker("No new call is made once this much has been spent; calls already in flight finish.");
  ImGui::SetNextItemWidth(ui.px(160));
  ImGui::SliderInt("calls in flight", &v.concurrency, 1, 8);
  HelpMarker("At most this many HTTP calls at once (429s are retried after Retry-After).");

  ImGui::BeginDisabled(busy);
  if (!v.confirming) {
    if (ImGui::Button("Estimate and start…")) out.eval_confirm = true;
    RecordRect(ui, "eval.confirm");
  } else {
    std::string line = std::to_string(v.confirm_calls) + " calls, about " + FormatCost(v.confirm_cost);
    if (!v.confirm_unpriced.empty()) line += " (+ " + v.confirm_unpriced + ")";
    Note(line + ". Start?", pal::Blue);
    if (ImGui::Button("Start eval")) out.eval_start = true;
    RecordRect(ui, "eval.start");
    ImGui::SameLine();
    if (ImGui::Button("Back")) v.confirming = false;
  }
  ImGui::EndDisabled();
}

// ---- [SECTION] progress --------------------------------------------------------------------------
void DrawProgress(UiShared& ui, const EvalRunner& r, bool interrupted, UiActions& out) {
  const int total = static_cast<int>(r.tasks().size()), done = r.done_count();
  if (interrupted && !r.busy()) {
    Note("An eval was interrupted (the page was closed or reloaded). Its finished answers are saved.", pal::Partial);
    if (ImGui::Button("Resume the eval")) out.eval_resume = true;
    RecordRect(ui, "eval.resume");
  }
  if (total == 0) return;
  char buf[160];
  const double eta = r.eta_s();
  std::snprintf(buf, sizeof buf, "%d / %d", done, total);
  ImGui::ProgressBar(static_cast<float>(done) / static_cast<float>(std::max(1, total)), ImVec2(-1, 0), buf);
  RecordRect(ui, "eval.progress");
  ImGui::TextDisabled("%s · spent %s · %zu in flight%s", ToString(r.stage()), FormatCost(r.spent()).c_str(), r.in_flight(),
                      r.busy() && eta >= 0 ? (" · about " + FormatSeconds(eta) + " left").c_str() : "");
  Note(r.stop_reason(), pal::Partial);
  if (r.busy()) {
    if (ImGui::Button("Cancel eval")) out.eval_cancel = true;
    RecordRect(ui, "eval.cancel");
  } else {
    int failed = 0;
    for (auto& t : r.tasks()) failed += t.status == EvalTask::Status::Failed;
    if (failed > 0) {
      if (ImGui::Button(("Retry the " + std::to_string(failed) + " failed").c_str())) out.eval_retry = true;
      ImGui::SameLine();
    }
    if (ImGui::Button("Export CSV")) out.eval_export_csv = true;
    ImGui::SameLine();
    if (ImGui::Button("Export JSON")) out.eval_export_json = true;
  }
}

// ---- [SECTION] results table ---------------------------------------------------------------------
void DrawTable(UiShared& ui, const std::vector<EvalSummary>& sums) {
  // Where the columns would be squeezed (a phone), each keeps the width of its text and the
  // table scrolls sideways: a cost cut to "$0.000" would be a figure nobody measured.
  const bool narrow = ImGui::GetContentRegionAvail().x < ui.px(640);
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                (narrow ? ImGuiTableFlags_ScrollX | ImGuiTableFlags_SizingFixedFit : ImGuiTableFlags_SizingStretchProp);
  const ImVec2 outer = narrow ? ImVec2(0, static_cast<float>(sums.size() + 1) * ImGui::GetTextLineHeightWithSpacing() +
                                             ImGui::GetStyle().ScrollbarSize + ui.px(6))
                              : ImVec2(0, 0);
  if (!ImGui::BeginTable("evaltable", 6, flags, outer)) return;
  const ImGuiTableColumnFlags col = narrow ? ImGuiTableColumnFlags_WidthFixed : ImGuiTableColumnFlags_WidthStretch;
  ImGui::TableSetupColumn("contestant", col, narrow ? 0 : 2.2f);
  ImGui::TableSetupColumn("accuracy (95 % CI)", col, narrow ? 0 : 1.6f);
  ImGui::TableSetupColumn("cost", col, narrow ? 0 : 0.8f);
  ImGui::TableSetupColumn("per question", col, narrow ? 0 : 0.9f);
  ImGui::TableSetupColumn("median time", col, narrow ? 0 : 0.8f);
  ImGui::TableSetupColumn("failed", col, narrow ? 0 : 0.5f);
  ImGui::TableHeadersRow();
  for (auto& s : sums) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(s.label.c_str());
    ImGui::TableNextColumn();
    if (s.done) ImGui::Text("%.0f %% (%.0f–%.0f) · %d/%d", 100 * s.accuracy(), 100 * s.ci.lo, 100 * s.ci.hi, s.correct, s.done);
    else ImGui::TextDisabled("–");
    ImGui::TableNextColumn();
    const char* mark = s.cost_unreported ? " *" : "";  // a lower bound: see the line under the table
    ImGui::Text("%s%s", FormatCost(s.cost).c_str(), mark);
    ImGui::TableNextColumn();
    ImGui::Text("%s%s", FormatCost(s.cost_per_item).c_str(), mark);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(s.median_latency_s > 0 ? FormatSeconds(s.median_latency_s).c_str() : "–");
    ImGui::TableNextColumn();
    if (s.failed) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kWrong), "%d", s.failed);
    else ImGui::TextDisabled("0");
  }
  ImGui::EndTable();
  RecordRect(ui, "eval.table");
  int unreported = 0;
  for (auto& s : sums) unreported += s.cost_unreported;
  if (unreported > 0) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
    ImGui::TextWrapped("* %d call%s of unknown cost (no cost reported, no price known): counted as $0, so those costs are at least what is shown.", unreported,
                       unreported == 1 ? "" : "s");
    ImGui::PopStyleColor();
    RecordRect(ui, "eval.cost_unreported");
  }
  std::string cut;  // answers graded as written though they were not whole
  int cut_n = 0;
  for (auto& s : sums)
    if (s.incomplete) { cut += (cut_n ? ", " : "") + s.label + " " + std::to_string(s.incomplete); cut_n += s.incomplete; }
  if (cut_n > 0) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
    ImGui::TextWrapped("%d answer%s %s not whole (%s) and graded as written: cut off at a token limit, stopped by a "
                       "content filter or by a stream that closed early. Their marks in the grid are orange and end in \"…\".",
                       cut_n, cut_n == 1 ? "" : "s", cut_n == 1 ? "was" : "were", cut.c_str());
    ImGui::PopStyleColor();
    RecordRect(ui, "eval.incomplete");
  }
}

// ---- [SECTION] score vs cost chart ----------------------------------------------------------------
void DrawChart(UiShared& ui, const std::vector<EvalSummary>& sums) {
  std::vector<CostScore> pts;
  std::vector<size_t> idx;
  for (size_t i = 0; i < sums.size(); ++i)
    if (sums[i].done > 0) { pts.push_back({sums[i].cost_per_item, sums[i].accuracy()}); idx.push_back(i); }
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("Accuracy against cost per question; the line joins the contestants nothing beats (the Pareto front).");
  ImGui::PopTextWrapPos();
  const float h = ui.px(230), w = ImGui::GetContentRegionAvail().x;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##chart", ImVec2(w, h));
  RecordRect(ui, "eval.chart");
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float left = ui.px(44), bottom = ui.px(26), top = ui.px(8), right = ui.px(12);
  const ImVec2 a(p0.x + left, p0.y + top), b(p0.x + w - right, p0.y + h - bottom);
  dl->AddRectFilled(a, b, IM_COL32(28, 31, 38, 255));
  double max_cost = 0;
  for (auto& p : pts) max_cost = std::max(max_cost, p.cost);
  if (max_cost <= 0) max_cost = 1e-6;
  max_cost *= 1.1;
  auto X = [&](double c) { return a.x + static_cast<float>(c / max_cost) * (b.x - a.x); };
  auto Y = [&](double s) { return b.y - static_cast<float>(s) * (b.y - a.y); };
  for (int k = 0; k <= 4; ++k) {
    const float y = Y(k / 4.0);
    dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), IM_COL32(255, 255, 255, 18));
    char t[16];
    std::snprintf(t, sizeof t, "%d%%", k * 25);
    dl->AddText(ImVec2(p0.x + ui.px(4), y - ImGui::GetFontSize() * 0.5f), IM_COL32(160, 164, 176, 255), t);
  }
  for (int k = 0; k <= 2; ++k) {
    const double c = max_cost * k / 2;
    const std::string t = FormatCost(c);
    const float tw = ImGui::CalcTextSize(t.c_str()).x;
    dl->AddText(ImVec2(std::clamp(X(c) - tw * 0.5f, a.x, b.x - tw), b.y + ui.px(4)), IM_COL32(160, 164, 176, 255), t.c_str());
  }
  const std::vector<size_t> front = ParetoFront(pts);
  for (size_t k = 1; k < front.size(); ++k)
    dl->AddLine(ImVec2(X(pts[front[k - 1]].cost), Y(pts[front[k - 1]].score)), ImVec2(X(pts[front[k]].cost), Y(pts[front[k]].score)),
                IM_COL32(86, 180, 233, 200), ui.px(2));
  std::vector<ImVec4> placed;  // label rectangles already drawn: later labels move out of their way
  for (size_t k = 0; k < pts.size(); ++k) {
    const EvalSummary& s = sums[idx[k]];
    const float x = X(pts[k].cost);
    dl->AddLine(ImVec2(x, Y(s.ci.lo)), ImVec2(x, Y(s.ci.hi)), IM_COL32(200, 200, 210, 90), ui.px(1));
    const bool on_front = std::find(front.begin(), front.end(), k) != front.end();
    const ImU32 col = s.fusion ? IM_COL32(230, 159, 0, 255) : IM_COL32(86, 180, 233, 255);
    dl->AddCircleFilled(ImVec2(x, Y(pts[k].score)), ui.px(on_front ? 6 : 4.5f), col);
    const ImVec2 at = PlaceChartLabel(ImVec2(x, Y(pts[k].score)), ImGui::CalcTextSize(s.label.c_str()), ui.px(8),
                                      ImVec4(a.x, a.y, b.x, b.y), ui.px(4), placed);
    dl->AddText(at, IM_COL32(225, 228, 235, 255), s.label.c_str());
  }
}

// ---- [SECTION] per-question grid and the opened cell --------------------------------------------
void DrawGrid(UiShared& ui, const EvalRunner& r) {
  const auto& cs = r.plan().contestants;
  const auto& items = r.plan().set.items;
  if (cs.empty() || items.empty()) return;
  EvalView& v = ui.eval;
  // The marks read the first fusion's own panel answers: what its judge was really given.
  const EvalContestant* main_fusion = nullptr;
  for (auto& c : cs) if (!main_fusion && c.kind == EvalContestant::Kind::Fusion) main_fusion = &c;
  ImGui::TextWrapped("Who was right. Marks (%s): fixed = its final answer was right though every answer its panel gave was wrong; "
                     "dropped = its final answer was wrong though its panel gave it a right one. Click a cell to open it "
                     "(or use the arrow keys).", main_fusion ? main_fusion->label.c_str() : "no fusion");
  const int cols = static_cast<int>(cs.size()) + 2;
  const float grid_h = std::min(ui.px(260), ImGui::GetTextLineHeightWithSpacing() * (static_cast<float>(items.size()) + 2.5f));
  if (ImGui::BeginTable("evalgrid", cols, ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                             ImGuiTableFlags_SizingStretchProp, ImVec2(0, grid_h))) {
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("question", ImGuiTableColumnFlags_WidthStretch, 3.0f);
    ImGui::TableSetupColumn("mark", ImGuiTableColumnFlags_WidthStretch, 0.7f);
    for (auto& c : cs) ImGui::TableSetupColumn(c.label.c_str(), ImGuiTableColumnFlags_WidthStretch, 1.0f);
    // The header row by hand, so a label cut short by its column names itself on hover.
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int col = 0; col < cols; ++col) {
      if (!ImGui::TableSetColumnIndex(col)) continue;
      const char* name = ImGui::TableGetColumnName(col);
      ImGui::TableHeader(name);
      if (col >= 2 && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", name);
    }
    for (size_t i = 0; i < items.size(); ++i) {
      const EvalItem& it = items[i];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      std::string q = it.question.substr(0, 90);
      for (char& ch : q) if (ch == '\n') ch = ' ';
      ImGui::TextUnformatted(q.c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n\ngraded by %s", it.question.c_str(), it.how().c_str());
      ImGui::TableNextColumn();
      const EvalTask* ft = main_fusion ? r.task(main_fusion->id, it.id) : nullptr;
      if (ft && ft->status == EvalTask::Status::Done) {
        int graded = 0, right = 0;
        for (int m : ft->member_correct) { graded += m >= 0; right += m == 1; }
        if (ft->grade.correct && graded > 0 && right == 0) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kRight), "fixed");
        else if (!ft->grade.correct && right > 0) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kWrong), "dropped");
      }
      for (size_t k = 0; k < cs.size(); ++k) {
        ImGui::TableNextColumn();
        const EvalTask* t = r.task(cs[k].id, it.id);
        const char* mark = "·";
        ImU32 col = kWait;
        if (t && t->status == EvalTask::Status::Done) {
          // A cut answer (see the tooltip) keeps its right/wrong glyph, in orange and followed by "…".
          const bool cut = !t->incomplete.empty();
          mark = t->grade.correct ? (cut ? "✓…" : "✓") : (cut ? "✗…" : "✗");
          col = cut ? pal::Partial : t->grade.correct ? kRight : kWrong;
        }
        else if (t && t->status == EvalTask::Status::Failed) { mark = "!"; col = kWrong; }
        else if (t && (t->status == EvalTask::Status::Running || t->status == EvalTask::Status::Grading)) mark = "…";
        ImGui::PushID(static_cast<int>(i * 64 + k));
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(col));
        const bool sel = v.sel_item == static_cast<int>(i) && v.sel_contestant == static_cast<int>(k);
        // A click, a tap, Enter/Space, or the arrow keys moving onto it (the cell follows focus).
        const bool picked = ImGui::Selectable(mark, sel, 0, ImVec2(ui.px(22), 0));
        if (picked || (!sel && ImGui::IsItemFocused() && ImGui::GetIO().NavVisible)) {
          v.sel_item = static_cast<int>(i);
          v.sel_contestant = static_cast<int>(k);
          v.show_grader = false;
          v.scroll_to_cell = true;
        }
        ImGui::PopStyleColor();
        if (t && t->status == EvalTask::Status::Done && !t->incomplete.empty() && ImGui::IsItemHovered())
          ImGui::SetTooltip("%s, but incomplete: %s. Graded as it was written.", t->grade.correct ? "Right" : "Wrong", t->incomplete.c_str());
        if (i < 3 && k < 8) RecordRect(ui, "eval.cell." + std::to_string(i) + "." + std::to_string(k));
        ImGui::PopID();
      }
    }
    ImGui::EndTable();
  }
  if (v.sel_item < 0 || v.sel_item >= static_cast<int>(items.size()) || v.sel_contestant < 0 || v.sel_contestant >= static_cast<int>(cs.size())) return;
  const EvalItem& it = items[static_cast<size_t>(v.sel_item)];
  const EvalContestant& c = cs[static_cast<size_t>(v.sel_contestant)];
  const EvalTask* t = r.task(c.id, it.id);
  ImGui::SeparatorText((c.label + " · " + it.id).c_str());
  if (v.scroll_to_cell) {  // the opened cell's answer comes into view
    ImGui::SetScrollHereY(0.0f);
    v.scroll_to_cell = false;
  }
  ImGui::TextWrapped("%s", it.question.c_str());
  ImGui::TextDisabled("graded by %s", it.how().c_str());
  if (!t) return;
  ImGui::Text("%s · %s · %s · %d call%s", ToString(t->status), FormatCost(t->cost).c_str(), FormatSeconds(t->latency_s).c_str(), t->calls,
              t->calls == 1 ? "" : "s");
  if (t->status == EvalTask::Status::Done)
    Note((t->grade.correct ? "Right: " : "Wrong: ") + t->grade.detail, t->grade.correct ? kRight : kWrong);
  if (!t->incomplete.empty()) Note("Incomplete: " + t->incomplete + ". Graded as it was written.", pal::Partial);
  // A fusion's note that only says its final answer was cut (the line above says it already).
  Note(t->error == FinalIncompleteNote(t->incomplete) ? "" : t->error, pal::Partial);
  if (!t->member_correct.empty()) {  // what this fusion's judge was given
    std::string line = "Its panel's own answers:";
    for (size_t m = 0; m < t->member_correct.size(); ++m) {
      const std::string who = m < c.config.panel.size() ? c.config.panel[m].model : "member " + std::to_string(m + 1);
      line += (m ? ", " : " ") + who + (t->member_correct[m] == 1 ? " right" : t->member_correct[m] == 0 ? " wrong" : " no graded answer");
    }
    ImGui::TextWrapped("%s", line.c_str());
  }
  BeginChildOnChildBg("evalanswer", ImVec2(0, ui.px(140)), true);
  ImGui::TextWrapped("%s", t->answer.empty() ? "(no answer)" : t->answer.c_str());
  ImGui::EndChild();
  RecordRect(ui, "eval.answer");
  if (!t->grader_raw.empty()) {
    if (ImGui::SmallButton(v.show_grader ? "Hide the grader's output" : "Show the grader's output")) v.show_grader = !v.show_grader;
    if (v.show_grader) {
      ImGui::PushFont(ui.fonts.mono);
      ImGui::TextWrapped("%s", t->grader_raw.c_str());
      ImGui::PopFont();
    }
  }
}
}  // namespace

ImVec2 PlaceChartLabel(ImVec2 point, ImVec2 size, float gap, ImVec4 bounds, float slack, std::vector<ImVec4>& placed) {
  auto free_at = [&](ImVec2 p) {
    for (auto& r : placed)
      if (p.x < r.z && p.x + size.x > r.x && p.y < r.w && p.y + size.y > r.y) return false;
    return p.x >= bounds.x && p.x + size.x <= bounds.z && p.y >= bounds.y - slack && p.y + size.y <= bounds.w + slack;
  };
  const float y = point.y - size.y * 0.5f;
  ImVec2 at(point.x + gap, y);
  bool ok = false;
  for (int step = 0; step < 28 && !ok; ++step) {  // right, left, then a line lower or higher
    const float dy = static_cast<float>((step / 2 + 1) / 2) * size.y * ((step / 2) % 2 ? -1.0f : 1.0f);
    at = ImVec2(step % 2 == 0 ? point.x + gap : point.x - gap - size.x, y + dy);
    ok = free_at(at);
  }
  if (!ok)  // no free place: beside its point, inside the chart (never over the text around it)
    at = ImVec2(std::clamp(point.x + gap, bounds.x, std::max(bounds.x, bounds.z - size.x)),
                std::clamp(y, bounds.y - slack, std::max(bounds.y - slack, bounds.w + slack - size.y)));
  placed.push_back(ImVec4(at.x, at.y, at.x + size.x, at.y + size.y));
  return at;
}

void DrawEval(UiShared& ui, const AppStatus& st, const EvalRunner& r, const std::vector<const EvalSet*>& sets,
              const std::vector<EvalContestant>& contestants, const std::vector<std::pair<std::string, std::string>>& resting,
              bool demo, bool interrupted, UiActions& out) {
  ViewRequests& rq = ui.requests;
  if (rq.eval_set >= 0) {
    ui.eval.set = rq.eval_set;
    ui.eval.limit = rq.eval_limit;
    ui.eval.confirming = false;
    rq.eval_set = rq.eval_limit = -1;
  }
  if (rq.eval_confirm_done) {
    ui.eval.confirming = false;
    rq.eval_confirm_done = false;
  }
  if (rq.eval_estimate) {
    ui.eval.confirming = true;
    ui.eval.confirm_calls = rq.eval_calls;
    ui.eval.confirm_cost = rq.eval_cost;
    ui.eval.confirm_unpriced = rq.eval_unpriced;
    rq.eval_estimate = false;
  }
  // Side by side; on a phone, the setup above the results.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const bool stacked = avail.x < ui.px(700);
  const ImVec2 left = stacked ? ImVec2(0, std::floor(avail.y * (r.tasks().empty() ? 0.7f : 0.45f)))
                              : ImVec2(std::max(ui.px(320), avail.x * 0.34f), 0);
  BeginChildOnChildBg("evalleft", left, true);
  ImGui::PushFont(ui.fonts.heading);
  ImGui::TextUnformatted("Eval");
  ImGui::PopFont();
  ImGui::TextWrapped("Does fusion beat the best single model on your questions, and at what cost? Every contestant "
                     "answers every question; answers are graded automatically.");
  if (demo) Note("Demo provider: scripted accuracy profiles, not real models. Connect a key to measure real ones.", pal::Demo);
  DrawEvalSetup(ui, sets, contestants, resting, r.busy(), demo, st, out);
  Note(st.eval_message, pal::Partial);
  ImGui::EndChild();
  if (!stacked) ImGui::SameLine();
  BeginChildOnChildBg("evalright", ImVec2(0, 0), true);
  DrawProgress(ui, r, interrupted, out);
  const auto sums = r.summaries();
  if (!sums.empty() && r.done_count() > 0) {
    if (demo) Note("Scripted demo results: they show how the page works, not how real models do.", pal::Demo);
    DrawTable(ui, sums);
    DrawChart(ui, sums);
    DrawGrid(ui, r);
  } else if (r.tasks().empty()) {
    ImGui::TextDisabled("Results appear here: a table per contestant, the score-vs-cost chart and a per-question grid.");
  }
  ImGui::EndChild();
}

}  // namespace concord
