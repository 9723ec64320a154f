// Reusable headless Dear ImGui harness for UI tests (no GPU, no backend): a context with a
// 1280x800 display, the built-in font baked (so NewFrame works) and UiFonts all pointing at
// it. frame(fn) runs one full frame: NewFrame, a full-display host window, fn(), End, Render.
// Mouse helpers queue input events that the next frame() consumes.
#pragma once
#include <functional>

#include "imgui.h"
#include "input_tap.h"
#include "ui_common.h"

namespace concord {

struct HeadlessImGui {
  ImGuiContext* ctx = nullptr;
  UiFonts fonts;
  bool host_window = true;  // wrap fn() in a full-display window (set false to manage windows yourself)

  explicit HeadlessImGui(ImVec2 display = ImVec2(1280, 800)) {
    ctx = ImGui::CreateContext();
    ImGui::SetCurrentContext(ctx);
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.LogFilename = nullptr;
    io.DisplaySize = display;
    io.DeltaTime = 1.0f / 60.0f;
    ImFont* f = io.Fonts->AddFontDefault();
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);  // marks the atlas built
    fonts.regular = fonts.bold = fonts.heading = fonts.mono = f;
  }
  ~HeadlessImGui() { ImGui::DestroyContext(ctx); }
  HeadlessImGui(const HeadlessImGui&) = delete;
  HeadlessImGui& operator=(const HeadlessImGui&) = delete;

  void frame(const std::function<void()>& fn) {
    ImGui::SetCurrentContext(ctx);
    SpreadTaps();  // as the web platform does before every frame
    ImGui::NewFrame();
    if (host_window) {
      ImGui::SetNextWindowPos(ImVec2(0, 0));
      ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
      ImGui::Begin("host", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                        ImGuiWindowFlags_NoSavedSettings);
    }
    if (fn) fn();
    if (host_window) ImGui::End();
    ImGui::Render();
  }
  void mouse(ImVec2 p) { ImGui::GetIO().AddMousePosEvent(p.x, p.y); }
  void button(bool down, int b = 0) { ImGui::GetIO().AddMouseButtonEvent(b, down); }
  void wheel(float w) { ImGui::GetIO().AddMouseWheelEvent(0, w); }
  // A tap: moves to p and presses in the same frame, releases in the next (runs fn each
  // frame, and a few more for the spread press and release to land).
  void tap(ImVec2 p, const std::function<void()>& fn) {
    mouse(p);
    button(true);
    frame(fn);
    button(false);
    for (int i = 0; i < 4; ++i) frame(fn);
  }
  // Moves to p, then presses and releases the left button, one frame each (runs fn each frame).
  void click(ImVec2 p, const std::function<void()>& fn) {
    mouse(p);
    frame(fn);
    button(true);
    frame(fn);
    button(false);
    frame(fn);
  }
};

}  // namespace concord
