// User settings: endpoints and keys, the panel, the judge, grounding and run limits.
// Saved as JSON; keys are saved separately (sessionStorage, or localStorage when the
// user opts in) and never appear in exports, the URL or logs.
#pragma once
#include <string>
#include <vector>

#include "demo.h"
#include "run.h"

namespace concord {

struct CustomEndpoint {
  std::string id;        // short name shown in the model picker, e.g. "groq"
  std::string base_url;  // https://api.groq.com/openai/v1
  std::string key;       // secret
  ProviderKind kind = ProviderKind::OpenAICompatible;
};

struct Settings {
  // Providers
  std::string openrouter_key;           // secret
  std::string anthropic_key;            // secret
  std::string search_key;               // secret (Jina)
  bool remember_keys = false;           // off: sessionStorage only
  bool attribution = false;             // send HTTP-Referer / X-OpenRouter-Title
  std::string openrouter_base = "https://openrouter.ai/api/v1";
  std::string demo_base = kInPageDemoBase;  // or a loopback simulator (tests, demo= links)
  std::vector<CustomEndpoint> custom;
  bool force_demo = false;              // use the demo provider even with a key

  // Panel and judge
  std::vector<ModelRef> panel;
  std::vector<ModelRef> judges;         // [0] judge (the analyst), then fallbacks
  std::vector<ModelRef> writers;        // who writes the final answer, then fallbacks; empty: the judge
  std::string preset;                   // last preset applied (display only)

  // Run options (RunConfig fields the user edits)
  // Grounding is on by default: OpenRouter members get the openrouter:web_search tool
  // (other endpoints are unaffected; the estimate includes its price).
  WebSearchMode search = WebSearchMode::OpenRouterTool;
  std::string search_url = "https://s.jina.ai/";
  int search_max_results = 5;           // per member search (plugin and tool)
  std::string search_excluded_domains;  // the tool's excluded_domains, as typed ("a.com, b.org")
  std::string compare_model;            // "" or an OpenRouter model run beside the fusion, e.g. openrouter/fusion
  int quorum = 0;
  double quorum_deadline_s = 0;
  double idle_timeout_s = 60;
  double total_timeout_s = 300;
  int max_retries = 2;
  bool two_phase_judge = true;
  bool structured_output = true;
  bool peer_ranking = false;
  int moa_layers = 0;
  int max_tokens = 0;

  bool using_demo() const { return force_demo || (openrouter_key.empty() && custom.empty() && anthropic_key.empty()); }
  // The endpoint new models are picked from and the catalogue is read from.
  std::string default_endpoint() const { return using_demo() ? "demo" : "openrouter"; }
};

// JSON without secrets. ParseSettings keeps defaults for missing or bad fields.
std::string SettingsToJson(const Settings& s);
void SettingsFromJson(const std::string& text, Settings& s);
// Why `id` cannot name a new custom endpoint (empty, a built-in's name, or taken); "" if it can.
std::string CustomEndpointNameProblem(const Settings& s, const std::string& id);
std::string KeysToJson(const Settings& s);             // secrets only
void KeysFromJson(const std::string& text, Settings& s);

// The endpoints a run may use, built from settings (demo first when no key).
std::vector<Endpoint> BuildEndpoints(const Settings& s, const std::string& page_url);
// Run configuration from settings + prompt.
RunConfig BuildRunConfig(const Settings& s, const std::string& prompt);
// Validation with clear messages ("" = fine). Checks URLs, empty prompt, duplicates, judge in panel.
std::vector<std::string> ValidateSettings(const Settings& s);
// "" or why the question cannot be sent (empty, whitespace only).
std::string ValidatePrompt(const std::string& prompt);
// Both: the prompt's problem first, then the settings'.
std::vector<std::string> ValidateSettings(const Settings& s, const std::string& prompt);

// Presets resolved against the live catalogue. Returns "" or why it could not resolve.
enum class Preset { Budget, Quality, Fast, SelfFusion, Demo };
// The demo's own panel, without the catalogue: three scripted members and the demo judge,
// or (self) one scripted model at the self-fusion temperatures.
void UseDemoPanel(Settings& s, bool self);
// True when every panel member and judge is a demo model (and there is at least one).
bool IsDemoPanel(const Settings& s);
std::string ApplyPreset(Preset p, const std::vector<ModelInfo>& catalogue, const std::string& endpoint_id, Settings& s);

}  // namespace concord
