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
  flush_think(r);
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

namespace {
constexpr const char kThinkOpen[] = "<think>";
constexpr const char kThinkClose[] = "</think>";
constexpr size_t kOpenLen = sizeof kThinkOpen - 1, kCloseLen = sizeof kThinkClose - 1;
size_t FirstNonSpace(const std::string& s) {
  size_t i = 0;
  while (i < s.size() && IsSpace(s[i])) ++i;
  return i;
}
}  // namespace

bool SplitThinkBlock(std::string& content, std::string& reasoning) {
  const size_t i = FirstNonSpace(content);
  if (content.compare(i, kOpenLen, kThinkOpen) != 0) return false;
  const size_t close = content.find(kThinkClose, i + kOpenLen);
  if (close == std::string::npos) {
    reasoning += content.substr(i + kOpenLen);
    content.clear();
    return true;
  }
  reasoning += content.substr(i + kOpenLen, close - i - kOpenLen);
  std::string after = content.substr(close + kCloseLen);
  content = after.substr(FirstNonSpace(after));
  return true;
}

// Streamed content goes through here: while it may open with a think block it is held back (a
// few bytes), inside one it becomes reasoning, and after it (or without one) it is the answer.
void StreamDecoder::add_content(const std::string& piece, ChatResult& r) {
  if (think_ == Think::Plain) {
    if (after_think_ && r.content.empty()) {
      r.content += piece.substr(FirstNonSpace(piece));
      return;
    }
    r.content += piece;
    return;
  }
  think_buf_ += piece;
  if (think_ == Think::Undecided) {
    const size_t i = FirstNonSpace(think_buf_);
    if (i == think_buf_.size()) return;
    const std::string rest = think_buf_.substr(i);
    if (rest.size() < kOpenLen && std::string(kThinkOpen).compare(0, rest.size(), rest) == 0) return;  // "<thi": wait
    if (rest.compare(0, kOpenLen, kThinkOpen) != 0) {
      think_ = Think::Plain;
      r.content += think_buf_;
      think_buf_.clear();
      return;
    }
    think_ = Think::Inside;
    think_buf_ = rest.substr(kOpenLen);
  }
  const size_t close = think_buf_.find(kThinkClose);
  if (close == std::string::npos) {  // all reasoning but a tail that may begin "</think>"
    const size_t keep = std::min(think_buf_.size(), kCloseLen - 1);
    r.reasoning += think_buf_.substr(0, think_buf_.size() - keep);
    think_buf_.erase(0, think_buf_.size() - keep);
    return;
  }
  r.reasoning += think_buf_.substr(0, close);
  const std::string after = think_buf_.substr(close + kCloseLen);
  think_ = Think::Plain;
  after_think_ = true;
  think_buf_.clear();
  r.content += after.substr(FirstNonSpace(after));
}

// At the end: held-back text is what it was on its way to be.
void StreamDecoder::flush_think(ChatResult& r) {
  if (think_ == Think::Inside) r.reasoning += think_buf_;
  else r.content += think_buf_;
  think_buf_.clear();
  think_ = Think::Plain;
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
    add_content(ContentText(*delta), r);
    r.reasoning += ReasoningText(*delta);
    r.refusal += GetStr(*delta, "refusal");
    ReadAnnotations(GetArr(*delta, "annotations"), r.citations);
  } else {
    // Some servers send whole-message chunks instead of deltas.
    add_content(ContentText(msg), r);
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
