// OAuth PKCE for "Connect OpenRouter": SHA-256 (FIPS 180-4), base64url, the verifier and
// challenge (RFC 7636), the sign-in URL, the key exchange request and its response.
#include "pkce.h"

#include <cstdint>
#include <cstring>

#include "jsonutil.h"

namespace concord {
namespace {
// ---- SHA-256 ----------------------------------------------------------------------------
constexpr uint32_t kK[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

inline uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

void Block(uint32_t h[8], const unsigned char* p) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i)
    w[i] = (uint32_t(p[4 * i]) << 24) | (uint32_t(p[4 * i + 1]) << 16) | (uint32_t(p[4 * i + 2]) << 8) | uint32_t(p[4 * i + 3]);
  for (int i = 16; i < 64; ++i) {
    uint32_t s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int i = 0; i < 64; ++i) {
    uint32_t S1 = Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25);
    uint32_t ch = (e & f) ^ (~e & g);
    uint32_t t1 = hh + S1 + ch + kK[i] + w[i];
    uint32_t S0 = Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22);
    uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
    uint32_t t2 = S0 + maj;
    hh = g; g = f; f = e; e = d + t1; d = c; c = b; b = a; a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

std::string TrimSlashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}
}  // namespace

std::string Sha256(const std::string& data) {
  uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  size_t n = data.size(), i = 0;
  for (; i + 64 <= n; i += 64) Block(h, p + i);
  // Padding: 0x80, zeros, then the bit length as a 64-bit big-endian number.
  unsigned char tail[128] = {0};
  size_t rest = n - i;
  if (rest) std::memcpy(tail, p + i, rest);
  tail[rest] = 0x80;
  size_t tail_len = rest + 1 + 8 <= 64 ? 64 : 128;
  uint64_t bits = static_cast<uint64_t>(n) * 8;
  for (int b = 0; b < 8; ++b) tail[tail_len - 1 - b] = static_cast<unsigned char>(bits >> (8 * b));
  for (size_t t = 0; t < tail_len; t += 64) Block(h, tail + t);
  std::string out(32, '\0');
  for (int w = 0; w < 8; ++w)
    for (int b = 0; b < 4; ++b) out[4 * w + b] = static_cast<char>((h[w] >> (24 - 8 * b)) & 0xff);
  return out;
}

std::string Sha256Hex(const std::string& data) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : Sha256(data)) { out += hex[c >> 4]; out += hex[c & 15]; }
  return out;
}

std::string Base64Url(const std::string& bytes) {
  static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t n = bytes.size(), i = 0;
  for (; i + 3 <= n; i += 3) {
    uint32_t v = (uint32_t(p[i]) << 16) | (uint32_t(p[i + 1]) << 8) | p[i + 2];
    out += tbl[v >> 18]; out += tbl[(v >> 12) & 63]; out += tbl[(v >> 6) & 63]; out += tbl[v & 63];
  }
  if (n - i == 1) {
    uint32_t v = uint32_t(p[i]) << 16;
    out += tbl[v >> 18]; out += tbl[(v >> 12) & 63];
  } else if (n - i == 2) {
    uint32_t v = (uint32_t(p[i]) << 16) | (uint32_t(p[i + 1]) << 8);
    out += tbl[v >> 18]; out += tbl[(v >> 12) & 63]; out += tbl[(v >> 6) & 63];
  }
  return out;
}

std::string MakeVerifier(const std::string& random_bytes) {
  if (random_bytes.size() < 32 || random_bytes.size() > 96) return "";
  return Base64Url(random_bytes);
}

bool IsValidVerifier(const std::string& v) {
  if (v.size() < 43 || v.size() > 128) return false;
  for (unsigned char c : v) if (!IsUnreserved(c)) return false;
  return true;
}

std::string PkceChallengeS256(const std::string& verifier) { return Base64Url(Sha256(verifier)); }

std::string OAuthAuthPage(const std::string& openrouter_base) {
  std::string b = TrimSlashes(openrouter_base);
  if (!IsHttpUrl(b)) return "";
  const std::string suffix = "/api/v1";
  if (b.size() > suffix.size() && b.compare(b.size() - suffix.size(), suffix.size(), suffix) == 0) {
    std::string site = b.substr(0, b.size() - suffix.size());
    if (IsHttpUrl(site)) return site + "/auth";
  }
  size_t host = b.find("://") + 3;
  size_t end = b.find_first_of("/?#", host);
  return b.substr(0, end) + "/auth";
}

std::string BuildAuthUrl(const std::string& openrouter_base, const std::string& callback_url,
                         const std::string& challenge) {
  std::string page = OAuthAuthPage(openrouter_base);
  if (page.empty()) return "";
  return page + "?callback_url=" + PercentEncode(callback_url) + "&code_challenge=" + PercentEncode(challenge) +
         "&code_challenge_method=S256";
}

HttpRequest BuildKeyExchangeRequest(const std::string& openrouter_base, const std::string& code,
                                    const std::string& verifier) {
  HttpRequest r;
  r.method = "POST";
  r.url = TrimSlashes(openrouter_base) + "/auth/keys";
  r.headers = {{"Content-Type", "application/json"}};
  r.body = Dump({{"code", code}, {"code_verifier", verifier}, {"code_challenge_method", "S256"}});
  r.stream = false;
  return r;
}

CallError OAuthError(const std::string& id, const std::string& text, int http_status) {
  CallError e;
  e.id = id;
  e.http_status = http_status;
  e.message = "[" + id + "] " + text;
  return e;
}

KeyExchange ParseKeyExchange(int status, const std::string& body) {
  KeyExchange r;
  if (status < 200 || status >= 300) {
    // The provider's own words (never a key: error bodies carry none) after ours. Not
    // ParseHttpError's wording: its status meanings are for chat calls (403 = moderation).
    const json j = ParseJson(body);
    std::string said;
    if (const json* ev = Get(j, "error"); ev && ev->is_string()) said = ev->get<std::string>();
    if (said.empty()) said = GetStr(GetObj(j, "error"), "message");
    if (said.empty()) said = GetStr(j, "message");
    if (said.size() > 300) {
      size_t cut = 300;
      while (cut > 0 && (static_cast<unsigned char>(said[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 characters
      said = said.substr(0, cut) + "…";
    }
    for (auto& c : said) if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    const std::string detail = "HTTP " + std::to_string(status) + (said.empty() ? "" : ": " + said);
    if (status == 401 || status == 403)
      r.error = OAuthError("oauth.bad_code",
                           "OpenRouter refused the sign-in code: it expired, was already used, or does not match the "
                           "verifier this tab sent. Press Connect OpenRouter to sign in again. (" + detail + ")",
                           status);
    else if (status == 400 || status == 405 || status == 422)
      r.error = OAuthError("oauth.bad_request",
                           "OpenRouter refused the key request as malformed. Press Connect OpenRouter to try again; "
                           "if it keeps failing, paste a key instead. (" + detail + ")",
                           status);
    else
      r.error = OAuthError("oauth.server",
                           "OpenRouter could not create a key right now. Try Connect OpenRouter again in a moment, "
                           "or paste a key. (" + detail + ")",
                           status);
    return r;
  }
  const json j = ParseJson(body);
  const json* k = Get(j, "key");
  std::string key = k && k->is_string() ? k->get<std::string>() : "";
  bool usable = !key.empty() && key.size() <= 1024;
  for (unsigned char c : key) usable &= c > 0x20 && c < 0x7f;  // goes into an Authorization header
  if (!usable) {
    r.error = OAuthError("oauth.bad_body",
                         "OpenRouter answered without a usable key (HTTP " + std::to_string(status) +
                             "). Press Connect OpenRouter to try again, or paste a key.",
                         status);
    return r;
  }
  r.key = key;
  r.user_id = GetStr(j, "user_id");
  return r;
}

}  // namespace concord
