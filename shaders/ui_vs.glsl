#version 300 es
// ImGui's triangles, vertex stage: positions in ImGui's coordinates (device pixels, y down)
// mapped to clip space by a_proj, one value for every vertex (a constant attribute, set with
// glVertexAttrib4f: a uniform would need its location, which WebGL answers only once the
// program has linked, with a wait on the GPU process). Colour and atlas coordinates pass through.
precision highp float;
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_colour;
layout(location = 3) in vec4 a_proj;  // clip = a_pos * a_proj.xy + a_proj.zw
out vec2 v_uv;
out vec4 v_colour;

void main() {
  v_uv = a_uv;
  v_colour = a_colour;
  gl_Position = vec4(a_pos * a_proj.xy + a_proj.zw, 0.0, 1.0);
}
