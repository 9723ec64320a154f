// GLSL programs that compile while the page does something else. WebGL answers every status
// query (compile, link, a uniform's location) with a wait on the GPU process, which with a
// software renderer is the whole compile: StartProgram only issues the work, and
// FinishProgram asks once, later, when the answer is ready.
#pragma once
#include <GLES3/gl3.h>

namespace concord {

struct PendingProgram {
  GLuint program = 0, vs = 0, fs = 0;
  const char* name = "";
};

// Compiles both stages and links them, without asking how it went, and flushes, so the GPU
// process starts at once.
PendingProgram StartProgram(const char* vs_src, const char* fs_src, const char* name);

// The link status of a started program: the program, or 0 when it failed (its logs are printed
// to the console and every object is deleted). Frees the shader objects either way.
GLuint FinishProgram(PendingProgram& p);

}  // namespace concord
