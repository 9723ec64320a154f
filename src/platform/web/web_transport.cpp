// The web Transport, three backends chosen by request before the network is touched:
// the in-page demo (demo:// URLs, answered by web/demo/provider.mjs through concord_lib.js),
// the JS streaming bridge for SSE, and emscripten_fetch for whole-body requests (catalogue,
// search, key checks, non-streamed completions). Browser callbacks only queue events; poll()
// hands them to the engine on the main loop (the stream bridge wakes it after each event).
#include "web_transport.h"

#include <emscripten.h>
#include <emscripten/fetch.h>

#include <cstdlib>
#include <cstring>

#include "demo.h"
#include "jsonutil.h"

extern "C" {
void js_stream_start(unsigned id, const char* url, const char* method, const char* headers_json,
                     const char* body, int body_len);
void js_demo_start(unsigned id, const char* url, const char* method, const char* headers_json,
                   const char* body, int body_len);
void js_stream_abort(unsigned id);
void js_abort_xhr(unsigned id);
}

namespace concord {
namespace {
WebTransport* g_transport = nullptr;

std::map<std::string, std::string> ParseRawHeaders(const std::string& raw) {
  std::map<std::string, std::string> h;
  size_t pos = 0;
  while (pos < raw.size()) {
    size_t eol = raw.find('\n', pos);
    if (eol == std::string::npos) eol = raw.size();
    std::string line = raw.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string k = line.substr(0, colon), v = line.substr(colon + 1);
      for (auto& c : k) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      while (!v.empty() && v.front() == ' ') v.erase(v.begin());
      h[k] = v;
    }
    pos = eol + 1;
  }
  return h;
}
}  // namespace

WebTransport::WebTransport() { g_transport = this; }
WebTransport::~WebTransport() {
  for (auto& [id, f] : fetches_) { js_abort_xhr(f->id); emscripten_fetch_close(f); }
  g_transport = nullptr;
}

double WebTransport::now() const { return emscripten_get_now() / 1000.0; }

RequestId WebTransport::send(const HttpRequest& req) {
  RequestId id = next_id_++;
  if (req.stream || IsInPageDemoUrl(req.url)) {
    json h = json::object();
    for (auto& [k, v] : req.headers) h[k] = v;
    streams_.insert(id);
    // The demo endpoint is answered inside the page, streamed or not, before any network.
    if (IsInPageDemoUrl(req.url)) {
      js_demo_start(id, req.url.c_str(), req.method.c_str(), Dump(h).c_str(), req.body.data(),
                    static_cast<int>(req.body.size()));
      return id;
    }
    js_stream_start(id, req.url.c_str(), req.method.c_str(), Dump(h).c_str(), req.body.data(),
                    static_cast<int>(req.body.size()));
    return id;
  }
  // Whole-body request through emscripten_fetch.
  auto* ctx = new FetchCtx{id, req.url, req.body, {}, {}};
  for (auto& [k, v] : req.headers) { ctx->header_store.push_back(k); ctx->header_store.push_back(v); }
  for (auto& s : ctx->header_store) ctx->header_ptrs.push_back(s.c_str());
  ctx->header_ptrs.push_back(nullptr);
  emscripten_fetch_attr_t attr;
  emscripten_fetch_attr_init(&attr);
  std::strncpy(attr.requestMethod, req.method.c_str(), sizeof(attr.requestMethod) - 1);
  attr.attributes = EMSCRIPTEN_FETCH_LOAD_TO_MEMORY;
  attr.requestHeaders = ctx->header_ptrs.data();
  if (!ctx->body.empty()) { attr.requestData = ctx->body.data(); attr.requestDataSize = ctx->body.size(); }
  attr.timeoutMSecs = 0;  // no XHR timeout: the engine and WholeBody enforce limits on now() and cancel
  attr.userData = ctx;
  attr.onsuccess = &WebTransport::OnFetchDone;
  attr.onerror = &WebTransport::OnFetchDone;
  emscripten_fetch_t* f = emscripten_fetch(&attr, req.url.c_str());
  fetches_[id] = f;
  return id;
}

void WebTransport::OnFetchDone(emscripten_fetch_t* f) {
  auto* ctx = static_cast<FetchCtx*>(f->userData);
  // cancel() cleared userData: this is emscripten_fetch_close() reporting the abort from
  // inside cancel() itself, which frees the fetch when we return.
  if (!ctx) return;
  WebTransport* self = g_transport;
  if (self && self->fetches_.count(ctx->id)) {
    self->fetches_.erase(ctx->id);
    if (f->status == 0) {
      TransportEvent e;
      e.id = ctx->id; e.kind = TransportEvent::Kind::Fail;
      e.failure = NetFailure::Unreachable;  // status 0: CORS, DNS, offline, refused
      e.message = f->statusText;
      self->queue_.push_back(std::move(e));
    } else {
      TransportEvent h;
      h.id = ctx->id; h.kind = TransportEvent::Kind::Headers; h.status = f->status;
      size_t n = emscripten_fetch_get_response_headers_length(f);
      std::string raw(n + 1, '\0');
      emscripten_fetch_get_response_headers(f, raw.data(), n + 1);
      raw.resize(n);
      h.headers = ParseRawHeaders(raw);
      self->queue_.push_back(std::move(h));
      TransportEvent d;
      d.id = ctx->id; d.kind = TransportEvent::Kind::Data;
      d.data.assign(f->data ? f->data : "", static_cast<size_t>(f->numBytes));
      self->queue_.push_back(std::move(d));
      TransportEvent e;
      e.id = ctx->id; e.kind = TransportEvent::Kind::End;
      self->queue_.push_back(std::move(e));
    }
  }
  delete ctx;
  emscripten_fetch_close(f);
}

void WebTransport::cancel(RequestId id) {
  if (streams_.erase(id)) { js_stream_abort(id); return; }
  auto it = fetches_.find(id);
  if (it == fetches_.end()) return;
  emscripten_fetch_t* f = it->second;
  fetches_.erase(it);
  js_abort_xhr(f->id);  // abort first: close() alone lets the XHR write into freed memory
  // close() calls onerror for a fetch still in flight: with userData cleared, OnFetchDone
  // knows it is that call and touches neither the context nor the fetch.
  delete static_cast<FetchCtx*>(f->userData);
  f->userData = nullptr;
  emscripten_fetch_close(f);
}

void WebTransport::poll(std::vector<TransportEvent>& out) {
  for (auto& e : queue_) out.push_back(std::move(e));
  queue_.clear();
}

void WebTransport::on_stream_headers(RequestId id, int status, const char* headers_json) {
  if (!streams_.count(id)) return;
  TransportEvent e;
  e.id = id; e.kind = TransportEvent::Kind::Headers; e.status = status;
  json h = ParseJson(headers_json);
  if (h.is_object())
    for (auto it = h.begin(); it != h.end(); ++it)
      if (it.value().is_string()) e.headers[it.key()] = it.value().get<std::string>();
  queue_.push_back(std::move(e));
}

void WebTransport::on_stream_data(RequestId id, const char* data, int len) {
  if (!streams_.count(id)) return;
  // Coalesce consecutive chunks of one request (emscripten_fetch's, or pieces queued before
  // the app is ready) into one event.
  if (!queue_.empty() && queue_.back().id == id && queue_.back().kind == TransportEvent::Kind::Data) {
    queue_.back().data.append(data, static_cast<size_t>(len));
    return;
  }
  TransportEvent e;
  e.id = id; e.kind = TransportEvent::Kind::Data;
  e.data.assign(data, static_cast<size_t>(len));
  queue_.push_back(std::move(e));
}

void WebTransport::on_stream_end(RequestId id, int kind, const char* msg) {
  if (!streams_.erase(id)) return;
  TransportEvent e;
  e.id = id;
  if (kind == 0) {
    e.kind = TransportEvent::Kind::End;
  } else {
    e.kind = TransportEvent::Kind::Fail;
    e.failure = kind == 4 ? NetFailure::Aborted : kind == 2 ? NetFailure::Lost : NetFailure::Unreachable;  // limits are the engine's
    e.message = msg;
  }
  queue_.push_back(std::move(e));
}

}  // namespace concord

// Exports called by concord_lib.js.
extern "C" {
EMSCRIPTEN_KEEPALIVE void concord_net_headers(unsigned id, int status, const char* headers_json) {
  if (concord::g_transport) concord::g_transport->on_stream_headers(id, status, headers_json);
}
EMSCRIPTEN_KEEPALIVE void concord_net_data(unsigned id, const char* data, int len) {
  if (concord::g_transport) concord::g_transport->on_stream_data(id, data, len);
}
EMSCRIPTEN_KEEPALIVE void concord_net_end(unsigned id, int kind, const char* msg) {
  if (concord::g_transport) concord::g_transport->on_stream_end(id, kind, msg);
}
}
