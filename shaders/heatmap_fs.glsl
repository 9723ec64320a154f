#version 300 es
// Agreement heat map, fragment stage: bilinear interpolation between the cell centres of an
// n x n grid (n <= 10), coloured with the palette ramp of AgreementColour() in panel_maps.cpp:
// 0 pal::Disagree -> 0.5 neutral -> 1 pal::Agree; unknown (< 0) grey. Colours are blended,
// not values, so an unknown cell fades to grey instead of posing as "disagree".
precision highp float;
precision highp int;

uniform int u_n;              // 1..10
uniform float u_values[100];  // row-major n x n, values in [0,1], < 0 unknown
in vec2 v_uv;
out vec4 o_colour;

const vec3 kDisagree = vec3(213.0, 94.0, 0.0) / 255.0;
const vec3 kNeutral = vec3(120.0, 124.0, 136.0) / 255.0;
const vec3 kAgree = vec3(0.0, 158.0, 115.0) / 255.0;
const vec3 kUnknown = vec3(58.0, 62.0, 72.0) / 255.0;

vec3 ramp(float v) {
  if (v < 0.0) return kUnknown;
  v = min(v, 1.0);
  return v < 0.5 ? mix(kDisagree, kNeutral, v * 2.0) : mix(kNeutral, kAgree, (v - 0.5) * 2.0);
}

vec3 cell(int row, int col) { return ramp(u_values[row * u_n + col]); }

void main() {
  int n = clamp(u_n, 1, 10);
  float fn = float(n);
  // Cell centres sit at (k + 0.5) / n; clamp so the outer half-cells are flat, not extrapolated.
  vec2 p = clamp(v_uv * fn - 0.5, vec2(0.0), vec2(fn - 1.0));
  ivec2 i0 = ivec2(floor(p));
  ivec2 i1 = min(i0 + 1, ivec2(n - 1));
  vec2 f = p - vec2(i0);
  vec3 top = mix(cell(i0.y, i0.x), cell(i0.y, i1.x), f.x);
  vec3 bottom = mix(cell(i1.y, i0.x), cell(i1.y, i1.x), f.x);
  o_colour = vec4(mix(top, bottom, f.y), 1.0);
}
