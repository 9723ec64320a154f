#version 300 es
// Agreement heat map, vertex stage: one quad from gl_VertexID (no vertex buffer) covering
// u_rect (NDC), with v_uv = (0,0) at the top-left corner of cell (row 0, column 0).
uniform vec4 u_rect;  // x0, y_bottom, x1, y_top in NDC
out vec2 v_uv;

void main() {
  // Triangles (0,1,2) and (2,1,3) over the corners 0 TL, 1 TR, 2 BL, 3 BR.
  int id = gl_VertexID;
  int c = id < 3 ? id : (id == 3 ? 2 : (id == 4 ? 1 : 3));
  vec2 t = vec2(float(c & 1), float(c >> 1));  // t.y: 0 top, 1 bottom
  v_uv = t;
  gl_Position = vec4(mix(u_rect.x, u_rect.z, t.x), mix(u_rect.w, u_rect.y, t.y), 0.0, 1.0);
}
