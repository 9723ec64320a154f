// ScriptedTransport: the deterministic fake transport used by tests and benchmarks.
#include "transport.h"

namespace concord {

std::vector<ScriptedTransport::Step> ScriptedTransport::Json(int status, std::string body, double at,
                                                             std::map<std::string, std::string> headers) {
  headers.emplace("content-type", "application/json");
  std::vector<Step> s(3);
  s[0].at = at; s[0].kind = TransportEvent::Kind::Headers; s[0].status = status; s[0].headers = headers;
  s[1].at = at; s[1].kind = TransportEvent::Kind::Data; s[1].data = std::move(body);
  s[2].at = at; s[2].kind = TransportEvent::Kind::End;
  return s;
}

std::vector<ScriptedTransport::Step> ScriptedTransport::Sse(const std::vector<std::string>& chunks, double first,
                                                            double gap, int status) {
  std::vector<Step> s;
  Step h; h.at = first; h.kind = TransportEvent::Kind::Headers; h.status = status;
  h.headers = {{"content-type", "text/event-stream"}};
  s.push_back(h);
  double t = first;
  for (const auto& c : chunks) {
    Step d; d.at = t; d.kind = TransportEvent::Kind::Data; d.data = c;
    s.push_back(d);
    t += gap;
  }
  Step e; e.at = t; e.kind = TransportEvent::Kind::End;
  s.push_back(e);
  return s;
}

RequestId ScriptedTransport::send(const HttpRequest& req) {
  sent.push_back(req);
  RequestId id = next_id_++;
  for (auto& r : rules_) {
    if (r.uses_left == 0) continue;
    if (!r.url_contains.empty() && req.url.find(r.url_contains) == std::string::npos) continue;
    if (!r.body_contains.empty() && req.body.find(r.body_contains) == std::string::npos) continue;
    if (!r.tag.empty() && req.tag != r.tag) continue;
    if (r.uses_left > 0) --r.uses_left;
    pending_.push_back({id, now_, r.steps});
    release();
    return id;
  }
  Step f; f.at = 0; f.kind = TransportEvent::Kind::Fail; f.failure = NetFailure::Unreachable;
  f.message = "no scripted rule for " + req.url;
  pending_.push_back({id, now_, {f}});
  release();
  return id;
}

void ScriptedTransport::cancel(RequestId id) {
  cancelled.push_back(id);
  for (auto& p : pending_)
    if (p.id == id) p.done = true;
}

void ScriptedTransport::release() {
  for (auto& p : pending_) {
    while (!p.done && p.next < p.steps.size() && p.t0 + p.steps[p.next].at <= now_ + 1e-12) {
      const Step& s = p.steps[p.next++];
      TransportEvent ev;
      ev.id = p.id; ev.kind = s.kind; ev.status = s.status; ev.headers = s.headers;
      ev.data = s.data; ev.failure = s.failure; ev.message = s.message;
      ready_.push_back(std::move(ev));
      if (s.kind == TransportEvent::Kind::End || s.kind == TransportEvent::Kind::Fail) p.done = true;
    }
  }
  // Drop finished entries so long scripted sessions stay flat in memory.
  size_t w = 0;
  for (size_t i = 0; i < pending_.size(); ++i)
    if (!pending_[i].done) {
      if (i != w) pending_[w] = std::move(pending_[i]);  // never self-move: it empties the steps
      ++w;
    }
  pending_.resize(w);
}

void ScriptedTransport::advance(double dt) { now_ += dt; release(); }
void ScriptedTransport::set_time(double t) { now_ = t; release(); }

void ScriptedTransport::poll(std::vector<TransportEvent>& out) {
  for (auto& e : ready_) out.push_back(std::move(e));
  ready_.clear();
}

}  // namespace concord
