// The whole app, headless: App over MemoryHost + ScriptedTransport, drawn with ImGui frames
// and no GPU. Covers what only the app layer does: history persistence across "tabs",
// storage-full handling, the window API, and that keys never leak into storage or exports.
#include <gtest/gtest.h>

#include "app.h"
#include "headless.h"
#include "jsonutil.h"
#include "transport.h"

namespace concord {
namespace {

std::string Chunk(const std::string& text) {
  json j = {{"choices", json::array({{{"index", 0}, {"delta", {{"content", text}}}}})}};
  return "data: " + j.dump() + "\n\n";
}
std::string Usage() {
  json j = {{"choices", json::array({{{"index", 0}, {"delta", json::object()}, {"finish_reason", "stop"}}})},
            {"usage", {{"prompt_tokens", 10}, {"completion_tokens", 20}, {"cost", 0.0001}}}};
  return "data: " + j.dump() + "\n\ndata: [DONE]\n\n";
}
std::string JudgeJson() {
  json a = {{"consensus", json::array({{{"claim", "Water is wet."}, {"models", {"A", "B"}}, {"confidence", 0.9}}})},
            {"contradictions", json::array()}, {"partial_coverage", json::array()},
            {"unique_insights", json::array()}, {"blind_spots", json::array()},
            {"final_answer", "Fused: water is wet."}};
  return a.dump();
}

struct Rig {
  MemoryHost& host;
  ScriptedTransport t;
  HeadlessImGui ui;
  App app;
  explicit Rig(MemoryHost& h, std::vector<ScriptedTransport::Rule> first = {}) : host(h), app(host, t) {
    ui.host_window = false;
    for (auto& r : first) t.add(r);
    ScriptedTransport::Rule judge{"", "You are the judge", ScriptedTransport::Sse({Chunk(JudgeJson()), Usage()}), -1};
    ScriptedTransport::Rule member{"chat/completions", "", ScriptedTransport::Sse({Chunk("Water is wet, "), Chunk("mostly."), Usage()}), -1};
    ScriptedTransport::Rule final_answer{"", "You write the final answer", ScriptedTransport::Sse({Chunk("Fused: water is wet."), Usage()}), -1};
    t.add(final_answer);
    ScriptedTransport::Rule models{"/models", "", ScriptedTransport::Json(200, R"({"data":[]})"), -1};
    t.add(judge);
    t.add(member);
    t.add(models);
    app.init();
    app.set_fonts(ui.fonts);
    app.set_scale(1);
  }
  void frames(int n) {
    for (int i = 0; i < n; ++i) {
      t.advance(0.05);
      app.tick();
      ui.frame([&] { app.draw(); });
    }
  }
  json api(const json& cmd) { return ParseJson(app.api(cmd.dump())); }
  json run(const std::string& prompt) {
    json r = api({{"cmd", "run"}, {"prompt", prompt}});
    for (int i = 0; i < 200 && api({{"cmd", "state"}})["busy"].get<bool>(); ++i) frames(1);
    frames(2);
    return r;
  }
};

TEST(AppHeadless, DemoRunCompletesAndIsSavedToHistory) {
  MemoryHost host;
  Rig rig(host);
  rig.frames(3);
  EXPECT_TRUE(rig.run("Is water wet?")["ok"].get<bool>());
  json st = rig.api({{"cmd", "state"}});
  EXPECT_EQ(st["stage"], "done") << st.dump().substr(0, 3000) << "\nsent " << rig.t.sent.size() << " " << (rig.t.sent.empty() ? "" : rig.t.sent[0].url);
  EXPECT_EQ(st["final_answer"], "Fused: water is wet.");
  EXPECT_EQ(st["history"], 1);
  EXPECT_NE(host.local["concord.history"].find("Is water wet?"), std::string::npos);
}

TEST(AppHeadless, ALateStragglerNeitherBlocksTheNextRunNorLosesTheFinishedOne) {
  MemoryHost host;
  // demo/cirrus answers after 60 s; the quorum lets the judge go with two answers.
  ScriptedTransport::Rule slow{"", "demo/cirrus", ScriptedTransport::Sse({Chunk("late"), Usage()}, 60.0), -1};
  Rig rig(host, {slow});
  rig.api({{"cmd", "configure"}, {"quorum", 2}});
  rig.api({{"cmd", "run"}, {"prompt", "First question"}});
  for (int i = 0; i < 100 && rig.api({{"cmd", "state"}})["stage"] != "done"; ++i) rig.frames(1);
  json st = rig.api({{"cmd", "state"}});
  ASSERT_EQ(st["stage"], "done");
  EXPECT_TRUE(st["busy"].get<bool>()) << "the straggler is still streaming";
  EXPECT_EQ(st["history"], 1) << "saved as soon as it has its answer";
  json r = rig.api({{"cmd", "run"}, {"prompt", "Second question"}});
  EXPECT_TRUE(r["ok"].get<bool>()) << r.dump();
  const std::string& stored = host.local["concord.history"];
  EXPECT_NE(stored.find("First question"), std::string::npos);
  EXPECT_NE(stored.find("cancelled"), std::string::npos) << "the straggler is recorded as cancelled";
}

TEST(AppHeadless, TwoTabsDoNotEraseEachOthersHistory) {
  MemoryHost host;  // one browser profile, two tabs
  Rig tab1(host);
  Rig tab2(host);
  tab1.run("First tab question");
  tab2.run("Second tab question");
  const std::string& stored = host.local["concord.history"];
  EXPECT_NE(stored.find("First tab question"), std::string::npos) << "tab 2's save kept tab 1's run";
  EXPECT_NE(stored.find("Second tab question"), std::string::npos);
}

TEST(AppHeadless, StorageFullKeepsTheRunOnScreenAndSaysSo) {
  MemoryHost host;
  host.quota = 3000;  // room for settings, not for a run
  Rig rig(host);
  rig.run("Does a full store lose the run?");
  json st = rig.api({{"cmd", "state"}});
  EXPECT_EQ(st["final_answer"], "Fused: water is wet.");
  EXPECT_NE(st["history_note"].get<std::string>().find("storage is full"), std::string::npos);
}

TEST(AppHeadless, KeysStayInSessionStorageAndOutOfExports) {
  MemoryHost host;
  host.session["concord.keys"] = R"({"openrouter":"sk-or-v1-SECRET-123"})";
  Rig rig(host);
  rig.api({{"cmd", "configure"}, {"endpoint", "openrouter"}, {"panel", {"a/x", "b/y"}}, {"judges", {"c/z"}}});
  EXPECT_TRUE(rig.run("Key check")["ok"].get<bool>());
  ASSERT_FALSE(rig.t.sent.empty());
  bool auth_sent = false;
  for (auto& h : rig.t.sent[rig.t.sent.size() - 1].headers) auth_sent |= h.second.find("SECRET-123") != std::string::npos;
  EXPECT_TRUE(auth_sent) << "the key is used for the provider call";
  EXPECT_EQ(rig.api({{"cmd", "state"}})["stage"], "done");
  for (auto& [k, v] : host.local) EXPECT_EQ(v.find("SECRET-123"), std::string::npos) << "localStorage key " << k;
  EXPECT_EQ(rig.app.api(R"({"cmd":"export"})").find("SECRET-123"), std::string::npos);
  EXPECT_EQ(rig.app.api(R"({"cmd":"state"})").find("SECRET-123"), std::string::npos);
  EXPECT_EQ(rig.app.api(R"({"cmd":"settings"})").find("SECRET-123"), std::string::npos);
  EXPECT_EQ(host.hash.find("SECRET-123"), std::string::npos);
}

TEST(AppHeadless, HashNeverCarriesKeysAndRestoresThePrompt) {
  MemoryHost host;
  host.hash = "prompt=Hello%20world&panel=demo/atlas,demo/borealis&judge=demo/judge&provider=demo";
  Rig rig(host);
  rig.frames(2);
  json st = rig.api({{"cmd", "state"}});
  EXPECT_EQ(st["prompt"], "Hello world");
  json s = ParseJson(rig.app.api(R"({"cmd":"settings"})"));
  EXPECT_EQ(s["panel"].size(), 2u);
}

}  // namespace
}  // namespace concord
