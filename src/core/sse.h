// Incremental Server-Sent Events parser (pure, no I/O).
// Feed raw bytes as they arrive (any split, LF or CRLF, UTF-8 split across chunks);
// complete events come out. Comment lines (": OPENROUTER PROCESSING") are counted,
// not emitted as events. Multi-line "data:" fields are joined with '\n'.
#pragma once
#include <string>
#include <vector>

namespace concord {

struct SseEvent {
  std::string event;  // value of "event:" ("" when absent = "message")
  std::string data;   // joined data lines
  std::string id;
};

class SseParser {
 public:
  // Appends complete events to `out`. Never throws. Bytes of an incomplete line are kept.
  void feed(const char* data, size_t n, std::vector<SseEvent>& out);
  void feed(const std::string& s, std::vector<SseEvent>& out) { feed(s.data(), s.size(), out); }
  // End of stream: flushes a final event that was not followed by a blank line.
  void finish(std::vector<SseEvent>& out);
  size_t comments() const { return comments_; }  // keep-alive comment lines seen
  size_t buffered() const { return line_.size(); }
  void reset();

 private:
  std::string line_;
  SseEvent cur_;
  bool has_data_ = false;
  bool last_cr_ = false;      // the previous chunk ended in CR: a leading LF in the next one belongs to it
  bool first_line_ = true;    // a UTF-8 BOM at the very start of the stream is dropped (per the SSE spec)
  size_t comments_ = 0;
  void line(std::vector<SseEvent>& out);
  void dispatch(std::vector<SseEvent>& out);
};

}  // namespace concord
