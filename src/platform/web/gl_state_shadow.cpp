// GL state shadow: answers glGetIntegerv for the scissor box and the blend state from a copy
// kept by the setters, so a frame never waits on the GPU process.
//
// Why: ImGui's OpenGL3 backend backs up that state at the start of every RenderDrawData.
// In Chromium, WebGL answers getParameter(SCISSOR_BOX) and the BLEND_* queries with a
// synchronous round trip to the GPU process, which first finishes every command before it:
// with a software rasteriser that is the whole previous frame (measured here: 23 ms of a
// frame on average, up to 140 ms, all of it in that one call), and the page thread can do
// nothing else meanwhile (a finished answer waits for it before the judge is asked).
//
// How: this file defines the GL entry points itself, so the linker uses them instead of
// Emscripten's JS ones, and forwards every call to Emscripten's emscripten_gl* functions.
// The first query of a name asks the real context once and the setters keep the copy true
// from then on. Concord is the only user of its GL context, and every scissor/blend change
// in this program goes through these functions, so the copy cannot drift.
#include <GLES3/gl3.h>
#include <webgl/webgl1.h>

namespace {

struct Shadow {
  bool scissor_known = false;
  GLint scissor[4] = {0, 0, 0, 0};
  bool blend_known = false;
  GLint src_rgb = GL_ONE, dst_rgb = GL_ZERO, src_alpha = GL_ONE, dst_alpha = GL_ZERO;
  GLint eq_rgb = GL_FUNC_ADD, eq_alpha = GL_FUNC_ADD;
};
Shadow g_shadow;

void LearnBlend() {
  if (g_shadow.blend_known) return;
  emscripten_glGetIntegerv(GL_BLEND_SRC_RGB, &g_shadow.src_rgb);
  emscripten_glGetIntegerv(GL_BLEND_DST_RGB, &g_shadow.dst_rgb);
  emscripten_glGetIntegerv(GL_BLEND_SRC_ALPHA, &g_shadow.src_alpha);
  emscripten_glGetIntegerv(GL_BLEND_DST_ALPHA, &g_shadow.dst_alpha);
  emscripten_glGetIntegerv(GL_BLEND_EQUATION_RGB, &g_shadow.eq_rgb);
  emscripten_glGetIntegerv(GL_BLEND_EQUATION_ALPHA, &g_shadow.eq_alpha);
  g_shadow.blend_known = true;
}

}  // namespace

extern "C" {

void glGetIntegerv(GLenum pname, GLint* data) {
  switch (pname) {
    case GL_SCISSOR_BOX:
      if (!g_shadow.scissor_known) {
        emscripten_glGetIntegerv(GL_SCISSOR_BOX, g_shadow.scissor);
        g_shadow.scissor_known = true;
      }
      for (int i = 0; i < 4; ++i) data[i] = g_shadow.scissor[i];
      return;
    case GL_BLEND_SRC_RGB: LearnBlend(); *data = g_shadow.src_rgb; return;
    case GL_BLEND_DST_RGB: LearnBlend(); *data = g_shadow.dst_rgb; return;
    case GL_BLEND_SRC_ALPHA: LearnBlend(); *data = g_shadow.src_alpha; return;
    case GL_BLEND_DST_ALPHA: LearnBlend(); *data = g_shadow.dst_alpha; return;
    case GL_BLEND_EQUATION_RGB: LearnBlend(); *data = g_shadow.eq_rgb; return;
    case GL_BLEND_EQUATION_ALPHA: LearnBlend(); *data = g_shadow.eq_alpha; return;
    default: emscripten_glGetIntegerv(pname, data); return;
  }
}

void glScissor(GLint x, GLint y, GLsizei w, GLsizei h) {
  g_shadow.scissor[0] = x;
  g_shadow.scissor[1] = y;
  g_shadow.scissor[2] = w;
  g_shadow.scissor[3] = h;
  g_shadow.scissor_known = true;
  emscripten_glScissor(x, y, w, h);
}

void glBlendFuncSeparate(GLenum src_rgb, GLenum dst_rgb, GLenum src_alpha, GLenum dst_alpha) {
  LearnBlend();
  g_shadow.src_rgb = static_cast<GLint>(src_rgb);
  g_shadow.dst_rgb = static_cast<GLint>(dst_rgb);
  g_shadow.src_alpha = static_cast<GLint>(src_alpha);
  g_shadow.dst_alpha = static_cast<GLint>(dst_alpha);
  emscripten_glBlendFuncSeparate(src_rgb, dst_rgb, src_alpha, dst_alpha);
}

void glBlendFunc(GLenum src, GLenum dst) {
  LearnBlend();
  g_shadow.src_rgb = g_shadow.src_alpha = static_cast<GLint>(src);
  g_shadow.dst_rgb = g_shadow.dst_alpha = static_cast<GLint>(dst);
  emscripten_glBlendFunc(src, dst);
}

void glBlendEquationSeparate(GLenum mode_rgb, GLenum mode_alpha) {
  LearnBlend();
  g_shadow.eq_rgb = static_cast<GLint>(mode_rgb);
  g_shadow.eq_alpha = static_cast<GLint>(mode_alpha);
  emscripten_glBlendEquationSeparate(mode_rgb, mode_alpha);
}

void glBlendEquation(GLenum mode) {
  LearnBlend();
  g_shadow.eq_rgb = g_shadow.eq_alpha = static_cast<GLint>(mode);
  emscripten_glBlendEquation(mode);
}

}  // extern "C"
