// scripts/bench probes (see bench_probe.h).
#include "bench_probe.h"

#include <emscripten.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

#include "app.h"
#include "imgui.h"

extern "C" double js_heap_bytes();

namespace concord {
namespace {
double Pct(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5))];
}
}  // namespace

void BenchProbe::after_tick(const FusionRun& r, bool busy) {
  if (r.stage != seen_stage_) { seen_stage_ = r.stage; stage_pending_ = true; }
  if (busy != seen_busy_) { seen_busy_ = busy; idle_pending_ = !busy; }
}

void BenchProbe::frame_end(bool drawn, double frame_ms, double ui_ms, double gl_ms, int vertices) {
  const double now = emscripten_get_now();
  if (drawn && stage_pending_) { stage_pending_ = false; stage_ms_ = now; shown_stage_ = seen_stage_; }
  if (drawn && idle_pending_) { idle_pending_ = false; idle_ms_ = now; }
  if (drawn) shown_busy_ = seen_busy_;
  if (!drawn || left_ == 0) return;
  --left_;
  if (last_forced_end_ > 0) period_ms_.push_back(now - last_forced_end_);
  last_forced_end_ = left_ > 0 ? now : 0;
  ms_.push_back(frame_ms);
  ui_ms_.push_back(ui_ms);
  gl_ms_.push_back(gl_ms);
  vertices_ = vertices;
}

void BenchProbe::register_commands(CommandTable& t, const App& app, std::function<void()> wake) {
  // bench_frames with n > 0 forces and times the next n frames; without n it reports them.
  t.add("bench_frames", true, [this, wake](const json& cmd) -> std::string {
    const int64_t n = GetInt(cmd, "n", 0);
    if (n > 0) {
      left_ = static_cast<int>(std::min<int64_t>(n, 100000));
      ms_.clear();
      ui_ms_.clear();
      gl_ms_.clear();
      period_ms_.clear();
      last_forced_end_ = 0;
      wake();
      return R"({"ok":true})";
    }
    std::vector<double> v = ms_, u = ui_ms_, g = gl_ms_, p = period_ms_;
    std::sort(p.begin(), p.end());
    std::sort(v.begin(), v.end());
    std::sort(u.begin(), u.end());
    std::sort(g.begin(), g.end());
    double sum = 0;
    for (double x : v) sum += x;
    return Dump({{"running", left_ > 0}, {"count", v.size()}, {"p50_ms", Pct(v, 0.5)}, {"p95_ms", Pct(v, 0.95)},
                 {"max_ms", v.empty() ? 0.0 : v.back()}, {"mean_ms", v.empty() ? 0.0 : sum / static_cast<double>(v.size())},
                 {"ui_p50_ms", Pct(u, 0.5)}, {"ui_p95_ms", Pct(u, 0.95)}, {"gl_p50_ms", Pct(g, 0.5)},
                 {"gl_p95_ms", Pct(g, 0.95)}, {"period_p50_ms", Pct(p, 0.5)}, {"vertices", vertices_}});
  });
  // bench_big_list {n}: an n x n grid of 1-pixel squares over the UI (4 vertices each; 0 clears).
  t.add("bench_big_list", false, [this, wake](const json& cmd) -> std::string {
    big_list_ = static_cast<int>(std::clamp<int64_t>(GetInt(cmd, "n", 0), 0, 200));
    wake();
    return Dump({{"ok", true}, {"vertices", 4 * big_list_ * big_list_}});
  });
  t.add("heap", true, [](const json&) -> std::string {
    struct mallinfo mi = mallinfo();
    return Dump({{"heap_bytes", js_heap_bytes()}, {"used_bytes", static_cast<double>(mi.uordblks)},
                 {"free_bytes", static_cast<double>(mi.fordblks)},
                 {"sbrk", static_cast<double>(reinterpret_cast<uintptr_t>(sbrk(0)))}});
  });
  t.add("bench_run", true, [this, &app](const json&) -> std::string {
    const FusionRun& r = app.run();
    return Dump({{"stage", ToString(shown_stage_)}, {"busy", shown_busy_}, {"t_stage_ms", stage_ms_},
                 {"t_idle_ms", idle_ms_}, {"run_t_start_ms", r.t_start * 1000}, {"t_panel_start", r.t_panel_start},
                 {"t_judge_start", r.t_judge_start}, {"t_end", r.t_end}});
  });
}

// Square (i, j) sits at CSS pixel (2i, 2j) from the top-left corner of the canvas, one CSS
// pixel wide, red where i + j is even and blue where it is odd: every square, the last ones too,
// can be checked at its own place in a screenshot. ImGui's coordinates are device pixels.
void BenchProbe::draw_big_list(float dpr) const {
  if (big_list_ <= 0) return;
  ImDrawList* dl = ImGui::GetForegroundDrawList();
  for (int j = 0; j < big_list_; ++j)
    for (int i = 0; i < big_list_; ++i) {
      const ImVec2 a(2.0f * static_cast<float>(i) * dpr, 2.0f * static_cast<float>(j) * dpr);
      dl->AddRectFilled(a, ImVec2(a.x + dpr, a.y + dpr), (i + j) % 2 ? IM_COL32(0, 0, 255, 255) : IM_COL32(255, 0, 0, 255));
    }
}
}  // namespace concord
