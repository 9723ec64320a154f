// The maps panel: stance grid, agreement heat map and graph over MapData (computed in core).
// Only pixels and input here; every number comes from src/core/maps.cpp via mapdata.cpp.
//
// Index of this file:
// [SECTION] Render hooks and per-frame GPU parameters
// [SECTION] Small helpers (text, colours, glyphs)
// [SECTION] Stance grid
// [SECTION] Agreement heat map
// [SECTION] Graph
// [SECTION] DrawMaps (toolbar + tabs)
#include "panel_maps.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <string>

#include "imgui_internal.h"  // SetItemKeyOwner: the graph keeps the wheel from scrolling the parent
#include "panels.h"

namespace concord {

// -----------------------------------------------------------------------------------------
// [SECTION] Render hooks and per-frame GPU parameters
// -----------------------------------------------------------------------------------------

RenderHooks& GetRenderHooks() {
  static RenderHooks hooks;
  return hooks;
}

namespace {

// Callback user data must live until the frame is rendered. A deque never moves its elements
// on push_back, and it is cleared on the next frame's first use (rendering of frame N happens
// before NewFrame N+1). One per ImGui context, so two Apps never clear each other's.
std::deque<HeatmapParams>& FrameParams() {
  struct PerFrame { std::deque<HeatmapParams> params; int frame = -1; };
  static std::map<const ImGuiContext*, PerFrame> per_context;
  PerFrame& f = per_context[ImGui::GetCurrentContext()];
  if (f.frame != ImGui::GetFrameCount()) {
    f.frame = ImGui::GetFrameCount();
    f.params.clear();
  }
  return f.params;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Small helpers (text, colours, glyphs)
// -----------------------------------------------------------------------------------------

constexpr ImU32 kNeutral = IM_COL32(120, 124, 136, 255);   // the ramp's middle stop (0.5)
constexpr ImU32 kUnknown = IM_COL32(58, 62, 72, 255);      // no value: grey + hatching

const char* Glyph(StanceKind k) {
  switch (k) {
    case StanceKind::Agree: return "\xE2\x9C\x93";     // U+2713 check mark
    case StanceKind::Disagree: return "\xE2\x9C\x97";  // U+2717 ballot x
    case StanceKind::Partial: return "~";
    case StanceKind::Silent: break;
  }
  return "\xC2\xB7";  // U+00B7 middle dot
}

const char* SectionTitle(RowSection s) {
  switch (s) {
    case RowSection::Consensus: return "Consensus";
    case RowSection::Contradiction: return "Contradictions";
    case RowSection::Minority: return "Minority positions (may be right)";
    case RowSection::Partial: return "Partial coverage";
    case RowSection::Unique: return "Unique insights";
    case RowSection::BlindSpot: return "Blind spots";
  }
  return "";
}

// "openai/gpt-4o-mini" -> "gpt-4o-mini".
std::string ShortModel(const std::string& id) {
  const size_t slash = id.rfind('/');
  return slash == std::string::npos ? id : id.substr(slash + 1);
}

// At most `max_bytes` bytes, cut on a UTF-8 boundary, with an ellipsis when cut.
std::string Ellipsize(const std::string& s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t e = max_bytes;
  while (e > 0 && (static_cast<unsigned char>(s[e]) & 0xC0) == 0x80) --e;
  return s.substr(0, e) + "\xE2\x80\xA6";
}

ImU32 Lerp(ImU32 a, ImU32 b, float t) {
  const ImVec4 x = ImGui::ColorConvertU32ToFloat4(a), y = ImGui::ColorConvertU32ToFloat4(b);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(x.x + (y.x - x.x) * t, x.y + (y.y - x.y) * t,
                                               x.z + (y.z - x.z) * t, x.w + (y.w - x.w) * t));
}

ImU32 WithAlpha(ImU32 c, float a) {
  ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
  v.w *= a;
  return ImGui::ColorConvertFloat4ToU32(v);
}

// Dark text on light fills, light text on dark ones.
ImU32 TextOn(ImU32 fill) {
  const ImVec4 v = ImGui::ColorConvertU32ToFloat4(fill);
  const float lum = 0.2126f * v.x + 0.7152f * v.y + 0.0722f * v.z;
  return lum > 0.45f ? IM_COL32(15, 17, 22, 255) : pal::Text;
}

void WrappedTooltip(const std::string& text) {
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// Diagonal hatching inside [a,b], marking "unknown" so it is not read as a colour.
void Hatch(ImDrawList* dl, ImVec2 a, ImVec2 b, float step) {
  dl->PushClipRect(a, b, true);
  const float h = b.y - a.y;
  for (float x = a.x - h; x < b.x; x += step)
    dl->AddLine(ImVec2(x, b.y), ImVec2(x + h, a.y), IM_COL32(150, 156, 170, 110), 1.0f);
  dl->PopClipRect();
}

void Swatch(StanceKind k, float side) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float y = p.y + (ImGui::GetTextLineHeight() - side) * 0.5f;
  dl->AddRectFilled(ImVec2(p.x, y), ImVec2(p.x + side, y + side), StanceColour(k), 3);
  const char* g = Glyph(k);
  const ImVec2 ts = ImGui::CalcTextSize(g);
  dl->AddText(ImVec2(p.x + (side - ts.x) * 0.5f, y + (side - ts.y) * 0.5f), TextOn(StanceColour(k)), g);
  ImGui::Dummy(ImVec2(side, ImGui::GetTextLineHeight()));
  ImGui::SameLine();
  ImGui::TextUnformatted(StanceName(k));
}

bool MemberFailed(const FusionRun& run, size_t i) {
  if (i >= run.members.size()) return false;
  const MemberStatus s = run.members[i].status;
  return s == MemberStatus::Failed || s == MemberStatus::Cancelled || s == MemberStatus::TimedOut;
}

std::string MemberLine(const MapData& d, const FusionRun& run, size_t i) {
  std::string s = "Response " + d.labels[i] + ": " + (i < d.models.size() ? d.models[i] : "");
  if (i < run.members.size()) s += std::string("\n") + ToString(run.members[i].status);
  return s;
}

void NoMembersHint() {
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("No answers yet. Run a prompt: the maps fill in as the panel answers "
                      "(text similarity live while streaming, stances once the judge has analysed).");
  ImGui::PopTextWrapPos();
}

// -----------------------------------------------------------------------------------------
// [SECTION] Stance grid
// -----------------------------------------------------------------------------------------

// Extra text for a row's tooltip (confidence, the judge's assessment).
std::string RowDetail(const StanceRow& r, const FusionRun& run) {
  const Analysis& a = run.judge_parse.analysis;
  const size_t i = static_cast<size_t>(std::max(0, r.source_index));
  char buf[64];
  switch (r.section) {
    case RowSection::Consensus:
      if (i < a.consensus.size() && a.consensus[i].confidence >= 0) {
        std::snprintf(buf, sizeof buf, "\n\nconfidence %.2f", a.consensus[i].confidence);
        return buf;
      }
      break;
    case RowSection::Contradiction:
      if (i < a.contradictions.size() && !a.contradictions[i].assessment.empty())
        return "\n\nJudge: " + a.contradictions[i].assessment;
      break;
    case RowSection::Unique:
      if (i < a.unique_insights.size() && !a.unique_insights[i].assessment.empty())
        return "\n\nJudge: " + a.unique_insights[i].assessment;
      break;
    case RowSection::Minority:
      if (i < a.minority.size() && !a.minority[i].why.empty()) return "\n\nJudge: " + a.minority[i].why;
      break;
    case RowSection::Partial:
    case RowSection::BlindSpot: break;
  }
  return "";
}

void DrawGrid(MapsView& view, const MapData& d, const FusionRun& run, UiShared& ui, UiActions& out) {
  const size_t n = d.labels.size();
  if (n == 0) { NoMembersHint(); return; }
  if (!d.has_analysis) {
    ImGui::PushTextWrapPos(0);
    if (run.stage == RunStage::Failed) {
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal::Partial),
                         "No analysis: every panel member failed, so no judge was called.");
    } else if (run.stage == RunStage::Cancelled &&
               (run.judge_calls.empty() || run.judge_calls.back().status == MemberStatus::Cancelled)) {
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal::Partial), "No analysis: the run was cancelled before the judge finished.");
      ImGui::TextUnformatted("The Agreement tab compares the answers with local text similarity instead.");
    } else if (d.judge_failed) {
      std::string why;
      if (!run.judge_calls.empty() && !run.judge_calls.back().result.error.empty())
        why = ": " + run.judge_calls.back().result.error.message;
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal::Partial), "No analysis, the judge failed%s", why.c_str());
      ImGui::TextUnformatted("The stance grid needs the judge's analysis. The Agreement tab compares the answers "
                             "with local text similarity instead.");
    } else {
      ImGui::TextDisabled("No analysis yet: the judge has not finished. The Agreement tab shows local text "
                          "similarity between the answers meanwhile, updated live.");
    }
    ImGui::PopTextWrapPos();
    if (ImGui::Button("Show agreement (text similarity)")) view.tab = 1;
    return;
  }
  const StanceMatrix& m = d.matrix;
  if (m.rows.empty()) {
    ImGui::TextDisabled("The judge's analysis lists no claims.");
    return;
  }

  // Legend: on one line where it fits, wrapped where the panel is narrow.
  const float sw = ImGui::GetFontSize();
  auto next = [&](float w) {
    const float limit = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
    if (ImGui::GetItemRectMax().x + ui.px(14) + w <= limit) ImGui::SameLine(0, ui.px(14));
  };
  bool first = true;
  for (StanceKind k : {StanceKind::Agree, StanceKind::Partial, StanceKind::Disagree, StanceKind::Silent}) {
    if (!first) next(sw + ImGui::GetStyle().ItemSpacing.x + ImGui::CalcTextSize(StanceName(k)).x);
    first = false;
    Swatch(k, sw);
  }
  const char* hint = "click a cell: show it in the answer";
  next(ImGui::CalcTextSize(hint).x);
  ImGui::TextDisabled("%s", hint);
  SameLineIfFits(ImGui::CalcTextSize("(?)").x);
  HelpMarker("On a contradiction, \"agrees\" is the side most models took and \"disagrees\" any other side: "
             "it says who sided with whom, not who is right. The judge's assessment (Analysis tab) says which "
             "side holds up; a lone answer it thinks may be right is also listed under Minority positions.");
  // Column key: the letters stand for these models.
  std::string key;
  for (size_t i = 0; i < n; ++i) {
    key += (i ? "   " : "") + d.labels[i] + " " + ShortModel(d.models[i]);
    // A member the judge never saw is "silent" in every row: say why, so it is not read as agreement lost.
    const bool judged = std::find(run.judged_labels.begin(), run.judged_labels.end(), d.labels[i]) != run.judged_labels.end();
    if (!judged && i < run.members.size()) {
      const Call& c = run.members[i];
      key += c.late ? " (late: not judged)" : c.status == MemberStatus::Done ? " (not judged)" : std::string(" (") + ToString(c.status) + ": not judged)";
    }
  }
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", key.c_str());
  ImGui::PopTextWrapPos();

  // Display list: section header rows (encoded -1 - section) followed by that section's rows.
  std::vector<int> lines;
  lines.reserve(m.rows.size() + 5);
  for (size_t r = 0; r < m.rows.size(); ++r) {
    if (r == 0 || m.rows[r].section != m.rows[r - 1].section) lines.push_back(-1 - static_cast<int>(m.rows[r].section));
    lines.push_back(static_cast<int>(r));
  }

  const ImGuiStyle& st = ImGui::GetStyle();
  const float cell = std::max(ui.px(22), ImGui::GetFontSize() + ui.px(8));
  const float row_h = std::max(cell, 2 * ImGui::GetTextLineHeight()) + 2 * st.CellPadding.y + ui.px(2);
  const float inner_h = row_h - 2 * st.CellPadding.y;
  const float cov_w = ImGui::CalcTextSize("missed by all").x;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float cols_w = static_cast<float>(n) * (cell + 2 * st.CellPadding.x) + cov_w + 2 * st.CellPadding.x;
  const float text_w = std::max(ui.px(160), std::min(ui.px(520), avail.x - cols_w - st.ScrollbarSize - ui.px(8)));

  const ImGuiTableFlags flags = ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerH |
                                ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg;
  const float table_h = std::max(avail.y, row_h * 4);
  if (!ImGui::BeginTable("##stance_grid", static_cast<int>(n) + 2, flags, ImVec2(0, table_h))) return;
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn("Claim", ImGuiTableColumnFlags_WidthFixed, text_w);
  for (size_t c = 0; c < n; ++c) ImGui::TableSetupColumn(d.labels[c].c_str(), ImGuiTableColumnFlags_WidthFixed, cell);
  ImGui::TableSetupColumn("Coverage", ImGuiTableColumnFlags_WidthFixed, cov_w);

  // Header: label letters, the full model id on hover.
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  ImGui::TableSetColumnIndex(0);
  ImGui::TableHeader("Claim");
  for (size_t c = 0; c < n; ++c) {
    ImGui::TableSetColumnIndex(static_cast<int>(c) + 1);
    ImGui::PushID(static_cast<int>(c));
    if (MemberFailed(run, c)) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TableHeader(d.labels[c].c_str());
    if (MemberFailed(run, c)) ImGui::PopStyleColor();
    if (ImGui::IsItemHovered()) WrappedTooltip(MemberLine(d, run, c));
    ImGui::PopID();
  }
  ImGui::TableSetColumnIndex(static_cast<int>(n) + 1);
  ImGui::TableHeader("Coverage");

  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(lines.size()), row_h);
  while (clipper.Step()) {
    for (int li = clipper.DisplayStart; li < clipper.DisplayEnd; ++li) {
      const int code = lines[static_cast<size_t>(li)];
      ImGui::TableNextRow(0, row_h);
      if (code < 0) {  // section header row
        const RowSection sec = static_cast<RowSection>(-1 - code);
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg0, IM_COL32(40, 48, 62, 255));
        ImGui::TableSetColumnIndex(0);
        size_t count = 0;
        for (const StanceRow& r : m.rows) count += r.section == sec;
        if (ui.fonts.bold) ImGui::PushFont(ui.fonts.bold);
        ImGui::Text("%s (%zu)", SectionTitle(sec), count);
        if (ui.fonts.bold) ImGui::PopFont();
        continue;
      }
      const size_t r = static_cast<size_t>(code);
      const StanceRow& row = m.rows[r];
      ImGui::PushID(code);

      // Claim text: wrapped to the column, clipped to the row, full text on hover.
      ImGui::TableSetColumnIndex(0);
      const ImVec2 tp = ImGui::GetCursorScreenPos();
      const float tw = ImGui::GetContentRegionAvail().x;
      ImGui::Dummy(ImVec2(tw, inner_h));
      const ImVec4 clip(tp.x, tp.y, tp.x + tw, tp.y + inner_h);
      dl->AddText(ImGui::GetFont(), ImGui::GetFontSize(), tp, ImGui::GetColorU32(ImGuiCol_Text), row.text.c_str(),
                  row.text.c_str() + row.text.size(), tw, &clip);
      if (ImGui::IsItemHovered()) WrappedTooltip(row.text + RowDetail(row, run));

      // Cells.
      size_t covered = 0;
      for (size_t c = 0; c < n; ++c) {
        ImGui::TableSetColumnIndex(static_cast<int>(c) + 1);
        const StanceKind k = c < row.cells.size() ? row.cells[c] : StanceKind::Silent;
        const std::string note = c < row.notes.size() ? row.notes[c] : std::string();
        covered += k != StanceKind::Silent;
        ImGui::PushID(static_cast<int>(c));
        const bool clicked = ImGui::InvisibleButton("##cell", ImVec2(cell, inner_h));
        if (r < 3) RecordRect(ui, "maps.grid.cell." + std::to_string(r) + "." + std::to_string(c));
        const bool hovered = ImGui::IsItemHovered();
        const ImVec2 a = ImGui::GetItemRectMin();
        const float side = cell - ui.px(4);
        const ImVec2 q(a.x + (cell - side) * 0.5f, a.y + (inner_h - side) * 0.5f);
        const ImVec2 q2(q.x + side, q.y + side);
        const ImU32 fill = k == StanceKind::Silent ? kUnknown : StanceColour(k);
        dl->AddRectFilled(q, q2, fill, ui.px(3));
        if (hovered) dl->AddRect(q, q2, pal::Text, ui.px(3), 0, ui.px(2));
        const char* g = Glyph(k);
        const ImVec2 gs = ImGui::CalcTextSize(g);
        dl->AddText(ImVec2(q.x + (side - gs.x) * 0.5f, q.y + (side - gs.y) * 0.5f),
                    k == StanceKind::Silent ? pal::Dim : TextOn(fill), g);
        if (hovered) {
          std::string tip = "Response " + d.labels[c] + " (" + d.models[c] + ") " +
                            (row.section == RowSection::Contradiction ? ContradictionStanceName(k) : StanceName(k));
          if (!note.empty()) tip += ":\n\"" + note + "\"";
          if (k != StanceKind::Silent) tip += "\n\nClick to show it in the answer.";
          WrappedTooltip(tip);
        }
        // A stance note is the best quote; otherwise the row text lets the app find the passage.
        if (clicked && k != StanceKind::Silent) {
          out.jump_member = static_cast<int>(c);
          out.jump_quote = note.empty() ? row.text : note;
        }
        ImGui::PopID();
      }

      ImGui::TableSetColumnIndex(static_cast<int>(n) + 1);
      if (row.section == RowSection::BlindSpot) {
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal::Purple), "missed by all");
      } else if (covered == 0) {
        // A claim the judge made without naming its responses is not a point every model missed.
        ImGui::TextDisabled("not named");
        if (ImGui::IsItemHovered()) WrappedTooltip("The judge did not say which responses made this point.");
      } else {
        // Out of the answers the judge read: a failed or late member cannot cover anything.
        const size_t judged = run.judged_labels.empty() ? n : std::min(n, run.judged_labels.size());
        ImGui::TextDisabled("%zu/%zu", covered, judged);
      }
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
  RecordRect(ui, "maps.canvas");
}

// -----------------------------------------------------------------------------------------
// [SECTION] Agreement heat map
// -----------------------------------------------------------------------------------------

void DrawGradientLegend(UiShared& ui) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float h = ImGui::GetTextLineHeight();
  const float w = ui.px(180);
  ImGui::TextUnformatted("0 differ");
  ImGui::SameLine();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  dl->AddRectFilledMultiColor(p, ImVec2(p.x + w * 0.5f, p.y + h), pal::Disagree, kNeutral, kNeutral, pal::Disagree);
  dl->AddRectFilledMultiColor(ImVec2(p.x + w * 0.5f, p.y), ImVec2(p.x + w, p.y + h), kNeutral, pal::Agree, pal::Agree,
                              kNeutral);
  ImGui::Dummy(ImVec2(w, h));
  ImGui::SameLine();
  ImGui::TextUnformatted("1 agree");
  ImGui::SameLine(0, ui.px(18));
  const ImVec2 u = ImGui::GetCursorScreenPos();
  dl->AddRectFilled(u, ImVec2(u.x + h, u.y + h), kUnknown);
  Hatch(dl, u, ImVec2(u.x + h, u.y + h), ui.px(4));
  ImGui::Dummy(ImVec2(h, h));
  ImGui::SameLine();
  ImGui::TextDisabled("unknown (no shared claims)");
}

void DrawAgreement(MapsView& view, const MapData& d, const FusionRun& run, UiShared& ui) {
  const size_t n = d.labels.size();
  if (n == 0) { NoMembersHint(); return; }
  const bool local = view.similarity || !d.has_analysis;
  if (!d.has_analysis) {
    bool forced = true;
    ImGui::BeginDisabled();
    ImGui::Checkbox("Local text similarity", &forced);
    ImGui::EndDisabled();
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("The judge has no analysis (%s): showing local text similarity between the answers.",
                        run.stage == RunStage::Cancelled ? "the run was cancelled" : d.judge_failed ? "failed" : "yet");
    ImGui::PopTextWrapPos();
  } else {
    ImGui::Checkbox("Local text similarity", &view.similarity);
    HelpMarker("Off: agreement from the judge's stances (share of claims two models take the same side on).\n"
               "On: TF-IDF cosine similarity of the answers' words, computed here without any model.");
  }
  const std::vector<double>& v = local ? d.similarity : d.agreement;
  if (v.size() != n * n) return;
  if (!d.redundancy.text.empty() && local == !d.has_analysis) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
    ImGui::TextWrapped("Redundant pair: %s", d.redundancy.text.c_str());
    ImGui::PopStyleColor();
    RecordRect(ui, "maps.redundancy");
  }
  DrawGradientLegend(ui);

  // Geometry: letters on the left and top, square cells filling the space left.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float label = ImGui::CalcTextSize("WW").x + ui.px(8);
  const float top = ImGui::GetTextLineHeight() + ui.px(6);
  float side = std::min(avail.x - label - ui.px(4), avail.y - top - ui.px(4));
  float cs = std::floor(std::max(side, ui.px(14) * static_cast<float>(n)) / static_cast<float>(n));
  cs = std::min(cs, ui.px(96));
  side = cs * static_cast<float>(n);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##heat", ImVec2(label + side, top + side));
  RecordRect(ui, "maps.canvas");
  const bool hovered = ImGui::IsItemHovered();
  const ImVec2 g0(p0.x + label, p0.y + top), g1(g0.x + side, g0.y + side);
  ImDrawList* dl = ImGui::GetWindowDrawList();

  RenderHooks& hooks = GetRenderHooks();
  if (hooks.heatmap && n <= 10) {
    std::deque<HeatmapParams>& pq = FrameParams();
    pq.emplace_back();
    HeatmapParams& hp = pq.back();
    hp.x0 = g0.x; hp.y0 = g0.y; hp.x1 = g1.x; hp.y1 = g1.y;
    hp.n = static_cast<int>(n);
    for (size_t i = 0; i < 100; ++i) {
      const ImVec4 c = ImGui::ColorConvertU32ToFloat4(AgreementColour(i < n * n ? v[i] : -1.0));
      hp.colours[3 * i] = c.x;
      hp.colours[3 * i + 1] = c.y;
      hp.colours[3 * i + 2] = c.z;
    }
    const ImGuiIO& io = ImGui::GetIO();
    hp.fb_height = io.DisplaySize.y * io.DisplayFramebufferScale.y;
    dl->AddCallback(hooks.heatmap, &hp);
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
  } else {
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) {
        const ImVec2 a(g0.x + cs * static_cast<float>(j), g0.y + cs * static_cast<float>(i));
        dl->AddRectFilled(a, ImVec2(a.x + cs, a.y + cs), AgreementColour(v[i * n + j]));
      }
  }

  // Overlay (both paths): hatching for unknown, thin grid, numbers, labels.
  const bool numbers = cs >= ImGui::CalcTextSize("0.00").x + ui.px(6) && cs >= ImGui::GetFontSize() + ui.px(4);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = 0; j < n; ++j) {
      const double x = v[i * n + j];
      const ImVec2 a(g0.x + cs * static_cast<float>(j), g0.y + cs * static_cast<float>(i));
      const ImVec2 b(a.x + cs, a.y + cs);
      if (x < 0) Hatch(dl, a, b, ui.px(5));
      dl->AddRect(a, b, IM_COL32(20, 22, 28, 90));
      if (numbers) {
        char buf[16];
        if (x < 0) std::snprintf(buf, sizeof buf, "?");
        else std::snprintf(buf, sizeof buf, "%.2f", x);
        const ImVec2 ts = ImGui::CalcTextSize(buf);
        dl->AddText(ImVec2(a.x + (cs - ts.x) * 0.5f, a.y + (cs - ts.y) * 0.5f), TextOn(AgreementColour(x)), buf);
      }
    }
  for (size_t i = 0; i < n; ++i) {
    const ImU32 col = MemberFailed(run, i) ? pal::Dim : pal::Text;
    const ImVec2 ts = ImGui::CalcTextSize(d.labels[i].c_str());
    const float mid = cs * (static_cast<float>(i) + 0.5f);
    dl->AddText(ImVec2(g0.x + mid - ts.x * 0.5f, p0.y), col, d.labels[i].c_str());
    dl->AddText(ImVec2(p0.x + label - ts.x - ui.px(6), g0.y + mid - ts.y * 0.5f), col, d.labels[i].c_str());
  }

  if (hovered) {
    const ImVec2 mp = ImGui::GetIO().MousePos;
    if (mp.x >= g0.x && mp.x < g1.x && mp.y >= g0.y && mp.y < g1.y) {
      const size_t j = std::min(n - 1, static_cast<size_t>((mp.x - g0.x) / cs));
      const size_t i = std::min(n - 1, static_cast<size_t>((mp.y - g0.y) / cs));
      const ImVec2 a(g0.x + cs * static_cast<float>(j), g0.y + cs * static_cast<float>(i));
      dl->AddRect(a, ImVec2(a.x + cs, a.y + cs), pal::Text, 0, 0, ui.px(2));
      const double x = v[i * n + j];
      char buf[64];
      if (x < 0) std::snprintf(buf, sizeof buf, "unknown: no claim where both took a side");
      else std::snprintf(buf, sizeof buf, "%.2f %s", x, local ? "text similarity" : "agreement (judge stances)");
      WrappedTooltip(d.labels[i] + " " + d.models[i] + "  vs  " + d.labels[j] + " " + d.models[j] + "\n" + buf);
    }
  }
}

// -----------------------------------------------------------------------------------------
// [SECTION] Graph
// -----------------------------------------------------------------------------------------

ImU32 EdgeColour(StanceKind k) { return k == StanceKind::Silent ? pal::Dim : StanceColour(k); }

void LegendLine(ImU32 col, const char* text, UiShared& ui) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetTextLineHeight();
  ImGui::GetWindowDrawList()->AddLine(ImVec2(p.x, p.y + h * 0.5f), ImVec2(p.x + ui.px(22), p.y + h * 0.5f), col, ui.px(3));
  ImGui::Dummy(ImVec2(ui.px(22), h));
  ImGui::SameLine();
  ImGui::TextUnformatted(text);
  ImGui::SameLine(0, ui.px(14));
}

void DrawGraph(MapsView& view, const MapData& d, const FusionRun& run, UiShared& ui, UiActions& out) {
  const size_t n = d.labels.size();
  if (n == 0) { NoMembersHint(); return; }
  LegendLine(pal::Agree, "agree", ui);
  LegendLine(pal::Disagree, "disagree", ui);
  LegendLine(pal::Partial, "partly", ui);
  ImGui::Checkbox("Size by cost", &view.weight_by_cost);
  HelpMarker("Circles are models (size: completion tokens, or cost), boxes are contradiction topics.\n"
             "Wheel: zoom at the cursor. Drag: pan. Double-click: reset. Click a model: show its answer.");
  if (!d.has_analysis) {
    ImGui::SameLine();
    ImGui::TextDisabled("no analysis: links from text similarity");
  }

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 size(std::max(avail.x, ui.px(120)), std::max(avail.y, ui.px(120)));
  const ImVec2 c0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##graph", size, ImGuiButtonFlags_MouseButtonLeft);
  ImGui::SetItemKeyOwner(ImGuiKey_MouseWheelY);  // the wheel zooms; it must not also scroll the window
  RecordRect(ui, "maps.canvas");
  const bool hovered = ImGui::IsItemHovered();
  const bool active = ImGui::IsItemActive();
  const ImGuiIO& io = ImGui::GetIO();
  const float margin = ui.px(30);
  const ImVec2 o(c0.x + margin, c0.y + margin);
  const ImVec2 W(size.x - 2 * margin, size.y - 2 * margin);

  if (hovered && io.MouseWheel != 0) {  // zoom around the cursor: the point under it stays put
    const float z = std::max(0.3f, std::min(6.0f, view.zoom * std::pow(1.15f, io.MouseWheel)));
    const float wx = (io.MousePos.x - o.x - view.pan_x) / view.zoom, wy = (io.MousePos.y - o.y - view.pan_y) / view.zoom;
    view.pan_x = io.MousePos.x - o.x - wx * z;
    view.pan_y = io.MousePos.y - o.y - wy * z;
    view.zoom = z;
  }
  if (active && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0)) {
    view.pan_x += io.MouseDelta.x;
    view.pan_y += io.MouseDelta.y;
  }
  if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
    view.zoom = 1;
    view.pan_x = view.pan_y = 0;
  }

  const GraphLayout& g = d.graph;
  const size_t N = g.nodes.size();
  auto P = [&](const GraphNode& nd) {
    return ImVec2(o.x + view.pan_x + nd.x * W.x * view.zoom, o.y + view.pan_y + nd.y * W.y * view.zoom);
  };
  const float zs = std::sqrt(view.zoom);
  auto radius = [&](const GraphNode& nd) { return (ui.px(10) + ui.px(10) * (nd.weight - 0.5f)) * zs; };
  std::vector<std::string> shorts(N);
  std::vector<ImVec2> half(N);
  for (size_t i = 0; i < N; ++i) {
    if (!g.nodes[i].is_topic) continue;
    shorts[i] = Ellipsize(g.nodes[i].label, 18);
    const ImVec2 ts = ImGui::CalcTextSize(shorts[i].c_str());
    half[i] = ImVec2(ts.x * 0.5f + ui.px(6), ts.y * 0.5f + ui.px(3));
  }

  // Hit test (topics are drawn last, so they win).
  int hover = -1;
  if (hovered) {
    for (size_t i = 0; i < N; ++i) {
      const ImVec2 p = P(g.nodes[i]);
      const float dx = io.MousePos.x - p.x, dy = io.MousePos.y - p.y;
      if (g.nodes[i].is_topic ? (std::fabs(dx) <= half[i].x && std::fabs(dy) <= half[i].y)
                              : dx * dx + dy * dy <= radius(g.nodes[i]) * radius(g.nodes[i]))
        hover = static_cast<int>(i);
    }
  }
  view.hover_node = hover;
  std::vector<bool> lit(N, hover < 0);
  if (hover >= 0) {
    lit[static_cast<size_t>(hover)] = true;
    for (const GraphEdge& e : g.edges)
      if (e.a == hover || e.b == hover) lit[static_cast<size_t>(e.a)] = lit[static_cast<size_t>(e.b)] = true;
  }

  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(c0, ImVec2(c0.x + size.x, c0.y + size.y), true);
  dl->AddRectFilled(c0, ImVec2(c0.x + size.x, c0.y + size.y), IM_COL32(22, 24, 30, 255), ui.px(4));

  for (const GraphEdge& e : g.edges) {
    if (e.a < 0 || e.b < 0 || static_cast<size_t>(e.a) >= N || static_cast<size_t>(e.b) >= N) continue;
    const bool model_pair = !g.nodes[static_cast<size_t>(e.a)].is_topic && !g.nodes[static_cast<size_t>(e.b)].is_topic;
    const bool inc = hover >= 0 && (e.a == hover || e.b == hover);
    float alpha = model_pair ? 0.35f : 0.85f;
    float th = model_pair ? ui.px(1.2f) : ui.px(2.2f);
    if (hover >= 0) { alpha = inc ? 1.0f : 0.08f; th *= inc ? 1.5f : 1.0f; }
    dl->AddLine(P(g.nodes[static_cast<size_t>(e.a)]), P(g.nodes[static_cast<size_t>(e.b)]), WithAlpha(EdgeColour(e.kind), alpha), th);
  }
  for (int pass = 0; pass < 2; ++pass)  // models first, topics on top
    for (size_t i = 0; i < N; ++i) {
      const GraphNode& nd = g.nodes[i];
      if (nd.is_topic != (pass == 1)) continue;
      const float a = lit[i] ? 1.0f : 0.25f;
      const ImVec2 p = P(nd);
      if (!nd.is_topic) {
        const float r = radius(nd);
        const ImU32 fill = MemberFailed(run, i) ? pal::Silent : pal::Accent;
        dl->AddCircleFilled(p, r, WithAlpha(fill, a));
        dl->AddCircle(p, r, WithAlpha(static_cast<int>(i) == hover ? pal::Text : pal::Blue, a), 0, ui.px(1.5f));
        const ImVec2 ts = ImGui::CalcTextSize(nd.label.c_str());
        dl->AddText(ImVec2(p.x - ts.x * 0.5f, p.y - ts.y * 0.5f), WithAlpha(pal::Text, a), nd.label.c_str());
      } else {
        const ImVec2 h = half[i];
        dl->AddRectFilled(ImVec2(p.x - h.x, p.y - h.y), ImVec2(p.x + h.x, p.y + h.y), WithAlpha(IM_COL32(48, 54, 68, 255), a), ui.px(5));
        dl->AddRect(ImVec2(p.x - h.x, p.y - h.y), ImVec2(p.x + h.x, p.y + h.y),
                    WithAlpha(static_cast<int>(i) == hover ? pal::Text : pal::Purple, a), ui.px(5), 0, ui.px(1.2f));
        const ImVec2 ts = ImGui::CalcTextSize(shorts[i].c_str());
        dl->AddText(ImVec2(p.x - ts.x * 0.5f, p.y - ts.y * 0.5f), WithAlpha(pal::Text, a), shorts[i].c_str());
      }
    }
  dl->PopClipRect();

  if (hover >= 0) {
    const size_t h = static_cast<size_t>(hover);
    std::string tip;
    if (!g.nodes[h].is_topic && h < n) {
      tip = MemberLine(d, run, h);
      if (h < run.members.size()) {
        const Call& m = run.members[h];
        tip += "\n" + (m.usage_unreported() ? std::string("tokens and cost not reported")
                                              : FormatTokens(m.result.usage.completion_tokens) + " completion tokens, " + CallCost(m));
      }
      tip += "\nClick to show this answer.";
    } else {
      tip = g.nodes[h].label;
      for (const GraphEdge& e : g.edges) {
        if (e.a != hover) continue;
        const size_t c = static_cast<size_t>(e.b);
        if (c < n) tip += "\n" + d.labels[c] + " " + ContradictionStanceName(e.kind) + (e.text.empty() ? "" : ": " + e.text);
      }
    }
    WrappedTooltip(tip);
    // A click (press and release without dragging) on a model node opens its answer.
    if (!g.nodes[h].is_topic && h < n && ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
        io.MouseDragMaxDistanceSqr[0] < io.MouseDragThreshold * io.MouseDragThreshold)
      out.jump_member = static_cast<int>(h);
  }
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] DrawMaps (toolbar + tabs)
// -----------------------------------------------------------------------------------------

ImU32 AgreementColour(double v) {
  if (!(v >= 0)) return kUnknown;
  const float t = static_cast<float>(std::min(1.0, v));
  return t < 0.5f ? Lerp(pal::Disagree, kNeutral, t * 2) : Lerp(kNeutral, pal::Agree, (t - 0.5f) * 2);
}

void DrawMaps(MapsView& view, MapData& data, const FusionRun& run, UiShared& ui, UiActions& out) {
  UpdateMapData(data, run, view.weight_by_cost);
  ImGui::PushID("maps");

  // Toolbar: what is shown, and the exports (carried out by the app after the frame).
  const size_t n = data.labels.size();
  size_t streaming = 0;
  for (const Call& m : run.members) streaming += m.status == MemberStatus::Streaming || m.status == MemberStatus::Queued;
  if (n == 0) ImGui::TextDisabled("Maps");
  else if (data.has_analysis && run.judged_labels.size() < n)
    ImGui::TextDisabled("%zu models (%zu judged), %zu claims", n, run.judged_labels.size(), data.matrix.rows.size());
  else if (data.has_analysis) ImGui::TextDisabled("%zu models, %zu claims", n, data.matrix.rows.size());
  else if (streaming) ImGui::TextDisabled("%zu models, %zu still answering: similarity updates live", n, streaming);
  else ImGui::TextDisabled("%zu models, no analysis", n);
  const float bw = ImGui::CalcTextSize("CSV").x + ImGui::CalcTextSize("PNG").x + 4 * ImGui::GetStyle().FramePadding.x +
                   ImGui::GetStyle().ItemSpacing.x;
  ImGui::SameLine();
  const float right = ImGui::GetWindowContentRegionMax().x - bw;
  if (right > ImGui::GetCursorPosX()) ImGui::SetCursorPosX(right);
  ImGui::BeginDisabled(!data.has_analysis);
  if (ImGui::SmallButton("CSV")) out.export_csv = true;
  ImGui::EndDisabled();
  RecordRect(ui, "maps.export.csv");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip(data.has_analysis ? "Export the stance grid as CSV" : "CSV needs the judge's analysis");


  // Tabs. view.tab is both the open tab and a request (e.g. "Show agreement" from the grid):
  // when it differs from the tab open last frame, that tab is selected programmatically.
  // Selection lands a frame later, so the request is kept until it has.
  view.tab = std::max(0, std::min(2, view.tab));
  ImGuiStorage* store = ImGui::GetStateStorage();
  const ImGuiID open_key = ImGui::GetID("##open_tab");
  const int last_open = store->GetInt(open_key, -1);
  const bool request = view.tab != last_open;
  int open = -1;
  if (ImGui::BeginTabBar("##maps_tabs")) {
    static const char* const kNames[3] = {"Stance grid", "Agreement", "Graph"};
    static const char* const kRects[3] = {"maps.tab.grid", "maps.tab.agreement", "maps.tab.graph"};
    for (int t = 0; t < 3; ++t) {
      const ImGuiTabItemFlags f = request && view.tab == t ? ImGuiTabItemFlags_SetSelected : 0;
      const bool shown = ImGui::BeginTabItem(kNames[t], nullptr, f);
      RecordRect(ui, kRects[t]);
      if (!shown) continue;
      open = t;
      if (t == 0) DrawGrid(view, data, run, ui, out);
      else if (t == 1) DrawAgreement(view, data, run, ui);
      else DrawGraph(view, data, run, ui, out);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  if (open >= 0) {
    // A user click on a tab moves view.tab; a pending request, or one made by a button
    // inside the tab this frame, is kept until the tab bar has switched.
    if (!request && view.tab == last_open) view.tab = open;
    store->SetInt(open_key, open);
  }
  ImGui::PopID();
}

}  // namespace concord
