#version 300 es
// ImGui's triangles, fragment stage: the vertex colour with its alpha scaled by the font
// atlas, which is a one-channel (R8) texture of coverage (its white texel is 1).
precision mediump float;
uniform sampler2D u_atlas;
in vec2 v_uv;
in vec4 v_colour;
layout(location = 0) out vec4 o_colour;

void main() {
  o_colour = vec4(v_colour.rgb, v_colour.a * texture(u_atlas, v_uv).r);
}
