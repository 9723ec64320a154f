// WebGL2 effects for the UI's RenderHooks (src/ui/render_hooks.h): the smooth agreement heat
// map. The only place where the maps touch GL.
#pragma once

namespace concord {

// Starts compiling the embedded shaders (gl_program.h), so the GPU process builds them while
// the page does other work. Call with the GL context current.
void StartGlEffects();

// Finishes the shaders (StartGlEffects, if not called yet) and installs the hooks. main.cpp
// calls it right after the first frame. On a shader error it logs to the console and leaves
// the hook unset, so the panel keeps its ImDrawList fallback.
void InstallGlEffects();

}  // namespace concord
