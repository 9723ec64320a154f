// OAuth PKCE for "Connect OpenRouter": SHA-256 known answers (FIPS 180-4 examples and
// padding edges), base64url (RFC 4648), the RFC 7636 Appendix B vector, URLs and the
// key exchange request/response.
#include <gtest/gtest.h>

#include <string>

#include "jsonutil.h"
#include "pkce.h"

namespace concord {
namespace {

TEST(Sha256, KnownAnswers) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrs"
                      "mnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PaddingEdges) {
  // Lengths around the 55/56 and 64-byte block boundaries, where padding spills over.
  const std::pair<size_t, const char*> cases[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
      {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
      {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
  };
  for (auto& [n, hex] : cases) EXPECT_EQ(Sha256Hex(std::string(n, 'a')), hex) << n;
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(Sha256Hex(all), "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880");
  EXPECT_EQ(Sha256("abc").size(), 32u);
}

TEST(Base64Url, Rfc4648VectorsWithoutPadding) {
  EXPECT_EQ(Base64Url(""), "");
  EXPECT_EQ(Base64Url("f"), "Zg");
  EXPECT_EQ(Base64Url("fo"), "Zm8");
  EXPECT_EQ(Base64Url("foo"), "Zm9v");
  EXPECT_EQ(Base64Url("foob"), "Zm9vYg");
  EXPECT_EQ(Base64Url("fooba"), "Zm9vYmE");
  EXPECT_EQ(Base64Url("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Url(std::string("\xfb\xff\xbf", 3)), "-_-_");  // the url-safe alphabet
  EXPECT_EQ(Base64Url(std::string("\xfb\xff", 2)), "-_8");
}

TEST(Pkce, Rfc7636AppendixB) {
  const unsigned char octets[32] = {116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186,
                                    22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121};
  // The octets, verifier and challenge exactly as printed in RFC 7636 Appendix B.
  std::string verifier = MakeVerifier(std::string(reinterpret_cast<const char*>(octets), 32));
  EXPECT_EQ(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  EXPECT_TRUE(IsValidVerifier(verifier));
  EXPECT_EQ(PkceChallengeS256(verifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  EXPECT_EQ(Sha256Hex(verifier), "13d31e961a1ad8ec2f16b10c4c982e0876a878ad6df144566ee1894acb70f9c3");
}

TEST(Pkce, VerifierLengthAndAlphabet) {
  EXPECT_EQ(MakeVerifier(std::string(31, 'x')), "") << "too few random bytes: refuse";
  EXPECT_EQ(MakeVerifier(std::string(97, 'x')), "") << "over 128 characters: refuse";
  EXPECT_EQ(MakeVerifier(std::string(32, '\xff')).size(), 43u);
  EXPECT_EQ(MakeVerifier(std::string(96, '\x01')).size(), 128u);
  for (int len : {32, 48, 64, 96}) {
    std::string bytes;
    for (int i = 0; i < len; ++i) bytes += static_cast<char>(i * 97 + 13);
    std::string v = MakeVerifier(bytes);
    EXPECT_TRUE(IsValidVerifier(v)) << v;
    EXPECT_EQ(v.find('='), std::string::npos);
  }
  EXPECT_FALSE(IsValidVerifier(std::string(42, 'a')));
  EXPECT_FALSE(IsValidVerifier(std::string(129, 'a')));
  EXPECT_FALSE(IsValidVerifier(std::string(43, 'a') + "+"));
  EXPECT_TRUE(IsValidVerifier(std::string(40, 'a') + "-._~"));
}

TEST(Pkce, AuthPageFromTheApiBase) {
  EXPECT_EQ(OAuthAuthPage("https://openrouter.ai/api/v1"), "https://openrouter.ai/auth");
  EXPECT_EQ(OAuthAuthPage("https://openrouter.ai/api/v1/"), "https://openrouter.ai/auth");
  EXPECT_EQ(OAuthAuthPage("http://127.0.0.1:8787/api/v1"), "http://127.0.0.1:8787/auth");
  EXPECT_EQ(OAuthAuthPage("https://proxy.example/or/api/v1"), "https://proxy.example/or/auth");
  EXPECT_EQ(OAuthAuthPage("https://gateway.example/openrouter"), "https://gateway.example/auth");
  EXPECT_EQ(OAuthAuthPage("ftp://openrouter.ai/api/v1"), "");
  EXPECT_EQ(OAuthAuthPage("javascript:alert(1)//api/v1"), "");
  EXPECT_EQ(OAuthAuthPage(""), "");
}

TEST(Pkce, AuthUrlIsPercentEncoded) {
  std::string u = BuildAuthUrl("https://openrouter.ai/api/v1", "https://me.github.io/concord/?x=1&y=a b",
                               "E9Melhoa2OwvFrEo4_szn9lOqEXfIGJ6yRmhpDJf6_M");
  EXPECT_EQ(u,
            "https://openrouter.ai/auth?callback_url=https%3A%2F%2Fme.github.io%2Fconcord%2F%3Fx%3D1%26y%3Da%20b"
            "&code_challenge=E9Melhoa2OwvFrEo4_szn9lOqEXfIGJ6yRmhpDJf6_M&code_challenge_method=S256");
  EXPECT_EQ(BuildAuthUrl("not a url", "https://x/", "c"), "");
  EXPECT_EQ(PercentEncode("aZ09-._~ /?#&=%é"), "aZ09-._~%20%2F%3F%23%26%3D%25%C3%A9");
  EXPECT_EQ(PercentDecode("a%20b+c%2Fd%zz%4"), "a b c/d%zz%4");
}

TEST(Pkce, QueryHelpers) {
  const std::string q = "?x=1&code=ab%2Dc&empty&y=a+b";
  EXPECT_EQ(QueryParam(q, "code"), "ab-c");
  EXPECT_EQ(QueryParam(q, "y"), "a b");
  EXPECT_EQ(QueryParam(q, "missing"), "");
  EXPECT_TRUE(QueryHas(q, "empty"));
  EXPECT_TRUE(QueryHas(q, "code"));
  EXPECT_FALSE(QueryHas(q, "cod"));
  EXPECT_EQ(QueryWithout(q, {"code"}), "x=1&empty&y=a+b");
  EXPECT_EQ(QueryWithout("code=1", {"code"}), "");
  EXPECT_EQ(QueryWithout("", {"code"}), "");
}

TEST(Pkce, KeyExchangeRequest) {
  HttpRequest r = BuildKeyExchangeRequest("https://openrouter.ai/api/v1/", "the-code", "the-verifier");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.url, "https://openrouter.ai/api/v1/auth/keys");
  EXPECT_FALSE(r.stream);
  bool json_type = false;
  for (auto& [k, v] : r.headers) {
    EXPECT_NE(k, "Authorization") << "the code and verifier are the credentials";
    json_type |= k == "Content-Type" && v == "application/json";
  }
  EXPECT_TRUE(json_type);
  json j = ParseJson(r.body);
  EXPECT_EQ(GetStr(j, "code"), "the-code");
  EXPECT_EQ(GetStr(j, "code_verifier"), "the-verifier");
  EXPECT_EQ(GetStr(j, "code_challenge_method"), "S256");
}

TEST(Pkce, ParseKeyExchange) {
  KeyExchange ok = ParseKeyExchange(200, R"({"key":"sk-or-v1-abc123","user_id":"user_1"})");
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.key, "sk-or-v1-abc123");
  EXPECT_EQ(ok.user_id, "user_1");

  KeyExchange expired = ParseKeyExchange(403, R"({"error":{"code":403,"message":"Invalid code or code_verifier"}})");
  EXPECT_FALSE(expired.ok());
  EXPECT_EQ(expired.error.id, "oauth.bad_code");
  EXPECT_EQ(expired.error.http_status, 403);
  EXPECT_EQ(expired.error.message.rfind("[oauth.bad_code] ", 0), 0u) << expired.error.message;
  EXPECT_NE(expired.error.message.find("expired"), std::string::npos);
  EXPECT_NE(expired.error.message.find("(HTTP 403: Invalid code or code_verifier)"), std::string::npos)
      << "provider's words kept: " << expired.error.message;
  EXPECT_EQ(expired.error.message.find("moderation"), std::string::npos) << "not a chat call's wording";
  KeyExchange plain = ParseKeyExchange(403, R"({"error":"bad code"})");
  EXPECT_NE(plain.error.message.find("(HTTP 403: bad code)"), std::string::npos) << plain.error.message;
  KeyExchange html = ParseKeyExchange(502, "<html><body>gateway</body></html>");
  EXPECT_NE(html.error.message.find("(HTTP 502)"), std::string::npos) << "an HTML page is not echoed";
  KeyExchange longmsg = ParseKeyExchange(400, R"({"error":{"message":")" + std::string(400, 'x') + R"("}})");
  EXPECT_LT(longmsg.error.message.size(), 600u);

  EXPECT_EQ(ParseKeyExchange(401, "").error.id, "oauth.bad_code");
  KeyExchange bad = ParseKeyExchange(400, R"({"error":{"code":400,"message":"Invalid code_challenge_method"}})");
  EXPECT_EQ(bad.error.id, "oauth.bad_request");
  EXPECT_EQ(bad.error.message.rfind("[oauth.bad_request] ", 0), 0u);
  EXPECT_EQ(ParseKeyExchange(500, "<html>oops</html>").error.id, "oauth.server");
  EXPECT_EQ(ParseKeyExchange(503, "").error.id, "oauth.server");

  for (const char* body : {"", "not json", "{}", R"({"key":""})", R"({"key":42})", R"({"key":"has space"})",
                           R"({"key":"line\nbreak"})", "[1,2]"}) {
    KeyExchange k = ParseKeyExchange(200, body);
    EXPECT_FALSE(k.ok()) << body;
    EXPECT_EQ(k.error.id, "oauth.bad_body") << body;
    EXPECT_EQ(k.key, "");
  }
  // A rejected key never shows up in the message.
  KeyExchange sp = ParseKeyExchange(200, R"({"key":"sk-secret value"})");
  EXPECT_EQ(sp.error.message.find("sk-secret"), std::string::npos);
}

}  // namespace
}  // namespace concord
