// Provider errors: an HTTP status and body (any provider's JSON error, an HTML page, plain text)
// read into a CallError with a stable id, an error event met mid-stream, and network failures.
#include "provider_internal.h"

#include <cctype>
#include <cstdlib>

namespace concord {

using namespace provider_detail;

namespace {

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

// OpenRouter's "Provider returned error" carries the provider's own words in metadata.raw (a
// JSON text, or plain text): its message, short, or "" when it says nothing more than `msg`.
std::string ProviderRaw(const json& meta, const std::string& msg) {
  const json* raw = Get(meta, "raw");
  if (!raw) return "";
  json inner = raw->is_string() ? ParseJson(raw->get_ref<const std::string&>()) : *raw;
  std::string said;
  if (inner.is_object()) {
    const json* ie = Get(inner, "error");
    said = ie && ie->is_string() ? ie->get_ref<const std::string&>() : GetStr(GetObj(inner, "error"), "message");
    if (said.empty()) said = GetStr(inner, "message");
    if (said.empty()) said = GetStr(inner, "detail");
  }
  if (said.empty() && raw->is_string()) said = raw->get_ref<const std::string&>();
  said = Utf8Prefix(CollapseWs(said), 300);
  if (said.empty() || msg.find(said) != std::string::npos) return "";
  return said;
}

}  // namespace

// ---- [SECTION] Errors ----------------------------------------------------------------------

namespace provider_detail {

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
    if (const std::string said = ProviderRaw(GetObj(err, "metadata"), msg); !said.empty()) msg += " (the provider said: " + said + ")";
    if (!provider.empty() && msg.find(provider) == std::string::npos) msg += " [provider: " + provider + "]";
  }
  const double code = std::strtod(e.code.c_str(), nullptr);
  e.retryable = StatusRetryable(static_cast<int>(code > 0 && code < 1000 ? code : 0)) || TypeRetryable(e.error_type);
  e.message = "mid-stream error" + (e.code.empty() ? std::string() : " " + e.code) + ": " +
              (msg.empty() ? std::string("the provider reported an error") : msg);
  return e;
}

}  // namespace provider_detail

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
      if (const std::string said = ProviderRaw(meta, msg); !said.empty()) msg += (msg.empty() ? "" : " ") + ("(the provider said: " + said + ")");
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
    case NetFailure::Lost:
      e.id = "net.lost";
      e.message = "the connection was lost before any answer arrived";
      e.retryable = true;
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

}  // namespace concord
