// One whole-body HTTP request (catalogue, examples, key check, OAuth exchange, shared
// search): sends through a Transport, collects the status, headers and body from its
// events, and enforces its time limit on Transport::now(), so every transport behaves
// the same and no timer lives in JavaScript. The caller feeds it events and time.
#pragma once
#include <map>
#include <string>

#include "transport.h"

namespace concord {

class WholeBody {
 public:
  static constexpr size_t kMaxBytes = 32u << 20;  // a larger body is cut and said so

  // Sends `req` (cancelling this helper's request still in flight). `timeout_s` > 0 limits
  // the whole request, from now.
  void send(Transport& t, const HttpRequest& req, double timeout_s);
  // Takes the event if it is this request's. True when it finished the request (End or Fail).
  bool feed(const TransportEvent& e);
  // Ends the request as NetFailure::Timeout once its limit has passed. True when it did.
  bool expire(Transport& t);
  void cancel(Transport& t);

  bool busy() const { return id_ != 0; }
  RequestId id() const { return id_; }
  // After it finished:
  int status() const { return status_; }
  const std::string& body() const { return body_; }
  const std::map<std::string, std::string>& headers() const { return headers_; }
  NetFailure failure() const { return failure_; }       // None: an HTTP reply arrived
  const std::string& message() const { return message_; }
  bool truncated() const { return truncated_; }
  bool ok() const { return failure_ == NetFailure::None && status_ >= 200 && status_ < 300; }
  void clear_body() { std::string().swap(body_); }

 private:
  RequestId id_ = 0;
  double deadline_ = 0;  // Transport::now() seconds; 0: none
  int status_ = 0;
  std::map<std::string, std::string> headers_;
  std::string body_, message_;
  NetFailure failure_ = NetFailure::None;
  bool truncated_ = false;
};

}  // namespace concord
