// The model catalogue: GET /models lists (OpenRouter, OpenAI-compatible servers, Anthropic, Ollama)
// read into ModelInfo, OpenRouter's key check, and the cost of a call from catalogue prices.
#include "provider_internal.h"

#include <cstdio>

namespace concord {

using namespace provider_detail;

// ---- [SECTION] Catalogue -------------------------------------------------------------------

bool ParseCatalogue(const std::string& body, std::vector<ModelInfo>& out, std::string& error) {
  out.clear();
  error.clear();
  const json j = ParseJson(body);
  if (j.is_discarded()) {
    const std::string b = Trim(body);
    error = b.empty() ? "the model list is empty" : "the model list is not JSON: " + Utf8Prefix(CollapseWs(b), 120);
    return false;
  }
  const json* list = nullptr;
  if (j.is_array()) {
    list = &j;
  } else if (j.is_object()) {
    const json* d = Get(j, "data");
    if (d && d->is_array()) list = d;
    const json* m = Get(j, "models");  // Ollama's /api/tags
    if (!list && m && m->is_array()) list = m;
  }
  if (!list) {
    error = "the model list has no \"data\" array";
    const std::string msg = GetStr(GetObj(j, "error"), "message");
    if (!msg.empty()) error += ": " + msg;
    return false;
  }
  for (const auto& m : *list) {
    if (!m.is_object()) continue;
    ModelInfo x;
    x.id = GetStr(m, "id");
    if (x.id.empty()) x.id = GetStr(m, "model");
    if (x.id.empty()) x.id = GetStr(m, "name");
    if (x.id.empty()) continue;
    x.name = GetStr(m, "name");
    if (x.name.empty()) x.name = GetStr(m, "display_name");  // Anthropic
    if (x.name.empty()) x.name = x.id;
    const json& top = GetObj(m, "top_provider");
    x.context_length = Count(m, "context_length");
    if (!x.context_length) x.context_length = Count(top, "context_length");
    if (!x.context_length) x.context_length = Count(m, "context_window");       // Groq and others
    if (!x.context_length) x.context_length = Count(m, "max_context_length");   // Mistral
    if (!x.context_length) x.context_length = Count(m, "max_model_len");        // vLLM
    const json& pr = GetObj(m, "pricing");
    x.price_prompt = NonNegative(pr, "prompt");
    x.price_completion = NonNegative(pr, "completion");
    x.price_request = NonNegative(pr, "request");
    x.price_web_search = NonNegative(pr, "web_search");
    for (const auto& sp : GetArr(m, "supported_parameters")) {
      if (!sp.is_string()) continue;
      const std::string& s = sp.get_ref<const std::string&>();
      if (s == "structured_outputs" || s == "response_format") x.structured_outputs = true;
      if (s == "tools") x.tools = true;
    }
    x.max_completion_tokens = Count(top, "max_completion_tokens");
    x.expiration_date = GetStr(m, "expiration_date");
    out.push_back(std::move(x));
  }
  return true;
}

KeyCheckResult ParseKeyCheck(int status, const std::string& body) {
  KeyCheckResult r;
  if (status < 200 || status >= 300) {
    r.message = ParseHttpError(status, {}, body).message;
    return r;
  }
  const json j = ParseJson(body);
  if (!j.is_object()) {
    r.message = "The key check answered " + std::to_string(status) + " but not with JSON: the key could not be confirmed.";
    return r;
  }
  r.ok = true;
  const json& d = GetObj(j, "data");
  r.usage = NonNegative(d, "usage");
  char buf[160];
  if (HasNumber(d, "limit_remaining")) {
    r.limit_remaining = GetNum(d, "limit_remaining");
    std::snprintf(buf, sizeof buf, "Key OK. Credits left: $%.2f (used $%.2f).", r.limit_remaining, r.usage);
  } else {
    std::snprintf(buf, sizeof buf, "Key OK (no credit limit reported; used $%.2f).", r.usage);
  }
  r.message = buf;
  return r;
}

double CallCost(const Usage& u, const ModelInfo* info) {
  if (u.has_cost) return u.cost;
  if (!info) return 0;
  return static_cast<double>(u.prompt_tokens) * info->price_prompt +
         static_cast<double>(u.completion_tokens) * info->price_completion + info->price_request +
         static_cast<double>(u.web_search_requests) * info->price_web_search;
}

}  // namespace concord
