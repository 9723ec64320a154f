// The one HTTP transport interface the engine talks to.
// Implementations: the web transport (src/platform/web, emscripten_fetch + a JS streaming
// bridge) and ScriptedTransport (tests, benchmarks). Nothing here blocks or throws:
// send() returns at once, and events are collected by poll() on the caller's loop
// (once per frame), never delivered in the middle of drawing.
#pragma once
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace concord {

using RequestId = uint32_t;  // 0 is never a valid id

struct HttpRequest {
  std::string method = "POST";
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool stream = false;         // true: body arrives as Data events while it streams
  // What the call is for ("member", "judge", "writer", ...; empty for side requests). Never
  // sent: it names the role for ScriptedTransport's rules and for logs, so nothing has to
  // recognise a call by its prompt's wording.
  std::string tag;
  // No timeouts here: the engine (chat calls) and WholeBody (everything else) enforce them
  // on now(), so every transport behaves the same.
};

// Network-level failure kinds (no HTTP status could be read).
// Lost: the connection broke after the response had begun (a reset, a proxy dropping it,
// an HTTP chunk cut short): what arrived before it is real.
enum class NetFailure { None, Unreachable, Timeout, IdleTimeout, Aborted, Lost };

struct TransportEvent {
  enum class Kind { Headers, Data, End, Fail };
  RequestId id = 0;
  Kind kind = Kind::End;
  int status = 0;                               // Headers
  std::map<std::string, std::string> headers;   // Headers; names lower-cased
  std::string data;                             // Data: raw bytes (may split UTF-8)
  NetFailure failure = NetFailure::None;        // Fail
  std::string message;                          // Fail: human text
};

class Transport {
 public:
  virtual ~Transport() = default;
  // Starts a request; events for it arrive through poll(). Order per request:
  // Headers, Data*, then End or Fail (Fail may come without Headers).
  virtual RequestId send(const HttpRequest& req) = 0;
  // Aborts the request for real (no further events, no billing where the provider stops).
  virtual void cancel(RequestId id) = 0;
  // Moves every pending event into `out` (appends). Called once per frame.
  virtual void poll(std::vector<TransportEvent>& out) = 0;
  // Monotonic clock in seconds used for timeouts and timings.
  virtual double now() const = 0;
};

// ---- ScriptedTransport: deterministic fake for tests and benchmarks -------------
// Each send() is answered by the first matching rule (by URL substring and body
// substring); a rule yields a list of timed steps on a virtual clock that the test
// advances with advance(). Requests that match no rule fail as Unreachable.
class ScriptedTransport : public Transport {
 public:
  struct Step {
    double at = 0;  // seconds after send()
    TransportEvent::Kind kind = TransportEvent::Kind::Data;
    int status = 200;
    std::map<std::string, std::string> headers;
    std::string data;
    NetFailure failure = NetFailure::None;
    std::string message;
  };
  struct Rule {
    Rule() = default;
    Rule(std::string url, std::string body, std::vector<Step> s, int uses = -1, std::string role = "")
        : url_contains(std::move(url)), body_contains(std::move(body)), steps(std::move(s)), uses_left(uses), tag(std::move(role)) {}
    std::string url_contains;
    std::string body_contains;
    std::vector<Step> steps;
    int uses_left = -1;  // -1: unlimited; otherwise the rule is consumed
    std::string tag;     // when set: only requests with exactly this tag (HttpRequest::tag)
  };

  // Helpers that build common step lists.
  static std::vector<Step> Json(int status, std::string body, double at = 0.01,
                                std::map<std::string, std::string> headers = {});
  // SSE body split into chunks, first chunk at `first`, then every `gap` seconds.
  static std::vector<Step> Sse(const std::vector<std::string>& chunks, double first = 0.01,
                               double gap = 0.01, int status = 200);

  void add(Rule r) { rules_.push_back(std::move(r)); }
  // A rule matched before every other (a provider that starts answering differently).
  void add_first(Rule r) { rules_.insert(rules_.begin(), std::move(r)); }
  void advance(double dt);  // moves the virtual clock, releasing due steps
  void set_time(double t);

  RequestId send(const HttpRequest& req) override;
  void cancel(RequestId id) override;
  void poll(std::vector<TransportEvent>& out) override;
  double now() const override { return now_; }

  std::vector<HttpRequest> sent;       // every request, in order (for assertions)
  std::vector<RequestId> cancelled;    // every cancel() call

 private:
  struct Pending { RequestId id; double t0; std::vector<Step> steps; size_t next = 0; bool done = false; };
  std::vector<Rule> rules_;
  std::vector<Pending> pending_;
  std::vector<TransportEvent> ready_;
  double now_ = 0;
  RequestId next_id_ = 1;
  void release();
};

}  // namespace concord
