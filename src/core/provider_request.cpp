// Chat requests per provider kind: the URL, auth headers and JSON body for OpenRouter,
// OpenAI-compatible servers and Anthropic, and the model-list and key-check GETs.
#include "provider.h"

#include "jsonutil.h"

namespace concord {
namespace {

std::string StripSlash(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

void AddAuth(const Endpoint& ep, HttpRequest& r) {
  if (ep.kind == ProviderKind::Anthropic) {
    if (!ep.api_key.empty()) r.headers.emplace_back("x-api-key", ep.api_key);
    r.headers.emplace_back("anthropic-version", "2023-06-01");
    r.headers.emplace_back("anthropic-dangerous-direct-browser-access", "true");
  } else if (!ep.api_key.empty()) {
    r.headers.emplace_back("Authorization", "Bearer " + ep.api_key);
  }
}

}  // namespace

// ---- [SECTION] Requests --------------------------------------------------------------------

int ThinkingBudget(const std::string& effort) {
  if (effort == "minimal") return 1024;  // Anthropic's smallest budget
  if (effort == "low") return 2048;
  if (effort == "medium") return 8192;
  if (effort == "high") return 16384;
  return 0;
}

HttpRequest BuildChatRequest(const Endpoint& ep, const ChatParams& p) {
  HttpRequest r;
  r.method = "POST";
  r.stream = p.stream;
  const std::string base = StripSlash(ep.base_url);
  json body = json::object();
  body["model"] = p.model;

  if (ep.kind == ProviderKind::Anthropic) {
    r.url = base + "/messages";
    AddAuth(ep, r);
    r.headers.emplace_back("content-type", "application/json");
    // Anthropic takes system text as a top-level field, not as a message.
    std::string system;
    json msgs = json::array();
    for (const auto& m : p.messages) {
      if (m.role == "system") {
        if (!system.empty()) system += "\n\n";
        system += m.content;
      } else {
        msgs.push_back({{"role", m.role == "assistant" ? "assistant" : "user"}, {"content", m.content}});
      }
    }
    const int answer_tokens = p.max_tokens > 0 ? p.max_tokens : 4096;  // max_tokens is required by Anthropic
    const int budget = ThinkingBudget(p.reasoning_effort);
    body["max_tokens"] = answer_tokens + budget;  // the thinking budget counts inside max_tokens
    body["messages"] = std::move(msgs);
    if (!system.empty()) body["system"] = system;
    body["stream"] = p.stream;
    if (budget > 0) {
      body["thinking"] = {{"type", "enabled"}, {"budget_tokens", budget}};  // no temperature with thinking
    } else if (p.temperature >= 0) {
      // Anthropic accepts 0..1 only; the panel may use OpenAI-style values up to 2.
      body["temperature"] = p.temperature > 1 ? 1.0 : p.temperature;
    }
    // json_schema is not sent: the Messages API has no response_format; the prompt carries the schema.
    r.body = Dump(body);
    return r;
  }

  const bool openrouter = ep.kind == ProviderKind::OpenRouter;
  r.url = base + "/chat/completions";
  AddAuth(ep, r);
  r.headers.emplace_back("Content-Type", "application/json");
  if (openrouter && ep.send_attribution) {
    if (!ep.referer.empty()) r.headers.emplace_back("HTTP-Referer", ep.referer);
    r.headers.emplace_back("X-OpenRouter-Title", "Concord");
  }
  json msgs = json::array();
  for (const auto& m : p.messages) msgs.push_back({{"role", m.role}, {"content", m.content}});
  body["messages"] = std::move(msgs);
  body["stream"] = p.stream;
  if (p.temperature >= 0) body["temperature"] = p.temperature;
  if (p.max_tokens > 0) {
    // api.openai.com rejects max_tokens for its reasoning models; other servers may not know
    // the newer name, so only OpenAI itself gets max_completion_tokens.
    const bool openai = !openrouter && base.find("api.openai.com") != std::string::npos;
    body[openai ? "max_completion_tokens" : "max_tokens"] = p.max_tokens;
  }
  if (openrouter && p.web_plugin)
    body["plugins"] = json::array({{{"id", "web"}, {"max_results", p.web_max_results > 0 ? p.web_max_results : 5}}});
  if (openrouter && p.web_tool) {
    json params = {{"max_results", p.web_max_results > 0 ? p.web_max_results : 5}};
    if (!p.web_excluded_domains.empty()) params["excluded_domains"] = p.web_excluded_domains;
    body["tools"] = json::array({{{"type", "openrouter:web_search"}, {"parameters", std::move(params)}}});
  }
  if (!p.reasoning_effort.empty()) {
    if (openrouter) body["reasoning"] = {{"effort", p.reasoning_effort}};
    else body["reasoning_effort"] = p.reasoning_effort;  // OpenAI's name, also read by Groq and others
  }
  if (!p.json_schema.empty()) {
    json schema = ParseJson(p.json_schema);
    // An unparsable schema is left out rather than sent as a string the provider would reject;
    // the engine's judge parser copes with free-form JSON anyway.
    if (!schema.is_discarded() && schema.is_object()) {
      body["response_format"] = {
          {"type", "json_schema"},
          {"json_schema",
           {{"name", p.json_schema_name.empty() ? std::string("analysis") : p.json_schema_name},
            {"strict", true},
            {"schema", std::move(schema)}}}};
    }
  }
  if (openrouter && p.require_parameters) body["provider"] = {{"require_parameters", true}};
  // The scripted demo is told what it scripts (e.g. an eval item's answer key); no real
  // provider ever sees this field.
  if (ep.is_demo && !p.demo_hint.empty()) {
    json hint = ParseJson(p.demo_hint);
    if (!hint.is_discarded()) body["concord_demo"] = std::move(hint);
  }
  if (!openrouter && p.stream) body["stream_options"] = {{"include_usage", true}};  // else OpenAI sends no usage
  r.body = Dump(body);
  return r;
}

HttpRequest BuildModelsRequest(const Endpoint& ep) {
  HttpRequest r;
  r.method = "GET";
  r.url = StripSlash(ep.base_url) + "/models";
  AddAuth(ep, r);  // no Content-Type on a GET: one header fewer in the CORS preflight
  return r;
}

HttpRequest BuildKeyCheckRequest(const Endpoint& ep) {
  if (ep.kind != ProviderKind::OpenRouter) return BuildModelsRequest(ep);
  HttpRequest r;
  r.method = "GET";
  r.url = StripSlash(ep.base_url) + "/key";
  AddAuth(ep, r);
  return r;
}

}  // namespace concord
