#version 300 es
// Agreement heat map, fragment stage: each cell of the n x n grid (n <= 10) in one flat
// colour. Neighbouring cells are unrelated model pairs, so nothing is blended between them:
// a blend would paint values nobody measured. The colours come from AgreementColour() in
// panel_maps.cpp (the one palette), already resolved per cell.
precision highp float;
precision highp int;

uniform int u_n;               // 1..10
uniform vec3 u_colours[100];   // row-major n x n, linear RGB in [0,1]
in vec2 v_uv;
out vec4 o_colour;

void main() {
  int n = clamp(u_n, 1, 10);
  ivec2 c = clamp(ivec2(floor(v_uv * float(n))), ivec2(0), ivec2(n - 1));
  o_colour = vec4(u_colours[c.y * n + c.x], 1.0);
}
