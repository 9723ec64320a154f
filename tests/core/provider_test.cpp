// Tests for provider.h: request building, stream decoding, error parsing, catalogue and cost,
// against fixtures written in the providers' documented shapes.
//
// Index of this file:
// [SECTION] fixtures
// [SECTION] helpers
// [SECTION] BuildChatRequest
// [SECTION] Models / key check
// [SECTION] StreamDecoder: OpenRouter
// [SECTION] StreamDecoder: OpenAI-compatible (Ollama)
// [SECTION] StreamDecoder: Anthropic
// [SECTION] ParseChatResponse
// [SECTION] ParseHttpError
// [SECTION] NetError
// [SECTION] ParseCatalogue
// [SECTION] CallCost
#include "provider.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "jsonutil.h"

namespace concord {
namespace {

using Headers = std::map<std::string, std::string>;

// ---- [SECTION] fixtures --------------------------------------------------------------------

// OpenRouter streaming: keep-alive comments, reasoning, annotations, finish chunk, then usage+cost.
const char* kOpenRouterStream = R"(: OPENROUTER PROCESSING

: OPENROUTER PROCESSING

data: {"id":"gen-1750-abc","provider":"Google","model":"google/gemini-3-flash","object":"chat.completion.chunk","created":1750000000,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Thinking about it. "},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

data: {"id":"gen-1750-abc","provider":"Google","model":"google/gemini-3-flash","object":"chat.completion.chunk","created":1750000000,"choices":[{"index":0,"delta":{"role":"assistant","content":"Paris is the capital","reasoning":null},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

data: {"id":"gen-1750-abc","provider":"Google","model":"google/gemini-3-flash","object":"chat.completion.chunk","created":1750000000,"choices":[{"index":0,"delta":{"role":"assistant","content":" of France. é—Ж你好","annotations":[{"type":"url_citation","url_citation":{"url":"https://en.wikipedia.org/wiki/Paris","title":"Paris - Wikipedia","content":"Paris is the capital and largest city of France.","start_index":0,"end_index":20}}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]}

: OPENROUTER PROCESSING

data: {"id":"gen-1750-abc","provider":"Google","model":"google/gemini-3-flash","object":"chat.completion.chunk","created":1750000000,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop","native_finish_reason":"STOP","logprobs":null}]}

data: {"id":"gen-1750-abc","provider":"Google","model":"google/gemini-3-flash","object":"chat.completion.chunk","created":1750000000,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"usage":{"prompt_tokens":42,"completion_tokens":17,"total_tokens":59,"cost":0.000123,"is_byok":false,"prompt_tokens_details":{"cached_tokens":8},"cost_details":{"upstream_inference_cost":null},"completion_tokens_details":{"reasoning_tokens":5},"server_tool_use":{"web_search_requests":1}}}

data: [DONE]

)";

// OpenRouter error after tokens were sent (status stays 200).
const char* kOpenRouterMidstream = R"(data: {"id":"gen-9","object":"chat.completion.chunk","created":1,"model":"openai/gpt-5","choices":[{"index":0,"delta":{"content":"Partial answ"},"finish_reason":null}]}

data: {"id":"gen-9","object":"chat.completion.chunk","created":1,"model":"openai/gpt-5","provider":"openai","error":{"code":502,"message":"Provider disconnected unexpectedly","metadata":{"error_type":"provider_overloaded"}},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}

)";

// Anthropic Messages API streaming, as documented (thinking block, ping, text block).
const char* kAnthropicStream = R"(event: message_start
data: {"type":"message_start","message":{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_read_input_tokens":0,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}

event: ping
data: {"type": "ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think."}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: content_block_start
data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello"}}

event: content_block_delta
data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":", world é—Ж你好"}}

event: content_block_stop
data: {"type":"content_block_stop","index":1}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}

event: message_stop
data: {"type":"message_stop"}

)";

const char* kAnthropicOverloaded = R"(event: message_start
data: {"type":"message_start","message":{"id":"msg_2","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","usage":{"input_tokens":10,"output_tokens":1}}}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Half"}}

event: error
data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}

)";

// Ollama's OpenAI-compatible endpoint: no cost, no usage unless include_usage is honoured.
const char* kOllamaStream = R"(data: {"id":"chatcmpl-460","object":"chat.completion.chunk","created":1730000000,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}

data: {"id":"chatcmpl-460","object":"chat.completion.chunk","created":1730000000,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":" there"},"finish_reason":null}]}

data: {"id":"chatcmpl-460","object":"chat.completion.chunk","created":1730000000,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]}

data: [DONE]

)";

const char* kOllamaUsageChunk =
    R"(data: {"id":"chatcmpl-460","object":"chat.completion.chunk","created":1730000000,"model":"llama3.2","choices":[],"usage":{"prompt_tokens":26,"completion_tokens":2,"total_tokens":28}})"
    "\n\n";

const char* k401 = R"({"error":{"message":"No auth credentials found","code":401}})";
const char* k402 =
    R"({"error":{"code":402,"message":"Insufficient credits. Add more using https://openrouter.ai/settings/credits","metadata":{"error_type":"payment_required"}}})";
const char* k403 =
    R"({"error":{"code":403,"message":"Input was flagged","metadata":{"reasons":["harassment","violence"],"flagged_input":"...","provider_name":"OpenAI","model_slug":"openai/gpt-5"}}})";
const char* k429 =
    R"({"error":{"code":429,"message":"Rate limit exceeded: free-models-per-min.","metadata":{"error_type":"rate_limit_exceeded","headers":{"X-RateLimit-Limit":"20","X-RateLimit-Remaining":"0"}}}})";
const char* k503 =
    R"({"error":{"code":503,"message":"No allowed providers are available for the selected model.","metadata":{"error_type":"provider_overloaded"},"availability":{"code":"no_providers","retryable":true,"retry_after":30,"fallback_models":["google/gemini-3-flash"]}}})";
const char* kHtml502 = R"(
<!DOCTYPE html>
<html lang="en-US"><head><title>openrouter.ai | 502: Bad gateway</title>
<style>body{margin:0}</style></head>
<body><div id="cf-error-details"><h1>Bad gateway</h1><p>Error code 502</p></div></body></html>)";

// ---- [SECTION] helpers ---------------------------------------------------------------------

std::string HeaderOf(const HttpRequest& r, const std::string& name) {
  for (const auto& h : r.headers)
    if (h.first == name) return h.second;
  return "<absent>";
}

// One comparable text for a whole ChatResult, so split-vs-whole checks print readable diffs.
std::string Describe(const ChatResult& r) {
  std::string s = "content=" + r.content + "\nreasoning=" + r.reasoning + "\nfinish=" + r.finish_reason +
                  "\ngen=" + r.generation_id + "\nmodel=" + r.model + "\ndone=" + std::to_string(r.done) +
                  "\nusage=" + std::to_string(r.has_usage) + "," + std::to_string(r.usage.prompt_tokens) + "," +
                  std::to_string(r.usage.completion_tokens) + "," + std::to_string(r.usage.reasoning_tokens) + "," +
                  std::to_string(r.usage.cached_tokens) + "," + std::to_string(r.usage.web_search_requests) + "," +
                  std::to_string(r.usage.cost) + "," + std::to_string(r.usage.has_cost) + "\nerror=" + r.error.id +
                  "|" + r.error.message + "|" + r.error.error_type + "\n";
  for (const auto& c : r.citations)
    s += "cite=" + c.url + "|" + c.title + "|" + std::to_string(c.start_index) + "\n";
  return s;
}

ChatResult Decode(ProviderKind k, const std::vector<std::string>& chunks, int status = 200,
                  Headers h = {{"content-type", "text/event-stream"}}, size_t* keepalives = nullptr) {
  StreamDecoder d(k);
  ChatResult r;
  d.on_headers(status, h, r);
  for (const auto& c : chunks) d.on_data(c, r);
  d.on_end(r);
  if (keepalives) *keepalives = d.keepalives();
  return r;
}

ChatResult DecodeWhole(ProviderKind k, const std::string& s, int status = 200,
                       Headers h = {{"content-type", "text/event-stream"}}) {
  return Decode(k, {s}, status, h);
}

std::vector<std::string> Bytes(const std::string& s) {
  std::vector<std::string> v;
  for (char c : s) v.emplace_back(1, c);
  return v;
}

Endpoint Ep(ProviderKind k, const std::string& key = "sk-test") {
  Endpoint e;
  e.kind = k;
  e.api_key = key;
  e.base_url = k == ProviderKind::Anthropic ? "https://api.anthropic.com/v1"
               : k == ProviderKind::OpenRouter ? "https://openrouter.ai/api/v1"
                                               : "http://localhost:11434/v1";
  return e;
}

ChatParams Params() {
  ChatParams p;
  p.model = "google/gemini-3-flash";
  p.messages = {{"system", "Be brief."}, {"user", "Capital of France?"}};
  return p;
}

json Body(const HttpRequest& r) {
  json j = ParseJson(r.body);
  EXPECT_FALSE(j.is_discarded()) << r.body;
  return j;
}

const std::vector<ProviderKind> kAllKinds = {ProviderKind::OpenRouter, ProviderKind::OpenAICompatible,
                                             ProviderKind::Anthropic};

// ---- [SECTION] BuildChatRequest ------------------------------------------------------------

TEST(BuildChatRequestOpenRouter, UrlHeadersAndMinimalBody) {
  HttpRequest r = BuildChatRequest(Ep(ProviderKind::OpenRouter), Params());
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://openrouter.ai/api/v1/chat/completions");
  EXPECT_TRUE(r.stream);
  EXPECT_EQ(HeaderOf(r, "Authorization"), "Bearer sk-test");
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/json");
  EXPECT_EQ(HeaderOf(r, "HTTP-Referer"), "<absent>");
  EXPECT_EQ(HeaderOf(r, "X-OpenRouter-Title"), "<absent>");
  json b = Body(r);
  EXPECT_EQ(b["model"], "google/gemini-3-flash");
  EXPECT_EQ(b["stream"], true);
  ASSERT_EQ(b["messages"].size(), 2u);
  EXPECT_EQ(b["messages"][0]["role"], "system");
  EXPECT_EQ(b["messages"][1]["content"], "Capital of France?");
  for (const char* k : {"temperature", "max_tokens", "plugins", "response_format", "provider", "stream_options"})
    EXPECT_FALSE(b.contains(k)) << k;
}

TEST(BuildChatRequestOpenRouter, OptionalFields) {
  ChatParams p = Params();
  p.temperature = 0;
  p.max_tokens = 512;
  p.web_plugin = true;
  p.web_max_results = 3;
  p.require_parameters = true;
  p.json_schema = R"({"type":"object","properties":{"a":{"type":"string"}},"required":["a"]})";
  json b = Body(BuildChatRequest(Ep(ProviderKind::OpenRouter), p));
  EXPECT_EQ(b["temperature"], 0.0);
  EXPECT_EQ(b["max_tokens"], 512);
  EXPECT_EQ(b["plugins"], json::parse(R"([{"id":"web","max_results":3}])"));
  EXPECT_EQ(b["provider"], json::parse(R"({"require_parameters":true})"));
  EXPECT_EQ(b["response_format"]["type"], "json_schema");
  EXPECT_EQ(b["response_format"]["json_schema"]["name"], "analysis");
  EXPECT_EQ(b["response_format"]["json_schema"]["strict"], true);
  EXPECT_EQ(b["response_format"]["json_schema"]["schema"]["required"][0], "a");
}

TEST(BuildChatRequestOpenRouter, WebSearchServerTool) {
  ChatParams p = Params();
  p.web_tool = true;
  p.web_max_results = 4;
  json b = Body(BuildChatRequest(Ep(ProviderKind::OpenRouter), p));
  EXPECT_EQ(b["tools"], json::parse(R"([{"type":"openrouter:web_search","parameters":{"max_results":4}}])"));
  EXPECT_FALSE(b.contains("plugins"));
  // Only OpenRouter knows the server tool.
  json other = Body(BuildChatRequest(Ep(ProviderKind::OpenAICompatible), p));
  EXPECT_FALSE(other.contains("tools"));
}

TEST(BuildChatRequestOpenRouter, AttributionOnlyWhenAsked) {
  Endpoint ep = Ep(ProviderKind::OpenRouter);
  ep.send_attribution = true;
  ep.referer = "https://example.github.io/concord/";
  HttpRequest r = BuildChatRequest(ep, Params());
  EXPECT_EQ(HeaderOf(r, "HTTP-Referer"), "https://example.github.io/concord/");
  EXPECT_EQ(HeaderOf(r, "X-OpenRouter-Title"), "Concord");
}

TEST(BuildChatRequestOpenRouter, EmptyKeyOmitsAuthorization) {
  HttpRequest r = BuildChatRequest(Ep(ProviderKind::OpenRouter, ""), Params());
  EXPECT_EQ(HeaderOf(r, "Authorization"), "<absent>");
}

TEST(BuildChatRequestOpenRouter, InvalidSchemaIsLeftOut) {
  ChatParams p = Params();
  p.json_schema = "{not json";
  json b = Body(BuildChatRequest(Ep(ProviderKind::OpenRouter), p));
  EXPECT_FALSE(b.contains("response_format"));
}

TEST(BuildChatRequestOpenRouter, TrailingSlashInBaseUrl) {
  Endpoint ep = Ep(ProviderKind::OpenRouter);
  ep.base_url += "/";
  EXPECT_EQ(BuildChatRequest(ep, Params()).url, "https://openrouter.ai/api/v1/chat/completions");
}

TEST(BuildChatRequestOpenAICompatible, NoPluginsOrProviderButStreamOptions) {
  ChatParams p = Params();
  p.web_plugin = true;
  p.require_parameters = true;
  p.max_tokens = 100;
  p.json_schema = R"({"type":"object"})";
  HttpRequest r = BuildChatRequest(Ep(ProviderKind::OpenAICompatible), p);
  EXPECT_EQ(r.url, "http://localhost:11434/v1/chat/completions");
  json b = Body(r);
  EXPECT_FALSE(b.contains("plugins"));
  EXPECT_FALSE(b.contains("provider"));
  EXPECT_EQ(b["stream_options"]["include_usage"], true);
  EXPECT_EQ(b["max_tokens"], 100);
  EXPECT_EQ(b["response_format"]["json_schema"]["schema"]["type"], "object");
}

TEST(BuildChatRequestOpenAICompatible, NoStreamOptionsWhenNotStreaming) {
  ChatParams p = Params();
  p.stream = false;
  HttpRequest r = BuildChatRequest(Ep(ProviderKind::OpenAICompatible), p);
  EXPECT_FALSE(r.stream);
  json b = Body(r);
  EXPECT_EQ(b["stream"], false);
  EXPECT_FALSE(b.contains("stream_options"));
}

TEST(BuildChatRequestOpenAICompatible, OpenAIItselfGetsMaxCompletionTokens) {
  Endpoint ep = Ep(ProviderKind::OpenAICompatible);
  ep.base_url = "https://api.openai.com/v1";
  ChatParams p = Params();
  p.max_tokens = 64;
  json b = Body(BuildChatRequest(ep, p));
  EXPECT_EQ(b["max_completion_tokens"], 64);
  EXPECT_FALSE(b.contains("max_tokens"));
}

TEST(BuildChatRequestOpenAICompatible, AttributionNeverSentOutsideOpenRouter) {
  Endpoint ep = Ep(ProviderKind::OpenAICompatible);
  ep.send_attribution = true;
  ep.referer = "https://x";
  HttpRequest r = BuildChatRequest(ep, Params());
  EXPECT_EQ(HeaderOf(r, "HTTP-Referer"), "<absent>");
  EXPECT_EQ(HeaderOf(r, "X-OpenRouter-Title"), "<absent>");
}

TEST(BuildChatRequestAnthropic, HeadersSystemFieldAndDefaultMaxTokens) {
  ChatParams p = Params();
  p.messages.push_back({"assistant", "Paris."});
  p.messages.push_back({"system", "Second rule."});
  p.temperature = 1.5;  // out of Anthropic's range: clamped
  HttpRequest r = BuildChatRequest(Ep(ProviderKind::Anthropic), p);
  EXPECT_EQ(r.url, "https://api.anthropic.com/v1/messages");
  EXPECT_EQ(HeaderOf(r, "x-api-key"), "sk-test");
  EXPECT_EQ(HeaderOf(r, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(HeaderOf(r, "anthropic-dangerous-direct-browser-access"), "true");
  EXPECT_EQ(HeaderOf(r, "content-type"), "application/json");
  EXPECT_EQ(HeaderOf(r, "Authorization"), "<absent>");
  json b = Body(r);
  EXPECT_EQ(b["system"], "Be brief.\n\nSecond rule.");
  EXPECT_EQ(b["max_tokens"], 4096);
  EXPECT_EQ(b["temperature"], 1.0);
  ASSERT_EQ(b["messages"].size(), 2u);
  EXPECT_EQ(b["messages"][0]["role"], "user");
  EXPECT_EQ(b["messages"][1]["role"], "assistant");
  EXPECT_FALSE(b.contains("response_format"));
}

TEST(BuildChatRequestAnthropic, ExplicitMaxTokensAndNoSystem) {
  ChatParams p;
  p.model = "claude-sonnet-4-5";
  p.messages = {{"user", "hi"}};
  p.max_tokens = 100;
  json b = Body(BuildChatRequest(Ep(ProviderKind::Anthropic), p));
  EXPECT_EQ(b["max_tokens"], 100);
  EXPECT_FALSE(b.contains("system"));
  EXPECT_FALSE(b.contains("temperature"));
}

TEST(BuildChatRequestAllKinds, NeverSendsOpenAIBetaOrStainlessHeaders) {
  for (ProviderKind k : kAllKinds) {
    Endpoint ep = Ep(k);
    ep.send_attribution = true;
    ep.referer = "https://x";
    ChatParams p = Params();
    p.web_plugin = true;
    p.json_schema = R"({"type":"object"})";
    for (const HttpRequest& r : {BuildChatRequest(ep, p), BuildModelsRequest(ep), BuildKeyCheckRequest(ep)}) {
      for (const auto& h : r.headers) {
        std::string n;
        for (char c : h.first) n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        EXPECT_NE(n, "openai-beta") << r.url;
        EXPECT_NE(n.rfind("x-stainless", 0), 0u) << r.url << " " << h.first;
      }
    }
  }
}

TEST(BuildChatRequestAllKinds, UnicodeAndInvalidUtf8InMessagesGiveValidJson) {
  for (ProviderKind k : kAllKinds) {
    ChatParams p = Params();
    p.messages = {{"user", "\xC3\xA9\xE2\x80\x94 bad:\xFF\xFE"}};
    json b = Body(BuildChatRequest(Ep(k), p));
    EXPECT_TRUE(b.is_object());
  }
}

// ---- [SECTION] Models / key check ----------------------------------------------------------

TEST(BuildModelsRequest, GetModelsForEveryKind) {
  HttpRequest o = BuildModelsRequest(Ep(ProviderKind::OpenRouter));
  EXPECT_EQ(o.method, "GET");
  EXPECT_EQ(o.url, "https://openrouter.ai/api/v1/models");
  EXPECT_EQ(HeaderOf(o, "Authorization"), "Bearer sk-test");
  EXPECT_TRUE(o.body.empty());
  HttpRequest a = BuildModelsRequest(Ep(ProviderKind::Anthropic));
  EXPECT_EQ(a.url, "https://api.anthropic.com/v1/models");
  EXPECT_EQ(HeaderOf(a, "x-api-key"), "sk-test");
  EXPECT_EQ(HeaderOf(a, "anthropic-version"), "2023-06-01");
  EXPECT_EQ(HeaderOf(a, "anthropic-dangerous-direct-browser-access"), "true");
  EXPECT_EQ(BuildModelsRequest(Ep(ProviderKind::OpenAICompatible)).url, "http://localhost:11434/v1/models");
}

TEST(BuildKeyCheckRequest, OpenRouterUsesKeyEndpointOthersModels) {
  HttpRequest o = BuildKeyCheckRequest(Ep(ProviderKind::OpenRouter));
  EXPECT_EQ(o.method, "GET");
  EXPECT_EQ(o.url, "https://openrouter.ai/api/v1/key");
  EXPECT_EQ(HeaderOf(o, "Authorization"), "Bearer sk-test");
  EXPECT_EQ(BuildKeyCheckRequest(Ep(ProviderKind::OpenAICompatible)).url, "http://localhost:11434/v1/models");
  EXPECT_EQ(BuildKeyCheckRequest(Ep(ProviderKind::Anthropic)).url, "https://api.anthropic.com/v1/models");
}

// ---- [SECTION] StreamDecoder: OpenRouter ---------------------------------------------------

TEST(StreamDecoderOpenRouter, FullStreamWithUsageCostAndAnnotations) {
  size_t keepalives = 0;
  ChatResult r = Decode(ProviderKind::OpenRouter, {kOpenRouterStream}, 200,
                        {{"content-type", "text/event-stream"}, {"x-generation-id", "gen-from-header"}}, &keepalives);
  EXPECT_TRUE(r.error.empty()) << r.error.message;
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "Paris is the capital of France. \xC3\xA9\xE2\x80\x94\xD0\x96\xE4\xBD\xA0\xE5\xA5\xBD");
  EXPECT_EQ(r.reasoning, "Thinking about it. ");
  EXPECT_EQ(r.finish_reason, "stop");
  EXPECT_EQ(r.generation_id, "gen-from-header");  // the header wins over the body id
  EXPECT_EQ(r.model, "google/gemini-3-flash");
  EXPECT_EQ(keepalives, 3u);
  ASSERT_TRUE(r.has_usage);
  EXPECT_EQ(r.usage.prompt_tokens, 42);
  EXPECT_EQ(r.usage.completion_tokens, 17);
  EXPECT_EQ(r.usage.reasoning_tokens, 5);
  EXPECT_EQ(r.usage.cached_tokens, 8);
  EXPECT_EQ(r.usage.web_search_requests, 1);
  EXPECT_TRUE(r.usage.has_cost);
  EXPECT_DOUBLE_EQ(r.usage.cost, 0.000123);
  ASSERT_EQ(r.citations.size(), 1u);
  EXPECT_EQ(r.citations[0].url, "https://en.wikipedia.org/wiki/Paris");
  EXPECT_EQ(r.citations[0].title, "Paris - Wikipedia");
  EXPECT_EQ(r.citations[0].start_index, 0);
  EXPECT_EQ(r.citations[0].end_index, 20);
}

TEST(StreamDecoderOpenRouter, BringYourOwnKeyCostsTheFeePlusTheProvidersBill) {
  auto last = [](const char* usage) {
    return std::string("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}],\"usage\":") + usage +
           "}\n\ndata: [DONE]\n\n";
  };
  // BYOK: "cost" is OpenRouter's 5 % fee; the provider bills the user's own key the rest.
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter,
                             last(R"({"prompt_tokens":10,"completion_tokens":5,"cost":0.0000095,"is_byok":true,"cost_details":{"upstream_inference_cost":0.00019}})"));
  EXPECT_TRUE(r.usage.has_cost);
  EXPECT_NEAR(r.usage.cost, 0.0001995, 1e-12);
  EXPECT_NEAR(r.usage.byok_upstream, 0.00019, 1e-12);
  // Within the free BYOK quota the fee is 0: the call still cost the provider's bill.
  r = DecodeWhole(ProviderKind::OpenRouter,
                  last(R"({"prompt_tokens":10,"completion_tokens":5,"cost":0,"is_byok":true,"cost_details":{"upstream_inference_cost":0.00019}})"));
  EXPECT_NEAR(r.usage.cost, 0.00019, 1e-12);
  // Not BYOK: the upstream cost is the same charge as "cost", not added twice.
  r = DecodeWhole(ProviderKind::OpenRouter,
                  last(R"({"prompt_tokens":10,"completion_tokens":5,"cost":0.00019,"is_byok":false,"cost_details":{"upstream_inference_cost":0.00019}})"));
  EXPECT_NEAR(r.usage.cost, 0.00019, 1e-12);
  EXPECT_EQ(r.usage.byok_upstream, 0);
}

TEST(StreamDecoderThink, AnInlineThinkBlockIsReasoningNotTheAnswerHoweverItIsSplit) {
  auto chunk = [](const std::string& text) { return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":" + Dump(json(text)) + "}}]}\n\n"; };
  const std::string stream = chunk("\n<thi") + chunk("nk>The user asks about Paris. ") + chunk("I recall it is the capital.</th") +
                             chunk("ink>\n\n") + chunk("Paris is the capital of France.") +
                             "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
  const ChatResult whole = DecodeWhole(ProviderKind::OpenAICompatible, stream);
  EXPECT_EQ(whole.content, "Paris is the capital of France.");
  EXPECT_EQ(whole.reasoning, "The user asks about Paris. I recall it is the capital.");
  EXPECT_EQ(Describe(Decode(ProviderKind::OpenAICompatible, Bytes(stream))), Describe(whole)) << "split at every byte";
  // An unclosed block (cut at the token limit while thinking) is all reasoning: no answer.
  const ChatResult cut = DecodeWhole(ProviderKind::OpenAICompatible, chunk("<think>Still thinking") +
                                     "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n");
  EXPECT_EQ(cut.content, "");
  EXPECT_EQ(cut.reasoning, "Still thinking");
  // "<think>" anywhere but at the start is the answer's own text; so is a near miss.
  EXPECT_EQ(DecodeWhole(ProviderKind::OpenAICompatible, chunk("Use <think> tags.") + "data: [DONE]\n\n").content, "Use <think> tags.");
  EXPECT_EQ(DecodeWhole(ProviderKind::OpenAICompatible, chunk("<thin") + chunk("ker>") + "data: [DONE]\n\n").content, "<thinker>");
  EXPECT_EQ(DecodeWhole(ProviderKind::OpenAICompatible, chunk("<th") + "data: [DONE]\n\n").content, "<th");
  // A whole (non-streamed) body too.
  const ChatResult body = ParseChatResponse(ProviderKind::OpenAICompatible, 200, {},
      R"({"choices":[{"message":{"role":"assistant","content":"<think>hmm</think>\n\nFour."},"finish_reason":"stop"}]})");
  EXPECT_EQ(body.content, "Four.");
}

TEST(StreamDecoderOpenRouter, BodyIdUsedWithoutHeader) {
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter, kOpenRouterStream);
  EXPECT_EQ(r.generation_id, "gen-1750-abc");
}

TEST(StreamDecoderOpenRouter, EveryByteSplitEqualsWholeFeeding) {
  const std::string whole = Describe(DecodeWhole(ProviderKind::OpenRouter, kOpenRouterStream));
  EXPECT_EQ(Describe(Decode(ProviderKind::OpenRouter, Bytes(kOpenRouterStream))), whole);
}

TEST(StreamDecoderOpenRouter, CrlfStreamEqualsLfStream) {
  std::string crlf;
  for (char c : std::string(kOpenRouterStream)) {
    if (c == '\n') crlf += "\r\n";
    else crlf += c;
  }
  EXPECT_EQ(Describe(DecodeWhole(ProviderKind::OpenRouter, crlf)),
            Describe(DecodeWhole(ProviderKind::OpenRouter, kOpenRouterStream)));
  EXPECT_EQ(Describe(Decode(ProviderKind::OpenRouter, Bytes(crlf))),
            Describe(DecodeWhole(ProviderKind::OpenRouter, kOpenRouterStream)));
}

TEST(StreamDecoderOpenRouter, Utf8SplitAtEveryByteOffset) {
  const std::string text = "\xC3\xA9\xE2\x80\x94\xD0\x96\xE4\xBD\xA0\xE5\xA5\xBD";  // é—Ж你好
  const std::string s = "data: {\"choices\":[{\"delta\":{\"content\":\"" + text +
                        "\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
  for (size_t cut = 0; cut <= s.size(); ++cut) {
    ChatResult r = Decode(ProviderKind::OpenRouter, {s.substr(0, cut), s.substr(cut)});
    ASSERT_EQ(r.content, text) << "cut at " << cut;
    ASSERT_TRUE(r.done);
  }
}

TEST(StreamDecoderOpenRouter, OnDataReportsVisibleChanges) {
  StreamDecoder d(ProviderKind::OpenRouter);
  ChatResult r;
  d.on_headers(200, {{"content-type", "text/event-stream"}}, r);
  EXPECT_FALSE(d.on_data(": OPENROUTER PROCESSING\n\n", r));
  EXPECT_FALSE(d.on_data("data: {\"choices\":[{\"delta\":{\"content\":\"Hel", r));  // incomplete
  EXPECT_TRUE(d.on_data("lo\"}}]}\n\n", r));
  EXPECT_EQ(r.content, "Hello");
  EXPECT_TRUE(d.on_data("data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm\"}}]}\n\n", r));
  EXPECT_EQ(r.reasoning, "hmm");  // DeepSeek's field name
  EXPECT_EQ(d.keepalives(), 1u);
}

TEST(StreamDecoderOpenRouter, MidStreamErrorKeepsContent) {
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter, kOpenRouterMidstream);
  EXPECT_EQ(r.error.id, "sse.midstream");
  EXPECT_NE(r.error.message.find("Provider disconnected unexpectedly"), std::string::npos);
  EXPECT_EQ(r.error.message.rfind("mid-stream error 502: ", 0), 0u) << "the code is kept in what the user reads";
  EXPECT_EQ(r.error.code, "502");
  EXPECT_EQ(r.error.error_type, "provider_overloaded");
  EXPECT_TRUE(r.error.retryable);
  EXPECT_EQ(r.content, "Partial answ");
  EXPECT_EQ(r.finish_reason, "error");
  EXPECT_FALSE(r.done);
}

TEST(StreamDecoderOpenRouter, FinishReasonErrorWithoutErrorObject) {
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter,
                             "data: {\"choices\":[{\"delta\":{\"content\":\"a\"},\"finish_reason\":\"error\"}]}\n\n");
  EXPECT_EQ(r.error.id, "sse.midstream");
  EXPECT_EQ(r.content, "a");
}

TEST(StreamDecoderOpenRouter, BadJsonEventIsIgnored) {
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter,
                             "data: {broken\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"ok\"},"
                             "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
  EXPECT_TRUE(r.error.empty());
  EXPECT_EQ(r.content, "ok");
  EXPECT_TRUE(r.done);
}

TEST(StreamDecoderOpenRouter, OnlyBadJsonIsAnError) {
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter, "data: {broken\n\ndata: 42\n\ndata: [DONE]\n\n");
  EXPECT_EQ(r.error.id, "sse.bad_json");
  EXPECT_FALSE(r.done);
}

TEST(StreamDecoderOpenRouter, TruncatedWithoutAnyContentIsAnError) {
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter, ": OPENROUTER PROCESSING\n\n");
  EXPECT_EQ(r.error.id, "sse.truncated");
  EXPECT_FALSE(r.done);
}

TEST(StreamDecoderOpenRouter, TruncatedWithContentKeepsTextAndIsDone) {
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter, "data: {\"choices\":[{\"delta\":{\"content\":\"Half an\"}}]}\n\n");
  EXPECT_TRUE(r.error.empty());
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.finish_reason, "");
  EXPECT_EQ(r.content, "Half an");
}

TEST(StreamDecoderOpenRouter, LastEventWithoutBlankLineIsFlushed) {
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter,
                             "data: {\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"length\"}]}");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "x");
  EXPECT_EQ(r.finish_reason, "length");
}

TEST(StreamDecoderOpenRouter, EmptyContentWithStopIsNotAnError) {
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter,
                             "data: {\"choices\":[{\"delta\":{\"content\":\"\"},\"finish_reason\":\"stop\"}]}\n\n"
                             "data: [DONE]\n\n");
  EXPECT_TRUE(r.error.empty());
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "");
}

TEST(StreamDecoderOpenRouter, EventsAfterDoneAreIgnored) {
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter,
                             "data: [DONE]\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"late\"}}]}\n\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "");
}

TEST(StreamDecoderOpenRouter, AnnotationsInFinalMessageAreDeduplicated) {
  const char* s =
      R"(data: {"choices":[{"delta":{"content":"A","annotations":[{"type":"url_citation","url_citation":{"url":"https://a","title":"A","start_index":0,"end_index":1}}]}}]}

data: {"choices":[{"delta":{},"message":{"annotations":[{"type":"url_citation","url_citation":{"url":"https://a","title":"A","start_index":0,"end_index":1}},{"type":"url_citation","url_citation":{"url":"https://b","title":"B"}},{"type":"file","file":{}}]},"finish_reason":"stop"}]}

data: [DONE]

)";
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter, s);
  ASSERT_EQ(r.citations.size(), 2u);
  EXPECT_EQ(r.citations[1].url, "https://b");
  EXPECT_EQ(r.citations[1].start_index, -1);
}

TEST(StreamDecoderOpenRouter, WrongTypesDoNotThrow) {
  const char* s =
      R"(data: {"id":5,"model":["x"],"choices":{"0":1},"usage":"lots"}

data: {"choices":[{"delta":"text","finish_reason":7}],"usage":{"prompt_tokens":"12","cost":"0.5","completion_tokens":1e300}}

data: {"choices":[null,{"delta":{"content":"x"}}]}

data: [DONE]

)";
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter, s);
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.usage.prompt_tokens, 12);
  EXPECT_TRUE(r.usage.has_cost);
  EXPECT_DOUBLE_EQ(r.usage.cost, 0.5);
}

TEST(StreamDecoderHttpErrors, Status401BodyIsParsedAtEnd) {
  StreamDecoder d(ProviderKind::OpenRouter);
  ChatResult r;
  d.on_headers(401, {{"content-type", "application/json"}}, r);
  EXPECT_FALSE(d.on_data(std::string(k401).substr(0, 10), r));
  EXPECT_FALSE(d.on_data(std::string(k401).substr(10), r));
  d.on_end(r);
  EXPECT_EQ(r.error.id, "http.401");
  EXPECT_EQ(r.error.message, "HTTP 401 (invalid API key): No auth credentials found");
  EXPECT_FALSE(r.done);
}

TEST(StreamDecoderHttpErrors, Status429KeepsRetryAfterHeader) {
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter, k429, 429,
                             {{"content-type", "application/json"}, {"retry-after", "12"}});
  EXPECT_EQ(r.error.id, "http.429");
  EXPECT_DOUBLE_EQ(r.error.retry_after_s, 12);
  EXPECT_TRUE(r.error.retryable);
}

TEST(StreamDecoderHttpErrors, HtmlPageOnA200) {
  ChatResult r = DecodeWhole(ProviderKind::OpenAICompatible, kHtml502, 200, {{"content-type", "text/html"}});
  EXPECT_EQ(r.error.id, "http.html_body");
  EXPECT_FALSE(r.done);
}

TEST(StreamDecoderNonStreamed, JsonCompletionDespiteStreamTrue) {
  const char* body =
      R"({"id":"chatcmpl-1","object":"chat.completion","model":"llama3.2","choices":[{"index":0,"message":{"role":"assistant","content":"Whole answer","reasoning_content":"why"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":2}})";
  ChatResult r = DecodeWhole(ProviderKind::OpenAICompatible, body, 200,
                             {{"content-type", "application/json; charset=utf-8"}, {"x-generation-id", "g1"}});
  EXPECT_TRUE(r.error.empty()) << r.error.message;
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "Whole answer");
  EXPECT_EQ(r.reasoning, "why");
  EXPECT_EQ(r.finish_reason, "stop");
  EXPECT_EQ(r.generation_id, "g1");
  EXPECT_EQ(r.usage.completion_tokens, 2);
  EXPECT_FALSE(r.usage.has_cost);
}

TEST(StreamDecoderNonStreamed, MissingContentTypeIsSniffed) {
  // SSE without a content-type still streams live.
  StreamDecoder d(ProviderKind::OpenAICompatible);
  ChatResult r;
  d.on_headers(200, {}, r);
  EXPECT_FALSE(d.on_data("\n", r));
  EXPECT_TRUE(d.on_data("data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n", r));
  d.on_end(r);
  EXPECT_EQ(r.content, "Hi");
  // JSON without a content-type is parsed as a whole body.
  ChatResult j = DecodeWhole(ProviderKind::OpenAICompatible,
                             R"({"choices":[{"message":{"content":"J"},"finish_reason":"stop"}]})", 200, {});
  EXPECT_EQ(j.content, "J");
  EXPECT_TRUE(j.done);
}

TEST(StreamDecoderNonStreamed, EventStreamSentAsJsonContentType) {
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter, kOpenRouterStream, 200, {{"content-type", "application/json"}});
  EXPECT_EQ(r.content.substr(0, 5), "Paris");
  EXPECT_TRUE(r.done);
  EXPECT_TRUE(r.usage.has_cost);
}

// ---- [SECTION] StreamDecoder: OpenAI-compatible (Ollama) -----------------------------------

TEST(StreamDecoderOllama, StreamWithoutUsage) {
  ChatResult r = DecodeWhole(ProviderKind::OpenAICompatible, kOllamaStream);
  EXPECT_TRUE(r.error.empty());
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "Hi there");
  EXPECT_EQ(r.finish_reason, "stop");
  EXPECT_EQ(r.model, "llama3.2");
  EXPECT_EQ(r.generation_id, "chatcmpl-460");
  EXPECT_FALSE(r.has_usage);
  EXPECT_FALSE(r.usage.has_cost);
}

TEST(StreamDecoderOllama, IncludeUsageChunkWithEmptyChoices) {
  std::string s = kOllamaStream;
  s.insert(s.find("data: [DONE]"), kOllamaUsageChunk);
  ChatResult r = DecodeWhole(ProviderKind::OpenAICompatible, s);
  ASSERT_TRUE(r.has_usage);
  EXPECT_EQ(r.usage.prompt_tokens, 26);
  EXPECT_EQ(r.usage.completion_tokens, 2);
  EXPECT_FALSE(r.usage.has_cost);
  EXPECT_EQ(Describe(Decode(ProviderKind::OpenAICompatible, Bytes(s))), Describe(r));
}

// ---- [SECTION] StreamDecoder: Anthropic ----------------------------------------------------

TEST(StreamDecoderAnthropic, FullStream) {
  ChatResult r = DecodeWhole(ProviderKind::Anthropic, kAnthropicStream);
  EXPECT_TRUE(r.error.empty()) << r.error.message;
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "Hello, world \xC3\xA9\xE2\x80\x94\xD0\x96\xE4\xBD\xA0\xE5\xA5\xBD");
  EXPECT_EQ(r.reasoning, "Let me think.");
  EXPECT_EQ(r.finish_reason, "stop");  // end_turn, mapped
  EXPECT_EQ(r.model, "claude-sonnet-4-5");
  EXPECT_EQ(r.generation_id, "msg_01XFDUDYJgAACzvnptvVoYEL");
  ASSERT_TRUE(r.has_usage);
  EXPECT_EQ(r.usage.prompt_tokens, 25);
  EXPECT_EQ(r.usage.completion_tokens, 15);
  EXPECT_FALSE(r.usage.has_cost);
}

TEST(StreamDecoderAnthropic, EveryByteSplitEqualsWholeFeeding) {
  EXPECT_EQ(Describe(Decode(ProviderKind::Anthropic, Bytes(kAnthropicStream))),
            Describe(DecodeWhole(ProviderKind::Anthropic, kAnthropicStream)));
}

TEST(StreamDecoderAnthropic, OverloadedErrorEventKeepsContent) {
  ChatResult r = DecodeWhole(ProviderKind::Anthropic, kAnthropicOverloaded);
  EXPECT_EQ(r.error.id, "sse.midstream");
  EXPECT_EQ(r.error.error_type, "overloaded_error");
  EXPECT_NE(r.error.message.find("Overloaded"), std::string::npos);
  EXPECT_EQ(r.content, "Half");
  EXPECT_FALSE(r.done);
}

TEST(StreamDecoderAnthropic, MaxTokensStopMapsToLength) {
  ChatResult r = DecodeWhole(ProviderKind::Anthropic,
                             "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                             "\"max_tokens\"},\"usage\":{\"output_tokens\":9}}\n\n"
                             "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
  EXPECT_EQ(r.finish_reason, "length");
  EXPECT_TRUE(r.done);
}

TEST(StreamDecoderAnthropic, HttpErrorBody) {
  ChatResult r = DecodeWhole(ProviderKind::Anthropic,
                             R"({"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}})",
                             401, {{"content-type", "application/json"}});
  EXPECT_EQ(r.error.id, "http.401");
  EXPECT_EQ(r.error.error_type, "authentication_error");
  EXPECT_EQ(r.error.message, "HTTP 401 (invalid API key): invalid x-api-key");
}

TEST(ParseChatResponse, AnthropicNonStreamedMessage) {
  const char* body =
      R"({"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"thinking","thinking":"t"},{"type":"text","text":"Answer","citations":[{"type":"web_search_result_location","url":"https://c","title":"C","cited_text":"quote"}]}],"stop_reason":"end_turn","usage":{"input_tokens":3,"output_tokens":4}})";
  ChatResult r = ParseChatResponse(ProviderKind::Anthropic, 200, {}, body);
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "Answer");
  EXPECT_EQ(r.reasoning, "t");
  EXPECT_EQ(r.finish_reason, "stop");
  EXPECT_EQ(r.usage.prompt_tokens, 3);
  EXPECT_EQ(r.usage.completion_tokens, 4);
  ASSERT_EQ(r.citations.size(), 1u);
  EXPECT_EQ(r.citations[0].content, "quote");
}

// ---- [SECTION] ParseChatResponse -----------------------------------------------------------

TEST(ParseChatResponse, OpenRouterCompletionWithAnnotations) {
  const char* body =
      R"({"id":"gen-2","model":"openai/gpt-5","choices":[{"message":{"role":"assistant","content":"Yes.","annotations":[{"type":"url_citation","url_citation":{"url":"https://x","title":"X","content":"c","start_index":1,"end_index":2}}]},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2,"cost":0.01}})";
  ChatResult r = ParseChatResponse(ProviderKind::OpenRouter, 200, {}, body);
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "Yes.");
  EXPECT_EQ(r.generation_id, "gen-2");
  ASSERT_EQ(r.citations.size(), 1u);
  EXPECT_DOUBLE_EQ(r.usage.cost, 0.01);
}

TEST(ParseChatResponse, ErrorObjectWithSuccessStatus) {
  ChatResult r = ParseChatResponse(ProviderKind::OpenRouter, 200, {}, k402);
  EXPECT_EQ(r.error.id, "http.402");
  EXPECT_EQ(r.error.error_type, "payment_required");
  ChatResult o = ParseChatResponse(ProviderKind::OpenAICompatible, 200, {}, R"({"error":"model 'x' not found"})");
  EXPECT_EQ(o.error.id, "http.bad_body");
  EXPECT_NE(o.error.message.find("model 'x' not found"), std::string::npos);
}

TEST(ParseChatResponse, UnreadableBodies) {
  EXPECT_EQ(ParseChatResponse(ProviderKind::OpenRouter, 200, {}, "").error.id, "http.empty_body");
  EXPECT_EQ(ParseChatResponse(ProviderKind::OpenRouter, 200, {}, "hello").error.id, "http.bad_body");
  EXPECT_EQ(ParseChatResponse(ProviderKind::OpenRouter, 200, {}, "{}").error.id, "http.bad_body");
  EXPECT_EQ(ParseChatResponse(ProviderKind::OpenRouter, 200, {}, "[1]").error.id, "http.bad_body");
  EXPECT_EQ(ParseChatResponse(ProviderKind::OpenRouter, 500, {}, "{}").error.id, "http.500");
}

// ---- [SECTION] ParseHttpError --------------------------------------------------------------

TEST(ParseHttpError, OpenRouter401) {
  CallError e = ParseHttpError(401, {}, k401);
  EXPECT_EQ(e.id, "http.401");
  EXPECT_EQ(e.http_status, 401);
  EXPECT_EQ(e.code, "401");
  EXPECT_EQ(e.message, "HTTP 401 (invalid API key): No auth credentials found");
  EXPECT_FALSE(e.retryable);
  EXPECT_LT(e.retry_after_s, 0);
}

TEST(ParseHttpError, ProviderReturnedErrorSaysWhatTheProviderSaid) {
  const CallError e = ParseHttpError(400, {}, R"({"error":{"code":400,"message":"Provider returned error","metadata":{"provider_name":"OpenAI",)"
                                              R"("raw":"{\"error\":{\"message\":\"max_tokens is too large: 40000. This model supports at most 16384.\"}}"}}})");
  EXPECT_EQ(e.message, "HTTP 400 (bad request): Provider returned error (the provider said: max_tokens is too large: 40000. "
                       "This model supports at most 16384.) [provider: OpenAI]");
  // Plain text in raw; and a raw that only repeats the message adds nothing.
  EXPECT_NE(ParseHttpError(502, {}, R"({"error":{"code":502,"message":"Provider returned error","metadata":{"raw":"upstream connect error"}}})")
                .message.find("(the provider said: upstream connect error)"),
            std::string::npos);
  EXPECT_EQ(ParseHttpError(502, {}, R"({"error":{"code":502,"message":"Overloaded","metadata":{"raw":"Overloaded"}}})").message,
            "HTTP 502 (model down or bad reply): Overloaded");
  // The same inside a stream.
  ChatResult r = DecodeWhole(ProviderKind::OpenRouter,
                             "data: {\"error\":{\"code\":502,\"message\":\"Provider returned error\",\"metadata\":{\"provider_name\":\"Groq\","
                             "\"raw\":{\"error\":{\"message\":\"context_length_exceeded\"}}}},\"choices\":[]}\n\n");
  EXPECT_NE(r.error.message.find("Provider returned error (the provider said: context_length_exceeded) [provider: Groq]"), std::string::npos)
      << r.error.message;
}

TEST(ParseHttpError, OpenRouter402) {
  CallError e = ParseHttpError(402, {}, k402);
  EXPECT_EQ(e.id, "http.402");
  EXPECT_EQ(e.error_type, "payment_required");
  EXPECT_EQ(e.message.rfind("HTTP 402 (out of credits): Insufficient credits", 0), 0u) << e.message;
  EXPECT_FALSE(e.retryable);
}

TEST(ParseHttpError, OpenRouter403ModerationReasons) {
  CallError e = ParseHttpError(403, {}, k403);
  EXPECT_EQ(e.message, "HTTP 403 (blocked by moderation: harassment, violence): Input was flagged [provider: OpenAI]");
}

TEST(ParseHttpError, OpenRouter429WithRetryAfter) {
  CallError e = ParseHttpError(429, {{"retry-after", "7"}}, k429);
  EXPECT_EQ(e.id, "http.429");
  EXPECT_EQ(e.error_type, "rate_limit_exceeded");
  EXPECT_TRUE(e.retryable);
  EXPECT_DOUBLE_EQ(e.retry_after_s, 7);
  EXPECT_EQ(e.message, "HTTP 429 (rate limited): Rate limit exceeded: free-models-per-min.");
}

TEST(ParseHttpError, RetryAfterHttpDateMeansFiveSeconds) {
  CallError e = ParseHttpError(429, {{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}, k429);
  EXPECT_DOUBLE_EQ(e.retry_after_s, 5);
}

TEST(ParseHttpError, OpenRouter503WithAvailability) {
  CallError e = ParseHttpError(503, {}, k503);
  EXPECT_EQ(e.id, "http.503");
  EXPECT_TRUE(e.retryable);
  EXPECT_DOUBLE_EQ(e.retry_after_s, 30);
  EXPECT_EQ(e.error_type, "provider_overloaded");
  EXPECT_EQ(e.message.rfind("HTTP 503 (no provider available): No allowed providers", 0), 0u) << e.message;
}

TEST(ParseHttpError, AvailabilityRetryableOverridesStatus) {
  CallError e = ParseHttpError(400, {}, R"({"error":{"code":400,"message":"m","availability":{"retryable":true}}})");
  EXPECT_TRUE(e.retryable);
  EXPECT_FALSE(ParseHttpError(400, {}, R"({"error":{"code":400,"message":"m"}})").retryable);
}

TEST(ParseHttpError, OpenAIShape) {
  CallError e = ParseHttpError(
      429, {}, R"({"error":{"message":"You exceeded your current quota","type":"insufficient_quota","param":null,"code":"insufficient_quota"}})");
  EXPECT_EQ(e.error_type, "insufficient_quota");
  EXPECT_EQ(e.code, "insufficient_quota");
  EXPECT_EQ(e.message, "HTTP 429 (rate limited): You exceeded your current quota");
}

TEST(ParseHttpError, AnthropicShape) {
  CallError e = ParseHttpError(529, {}, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
  EXPECT_EQ(e.id, "http.529");
  EXPECT_EQ(e.error_type, "overloaded_error");
  EXPECT_TRUE(e.retryable);
  EXPECT_EQ(e.message, "HTTP 529 (overloaded): Overloaded");
}

TEST(ParseHttpError, HtmlPageUsesTitle) {
  CallError e = ParseHttpError(502, {}, kHtml502);
  EXPECT_EQ(e.id, "http.html_body");
  EXPECT_EQ(e.http_status, 502);
  EXPECT_TRUE(e.retryable);
  EXPECT_EQ(e.message, "HTTP 502: the server answered with an HTML page instead of JSON: openrouter.ai | 502: Bad gateway");
}

TEST(ParseHttpError, HtmlPageWithoutTitleIsStripped) {
  CallError e = ParseHttpError(
      504, {{"content-type", "text/html"}},
      "  <html><script>var x = '<b>';</script><body><h1>Gateway   Timeout</h1>\n<p>nginx</p></body></html>");
  EXPECT_EQ(e.id, "http.html_body");
  EXPECT_EQ(e.message, "HTTP 504: the server answered with an HTML page instead of JSON: Gateway Timeout nginx");
  std::string big = "<p>" + std::string(500, 'a') + "</p>";
  EXPECT_LT(ParseHttpError(500, {}, big).message.size(), 200u);
}

TEST(ParseHttpError, EmptyBody) {
  CallError e = ParseHttpError(503, {}, " \n");
  EXPECT_EQ(e.id, "http.503");
  EXPECT_EQ(e.message, "HTTP 503: empty response");
  EXPECT_TRUE(e.retryable);
}

TEST(ParseHttpError, PlainTextAndOddBodies) {
  EXPECT_EQ(ParseHttpError(502, {}, "Bad Gateway\n").message, "HTTP 502 (model down or bad reply): Bad Gateway");
  EXPECT_EQ(ParseHttpError(404, {}, R"({"error":"model 'llama9' not found"})").message,
            "HTTP 404 (not found): model 'llama9' not found");
  EXPECT_EQ(ParseHttpError(422, {}, R"({"detail":"bad field"})").message, "HTTP 422: bad field");
  EXPECT_EQ(ParseHttpError(418, {}, "[]").message, "HTTP 418: []");
  EXPECT_EQ(ParseHttpError(408, {}, "{}").message, "HTTP 408 (timed out at the provider)");
  EXPECT_TRUE(ParseHttpError(408, {}, "{}").retryable);
}

// ---- [SECTION] NetError --------------------------------------------------------------------

TEST(NetError, EveryFailureKind) {
  CallError u = NetError(NetFailure::Unreachable, "https://api.example.com/v1/chat/completions", "");
  EXPECT_EQ(u.id, "net.unreachable");
  EXPECT_EQ(u.message,
            "blocked by CORS or unreachable: https://api.example.com/v1/chat/completions (the browser does not say "
            "which; check the console)");
  EXPECT_FALSE(u.retryable);
  EXPECT_EQ(u.http_status, 0);
  CallError t = NetError(NetFailure::Timeout, "u", "");
  EXPECT_EQ(t.id, "net.timeout");
  EXPECT_EQ(t.message, "timed out after the total time limit");
  EXPECT_FALSE(t.retryable);
  CallError i = NetError(NetFailure::IdleTimeout, "u", "");
  EXPECT_EQ(i.id, "net.idle_timeout");
  EXPECT_EQ(i.message, "no data for too long (idle timeout)");
  EXPECT_FALSE(i.retryable);
  CallError a = NetError(NetFailure::Aborted, "u", "");
  EXPECT_EQ(a.id, "net.aborted");
  EXPECT_EQ(a.message, "cancelled");
}

TEST(NetError, DetailIsAppended) {
  CallError e = NetError(NetFailure::Unreachable, "http://x", "TypeError: Failed to fetch");
  EXPECT_NE(e.message.find("check the console) - TypeError: Failed to fetch"), std::string::npos) << e.message;
}

// ---- [SECTION] ParseCatalogue --------------------------------------------------------------

TEST(ParseCatalogue, OpenRouterModels) {
  const char* body = R"({"data":[
    {"id":"google/gemini-3-flash","canonical_slug":"google/gemini-3-flash-001","name":"Google: Gemini 3 Flash","context_length":1048576,
     "architecture":{"input_modalities":["text","image"],"output_modalities":["text"]},
     "pricing":{"prompt":"0.0000003","completion":"0.0000025","request":"0","image":"0","web_search":"0.01","internal_reasoning":"0"},
     "top_provider":{"context_length":1048576,"max_completion_tokens":65535,"is_moderated":false},
     "supported_parameters":["max_tokens","temperature","tools","structured_outputs","response_format"],
     "expiration_date":null},
    {"id":"openrouter/auto","name":"Auto Router","context_length":2000000,"pricing":{"prompt":"-1","completion":"-1"},
     "top_provider":{"max_completion_tokens":null},"supported_parameters":["response_format"],"expiration_date":"2026-12-31"},
    "not an object", {"name":""}, {"id":"x/y","pricing":"free","supported_parameters":"tools","context_length":"big"}
  ]})";
  std::vector<ModelInfo> out;
  std::string err;
  ASSERT_TRUE(ParseCatalogue(body, out, err)) << err;
  ASSERT_EQ(out.size(), 3u);
  const ModelInfo& g = out[0];
  EXPECT_EQ(g.id, "google/gemini-3-flash");
  EXPECT_EQ(g.name, "Google: Gemini 3 Flash");
  EXPECT_EQ(g.context_length, 1048576);
  EXPECT_DOUBLE_EQ(g.price_prompt, 0.0000003);
  EXPECT_DOUBLE_EQ(g.price_completion, 0.0000025);
  EXPECT_DOUBLE_EQ(g.price_web_search, 0.01);
  EXPECT_TRUE(g.structured_outputs);
  EXPECT_TRUE(g.tools);
  EXPECT_EQ(g.max_completion_tokens, 65535);
  EXPECT_EQ(g.expiration_date, "");
  const ModelInfo& a = out[1];
  EXPECT_DOUBLE_EQ(a.price_prompt, 0);  // "-1" means variable: unknown
  EXPECT_TRUE(a.structured_outputs);
  EXPECT_FALSE(a.tools);
  EXPECT_EQ(a.expiration_date, "2026-12-31");
  EXPECT_EQ(out[2].id, "x/y");
  EXPECT_EQ(out[2].name, "x/y");
  EXPECT_EQ(out[2].context_length, 0);
}

TEST(ParseCatalogue, OpenAIStyleList) {
  std::vector<ModelInfo> out;
  std::string err;
  ASSERT_TRUE(ParseCatalogue(
      R"({"object":"list","data":[{"id":"gpt-5","object":"model","created":1,"owned_by":"openai"},{"id":"llama3.2:latest","object":"model"}]})",
      out, err));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].id, "gpt-5");
  EXPECT_EQ(out[0].name, "gpt-5");
  EXPECT_DOUBLE_EQ(out[0].price_prompt, 0);
  EXPECT_FALSE(out[0].structured_outputs);
}

TEST(ParseCatalogue, OllamaTagsAndAnthropicList) {
  std::vector<ModelInfo> out;
  std::string err;
  ASSERT_TRUE(ParseCatalogue(R"({"models":[{"name":"qwen3:8b","model":"qwen3:8b","size":5000000000}]})", out, err));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id, "qwen3:8b");
  ASSERT_TRUE(ParseCatalogue(
      R"({"data":[{"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"}],"has_more":false})",
      out, err));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "Claude Sonnet 4.5");
}

TEST(ParseCatalogue, BadBodies) {
  std::vector<ModelInfo> out(1);
  std::string err;
  EXPECT_FALSE(ParseCatalogue("<html>nope</html>", out, err));
  EXPECT_NE(err.find("not JSON"), std::string::npos) << err;
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(ParseCatalogue(R"({"error":{"message":"No auth"}})", out, err));
  EXPECT_NE(err.find("no \"data\" array"), std::string::npos) << err;
  EXPECT_NE(err.find("No auth"), std::string::npos) << err;
  EXPECT_FALSE(ParseCatalogue("", out, err));
  EXPECT_FALSE(ParseCatalogue("42", out, err));
  EXPECT_TRUE(ParseCatalogue(R"({"data":[]})", out, err));
  EXPECT_TRUE(out.empty());
}

// ---- [SECTION] CallCost --------------------------------------------------------------------

TEST(CallCost, ReportedCostWins) {
  Usage u;
  u.prompt_tokens = 1000;
  u.cost = 0.25;
  u.has_cost = true;
  ModelInfo m;
  m.price_prompt = 1;
  EXPECT_DOUBLE_EQ(CallCost(u, &m), 0.25);
  EXPECT_DOUBLE_EQ(CallCost(u, nullptr), 0.25);
}

TEST(CallCost, CataloguePricesTimesTokens) {
  Usage u;
  u.prompt_tokens = 1000;
  u.completion_tokens = 500;
  u.web_search_requests = 2;
  ModelInfo m;
  m.price_prompt = 0.000001;
  m.price_completion = 0.000002;
  m.price_request = 0.001;
  m.price_web_search = 0.004;
  EXPECT_DOUBLE_EQ(CallCost(u, &m), 0.001 + 0.001 + 0.001 + 0.008);
  EXPECT_DOUBLE_EQ(CallCost(u, nullptr), 0);
}

}  // namespace
}  // namespace concord
