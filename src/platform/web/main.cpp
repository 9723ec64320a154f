// The browser entry point: GLFW + WebGL2 window, ImGui backends, crisp high-DPI,
// fonts fetched at start, clipboard and IME glue, and a main loop that renders only
// on input, on network events and during animations.
//
// Index of this file:
// [SECTION] state and exports
// [SECTION] fonts and scale
// [SECTION] input glue (dirty marking, clipboard, IME)
// [SECTION] frame
// [SECTION] main
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "app.h"
#include "bench_probe.h"
#include "command_table.h"
#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "input_tap.h"
#include "gl_effects.h"
#include "gl_renderer.h"
#include "imgui_internal.h"
#include "jsonutil.h"
#include "web_host.h"
#include "web_transport.h"

extern "C" {
int js_font_count();
int js_font_size(int i);
void js_font_copy(int i, void* dst);
void js_app_ready();
void js_perf_mark(const char* name);
void js_text_input_focus(int want);
void js_set_cursor(int kind);
void js_fatal(const char* message);
int js_screen_w();
int js_screen_h();
}

// ---- [SECTION] state and exports ----------------------------------------------------
namespace {
GLFWwindow* g_window = nullptr;
concord::WebHost* g_host = nullptr;
concord::WebTransport* g_transport = nullptr;
concord::App* g_app = nullptr;
double g_dpr = 0;            // device pixel ratio the fonts/style were built for
int g_fb_w = 0, g_fb_h = 0;  // canvas size in device pixels
double g_redraw_until = 0;   // keep drawing until then (input settles, tooltips)
bool g_draw_owed = false;    // something changed: the next frame draws, however late it comes
bool g_fonts_loaded = false;
bool g_ready_signalled = false;
long g_frames_drawn = 0;     // frames actually rendered (idle pages must not grow this)
std::string g_clipboard;     // last text pasted by the page (GLFW's clipboard is a stub)
std::string g_api_reply;
std::vector<std::vector<unsigned char>> g_font_data;  // owned here; ImGui does not free it
concord::BenchProbe g_bench;         // scripts/bench probes (bench_probe.h)
concord::CommandTable g_api;        // the window API: the App's commands and the platform's

double NowS() { return emscripten_get_now() / 1000.0; }
// Input and commands: draw every frame for a little while (what the user did shows at once).
// (The window is counted from now, but the browser may call the next frame later than it ends,
// e.g. while the GPU is behind: at least one frame is owed in any case.)
void MarkDirty(double seconds = 0.5) {
  g_redraw_until = std::max(g_redraw_until, NowS() + seconds);
  g_draw_owed = true;
}

// Adaptive pacing of frames that only show more of what a run is streaming. A frame costs
// its CPU time on this thread and its rasterisation in the GPU process, which the browser
// signals by when it calls the next frame (it holds the call back while the GPU is behind).
// A streaming-only frame waits until the thread has been free for 0.6 of what recent frames
// cost (the larger of the two), and never more than 1/8 s: with software GL (a 1440x900
// frame rasterises in ~50 ms here) that keeps the GPU idle ~40 % of the time, so a stage
// change finds it free, and still shows over 10 updates a second. A stage change (the
// judge starts, the answer is done) and input are drawn at once.
bool g_stream_dirty = false;         // something streamed or ticked since the last drawn frame
double g_frame_cost_s = 0;           // moving average of drawn frames' cost (CPU or pipeline)
double g_last_draw_start_s = 0;
double g_last_draw_end_s = 0;
double g_last_cpu_s = 0;             // the last drawn frame's CPU time
bool g_prev_frame_drew = false;      // the previous Frame() call drew
concord::RunStage g_drawn_stage = concord::RunStage::Idle;
bool g_drawn_busy = false;
constexpr double kMaxPaceS = 0.125;
constexpr double kPaceShare = 0.6;
double PaceS() { return std::min(kMaxPaceS, kPaceShare * g_frame_cost_s); }
// Called on entry to a frame that follows a drawn one: how long the browser took to give us
// this frame is that frame's whole cost (CPU, GPU and the wait for the display).
void LearnFrameCost(double now_s) {
  if (!g_prev_frame_drew) return;
  g_prev_frame_drew = false;
  const double cost = std::min(1.0, std::max(g_last_cpu_s, now_s - g_last_draw_start_s));
  g_frame_cost_s = g_frame_cost_s <= 0 ? cost : 0.7 * g_frame_cost_s + 0.3 * cost;
}
}  // namespace

namespace {
void Tick();  // [SECTION] frame
bool StageChanged();
void DrawFrame(bool from_browser);
}  // namespace

extern "C" {
// Window API entry (index.html wraps it as window.concord.*): one table, parsed once.
EMSCRIPTEN_KEEPALIVE const char* concord_api(const char* cmd_c) {
  if (!g_app) return "{\"error\":\"not ready\"}";
  const concord::CommandTable::Reply r = g_api.dispatch(cmd_c ? cmd_c : "");
  g_api_reply = r.text;
  // Read-only queries must not wake the loop (tests measure idle redraws through them).
  if (!r.read_only) MarkDirty(0.15);
  return g_api_reply.c_str();
}
// The page's 'paste' listener stores the system clipboard text before ImGui handles Ctrl+V.
EMSCRIPTEN_KEEPALIVE void concord_paste(const char* text) { g_clipboard = text ? text : ""; MarkDirty(); }
// Text from the hidden textarea (IME commits, dead keys, insertText) that no keypress delivered.
EMSCRIPTEN_KEEPALIVE void concord_text_input(const char* utf8) {
  ImGui::GetIO().AddInputCharactersUTF8(utf8);
  MarkDirty();
}
EMSCRIPTEN_KEEPALIVE void concord_file_opened(const char* name, const char* data, int len) {
  if (g_app) g_app->on_file(name ? name : "", std::string(data, static_cast<size_t>(len)));
  MarkDirty();
}
// A picked file too large to read into the page (js_pick_file checked its size).
EMSCRIPTEN_KEEPALIVE void concord_file_refused(const char* name, double bytes) {
  if (g_app) g_app->on_file_refused(name ? name : "", bytes);
  MarkDirty();
}
// Ctrl/Cmd+Enter from the page's keydown listener: in this GLFW port the Enter key event does
// not reach ImGui while Ctrl is held, so the page reports the chord and it is queued as the
// ordinary ImGui key events it is (modifier down, Enter down and up, modifier up). ImGui's
// own rules then decide what it does, exactly as for a native key press.
EMSCRIPTEN_KEEPALIVE void concord_key_chord_enter(int super) {
  ImGuiIO& io = ImGui::GetIO();
  const ImGuiKey mod = super ? ImGuiMod_Super : ImGuiMod_Ctrl;
  io.AddKeyEvent(mod, true);
  io.AddKeyEvent(ImGuiKey_Enter, true);
  io.AddKeyEvent(ImGuiKey_Enter, false);
  io.AddKeyEvent(mod, false);
  MarkDirty();
}
// Called by the JS bridge right after a response starts, streams a piece or ends. The engine
// advances here, between frames, so the next stage's request goes out at once: in software GL
// a frame can take 100+ ms, and the judge must not wait for one.
EMSCRIPTEN_KEEPALIVE void concord_wake() {
  const concord::RequestId sent = g_transport ? g_transport->sent() : 0;
  if (g_app && g_ready_signalled) Tick();
  // While a run streams, drawn at the pace of the frames; otherwise (a catalogue, a key
  // check) at the next frame.
  if (g_app && g_app->streaming()) g_stream_dirty = true;
  else MarkDirty(0.1);
  // A stage change (the judge starts, the answer is complete) is drawn here and now, not at
  // the browser's next animation frame, which comes up to a whole GPU frame later while the
  // previous one is still rasterising: the picture is queued behind it at once.
  if (!g_app || !g_ready_signalled || !StageChanged()) return;
  // When this wake sent the next stage's request, the frame is drawn in a task of its own
  // right after: a frame drawn here first (2-7 ms on this thread, its rasterisation on one of
  // the cores) held the request's start in the browser back (a probe saw it start 2.7-7.6 ms
  // after fetch(); scripts/bench splits each gap with Resource Timing).
  if (!g_transport || g_transport->sent() == sent) DrawFrame(false);
  else emscripten_async_call([](void*) { if (g_app && StageChanged()) DrawFrame(false); }, nullptr, 0);
}
}

// ---- [SECTION] fonts and scale ----------------------------------------------------------
namespace {
const ImWchar* GlyphRanges() {
  // Latin + Latin Extended, Greek, Cyrillic, general punctuation, currency, arrows,
  // math operators, box drawing and geometric shapes (~1,100 glyphs).
  static const ImWchar ranges[] = {
      0x0020, 0x024F, 0x0370, 0x03FF, 0x0400, 0x052F, 0x1E00, 0x1EFF, 0x2000, 0x206F, 0x20A0, 0x20CF,
      0x2100, 0x214F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x2500, 0x257F, 0x25A0, 0x25FF, 0x2600, 0x26FF,
      0x2713, 0x2718, 0,
  };
  return ranges;
}

// Fonts in index.html's order: 0 regular, 1 bold, 2 mono.
void BuildFonts(float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  concord::UiFonts fonts;
  if (g_font_data.size() >= 3) {
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = false;
    // Glyphs on whole pixels, rasterised once (no 2x horizontal oversampling): crisp text at
    // both densities, half the rasterising at start-up and half the atlas to upload.
    cfg.OversampleH = 1;
    cfg.PixelSnapH = true;
    auto add = [&](int i, float px) {
      return io.Fonts->AddFontFromMemoryTTF(g_font_data[i].data(), static_cast<int>(g_font_data[i].size()),
                                            std::round(px * scale), &cfg, GlyphRanges());
    };
    fonts.regular = add(0, 15.f);
    fonts.bold = add(1, 15.f);
    fonts.heading = add(1, 19.f);
    fonts.mono = add(2, 13.5f);
  } else {
    ImFontConfig cfg;
    cfg.SizePixels = std::round(13.f * scale);
    fonts.regular = fonts.bold = fonts.heading = fonts.mono = io.Fonts->AddFontDefault(&cfg);
  }
  io.Fonts->Build();
  concord::GlRendererUploadFonts();
  if (g_app) g_app->set_fonts(fonts);
}

void ApplyScale(float scale) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  concord::ApplyTheme(style);
  style.ScaleAllSizes(scale);
  BuildFonts(scale);
  if (g_app) g_app->set_scale(scale);
}

bool TryLoadFonts() {
  int n = js_font_count();
  if (n < 0) return false;  // still downloading
  for (int i = 0; i < n; ++i) {
    std::vector<unsigned char> buf(static_cast<size_t>(js_font_size(i)));
    js_font_copy(i, buf.data());
    g_font_data.push_back(std::move(buf));
  }
  return true;
}
}  // namespace

// ---- [SECTION] input glue ------------------------------------------------------------------
namespace {
// Installed before ImGui's own callbacks, which chain to them: every input wakes the loop.
void OnCursor(GLFWwindow*, double, double) { MarkDirty(); }
void OnButton(GLFWwindow*, int, int, int) { MarkDirty(); }
void OnScroll(GLFWwindow*, double, double) { MarkDirty(); }
void OnKey(GLFWwindow*, int, int, int, int) { MarkDirty(); }
void OnChar(GLFWwindow*, unsigned) { MarkDirty(); }
void OnFocus(GLFWwindow*, int) { MarkDirty(); }
void OnEnter(GLFWwindow*, int) { MarkDirty(); }

const char* GetClipboard(void*) { return g_clipboard.c_str(); }
void SetClipboard(void*, const char* text) {
  g_clipboard = text ? text : "";
  g_host->copy_text(g_clipboard);
}
}  // namespace

// ---- [SECTION] frame -------------------------------------------------------------------------
namespace {
// The canvas in device pixels (CSS size × device pixel ratio). index.html gives the canvas this
// size before it creates the context, so neither glfwCreateWindow nor the first frame
// reallocates the drawing buffer.
struct CanvasSize { int fb_w, fb_h; double dpr; };
CanvasSize MeasureCanvas() {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  double dpr = emscripten_get_device_pixel_ratio();
  if (dpr <= 0) dpr = 1;
  return {static_cast<int>(std::lround(css_w * dpr)), static_cast<int>(std::lround(css_h * dpr)), dpr};
}

// Gives the canvas's drawing buffer the size c. 3.1.6 trap: glfwSetWindowSize with the screen's
// size requests fullscreen and pointer lock instead (a full-screen browser window, a headless
// one), so that size is set on the canvas directly (nothing in GLFW reads its stale copy: the
// frame sets ImGui's display size itself, and mouse positions scale by the canvas's own size).
void ResizeCanvas(const CanvasSize& c) {
  if (c.fb_w == js_screen_w() && c.fb_h == js_screen_h()) emscripten_set_canvas_element_size("#canvas", c.fb_w, c.fb_h);
  else glfwSetWindowSize(g_window, c.fb_w, c.fb_h);
}

bool g_ticking = false;
bool g_in_frame = false;  // DrawFrame never nests (a wake inside a frame is drawn by that frame)
struct InFrame {
  InFrame() { g_in_frame = true; }
  ~InFrame() { g_in_frame = false; }
};
bool g_after_frame_timer = false;  // a backup timer for App::after_frame is set

// The App's deferred work (saving a finished run), in a task of its own: never in the task
// that draws, so the frame showing the answer reaches the screen first.
void AfterFrame(void*) {
  g_after_frame_timer = false;
  if (!g_app || g_ticking || !g_app->after_frame_due()) return;
  g_app->after_frame();
  MarkDirty(0.1);  // the history list (or a "storage is full" note) shows the saved run
}
void ScheduleAfterFrame(int delay_ms) {
  if (!g_app || !g_app->after_frame_due()) return;
  if (delay_ms > 0 && g_after_frame_timer) return;
  if (delay_ms > 0) g_after_frame_timer = true;
  emscripten_async_call(AfterFrame, nullptr, delay_ms);
}
// The app's tick: every frame, and from concord_wake when a response starts or ends, so the
// judge's or writer's request leaves as soon as the last answer is in, not a frame later.
// Never nested: a request that ends inside a send() is picked up by the tick already running.
void Tick() {
  if (g_ticking || !g_app || !g_fonts_loaded) return;
  g_ticking = true;
  const bool ticked = g_app->tick();
  g_ticking = false;
  const bool busy = g_app->streaming();
  if (ticked || g_app->animating()) {
    if (busy) g_stream_dirty = true;  // paced: see PaceS()
    else MarkDirty(0.1);
  }
  g_bench.after_tick(g_app->run(), busy);
  ScheduleAfterFrame(250);  // if no frame comes soon (a hidden tab has none), save anyway
}

// The run's stage or busy state differs from what the last drawn frame showed.
bool StageChanged() { return g_app->run().stage != g_drawn_stage || g_app->streaming() != g_drawn_busy; }

// The browser's animation frame (emscripten_set_main_loop).
void Frame() { DrawFrame(true); }

// from_browser: called by the browser's animation frame, whose timing measures what the
// previous frame cost; a frame drawn from concord_wake teaches nothing about that.
void DrawFrame(bool from_browser) {
  if (g_in_frame) return;
  InFrame in_frame;
  const double frame_t0 = emscripten_get_now();
  if (from_browser) LearnFrameCost(frame_t0 / 1000.0);
  else g_prev_frame_drew = false;
  // High-DPI: size the framebuffer in device pixels from the CSS size, every frame.
  const CanvasSize c = MeasureCanvas();
  if (c.fb_w != g_fb_w || c.fb_h != g_fb_h) {
    ResizeCanvas(c);
    g_fb_w = c.fb_w; g_fb_h = c.fb_h;
    MarkDirty();
  }
  const double dpr = c.dpr;
  if (!g_fonts_loaded) {
    if (!TryLoadFonts()) return;  // the page keeps its loading state meanwhile
    g_fonts_loaded = true;
    g_dpr = 0;  // forces the atlas build below
  }
  if (dpr != g_dpr) {
    g_dpr = dpr;
    ApplyScale(static_cast<float>(dpr));
    MarkDirty();
  }

  Tick();
  const bool engine_busy = g_app->streaming();
  // ImGui trickles queued input over frames (a key's down and up never share a frame), so a
  // burst of typing outlives the redraw window: keep drawing until the queue is drained.
  if (GImGui && GImGui->InputEventsQueue.Size > 0) MarkDirty(0.1);
  const double now_s = NowS();
  const bool stage_changed = StageChanged();
  bool draw = g_draw_owed || now_s <= g_redraw_until || !g_ready_signalled || g_bench.forcing() || stage_changed;
  if (!draw && g_stream_dirty) draw = now_s - g_last_draw_end_s >= PaceS();
  if (!draw) {  // nothing changed, or streamed text waits for its paced frame
    g_bench.frame_end(false, 0, 0, 0, 0);
    return;
  }
  g_stream_dirty = false;
  g_draw_owed = false;
  g_drawn_stage = g_app->run().stage;
  g_drawn_busy = engine_busy;

  ImGui_ImplGlfw_NewFrame();
  // The GLFW backend reads sizes from glfwGetWindowSize, which is in device pixels here:
  // ImGui works in device pixels and the style/fonts are scaled by the ratio instead.
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(g_fb_w), static_cast<float>(g_fb_h));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  const double ui_t0 = emscripten_get_now();
  if (concord::SpreadTaps()) MarkDirty(0.1);  // a tap: hover this frame, press after it
  // A frame that consumes input may change what the next frame shows (a press applied after
  // the frame, a message): keep drawing a little after it, however long frames take.
  if (GImGui->InputEventsQueue.Size > 0) MarkDirty(0.3);
  ImGui::NewFrame();
  g_app->draw();
  g_bench.draw_big_list(static_cast<float>(g_dpr));
  ImGui::Render();
  const double ui_ms = emscripten_get_now() - ui_t0;

  js_text_input_focus(io.WantTextInput ? 1 : 0);
  ImGuiMouseCursor cur = ImGui::GetMouseCursor();
  js_set_cursor(cur == ImGuiMouseCursor_TextInput ? 1 : cur == ImGuiMouseCursor_Hand ? 2
              : cur == ImGuiMouseCursor_ResizeAll ? 4 : 0);

  const double gl_t0 = emscripten_get_now();
  concord::GlRendererRender(ImGui::GetDrawData(), g_fb_w, g_fb_h, concord::kBackground);
  const double gl_ms = emscripten_get_now() - gl_t0;
  ++g_frames_drawn;
  if (!g_ready_signalled) {
    g_ready_signalled = true;
    js_perf_mark("concord-first-frame");
    js_app_ready();
    // The heat map's shaders are queued behind this frame, not before it: the GPU process does
    // them after the frame is drawn.
    concord::StartGlEffects();
    // Whether the shaders built is asked two animation frames later, when the first frame is
    // on screen and the GPU process (nearly) idle: a query waits for every command before it,
    // which right after this frame would be all of its software rasterisation (77 ms in a
    // profile here) on this thread. Until the heat map's shader is installed, the heat map is
    // drawn with ImGui's own primitives (render_hooks.h).
    emscripten_request_animation_frame_loop([](double, void*) -> EM_BOOL {
      static int frames = 0;
      if (++frames < 2) return EM_TRUE;
      if (!concord::GlRendererLinked()) {
        js_fatal("This browser could not build Concord's drawing shaders (the console has the details). "
                 "Try a current Chrome, Edge, Firefox or Safari.");
        return EM_FALSE;
      }
      concord::InstallGlEffects();
      MarkDirty(0.1);
      return EM_FALSE;
    }, nullptr);
  }
  const double frame_ms = emscripten_get_now() - frame_t0;
  g_last_cpu_s = frame_ms / 1000;
  g_last_draw_start_s = frame_t0 / 1000;
  g_prev_frame_drew = from_browser;
  g_last_draw_end_s = NowS();
  g_bench.frame_end(true, frame_ms, ui_ms, gl_ms, ImGui::GetDrawData()->TotalVtxCount);
  ScheduleAfterFrame(0);
}
}  // namespace

// ---- [SECTION] main --------------------------------------------------------------------------
int main() {
  js_perf_mark("concord-main");
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
  // An opaque canvas with no depth or stencil buffer: ImGui uses neither, and each one the
  // context has is memory the GPU clears, resolves or composites every frame for nothing
  // (GLFW's defaults ask for all three).
  glfwWindowHint(GLFW_ALPHA_BITS, 0);
  glfwWindowHint(GLFW_DEPTH_BITS, 0);
  glfwWindowHint(GLFW_STENCIL_BITS, 0);
  const CanvasSize canvas = MeasureCanvas();
  const bool sized = canvas.fb_w > 0 && canvas.fb_h > 0;
  g_window = glfwCreateWindow(sized ? canvas.fb_w : 1280, sized ? canvas.fb_h : 800, "Concord", nullptr, nullptr);
  if (sized) { g_fb_w = canvas.fb_w; g_fb_h = canvas.fb_h; }
  if (!g_window) {
    js_fatal("WebGL2 could not be started in this browser.");
    return 1;
  }
  glfwMakeContextCurrent(g_window);

  glfwSetCursorPosCallback(g_window, OnCursor);
  glfwSetMouseButtonCallback(g_window, OnButton);
  glfwSetScrollCallback(g_window, OnScroll);
  glfwSetKeyCallback(g_window, OnKey);
  glfwSetCharCallback(g_window, OnChar);
  glfwSetWindowFocusCallback(g_window, OnFocus);
  glfwSetCursorEnterCallback(g_window, OnEnter);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout is ours; nothing written to storage behind the user's back
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;  // Tab, arrows, Enter/Space reach every control
  io.ConfigInputTextCursorBlink = false;  // a blinking caret would force redraws while idle
  io.ConfigWindowsMoveFromTitleBarOnly = true;
  ImGui_ImplGlfw_InitForOpenGL(g_window, true);
  // The GPU process compiles the UI's shaders while this thread builds the font atlas below.
  concord::GlRendererStart();
  io.GetClipboardTextFn = GetClipboard;
  io.SetClipboardTextFn = SetClipboard;

  static concord::WebHost host;
  static concord::WebTransport transport;
  static concord::App app(host, transport);
  g_host = &host;
  g_transport = &transport;
  g_app = &app;
  app.register_commands(g_api);
  g_api.add("frames", true, [](const concord::json&) { return "{\"frames\":" + std::to_string(g_frames_drawn) + "}"; });
  g_api.add("redraw", false, [](const concord::json&) -> std::string { return "{\"ok\":true}"; });
  g_bench.register_commands(g_api, app, [] { MarkDirty(); });
  app.init();

  // The fonts are usually here by now (they download alongside the wasm): build the atlas
  // before the first frame is asked for, while the GPU process is still setting up the canvas,
  // rather than after the browser's first animation frame.
  if (TryLoadFonts()) {
    g_fonts_loaded = true;
    double dpr = emscripten_get_device_pixel_ratio();
    g_dpr = dpr > 0 ? dpr : 1;
    ApplyScale(static_cast<float>(g_dpr));
    js_perf_mark("concord-atlas");
  }
  emscripten_set_main_loop(Frame, 0, false);
  // The first frame is drawn now rather than at the browser's first animation frame, which
  // after a long start-up task came 60-150 ms later here (measured in 4 fresh contexts).
  if (g_fonts_loaded) DrawFrame(false);
  return 0;
}
