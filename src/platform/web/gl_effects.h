// WebGL2 effects for the UI's RenderHooks (src/ui/render_hooks.h): the smooth agreement heat
// map. The only place where the maps touch GL.
#pragma once

namespace concord {

// Compiles the embedded shaders once and installs the hooks. Call with the GL context
// current, after ImGui_ImplOpenGL3_Init (main.cpp calls it right after the first frame). On a
// shader error it logs to the console and leaves the hook unset, so the panel keeps its
// ImDrawList fallback.
void InstallGlEffects();

}  // namespace concord
