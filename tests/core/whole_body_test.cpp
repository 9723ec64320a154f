// WholeBody: collects a whole reply from transport events and enforces its time limit on
// the transport's clock (no transport timeout exists).
#include <gtest/gtest.h>

#include "whole_body.h"

namespace concord {
namespace {

HttpRequest Get(const std::string& url) {
  HttpRequest r;
  r.method = "GET";
  r.url = url;
  return r;
}
ScriptedTransport::Rule Rule(const std::string& url, std::vector<ScriptedTransport::Step> steps) {
  ScriptedTransport::Rule r;
  r.url_contains = url;
  r.steps = std::move(steps);
  return r;
}
// Feeds every event to `w`; returns whether one finished it.
bool Pump(ScriptedTransport& t, WholeBody& w) {
  std::vector<TransportEvent> evs;
  t.poll(evs);
  bool done = false;
  for (auto& e : evs) done |= w.feed(e);
  return done;
}

TEST(WholeBody, CollectsStatusHeadersAndEveryChunk) {
  ScriptedTransport t;
  auto steps = ScriptedTransport::Sse({"{\"data\":", "[1,2]}"}, 0.1, 0.1);
  steps[0].headers = {{"x-generation-id", "gen-1"}};
  t.add(Rule("/models", steps));
  WholeBody w;
  w.send(t, Get("https://x.test/models"), 5);
  EXPECT_TRUE(w.busy());
  t.advance(0.15);
  EXPECT_FALSE(Pump(t, w));
  t.advance(1);
  EXPECT_TRUE(Pump(t, w));
  EXPECT_FALSE(w.busy());
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(w.status(), 200);
  EXPECT_EQ(w.body(), "{\"data\":[1,2]}");
  EXPECT_EQ(w.headers().at("x-generation-id"), "gen-1");
}

TEST(WholeBody, AnHttpErrorIsAReplyNotANetworkFailure) {
  ScriptedTransport t;
  t.add(Rule("/key", ScriptedTransport::Json(401, R"({"error":{"message":"bad key"}})")));
  WholeBody w;
  w.send(t, Get("https://x.test/key"), 5);
  t.advance(1);
  ASSERT_TRUE(Pump(t, w));
  EXPECT_FALSE(w.ok());
  EXPECT_EQ(w.failure(), NetFailure::None);
  EXPECT_EQ(w.status(), 401);
  EXPECT_NE(w.body().find("bad key"), std::string::npos);
}

TEST(WholeBody, AHangingRequestTimesOutOnTheTransportClockAndIsAborted) {
  ScriptedTransport t;
  t.add(Rule("/slow", {}));  // never answers
  WholeBody w;
  w.send(t, Get("https://x.test/slow"), 30);
  const RequestId id = w.id();
  t.advance(29.9);
  EXPECT_FALSE(w.expire(t));
  t.advance(0.2);
  EXPECT_TRUE(w.expire(t));
  EXPECT_FALSE(w.busy());
  EXPECT_EQ(w.failure(), NetFailure::Timeout);
  ASSERT_EQ(t.cancelled.size(), 1u);
  EXPECT_EQ(t.cancelled[0], id);
  EXPECT_FALSE(w.expire(t)) << "only once";
}

TEST(WholeBody, EventsOfOtherRequestsAndOfACancelledOneAreIgnored) {
  ScriptedTransport t;
  t.add(Rule("/a", ScriptedTransport::Json(200, "first", 0.5)));
  t.add(Rule("/b", ScriptedTransport::Json(200, "second", 0.5)));
  WholeBody w;
  w.send(t, Get("https://x.test/a"), 0);
  w.send(t, Get("https://x.test/b"), 0);  // replaces the first, which is cancelled
  EXPECT_EQ(t.cancelled.size(), 1u);
  TransportEvent stray;
  stray.id = 1;
  stray.kind = TransportEvent::Kind::End;
  EXPECT_FALSE(w.feed(stray));
  t.advance(1);
  ASSERT_TRUE(Pump(t, w));
  EXPECT_EQ(w.body(), "second");
}

TEST(WholeBody, AnUnreachableServerIsAFailureWithItsMessage) {
  ScriptedTransport t;  // no rule: Unreachable
  WholeBody w;
  w.send(t, Get("https://nowhere.test/"), 5);
  t.advance(0.1);
  ASSERT_TRUE(Pump(t, w));
  EXPECT_EQ(w.failure(), NetFailure::Unreachable);
  EXPECT_FALSE(w.ok());
}

}  // namespace
}  // namespace concord
