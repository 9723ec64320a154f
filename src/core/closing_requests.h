// Requests whose answer is already complete (their stream's terminator arrived) and whose
// connection has not reported its end yet. Their last events are taken and dropped; one still
// open at its deadline is cancelled, since a stream held open after [DONE] would otherwise keep
// its connection (and, over HTTP/1.1, one of the browser's six per host) for ever. The engine
// keeps one; the eval runner adopts those of the engines it retires.
#pragma once
#include <algorithm>
#include <utility>
#include <vector>

#include "transport.h"

namespace concord {

class ClosingRequests {
 public:
  void add(RequestId id, double deadline) { list_.push_back({id, deadline}); }
  // True when the event is one of these requests' (it is then taken: nothing more is read).
  bool take(const TransportEvent& e) {
    auto it = std::find_if(list_.begin(), list_.end(), [&](const auto& c) { return c.first == e.id; });
    if (it == list_.end()) return false;
    if (e.kind == TransportEvent::Kind::End || e.kind == TransportEvent::Kind::Fail) list_.erase(it);
    return true;
  }
  // Cancels the requests past their deadline (transport time).
  void expire(Transport& t) {
    for (auto c = list_.begin(); c != list_.end();) {
      if (t.now() < c->second) { ++c; continue; }
      t.cancel(c->first);
      c = list_.erase(c);
    }
  }
  void adopt(ClosingRequests&& other) {
    list_.insert(list_.end(), other.list_.begin(), other.list_.end());
    other.list_.clear();
  }

 private:
  std::vector<std::pair<RequestId, double>> list_;  // request, deadline
};

}  // namespace concord
