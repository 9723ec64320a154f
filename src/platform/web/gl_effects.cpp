// WebGL2 implementation of the UI's RenderHooks: compiles shaders/heatmap_*.glsl (embedded by
// the build as kShader_*) and draws the agreement heat map from an ImDrawList callback. The GL
// state it changes (program, vertex array, scissor) is restored by
// ImDrawCallback_ResetRenderState (gl_renderer.cpp), which the panel queues after the callback.
#include "gl_effects.h"

#include <GLES3/gl3.h>

#include <algorithm>
#include <cstdio>

#include "gl_program.h"
#include "imgui.h"
#include "render_hooks.h"
#include "shaders_embedded.h"

namespace concord {

namespace {

struct HeatmapProgram {
  PendingProgram pending;  // started by StartGlEffects
  GLuint program = 0;
  GLuint vao = 0;  // empty: the quad comes from gl_VertexID
  GLint u_rect = -1, u_n = -1, u_colours = -1;
};
HeatmapProgram g_heat;

// ImDrawCallback. Coordinates in the params and in cmd->ClipRect are ImGui's (y down,
// relative to DisplayPos); GL wants framebuffer pixels with y up.
void DrawHeatmap(const ImDrawList*, const ImDrawCmd* cmd) {
  const HeatmapParams* p = static_cast<const HeatmapParams*>(cmd->UserCallbackData);
  if (!p || !g_heat.program || p->n < 1 || p->n > 10) return;
  const ImDrawData* dd = ImGui::GetDrawData();
  const ImVec2 off = dd ? dd->DisplayPos : ImVec2(0, 0);
  const ImVec2 sc = dd ? dd->FramebufferScale : ImVec2(1, 1);
  const float fb_h = p->fb_height;
  const float fb_w = dd ? dd->DisplaySize.x * sc.x : 0.0f;
  if (fb_w <= 0 || fb_h <= 0) return;

  // Scissor to the command's clip rect (the panel's child region), as ImGui would.
  const float cx0 = std::max(0.0f, (cmd->ClipRect.x - off.x) * sc.x);
  const float cy0 = std::max(0.0f, (cmd->ClipRect.y - off.y) * sc.y);
  const float cx1 = std::min(fb_w, (cmd->ClipRect.z - off.x) * sc.x);
  const float cy1 = std::min(fb_h, (cmd->ClipRect.w - off.y) * sc.y);
  if (cx1 <= cx0 || cy1 <= cy0) return;
  glEnable(GL_SCISSOR_TEST);
  glScissor(static_cast<GLint>(cx0), static_cast<GLint>(fb_h - cy1), static_cast<GLsizei>(cx1 - cx0),
            static_cast<GLsizei>(cy1 - cy0));

  // Destination rect in NDC (ImGui's viewport is the whole framebuffer).
  const float x0 = (p->x0 - off.x) * sc.x, x1 = (p->x1 - off.x) * sc.x;
  const float y0 = (p->y0 - off.y) * sc.y, y1 = (p->y1 - off.y) * sc.y;
  const float nx0 = x0 / fb_w * 2.0f - 1.0f, nx1 = x1 / fb_w * 2.0f - 1.0f;
  const float ny_top = 1.0f - y0 / fb_h * 2.0f, ny_bottom = 1.0f - y1 / fb_h * 2.0f;

  glUseProgram(g_heat.program);
  glUniform4f(g_heat.u_rect, nx0, ny_bottom, nx1, ny_top);
  glUniform1i(g_heat.u_n, p->n);
  glUniform3fv(g_heat.u_colours, 100, p->colours);
  glBindVertexArray(g_heat.vao);
  glDrawArrays(GL_TRIANGLES, 0, 6);
  ++GetRenderHooks().heatmap_draws;
  // Program, vertex array and scissor are reset by ImDrawCallback_ResetRenderState.
}

}  // namespace

void StartGlEffects() {
  if (!g_heat.pending.program) g_heat.pending = StartProgram(kShader_heatmap_vs, kShader_heatmap_fs, "heat map");
}

void InstallGlEffects() {
  static bool done = false;
  if (done) return;
  done = true;
  StartGlEffects();
  g_heat.program = FinishProgram(g_heat.pending);
  if (!g_heat.program) {
    std::printf("concord: heat map shader unavailable; using the ImDrawList fallback\n");
    return;
  }
  g_heat.u_rect = glGetUniformLocation(g_heat.program, "u_rect");
  g_heat.u_n = glGetUniformLocation(g_heat.program, "u_n");
  g_heat.u_colours = glGetUniformLocation(g_heat.program, "u_colours");
  glGenVertexArrays(1, &g_heat.vao);
  GetRenderHooks().heatmap = DrawHeatmap;
}

}  // namespace concord
