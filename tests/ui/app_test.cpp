// The whole app, headless: App over MemoryHost + ScriptedTransport, drawn with ImGui frames
// and no GPU. Covers what only the app layer does: history persistence across "tabs",
// storage-full handling, the window API, and that keys never leak into storage or exports.
#include <gtest/gtest.h>

#include "app.h"
#include "eval_run.h"
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
  explicit Rig(MemoryHost& h, std::vector<ScriptedTransport::Rule> first = {}, ImVec2 display = ImVec2(1280, 800))
      : host(h), ui(display), app(host, t) {
    ui.host_window = false;
    for (auto& r : first) t.add(r);
    // Demo endpoints are told each call's role (concord_demo.call): no prompt wording is matched.
    ScriptedTransport::Rule judge{"", "\"role\":\"judge\"", ScriptedTransport::Sse({Chunk(JudgeJson()), Usage()}), -1};
    ScriptedTransport::Rule member{"chat/completions", "", ScriptedTransport::Sse({Chunk("Water is wet, "), Chunk("mostly."), Usage()}), -1};
    ScriptedTransport::Rule final_answer{"", "\"role\":\"writer\"", ScriptedTransport::Sse({Chunk("Fused: water is wet."), Usage()}), -1};
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
      app.after_frame();  // as the web platform does, in its own task after the frame
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
  // The demo's costs are made-up prices: the cost line says nobody pays them.
  EXPECT_TRUE(rig.app.ui().rects.count("summary.cost_simulated"));
}

// Saving a finished run (merge with other tabs, rewrite of the stored history) waits for
// after_frame(), so the frame that shows the answer is not held up by it; nothing that replaces
// the run can skip the save.
TEST(AppHeadless, AFinishedRunIsSavedAfterItsFrameAndBeforeAnythingReplacesIt) {
  MemoryHost host;
  Rig rig(host);
  rig.frames(3);
  rig.api({{"cmd", "run"}, {"prompt", "Is water wet?"}});
  for (int i = 0; i < 200 && rig.api({{"cmd", "state"}})["stage"] != "done"; ++i) {
    rig.t.advance(0.05);
    rig.app.tick();  // no frame, no after_frame: as between two frames on the page
  }
  ASSERT_EQ(rig.api({{"cmd", "state"}})["stage"], "done");
  EXPECT_TRUE(rig.app.after_frame_due());
  EXPECT_EQ(host.local["concord.history"].find("Is water wet?"), std::string::npos) << "not saved inside the tick";
  rig.app.after_frame();
  EXPECT_FALSE(rig.app.after_frame_due());
  EXPECT_NE(host.local["concord.history"].find("Is water wet?"), std::string::npos);

  // A run that finished and was never given its frame is still saved when the next one
  // replaces it: after the next one's requests have left, after its first frame.
  rig.api({{"cmd", "run"}, {"prompt", "Is fire hot?"}});
  for (int i = 0; i < 200 && rig.api({{"cmd", "state"}})["stage"] != "done"; ++i) {
    rig.t.advance(0.05);
    rig.app.tick();
  }
  ASSERT_TRUE(rig.app.after_frame_due());
  const size_t sent = rig.t.sent.size();
  EXPECT_TRUE(rig.api({{"cmd", "run"}, {"prompt", "Is ice cold?"}})["ok"].get<bool>());
  EXPECT_GT(rig.t.sent.size(), sent) << "the new run's requests went out at once";
  EXPECT_EQ(host.local["concord.history"].find("Is fire hot?"), std::string::npos) << "and nothing was written before them";
  EXPECT_TRUE(rig.app.after_frame_due());
  rig.frames(1);
  EXPECT_NE(host.local["concord.history"].find("Is fire hot?"), std::string::npos);
  EXPECT_FALSE(rig.app.after_frame_due());
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
  const size_t sent = rig.t.sent.size();
  json r = rig.api({{"cmd", "run"}, {"prompt", "Second question"}});
  EXPECT_TRUE(r["ok"].get<bool>()) << r.dump();
  EXPECT_GT(rig.t.sent.size(), sent) << "the new run's requests went out at once";
  EXPECT_EQ(host.local["concord.history"].find("cancelled"), std::string::npos) << "before the history was rewritten";
  rig.frames(1);
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
  EXPECT_FALSE(rig.app.ui().rects.count("summary.cost_simulated")) << "real calls' costs are not called simulated";
}

// "Forget my keys" in one tab is not undone by another tab that still remembers them.
TEST(AppHeadless, AnotherTabDoesNotWriteBackKeysTheUserAskedToForget) {
  MemoryHost host;
  host.local["concord.settings"] = R"({"version":1,"remember_keys":true})";
  host.local["concord.keys"] = R"({"openrouter":"sk-or-v1-SECRET-456"})";
  Rig b(host);  // opened while the keys were remembered
  b.frames(2);
  // Tab A unticks "Remember keys on this device": it rewrites the settings and removes the keys.
  json settings = ParseJson(host.local["concord.settings"]);
  settings["remember_keys"] = false;
  host.local["concord.settings"] = settings.dump();
  host.local.erase("concord.keys");
  // Tab B then saves its settings (any Setup change does).
  b.api({{"cmd", "configure"}, {"quorum", 0}});
  EXPECT_EQ(host.local.count("concord.keys"), 0u) << "the keys stay forgotten on this device";
  EXPECT_EQ(host.local["concord.settings"].find("SECRET-456"), std::string::npos);
  EXPECT_FALSE(ParseJson(host.local["concord.settings"])["remember_keys"].get<bool>());
  for (auto& [k, v] : host.local) EXPECT_EQ(v.find("SECRET-456"), std::string::npos) << k;
}

// A remembered key deleted in one tab is not written back by another tab that still had it;
// a key this tab changed itself is kept.
TEST(AppHeadless, AnotherTabDoesNotWriteBackARememberedKeyDeletedElsewhere) {
  MemoryHost host;
  host.local["concord.settings"] = R"({"version":1,"remember_keys":true})";
  host.local["concord.keys"] = R"({"openrouter":"sk-or-v1-OLD-789","anthropic":"sk-ant-KEEP"})";
  Rig b(host);
  b.frames(2);
  host.session.clear();  // tab A's session is not tab B's: only the device's storage is shared
  // Tab A deletes the OpenRouter key (it saves the keys it has left).
  host.local["concord.keys"] = R"({"openrouter":"","anthropic":"sk-ant-KEEP"})";
  b.api({{"cmd", "configure"}, {"quorum", 0}});  // tab B saves its settings
  EXPECT_EQ(host.local["concord.keys"].find("OLD-789"), std::string::npos) << host.local["concord.keys"];
  EXPECT_NE(host.local["concord.keys"].find("sk-ant-KEEP"), std::string::npos);
}

// A question file fetched from a private URL is downloaded with its ?token=… but named, saved
// and listed without it.
TEST(AppHeadless, AnEvalUrlsTokenIsUsedForTheDownloadAndKeptNowhere) {
  MemoryHost host;
  ScriptedTransport::Rule file{"files.example/evals.jsonl", "", ScriptedTransport::Json(200, R"({"question":"What is 2 + 2?","answer":"4"})"), -1};
  Rig rig(host, {file});
  rig.frames(2);
  UiActions a;
  a.eval_load_url = "https://files.example/evals.jsonl?token=SECRET-TOKEN-1#x";
  rig.app.apply(a);
  rig.frames(3);
  ASSERT_FALSE(rig.t.sent.empty());
  bool fetched_with_token = false;
  for (auto& r : rig.t.sent) fetched_with_token |= r.url == "https://files.example/evals.jsonl?token=SECRET-TOKEN-1#x";
  EXPECT_TRUE(fetched_with_token);
  const std::string sets = rig.api({{"cmd", "state"}})["eval_sets"].dump();
  EXPECT_NE(sets.find("https://files.example/evals.jsonl"), std::string::npos) << sets;
  EXPECT_EQ(sets.find("SECRET-TOKEN"), std::string::npos) << sets;
  for (auto& [k, v] : host.local) EXPECT_EQ(v.find("SECRET-TOKEN"), std::string::npos) << k;
}

// A phone-sized window: one column with tabs, the question first (Setup closed), and the
// answer's tab in front as soon as a run starts.
TEST(AppHeadless, ANarrowWindowIsOneColumnWithTheAnswerInFrontDuringARun) {
  MemoryHost host;
  Rig rig(host, {}, ImVec2(412, 860));
  rig.frames(3);
  auto has = [&](const char* r) { return rig.app.ui().rects.count(r) != 0; };
  EXPECT_TRUE(has("narrow.tab.question"));
  EXPECT_TRUE(has("narrow.tab.panel"));
  EXPECT_FALSE(has("judge.tab.final")) << "the question's tab is in front";
  EXPECT_FALSE(rig.app.ui().setup_open) << "a first visit on a phone sees the question, not Setup";
  rig.api({{"cmd", "run"}, {"prompt", "Is water wet?"}});
  rig.frames(2);
  EXPECT_TRUE(has("judge.tab.final")) << "the answer's tab came to the front";
  rig.run("Is water wet?");
  EXPECT_EQ(rig.api({{"cmd", "state"}})["final_answer"], "Fused: water is wet.");
  // A wide window keeps three columns and Setup.
  MemoryHost wide_host;
  Rig wide(wide_host);
  wide.frames(3);
  EXPECT_FALSE(wide.app.ui().rects.count("narrow.tab.question"));
  EXPECT_TRUE(wide.app.ui().setup_open);
}

// Cancelled while the writer writes: what it wrote is kept on screen, said to be cut short, and
// never passed off as the answer.
TEST(AppHeadless, ACancelDuringTheWriterKeepsItsTextMarkedCutShort) {
  MemoryHost host;
  auto slow = ScriptedTransport::Sse({Chunk("Fused so far: water is")}, 0.05);
  slow.pop_back();  // the writer never ends by itself
  ScriptedTransport::Rule writer{"", "\"role\":\"writer\"", slow, -1};
  Rig rig(host, {writer});
  rig.frames(2);
  rig.api({{"cmd", "run"}, {"prompt", "Is water wet?"}});
  for (int i = 0; i < 200 && rig.api({{"cmd", "state"}})["stage"] != "writing final answer"; ++i) rig.frames(1);
  rig.frames(5);  // the writer's first words arrive
  ASSERT_EQ(rig.api({{"cmd", "state"}})["stage"], "writing final answer");
  rig.api({{"cmd", "cancel"}});
  rig.frames(2);
  const json st = rig.api({{"cmd", "state"}});
  EXPECT_EQ(st["stage"], "cancelled");
  EXPECT_EQ(st["final_answer"], "") << "a cut writer is not the answer";
  EXPECT_TRUE(rig.app.ui().rects.count("judge.final_cut_by_cancel")) << "its text is shown, marked cut short";
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


// ---- the in-page demo: its gallery, free questions, and leaving it ------------------------
ScriptedTransport::Rule ExamplesRule() {
  return {"/examples", "", ScriptedTransport::Json(200, R"({"data":[
    {"question":"Can you see the Great Wall of China from space with the naked eye?","label":"Great Wall","kind":"k","panel":"demo"},
    {"question":"What is the probability of rolling at least one six in four rolls of a fair die?","label":"Dice","kind":"k","panel":"self"},
    {"question":"What has Webb found on K2-18 b?","label":"Webb","kind":"k","panel":"demo","search":true}]})"), -1};
}

TEST(AppHeadless, TheDemoRunsItsExamplesAndRefusesFreeQuestionsHonestly) {
  MemoryHost host;
  Rig rig(host, {ExamplesRule()});
  rig.frames(3);
  json st = rig.api({{"cmd", "state"}});
  ASSERT_EQ(st["examples"].size(), 3u);
  EXPECT_EQ(st["demo_base"], kInPageDemoBase);
  // A free question: nothing is sent, the user is told why and offered Connect.
  const size_t sent = rig.t.sent.size();
  json r = rig.run("Is it safe to eat raw cookie dough? Give the real risks.");
  EXPECT_FALSE(r["ok"].get<bool>());
  st = rig.api({{"cmd", "state"}});
  EXPECT_TRUE(st["demo_only_examples"].get<bool>());
  EXPECT_EQ(st["stage"], "idle");
  EXPECT_EQ(rig.t.sent.size(), sent) << "a refused question sends nothing";
  rig.frames(1);
  EXPECT_TRUE(rig.app.ui().rects.count("demo.connect")) << "the Connect button is on screen";
  // The same question as an example, typed with other case and spacing, runs.
  EXPECT_TRUE(rig.run("can you see the great wall of china  from space with the naked eye")["ok"].get<bool>());
  EXPECT_FALSE(rig.api({{"cmd", "state"}})["demo_only_examples"].get<bool>());
  // The self-fusion example runs one model at three temperatures; the grounded one asks for search.
  EXPECT_TRUE(rig.api({{"cmd", "example"}, {"i", 1}})["ok"].get<bool>());
  st = rig.api({{"cmd", "state"}});
  ASSERT_EQ(st["panel"].size(), 3u);
  for (auto& m : st["panel"]) EXPECT_EQ(m["model"], "demo/atlas");
  EXPECT_EQ(st["panel"][2]["temperature"].get<double>(), 1.1);
  for (int i = 0; i < 200 && rig.api({{"cmd", "state"}})["busy"].get<bool>(); ++i) rig.frames(1);
  EXPECT_EQ(rig.t.sent.back().body.find("\"tools\""), std::string::npos) << "an example without search sends none";
  EXPECT_TRUE(rig.api({{"cmd", "example"}, {"i", 2}})["ok"].get<bool>());
  EXPECT_NE(rig.t.sent.back().body.find("\"plugins\""), std::string::npos);
  // The example's search is its own: the user's grounding setting is left as it was.
  EXPECT_EQ(rig.api({{"cmd", "state"}})["search_mode"], static_cast<int>(WebSearchMode::OpenRouterTool));
  EXPECT_FALSE(rig.api({{"cmd", "example"}, {"i", 9}})["ok"].get<bool>());
}

TEST(AppHeadless, AKeyReplacesTheDemoPanelWithBudgetAndTheDemoComesBack) {
  MemoryHost host;
  ScriptedTransport::Rule live{"openrouter.ai/api/v1/models", "", ScriptedTransport::Json(200, R"({"data":[
    {"id":"google/gemini-3-flash-preview","name":"Gemini 3 Flash","pricing":{"prompt":"0.0000005","completion":"0.000003"}},
    {"id":"moonshotai/kimi-k2.6","name":"Kimi K2.6","pricing":{"prompt":"0.0000006","completion":"0.0000025"}},
    {"id":"deepseek/deepseek-v4-pro","name":"DeepSeek V4 Pro","pricing":{"prompt":"0.0000005","completion":"0.0000015"}},
    {"id":"anthropic/claude-sonnet-4.6","name":"Claude Sonnet 4.6","pricing":{"prompt":"0.000003","completion":"0.000015"}}]})"), -1};
  Rig rig(host, {ExamplesRule(), live});
  rig.frames(3);
  EXPECT_TRUE(IsDemoPanel(rig.app.settings()));
  // Paste a key (what the Setup panel does), then the frame that applies it.
  rig.app.settings().openrouter_key = "sk-or-v1-test-0000";
  UiActions a;
  a.settings_changed = true;
  rig.app.apply(a);
  rig.frames(3);
  json st = rig.api({{"cmd", "state"}});
  ASSERT_EQ(st["panel"].size(), 3u) << st.dump();
  EXPECT_EQ(st["panel"][0]["model"], "google/gemini-3-flash-preview");
  EXPECT_EQ(st["panel"][0]["endpoint"], "openrouter");
  EXPECT_EQ(st["judge_model"], "anthropic/claude-sonnet-4.6");
  EXPECT_NE(st["notice"].get<std::string>().find("Budget preset"), std::string::npos) << st["notice"];
  EXPECT_EQ(st["catalogue_error"], "");
  EXPECT_TRUE(st["examples"].empty()) << "the gallery belongs to the demo";
  // Back to the demo: the demo panel returns.
  rig.app.settings().openrouter_key.clear();
  rig.app.apply(a);
  rig.frames(3);
  st = rig.api({{"cmd", "state"}});
  EXPECT_TRUE(IsDemoPanel(rig.app.settings()));
  EXPECT_EQ(st["panel"][0]["model"], "demo/atlas");
  EXPECT_NE(st["notice"].get<std::string>().find("Back to the demo"), std::string::npos);
  EXPECT_EQ(st["examples"].size(), 3u);
}

TEST(AppHeadless, CatalogueErrorsNameTheProviderInUse) {
  MemoryHost host;
  ScriptedTransport::Rule down{"openrouter.ai/api/v1/models", "", ScriptedTransport::Json(503, R"({"error":{"code":503,"message":"down"}})"), -1};
  Rig rig(host, {down});
  rig.app.settings().openrouter_key = "sk-or-v1-test-0000";
  UiActions a;
  a.settings_changed = true;
  rig.app.apply(a);
  rig.frames(3);
  const std::string err = rig.api({{"cmd", "state"}})["catalogue_error"];
  EXPECT_NE(err.find("OpenRouter"), std::string::npos) << err;
  EXPECT_EQ(err.find("demo"), std::string::npos) << err;
}


// A tap (move and press in one frame, as touch, pens and automation do) acts like a click on
// tabs, stance cells and buttons alike.
TEST(AppHeadless, TapsSelectTabsAndCellsAndPressButtons) {
  MemoryHost host;
  Rig rig(host);
  rig.frames(3);
  ASSERT_TRUE(rig.run("Is water wet?")["ok"].get<bool>());
  rig.frames(3);
  auto centre = [&](const std::string& name) {
    const ImVec4 r = rig.app.ui().rects.at(name);
    return ImVec2((r.x + r.z) / 2, (r.y + r.w) / 2);
  };
  auto tap = [&](const std::string& name) {
    ASSERT_TRUE(rig.app.ui().rects.count(name)) << name;
    rig.ui.tap(centre(name), [&] { rig.app.draw(); });
    rig.frames(2);
  };
  tap("maps.tab.agreement");
  EXPECT_EQ(rig.api({{"cmd", "state"}})["maps_tab"], 1);
  tap("judge.tab.analysis");
  EXPECT_EQ(rig.api({{"cmd", "state"}})["judge_tab"], 1);
  tap("maps.tab.grid");
  EXPECT_EQ(rig.api({{"cmd", "state"}})["maps_tab"], 0);
  tap("maps.grid.cell.0.0");
  EXPECT_EQ(rig.api({{"cmd", "state"}})["focus_member"], 0) << "a stance cell tap shows that answer";
  tap("toggle.setup");
  EXPECT_FALSE(rig.app.ui().setup_open) << "a button tap presses it";
}

TEST(AppHeadless, EvalContestantsCanBeAddedKeptAndTheGridIsKeyboardReachable) {
  MemoryHost host;
  {
    Rig rig(host);
    ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // as the web platform sets it
    rig.frames(3);
    const size_t defaults = rig.api({{"cmd", "eval_state"}})["available"].size();
    ASSERT_GE(defaults, 5u);  // three alone, the fusion, self-fusion, the vote
    json r = rig.api({{"cmd", "eval_add"}, {"model", "demo/dune"}});
    EXPECT_TRUE(r["ok"].get<bool>()) << r.dump();
    EXPECT_FALSE(rig.api({{"cmd", "eval_add"}, {"model", "demo/dune"}})["ok"].get<bool>()) << "the same model twice";
    // Keep Setup as it is (three members), then change Setup: the snapshot is a second fusion.
    r = rig.api({{"cmd", "eval_add"}, {"preset", "setup"}});
    EXPECT_TRUE(r["ok"].get<bool>()) << r.dump();
    EXPECT_NE(r["message"].get<std::string>().find("runs once"), std::string::npos) << "equal to Setup now: not run twice";
    EXPECT_EQ(rig.api({{"cmd", "eval_state"}})["available"].size(), defaults + 1);
    EXPECT_FALSE(rig.api({{"cmd", "eval_add"}, {"preset", "setup"}})["ok"].get<bool>()) << "the same snapshot twice";
    rig.api({{"cmd", "configure"}, {"panel", {"demo/atlas", "demo/borealis"}}});
    const json av = rig.api({{"cmd", "eval_state"}})["available"];
    ASSERT_EQ(av.size(), defaults - 2 + 2) << av.dump();  // one member less alone, no vote of two; two added
    EXPECT_NE(host.local["concord.eval.extras"].find("demo/dune"), std::string::npos);
    // Run it; both fusions and the added model answer every item.
    ASSERT_TRUE(rig.api({{"cmd", "eval_run"}, {"set", "builtin:arithmetic"}, {"limit", 2}})["ok"].get<bool>());
    for (int i = 0; i < 400 && rig.api({{"cmd", "eval_state"}})["busy"].get<bool>(); ++i) rig.frames(1);
    json st = rig.api({{"cmd", "eval_state"}});
    EXPECT_EQ(st["stage"], "done") << st.dump();
    for (auto& c : st["contestants"]) EXPECT_EQ(c["done"].get<int>() + c["failed"].get<int>(), 2) << c.dump();
    rig.frames(3);
    // A tap opens a cell; the arrow keys move the opened cell, as a keyboard user expects.
    ASSERT_TRUE(rig.app.ui().rects.count("eval.cell.0.0"));
    const ImVec4 c = rig.app.ui().rects.at("eval.cell.0.0");
    rig.ui.tap(ImVec2((c.x + c.z) / 2, (c.y + c.w) / 2), [&] { rig.app.draw(); });
    rig.frames(2);
    EXPECT_EQ(rig.app.ui().eval.sel_item, 0);
    EXPECT_EQ(rig.app.ui().eval.sel_contestant, 0);
    auto key = [&](ImGuiKey k) {
      ImGui::GetIO().AddKeyEvent(k, true);
      rig.frames(1);
      ImGui::GetIO().AddKeyEvent(k, false);
      rig.frames(2);
    };
    key(ImGuiKey_RightArrow);
    EXPECT_EQ(rig.app.ui().eval.sel_contestant, 1);
    key(ImGuiKey_DownArrow);
    EXPECT_EQ(rig.app.ui().eval.sel_item, 1);
    EXPECT_EQ(rig.app.ui().eval.sel_contestant, 1);
  }
  // The added contestants are there on the next visit.
  Rig again(host);
  again.frames(2);
  size_t added = 0;
  const json st2 = again.api({{"cmd", "eval_state"}});
  for (auto& c : st2["available"]) added += c["added"].get<bool>();
  EXPECT_EQ(added, 2u) << st2.dump();
}

// The eval is saved after every finished answer (a closed tab loses nothing paid for), and
// each save writes what finished since, not the whole eval again.
TEST(AppHeadless, EvalProgressIsSavedAnswerByAnswerAndResumesFromTheParts) {
  MemoryHost host;
  size_t whole = 0, written = 0;
  int finished = 0;
  {
    Rig rig(host);
    rig.frames(3);
    const size_t before = host.bytes_written;
    ASSERT_TRUE(rig.api({{"cmd", "eval_run"}, {"set", "builtin:arithmetic"}, {"limit", 8}})["ok"].get<bool>());
    for (int i = 0; i < 400 && rig.api({{"cmd", "eval_state"}})["done"].get<int>() < 30; ++i) rig.frames(1);
    const json st = rig.api({{"cmd", "eval_state"}});
    ASSERT_TRUE(st["busy"].get<bool>()) << "stopped mid-way: " << st.dump();
    finished = st["done"].get<int>();
    written = host.bytes_written - before;
    whole = rig.api({{"cmd", "eval_export"}})["json"].get<std::string>().size();
  }  // the tab closes with answers in flight
  EXPECT_LT(written, 2 * whole) << "each answer written about once, not the whole eval after each one";
  EXPECT_EQ(host.local["concord.eval"].find("\"answer\""), std::string::npos) << "the plan key holds no answers";
  EXPECT_FALSE(host.local["concord.eval.part.0"].empty());
  Rig again(host);
  again.frames(2);
  EXPECT_TRUE(again.api({{"cmd", "eval_state"}})["interrupted"].get<bool>());
  ASSERT_TRUE(again.api({{"cmd", "eval_resume"}})["ok"].get<bool>());
  EXPECT_GE(again.api({{"cmd", "eval_state"}})["done"].get<int>(), finished) << "the saved answers are back";
  for (int i = 0; i < 400 && again.api({{"cmd", "eval_state"}})["busy"].get<bool>(); ++i) again.frames(1);
  const json st = again.api({{"cmd", "eval_state"}});
  EXPECT_EQ(st["stage"], "done");
  EXPECT_EQ(st["done"], st["total"]);
  // Started again from scratch: the old parts go.
  ASSERT_TRUE(again.api({{"cmd", "eval_run"}, {"set", "builtin:arithmetic"}, {"limit", 2}})["ok"].get<bool>());
  EXPECT_TRUE(host.local["concord.eval.part.40"].empty());
}

TEST(AppHeadless, AnEvalAnswerThatIsNotWholeIsCountedAndSaidUnderTheTable) {
  MemoryHost host;
  // demo/atlas's streams close after their text with no finish reason and no [DONE].
  ScriptedTransport::Rule cut{"chat/completions", "\"model\":\"demo/atlas\"", ScriptedTransport::Sse({Chunk("Answer: 4")}), -1};
  Rig rig(host, {cut});
  rig.frames(3);
  ASSERT_TRUE(rig.api({{"cmd", "eval_run"}, {"set", "builtin:arithmetic"}, {"limit", 2}})["ok"].get<bool>());
  for (int i = 0; i < 400 && rig.api({{"cmd", "eval_state"}})["busy"].get<bool>(); ++i) rig.frames(1);
  const json st = rig.api({{"cmd", "eval_state"}});
  ASSERT_EQ(st["stage"], "done") << st.dump();
  int atlas = -1, others = 0;
  for (auto& c : st["contestants"]) {
    if (c["id"].get<std::string>().find("demo/atlas") != std::string::npos && c["label"].get<std::string>().find("fusion") == std::string::npos &&
        c["id"].get<std::string>().rfind("single", 0) == 0)
      atlas = c["incomplete_answers"].get<int>();
    else if (c["label"].get<std::string>().find("fusion") != std::string::npos)
      others += c["incomplete_answers"].get<int>();
  }
  EXPECT_EQ(atlas, 2) << st.dump();
  EXPECT_EQ(others, 0) << "a fusion's writer answered whole: " << st.dump();
  rig.frames(2);
  EXPECT_TRUE(rig.app.ui().rects.count("eval.incomplete")) << "the line under the table says so";
  const std::string csv = rig.api({{"cmd", "eval_export"}})["csv"].get<std::string>();
  EXPECT_NE(csv.find(",incomplete\n"), std::string::npos);
  EXPECT_NE(csv.find("may be cut short"), std::string::npos);
}

// The eval progress saved in the host's localStorage, read back as a reload would.
std::string SavedEvalTasks(MemoryHost& host, std::vector<EvalTask>& tasks) {
  EvalPlan plan;
  std::vector<std::string> parts;
  for (int n = 0; !host.local["concord.eval.part." + std::to_string(n)].empty(); ++n) parts.push_back(host.local["concord.eval.part." + std::to_string(n)]);
  return EvalRunner::LoadParts(host.local["concord.eval"], parts, plan, tasks);
}

TEST(AppHeadless, ARetriedAnswerThatFailsAgainIsSavedWithItsNewError) {
  MemoryHost host;
  auto fail = [](const char* why) {
    return ScriptedTransport::Rule{"chat/completions", "\"model\":\"demo/atlas\"",
                                   ScriptedTransport::Json(400, std::string(R"({"error":{"code":400,"message":")") + why + "\"}}"), -1};
  };
  std::string saved_parts;
  {
    Rig rig(host, {fail("first outage")});
    rig.frames(3);
    ASSERT_TRUE(rig.api({{"cmd", "eval_run"}, {"set", "builtin:arithmetic"}, {"limit", 2}})["ok"].get<bool>());
    for (int i = 0; i < 400 && rig.api({{"cmd", "eval_state"}})["busy"].get<bool>(); ++i) rig.frames(1);
    ASSERT_EQ(rig.api({{"cmd", "eval_state"}})["stage"], "done");
    rig.t.add_first(fail("second outage"));
    ASSERT_TRUE(rig.api({{"cmd", "eval_retry"}})["ok"].get<bool>());
    for (int i = 0; i < 400 && rig.api({{"cmd", "eval_state"}})["busy"].get<bool>(); ++i) rig.frames(1);
    ASSERT_EQ(rig.api({{"cmd", "eval_state"}})["stage"], "done");
    const std::string exported = rig.api({{"cmd", "eval_export"}})["json"].get<std::string>();
    ASSERT_NE(exported.find("second outage"), std::string::npos);
    ASSERT_EQ(exported.find("first outage"), std::string::npos) << exported;
  }
  Rig again(host);
  again.frames(2);
  // What a reload shows is what the tab last showed: the retried answers' new error.
  std::vector<EvalTask> tasks;
  ASSERT_EQ(SavedEvalTasks(host, tasks), "");
  int failed = 0;
  for (auto& t : tasks) {
    if (t.status != EvalTask::Status::Failed) continue;
    ++failed;
    EXPECT_NE(t.error.find("second outage"), std::string::npos) << t.error;
  }
  EXPECT_GT(failed, 0);
}

TEST(AppHeadless, PickedFilesGoWhereTheyBelongAndATooLargeOneIsRefusedWithItsSize) {
  MemoryHost host;
  Rig rig(host);
  rig.frames(2);
  // A JSON array of questions is a question set, whatever its name and wherever the user is.
  rig.app.on_file("set.json", R"([{"question":"One?","answer":"1"},{"question":"Two?","answer":"2"}])");
  auto eval_msg = [&] { return rig.api({{"cmd", "eval_state"}})["file_message"].get<std::string>(); };
  EXPECT_EQ(eval_msg(), "Loaded set.json: 2 questions.");
  rig.app.on_file("excel.csv", "sep=;\nquestion;answer\nq;a\n");
  EXPECT_EQ(eval_msg(), "Loaded excel.csv: 1 question (semicolon-separated).");
  rig.app.on_file_refused("dump.jsonl", 1.5e9);
  EXPECT_EQ(eval_msg(), "Could not open dump.jsonl (nothing was loaded): it is 1.5 GB, and Concord reads files of up to 32 MB.");
  rig.app.on_file_refused("runs.json", 80e6);
  const std::string hm = rig.api({{"cmd", "state"}})["history_message"].get<std::string>();
  EXPECT_NE(hm.find("it is 80 MB"), std::string::npos) << hm;
}

TEST(AppHeadless, ARunSavedByANewerVersionSurvivesThisVersionSavingHistory) {
  MemoryHost host;
  const std::string newer = R"({"format":"concord.run","version":2,"id":"from-the-future"})";
  host.local["concord.history"] = Dump(json::array({newer}));
  Rig rig(host);
  rig.frames(2);
  EXPECT_EQ(rig.api({{"cmd", "state"}})["history_unreadable"], 1);
  rig.run("What is water?");  // saves history
  const json stored = ParseJson(host.local["concord.history"]);
  ASSERT_TRUE(stored.is_array());
  ASSERT_EQ(stored.size(), 2u) << "this run, and the newer one as it was";
  EXPECT_EQ(stored[1], newer);
}

TEST(AppHeadless, TwoTabsRunningEvalsNeverWriteOverEachOthersProgress) {
  MemoryHost host;  // one browser: both tabs share localStorage
  Rig a(host), b(host);
  a.frames(3);
  b.frames(3);
  ASSERT_TRUE(a.api({{"cmd", "eval_run"}, {"set", "builtin:arithmetic"}, {"limit", 6}})["ok"].get<bool>());
  for (int i = 0; i < 400 && a.api({{"cmd", "eval_state"}})["done"].get<int>() < 8; ++i) a.frames(1);
  ASSERT_TRUE(b.api({{"cmd", "eval_run"}, {"set", "builtin:arithmetic"}, {"limit", 2}})["ok"].get<bool>());
  for (int i = 0; i < 400 && (a.api({{"cmd", "eval_state"}})["busy"].get<bool>() || b.api({{"cmd", "eval_state"}})["busy"].get<bool>()); ++i) {
    a.frames(1);
    b.frames(1);
  }
  EXPECT_NE(a.api({{"cmd", "eval_state"}})["message"].get<std::string>().find("Another tab started an eval"), std::string::npos);
  const json done_b = b.api({{"cmd", "eval_state"}});
  ASSERT_EQ(done_b["stage"], "done");
  // What is saved is tab B's eval, whole, with none of tab A's answers in it.
  std::vector<EvalTask> tasks;
  ASSERT_EQ(SavedEvalTasks(host, tasks), "");
  int finished = 0;
  for (auto& t : tasks) finished += t.status == EvalTask::Status::Done || t.status == EvalTask::Status::Failed;
  EXPECT_EQ(static_cast<int>(tasks.size()), done_b["total"].get<int>());
  EXPECT_EQ(finished, done_b["total"].get<int>()) << "every answer of B's eval is in what is saved";
}

}  // namespace
}  // namespace concord
