// GLSL programs compiled without waiting: see gl_program.h.
#include "gl_program.h"

#include <cstdio>

namespace concord {

namespace {
GLuint Stage(GLenum type, const char* src) {
  const GLuint s = glCreateShader(type);
  glShaderSource(s, 1, &src, nullptr);
  glCompileShader(s);
  return s;
}

void PrintLog(GLuint obj, bool program, const char* name) {
  char log[2048];
  GLsizei len = 0;
  if (program) glGetProgramInfoLog(obj, static_cast<GLsizei>(sizeof log), &len, log);
  else glGetShaderInfoLog(obj, static_cast<GLsizei>(sizeof log), &len, log);
  if (len > 0) std::printf("concord: %s %s: %.*s\n", name, program ? "link" : "compile", static_cast<int>(len), log);
}
}  // namespace

PendingProgram StartProgram(const char* vs_src, const char* fs_src, const char* name) {
  PendingProgram p;
  p.name = name;
  p.vs = Stage(GL_VERTEX_SHADER, vs_src);
  p.fs = Stage(GL_FRAGMENT_SHADER, fs_src);
  p.program = glCreateProgram();
  glAttachShader(p.program, p.vs);
  glAttachShader(p.program, p.fs);
  glLinkProgram(p.program);
  // Commands may wait in the page's command buffer until a flush or a query: flushed, so the
  // GPU process can start compiling at once. (With a software renderer on two busy cores it
  // still was not done after the 290 ms font atlas here: the first glUseProgram, which WebGL
  // answers only once the link is done, waited 42-46 ms, with or without this flush.)
  glFlush();
  return p;
}

GLuint FinishProgram(PendingProgram& p) {
  if (!p.program) return 0;
  GLint linked = 0;
  glGetProgramiv(p.program, GL_LINK_STATUS, &linked);
  if (!linked) {
    std::printf("concord: the %s shaders failed to build\n", p.name);
    PrintLog(p.vs, false, p.name);
    PrintLog(p.fs, false, p.name);
    PrintLog(p.program, true, p.name);
    glDeleteProgram(p.program);
    p.program = 0;
  }
  glDeleteShader(p.vs);
  glDeleteShader(p.fs);
  p.vs = p.fs = 0;
  return p.program;
}

}  // namespace concord
