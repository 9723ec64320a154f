// Headless ImGui smoke tests of the maps panel (no GPU): every tab against fixture runs
// (empty, one member, streaming, all failed, judge failed, 10 models x 60 claims), recorded
// rects, a simulated click on a grid cell, graph zoom/pan/hover, and the GPU hook path.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "imgui.h"
#include "panel_maps.h"

namespace concord {
namespace {

// ---- A minimal headless ImGui (own setup: no shared headless.h exists) ------------------
struct Headless {
  ImGuiContext* ctx;
  explicit Headless(ImVec2 display = ImVec2(1280, 800)) {
    ctx = ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = display;
    io.DeltaTime = 1.0f / 60.0f;
    io.Fonts->AddFontDefault();
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
  }
  ~Headless() { ImGui::DestroyContext(ctx); }
  Headless(const Headless&) = delete;
  Headless& operator=(const Headless&) = delete;

  // One frame: a full-window host with the child region the app would give the panel.
  UiActions frame(MapsView& view, MapData& data, const FusionRun& run, UiShared& ui) {
    UiActions out;
    ui.rects.clear();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::Begin("host", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
    ImGui::BeginChild("maps_region", ImVec2(0, 0), ImGuiChildFlags_Border);
    DrawMaps(view, data, run, ui, out);
    ImGui::EndChild();
    ImGui::End();
    ImGui::Render();
    return out;
  }
  void mouse(ImVec2 p) { ImGui::GetIO().AddMousePosEvent(p.x, p.y); }
  void button(bool down) { ImGui::GetIO().AddMouseButtonEvent(0, down); }
  void wheel(float w) { ImGui::GetIO().AddMouseWheelEvent(0, w); }
};

ImVec2 Centre(const ImVec4& r) { return ImVec2((r.x + r.z) * 0.5f, (r.y + r.w) * 0.5f); }

// ---- Fixture runs ------------------------------------------------------------------------
const char* const kWords[] = {"light", "scatter", "blue", "sky", "wavelength", "rayleigh", "ozone", "sun",
                              "atmosphere", "molecule", "red", "sunset", "cloud", "mie", "eye", "colour"};

std::string Text(int seed, int words) {
  std::string s;
  for (int i = 0; i < words; ++i) {
    s += kWords[(seed * 7 + i * (seed % 5 + 1)) % 16];
    s += i % 9 == 8 ? ". " : " ";
  }
  return s;
}

FusionRun MakeRun(int n, MemberStatus s, int words) {
  FusionRun r;
  r.stage = s == MemberStatus::Streaming ? RunStage::Panel : RunStage::Done;
  for (int i = 0; i < n; ++i) {
    Call c;
    c.label = std::string(1, static_cast<char>('A' + i));
    c.model.model = "vendor" + std::to_string(i) + "/model-" + std::to_string(i);
    c.status = s;
    c.result.content = s == MemberStatus::Failed ? "" : Text(i, words + i * 3);
    c.result.usage.completion_tokens = 100 + 50 * i;
    c.cost = 0.001 * (i + 1);
    r.members.push_back(c);
  }
  return r;
}

// 10 models, 60 claims: 20 consensus, 15 contradictions, 10 partial, 10 unique, 5 blind spots.
FusionRun Big() {
  FusionRun r = MakeRun(10, MemberStatus::Done, 120);
  Analysis& a = r.judge_parse.analysis;
  auto L = [](int i) { return std::string(1, static_cast<char>('A' + i % 10)); };
  for (int i = 0; i < 20; ++i) {
    ConsensusClaim c;
    c.claim = "Consensus claim " + std::to_string(i) + ": " + Text(i, 25);
    for (int k = 0; k < 10; ++k)
      if ((k + i) % 3 != 1) c.models.push_back(k % 2 ? "Response " + L(k) : L(k));
    c.models.push_back("A");
    c.confidence = 0.8;
    a.consensus.push_back(c);
  }
  for (int i = 0; i < 15; ++i) {
    Contradiction k;
    k.topic = "Topic " + std::to_string(i) + " " + Text(i + 3, 6);
    for (int m = 0; m < 10; ++m)
      if ((m + i) % 4 != 0) k.stances.push_back({L(m), m % 3 == 0 ? "it depends, partially" : (m % 2 ? "yes it does" : "no, never")});
    k.assessment = "the evidence favours one side";
    a.contradictions.push_back(k);
  }
  for (int i = 0; i < 10; ++i) a.partial_coverage.push_back({"Partial point " + std::to_string(i), {L(i), L(i + 3)}});
  for (int i = 0; i < 10; ++i) a.unique_insights.push_back({L(i), "Unique insight " + std::to_string(i), "worth keeping"});
  for (int i = 0; i < 5; ++i) a.blind_spots.push_back("Blind spot " + std::to_string(i) + ": nobody mentioned this");
  r.judge_parse.ok = true;
  r.has_analysis = true;
  r.judge_raw = std::string(5000, 'x');
  return r;
}

FusionRun JudgeFailedRun() {
  FusionRun r = MakeRun(4, MemberStatus::Done, 80);
  Call j;
  j.label = "judge";
  j.status = MemberStatus::Failed;
  r.judge_calls.push_back(j);
  r.judge_parse.error_id = "judge.parse.no_json";
  r.judge_raw = "Sorry, I cannot produce JSON.";
  return r;
}

// Draws every tab for a few frames (the tab switch lands a frame after the request).
void AllTabs(Headless& h, MapsView& view, MapData& data, const FusionRun& run, UiShared& ui) {
  for (int t = 0; t < 3; ++t) {
    view.tab = t;
    for (int f = 0; f < 3; ++f) h.frame(view, data, run, ui);
    EXPECT_EQ(view.tab, t);
    EXPECT_TRUE(ui.rects.count("maps.tab.grid"));
    EXPECT_TRUE(ui.rects.count("maps.tab.agreement"));
    EXPECT_TRUE(ui.rects.count("maps.tab.graph"));
  }
}

// ---- Tests -------------------------------------------------------------------------------
TEST(MapsPanel, EmptyRunShowsHintsOnEveryTab) {
  Headless h;
  MapsView view;
  MapData data;
  UiShared ui;
  FusionRun run;
  AllTabs(h, view, data, run, ui);
  EXPECT_FALSE(ui.rects.count("maps.canvas"));  // nothing to export
}

TEST(MapsPanel, OneMember) {
  Headless h;
  MapsView view;
  MapData data;
  UiShared ui;
  FusionRun run = MakeRun(1, MemberStatus::Done, 40);
  AllTabs(h, view, data, run, ui);
  EXPECT_TRUE(ui.rects.count("maps.canvas"));
  EXPECT_EQ(data.similarity.size(), 1u);
}

TEST(MapsPanel, StreamingUpdatesSimilarityLive) {
  Headless h;
  MapsView view;
  MapData data;
  UiShared ui;
  FusionRun run = MakeRun(3, MemberStatus::Streaming, 10);
  run.members[2].result.content.clear();
  view.tab = 1;
  for (int f = 0; f < 3; ++f) h.frame(view, data, run, ui);
  const size_t rev = data.revision;
  EXPECT_DOUBLE_EQ(data.similarity[2], 0);
  run.members[2].result.content = run.members[0].result.content;  // C catches up with A
  h.frame(view, data, run, ui);
  EXPECT_GT(data.revision, rev);
  EXPECT_GT(data.similarity[2], 0.9);
  AllTabs(h, view, data, run, ui);
}

TEST(MapsPanel, AllFailed) {
  Headless h;
  MapsView view;
  MapData data;
  UiShared ui;
  FusionRun run = MakeRun(3, MemberStatus::Failed, 0);
  run.stage = RunStage::Failed;
  AllTabs(h, view, data, run, ui);
  EXPECT_TRUE(data.judge_failed);
}

TEST(MapsPanel, JudgeFailedPointsToAgreement) {
  Headless h;
  MapsView view;
  MapData data;
  UiShared ui;
  FusionRun run = JudgeFailedRun();
  AllTabs(h, view, data, run, ui);
  EXPECT_TRUE(data.judge_failed);
  EXPECT_FALSE(data.has_analysis);
  // The grid draws no cells without an analysis.
  view.tab = 0;
  for (int f = 0; f < 3; ++f) h.frame(view, data, run, ui);
  EXPECT_FALSE(ui.rects.count("maps.grid.cell.0.0"));
  // A request for another tab (what the grid's "Show agreement" button does) is honoured.
  view.tab = 1;
  for (int f = 0; f < 3; ++f) h.frame(view, data, run, ui);
  EXPECT_EQ(view.tab, 1);
  EXPECT_FALSE(ui.rects.count("maps.grid.cell.0.0"));
  EXPECT_TRUE(ui.rects.count("maps.canvas"));
}

TEST(MapsPanel, TenModelsSixtyClaims) {
  Headless h;
  MapsView view;
  MapData data;
  UiShared ui;
  FusionRun run = Big();
  const auto t0 = std::chrono::steady_clock::now();
  AllTabs(h, view, data, run, ui);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("10x60: 9 frames incl. one recompute: %.1f ms\n", ms);
  EXPECT_GE(data.matrix.rows.size(), 60u);
  EXPECT_EQ(data.matrix.columns.size(), 10u);
  EXPECT_EQ(data.agreement.size(), 100u);
  EXPECT_EQ(data.graph.nodes.size(), 25u);  // 10 models + 15 topics
  EXPECT_EQ(data.revision, 1u);             // computed once, cached afterwards

  view.tab = 0;
  for (int f = 0; f < 3; ++f) h.frame(view, data, run, ui);
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 10; ++c) {
      const std::string k = "maps.grid.cell." + std::to_string(r) + "." + std::to_string(c);
      ASSERT_TRUE(ui.rects.count(k)) << k;
    }
}

TEST(MapsPanel, ClickingAGridCellJumpsToTheAnswer) {
  Headless h;
  MapsView view;
  MapData data;
  UiShared ui;
  FusionRun run = Big();
  view.tab = 0;
  for (int f = 0; f < 3; ++f) h.frame(view, data, run, ui);
  // Row 0 is consensus claim 0; column A is always listed in it.
  ASSERT_EQ(data.matrix.rows[0].cells[0], StanceKind::Agree);
  const ImVec2 p = Centre(ui.rects.at("maps.grid.cell.0.0"));
  h.mouse(p);
  UiActions a = h.frame(view, data, run, ui);
  EXPECT_EQ(a.jump_member, -1);
  h.button(true);
  a = h.frame(view, data, run, ui);
  EXPECT_EQ(a.jump_member, -1);
  h.button(false);
  a = h.frame(view, data, run, ui);
  EXPECT_EQ(a.jump_member, 0);
  EXPECT_EQ(a.jump_quote, data.matrix.rows[0].text);  // consensus rows carry no note: the claim

  // A contradiction cell carries the model's stance text as the quote.
  size_t row = 0;
  while (data.matrix.rows[row].section != RowSection::Contradiction) ++row;
  EXPECT_FALSE(data.matrix.rows[row].notes[1].empty());
}

TEST(MapsPanel, ExportButtons) {
  Headless h;
  MapsView view;
  MapData data;
  UiShared ui;
  FusionRun run = Big();
  h.frame(view, data, run, ui);
  auto click = [&](const char* name) {
    h.mouse(Centre(ui.rects.at(name)));
    h.frame(view, data, run, ui);
    h.button(true);
    h.frame(view, data, run, ui);
    h.button(false);
    return h.frame(view, data, run, ui);
  };
  const bool csv = click("maps.export.csv").export_csv;
  EXPECT_TRUE(csv);
  // Without an analysis there is no stance matrix: CSV is disabled.
  EXPECT_FALSE(ui.rects.count("maps.export.png")) << "no button for an export that does not exist";
  FusionRun failed = JudgeFailedRun();
  MapData d2;
  h.frame(view, d2, failed, ui);
  auto click2 = [&](const char* name) {
    h.mouse(Centre(ui.rects.at(name)));
    h.frame(view, d2, failed, ui);
    h.button(true);
    h.frame(view, d2, failed, ui);
    h.button(false);
    return h.frame(view, d2, failed, ui);
  };
  EXPECT_FALSE(click2("maps.export.csv").export_csv);
}

TEST(MapsPanel, GraphZoomPanHoverAndReset) {
  Headless h;
  MapsView view;
  MapData data;
  UiShared ui;
  FusionRun run = Big();
  view.tab = 2;
  for (int f = 0; f < 3; ++f) h.frame(view, data, run, ui);
  const ImVec4 c = ui.rects.at("maps.canvas");
  EXPECT_GT(c.z - c.x, 200);
  // Hover the first model node.
  const float margin = 30;
  const GraphNode& n0 = data.graph.nodes[0];
  const ImVec2 p(c.x + margin + n0.x * (c.z - c.x - 2 * margin), c.y + margin + n0.y * (c.w - c.y - 2 * margin));
  h.mouse(p);
  h.frame(view, data, run, ui);
  h.frame(view, data, run, ui);
  EXPECT_EQ(view.hover_node, 0);
  // Click the node: jump to that member.
  h.button(true);
  h.frame(view, data, run, ui);
  h.button(false);
  UiActions a = h.frame(view, data, run, ui);
  EXPECT_EQ(a.jump_member, 0);
  // Wheel zoom keeps the point under the cursor fixed.
  h.wheel(2);
  h.frame(view, data, run, ui);
  EXPECT_GT(view.zoom, 1.2f);
  h.frame(view, data, run, ui);
  EXPECT_EQ(view.hover_node, 0);
  // Drag pans.
  const ImVec2 empty(c.x + 5, c.w - 5);
  h.mouse(empty);
  h.frame(view, data, run, ui);
  h.button(true);
  h.frame(view, data, run, ui);
  for (int i = 1; i <= 5; ++i) {
    h.mouse(ImVec2(empty.x + 10.0f * static_cast<float>(i), empty.y - 4.0f * static_cast<float>(i)));
    h.frame(view, data, run, ui);
  }
  h.button(false);
  h.frame(view, data, run, ui);
  EXPECT_NE(view.pan_x, 0.0f);
  // Double-click resets.
  for (int k = 0; k < 2; ++k) {
    h.button(true);
    h.frame(view, data, run, ui);
    h.button(false);
    h.frame(view, data, run, ui);
  }
  EXPECT_FLOAT_EQ(view.zoom, 1.0f);
  EXPECT_FLOAT_EQ(view.pan_x, 0.0f);
}

// The GPU path: with a heat map hook installed the panel emits the callback with its params
// (and a ResetRenderState after it) instead of the flat cells.
void FakeHeatmap(const ImDrawList*, const ImDrawCmd*) {}

TEST(MapsPanel, HeatmapHookGetsParams) {
  Headless h;
  MapsView view;
  MapData data;
  UiShared ui;
  FusionRun run = JudgeFailedRun();
  GetRenderHooks().heatmap = FakeHeatmap;
  view.tab = 1;
  for (int f = 0; f < 3; ++f) h.frame(view, data, run, ui);
  GetRenderHooks().heatmap = nullptr;
  const HeatmapParams* hp = nullptr;
  bool reset_after = false;
  const ImDrawData* dd = ImGui::GetDrawData();
  for (int l = 0; l < dd->CmdListsCount; ++l) {
    const ImDrawList* dl = dd->CmdLists[l];
    for (int i = 0; i < dl->CmdBuffer.Size; ++i) {
      if (dl->CmdBuffer[i].UserCallback == FakeHeatmap) {
        hp = static_cast<const HeatmapParams*>(dl->CmdBuffer[i].UserCallbackData);
        reset_after = i + 1 < dl->CmdBuffer.Size && dl->CmdBuffer[i + 1].UserCallback == ImDrawCallback_ResetRenderState;
      }
    }
  }
  ASSERT_NE(hp, nullptr);
  EXPECT_TRUE(reset_after);
  EXPECT_EQ(hp->n, 4);
  // Each cell gets exactly the colour the fallback path paints for its value: one palette.
  auto rgb = [&](size_t i) { return ImVec4(hp->colours[3 * i], hp->colours[3 * i + 1], hp->colours[3 * i + 2], 1); };
  auto expect = [&](size_t i, double v) {
    const ImVec4 want = ImGui::ColorConvertU32ToFloat4(AgreementColour(v));
    EXPECT_FLOAT_EQ(rgb(i).x, want.x) << "cell " << i;
    EXPECT_FLOAT_EQ(rgb(i).y, want.y) << "cell " << i;
    EXPECT_FLOAT_EQ(rgb(i).z, want.z) << "cell " << i;
  };
  expect(0, 1.0);
  expect(1, data.similarity[1]);
  expect(16, -1.0);  // beyond the 4 x 4 grid: the unknown colour
  EXPECT_FLOAT_EQ(hp->fb_height, 800.0f);
  EXPECT_LT(hp->x0, hp->x1);
  EXPECT_NEAR(hp->x1 - hp->x0, hp->y1 - hp->y0, 1.0f);
}

TEST(MapsPanel, ScaledUiAndSmallRegion) {
  Headless h(ImVec2(420, 300));
  MapsView view;
  MapData data;
  UiShared ui;
  ui.scale = 2;
  FusionRun run = Big();
  AllTabs(h, view, data, run, ui);
}

TEST(MapsPanel, ColourRamp) {
  EXPECT_EQ(AgreementColour(0), pal::Disagree);
  EXPECT_EQ(AgreementColour(1), pal::Agree);
  EXPECT_NE(AgreementColour(-1), AgreementColour(0.5));
}

}  // namespace
}  // namespace concord
