// Settings: (de)serialisation without secrets, endpoints and run config built from them,
// validation with clear messages, and presets resolved against the live catalogue.
#include "settings.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "jsonutil.h"
#include "model_json.h"
#include "url.h"

namespace concord {
namespace {
const char* KindName(ProviderKind k) {
  return k == ProviderKind::Anthropic ? "anthropic" : k == ProviderKind::OpenRouter ? "openrouter" : "openai";
}
ProviderKind KindFrom(const std::string& s) {
  return s == "anthropic" ? ProviderKind::Anthropic : s == "openrouter" ? ProviderKind::OpenRouter : ProviderKind::OpenAICompatible;
}
// "Example.com, https://www.foo.org/x  bar.net" -> {"example.com", "www.foo.org", "bar.net"}:
// lower-case hosts, no scheme or path, no repeats, at most 20.
std::vector<std::string> SplitDomains(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    std::string d = cur;
    cur.clear();
    size_t scheme = d.find("://");
    if (scheme != std::string::npos) d = d.substr(scheme + 3);
    d = d.substr(0, d.find_first_of("/?#"));
    while (!d.empty() && d.back() == '.') d.pop_back();
    if (d.empty() || out.size() >= 20 || std::find(out.begin(), out.end(), d) != out.end()) return;
    out.push_back(d);
  };
  for (char ch : text) {
    if (ch == ',' || ch == ';' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') flush();
    else cur += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  flush();
  return out;
}
}  // namespace

std::string SettingsToJson(const Settings& s) {
  json custom = json::array();
  for (auto& c : s.custom) custom.push_back({{"id", c.id}, {"base_url", c.base_url}, {"kind", KindName(c.kind)}});
  json j = {{"version", 1}, {"remember_keys", s.remember_keys}, {"attribution", s.attribution},
            {"openrouter_base", s.openrouter_base}, {"demo_base", s.demo_base}, {"custom", custom},
            {"force_demo", s.force_demo}, {"panel", ModelRefsToJson(s.panel)}, {"judges", ModelRefsToJson(s.judges)}, {"writers", ModelRefsToJson(s.writers)},
            {"preset", s.preset}, {"search", static_cast<int>(s.search)}, {"search_url", s.search_url},
            {"quorum", s.quorum}, {"quorum_deadline_s", s.quorum_deadline_s}, {"idle_timeout_s", s.idle_timeout_s},
            {"total_timeout_s", s.total_timeout_s}, {"max_retries", s.max_retries},
            {"two_phase_judge", s.two_phase_judge}, {"structured_output", s.structured_output},
            {"peer_ranking", s.peer_ranking}, {"moa_layers", s.moa_layers}, {"max_tokens", s.max_tokens},
            {"search_max_results", s.search_max_results}, {"search_excluded_domains", s.search_excluded_domains},
            {"compare_model", s.compare_model}};
  return Dump(j);
}

void SettingsFromJson(const std::string& text, Settings& s) {
  json j = ParseJson(text);
  if (!j.is_object()) return;
  s.remember_keys = GetBool(j, "remember_keys", s.remember_keys);
  s.attribution = GetBool(j, "attribution", s.attribution);
  s.openrouter_base = GetStr(j, "openrouter_base", s.openrouter_base);
  s.demo_base = GetStr(j, "demo_base", s.demo_base);
  if (s.demo_base == kLegacyDemoBase) s.demo_base = kInPageDemoBase;  // the demo now runs in the page
  s.custom.clear();
  for (auto& c : GetArr(j, "custom")) {
    CustomEndpoint e{GetStr(c, "id"), GetStr(c, "base_url"), "", KindFrom(GetStr(c, "kind"))};
    // Calls name an endpoint by id: a second one of the same name (older settings) could never
    // be called, and would share the first one's key.
    if (!CustomEndpointNameProblem(s, e.id).empty()) continue;
    s.custom.push_back(std::move(e));
  }
  s.force_demo = GetBool(j, "force_demo", s.force_demo);
  if (Get(j, "panel")) s.panel = ModelRefsFromJson(GetArr(j, "panel"), kMaxPanel);
  if (Get(j, "judges")) s.judges = ModelRefsFromJson(GetArr(j, "judges"), kMaxPanel);
  if (Get(j, "writers")) s.writers = ModelRefsFromJson(GetArr(j, "writers"), kMaxPanel);
  s.preset = GetStr(j, "preset", s.preset);
  s.search = static_cast<WebSearchMode>(std::clamp<int64_t>(GetInt(j, "search", static_cast<int>(s.search)), 0, 3));
  s.search_url = GetStr(j, "search_url", s.search_url);
  s.quorum = static_cast<int>(std::clamp<int64_t>(GetInt(j, "quorum", s.quorum), 0, 8));
  s.quorum_deadline_s = std::clamp(GetNum(j, "quorum_deadline_s", s.quorum_deadline_s), 0.0, 600.0);
  s.idle_timeout_s = std::clamp(GetNum(j, "idle_timeout_s", s.idle_timeout_s), 5.0, 600.0);
  s.total_timeout_s = std::clamp(GetNum(j, "total_timeout_s", s.total_timeout_s), 10.0, 3600.0);
  s.max_retries = static_cast<int>(std::clamp<int64_t>(GetInt(j, "max_retries", s.max_retries), 0, 5));
  s.two_phase_judge = GetBool(j, "two_phase_judge", s.two_phase_judge);
  s.structured_output = GetBool(j, "structured_output", s.structured_output);
  s.peer_ranking = GetBool(j, "peer_ranking", s.peer_ranking);
  s.moa_layers = static_cast<int>(std::clamp<int64_t>(GetInt(j, "moa_layers", s.moa_layers), 0, 3));
  s.max_tokens = static_cast<int>(std::clamp<int64_t>(GetInt(j, "max_tokens", s.max_tokens), 0, 200000));
  s.search_max_results = static_cast<int>(std::clamp<int64_t>(GetInt(j, "search_max_results", s.search_max_results), 1, 10));
  s.search_excluded_domains = GetStr(j, "search_excluded_domains", s.search_excluded_domains).substr(0, 2000);
  s.compare_model = GetStr(j, "compare_model", s.compare_model).substr(0, 200);
}

std::string CustomEndpointNameProblem(const Settings& s, const std::string& id) {
  if (id.empty()) return "An endpoint needs a name.";
  for (const char* built_in : {"openrouter", "anthropic", "demo"})
    if (id == built_in) return "\"" + id + "\" is a built-in endpoint's name: choose another.";
  for (auto& c : s.custom)
    if (c.id == id) return "There is already an endpoint named \"" + id + "\": remove it first, or choose another name.";
  return "";
}

std::string KeysToJson(const Settings& s) {
  // A custom key is stored with the URL it was given for: it is never sent to another host,
  // whatever the endpoint list says later (another tab may have replaced the endpoint).
  json custom = json::object();
  for (auto& c : s.custom) if (!c.key.empty()) custom[c.id] = {{"url", c.base_url}, {"key", c.key}};
  return Dump({{"openrouter", s.openrouter_key}, {"anthropic", s.anthropic_key}, {"search", s.search_key}, {"custom", custom}});
}

void KeysFromJson(const std::string& text, Settings& s) {
  json j = ParseJson(text);
  if (!j.is_object()) return;
  s.openrouter_key = GetStr(j, "openrouter");
  s.anthropic_key = GetStr(j, "anthropic");
  s.search_key = GetStr(j, "search");
  const json& custom = GetObj(j, "custom");
  for (auto& c : s.custom) {
    const json* k = Get(custom, c.id.c_str());
    if (k && k->is_object()) c.key = GetStr(*k, "url") == c.base_url ? GetStr(*k, "key") : "";
    else c.key = GetStr(custom, c.id.c_str());  // stored before keys carried their URL
  }
}

std::vector<Endpoint> BuildEndpoints(const Settings& s, const std::string& page_url) {
  std::vector<Endpoint> eps;
  Endpoint demo;
  demo.id = "demo";
  demo.kind = ProviderKind::OpenRouter;
  demo.base_url = s.demo_base;
  demo.is_demo = true;
  eps.push_back(demo);
  Endpoint orr;
  orr.id = "openrouter";
  orr.kind = ProviderKind::OpenRouter;
  orr.base_url = s.openrouter_base;
  orr.api_key = s.openrouter_key;
  orr.send_attribution = s.attribution;
  orr.referer = page_url;
  eps.push_back(orr);
  if (!s.anthropic_key.empty()) {
    Endpoint a;
    a.id = "anthropic";
    a.kind = ProviderKind::Anthropic;
    a.base_url = "https://api.anthropic.com/v1";
    a.api_key = s.anthropic_key;
    eps.push_back(a);
  }
  for (auto& c : s.custom) {
    Endpoint e;
    e.id = c.id;
    e.kind = c.kind;
    e.base_url = c.base_url;
    while (!e.base_url.empty() && e.base_url.back() == '/') e.base_url.pop_back();
    e.api_key = c.key;
    eps.push_back(e);
  }
  return eps;
}

RunConfig BuildRunConfig(const Settings& s, const std::string& prompt) {
  RunConfig c;
  c.prompt = prompt;
  c.panel = s.panel;
  c.judges = s.judges;
  c.writers = s.writers;
  c.search = s.search;
  c.search_url = s.search_url;
  c.search_key = s.search_key;
  c.quorum = s.quorum;
  c.quorum_deadline_s = s.quorum_deadline_s;
  c.idle_timeout_s = s.idle_timeout_s;
  c.total_timeout_s = s.total_timeout_s;
  c.max_retries = s.max_retries;
  c.two_phase_judge = s.two_phase_judge;
  c.structured_output = s.structured_output;
  c.peer_ranking = s.peer_ranking;
  c.moa_layers = s.moa_layers;
  c.max_tokens = s.max_tokens;
  c.search_max_results = s.search_max_results;
  c.search_excluded_domains = SplitDomains(s.search_excluded_domains);
  if (!s.compare_model.empty() && !s.using_demo()) c.contestants = {{"openrouter", s.compare_model}};
  return c;
}

std::string ValidatePrompt(const std::string& prompt) {
  if (prompt.find_first_not_of(" \t\r\n") == std::string::npos) return "The prompt is empty: type a question first.";
  return "";
}

std::vector<std::string> ValidateSettings(const Settings& s, const std::string& prompt) {
  std::vector<std::string> errs = ValidateSettings(s);
  if (std::string p = ValidatePrompt(prompt); !p.empty()) errs.insert(errs.begin(), p);
  return errs;
}

std::vector<std::string> ValidateSettings(const Settings& s) {
  std::vector<std::string> errs;
  if (s.panel.empty()) errs.push_back("No models in the panel: add at least one (or apply a preset).");
  if (s.judges.empty()) errs.push_back("No judge: choose a judge model.");
  std::set<std::string> seen;
  for (auto& m : s.panel) {
    std::string k = m.endpoint + "|" + m.model + "|" + std::to_string(m.temperature) + "|" + std::to_string(m.max_tokens) + "|" + m.effort;
    if (!seen.insert(k).second)
      errs.push_back("\"" + m.model + "\" is in the panel twice with the same settings: remove one, or give it another temperature or reasoning effort (the self-fusion preset spreads temperatures).");
  }
  if (!s.openrouter_base.empty() && !IsHttpUrl(s.openrouter_base)) errs.push_back("The OpenRouter base URL is not a valid http(s) URL.");
  if (!IsHttpUrl(s.demo_base) && !IsInPageDemoUrl(s.demo_base)) errs.push_back("The demo provider URL is not a valid http(s) URL.");
  for (auto& c : s.custom)
    if (!IsHttpUrl(c.base_url)) errs.push_back("Endpoint \"" + c.id + "\": \"" + c.base_url + "\" is not a valid http(s) URL.");
  if (s.search == WebSearchMode::SharedSearch && !IsHttpUrl(s.search_url)) errs.push_back("The search URL is not a valid http(s) URL.");
  if (s.quorum > static_cast<int>(s.panel.size())) errs.push_back("The quorum is larger than the panel.");
  return errs;
}

namespace {
constexpr double kSelfFusionTemperatures[] = {0.2, 0.7, 1.1};
// Best catalogue id for a family pattern: ids containing every token, preferring the
// shortest (the plain model over "-thinking" variants) and skipping expired ones.
using Tokens = std::vector<std::string>;  // every token must be in the id
std::string Resolve(const std::vector<ModelInfo>& cat, const Tokens& tokens) {
  const ModelInfo* best = nullptr;
  for (auto& m : cat) {
    bool all = true;
    for (auto& t : tokens) all &= m.id.find(t) != std::string::npos;
    if (!all || !m.expiration_date.empty()) continue;
    if (!best || m.id.size() < best->id.size()) best = &m;
  }
  return best ? best->id : "";
}
}  // namespace

void UseDemoPanel(Settings& s, bool self) {
  s.panel.clear();
  if (self) {
    for (double t : kSelfFusionTemperatures) s.panel.push_back({"demo", "demo/atlas", t});
  } else {
    for (const char* m : {"demo/atlas", "demo/borealis", "demo/cirrus"}) s.panel.push_back({"demo", m, -1});
  }
  s.judges = {{"demo", "demo/judge", -1}};
  s.writers.clear();
  s.preset = self ? "self-fusion" : "demo";
}

bool IsDemoPanel(const Settings& s) {
  if (s.panel.empty()) return false;
  for (auto& m : s.panel) if (m.endpoint != "demo") return false;
  for (auto& m : s.judges) if (m.endpoint != "demo") return false;
  for (auto& m : s.writers) if (m.endpoint != "demo") return false;
  return true;
}

std::string ApplyPreset(Preset p, const std::vector<ModelInfo>& cat, const std::string& ep, Settings& s) {
  // Owning strings: initializer_lists copied into a vector would dangle (their arrays die
  // with the full expression that built them).
  std::vector<std::vector<Tokens>> panel_tokens;
  std::vector<Tokens> judge_tokens;
  const char* name = "";
  switch (p) {
    case Preset::Budget:
      name = "budget";
      panel_tokens = {{{"gemini-3", "flash"}}, {{"kimi-k2.6"}, {"kimi-k2"}}, {{"deepseek-v4-pro"}, {"deepseek-v4"}}};
      judge_tokens = {{"claude-sonnet"}, {"gpt-5"}, {"gemini-3", "pro"}};
      break;
    case Preset::Quality:
      name = "quality";
      panel_tokens = {{{"claude-opus"}}, {{"gpt-5"}}, {{"gemini-3", "pro"}}};
      judge_tokens = {{"claude-sonnet"}, {"gpt-5"}};
      break;
    case Preset::Fast:
      name = "fast";
      panel_tokens = {{{"gemini-3", "flash"}}, {{"grok", "fast"}}, {{"gpt-5-mini"}, {"mini"}}};
      judge_tokens = {{"gemini-3", "flash"}, {"gpt-5-mini"}};
      break;
    case Preset::Demo:
      name = "demo";
      panel_tokens = {{{"demo/atlas"}}, {{"demo/borealis"}}, {{"demo/cirrus"}}};
      judge_tokens = {{"demo/judge"}};
      break;
    case Preset::SelfFusion: {
      if (s.panel.empty()) return "Self-fusion needs one model in the panel first: add one, then apply it.";
      ModelRef m = s.panel[0];
      s.panel.clear();
      for (double t : kSelfFusionTemperatures) { m.temperature = t; s.panel.push_back(m); }
      s.preset = "self-fusion";
      return "";
    }
  }
  if (cat.empty()) return "The model catalogue is not loaded yet: presets are resolved against it (refresh it in Setup).";
  std::vector<ModelRef> panel;
  std::string missing;
  for (auto& alts : panel_tokens) {
    std::string id;
    for (auto& t : alts) if (id.empty()) id = Resolve(cat, t);
    if (id.empty()) missing += (missing.empty() ? "" : ", ") + alts[0][0];
    else panel.push_back({ep, id, -1});
  }
  std::string judge;
  for (auto& t : judge_tokens) if (judge.empty()) judge = Resolve(cat, t);
  if (panel.empty()) return std::string("No model of the ") + name + " preset is in this catalogue (" + missing + ").";
  s.panel = panel;
  if (!judge.empty()) s.judges = {{ep, judge, -1}};
  s.writers.clear();  // a preset's judge also writes, unless a writer is chosen again
  s.preset = name;
  return missing.empty() ? "" : "Not in the catalogue, left out: " + missing + ".";
}

}  // namespace concord
