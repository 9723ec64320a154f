// Request building and response parsing for the providers Concord calls from the page:
// OpenRouter (default), any OpenAI-compatible base URL, and Anthropic's Messages API.
// Pure functions plus a small per-call stream decoder. Minimal headers only: never
// OpenAI-Beta or x-stainless-* (they fail CORS preflights).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "sse.h"
#include "transport.h"
#include "types.h"

namespace concord {

struct ChatMessage { std::string role; std::string content; };  // "system" | "user" | "assistant"

// OpenRouterTool: the newer openrouter:web_search server tool (the model decides when to search).
enum class WebSearchMode { Off, OpenRouterPlugin, SharedSearch, OpenRouterTool };

// What one chat call asks for. Zero / empty means "provider default".
struct ChatParams {
  std::string model;
  std::vector<ChatMessage> messages;
  double temperature = -1;           // < 0: omit
  int max_tokens = 0;                // 0: omit
  bool stream = true;
  bool web_plugin = false;           // OpenRouter only: plugins:[{id:"web", max_results}]
  bool web_tool = false;             // OpenRouter only: tools:[{type:"openrouter:web_search"}]
  int web_max_results = 5;
  std::vector<std::string> web_excluded_domains;  // the tool's parameters.excluded_domains
  std::string reasoning_effort;      // "": omit; else OpenRouter reasoning.effort / OpenAI reasoning_effort /
                                     // Anthropic extended thinking with a budget for the effort
  std::string json_schema;           // non-empty: response_format json_schema (a JSON text of the schema)
  std::string json_schema_name = "analysis";
  bool require_parameters = false;   // OpenRouter only: provider.require_parameters
  std::string demo_hint;             // JSON for the scripted demo provider only (never sent elsewhere)
};

// Anthropic extended-thinking budget (tokens) for a reasoning effort; 0 for "" or unknown.
int ThinkingBudget(const std::string& effort);
// Builds the full HTTP request (URL, headers, JSON body) for a chat completion.
HttpRequest BuildChatRequest(const Endpoint& ep, const ChatParams& p);
// GET {base}/models (OpenRouter catalogue; OpenAI-compatible lists too).
HttpRequest BuildModelsRequest(const Endpoint& ep);
// GET {base}/key (OpenRouter) to check a key and read credits; for others GET /models.
HttpRequest BuildKeyCheckRequest(const Endpoint& ep);

// Accumulated state of one chat call, fed by StreamDecoder or ParseChatResponse.
struct ChatResult {
  std::string content;      // visible answer text
  std::string reasoning;    // reasoning deltas, kept apart from content
  std::string refusal;      // OpenAI's "refusal" field (structured outputs): why it did not answer
  std::vector<Citation> citations;
  Usage usage;
  bool has_usage = false;
  std::string finish_reason;
  std::string generation_id;  // X-Generation-Id header or the "id" field
  std::string model;          // model that actually answered, when reported
  bool done = false;          // [DONE], message_stop, or a complete non-streamed body
  bool unterminated = false;  // the stream closed with neither a finish reason nor its terminator:
                              // the text is kept as the answer, but it may be cut short
  std::string lost;           // the connection broke mid-answer (the browser's words): the text
                              // that arrived is kept as the answer, cut short
  CallError error;            // set on HTTP error, mid-stream error, or a body we cannot read
};
// Error ids produced here: "http.<status>", "http.html_body", "http.empty_body" (2xx, no body),
// "http.bad_body" (2xx body that is neither a completion nor an error), "sse.midstream",
// "sse.bad_json", "sse.truncated", "net.unreachable", "net.timeout", "net.idle_timeout",
// "net.aborted", "net.lost" (retryable: the connection broke before any answer).
// finish_reason is OpenAI-style for every kind: Anthropic's stop_reason is
// mapped (end_turn/stop_sequence -> "stop", max_tokens -> "length", tool_use -> "tool_calls",
// refusal -> "content_filter"; others verbatim).

// Why an answer that arrived may not be whole, in words for the user and the judge; "" when it
// ended normally: the model hit its token limit (finish_reason "length"), the provider stopped
// it ("content_filter"), the connection broke (lost), or the stream closed early (unterminated).
std::string IncompleteReason(const ChatResult& r);

// Moves a "<think>…</think>" block that opens `content` (after white space) to the end of
// `reasoning`; an unclosed one is all reasoning. Returns whether there was one.
bool SplitThinkBlock(std::string& content, std::string& reasoning);

// Decodes one streamed response. Feed Headers, then Data chunks, then End.
class StreamDecoder {
 public:
  explicit StreamDecoder(ProviderKind kind) : kind_(kind) {}
  void on_headers(int status, const std::map<std::string, std::string>& headers, ChatResult& r);
  // Returns true when anything visible changed (content, reasoning, citations, error).
  bool on_data(const std::string& bytes, ChatResult& r);
  void on_end(ChatResult& r);  // also handles non-SSE bodies (error JSON, HTML page)
  size_t keepalives() const { return sse_.comments(); }

 private:
  ProviderKind kind_;
  SseParser sse_;
  int status_ = 0;
  bool is_sse_ = true;
  std::string raw_;  // non-SSE body collected for on_end
  std::vector<SseEvent> evs_;
  std::map<std::string, std::string> headers_;  // kept for Retry-After / content-type in on_end
  bool sniff_ = false;    // no usable content-type: decide SSE vs JSON from the first byte
  size_t bad_json_ = 0;   // data events that were not JSON objects (ignored, remembered)
  // A "<think>…</think>" block opening the content (servers that send a reasoning model's
  // thinking inline: Ollama, vLLM, Groq's raw format) is reasoning, not the answer.
  enum class Think { Undecided, Inside, Plain } think_ = Think::Undecided;
  bool after_think_ = false;  // white space opening the answer after a block is dropped
  std::string think_buf_;  // content held back while it may still be, or is, inside the block
  void add_content(const std::string& piece, ChatResult& r);
  void flush_think(ChatResult& r);
  void event(const SseEvent& e, ChatResult& r);
  void event_openai(const SseEvent& e, ChatResult& r);
  void event_anthropic(const SseEvent& e, ChatResult& r);
};

// Parses a whole (non-streamed) chat completion body with its HTTP status.
ChatResult ParseChatResponse(ProviderKind kind, int status, const std::map<std::string, std::string>& headers,
                             const std::string& body);

// Reads an error from status + body (OpenRouter {"error":{code,message,metadata}}, OpenAI,
// Anthropic {"type":"error","error":{type,message}}, an HTML page, or empty). Retry-After
// header (seconds) is honoured. Stable ids: "http.<status>", "http.html_body", ...
CallError ParseHttpError(int status, const std::map<std::string, std::string>& headers, const std::string& body);
// A network failure with no status: "net.unreachable" says "blocked by CORS or unreachable: <url>".
CallError NetError(NetFailure f, const std::string& url, const std::string& detail);

// ---- Catalogue -----------------------------------------------------------------
struct ModelInfo {
  std::string id, name;
  int64_t context_length = 0;
  double price_prompt = 0;      // USD per token
  double price_completion = 0;  // USD per token
  double price_request = 0;     // USD per request
  double price_web_search = 0;  // USD per search
  bool structured_outputs = false;  // "structured_outputs" or "response_format" in supported_parameters
  bool tools = false;
  int64_t max_completion_tokens = 0;
  std::string expiration_date;
};
// Parses GET /models ({"data":[...]}). Bad entries are skipped; returns false + error on a bad body.
bool ParseCatalogue(const std::string& body, std::vector<ModelInfo>& out, std::string& error);
// OpenRouter's GET /key reply: {data:{usage, limit_remaining|null, ...}}, or an HTTP error.
struct KeyCheckResult {
  bool ok = false;
  double usage = 0;
  double limit_remaining = -1;  // < 0: no limit reported
  std::string message;          // what to tell the user
};
KeyCheckResult ParseKeyCheck(int status, const std::string& body);

// Cost of one call: usage.cost when reported, else catalogue prices x tokens (0 when unknown).
double CallCost(const Usage& u, const ModelInfo* info);

}  // namespace concord
