// What the UI needs from the platform, as a plain interface. The web platform implements
// it over the browser (src/platform/web/web_host.cpp); tests use MemoryHost. The UI
// layer itself never includes emscripten.
#pragma once
#include <map>
#include <string>

namespace concord {

inline constexpr double kMaxPickedFileBytes = 32.0 * 1024 * 1024;

class Host {
 public:
  virtual ~Host() = default;
  // Storage: `local` = localStorage (survives the browser), else sessionStorage (this tab).
  virtual std::string storage_get(bool local, const std::string& key) = 0;
  virtual bool storage_set(bool local, const std::string& key, const std::string& value) = 0;  // false: full
  virtual void storage_remove(bool local, const std::string& key) = 0;
  virtual void copy_text(const std::string& text) = 0;
  virtual void open_url(const std::string& url) = 0;  // http(s) only, new tab, noopener
  virtual void download(const std::string& name, const std::string& mime, const std::string& data) = 0;
  // The picked file arrives via App::on_file; one larger than kMaxPickedFileBytes is never read
  // into the page (App::on_file_refused says why).
  virtual void pick_file(const std::string& accept) = 0;
  virtual std::string get_hash() = 0;
  virtual void set_hash(const std::string& h) = 0;
  virtual std::string page_url() = 0;
  virtual double unix_now() = 0;
  // OAuth sign-in ("Connect OpenRouter"):
  // n bytes from the browser's CSPRNG (crypto.getRandomValues); "" when there is none.
  virtual std::string random_bytes(size_t n) = 0;
  // The page's query string without the '?' ("" when none).
  virtual std::string page_query() = 0;
  // Replaces the query in the address bar (history.replaceState; path and hash kept,
  // no reload, no new history entry). "" removes it.
  virtual void replace_query(const std::string& q) = 0;
  // Leaves the page for `url` in this tab (http(s) only).
  virtual void navigate(const std::string& url) = 0;
};

// In-memory host for tests and headless frames.
class MemoryHost : public Host {
 public:
  std::map<std::string, std::string> local, session;
  size_t quota = 5u << 20;  // bytes per store, like browsers
  std::string clipboard, last_url, hash, last_download_name, last_download;
  std::string query, navigated;  // page query; last URL the page navigated to
  int picks = 0, navigations = 0;
  bool have_random = true;       // false: a browser without crypto.getRandomValues
  unsigned random_state = 1;     // deterministic "random" bytes for tests
  double t = 1.8e9;
  size_t bytes_written = 0;      // every value stored (tests: what saving costs)
  std::string storage_get(bool l, const std::string& k) override {
    auto& m = l ? local : session;
    auto it = m.find(k);
    return it == m.end() ? "" : it->second;
  }
  bool storage_set(bool l, const std::string& k, const std::string& v) override {
    auto& m = l ? local : session;
    size_t used = 0;
    for (auto& [kk, vv] : m) if (kk != k) used += kk.size() + vv.size();
    if (used + k.size() + v.size() > quota) return false;
    m[k] = v;
    bytes_written += v.size();
    return true;
  }
  void storage_remove(bool l, const std::string& k) override { (l ? local : session).erase(k); }
  void copy_text(const std::string& s) override { clipboard = s; }
  void open_url(const std::string& u) override { last_url = u; }
  void download(const std::string& n, const std::string&, const std::string& d) override {
    last_download_name = n; last_download = d;
  }
  void pick_file(const std::string&) override { ++picks; }
  std::string get_hash() override { return hash; }
  void set_hash(const std::string& h) override { hash = h; }
  std::string page_url() override { return "http://127.0.0.1:8080/"; }
  double unix_now() override { return t; }
  std::string random_bytes(size_t n) override {
    if (!have_random) return "";
    std::string b(n, '\0');
    for (auto& c : b) { random_state = random_state * 1103515245u + 12345u; c = static_cast<char>(random_state >> 16); }
    return b;
  }
  std::string page_query() override { return query; }
  void replace_query(const std::string& q) override { query = q; }
  void navigate(const std::string& u) override { navigated = u; ++navigations; }
};

}  // namespace concord
