// Shared UI helpers: theme, stance colours, formatting, and the named-rect registry.
#include "ui_common.h"

#include <cstdio>

#include "app.h"

namespace concord {

// The page's colour: the canvas is cleared to it and the full-screen host window has no
// background of its own, so the screen is filled once, not twice.
const ImVec4 kBackground = ImVec4(0.10f, 0.11f, 0.135f, 1);

void ApplyTheme(ImGuiStyle& s) {
  ImGui::StyleColorsDark(&s);
  s.WindowRounding = 6;
  s.ChildRounding = 6;
  s.FrameRounding = 4;
  s.GrabRounding = 4;
  s.PopupRounding = 4;
  s.TabRounding = 4;
  s.FramePadding = ImVec2(8, 5);
  s.ItemSpacing = ImVec2(8, 6);
  s.WindowPadding = ImVec2(10, 10);
  s.ScrollbarSize = 13;
  ImVec4* c = s.Colors;
  c[ImGuiCol_WindowBg] = kBackground;
  c[ImGuiCol_ChildBg] = ImVec4(0.12f, 0.13f, 0.16f, 1);
  c[ImGuiCol_PopupBg] = ImVec4(0.13f, 0.14f, 0.17f, 0.98f);
  c[ImGuiCol_Border] = ImVec4(0.25f, 0.27f, 0.32f, 1);
  c[ImGuiCol_FrameBg] = ImVec4(0.17f, 0.18f, 0.22f, 1);
  c[ImGuiCol_FrameBgHovered] = ImVec4(0.22f, 0.24f, 0.29f, 1);
  c[ImGuiCol_FrameBgActive] = ImVec4(0.25f, 0.27f, 0.33f, 1);
  c[ImGuiCol_Button] = ImVec4(0.0f, 0.35f, 0.55f, 1);
  c[ImGuiCol_ButtonHovered] = ImVec4(0.0f, 0.45f, 0.70f, 1);
  c[ImGuiCol_ButtonActive] = ImVec4(0.0f, 0.50f, 0.78f, 1);
  c[ImGuiCol_Header] = ImVec4(0.20f, 0.25f, 0.33f, 1);
  c[ImGuiCol_HeaderHovered] = ImVec4(0.24f, 0.30f, 0.40f, 1);
  c[ImGuiCol_HeaderActive] = ImVec4(0.27f, 0.34f, 0.45f, 1);
  c[ImGuiCol_Tab] = ImVec4(0.15f, 0.17f, 0.21f, 1);
  c[ImGuiCol_TabHovered] = ImVec4(0.0f, 0.45f, 0.70f, 1);
  c[ImGuiCol_TabActive] = ImVec4(0.0f, 0.36f, 0.56f, 1);
  c[ImGuiCol_TitleBg] = c[ImGuiCol_TitleBgActive] = ImVec4(0.09f, 0.10f, 0.12f, 1);
  c[ImGuiCol_Text] = ImVec4(0.90f, 0.91f, 0.93f, 1);
  c[ImGuiCol_TextDisabled] = ImVec4(0.59f, 0.61f, 0.67f, 1);
}

ImU32 StanceColour(StanceKind k) {
  switch (k) {
    case StanceKind::Agree: return pal::Agree;
    case StanceKind::Disagree: return pal::Disagree;
    case StanceKind::Partial: return pal::Partial;
    case StanceKind::Silent: break;
  }
  return pal::Silent;
}

const char* StanceName(StanceKind k) {
  switch (k) {
    case StanceKind::Agree: return "agrees";
    case StanceKind::Disagree: return "disagrees";
    case StanceKind::Partial: return "partly";
    case StanceKind::Silent: break;
  }
  return "silent";
}

const char* ContradictionStanceName(StanceKind k) {
  switch (k) {
    case StanceKind::Agree: return "takes the majority side";
    case StanceKind::Disagree: return "takes another side";
    case StanceKind::Partial: return "hedges";
    case StanceKind::Silent: break;
  }
  return "is silent";
}

void RecordRect(UiShared& ui, const std::string& name) {
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ui.rects[name] = ImVec4(a.x, a.y, b.x, b.y);
}

bool SameLineIfFits(float w) {
  const float x_end = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w;
  const float limit = ImGui::GetWindowPos().x + ImGui::GetContentRegionMax().x;
  if (x_end > limit) return false;
  ImGui::SameLine();
  return true;
}
void SameLineText(const char* text, ImU32 colour) {
  SameLineIfFits(ImGui::CalcTextSize(text).x);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colour));
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}
void HelpMarker(const char* text) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
}

bool SmallButtonId(const char* label, const char* id) {
  ImGui::PushID(id);
  bool r = ImGui::SmallButton(label);
  ImGui::PopID();
  return r;
}

// "t=0.7 · max 2000 · effort high", or "" when the model uses every default.
std::string SettingsSummary(const ModelRef& m) {
  std::string out;
  char b[48];
  if (m.temperature >= 0) { std::snprintf(b, sizeof b, "t=%.1f", m.temperature); out += b; }
  if (m.max_tokens > 0) out += (out.empty() ? "" : " · ") + std::string("max ") + std::to_string(m.max_tokens);
  if (!m.effort.empty()) out += (out.empty() ? "" : " · ") + std::string("effort ") + m.effort;
  return out;
}

std::string FormatSeconds(double s) {
  char b[32];
  if (s < 0) return "–";
  if (s < 10) std::snprintf(b, sizeof b, "%.2f s", s);
  else if (s < 120) std::snprintf(b, sizeof b, "%.1f s", s);
  else std::snprintf(b, sizeof b, "%d min %02d s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return b;
}

std::string FormatTokens(long long n) {
  char b[32];
  if (n < 10000) std::snprintf(b, sizeof b, "%lld", n);
  else std::snprintf(b, sizeof b, "%.1fk", static_cast<double>(n) / 1000.0);
  return b;
}

}  // namespace concord
