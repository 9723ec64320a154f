// The browser implementation of concord::Transport (see web_transport.cpp).
#pragma once
#include <map>
#include <set>
#include <string>
#include <vector>

#include "transport.h"

struct emscripten_fetch_t;

namespace concord {

class WebTransport : public Transport {
 public:
  WebTransport();
  ~WebTransport() override;
  RequestId send(const HttpRequest& req) override;
  void cancel(RequestId id) override;
  void poll(std::vector<TransportEvent>& out) override;
  double now() const override;
  // Requests handed out so far (a change means one left).
  RequestId sent() const { return next_id_ - 1; }

  // Called from the JS streaming bridge (through the extern "C" exports).
  void on_stream_headers(RequestId id, int status, const char* headers_json);
  void on_stream_data(RequestId id, const char* data, int len);
  void on_stream_end(RequestId id, int kind, const char* msg);

 private:
  struct FetchCtx {
    RequestId id;
    std::string url, body;
    std::vector<std::string> header_store;
    std::vector<const char*> header_ptrs;
  };
  static void OnFetchDone(emscripten_fetch_t* f);
  RequestId next_id_ = 1;
  std::set<RequestId> streams_;
  std::map<RequestId, emscripten_fetch_t*> fetches_;
  std::vector<TransportEvent> queue_;
};

}  // namespace concord
