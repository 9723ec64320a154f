// GPU effects the UI can use without knowing GL: the platform layer installs ImDrawList
// callbacks here (src/platform/web/gl_effects.cpp); when none is set the panels draw an
// ImDrawList fallback (which is also what headless tests see).
#pragma once
#include "imgui.h"

namespace concord {

struct RenderHooks {
  ImDrawCallback heatmap = nullptr;  // user data: const HeatmapParams*
  long heatmap_draws = 0;            // times the GPU heat map was drawn (tests check the shader ran)
};
RenderHooks& GetRenderHooks();

// What the heat map callback draws: an n x n value grid (row-major, values in [0,1], < 0 =
// unknown) smoothly interpolated over a rectangle. Coordinates are ImGui's (device pixels,
// y down); fb_height lets the renderer flip to GL's y-up viewport.
struct HeatmapParams {
  float x0, y0, x1, y1;  // destination rectangle
  int n;                 // 1..10
  float colours[300];    // row-major n x n cells, RGB in [0,1] (AgreementColour of each value)
  float fb_height;       // framebuffer height in pixels
};

}  // namespace concord
