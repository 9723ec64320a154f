// scripts/bench probes, apart from the render loop: forced and timed frames (CPU, UI build,
// GL submission), the time at which a frame first showed the run's current stage and first
// went idle, and heap figures. Its commands (bench_frames, bench_run, heap, bench_big_list)
// join the window API's table; reading them never wakes the loop.
#pragma once
#include <functional>
#include <vector>

#include "command_table.h"
#include "run.h"

namespace concord {

class App;

class BenchProbe {
 public:
  // Frames still to force and time (the loop draws them even when nothing changed).
  bool forcing() const { return left_ > 0; }
  // After the App's tick: notes a stage change or the engine going idle, stamped at the end
  // of the frame that shows it.
  void after_tick(const FusionRun& r, bool busy);
  // The end of a frame (drawn or not). `drawn`: it was rendered, with these CPU times.
  void frame_end(bool drawn, double frame_ms, double ui_ms, double gl_ms, int vertices);
  void register_commands(CommandTable& t, const App& app, std::function<void()> wake);
  // bench_big_list: squares drawn over the UI in one draw list of more vertices than 16-bit
  // indices reach (the renderer's vertex offsets under test); called between NewFrame and Render.
  void draw_big_list(float dpr) const;

 private:
  int left_ = 0;
  std::vector<double> ms_, ui_ms_, gl_ms_;
  std::vector<double> period_ms_;  // forced frames drawn back to back: end to end (CPU + GPU + display)
  double last_forced_end_ = 0;
  int vertices_ = 0;
  int big_list_ = 0;  // squares per side of the bench_big_list grid (0: none)
  RunStage seen_stage_ = RunStage::Idle;
  bool seen_busy_ = false, stage_pending_ = false, idle_pending_ = false;
  // What the last drawn frame showed (bench_run reports these: a tick between frames, from a
  // request that just ended, changes seen_* before any frame has shown it).
  RunStage shown_stage_ = RunStage::Idle;
  bool shown_busy_ = false;
  double stage_ms_ = 0, idle_ms_ = 0;  // performance.now() at the end of that frame
};

}  // namespace concord
