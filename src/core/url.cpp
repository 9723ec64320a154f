// URL and query-string helpers (see url.h).
#include "url.h"

#include <cstring>

namespace concord {
namespace {
int HexVal(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
// Splits a query into raw "k=v" pieces (no decoding).
std::vector<std::string> Pieces(const std::string& query) {
  std::vector<std::string> out;
  size_t pos = !query.empty() && (query[0] == '?' || query[0] == '#') ? 1 : 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string::npos) amp = query.size();
    if (amp > pos) out.push_back(query.substr(pos, amp - pos));
    pos = amp + 1;
  }
  return out;
}
std::string PieceName(const std::string& kv) { return PercentDecode(kv.substr(0, kv.find('='))); }
}  // namespace

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string PercentEncode(const std::string& s, const char* keep) {
  static const char* hex = "0123456789ABCDEF";
  std::string o;
  for (unsigned char c : s) {
    if (IsUnreserved(c) || (c != 0 && std::strchr(keep, c))) o += static_cast<char>(c);
    else { o += '%'; o += hex[c >> 4]; o += hex[c & 15]; }
  }
  return o;
}

std::string PercentDecode(const std::string& s) {
  std::string o;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexVal(s[i + 1]) >= 0 && HexVal(s[i + 2]) >= 0) {
      o += static_cast<char>(HexVal(s[i + 1]) * 16 + HexVal(s[i + 2]));
      i += 2;
    } else {
      o += s[i] == '+' ? ' ' : s[i];
    }
  }
  return o;
}

std::string QueryParam(const std::string& query, const std::string& name) {
  for (auto& kv : Pieces(query)) {
    if (PieceName(kv) != name) continue;
    size_t eq = kv.find('=');
    return eq == std::string::npos ? "" : PercentDecode(kv.substr(eq + 1));
  }
  return "";
}

bool QueryHas(const std::string& query, const std::string& name) {
  for (auto& kv : Pieces(query)) if (PieceName(kv) == name) return true;
  return false;
}

std::string QueryWithout(const std::string& query, const std::vector<std::string>& names) {
  std::string out;
  for (auto& kv : Pieces(query)) {
    bool drop = false;
    for (auto& n : names) drop |= PieceName(kv) == n;
    if (!drop) out += (out.empty() ? "" : "&") + kv;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> QueryPairs(const std::string& query) {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& kv : Pieces(query)) {
    size_t eq = kv.find('=');
    out.emplace_back(PieceName(kv), eq == std::string::npos ? "" : PercentDecode(kv.substr(eq + 1)));
  }
  return out;
}

bool IsHttpUrl(const std::string& u) {
  size_t p = u.rfind("https://", 0) == 0 ? 8 : u.rfind("http://", 0) == 0 ? 7 : 0;
  if (p == 0 || p >= u.size() || u[p] == '/') return false;
  return u.find_first_of(" \t\r\n\"<>\\") == std::string::npos;
}

bool IsLoopbackHttpUrl(const std::string& u) {
  if (!IsHttpUrl(u)) return false;
  const size_t p = u.find("://") + 3;
  const size_t end = u.find_first_of("/?#", p);
  const std::string auth = u.substr(p, end == std::string::npos ? std::string::npos : end - p);
  // "https://localhost:@evil.example/": the host is what follows the user info.
  if (auth.find('@') != std::string::npos) return false;
  for (const char* host : {"127.0.0.1:", "localhost:", "[::1]:"}) {
    const size_t n = std::strlen(host);
    if (auth.compare(0, n, host) != 0 || auth.size() == n) continue;
    return auth.find_first_not_of("0123456789", n) == std::string::npos;
  }
  return false;
}

}  // namespace concord
