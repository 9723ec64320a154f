// Provider replies, the shared part: the text, number and JSON readers every provider piece uses,
// and whole (non-streamed) chat bodies. Replies are hostile input: JSON is parsed without throwing
// and every field is read through the type-checking helpers of jsonutil.h.
#include "provider_internal.h"

#include <cctype>
#include <climits>
#include <cstdlib>

namespace concord {
namespace provider_detail {

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

namespace {
bool StartsWith(const std::string& s, const char* p) { return s.rfind(p, 0) == 0; }
}  // namespace

// Header lookup. Transport lower-cases names, but a case-insensitive match costs nothing.
std::string Header(const std::map<std::string, std::string>& h, const char* name) {
  auto it = h.find(name);
  if (it != h.end()) return it->second;
  const std::string want = Lower(name);
  for (const auto& kv : h)
    if (Lower(kv.first) == want) return kv.second;
  return "";
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

namespace {
int Index(const json& j, const char* key) {
  const double d = GetNum(j, key, -1);
  if (!(d >= 0)) return -1;
  if (d > static_cast<double>(INT_MAX)) return INT_MAX;
  return static_cast<int>(d);
}
}  // namespace

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
  // Bring your own key: "cost" is OpenRouter's fee only; the provider bills the user's own key
  // the upstream cost (reported on every call; it is the same charge when is_byok is false).
  const json& details = GetObj(u, "cost_details");
  if (GetBool(u, "is_byok") && HasNumber(details, "upstream_inference_cost")) {
    x.byok_upstream = NonNegative(details, "upstream_inference_cost");
    x.cost += x.byok_upstream;
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

namespace {
void AddCitation(std::vector<Citation>& v, Citation c) {
  if (c.url.empty()) return;
  for (const auto& o : v)  // the same annotation may come in a delta and again in a message
    if (o.url == c.url && o.start_index == c.start_index && o.end_index == c.end_index) return;
  v.push_back(std::move(c));
}
}  // namespace

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

}  // namespace provider_detail

std::string IncompleteReason(const ChatResult& r) {
  if (r.finish_reason == "length") return "cut off at the model's token limit (finish_reason \"length\")";
  if (r.finish_reason == "content_filter") return "stopped by the provider's content filter (finish_reason \"content_filter\")";
  if (!r.lost.empty()) return "the connection was lost mid-answer (" + r.lost + "), so the answer is cut short";
  if (r.unterminated) return "the stream closed with no finish reason and no end marker, so the answer may be cut short";
  return "";
}

namespace provider_detail {

bool HasErrorField(const json& j) {
  const json* e = Get(j, "error");
  return e && (e->is_object() || (e->is_string() && !e->get_ref<const std::string&>().empty()));
}

namespace {
bool LooksLikeSse(const std::string& trimmed) {
  return StartsWith(trimmed, "data:") || StartsWith(trimmed, "event:") || StartsWith(trimmed, ":") ||
         StartsWith(trimmed, "id:");
}
}  // namespace

}  // namespace provider_detail

using namespace provider_detail;

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
    SplitThinkBlock(r.content, r.reasoning);
    r.refusal = GetStr(msg, "refusal");
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

}  // namespace concord
