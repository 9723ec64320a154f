// ImGui's renderer on WebGL2: see gl_renderer.h for why it is not ImGui's OpenGL3 backend.
#include "gl_renderer.h"

#include <GLES3/gl3.h>

#include <cstddef>
#include <cstdint>

#include "gl_program.h"
#include "imgui.h"
#include "shaders_embedded.h"

namespace concord {

namespace {
struct Renderer {
  PendingProgram pending;
  GLuint program = 0;
  bool checked = false, linked = false;
  GLuint vao = 0, vbo = 0, ebo = 0, atlas = 0;
  unsigned vtx_offset = 0;  // the first vertex the vertex array's attributes now point at
};
Renderer g_r;

// Points the vertex array's attributes at vertex `first` of the bound vertex buffer. WebGL2
// has no base-vertex draw, so this is how a command's VtxOffset is applied: ImGui splits a
// draw list of more than 65,536 vertices (16-bit indices) into commands with offsets.
// Needs the vertex array and the vertex buffer bound.
void PointAttributes(unsigned first) {
  const GLsizei stride = sizeof(ImDrawVert);
  const uintptr_t base = static_cast<uintptr_t>(first) * sizeof(ImDrawVert);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(base + offsetof(ImDrawVert, pos)));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, reinterpret_cast<void*>(base + offsetof(ImDrawVert, uv)));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, reinterpret_cast<void*>(base + offsetof(ImDrawVert, col)));
  g_r.vtx_offset = first;
}

// State every draw of ImGui's needs: set at the start of a frame and after a draw callback
// (ImDrawCallback_ResetRenderState), which may have changed any of it.
void SetupState(const ImDrawData* dd, int fb_w, int fb_h) {
  glViewport(0, 0, fb_w, fb_h);
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glDisable(GL_CULL_FACE);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_SCISSOR_TEST);
  glUseProgram(g_r.program);
  // ImGui's display rectangle (y down) onto clip space (y up): scale and offset per axis, in
  // the shader's constant attribute a_proj. (The atlas sampler keeps its default, unit 0.)
  const float l = dd->DisplayPos.x, r = dd->DisplayPos.x + dd->DisplaySize.x;
  const float t = dd->DisplayPos.y, b = dd->DisplayPos.y + dd->DisplaySize.y;
  glVertexAttrib4f(3, 2.0f / (r - l), 2.0f / (t - b), (r + l) / (l - r), (t + b) / (b - t));
  glBindVertexArray(g_r.vao);
  glBindBuffer(GL_ARRAY_BUFFER, g_r.vbo);
  glActiveTexture(GL_TEXTURE0);
}
}  // namespace

void GlRendererStart() {
  ImGuiIO& io = ImGui::GetIO();
  io.BackendRendererName = "concord_webgl2";
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // PointAttributes()
  g_r.pending = StartProgram(kShader_ui_vs, kShader_ui_fs, "UI");
  g_r.program = g_r.pending.program;
  glGenVertexArrays(1, &g_r.vao);
  glGenBuffers(1, &g_r.vbo);
  glGenBuffers(1, &g_r.ebo);
  // The vertex layout and the index buffer are the vertex array's: set once.
  glBindVertexArray(g_r.vao);
  glBindBuffer(GL_ARRAY_BUFFER, g_r.vbo);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g_r.ebo);
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glEnableVertexAttribArray(2);
  PointAttributes(0);
  glBindVertexArray(0);
}

void GlRendererUploadFonts() {
  ImFontAtlas* fonts = ImGui::GetIO().Fonts;
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
  if (!g_r.atlas) glGenTextures(1, &g_r.atlas);
  glBindTexture(GL_TEXTURE_2D, g_r.atlas);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
  fonts->SetTexID(static_cast<ImTextureID>(reinterpret_cast<void*>(static_cast<uintptr_t>(g_r.atlas))));
  fonts->ClearTexData();  // the GPU has it; 1-4 MB less on the heap
}

void GlRendererRender(const ImDrawData* dd, int fb_w, int fb_h, const ImVec4& background) {
  if (fb_w <= 0 || fb_h <= 0) return;
  glDisable(GL_SCISSOR_TEST);  // the last frame's clip must not clip the clear
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(background.x, background.y, background.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  if (!dd || !g_r.program || (g_r.checked && !g_r.linked)) return;
  SetupState(dd, fb_w, fb_h);
  const ImVec2 off = dd->DisplayPos, scale = dd->FramebufferScale;
  const GLenum index_type = sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;
  for (int n = 0; n < dd->CmdListsCount; ++n) {
    const ImDrawList* list = dd->CmdLists[n];
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->VtxBuffer.Size) * sizeof(ImDrawVert),
                 list->VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->IdxBuffer.Size) * sizeof(ImDrawIdx),
                 list->IdxBuffer.Data, GL_STREAM_DRAW);
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        if (cmd.UserCallback == ImDrawCallback_ResetRenderState) SetupState(dd, fb_w, fb_h);
        else cmd.UserCallback(list, &cmd);
        continue;
      }
      // The clip rectangle in framebuffer pixels; GL's scissor counts rows from the bottom.
      const float x0 = (cmd.ClipRect.x - off.x) * scale.x, y0 = (cmd.ClipRect.y - off.y) * scale.y;
      const float x1 = (cmd.ClipRect.z - off.x) * scale.x, y1 = (cmd.ClipRect.w - off.y) * scale.y;
      if (x1 <= x0 || y1 <= y0) continue;
      glScissor(static_cast<GLint>(x0), static_cast<GLint>(fb_h - y1), static_cast<GLsizei>(x1 - x0),
                static_cast<GLsizei>(y1 - y0));
      glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(reinterpret_cast<uintptr_t>(cmd.GetTexID())));
      if (cmd.VtxOffset != g_r.vtx_offset) PointAttributes(cmd.VtxOffset);
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount), index_type,
                     reinterpret_cast<void*>(static_cast<uintptr_t>(cmd.IdxOffset) * sizeof(ImDrawIdx)));
    }
  }
}

bool GlRendererLinked() {
  if (!g_r.checked) {
    g_r.checked = true;
    g_r.linked = FinishProgram(g_r.pending) != 0;
    if (!g_r.linked) g_r.program = 0;
  }
  return g_r.linked;
}

}  // namespace concord
