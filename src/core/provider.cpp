// Provider requests and responses: OpenRouter, OpenAI-compatible servers and Anthropic.
// Everything here reads hostile input (network bodies), so JSON is parsed without throwing
// and every field is read through the type-checking helpers of jsonutil.h.
//
// Index of this file:
// [SECTION] small text helpers
// [SECTION] safe numeric reads
// [SECTION] status meanings
// [SECTION] HTML error pages
// [SECTION] shared JSON readers
// [SECTION] Requests
// [SECTION] Errors
// [SECTION] Stream decoding
// [SECTION] Whole bodies
// [SECTION] Catalogue
#include "provider.h"

#include <cctype>
#include <climits>
#include <cstdio>
#include <cstdlib>

#include "jsonutil.h"

namespace concord {
namespace {

// ---- [SECTION] small text helpers ----------------------------------------------------------

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

// Collapses runs of whitespace into one space and trims.
std::string CollapseWs(const std::string& s) {
  std::string o;
  bool sp = false;
  for (char c : s) {
    if (IsSpace(c)) { sp = true; continue; }
    if (sp && !o.empty()) o += ' ';
    sp = false;
    o += c;
  }
  return o;
}

// Cuts to at most `max` bytes without splitting a UTF-8 sequence; marks the cut with "...".
std::string Utf8Prefix(const std::string& s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // back to a lead byte
  return s.substr(0, n) + "...";
}

const json& EmptyObject() {
  static const json e = json::object();
  return e;
}

bool StartsWith(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }

// Header lookup. Transport lower-cases names, but a case-insensitive match costs nothing.
std::string Header(const std::map<std::string, std::string>& h, const char* name) {
  auto it = h.find(name);
  if (it != h.end()) return it->second;
  const std::string want = Lower(name);
  for (const auto& kv : h)
    if (Lower(kv.first) == want) return kv.second;
  return "";
}

std::string StripSlash(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

// ---- [SECTION] safe numeric reads ----------------------------------------------------------
// jsonutil's GetInt casts a double to int64 directly, which is undefined for NaN or huge
// values; token counts come from the network, so clamp first.

int64_t Count(const json& j, const char* key) {
  const double d = GetNum(j, key, 0);
  if (!(d > 0)) return 0;  // also rejects NaN
  if (d > 1e15) return static_cast<int64_t>(1e15);
  return static_cast<int64_t>(d);
}

int Index(const json& j, const char* key) {
  const double d = GetNum(j, key, -1);
  if (!(d >= 0)) return -1;
  if (d > static_cast<double>(INT_MAX)) return INT_MAX;
  return static_cast<int>(d);
}

double NonNegative(const json& j, const char* key) {
  const double d = GetNum(j, key, 0);
  return d > 0 && d < 1e300 ? d : 0;  // OpenRouter uses "-1" for "variable" router prices
}

bool HasNumber(const json& j, const char* key) {
  const json* v = Get(j, key);
  if (!v) return false;
  if (v->is_number()) return true;
  if (!v->is_string()) return false;
  const std::string& s = v->get_ref<const std::string&>();
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end && end != s.c_str();
}

// ---- [SECTION] status meanings -------------------------------------------------------------

const char* StatusMeaning(int status) {
  switch (status) {
    case 400: return "bad request";
    case 401: return "invalid API key";
    case 402: return "out of credits";
    case 403: return "blocked by moderation";
    case 404: return "not found";
    case 408: return "timed out at the provider";
    case 429: return "rate limited";
    case 502: return "model down or bad reply";
    case 503: return "no provider available";
    case 529: return "overloaded";
    default: return "";
  }
}

bool StatusRetryable(int status) { return status == 408 || status == 429 || (status >= 500 && status <= 599); }

// Transient error kinds reported inside a body (OpenRouter metadata.error_type, Anthropic error.type).
bool TypeRetryable(const std::string& t) {
  return t == "rate_limit_exceeded" || t == "provider_overloaded" || t == "overloaded_error" ||
         t == "rate_limit_error" || t == "api_error" || t == "timeout";
}

double ParseRetryAfter(const std::string& raw) {
  const std::string v = Trim(raw);
  if (v.empty()) return -1;
  bool numeric = true;
  for (char c : v)
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') numeric = false;
  if (numeric) {
    const double d = std::strtod(v.c_str(), nullptr);
    if (d >= 0 && d < 1e9) return d;
  }
  return 5;  // an HTTP-date (or junk): a short fixed wait is good enough for the engine
}

// ---- [SECTION] HTML error pages ------------------------------------------------------------

std::string HtmlText(const std::string& html) {
  const std::string low = Lower(html);
  // Prefer the <title>: gateways put "502 Bad Gateway" there.
  size_t t = low.find("<title");
  if (t != std::string::npos) {
    size_t gt = low.find('>', t);
    size_t end = gt == std::string::npos ? gt : low.find("</title", gt);
    if (end != std::string::npos) {
      std::string title = CollapseWs(html.substr(gt + 1, end - gt - 1));
      if (!title.empty()) return Utf8Prefix(title, 120);
    }
  }
  // Else the text with tags (and script/style bodies) removed.
  std::string text;
  size_t i = 0;
  while (i < html.size()) {
    if (html[i] != '<') { text += html[i++]; continue; }
    const char* closer = nullptr;
    if (low.compare(i, 7, "<script") == 0) closer = "</script";
    else if (low.compare(i, 6, "<style") == 0) closer = "</style";
    if (closer) {
      size_t c = low.find(closer, i);
      i = c == std::string::npos ? html.size() : c;
    }
    size_t gt = html.find('>', i);
    i = gt == std::string::npos ? html.size() : gt + 1;
    text += ' ';
  }
  return Utf8Prefix(CollapseWs(text), 120);
}

// ---- [SECTION] shared JSON readers ---------------------------------------------------------

// OpenAI / OpenRouter usage object.
Usage ReadUsage(const json& u) {
  Usage x;
  x.prompt_tokens = Count(u, "prompt_tokens");
  x.completion_tokens = Count(u, "completion_tokens");
  x.reasoning_tokens = Count(GetObj(u, "completion_tokens_details"), "reasoning_tokens");
  x.cached_tokens = Count(GetObj(u, "prompt_tokens_details"), "cached_tokens");
  x.web_search_requests = Count(GetObj(u, "server_tool_use"), "web_search_requests");
  if (HasNumber(u, "cost")) {
    x.cost = NonNegative(u, "cost");
    x.has_cost = true;
  }
  return x;
}

// Anthropic usage: input_tokens excludes cache reads/writes, so add them to match the
// OpenAI meaning of prompt_tokens (all input), and report cache reads as cached_tokens.
void ReadAnthropicUsage(const json& u, Usage& x) {
  if (Get(u, "input_tokens") || Get(u, "cache_read_input_tokens")) {
    const int64_t cached = Count(u, "cache_read_input_tokens");
    x.prompt_tokens = Count(u, "input_tokens") + cached + Count(u, "cache_creation_input_tokens");
    x.cached_tokens = cached;
  }
  if (Get(u, "output_tokens")) x.completion_tokens = Count(u, "output_tokens");
  const json& stu = GetObj(u, "server_tool_use");
  if (Get(stu, "web_search_requests")) x.web_search_requests = Count(stu, "web_search_requests");
}

void AddCitation(std::vector<Citation>& v, Citation c) {
  if (c.url.empty()) return;
  for (const auto& o : v)  // the same annotation may come in a delta and again in a message
    if (o.url == c.url && o.start_index == c.start_index && o.end_index == c.end_index) return;
  v.push_back(std::move(c));
}

// annotations: [{type:"url_citation", url_citation:{url,title,content,start_index,end_index}}]
// (the flat form with the fields on the annotation itself is accepted too).
void ReadAnnotations(const json& arr, std::vector<Citation>& out) {
  if (!arr.is_array()) return;
  for (const auto& a : arr) {
    if (GetStr(a, "type") != "url_citation") continue;
    const json* inner = Get(a, "url_citation");
    const json& src = inner && inner->is_object() ? *inner : a;
    Citation c;
    c.url = GetStr(src, "url");
    c.title = GetStr(src, "title");
    c.content = GetStr(src, "content");
    c.start_index = Index(src, "start_index");
    c.end_index = Index(src, "end_index");
    AddCitation(out, std::move(c));
  }
}

// Anthropic citation (web_search_result_location and friends).
void ReadAnthropicCitation(const json& c, std::vector<Citation>& out) {
  Citation x;
  x.url = GetStr(c, "url");
  x.title = GetStr(c, "title");
  x.content = GetStr(c, "cited_text");
  AddCitation(out, std::move(x));
}

// Message content: a string, or (some servers) an array of {type:"text", text} parts.
std::string ContentText(const json& msg) {
  const json* c = Get(msg, "content");
  if (!c) return "";
  if (c->is_string()) return c->get_ref<const std::string&>();
  std::string s;
  if (c->is_array())
    for (const auto& part : *c) s += GetStr(part, "text");
  return s;
}

std::string ReasoningText(const json& obj) {
  std::string s = GetStr(obj, "reasoning");
  if (s.empty()) s = GetStr(obj, "reasoning_content");  // DeepSeek, vLLM, some OpenAI-compatible servers
  return s;
}

std::string MapAnthropicStop(const std::string& s) {
  if (s == "end_turn" || s == "stop_sequence") return "stop";
  if (s == "max_tokens") return "length";
  if (s == "tool_use") return "tool_calls";
  if (s == "refusal") return "content_filter";
  return s;
}

// A top-level {"error":{code,message,metadata}} (OpenRouter) or {"type":"error","error":{type,message}}
// (Anthropic) met inside a stream.
CallError MidstreamError(const json& j, int status) {
  CallError e;
  e.id = "sse.midstream";
  e.http_status = status;
  const json* ev = Get(j, "error");
  std::string msg;
  if (ev && ev->is_string()) {
    msg = ev->get_ref<const std::string&>();
  } else {
    const json& err = GetObj(j, "error");
    msg = GetStr(err, "message");
    // OpenRouter sends the code as a number (502); some providers as a string.
    const json* c = Get(err, "code");
    if (c && c->is_number_integer()) e.code = std::to_string(c->get<long long>());
    else e.code = GetStr(err, "code");
    e.error_type = GetStr(GetObj(err, "metadata"), "error_type");
    if (e.error_type.empty()) e.error_type = GetStr(err, "type");
    const std::string provider = GetStr(GetObj(err, "metadata"), "provider_name");
    if (!provider.empty() && msg.find(provider) == std::string::npos) msg += " [provider: " + provider + "]";
  }
  const double code = std::strtod(e.code.c_str(), nullptr);
  e.retryable = StatusRetryable(static_cast<int>(code > 0 && code < 1000 ? code : 0)) || TypeRetryable(e.error_type);
  e.message = "mid-stream error" + (e.code.empty() ? std::string() : " " + e.code) + ": " +
              (msg.empty() ? std::string("the provider reported an error") : msg);
  return e;
}

bool HasErrorField(const json& j) {
  const json* e = Get(j, "error");
  return e && (e->is_object() || (e->is_string() && !e->get_ref<const std::string&>().empty()));
}

bool LooksLikeSse(const std::string& trimmed) {
  return StartsWith(trimmed, "data:") || StartsWith(trimmed, "event:") || StartsWith(trimmed, ":") ||
         StartsWith(trimmed, "id:");
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

// ---- [SECTION] Errors ----------------------------------------------------------------------

CallError ParseHttpError(int status, const std::map<std::string, std::string>& headers, const std::string& body) {
  CallError e;
  e.http_status = status;
  e.id = "http." + std::to_string(status);
  e.retryable = StatusRetryable(status);
  e.retry_after_s = ParseRetryAfter(Header(headers, "retry-after"));
  const std::string head = "HTTP " + std::to_string(status);
  const std::string b = Trim(body);

  if (b.empty()) {
    e.message = head + ": empty response";
    return e;
  }
  if (b[0] == '<' || Lower(Header(headers, "content-type")).find("text/html") != std::string::npos) {
    e.id = "http.html_body";
    e.message = head + ": the server answered with an HTML page instead of JSON: " + HtmlText(b);
    return e;
  }

  std::string meaning = StatusMeaning(status);
  std::string msg;
  const json j = ParseJson(b);
  if (j.is_discarded() || !j.is_object()) {
    msg = Utf8Prefix(CollapseWs(b), 200);  // plain-text error body
  } else {
    const json* ev = Get(j, "error");
    if (ev && ev->is_string()) {
      msg = ev->get_ref<const std::string&>();  // Ollama: {"error":"model not found"}
    } else {
      const json& err = GetObj(j, "error");
      const json& meta = GetObj(err, "metadata");
      msg = GetStr(err, "message");
      e.code = GetStr(err, "code");
      e.error_type = GetStr(meta, "error_type");
      if (e.error_type.empty()) e.error_type = GetStr(err, "type");  // OpenAI / Anthropic
      if (status == 403) {
        std::string reasons;
        for (const auto& x : GetArr(meta, "reasons"))
          if (x.is_string()) reasons += (reasons.empty() ? "" : ", ") + x.get_ref<const std::string&>();
        if (!reasons.empty()) meaning += ": " + reasons;
      }
      const std::string prov = GetStr(meta, "provider_name");
      if (!prov.empty() && !msg.empty()) msg += " [provider: " + prov + "]";
      const json& av = GetObj(err, "availability");
      if (!av.empty()) {
        if (GetBool(av, "retryable")) e.retryable = true;
        if (e.retry_after_s < 0 && HasNumber(av, "retry_after")) {
          const double ra = GetNum(av, "retry_after");
          if (ra >= 0 && ra < 1e9) e.retry_after_s = ra;
        }
        if (e.error_type.empty()) e.error_type = GetStr(av, "code");
      }
    }
    if (msg.empty()) msg = GetStr(j, "message");
    if (msg.empty()) msg = GetStr(j, "detail");  // FastAPI-style servers
  }
  e.message = head + (meaning.empty() ? "" : " (" + meaning + ")") + (msg.empty() ? "" : ": " + msg);
  return e;
}

CallError NetError(NetFailure f, const std::string& url, const std::string& detail) {
  CallError e;
  e.retryable = false;  // timeouts and unreachable hosts: the engine decides whether to retry
  switch (f) {
    case NetFailure::Unreachable:
      e.id = "net.unreachable";
      e.message = "blocked by CORS or unreachable: " + url + " (the browser does not say which; check the console)";
      break;
    case NetFailure::Timeout:
      e.id = "net.timeout";
      e.message = "timed out after the total time limit";
      break;
    case NetFailure::IdleTimeout:
      e.id = "net.idle_timeout";
      e.message = "no data for too long (idle timeout)";
      break;
    case NetFailure::Aborted:
      e.id = "net.aborted";
      e.message = "cancelled";
      break;
    case NetFailure::None:
    default:
      e.id = "net.error";
      e.message = "network error";
      break;
  }
  if (!detail.empty()) e.message += " - " + detail;
  return e;
}

// ---- [SECTION] Stream decoding -------------------------------------------------------------

void StreamDecoder::on_headers(int status, const std::map<std::string, std::string>& headers, ChatResult& r) {
  status_ = status;
  headers_ = headers;
  const std::string gid = Header(headers, "x-generation-id");
  if (!gid.empty()) r.generation_id = gid;
  const std::string ct = Lower(Header(headers, "content-type"));
  sniff_ = false;
  if (status >= 400) {
    is_sse_ = false;
  } else if (ct.find("event-stream") != std::string::npos) {
    is_sse_ = true;
  } else if (ct.find("json") != std::string::npos || ct.find("html") != std::string::npos) {
    is_sse_ = false;  // a whole body: a non-streamed completion or an error page
  } else {
    // No or vague content-type (text/plain, octet-stream): the first byte tells.
    is_sse_ = false;
    sniff_ = true;
  }
}

bool StreamDecoder::on_data(const std::string& bytes, ChatResult& r) {
  if (sniff_) {
    raw_ += bytes;
    size_t i = 0;
    while (i < raw_.size() && IsSpace(raw_[i])) ++i;
    if (i == raw_.size()) return false;  // only whitespace so far: keep waiting
    sniff_ = false;
    const char c = raw_[i];
    if (c == '{' || c == '[' || c == '<') return false;  // stays raw, parsed in on_end
    is_sse_ = true;
    std::string pending;
    pending.swap(raw_);
    return on_data(pending, r);
  }
  if (!is_sse_) {
    raw_ += bytes;
    return false;
  }
  const size_t c0 = r.content.size(), r0 = r.reasoning.size(), n0 = r.citations.size();
  const bool e0 = r.error.empty();
  evs_.clear();
  sse_.feed(bytes, evs_);
  for (const auto& e : evs_) event(e, r);
  evs_.clear();
  return r.content.size() != c0 || r.reasoning.size() != r0 || r.citations.size() != n0 || r.error.empty() != e0;
}

void StreamDecoder::on_end(ChatResult& r) {
  if (sniff_ || !is_sse_) {
    sniff_ = false;
    if (status_ >= 400) {
      r.error = ParseHttpError(status_, headers_, raw_);
      return;
    }
    const std::string gid = r.generation_id;
    r = ParseChatResponse(kind_, status_, headers_, raw_);
    if (!gid.empty()) r.generation_id = gid;
    return;
  }
  evs_.clear();
  sse_.finish(evs_);
  for (const auto& e : evs_) event(e, r);
  evs_.clear();
  if (!r.error.empty()) return;

  const bool text = !r.content.empty() || !r.reasoning.empty();
  const bool usable = text || !r.finish_reason.empty() || r.has_usage || !r.citations.empty();
  if (!usable && bad_json_ > 0) {
    r.done = false;
    r.error.id = "sse.bad_json";
    r.error.http_status = status_;
    r.error.message = "the stream carried " + std::to_string(bad_json_) + " event(s) that were not valid JSON and nothing usable";
    return;
  }
  if (r.done) return;
  // The stream closed without [DONE] / message_stop. With a finish_reason the answer is
  // complete (only the terminator was lost). With text but no finish_reason we keep what
  // arrived and mark it done with finish_reason "": the engine sees an answer that may be
  // cut short rather than losing it. With nothing at all it is an error.
  if (usable) {
    r.done = true;
    return;
  }
  r.error.id = "sse.truncated";
  r.error.http_status = status_;
  r.error.retryable = true;
  r.error.message = "the stream ended before any answer arrived";
}

void StreamDecoder::event(const SseEvent& e, ChatResult& r) {
  if (!r.error.empty()) return;  // after an error the call is over; later events are noise
  if (kind_ == ProviderKind::Anthropic) event_anthropic(e, r);
  else event_openai(e, r);
}

void StreamDecoder::event_openai(const SseEvent& e, ChatResult& r) {
  const std::string data = Trim(e.data);
  if (data == "[DONE]") {
    r.done = true;
    return;
  }
  if (r.done || data.empty()) return;
  const json j = ParseJson(data);
  if (j.is_discarded() || !j.is_object()) {
    ++bad_json_;
    return;
  }
  if (r.generation_id.empty()) r.generation_id = GetStr(j, "id");
  const std::string model = GetStr(j, "model");
  if (!model.empty()) r.model = model;

  const json& choices = GetArr(j, "choices");
  const json& c0 = choices.empty() ? EmptyObject() : choices[0];
  const json* delta = Get(c0, "delta");
  const json& msg = GetObj(c0, "message");
  if (delta && delta->is_object()) {
    r.content += ContentText(*delta);
    r.reasoning += ReasoningText(*delta);
    ReadAnnotations(GetArr(*delta, "annotations"), r.citations);
  } else {
    // Some servers send whole-message chunks instead of deltas.
    r.content += ContentText(msg);
    r.reasoning += ReasoningText(msg);
  }
  ReadAnnotations(GetArr(msg, "annotations"), r.citations);
  const std::string fr = GetStr(c0, "finish_reason");
  if (!fr.empty()) r.finish_reason = fr;

  const json* u = Get(j, "usage");
  if (u && u->is_object()) {
    r.usage = ReadUsage(*u);
    r.has_usage = true;
  }
  if (HasErrorField(j)) {
    r.error = MidstreamError(j, status_);
  } else if (fr == "error") {
    r.error.id = "sse.midstream";
    r.error.http_status = status_;
    r.error.message = "mid-stream error: the provider stopped with finish_reason \"error\"";
  }
}

void StreamDecoder::event_anthropic(const SseEvent& e, ChatResult& r) {
  const std::string data = Trim(e.data);
  if (r.done || data.empty()) return;
  const json j = ParseJson(data);
  if (j.is_discarded() || !j.is_object()) {
    ++bad_json_;
    return;
  }
  std::string type = GetStr(j, "type");
  if (type.empty()) type = e.event;

  if (type == "message_start") {
    const json& m = GetObj(j, "message");
    if (r.generation_id.empty()) r.generation_id = GetStr(m, "id");
    const std::string model = GetStr(m, "model");
    if (!model.empty()) r.model = model;
    ReadAnthropicUsage(GetObj(m, "usage"), r.usage);
    r.has_usage = true;
  } else if (type == "content_block_start") {
    const json& b = GetObj(j, "content_block");
    const std::string bt = GetStr(b, "type");
    if (bt == "text") r.content += GetStr(b, "text");
    else if (bt == "thinking") r.reasoning += GetStr(b, "thinking");
  } else if (type == "content_block_delta") {
    const json& d = GetObj(j, "delta");
    const std::string dt = GetStr(d, "type");
    if (dt == "text_delta") r.content += GetStr(d, "text");
    else if (dt == "thinking_delta") r.reasoning += GetStr(d, "thinking");
    else if (dt == "citations_delta") ReadAnthropicCitation(GetObj(d, "citation"), r.citations);
    // signature_delta, input_json_delta: nothing to show
  } else if (type == "message_delta") {
    const std::string sr = GetStr(GetObj(j, "delta"), "stop_reason");
    if (!sr.empty()) r.finish_reason = MapAnthropicStop(sr);
    const json* u = Get(j, "usage");
    if (u && u->is_object()) {
      ReadAnthropicUsage(*u, r.usage);
      r.has_usage = true;
    }
  } else if (type == "message_stop") {
    r.done = true;
  } else if (type == "error" || HasErrorField(j)) {
    r.error = MidstreamError(j, status_);
  }
  // ping, content_block_stop and unknown future events are ignored.
}

// ---- [SECTION] Whole bodies ----------------------------------------------------------------

ChatResult ParseChatResponse(ProviderKind kind, int status, const std::map<std::string, std::string>& headers,
                             const std::string& body) {
  ChatResult r;
  r.generation_id = Header(headers, "x-generation-id");
  if (status >= 400) {
    r.error = ParseHttpError(status, headers, body);
    return r;
  }
  const int st = status > 0 ? status : 200;
  const std::string b = Trim(body);
  if (b.empty()) {
    r.error.id = "http.empty_body";
    r.error.http_status = st;
    r.error.retryable = true;
    r.error.message = "HTTP " + std::to_string(st) + ": empty response";
    return r;
  }
  if (b[0] == '<' || Lower(Header(headers, "content-type")).find("text/html") != std::string::npos) {
    r.error = ParseHttpError(st, headers, body);  // an HTML page: wrong base URL, captive portal, ...
    return r;
  }
  if (LooksLikeSse(b)) {
    // An event stream sent with the wrong content-type: decode it as one.
    std::map<std::string, std::string> h = headers;
    h["content-type"] = "text/event-stream";
    StreamDecoder d(kind);
    d.on_headers(st, h, r);
    d.on_data(body, r);
    d.on_end(r);
    return r;
  }
  const json j = ParseJson(b);
  if (j.is_discarded() || !j.is_object()) {
    r.error.id = "http.bad_body";
    r.error.http_status = st;
    r.error.message = "HTTP " + std::to_string(st) + ": the reply is not a JSON object: " + Utf8Prefix(CollapseWs(b), 120);
    return r;
  }
  if (HasErrorField(j)) {
    // An error delivered with a success status. OpenRouter's error.code mirrors the HTTP
    // status it would have used, so read it as that status when it looks like one.
    const double code = GetNum(GetObj(j, "error"), "code", 0);
    const int as = code >= 400 && code <= 599 ? static_cast<int>(code) : 0;
    r.error = ParseHttpError(as ? as : st, headers, b);
    if (!as) r.error.id = "http.bad_body";
    return r;
  }
  if (r.generation_id.empty()) r.generation_id = GetStr(j, "id");
  r.model = GetStr(j, "model");

  const json* choices = Get(j, "choices");
  if (choices && choices->is_array()) {  // OpenAI / OpenRouter shape
    const json& c0 = choices->empty() ? EmptyObject() : (*choices)[0];
    const json& msg = GetObj(c0, "message");
    r.content = ContentText(msg);
    if (r.content.empty()) r.content = GetStr(c0, "text");  // legacy completions shape
    r.reasoning = ReasoningText(msg);
    ReadAnnotations(GetArr(msg, "annotations"), r.citations);
    r.finish_reason = GetStr(c0, "finish_reason");
    const json* u = Get(j, "usage");
    if (u && u->is_object()) {
      r.usage = ReadUsage(*u);
      r.has_usage = true;
    }
    if (r.finish_reason == "error") {
      r.error.id = "sse.midstream";
      r.error.http_status = st;
      r.error.message = "mid-stream error: the provider stopped with finish_reason \"error\"";
      return r;
    }
    r.done = true;
    return r;
  }
  const json* content = Get(j, "content");
  if (content && content->is_array()) {  // Anthropic message shape
    for (const auto& blk : *content) {
      const std::string t = GetStr(blk, "type");
      if (t == "text") {
        r.content += GetStr(blk, "text");
        for (const auto& c : GetArr(blk, "citations")) ReadAnthropicCitation(c, r.citations);
      } else if (t == "thinking") {
        r.reasoning += GetStr(blk, "thinking");
      }
    }
    r.finish_reason = MapAnthropicStop(GetStr(j, "stop_reason"));
    const json* u = Get(j, "usage");
    if (u && u->is_object()) {
      ReadAnthropicUsage(*u, r.usage);
      r.has_usage = true;
    }
    r.done = true;
    return r;
  }
  r.error.id = "http.bad_body";
  r.error.http_status = st;
  r.error.message = "HTTP " + std::to_string(st) + ": the reply has neither choices nor content: " +
                    Utf8Prefix(CollapseWs(b), 120);
  return r;
}

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
