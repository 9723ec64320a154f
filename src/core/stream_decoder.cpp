// Streamed chat replies: StreamDecoder turns SSE events (OpenAI-style deltas or Anthropic message
// events) into a ChatResult, and reads the reply as a whole body when it turns out not to be a stream.
#include "provider_internal.h"

namespace concord {

using namespace provider_detail;

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
    r.unterminated = r.finish_reason.empty();
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
    r.refusal += GetStr(*delta, "refusal");
    ReadAnnotations(GetArr(*delta, "annotations"), r.citations);
  } else {
    // Some servers send whole-message chunks instead of deltas.
    r.content += ContentText(msg);
    r.reasoning += ReasoningText(msg);
    r.refusal += GetStr(msg, "refusal");
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

}  // namespace concord
