// Setup panel: keys (session-only unless remembered), endpoints, presets, the model
// picker fed by the live catalogue, the judge and its fallbacks, grounding and limits.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app.h"
#include "imgui_stdlib.h"
#include "panels.h"
#include "url.h"

namespace concord {
namespace {
std::string PerMillion(double per_token) {
  char b[32];
  const double m = per_token * 1e6;
  std::snprintf(b, sizeof b, m < 10 ? "%.2f" : "%.1f", m);
  return b;
}

bool KeyField(UiShared& ui, const char* label, const char* name, std::string& key) {
  ImGui::TextUnformatted(label);
  ImGui::SetNextItemWidth(-1);
  bool changed = ImGui::InputTextWithHint(name, "paste key (Ctrl/Cmd+V)", &key, ImGuiInputTextFlags_Password);
  RecordRect(ui, std::string("setup.") + (name + 2));
  return changed;
}

// The settings of one model in a list: temperature, max tokens, reasoning effort.
bool MemberEditor(UiShared& ui, ModelRef& m) {
  bool changed = false;
  ImGui::Indent(ui.px(22));
  bool own_t = m.temperature >= 0;
  if (ImGui::Checkbox("temperature", &own_t)) { m.temperature = own_t ? 0.7 : -1; changed = true; }
  RecordRect(ui, "setup.edit.own_t");
  if (own_t) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ui.px(120));
    float t = static_cast<float>(m.temperature);
    if (ImGui::SliderFloat("##t", &t, 0, 2, "%.1f")) { m.temperature = std::round(t * 10) / 10; changed = true; }
  } else {
    ImGui::SameLine();
    ImGui::TextDisabled("provider default");
  }
  ImGui::SetNextItemWidth(ui.px(160));
  int mt = m.max_tokens;
  if (ImGui::SliderInt("max tokens", &mt, 0, 64000, mt == 0 ? "the run's limit" : "%d")) {
    m.max_tokens = std::clamp(mt, 0, 1000000);
    changed = true;
  }
  RecordRect(ui, "setup.edit.max_tokens");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Ctrl+click (or double-click) to type a number; 0 uses the run's limit.");
  const char* efforts[] = {"default", "minimal", "low", "medium", "high"};
  int e = 0;
  for (int k = 1; k < 5; ++k) if (m.effort == efforts[k]) e = k;
  ImGui::TextUnformatted("reasoning effort:");
  RecordRect(ui, "setup.edit.effort");
  for (int k = 0; k < 5; ++k) {
    if (k > 0) SameLineIfFits(ImGui::CalcTextSize(efforts[k]).x + ImGui::GetFrameHeight() * 1.5f);
    if (ImGui::RadioButton(efforts[k], &e, k)) { m.effort = k == 0 ? "" : efforts[k]; changed = true; }
  }
  HelpMarker("OpenRouter: reasoning.effort; OpenAI-compatible: reasoning_effort;\n"
             "Anthropic: extended thinking with a budget (1k, 2k, 8k, 16k tokens) added to max tokens.\n"
             "Models without reasoning ignore it.");
  ImGui::Unindent(ui.px(22));
  return changed;
}

void ModelList(UiShared& ui, const char* id, std::vector<ModelRef>& list, const std::vector<ModelInfo>& cat,
               const char* empty, bool& changed) {
  ImGui::PushID(id);
  if (list.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", empty);
    ImGui::PopStyleColor();
  }
  for (size_t i = 0; i < list.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    ModelRef& m = list[i];
    const bool editing = ui.setup.edit_list == id && ui.setup.edit_row == static_cast<int>(i);
    if (ImGui::SmallButton("✗")) {
      list.erase(list.begin() + static_cast<long>(i));
      if (ui.setup.edit_list == id) ui.setup.edit_row = -1;
      changed = true;
      ImGui::PopID();
      break;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Remove");
    ImGui::SameLine();
    if (ImGui::SmallButton(editing ? "done" : "edit")) {
      ui.setup.edit_list = id;
      ui.setup.edit_row = editing ? -1 : static_cast<int>(i);
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Temperature, max tokens and reasoning effort for this model");
    RecordRect(ui, std::string("setup.") + id + ".edit." + std::to_string(i));
    ImGui::SameLine();
    std::string label = m.model;
    if (m.endpoint != "openrouter") label += "  [" + m.endpoint + "]";
    const ModelInfo* info = nullptr;
    for (auto& c : cat) if (c.id == m.model) info = &c;
    ImGui::TextUnformatted(label.c_str());
    if (info && ImGui::IsItemHovered())
      ImGui::SetTooltip("%s\ncontext %lld tokens\nin $%s / out $%s per million tokens", info->name.c_str(),
                        static_cast<long long>(info->context_length), PerMillion(info->price_prompt).c_str(),
                        PerMillion(info->price_completion).c_str());
    const std::string summary = SettingsSummary(m);
    if (!summary.empty()) {
      SameLineIfFits(ImGui::CalcTextSize(summary.c_str()).x);
      ImGui::TextDisabled("%s", summary.c_str());
    }
    if (editing && MemberEditor(ui, m)) changed = true;
    ImGui::PopID();
  }
  ImGui::PopID();
}
}  // namespace

void DrawSetup(UiShared& ui, const Settings& current, const CatalogueState& cat, const KeyCheck& key, const OAuthState& oauth,
               const std::vector<std::string>& problems, UiActions& out) {
  // The widgets edit a copy; a change leaves as an action (out.settings) that the App applies
  // after the frame. Nothing here writes into the App's settings or another panel's view.
  Settings s = current;
  bool changed = false;
  if (ui.requests.clear_new_endpoint) {
    ui.setup.new_ep_id.clear();
    ui.requests.clear_new_endpoint = false;
  }
  BeginChildOnChildBg("setup_scroll", ImVec2(0, 0), false);

  // ---- Provider and keys
  ImGui::SeparatorText("Provider");
  if (s.using_demo()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Demo));
    ImGui::TextWrapped("Demo provider: scripted answers, not real models. Connect OpenRouter or paste a key to use real models.");
    ImGui::PopStyleColor();
  }
  if (KeyField(ui, "OpenRouter API key", "##openrouter_key", s.openrouter_key)) changed = true;
  // Connect OpenRouter: OAuth PKCE sign-in that comes back with a key (no copy and paste).
  ImGui::BeginDisabled(oauth.busy());
  if (ImGui::Button("Connect OpenRouter")) out.connect_openrouter = true;
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Sign in at OpenRouter and create a key for Concord, without copying it by hand.\n"
                      "This tab goes to OpenRouter and comes back here with the key (OAuth PKCE).\n"
                      "The key is stored like a pasted one: in this tab's session unless\n"
                      "\"Remember keys on this device\" is on. It never goes into the URL.");
  RecordRect(ui, "setup.connect_openrouter");
  SameLineIfFits(ImGui::CalcTextSize("Check key").x + ImGui::GetStyle().FramePadding.x * 2);
  if (ImGui::Button("Check key")) out.check_key = true;
  RecordRect(ui, "setup.check_key");
  SameLineIfFits(ImGui::CalcTextSize("Refresh models").x + ImGui::GetStyle().FramePadding.x * 2);
  if (ImGui::Button("Refresh models")) out.refresh_catalogue = true;
  if (!oauth.message.empty()) {
    const ImU32 colour = oauth.busy() ? pal::Blue : oauth.ok ? pal::Agree : oauth.error_id.empty() ? pal::Dim : pal::Disagree;
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(colour));
    ImGui::TextWrapped("%s", oauth.message.c_str());
    ImGui::PopStyleColor();
    RecordRect(ui, "setup.oauth_status");
  }
  if (!key.result.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(key.ok ? pal::Agree : pal::Disagree));
    ImGui::TextWrapped("%s", key.result.c_str());
    ImGui::PopStyleColor();
  }
  if (ImGui::Checkbox("Remember keys on this device", &s.remember_keys)) changed = true;
  HelpMarker("Off: keys live in this tab's sessionStorage and are gone when the tab closes.\n"
             "On: keys are kept in localStorage on this device. Keys never go into the URL, exports or history.");
  if (!s.openrouter_key.empty() && ImGui::Checkbox("Use the demo provider anyway", &s.force_demo)) { changed = true; out.refresh_catalogue = true; }

  const bool other_open = ImGui::CollapsingHeader("Other endpoints");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("OpenAI-compatible base URLs (OpenAI, Groq, Together, Mistral, DeepSeek,\nOllama, llama.cpp, LM Studio) and Anthropic's Messages API");
  if (other_open) {
    if (KeyField(ui, "Anthropic API key (direct browser access)", "##anthropic_key", s.anthropic_key)) changed = true;
    ImGui::TextDisabled("Custom OpenAI-compatible endpoints:");
    for (size_t i = 0; i < s.custom.size(); ++i) {
      ImGui::PushID(static_cast<int>(i));
      if (ImGui::SmallButton("✗")) { s.custom.erase(s.custom.begin() + static_cast<long>(i)); changed = true; ImGui::PopID(); break; }
      ImGui::SameLine();
      ImGui::Text("%s  %s%s", s.custom[i].id.c_str(), s.custom[i].base_url.c_str(), s.custom[i].key.empty() ? "" : "  (key set)");
      ImGui::PopID();
    }
    ImGui::SetNextItemWidth(ui.px(80));
    ImGui::InputTextWithHint("##epid", "name", &ui.setup.new_ep_id);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##epurl", "https://api.groq.com/openai/v1", &ui.setup.new_ep_url);
    ImGui::SetNextItemWidth(-ui.px(60));
    ImGui::InputTextWithHint("##epkey", "key (optional for local servers)", &ui.setup.new_ep_key, ImGuiInputTextFlags_Password);
    ImGui::SameLine();
    if (ImGui::Button("Add")) {
      CustomEndpoint ce{ui.setup.new_ep_id, ui.setup.new_ep_url, ui.setup.new_ep_key, ProviderKind::OpenAICompatible};
      if (const std::string why = CustomEndpointNameProblem(s, ce.id); !why.empty()) out.setup_message = why;
      else if (!IsHttpUrl(ce.base_url)) out.setup_message = "The base URL must start with https:// (or http:// for a server on this computer).";
      else { s.custom.push_back(ce); ui.setup.new_ep_id.clear(); ui.setup.new_ep_url.clear(); ui.setup.new_ep_key.clear(); changed = true; }
    }
    ImGui::TextDisabled("Ollama: set OLLAMA_ORIGINS; LM Studio: enable CORS.\nA public page calling localhost shows Chrome's\nlocal-network permission prompt: allow it.");
  }

  // ---- Presets
  ImGui::SeparatorText("Panel");
  auto preset_button = [&](const char* label, Preset p, const char* tip) {
    if (ImGui::Button(label)) out.preset = static_cast<int>(p);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
    RecordRect(ui, std::string("setup.preset.") + label);
  };
  preset_button("Budget", Preset::Budget, "The published budget panel that beat single frontier models:\nGemini 3 Flash + Kimi K2.6 + DeepSeek V4 Pro, resolved against the live catalogue.");
  ImGui::SameLine();
  preset_button("Quality", Preset::Quality, "Frontier models: Claude Opus, GPT-5, Gemini 3 Pro.");
  ImGui::SameLine();
  preset_button("Fast", Preset::Fast, "Quick, cheap models.");
  ImGui::SameLine();
  preset_button("Self", Preset::SelfFusion, "Self-fusion: the first panel model three times at temperatures 0.2, 0.7 and 1.1.");
  if (s.using_demo()) { ImGui::SameLine(); preset_button("Demo", Preset::Demo, "Three scripted demo models and the demo judge."); }

  ModelList(ui, "panel", s.panel, cat.models, "No models yet: pick a preset or add from the list below.", changed);
  ImGui::SeparatorText("Judge");
  ModelList(ui, "judges", s.judges, cat.models, "No judge: set one from the list below.", changed);
  if (s.judges.size() > 1) ImGui::TextDisabled("The judges after the first are fallbacks, tried in order.");
  ImGui::SeparatorText("Writer of the final answer");
  ModelList(ui, "writers", s.writers, cat.models, "The judge writes it (pick a writer below to set one apart).", changed);
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("The judge analyses; the writer turns the analysis into the answer (two-phase mode). The best "
                     "model on its own is not necessarily the best synthesizer: public reproductions of fusion saw the "
                     "same panel score 54 to 73 depending only on this choice.");
  ImGui::PopStyleColor();
  for (auto& p : s.panel)
    if (!s.judges.empty() && p.model == s.judges[0].model) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
      ImGui::TextWrapped("The judge is also a panel member: it may favour its own answer.");
      ImGui::PopStyleColor();
      break;
    }

  // ---- Model picker
  ImGui::SeparatorText("Models");
  if (cat.loading) ImGui::TextDisabled("Loading the model catalogue…");
  if (!cat.error.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Disagree));
    ImGui::TextWrapped("Catalogue: %s", cat.error.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::SetNextItemWidth(-1);
  ImGui::InputTextWithHint("##filter", "search models (name, id)…", ui.setup.model_filter, sizeof ui.setup.model_filter);
  RecordRect(ui, "setup.filter");
  ImGui::RadioButton("add to panel", &ui.setup.picker_target, 0); ImGui::SameLine();
  ImGui::RadioButton("set judge", &ui.setup.picker_target, 1);
  SameLineIfFits(ImGui::CalcTextSize("fallback judge").x + ImGui::GetFrameHeight() * 1.5f);
  ImGui::RadioButton("fallback judge", &ui.setup.picker_target, 2);
  SameLineIfFits(ImGui::CalcTextSize("add writer").x + ImGui::GetFrameHeight() * 1.5f);
  ImGui::RadioButton("add writer", &ui.setup.picker_target, 3);
  if (ui.eval_open) {  // eval mode: a model alone as an extra contestant
    SameLineIfFits(ImGui::CalcTextSize("eval contestant").x + ImGui::GetFrameHeight() * 1.5f);
    ImGui::RadioButton("eval contestant", &ui.setup.picker_target, 4);
  } else if (ui.setup.picker_target == 4) {
    ui.setup.picker_target = 0;
  }
  std::string filter = ui.setup.model_filter;
  std::transform(filter.begin(), filter.end(), filter.begin(), ::tolower);
  std::vector<const ModelInfo*> shown;
  for (auto& m : cat.models) {
    std::string hay = m.id + " " + m.name;
    std::transform(hay.begin(), hay.end(), hay.begin(), ::tolower);
    if (filter.empty() || hay.find(filter) != std::string::npos) shown.push_back(&m);
  }
  float list_h = ui.px(200);
  if (ImGui::BeginTable("models", 4, ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                         ImGuiTableFlags_SizingStretchProp, ImVec2(0, list_h))) {
    ImGui::TableSetupScrollFreeze(0, 1);
    // Numbers get exactly the room they need; the model id takes the rest.
    ImGui::TableSetupColumn("model", ImGuiTableColumnFlags_WidthStretch, 1.0f);  // an explicit weight: 0 rows would give 0/0
    ImGui::TableSetupColumn("$/M in/out", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("15.00/75.0").x);
    ImGui::TableSetupColumn("ctx", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("1048k").x);
    ImGui::TableSetupColumn("JSON·web", ImGuiTableColumnFlags_WidthFixed, ImGui::CalcTextSize("JSON·web").x);
    ImGui::TableHeadersRow();
    ImGuiListClipper clip;
    clip.Begin(static_cast<int>(shown.size()));
    std::string ep = s.default_endpoint();
    while (clip.Step()) {
      for (int i = clip.DisplayStart; i < clip.DisplayEnd; ++i) {
        const ModelInfo& m = *shown[static_cast<size_t>(i)];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushID(i);
        if (ImGui::Selectable(m.id.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) {
          ModelRef r{ep, m.id, -1};
          if (ui.setup.picker_target == 4) {
            out.eval_add_model = m.id;
          } else if (ui.setup.picker_target == 0) {
            if (s.panel.size() >= kMaxPanel) out.setup_message = "The panel holds at most 8 models.";
            else if (std::any_of(s.panel.begin(), s.panel.end(), [&](const ModelRef& x) { return x.model == m.id; }))
              out.setup_message = "\"" + m.id + "\" is already in the panel (use the self-fusion preset to repeat a model).";
            else s.panel.push_back(r);
          } else if (ui.setup.picker_target == 1) {
            if (s.judges.empty()) s.judges.push_back(r); else s.judges[0] = r;
          } else if (ui.setup.picker_target == 2) {
            s.judges.push_back(r);
          } else {
            s.writers.push_back(r);
          }
          changed |= ui.setup.picker_target != 4;
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s\n%s", m.name.c_str(), m.id.c_str());
        if (i < 3) RecordRect(ui, "setup.model." + m.id);
        ImGui::PopID();
        ImGui::TableNextColumn();
        ImGui::Text("%s/%s", PerMillion(m.price_prompt).c_str(), PerMillion(m.price_completion).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%lldk", static_cast<long long>(m.context_length / 1000));
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(m.structured_outputs ? (m.tools ? " ✓ · ✓" : " ✓ · –") : (m.tools ? " – · ✓" : " – · –"));
      }
    }
    ImGui::EndTable();
  }
  if (!cat.models.empty()) ImGui::TextDisabled("%zu of %zu models", shown.size(), cat.models.size());

  // ---- Grounding and run options
  ImGui::SeparatorText("Web search grounding");
  int mode = static_cast<int>(s.search);
  if (ImGui::RadioButton("off", &mode, 0)) changed = true;
  ImGui::SameLine();
  if (ImGui::RadioButton("OpenRouter web plugin", &mode, 1)) changed = true;
  SameLineIfFits(ImGui::CalcTextSize("shared search").x + ImGui::GetFrameHeight() * 1.5f);
  if (ImGui::RadioButton("shared search", &mode, 2)) changed = true;
  SameLineIfFits(ImGui::CalcTextSize("web_search tool").x + ImGui::GetFrameHeight() * 1.5f);
  if (ImGui::RadioButton("web_search tool", &mode, 3)) changed = true;
  s.search = static_cast<WebSearchMode>(mode);
  if (s.search == WebSearchMode::OpenRouterPlugin)
    ImGui::TextDisabled("Each member searches once (billed by OpenRouter; in the estimate).");
  if (s.search == WebSearchMode::OpenRouterTool)
    ImGui::TextDisabled("openrouter:web_search: each member decides when to search (billed per search).");
  if (s.search == WebSearchMode::OpenRouterPlugin || s.search == WebSearchMode::OpenRouterTool) {
    ImGui::SetNextItemWidth(ui.px(110));
    if (ImGui::SliderInt("results per search", &s.search_max_results, 1, 10)) changed = true;
    if (s.search == WebSearchMode::OpenRouterTool) {
      ImGui::TextUnformatted("Never search these domains:");
      ImGui::SetNextItemWidth(-1);
      if (ImGui::InputTextWithHint("##excluded", "pinterest.com, quora.com", &s.search_excluded_domains)) changed = true;
      RecordRect(ui, "setup.excluded_domains");
    }
    if (s.using_demo()) ImGui::TextDisabled("Only OpenRouter models search; the demo's sources are scripted.");
  }
  if (s.search == WebSearchMode::SharedSearch) {
    ImGui::TextDisabled("One Jina search; its results go to every member and the judge.");
    ImGui::SetNextItemWidth(-1);
    if (ImGui::InputText("##searchurl", &s.search_url)) changed = true;
    if (KeyField(ui, "Search API key (Jina)", "##search_key", s.search_key)) changed = true;
    ImGui::TextDisabled("Exa, Brave, SearXNG and SerpApi block browser calls (no CORS):\nthey need a proxy, so they are not offered here.");
  }

  ImGui::SeparatorText("Run");
  ImGui::SetNextItemWidth(ui.px(110));
  if (ImGui::SliderInt("quorum", &s.quorum, 0, std::max<int>(1, static_cast<int>(s.panel.size())), s.quorum == 0 ? "all" : "%d")) changed = true;
  HelpMarker("The judge starts once this many members have answered; late answers are still shown.");
  ImGui::SetNextItemWidth(ui.px(110));
  float dl = static_cast<float>(s.quorum_deadline_s);
  if (ImGui::SliderFloat("deadline", &dl, 0, 120, dl <= 0 ? "off" : "%.0f s")) { s.quorum_deadline_s = dl; changed = true; }
  HelpMarker("Start the judge after this long if at least one member answered.");
  ImGui::SetNextItemWidth(ui.px(110));
  float idle = static_cast<float>(s.idle_timeout_s), total = static_cast<float>(s.total_timeout_s);
  if (ImGui::SliderFloat("idle timeout", &idle, 5, 300, "%.0f s")) { s.idle_timeout_s = idle; changed = true; }
  ImGui::SetNextItemWidth(ui.px(110));
  if (ImGui::SliderFloat("total timeout", &total, 10, 900, "%.0f s")) { s.total_timeout_s = total; changed = true; }
  ImGui::SetNextItemWidth(ui.px(110));
  if (ImGui::SliderInt("retries", &s.max_retries, 0, 5)) changed = true;
  HelpMarker("Retries on 408, 429 and 5xx with exponential backoff, honouring Retry-After.");
  if (ImGui::Checkbox("Stream the final answer (two-phase judge)", &s.two_phase_judge)) changed = true;
  if (ImGui::Checkbox("Structured output (JSON schema)", &s.structured_output)) changed = true;
  if (ImGui::Checkbox("Send attribution headers", &s.attribution)) changed = true;
  HelpMarker("HTTP-Referer and X-OpenRouter-Title, for OpenRouter's app rankings.");
  ImGui::SeparatorText("Compare with");
  {
    const char* names[] = {"nothing", "openrouter/fusion", "openrouter/fusion-flash"};
    int cm = s.compare_model == names[1] ? 1 : s.compare_model == names[2] ? 2 : 0;
    ImGui::BeginDisabled(s.using_demo());
    for (int k = 0; k < 3; ++k) {
      if (k > 0) SameLineIfFits(ImGui::CalcTextSize(names[k]).x + ImGui::GetFrameHeight() * 1.5f);
      if (ImGui::RadioButton(names[k], &cm, k)) { s.compare_model = k == 0 ? "" : names[k]; changed = true; }
    }
    ImGui::EndDisabled();
    RecordRect(ui, "setup.compare");
    HelpMarker("Sends the question alone to OpenRouter's own Fusion as well, and shows its answer,\n"
               "cost and time beside Concord's synthesis. It is never shown to the judge.\n"
               "It costs about 4 to 5 times a single completion.");
    if (s.using_demo()) ImGui::TextDisabled("Needs an OpenRouter key (the demo has no Fusion to ask).");
  }
  ImGui::SeparatorText("Optional stages");
  ImGui::SetNextItemWidth(ui.px(110));
  if (ImGui::SliderInt("MoA layers", &s.moa_layers, 0, 3, s.moa_layers == 0 ? "off" : "%d")) changed = true;
  HelpMarker("Mixture-of-Agents: each member rewrites its answer after reading everyone's (anonymised),\n"
             "1 to 3 times, before the judge. Costs one extra call per member per layer.");
  if (ImGui::Checkbox("Anonymous peer ranking", &s.peer_ranking)) changed = true;
  HelpMarker("llm-council style: each member ranks the anonymised answers; the judge sees the average rank.\n"
             "Costs one extra call per member.");

  if (!problems.empty()) {
    ImGui::SeparatorText("Problems");
    for (auto& p : problems) {
      ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Disagree));
      ImGui::TextWrapped("%s", p.c_str());
      ImGui::PopStyleColor();
    }
  }
  ImGui::EndChild();
  if (changed) {
    out.settings_changed = true;
    out.settings = std::move(s);
  }
}

void DrawHistory(UiShared& ui, const AppStatus& st, const std::vector<FusionRun>& history, const std::string& note, UiActions& out) {
  if (ImGui::Button("Export JSON")) out.export_json = true;
  RecordRect(ui, "history.export_json");
  ImGui::SameLine();
  if (ImGui::Button("Export Markdown")) out.export_markdown = true;
  ImGui::SameLine();
  if (ImGui::Button("Import…")) out.import_json = true;
  RecordRect(ui, "history.import");
  if (!note.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal::Partial));
    ImGui::TextWrapped("%s", note.c_str());
    ImGui::PopStyleColor();
  }
  if (!st.history_message.empty()) ImGui::TextWrapped("%s", st.history_message.c_str());
  if (history.empty()) ImGui::TextDisabled("No runs yet. Finished runs are saved here, on this device.");
  BeginChildOnChildBg("hist_list", ImVec2(0, 0), false);
  for (size_t i = 0; i < history.size(); ++i) {
    const FusionRun& r = history[i];
    ImGui::PushID(static_cast<int>(i));
    std::string title = r.config.prompt.substr(0, 80);
    for (auto& ch : title) if (ch == '\n') ch = ' ';
    if (ImGui::Selectable(title.empty() ? "(empty prompt)" : title.c_str(), ui.history.selected == static_cast<int>(i))) {
      ui.history.selected = static_cast<int>(i);
      out.open_history = static_cast<int>(i);
    }
    RecordRect(ui, "history.item." + std::to_string(i));
    ImGui::TextDisabled("%zu models · %s · %s%s", r.members.size(), ToString(r.stage), FormatCost(r.total_cost()).c_str(),
                        r.history.empty() ? "" : " · follow-up");
    ImGui::SameLine(ImGui::GetContentRegionMax().x - ui.px(50));
    if (ImGui::SmallButton("delete")) out.delete_history = static_cast<int>(i);
    ImGui::Separator();
    ImGui::PopID();
  }
  ImGui::EndChild();
}

}  // namespace concord
