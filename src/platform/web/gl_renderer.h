// ImGui's renderer on WebGL2, in place of ImGui's OpenGL3 backend, made for a page whose only
// thread must never wait on the GPU process:
// - the shaders compile while the font atlas is built (ImGui's backend compiled them and asked
//   at once whether that worked: a wait of the whole compile, 60-200 ms at start-up here), and
//   drawing needs no answer from GL: no uniform location (the projection is a constant vertex
//   attribute), and whether the program linked is asked once the first frame is on screen;
// - nothing is read back from GL (the backend saved and restored GL state every frame with
//   queries, which WebGL answers with a round trip): Concord owns its context, and the only
//   other code drawing in it (gl_effects.cpp) runs inside a frame, followed by a reset;
// - the atlas is uploaded as one channel (R8), a quarter of the bytes of ImGui's RGBA32;
// - draw lists of any size: a command's vertex offset re-points the vertex attributes (WebGL2
//   has no base-vertex draw), so ImGui may split a list past 16-bit indices.
#pragma once

#include "imgui.h"

namespace concord {

// Creates the buffers and starts compiling the program. The GL context must be current.
void GlRendererStart();

// Uploads the font atlas, which must be built, and frees ImGui's CPU copy of its pixels. Call
// again after each rebuild (a change of device pixel ratio).
void GlRendererUploadFonts();

// Clears the framebuffer to `background` and draws a frame's ImGui draw data into it.
void GlRendererRender(const ImDrawData* draw_data, int fb_w, int fb_h, const ImVec4& background);

// Whether the program linked (asked once; ask when the GPU process is idle, e.g. once the first
// frame is on screen, as a query waits for every command before it). On failure the logs are
// on the console and nothing more is drawn.
bool GlRendererLinked();

}  // namespace concord
