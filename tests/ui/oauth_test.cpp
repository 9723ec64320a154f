// "Connect OpenRouter" end to end in the app layer, headless: App over MemoryHost +
// ScriptedTransport with ImGui frames and no GPU. The button stores a verifier and leaves
// for the sign-in page; the return with ?code=… removes the code from the URL at once,
// exchanges it, and stores the key exactly like a pasted one (or says clearly why not).
#include <gtest/gtest.h>

#include "app.h"
#include "headless.h"
#include "jsonutil.h"
#include "pkce.h"
#include "transport.h"

namespace concord {
namespace {

const char* kKey = "sk-or-v1-testkey-0123456789";
const std::string kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

struct Rig {
  MemoryHost& host;
  ScriptedTransport t;
  HeadlessImGui ui;
  App app;
  // `exchange`: the steps answering POST …/auth/keys (empty: no rule, the request fails).
  Rig(MemoryHost& h, std::vector<ScriptedTransport::Step> exchange) : host(h), app(host, t) {
    ui.host_window = false;  // App::draw makes its own full-screen window
    if (!exchange.empty()) t.add({"/auth/keys", "", std::move(exchange), -1});
    t.add({"/models", "", ScriptedTransport::Json(200, R"({"data":[]})"), -1});
    app.init();
    app.set_fonts(ui.fonts);
    app.set_scale(1);
  }
  void frames(int n) {
    for (int i = 0; i < n; ++i) {
      t.advance(0.05);
      app.tick();
      ui.frame([&] { app.draw(); });
      app.after_frame();  // as the web platform does, in its own task after the frame
    }
  }
  json state() { return ParseJson(app.api(R"({"cmd":"state"})")); }
  const HttpRequest* sent_to(const std::string& part) const {
    for (auto& r : t.sent) if (r.url.find(part) != std::string::npos) return &r;
    return nullptr;
  }
};

bool AnyValueContains(const std::map<std::string, std::string>& m, const std::string& needle) {
  for (auto& [k, v] : m) if (k.find(needle) != std::string::npos || v.find(needle) != std::string::npos) return true;
  return false;
}

TEST(OAuth, ConnectButtonStoresVerifierAndLeavesForSignIn) {
  MemoryHost host;
  Rig rig(host, {});
  rig.frames(3);
  auto it = rig.app.ui().rects.find("setup.connect_openrouter");
  ASSERT_NE(it, rig.app.ui().rects.end()) << "the Connect OpenRouter button is on screen";
  ImVec2 c((it->second.x + it->second.z) / 2, (it->second.y + it->second.w) / 2);
  rig.ui.click(c, [&] { rig.app.draw(); });
  ASSERT_EQ(host.navigations, 1) << "one click, one navigation";

  const std::string verifier = host.session["concord.pkce"];
  EXPECT_TRUE(IsValidVerifier(verifier)) << verifier;
  EXPECT_TRUE(host.local.find("concord.pkce") == host.local.end()) << "the verifier lives in this tab only";
  const std::string expect = "https://openrouter.ai/auth?callback_url=http%3A%2F%2F127.0.0.1%3A8080%2F&code_challenge=" +
                             PkceChallengeS256(verifier) + "&code_challenge_method=S256";
  EXPECT_EQ(host.navigated, expect);
  EXPECT_EQ(host.navigated.find(verifier), std::string::npos) << "only the challenge leaves the tab";
  EXPECT_TRUE(host.last_url.empty()) << "same tab, not a new window";

  // A second sign-in gets a fresh verifier.
  UiActions a;
  a.connect_openrouter = true;
  rig.app.apply(a);
  EXPECT_NE(host.session["concord.pkce"], verifier);
  EXPECT_EQ(host.navigations, 2);
}

TEST(OAuth, ReturnWithCodeExchangesItAndStoresTheKeyInTheSession) {
  MemoryHost host;
  host.query = "code=the-code-123";
  host.session["concord.pkce"] = kVerifier;
  Rig rig(host, ScriptedTransport::Json(200, std::string(R"({"key":")") + kKey + R"(","user_id":"user_1"})"));
  // The code left the address bar during init, before any frame or network answer.
  EXPECT_EQ(host.query, "");
  const HttpRequest* ex = rig.sent_to("/auth/keys");
  ASSERT_NE(ex, nullptr);
  EXPECT_EQ(ex->method, "POST");
  EXPECT_EQ(ex->url, "https://openrouter.ai/api/v1/auth/keys");
  json body = ParseJson(ex->body);
  EXPECT_EQ(GetStr(body, "code"), "the-code-123");
  EXPECT_EQ(GetStr(body, "code_verifier"), kVerifier);
  EXPECT_EQ(GetStr(body, "code_challenge_method"), "S256");
  json st = rig.state();
  EXPECT_TRUE(st["oauth_busy"].get<bool>());
  EXPECT_NE(st["oauth"].get<std::string>().find("exchanging"), std::string::npos);

  rig.frames(4);
  st = rig.state();
  EXPECT_TRUE(st["oauth_ok"].get<bool>()) << st["oauth"];
  EXPECT_FALSE(st["oauth_busy"].get<bool>());
  EXPECT_EQ(st["oauth"].get<std::string>().rfind("Connected: key stored in this tab's session.", 0), 0u) << st["oauth"];
  EXPECT_FALSE(st["demo"].get<bool>()) << "no longer in demo mode";
  EXPECT_TRUE(st["openrouter_key_set"].get<bool>());
  EXPECT_EQ(rig.app.settings().openrouter_key, kKey);
  EXPECT_NE(host.session["concord.keys"].find(kKey), std::string::npos) << "stored like a pasted key";
  EXPECT_FALSE(AnyValueContains(host.local, kKey)) << "not in localStorage while 'remember' is off";
  EXPECT_TRUE(host.session.find("concord.pkce") == host.session.end()) << "verifier deleted after the exchange";
  EXPECT_EQ(host.query.find(kKey), std::string::npos);
  EXPECT_EQ(host.hash.find(kKey), std::string::npos);
  EXPECT_EQ(rig.app.api(R"({"cmd":"state"})").find(kKey), std::string::npos) << "the window API never shows it";
  EXPECT_EQ(rig.app.api(R"({"cmd":"settings"})").find(kKey), std::string::npos);
  // The catalogue is fetched again, now from OpenRouter with the key.
  bool models_with_key = false;
  for (auto& r : rig.t.sent)
    if (r.url == "https://openrouter.ai/api/v1/models")
      for (auto& [k, v] : r.headers) models_with_key |= k == "Authorization" && v == std::string("Bearer ") + kKey;
  EXPECT_TRUE(models_with_key);
  rig.frames(2);  // the success line draws
  EXPECT_TRUE(rig.app.ui().rects.count("setup.oauth_status"));
}

TEST(OAuth, RememberKeysOnStoresTheKeyOnTheDeviceLikeAPastedOne) {
  MemoryHost host;
  host.local["concord.settings"] = R"({"version":1,"remember_keys":true})";
  host.query = "code=c";
  host.session["concord.pkce"] = kVerifier;
  Rig rig(host, ScriptedTransport::Json(200, std::string(R"({"key":")") + kKey + R"("})"));
  rig.frames(3);
  EXPECT_TRUE(rig.state()["oauth_ok"].get<bool>());
  EXPECT_NE(host.local["concord.keys"].find(kKey), std::string::npos);
  EXPECT_NE(host.session["concord.keys"].find(kKey), std::string::npos);
  EXPECT_NE(rig.app.oauth().message.find("on this device"), std::string::npos) << rig.app.oauth().message;
}

TEST(OAuth, ExpiredCodeShowsAClearInlineError) {
  MemoryHost host;
  host.query = "code=old";
  host.session["concord.pkce"] = kVerifier;
  Rig rig(host, ScriptedTransport::Json(403, R"({"error":{"code":403,"message":"Invalid code or code_verifier"}})"));
  EXPECT_EQ(host.query, "");
  rig.frames(3);
  json st = rig.state();
  EXPECT_FALSE(st["oauth_ok"].get<bool>());
  EXPECT_EQ(st["oauth_id"], "oauth.bad_code");
  const std::string msg = st["oauth"];
  EXPECT_EQ(msg.rfind("[oauth.bad_code] ", 0), 0u) << msg;
  EXPECT_NE(msg.find("expired"), std::string::npos);
  EXPECT_NE(msg.find("Connect OpenRouter"), std::string::npos) << "says what to do";
  EXPECT_TRUE(st["demo"].get<bool>());
  EXPECT_TRUE(rig.app.settings().openrouter_key.empty());
  EXPECT_TRUE(host.session.find("concord.pkce") == host.session.end()) << "a verifier is good for one code";
  EXPECT_TRUE(rig.app.ui().rects.count("setup.oauth_status")) << "shown inline in Setup";
}

TEST(OAuth, FailuresOutsideTheResponse) {
  {  // a code arrives but this tab never started a sign-in: nothing is sent
    MemoryHost host;
    host.query = "code=stray";
    Rig rig(host, ScriptedTransport::Json(200, R"({"key":"sk-or-v1-x"})"));
    EXPECT_EQ(host.query, "");
    EXPECT_EQ(rig.sent_to("/auth/keys"), nullptr);
    EXPECT_EQ(rig.app.oauth().error_id, "oauth.no_verifier");
    EXPECT_EQ(rig.app.oauth().message.rfind("[oauth.no_verifier] ", 0), 0u);
  }
  {  // the exchange cannot reach OpenRouter
    MemoryHost host;
    host.query = "code=c";
    host.session["concord.pkce"] = kVerifier;
    Rig rig(host, {});
    rig.frames(2);
    EXPECT_EQ(rig.app.oauth().error_id, "oauth.net");
    EXPECT_NE(rig.app.oauth().message.find("unreachable"), std::string::npos) << rig.app.oauth().message;
    EXPECT_TRUE(host.session.find("concord.pkce") == host.session.end());
  }
  {  // the user declined at OpenRouter; other query parameters survive
    MemoryHost host;
    host.query = "utm=x&error=access_denied";
    host.session["concord.pkce"] = kVerifier;
    Rig rig(host, {});
    EXPECT_EQ(host.query, "utm=x");
    EXPECT_EQ(rig.app.oauth().error_id, "oauth.denied");
    EXPECT_NE(rig.app.oauth().message.find("(access_denied)"), std::string::npos);
  }
  {  // a crafted error text is not echoed into the app
    MemoryHost host;
    host.query = "error=Call%20this%20number%20now";
    Rig rig(host, {});
    EXPECT_EQ(rig.app.oauth().error_id, "oauth.denied");
    EXPECT_EQ(rig.app.oauth().message.find("number"), std::string::npos);
  }
  {  // no secure random numbers: the sign-in does not start
    MemoryHost host;
    host.have_random = false;
    Rig rig(host, {});
    UiActions a;
    a.connect_openrouter = true;
    rig.app.apply(a);
    EXPECT_EQ(host.navigations, 0);
    EXPECT_EQ(rig.app.oauth().error_id, "oauth.no_random");
  }
  {  // no query at all: nothing happens
    MemoryHost host;
    host.query = "x=1";
    Rig rig(host, {});
    EXPECT_EQ(host.query, "x=1");
    EXPECT_TRUE(rig.app.oauth().message.empty());
  }
}

TEST(OAuth, WindowApiOpenRouterBaseIsLoopbackOnlyAndDrivesTheSignInPage) {
  MemoryHost host;
  Rig rig(host, {});
  json bad = ParseJson(rig.app.api(R"({"cmd":"configure","openrouter_base":"https://evil.example/api/v1"})"));
  EXPECT_FALSE(bad["ok"].get<bool>());
  EXPECT_EQ(rig.app.settings().openrouter_base, "https://openrouter.ai/api/v1");
  json ok = ParseJson(rig.app.api(R"({"cmd":"configure","openrouter_base":"http://127.0.0.1:9999/api/v1"})"));
  EXPECT_TRUE(ok["ok"].get<bool>());
  EXPECT_EQ(rig.app.settings().openrouter_base, "http://127.0.0.1:9999/api/v1");
  UiActions a;
  a.connect_openrouter = true;
  rig.app.apply(a);
  EXPECT_EQ(host.navigated.rfind("http://127.0.0.1:9999/auth?callback_url=", 0), 0u) << host.navigated;
  json back = ParseJson(rig.app.api(R"({"cmd":"configure","openrouter_base":"https://openrouter.ai/api/v1"})"));
  EXPECT_TRUE(back["ok"].get<bool>()) << "the default is always allowed";
}

}  // namespace
}  // namespace concord

namespace concord {
namespace {
TEST(OAuth, TheQuestionBeingTypedSurvivesTheTripToTheSignInPage) {
  MemoryHost host;
  {
    Rig before(host, {});
    before.app.api(R"({"cmd":"run","prompt":""})");  // sets nothing; the draft is typed below
    UiActions a;
    a.prompt_text = "My half-typed question";  // what the prompt panel hands over as it is typed
    a.connect_openrouter = true;
    before.app.apply(a);
    ASSERT_EQ(host.navigations, 1);
  }
  Rig after(host, {});  // the tab comes back (a fresh app over the same session storage)
  EXPECT_EQ(after.state()["prompt"], "My half-typed question");
  EXPECT_TRUE(host.session.find("concord.draft") == host.session.end()) << "the draft is used once";
}
}  // namespace
}  // namespace concord
