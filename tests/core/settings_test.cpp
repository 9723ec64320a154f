// Tests for settings.h: JSON round trip without secrets, the separate key store, endpoints and
// run configuration built from settings, validation messages and presets against a catalogue.
//
// Index of this file:
// [SECTION] JSON round trip
// [SECTION] keys
// [SECTION] endpoints and run config
// [SECTION] validation
// [SECTION] presets
#include "settings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "jsonutil.h"

namespace concord {
namespace {

const char* kOrKey = "sk-or-v1-0f1e2d3c4b5a69788796a5b4c3d2e1f0";
const char* kAntKey = "sk-ant-api03-SECRETSECRETSECRET";
const char* kJinaKey = "jina_SECRET_0123456789";
const char* kGroqKey = "gsk_SECRET_groq_key";

Settings Full() {
  Settings s;
  s.openrouter_key = kOrKey;
  s.anthropic_key = kAntKey;
  s.search_key = kJinaKey;
  s.remember_keys = true;
  s.attribution = true;
  s.openrouter_base = "https://openrouter.ai/api/v1";
  s.demo_base = "http://localhost:9999/api/v1";
  s.custom = {{"groq", "https://api.groq.com/openai/v1", kGroqKey, ProviderKind::OpenAICompatible},
              {"local", "http://127.0.0.1:11434/v1/", "", ProviderKind::OpenAICompatible}};
  s.force_demo = true;
  s.panel = {{"openrouter", "google/gemini-3-flash", -1}, {"openrouter", "openai/gpt-5", 0.7}, {"groq", "llama-4", 1.1}};
  s.judges = {{"openrouter", "anthropic/claude-sonnet-4.6", -1}, {"openrouter", "openai/gpt-5", -1}};
  s.preset = "budget";
  s.search = WebSearchMode::SharedSearch;
  s.search_url = "https://s.jina.ai/";
  s.quorum = 2;
  s.quorum_deadline_s = 45;
  s.idle_timeout_s = 90;
  s.total_timeout_s = 600;
  s.max_retries = 3;
  s.two_phase_judge = false;
  s.structured_output = false;
  s.peer_ranking = true;
  s.moa_layers = 2;
  s.max_tokens = 4000;
  return s;
}

bool SameRefs(const std::vector<ModelRef>& a, const std::vector<ModelRef>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].endpoint != b[i].endpoint || a[i].model != b[i].model || a[i].temperature != b[i].temperature) return false;
  return true;
}

bool HasMessage(const std::vector<std::string>& errs, const std::string& part) {
  for (auto& e : errs)
    if (e.find(part) != std::string::npos) return true;
  return false;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (auto& e : v) s += "[" + e + "] ";
  return s;
}

ModelInfo Info(const std::string& id, const std::string& expires = "") {
  ModelInfo m;
  m.id = id;
  m.name = id;
  m.expiration_date = expires;
  return m;
}

std::vector<ModelInfo> Catalogue() {
  return {Info("google/gemini-3-flash-thinking"), Info("google/gemini-3-flash"), Info("google/gemini-3-pro"),
          Info("moonshotai/kimi-k2.6"), Info("moonshotai/kimi-k2"), Info("deepseek/deepseek-v4-pro"),
          Info("anthropic/claude-sonnet-4.6"), Info("anthropic/claude-opus-4.6"), Info("openai/gpt-5"),
          Info("openai/gpt-5-mini"), Info("x-ai/grok-4-fast")};
}

// ---- [SECTION] JSON round trip -------------------------------------------------------------

TEST(SettingsJson, RoundTripKeepsEveryNonSecretField) {
  const Settings a = Full();
  Settings b;
  SettingsFromJson(SettingsToJson(a), b);
  EXPECT_EQ(b.remember_keys, a.remember_keys);
  EXPECT_EQ(b.attribution, a.attribution);
  EXPECT_EQ(b.openrouter_base, a.openrouter_base);
  EXPECT_EQ(b.demo_base, a.demo_base);
  ASSERT_EQ(b.custom.size(), 2u);
  EXPECT_EQ(b.custom[0].id, "groq");
  EXPECT_EQ(b.custom[0].base_url, "https://api.groq.com/openai/v1");
  EXPECT_EQ(b.custom[0].kind, ProviderKind::OpenAICompatible);
  EXPECT_EQ(b.custom[1].id, "local");
  EXPECT_EQ(b.force_demo, a.force_demo);
  EXPECT_TRUE(SameRefs(b.panel, a.panel));
  EXPECT_TRUE(SameRefs(b.judges, a.judges));
  EXPECT_EQ(b.preset, "budget");
  EXPECT_EQ(b.search, WebSearchMode::SharedSearch);
  EXPECT_EQ(b.search_url, a.search_url);
  EXPECT_EQ(b.quorum, 2);
  EXPECT_DOUBLE_EQ(b.quorum_deadline_s, 45);
  EXPECT_DOUBLE_EQ(b.idle_timeout_s, 90);
  EXPECT_DOUBLE_EQ(b.total_timeout_s, 600);
  EXPECT_EQ(b.max_retries, 3);
  EXPECT_EQ(b.two_phase_judge, false);
  EXPECT_EQ(b.structured_output, false);
  EXPECT_EQ(b.peer_ranking, true);
  EXPECT_EQ(b.moa_layers, 2);
  EXPECT_EQ(b.max_tokens, 4000);
  // Serialising again gives the same text (stable output).
  EXPECT_EQ(SettingsToJson(b), SettingsToJson(a));
}

TEST(SettingsJson, AnthropicCustomKindSurvives) {
  Settings a;
  a.custom = {{"claude", "https://api.anthropic.com/v1", "k", ProviderKind::Anthropic},
              {"orx", "https://openrouter.ai/api/v1", "k", ProviderKind::OpenRouter}};
  Settings b;
  SettingsFromJson(SettingsToJson(a), b);
  ASSERT_EQ(b.custom.size(), 2u);
  EXPECT_EQ(b.custom[0].kind, ProviderKind::Anthropic);
  EXPECT_EQ(b.custom[1].kind, ProviderKind::OpenRouter);
}

TEST(SettingsJson, KeysAreNeverInSettingsJson) {
  const std::string j = SettingsToJson(Full());
  for (const char* k : {kOrKey, kAntKey, kJinaKey, kGroqKey}) EXPECT_EQ(j.find(k), std::string::npos) << k;
  // Nor any field that looks like one.
  json p = ParseJson(j);
  ASSERT_TRUE(p.is_object());
  // (remember_keys is a boolean preference, not a secret.)
  for (auto it = p.begin(); it != p.end(); ++it)
    if (it.key().find("key") != std::string::npos) {
      EXPECT_TRUE(it.value().is_boolean()) << it.key();
    }
  for (auto& c : GetArr(p, "custom"))
    for (auto it = c.begin(); it != c.end(); ++it) EXPECT_EQ(it.key().find("key"), std::string::npos) << it.key();
}

TEST(SettingsJson, LoadingSettingsDoesNotTouchKeysInMemory) {
  Settings s;
  s.openrouter_key = kOrKey;
  s.anthropic_key = kAntKey;
  s.search_key = kJinaKey;
  SettingsFromJson(SettingsToJson(Settings()), s);
  EXPECT_EQ(s.openrouter_key, kOrKey);
  EXPECT_EQ(s.anthropic_key, kAntKey);
  EXPECT_EQ(s.search_key, kJinaKey);
}

TEST(SettingsJson, KeyFieldsSmuggledIntoSettingsJsonAreIgnored) {
  Settings s;
  SettingsFromJson(R"({"openrouter_key":"sk-evil","anthropic_key":"x","search_key":"y",
                       "custom":[{"id":"groq","base_url":"https://api.groq.com/openai/v1","kind":"openai","key":"z"}]})",
                   s);
  EXPECT_TRUE(s.openrouter_key.empty());
  EXPECT_TRUE(s.anthropic_key.empty());
  EXPECT_TRUE(s.search_key.empty());
  ASSERT_EQ(s.custom.size(), 1u);
  EXPECT_TRUE(s.custom[0].key.empty());
}

TEST(SettingsJson, GarbageLeavesDefaults) {
  const Settings def;
  for (const char* bad : {"", "not json", "[1,2,3]", "42", "null", "{\"panel\": ", "\"str\""}) {
    Settings s;
    SettingsFromJson(bad, s);
    EXPECT_EQ(SettingsToJson(s), SettingsToJson(def)) << bad;
  }
}

TEST(SettingsJson, WrongTypesKeepDefaults) {
  Settings s;
  SettingsFromJson(R"({"remember_keys":"yes","idle_timeout_s":"abc","quorum":{},"openrouter_base":[1],
                       "two_phase_judge":1,"panel":"google/gemini","max_retries":null})",
                   s);
  const Settings def;
  EXPECT_EQ(s.remember_keys, def.remember_keys);
  EXPECT_DOUBLE_EQ(s.idle_timeout_s, def.idle_timeout_s);
  EXPECT_EQ(s.quorum, def.quorum);
  EXPECT_EQ(s.openrouter_base, def.openrouter_base);
  EXPECT_EQ(s.two_phase_judge, def.two_phase_judge);
  EXPECT_TRUE(s.panel.empty());
  EXPECT_EQ(s.max_retries, def.max_retries);
}

TEST(SettingsJson, OutOfRangeNumbersAreClamped) {
  Settings s;
  SettingsFromJson(R"({"idle_timeout_s":1,"total_timeout_s":1e9,"max_retries":99,"quorum":-4,
                       "quorum_deadline_s":-1,"moa_layers":10,"max_tokens":-5,"search":-1})",
                   s);
  EXPECT_DOUBLE_EQ(s.idle_timeout_s, 5);
  EXPECT_DOUBLE_EQ(s.total_timeout_s, 3600);
  EXPECT_EQ(s.max_retries, 5);
  EXPECT_EQ(s.quorum, 0);
  EXPECT_DOUBLE_EQ(s.quorum_deadline_s, 0);
  EXPECT_EQ(s.moa_layers, 3);
  EXPECT_EQ(s.max_tokens, 0);
  EXPECT_EQ(s.search, WebSearchMode::Off);
}

TEST(SettingsJson, PanelEntriesWithoutModelAreDroppedAndAtMostEightKept) {
  json panel = json::array();
  panel.push_back({{"endpoint", "openrouter"}, {"model", ""}});
  panel.push_back({{"endpoint", "openrouter"}});
  panel.push_back("just a string");
  for (int i = 0; i < 12; ++i) panel.push_back({{"endpoint", "openrouter"}, {"model", "m/" + std::to_string(i)}});
  Settings s;
  SettingsFromJson(Dump(json{{"panel", panel}}), s);
  ASSERT_EQ(s.panel.size(), 8u);
  EXPECT_EQ(s.panel[0].model, "m/0");
  EXPECT_EQ(s.panel[7].model, "m/7");
  EXPECT_DOUBLE_EQ(s.panel[0].temperature, -1);
}

TEST(SettingsJson, MissingPanelKeepsCurrentPanel) {
  Settings s;
  s.panel = {{"openrouter", "keep/me", -1}};
  SettingsFromJson(R"({"quorum":1})", s);
  ASSERT_EQ(s.panel.size(), 1u);
  EXPECT_EQ(s.panel[0].model, "keep/me");
  EXPECT_EQ(s.quorum, 1);
}

// ---- [SECTION] keys ------------------------------------------------------------------------

TEST(SettingsKeys, RoundTripThroughTheSeparateStore) {
  const Settings a = Full();
  const std::string k = KeysToJson(a);
  EXPECT_NE(k.find(kOrKey), std::string::npos);
  EXPECT_NE(k.find(kGroqKey), std::string::npos);
  Settings b;
  SettingsFromJson(SettingsToJson(a), b);  // custom endpoints first: keys are matched by id
  KeysFromJson(k, b);
  EXPECT_EQ(b.openrouter_key, kOrKey);
  EXPECT_EQ(b.anthropic_key, kAntKey);
  EXPECT_EQ(b.search_key, kJinaKey);
  ASSERT_EQ(b.custom.size(), 2u);
  EXPECT_EQ(b.custom[0].key, kGroqKey);
  EXPECT_EQ(b.custom[1].key, "");
}

// A custom key goes only to the URL it was given for: an endpoint of the same name that now
// points elsewhere (replaced in another tab, or a second entry of that name) gets no key.
TEST(SettingsKeys, ACustomKeyStaysWithItsUrl) {
  Settings a;
  a.custom = {{"proxy", "https://a.example/v1", "sk-for-a", ProviderKind::OpenAICompatible}};
  const std::string keys = KeysToJson(a);
  Settings moved;
  SettingsFromJson(R"({"custom":[{"id":"proxy","base_url":"https://b.example/v1","kind":"openai"}]})", moved);
  KeysFromJson(keys, moved);
  ASSERT_EQ(moved.custom.size(), 1u);
  EXPECT_EQ(moved.custom[0].key, "") << "never sent to b.example";
  Settings same;
  SettingsFromJson(SettingsToJson(a), same);
  KeysFromJson(keys, same);
  EXPECT_EQ(same.custom.at(0).key, "sk-for-a");
  // Keys stored before they carried their URL are still read.
  Settings legacy;
  SettingsFromJson(SettingsToJson(a), legacy);
  KeysFromJson(R"({"custom":{"proxy":"sk-old"}})", legacy);
  EXPECT_EQ(legacy.custom.at(0).key, "sk-old");
}

TEST(SettingsKeys, EndpointNamesAreUnique) {
  Settings s;
  SettingsFromJson(R"({"custom":[{"id":"proxy","base_url":"https://a.example/v1"},{"id":"proxy","base_url":"https://b.example/v1"},
                                 {"id":"openrouter","base_url":"https://c.example/v1"}]})", s);
  ASSERT_EQ(s.custom.size(), 1u) << "a second 'proxy' could never be called; a built-in's name is taken";
  EXPECT_EQ(s.custom[0].base_url, "https://a.example/v1");
  EXPECT_NE(CustomEndpointNameProblem(s, "proxy").find("already an endpoint named \"proxy\""), std::string::npos);
  EXPECT_NE(CustomEndpointNameProblem(s, "demo").find("built-in"), std::string::npos);
  EXPECT_NE(CustomEndpointNameProblem(s, "").find("needs a name"), std::string::npos);
  EXPECT_EQ(CustomEndpointNameProblem(s, "groq"), "");
}

TEST(SettingsKeys, GarbageKeyStoreLeavesKeysAlone) {
  Settings s;
  s.openrouter_key = kOrKey;
  KeysFromJson("not json", s);
  KeysFromJson("[]", s);
  EXPECT_EQ(s.openrouter_key, kOrKey);
}

// ---- [SECTION] endpoints and run config ----------------------------------------------------

TEST(SettingsEndpoints, BuildEndpoints) {
  Settings s = Full();
  auto eps = BuildEndpoints(s, "https://concord.example/app");
  ASSERT_EQ(eps.size(), 5u);
  EXPECT_EQ(eps[0].id, "demo");
  EXPECT_TRUE(eps[0].is_demo);
  EXPECT_TRUE(eps[0].api_key.empty()) << "the demo provider never gets a key";
  EXPECT_EQ(eps[0].base_url, "http://localhost:9999/api/v1");
  EXPECT_EQ(eps[1].id, "openrouter");
  EXPECT_EQ(eps[1].kind, ProviderKind::OpenRouter);
  EXPECT_EQ(eps[1].api_key, kOrKey);
  EXPECT_TRUE(eps[1].send_attribution);
  EXPECT_EQ(eps[1].referer, "https://concord.example/app");
  EXPECT_EQ(eps[2].id, "anthropic");
  EXPECT_EQ(eps[2].kind, ProviderKind::Anthropic);
  EXPECT_EQ(eps[2].api_key, kAntKey);
  EXPECT_EQ(eps[3].id, "groq");
  EXPECT_EQ(eps[3].api_key, kGroqKey);
  EXPECT_EQ(eps[4].base_url, "http://127.0.0.1:11434/v1") << "trailing slash stripped";

  Settings plain;
  auto p = BuildEndpoints(plain, "");
  ASSERT_EQ(p.size(), 2u) << "no anthropic endpoint without its key";
  EXPECT_TRUE(plain.using_demo());
  plain.openrouter_key = "k";
  EXPECT_FALSE(plain.using_demo());
  plain.force_demo = true;
  EXPECT_TRUE(plain.using_demo());
}

TEST(SettingsRunConfig, BuildRunConfigCopiesTheRunOptions) {
  const Settings s = Full();
  RunConfig c = BuildRunConfig(s, "Why is the sky blue?");
  EXPECT_EQ(c.prompt, "Why is the sky blue?");
  EXPECT_TRUE(SameRefs(c.panel, s.panel));
  EXPECT_TRUE(SameRefs(c.judges, s.judges));
  EXPECT_EQ(c.search, WebSearchMode::SharedSearch);
  EXPECT_EQ(c.search_url, s.search_url);
  EXPECT_EQ(c.search_key, kJinaKey);
  EXPECT_EQ(c.quorum, 2);
  EXPECT_DOUBLE_EQ(c.quorum_deadline_s, 45);
  EXPECT_DOUBLE_EQ(c.idle_timeout_s, 90);
  EXPECT_DOUBLE_EQ(c.total_timeout_s, 600);
  EXPECT_EQ(c.max_retries, 3);
  EXPECT_FALSE(c.two_phase_judge);
  EXPECT_FALSE(c.structured_output);
  EXPECT_TRUE(c.peer_ranking);
  EXPECT_EQ(c.moa_layers, 2);
  EXPECT_EQ(c.max_tokens, 4000);
}

TEST(SettingsRunConfig, ZeroRetriesStaysZeroThroughNormalise) {
  Settings s;
  s.max_retries = 0;
  RunConfig c = Normalise(BuildRunConfig(s, "q"));
  EXPECT_EQ(c.max_retries, 0) << "0 means no retries, not the default";
}

// ---- [SECTION] validation ------------------------------------------------------------------

Settings Valid() {
  Settings s;
  s.openrouter_key = "k";
  s.panel = {{"openrouter", "a/one", -1}, {"openrouter", "b/two", -1}};
  s.judges = {{"openrouter", "j/judge", -1}};
  return s;
}

TEST(SettingsValidate, ValidSettingsHaveNoMessages) {
  auto errs = ValidateSettings(Valid(), "A real question?");
  EXPECT_TRUE(errs.empty()) << Join(errs);
  EXPECT_TRUE(ValidateSettings(Full(), "q").empty()) << Join(ValidateSettings(Full(), "q"));
}

TEST(SettingsValidate, EmptyPrompt) {
  for (const char* p : {"", "   ", "\n\t \r\n"}) {
    auto errs = ValidateSettings(Valid(), p);
    ASSERT_EQ(errs.size(), 1u) << Join(errs);
    EXPECT_TRUE(HasMessage(errs, "The prompt is empty")) << Join(errs);
  }
}

TEST(SettingsValidate, EmptyPanelAndNoJudge) {
  Settings s = Valid();
  s.panel.clear();
  s.judges.clear();
  auto errs = ValidateSettings(s, "q");
  EXPECT_TRUE(HasMessage(errs, "No models in the panel")) << Join(errs);
  EXPECT_TRUE(HasMessage(errs, "No judge")) << Join(errs);
}

TEST(SettingsValidate, DuplicateMemberSameTemperature) {
  Settings s = Valid();
  s.panel.push_back({"openrouter", "a/one", -1});
  auto errs = ValidateSettings(s, "q");
  ASSERT_EQ(errs.size(), 1u) << Join(errs);
  EXPECT_TRUE(HasMessage(errs, "\"a/one\" is in the panel twice")) << Join(errs);
  // The same model at another temperature (self-fusion) or on another endpoint is fine.
  s.panel.back().temperature = 0.9;
  EXPECT_TRUE(ValidateSettings(s, "q").empty());
  s.panel.back() = {"groq", "a/one", -1};
  s.custom = {{"groq", "https://api.groq.com/openai/v1", "k", ProviderKind::OpenAICompatible}};
  EXPECT_TRUE(ValidateSettings(s, "q").empty()) << Join(ValidateSettings(s, "q"));
}

TEST(SettingsValidate, BadUrls) {
  for (const char* bad : {"openrouter.ai/api/v1", "ftp://openrouter.ai", "https://", "https:///v1",
                          "https://open router.ai", "javascript:alert(1)", "https://x\"<y>"}) {
    Settings s = Valid();
    s.openrouter_base = bad;
    auto errs = ValidateSettings(s, "q");
    EXPECT_TRUE(HasMessage(errs, "The OpenRouter base URL is not a valid http(s) URL")) << bad << ": " << Join(errs);
  }
  Settings s = Valid();
  s.demo_base = "localhost:8787";
  EXPECT_TRUE(HasMessage(ValidateSettings(s, "q"), "demo provider URL")) << Join(ValidateSettings(s, "q"));

  s = Valid();
  s.custom = {{"groq", "api.groq.com/openai/v1", "k", ProviderKind::OpenAICompatible}};
  auto errs = ValidateSettings(s, "q");
  EXPECT_TRUE(HasMessage(errs, "Endpoint \"groq\": \"api.groq.com/openai/v1\" is not a valid http(s) URL")) << Join(errs);

  s = Valid();
  s.search = WebSearchMode::SharedSearch;
  s.search_url = "s.jina.ai";
  EXPECT_TRUE(HasMessage(ValidateSettings(s, "q"), "search URL")) << Join(ValidateSettings(s, "q"));
  s.search = WebSearchMode::Off;
  EXPECT_TRUE(ValidateSettings(s, "q").empty()) << "the search URL only matters when shared search is on";

  s = Valid();
  s.openrouter_base = "http://localhost:8080/v1";
  EXPECT_TRUE(ValidateSettings(s, "q").empty()) << "plain http is allowed (local servers)";
}

TEST(SettingsValidate, QuorumLargerThanPanel) {
  Settings s = Valid();
  s.quorum = 3;
  auto errs = ValidateSettings(s, "q");
  EXPECT_TRUE(HasMessage(errs, "quorum is larger than the panel")) << Join(errs);
  s.quorum = 2;
  EXPECT_TRUE(ValidateSettings(s, "q").empty());
}

TEST(SettingsValidate, SeveralProblemsAreAllReported) {
  Settings s;
  s.demo_base = "nope";
  s.quorum = 1;
  auto errs = ValidateSettings(s, "");
  EXPECT_GE(errs.size(), 5u) << Join(errs);
  for (auto& e : errs) EXPECT_FALSE(e.empty());
}

// ---- [SECTION] presets ---------------------------------------------------------------------

TEST(SettingsPreset, BudgetResolvesAgainstCatalogue) {
  Settings s;
  EXPECT_EQ(ApplyPreset(Preset::Budget, Catalogue(), "openrouter", s), "");
  ASSERT_EQ(s.panel.size(), 3u);
  EXPECT_EQ(s.panel[0].model, "google/gemini-3-flash") << "the plain model over the -thinking variant";
  EXPECT_EQ(s.panel[1].model, "moonshotai/kimi-k2.6");
  EXPECT_EQ(s.panel[2].model, "deepseek/deepseek-v4-pro");
  for (auto& m : s.panel) {
    EXPECT_EQ(m.endpoint, "openrouter");
    EXPECT_DOUBLE_EQ(m.temperature, -1);
  }
  ASSERT_EQ(s.judges.size(), 1u);
  EXPECT_EQ(s.judges[0].model, "anthropic/claude-sonnet-4.6");
  EXPECT_EQ(s.preset, "budget");
  EXPECT_TRUE(ValidateSettings(s, "q").empty()) << Join(ValidateSettings(s, "q"));
}

TEST(SettingsPreset, QualityAndFast) {
  Settings s;
  EXPECT_EQ(ApplyPreset(Preset::Quality, Catalogue(), "openrouter", s), "");
  ASSERT_EQ(s.panel.size(), 3u);
  EXPECT_EQ(s.panel[0].model, "anthropic/claude-opus-4.6");
  EXPECT_EQ(s.panel[1].model, "openai/gpt-5");
  EXPECT_EQ(s.panel[2].model, "google/gemini-3-pro");
  EXPECT_EQ(s.preset, "quality");

  Settings f;
  EXPECT_EQ(ApplyPreset(Preset::Fast, Catalogue(), "or2", f), "");
  ASSERT_EQ(f.panel.size(), 3u);
  EXPECT_EQ(f.panel[1].model, "x-ai/grok-4-fast");
  EXPECT_EQ(f.panel[2].model, "openai/gpt-5-mini");
  EXPECT_EQ(f.panel[0].endpoint, "or2");
  ASSERT_EQ(f.judges.size(), 1u);
  EXPECT_EQ(f.judges[0].model, "google/gemini-3-flash");
}

TEST(SettingsPreset, AlternativeUsedWhenFirstChoiceMissing) {
  std::vector<ModelInfo> cat = {Info("google/gemini-3-flash"), Info("moonshotai/kimi-k2"), Info("deepseek/deepseek-v4"),
                                Info("openai/gpt-5")};
  Settings s;
  EXPECT_EQ(ApplyPreset(Preset::Budget, cat, "openrouter", s), "");
  ASSERT_EQ(s.panel.size(), 3u);
  EXPECT_EQ(s.panel[1].model, "moonshotai/kimi-k2");
  EXPECT_EQ(s.panel[2].model, "deepseek/deepseek-v4");
  ASSERT_EQ(s.judges.size(), 1u);
  EXPECT_EQ(s.judges[0].model, "openai/gpt-5") << "second judge choice";
}

TEST(SettingsPreset, MissingModelsAreReportedAndLeftOut) {
  std::vector<ModelInfo> cat = {Info("google/gemini-3-flash"), Info("moonshotai/kimi-k2.6"), Info("anthropic/claude-sonnet-4.6")};
  Settings s;
  std::string msg = ApplyPreset(Preset::Budget, cat, "openrouter", s);
  EXPECT_NE(msg.find("left out"), std::string::npos) << msg;
  EXPECT_NE(msg.find("deepseek-v4-pro"), std::string::npos) << msg;
  EXPECT_EQ(s.panel.size(), 2u);
  EXPECT_EQ(s.preset, "budget");
}

TEST(SettingsPreset, ExpiredModelsAreSkipped) {
  std::vector<ModelInfo> cat = {Info("google/gemini-3-flash", "2025-01-01"), Info("google/gemini-3-flash-preview"),
                                Info("moonshotai/kimi-k2.6"), Info("deepseek/deepseek-v4-pro"),
                                Info("anthropic/claude-sonnet-4.6", "2025-06-01")};
  Settings s;
  ApplyPreset(Preset::Budget, cat, "openrouter", s);
  ASSERT_FALSE(s.panel.empty());
  EXPECT_EQ(s.panel[0].model, "google/gemini-3-flash-preview");
  // The only judge candidate is expired: no judge is invented, the old one is kept.
  EXPECT_TRUE(s.judges.empty());
}

TEST(SettingsPreset, NothingResolvesLeavesSettingsUnchanged) {
  Settings s = Valid();
  std::string msg = ApplyPreset(Preset::Quality, {Info("meta/llama-4")}, "openrouter", s);
  EXPECT_NE(msg.find("No model of the quality preset"), std::string::npos) << msg;
  EXPECT_TRUE(SameRefs(s.panel, Valid().panel));
  EXPECT_TRUE(SameRefs(s.judges, Valid().judges));
  EXPECT_TRUE(s.preset.empty());
}

TEST(SettingsPreset, EmptyCatalogueSaysLoadItFirst) {
  Settings s = Valid();
  std::string msg = ApplyPreset(Preset::Budget, {}, "openrouter", s);
  EXPECT_NE(msg.find("catalogue is not loaded"), std::string::npos) << msg;
  EXPECT_TRUE(SameRefs(s.panel, Valid().panel));
}

TEST(SettingsPreset, DemoPreset) {
  std::vector<ModelInfo> cat = {Info("demo/atlas"), Info("demo/borealis"), Info("demo/cirrus"), Info("demo/judge")};
  Settings s;
  EXPECT_EQ(ApplyPreset(Preset::Demo, cat, "demo", s), "");
  ASSERT_EQ(s.panel.size(), 3u);
  EXPECT_EQ(s.panel[2].model, "demo/cirrus");
  EXPECT_EQ(s.panel[2].endpoint, "demo");
  ASSERT_EQ(s.judges.size(), 1u);
  EXPECT_EQ(s.judges[0].model, "demo/judge");
}

TEST(SettingsPreset, SelfFusion) {
  Settings s;
  std::string msg = ApplyPreset(Preset::SelfFusion, Catalogue(), "openrouter", s);
  EXPECT_NE(msg.find("needs one model in the panel"), std::string::npos) << msg;
  EXPECT_TRUE(s.panel.empty());

  s.panel = {{"groq", "llama-4", -1}, {"openrouter", "other/model", -1}};
  EXPECT_EQ(ApplyPreset(Preset::SelfFusion, {}, "openrouter", s), "") << "needs no catalogue";
  ASSERT_EQ(s.panel.size(), 3u);
  const double temps[] = {0.2, 0.7, 1.1};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(s.panel[i].model, "llama-4");
    EXPECT_EQ(s.panel[i].endpoint, "groq");
    EXPECT_DOUBLE_EQ(s.panel[i].temperature, temps[i]);
  }
  EXPECT_EQ(s.preset, "self-fusion");
  s.judges = {{"openrouter", "j/judge", -1}};
  EXPECT_TRUE(ValidateSettings(s, "q").empty()) << "self-fusion is not a duplicate";
}

}  // namespace
}  // namespace concord

namespace concord {
TEST(SettingsWriters, AWriterApartFromTheJudgeIsSavedAndReachesTheRun) {
  Settings s;
  s.panel = {{"openrouter", "a/one", -1}};
  s.judges = {{"openrouter", "j/analyst", -1}};
  s.writers = {{"openrouter", "w/writer", -1}, {"openrouter", "w/backup", -1}};
  Settings back;
  SettingsFromJson(SettingsToJson(s), back);
  ASSERT_EQ(back.writers.size(), 2u);
  EXPECT_EQ(back.writers[1].model, "w/backup");
  RunConfig c = BuildRunConfig(back, "q");
  ASSERT_EQ(c.writers.size(), 2u);
  EXPECT_EQ(c.writers[0].model, "w/writer");
  UseDemoPanel(back, false);
  EXPECT_TRUE(back.writers.empty()) << "the demo panel's judge writes";
  EXPECT_TRUE(IsDemoPanel(back));
}
}  // namespace concord
