// Incremental Server-Sent Events parser: bytes in, events out (WHATWG "event stream" rules).
#include "sse.h"

namespace concord {

void SseParser::feed(const char* data, size_t n, std::vector<SseEvent>& out) {
  if (!data || n == 0) return;
  size_t i = 0;
  // A CRLF split across two chunks: the CR already ended the line, so skip the LF.
  if (last_cr_) {
    last_cr_ = false;
    if (data[0] == '\n') i = 1;
  }
  size_t start = i;
  while (i < n) {
    const char c = data[i];
    if (c != '\n' && c != '\r') { ++i; continue; }
    line_.append(data + start, i - start);
    line(out);
    if (c == '\r') {
      if (i + 1 < n) {
        if (data[i + 1] == '\n') ++i;  // CRLF within this chunk
      } else {
        last_cr_ = true;  // maybe the first half of a CRLF; decided by the next chunk
      }
    }
    start = ++i;
  }
  line_.append(data + start, n - start);
}

void SseParser::finish(std::vector<SseEvent>& out) {
  // The stream may end without the blank line that normally closes an event; we still
  // deliver it (servers that drop the connection right after the last data line exist).
  if (!line_.empty()) line(out);
  dispatch(out);
  last_cr_ = false;
}

void SseParser::reset() {
  line_.clear();
  cur_ = SseEvent{};
  has_data_ = false;
  last_cr_ = false;
  first_line_ = true;
  comments_ = 0;
}

void SseParser::dispatch(std::vector<SseEvent>& out) {
  // Per the spec, an event without any data line is not dispatched; "id" is sticky
  // (it is the stream's last event id) while "event" and "data" start afresh.
  if (has_data_) out.push_back(cur_);
  cur_.event.clear();
  cur_.data.clear();
  has_data_ = false;
}

void SseParser::line(std::vector<SseEvent>& out) {
  std::string l;
  l.swap(line_);
  if (first_line_) {
    first_line_ = false;
    if (l.compare(0, 3, "\xEF\xBB\xBF") == 0) l.erase(0, 3);
  }
  if (l.empty()) { dispatch(out); return; }
  if (l[0] == ':') { ++comments_; return; }  // keep-alive, e.g. ": OPENROUTER PROCESSING"

  std::string field, value;
  const size_t colon = l.find(':');
  if (colon == std::string::npos) {
    field = l;  // a field name alone means an empty value
  } else {
    field = l.substr(0, colon);
    size_t v = colon + 1;
    if (v < l.size() && l[v] == ' ') ++v;  // exactly one optional space
    value = l.substr(v);
  }
  if (field == "data") {
    if (has_data_) cur_.data += '\n';
    cur_.data += value;
    has_data_ = true;
  } else if (field == "event") {
    cur_.event = value;
  } else if (field == "id") {
    if (value.find('\0') == std::string::npos) cur_.id = value;
  }
  // "retry" and unknown fields are ignored: the transport owns reconnection policy.
}

}  // namespace concord
