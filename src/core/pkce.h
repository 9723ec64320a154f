// "Connect OpenRouter": OAuth 2 PKCE (RFC 7636, S256) as OpenRouter speaks it.
//   1. the page sends the user to {site}/auth?callback_url=…&code_challenge=…&code_challenge_method=S256
//   2. OpenRouter sends the user back to callback_url?code=…
//   3. POST {base}/auth/keys {code, code_verifier, code_challenge_method:"S256"} -> {key}
// Pure functions: a small SHA-256, base64url, the verifier, the URLs, the exchange request
// and its response. The caller supplies the random bytes (the browser's crypto).
#pragma once
#include <string>
#include <vector>

#include "transport.h"
#include "url.h"
#include "types.h"

namespace concord {

// SHA-256 of `data`: 32 raw bytes, or 64 lower-case hex digits.
std::string Sha256(const std::string& data);
std::string Sha256Hex(const std::string& data);
// Base64url (RFC 4648 §5) without padding.
std::string Base64Url(const std::string& bytes);

// The verifier: base64url of the random bytes. 32..96 bytes give 43..128 characters of the
// unreserved set, as RFC 7636 requires; other sizes give "" (the caller must not proceed).
std::string MakeVerifier(const std::string& random_bytes);
// 43..128 characters of [A-Za-z0-9-._~].
bool IsValidVerifier(const std::string& verifier);
// BASE64URL(SHA256(ASCII(verifier))).
std::string PkceChallengeS256(const std::string& verifier);

// OpenRouter's sign-in page derived from the API base: a trailing "/api/v1" is replaced by
// "/auth" ("https://openrouter.ai/api/v1" -> "https://openrouter.ai/auth"); any other base
// gives {scheme://host}/auth. "" when the base is not an http(s) URL.
std::string OAuthAuthPage(const std::string& openrouter_base);
// The full sign-in URL ("" when the base is not an http(s) URL).
std::string BuildAuthUrl(const std::string& openrouter_base, const std::string& callback_url,
                         const std::string& challenge);
// POST {base}/auth/keys with {code, code_verifier, code_challenge_method:"S256"}. No
// Authorization header: the code and verifier are the credentials.
HttpRequest BuildKeyExchangeRequest(const std::string& openrouter_base, const std::string& code,
                                    const std::string& verifier);

// The outcome of the exchange. On failure `error.id` is stable and `error.message` starts
// with "[<id>] " and says what to do. The key never appears in any message.
//   oauth.bad_code     403/401: the code expired, was used already, or does not match the verifier
//   oauth.bad_request  400/405/422: the request was refused as malformed
//   oauth.server       any other non-2xx status
//   oauth.bad_body     2xx without a usable key
// (The app adds oauth.net, oauth.no_verifier, oauth.denied, oauth.no_random, oauth.storage
//  and oauth.bad_base for failures outside the response.)
struct KeyExchange {
  std::string key;
  std::string user_id;
  CallError error;
  bool ok() const { return error.empty() && !key.empty(); }
};
KeyExchange ParseKeyExchange(int status, const std::string& body);
// A CallError with `id` and the message "[id] text".
CallError OAuthError(const std::string& id, const std::string& text, int http_status = 0);

}  // namespace concord
