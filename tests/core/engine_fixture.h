// Shared by the engine test files: SSE/body builders for OpenRouter's wire format, request
// inspection helpers and EngineTest, a FusionEngine over ScriptedTransport on a virtual clock.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "jsonutil.h"
#include "run.h"
#include "transport.h"

namespace concord {
namespace test {

using Steps = std::vector<ScriptedTransport::Step>;
using Kind = TransportEvent::Kind;

// ---- SSE and body builders ------------------------------------------------------------------

inline std::string Chunk(const std::string& content) {
  json j = {{"id", "gen-test"},
            {"object", "chat.completion.chunk"},
            {"choices", json::array({{{"index", 0},
                                      {"delta", {{"role", "assistant"}, {"content", content}}},
                                      {"finish_reason", nullptr}}})}};
  return "data: " + Dump(j) + "\n\n";
}

inline std::string FinishChunk(double cost, int64_t prompt_tokens = 10, int64_t completion_tokens = 20, const char* finish = "stop") {
  json usage = {{"prompt_tokens", prompt_tokens}, {"completion_tokens", completion_tokens},
                {"total_tokens", prompt_tokens + completion_tokens}};
  if (cost >= 0) usage["cost"] = cost;
  json j = {{"id", "gen-test"},
            {"object", "chat.completion.chunk"},
            {"choices", json::array({{{"index", 0}, {"delta", {{"content", ""}}}, {"finish_reason", finish}}})},
            {"usage", usage}};
  return "data: " + Dump(j) + "\n\n";
}

inline const std::string kDone = "data: [DONE]\n\n";

// Splits text into about `n` pieces, never inside a UTF-8 sequence (each piece is JSON-encoded).
inline std::vector<std::string> Pieces(const std::string& text, size_t n) {
  std::vector<std::string> out;
  size_t step = std::max<size_t>(1, text.size() / n), i = 0;
  while (i < text.size()) {
    size_t e = std::min(text.size(), i + step);
    while (e < text.size() && (static_cast<unsigned char>(text[e]) & 0xC0) == 0x80) ++e;
    out.push_back(text.substr(i, e - i));
    i = e;
  }
  return out;
}

// A complete streamed answer: content in a few chunks, a finish chunk with usage (and cost
// when cost >= 0), then [DONE].
inline Steps Answer(const std::string& text, double cost = 0.001, double first = 0.05, double gap = 0.01) {
  std::vector<std::string> chunks;
  for (auto& p : Pieces(text, 3)) chunks.push_back(Chunk(p));
  chunks.push_back(FinishChunk(cost));
  chunks.push_back(kDone);
  return ScriptedTransport::Sse(chunks, first, gap);
}

// A judge analysis as JSON text.
inline std::string AnalysisText(const std::string& final_answer, const std::vector<std::string>& labels = {"A", "B", "C"}) {
  json j = {{"consensus", json::array({{{"claim", "Paris is the capital of France"}, {"models", labels}, {"confidence", 0.9}}})},
            {"contradictions", json::array()},
            {"partial_coverage", json::array()},
            {"unique_insights", json::array()},
            {"blind_spots", json::array({"Population figures"})},
            {"final_answer", final_answer}};
  return Dump(j);
}

// Headers, then data, and never an End: a stream that hangs.
inline Steps Hanging(const std::vector<std::string>& chunks, double first = 0.05) {
  Steps s = ScriptedTransport::Sse(chunks, first, 0.01);
  s.pop_back();  // drop End
  return s;
}

inline std::string ErrorBody(int code, const std::string& msg) {
  return Dump(json{{"error", {{"code", code}, {"message", msg}}}});
}

// ---- request inspection -----------------------------------------------------------------------

inline std::string ModelOf(const HttpRequest& r) { return GetStr(ParseJson(r.body), "model"); }

// Content of the last message with `role` in a chat request body.
inline std::string MessageText(const HttpRequest& r, const std::string& role) {
  std::string out;
  const json body = ParseJson(r.body);  // GetArr returns a reference into it: keep it alive
  for (auto& m : GetArr(body, "messages"))
    if (GetStr(m, "role") == role) out = GetStr(m, "content");
  return out;
}

inline std::string HeaderOf(const HttpRequest& r, const std::string& name) {
  for (auto& h : r.headers)
    if (h.first == name) return h.second;
  return "";
}

inline bool Contains(const std::vector<RequestId>& v, RequestId id) { return std::find(v.begin(), v.end(), id) != v.end(); }

inline const char* kKey = "sk-or-v1-test-key-0123456789";
// What tells a judge's analysis call from the other calls of the same model, by structure, not
// by prompt wording: it asks for the analysis schema.
inline const char* kAnalysisCall = "\"response_format\"";

inline Endpoint TestEndpoint() {
  Endpoint e;
  e.id = "or";
  e.kind = ProviderKind::OpenRouter;
  e.base_url = "https://openrouter.test/api/v1";
  e.api_key = kKey;
  return e;
}

// ---- fixture ----------------------------------------------------------------------------------

class EngineTest : public ::testing::Test {
 protected:
  ScriptedTransport t;
  FusionEngine engine{t, {TestEndpoint()}};

  static RunConfig Config(std::vector<std::string> panel = {"m/alpha", "m/beta", "m/gamma"},
                          std::vector<std::string> judges = {"j/judge"}) {
    RunConfig c;
    c.prompt = "What is the capital of France?";
    for (auto& m : panel) c.panel.push_back({"or", m, -1});
    for (auto& j : judges) c.judges.push_back({"or", j, -1});
    return c;
  }

  // Scripts the reply of every request for `model` (first matching rule wins, so add
  // one-shot rules before the rule that answers the rest).
  void Script(const std::string& model, Steps steps, int uses = -1, const std::string& body_extra = "") {
    ScriptedTransport::Rule r;
    r.body_contains = body_extra.empty() ? "\"model\":\"" + model + "\"" : body_extra;
    r.url_contains = "/chat/completions";
    r.steps = std::move(steps);
    r.uses_left = uses;
    t.add(std::move(r));
  }
  // The next call in a role ("writer" / "judge", the request's tag) gets this reply: rules are
  // used once each, in the order they were added.
  void Next(const std::string& role, Steps steps) {
    ScriptedTransport::Rule r;
    r.url_contains = "/chat/completions";
    r.tag = role;
    r.steps = std::move(steps);
    r.uses_left = 1;
    t.add(std::move(r));
  }
  void ScriptJudge(const std::string& analysis_text, const std::string& model = "j/judge", double cost = 0.01) {
    Script(model, Answer(analysis_text, cost));
  }
  void ScriptHappyPanel() {
    Script("m/alpha", Answer("Alpha says Paris is the capital of France.", 0.001));
    Script("m/beta", Answer("Beta says Paris, on the Seine.", 0.002));
    Script("m/gamma", Answer("Gamma says the capital is Paris, population about two million.", 0.003));
  }

  // Advances the virtual clock in exact millisecond steps and lets the engine see each one.
  void Step(double dt = 0.01) {
    t.set_time(std::round((t.now() + dt) * 1000.0) / 1000.0);
    engine.pump();
  }
  void RunFor(double seconds, double dt = 0.01) {
    const double end = t.now() + seconds - 1e-9;
    while (t.now() < end) Step(dt);
  }
  // Runs until the engine is idle (or `max_s` virtual seconds pass). Returns true when idle.
  bool RunUntilIdle(double max_s = 400, double dt = 0.01) {
    engine.pump();
    const double end = t.now() + max_s;
    while (engine.busy() && t.now() < end) Step(dt);
    return !engine.busy();
  }

  std::vector<HttpRequest> RequestsFor(const std::string& model) const {
    std::vector<HttpRequest> v;
    for (auto& r : t.sent)
      if (ModelOf(r) == model) v.push_back(r);
    return v;
  }
  const Call& M(size_t i) const { return engine.run().members.at(i); }
  const FusionRun& R() const { return engine.run(); }
};

}  // namespace test
}  // namespace concord
