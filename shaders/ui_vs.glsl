#version 300 es
// ImGui's triangles, vertex stage: positions in ImGui's coordinates (device pixels, y down)
// projected by u_proj; vertex colour and atlas coordinates passed through.
precision highp float;
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_colour;
uniform mat4 u_proj;
out vec2 v_uv;
out vec4 v_colour;

void main() {
  v_uv = a_uv;
  v_colour = a_colour;
  gl_Position = u_proj * vec4(a_pos, 0.0, 1.0);
}
