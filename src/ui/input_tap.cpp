// Spreads a same-frame move + press over frames (see input_tap.h).
#include "input_tap.h"

#include "imgui.h"
#include "imgui_internal.h"

namespace concord {

bool SpreadTaps() {
  ImGuiContext* ctx = ImGui::GetCurrentContext();
  if (!ctx) return false;
  ImVector<ImGuiInputEvent>& q = ctx->InputEventsQueue;
  bool moved = false;
  for (int i = 0; i < q.Size; ++i) {
    const ImGuiInputEvent& e = q[i];
    if (e.Type == ImGuiInputEventType_MousePos) {
      moved = true;
    } else if (e.Type == ImGuiInputEventType_MouseWheel) {
      moved = false;  // already a break (ours from an earlier frame, or a real scroll)
    } else if (e.Type == ImGuiInputEventType_MouseButton && e.MouseButton.Down && moved) {
      ImGuiInputEvent pause;  // AddMouseWheelEvent() drops a zero wheel, so it is queued here
      pause.Type = ImGuiInputEventType_MouseWheel;
      pause.Source = ImGuiInputSource_Mouse;
      pause.EventId = ctx->InputEventsNextEventId++;
      pause.MouseWheel.WheelX = pause.MouseWheel.WheelY = 0;
      pause.MouseWheel.MouseSource = e.MouseButton.MouseSource;
      q.insert(q.Data + i, pause);
      return true;
    }
  }
  return false;
}

}  // namespace concord
