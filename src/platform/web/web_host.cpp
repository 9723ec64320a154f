// concord::Host over the browser: storage, clipboard, links, downloads, files, hash,
// and the OAuth pieces (random bytes, the query string, same-tab navigation).
// Thin C++ wrappers over the js_* functions of concord_lib.js.
#include "web_host.h"

#include <emscripten.h>

#include <cstdlib>

extern "C" {
char* js_storage_get(int local, const char* key);
int js_storage_set(int local, const char* key, const char* value);
void js_storage_remove(int local, const char* key);
void js_clipboard_write(const char* text);
void js_open_url(const char* url);
void js_download(const char* name, const char* mime, const char* data, int len);
void js_pick_file(const char* accept, double max_bytes);
char* js_get_hash();
void js_set_hash(const char* h);
char* js_page_url();
double js_now_unix();
int js_random_bytes(void* dst, int n);
char* js_page_query();
void js_replace_query(const char* q);
void js_navigate(const char* url);
}

namespace concord {
namespace {
std::string Take(char* p) {  // adopts a malloc'd string from JS
  if (!p) return "";
  std::string s(p);
  std::free(p);
  return s;
}
}  // namespace

std::string WebHost::storage_get(bool local, const std::string& key) { return Take(js_storage_get(local, key.c_str())); }
bool WebHost::storage_set(bool local, const std::string& key, const std::string& value) {
  return js_storage_set(local, key.c_str(), value.c_str()) != 0;
}
void WebHost::storage_remove(bool local, const std::string& key) { js_storage_remove(local, key.c_str()); }
void WebHost::copy_text(const std::string& text) { js_clipboard_write(text.c_str()); }
void WebHost::open_url(const std::string& url) { js_open_url(url.c_str()); }
void WebHost::download(const std::string& name, const std::string& mime, const std::string& data) {
  js_download(name.c_str(), mime.c_str(), data.data(), static_cast<int>(data.size()));
}
void WebHost::pick_file(const std::string& accept) { js_pick_file(accept.c_str(), kMaxPickedFileBytes); }
std::string WebHost::get_hash() { return Take(js_get_hash()); }
void WebHost::set_hash(const std::string& h) { js_set_hash(h.c_str()); }
std::string WebHost::page_url() { return Take(js_page_url()); }
double WebHost::unix_now() { return js_now_unix(); }
std::string WebHost::random_bytes(size_t n) {
  std::string b(n, '\0');
  if (n == 0 || n > 65536 || !js_random_bytes(&b[0], static_cast<int>(n))) return "";
  return b;
}
std::string WebHost::page_query() { return Take(js_page_query()); }
void WebHost::replace_query(const std::string& q) { js_replace_query(q.c_str()); }
void WebHost::navigate(const std::string& url) { js_navigate(url.c_str()); }

}  // namespace concord
