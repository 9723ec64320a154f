// libFuzzer target: arbitrary bytes, split arbitrarily, through SseParser and StreamDecoder
// (all three provider kinds) and the whole-body parsers. It must never crash, and feeding
// in pieces must give exactly what feeding at once gives.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "provider.h"
#include "sse.h"

using namespace concord;

namespace {

// Splits `s` into pieces whose lengths come from a small PRNG seeded by the input itself,
// so the fuzzer explores split points by mutating the seed bytes.
std::vector<std::string> Split(const std::string& s, uint32_t seed) {
  std::vector<std::string> out;
  size_t i = 0;
  uint32_t x = seed | 1u;
  while (i < s.size()) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;  // xorshift32
    size_t n = 1 + x % 17;
    if (n > s.size() - i) n = s.size() - i;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

std::string ShowEvents(const std::vector<SseEvent>& evs) {
  std::string s;
  for (const auto& e : evs) {
    s += e.event; s += '\x01'; s += e.id; s += '\x01'; s += e.data; s += '\x02';
  }
  return s;
}

std::string ShowResult(const ChatResult& r) {
  std::string s = r.content + '\x01' + r.reasoning + '\x01' + r.finish_reason + '\x01' + r.generation_id + '\x01' +
                  r.model + '\x01' + (r.done ? "1" : "0") + (r.has_usage ? "1" : "0") + '\x01' + r.error.id + '\x01' +
                  r.error.message + '\x01' + r.error.code + '\x01' + r.error.error_type + '\x01' +
                  std::to_string(r.usage.prompt_tokens) + ',' + std::to_string(r.usage.completion_tokens) + ',' +
                  std::to_string(r.usage.reasoning_tokens) + ',' + std::to_string(r.usage.cached_tokens) + ',' +
                  std::to_string(r.usage.web_search_requests) + ',' + std::to_string(r.usage.cost) + ',' +
                  std::to_string(r.error.retry_after_s);
  for (const auto& c : r.citations)
    s += '\x02' + c.url + '\x01' + c.title + '\x01' + c.content + std::to_string(c.start_index) + ',' +
         std::to_string(c.end_index);
  return s;
}

ChatResult Decode(ProviderKind k, int status, const std::map<std::string, std::string>& h,
                  const std::vector<std::string>& chunks) {
  StreamDecoder d(k);
  ChatResult r;
  d.on_headers(status, h, r);
  for (const auto& c : chunks) d.on_data(c, r);
  d.on_end(r);
  return r;
}

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t mode = data[0];
  const uint32_t seed = static_cast<uint32_t>(data[1]) * 2654435761u + static_cast<uint32_t>(size);
  const std::string body(reinterpret_cast<const char*>(data + 2), size - 2);
  const auto pieces = Split(body, seed);

  // SseParser: whole == random pieces == single bytes.
  {
    SseParser a, b, c;
    std::vector<SseEvent> ea, eb, ec;
    a.feed(body, ea);
    a.finish(ea);
    for (const auto& p : pieces) b.feed(p, eb);
    b.finish(eb);
    for (char ch : body) c.feed(&ch, 1, ec);
    c.finish(ec);
    const std::string want = ShowEvents(ea);
    Check(ShowEvents(eb) == want);
    Check(ShowEvents(ec) == want);
    Check(a.comments() == b.comments() && b.comments() == c.comments());
  }

  // StreamDecoder for every kind, under a header set picked by the first byte.
  static const char* kTypes[] = {"text/event-stream", "application/json", "", "text/html", "text/plain"};
  static const int kStatus[] = {200, 200, 429, 503, 401, 0};
  std::map<std::string, std::string> h;
  const char* ct = kTypes[mode % 5];
  if (*ct) h["content-type"] = ct;
  if (mode & 0x40) h["retry-after"] = "3";
  if (mode & 0x80) h["x-generation-id"] = "gen-fuzz";
  const int status = kStatus[(mode / 5) % 6];
  for (ProviderKind k : {ProviderKind::OpenRouter, ProviderKind::OpenAICompatible, ProviderKind::Anthropic}) {
    const std::string whole = ShowResult(Decode(k, status, h, {body}));
    Check(ShowResult(Decode(k, status, h, pieces)) == whole);
    ParseChatResponse(k, status, h, body);
  }

  // Whole-body parsers.
  ParseHttpError(status ? status : 500, h, body);
  std::vector<ModelInfo> models;
  std::string err;
  ParseCatalogue(body, models, err);
  for (const auto& m : models) {
    Usage u;
    u.prompt_tokens = 1000;
    u.completion_tokens = 1000;
    CallCost(u, &m);
  }
  return 0;
}
