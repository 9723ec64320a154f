// One whole-body request with its time limit (see whole_body.h).
#include "whole_body.h"

namespace concord {

void WholeBody::send(Transport& t, const HttpRequest& req, double timeout_s) {
  cancel(t);
  status_ = 0;
  headers_.clear();
  body_.clear();
  message_.clear();
  failure_ = NetFailure::None;
  truncated_ = false;
  deadline_ = timeout_s > 0 ? t.now() + timeout_s : 0;
  id_ = t.send(req);
}

bool WholeBody::feed(const TransportEvent& e) {
  if (id_ == 0 || e.id != id_) return false;
  switch (e.kind) {
    case TransportEvent::Kind::Headers:
      status_ = e.status;
      headers_ = e.headers;
      return false;
    case TransportEvent::Kind::Data:
      if (body_.size() + e.data.size() > kMaxBytes) {
        body_.append(e.data, 0, kMaxBytes - body_.size());
        truncated_ = true;
      } else {
        body_ += e.data;
      }
      return false;
    case TransportEvent::Kind::End:
      id_ = 0;
      return true;
    case TransportEvent::Kind::Fail:
      id_ = 0;
      failure_ = e.failure == NetFailure::None ? NetFailure::Unreachable : e.failure;
      message_ = e.message;
      return true;
  }
  return false;
}

bool WholeBody::expire(Transport& t) {
  if (id_ == 0 || deadline_ <= 0 || t.now() < deadline_) return false;
  t.cancel(id_);
  id_ = 0;
  failure_ = NetFailure::Timeout;
  message_ = "no complete reply within the time limit";
  return true;
}

void WholeBody::cancel(Transport& t) {
  if (id_ == 0) return;
  t.cancel(id_);
  id_ = 0;
  failure_ = NetFailure::Aborted;
  message_ = "cancelled";
}

}  // namespace concord
