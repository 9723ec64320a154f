// Taps: a touch, a pen or an automated click moves the pointer and presses in the same
// frame. Dear ImGui then processes the press in the frame that first sees the new position,
// and items that need a frame of hover before a press (tabs, anything that allows overlap)
// ignore it: the tap does nothing. SpreadTaps() makes ImGui's own input trickling give the
// pointer a frame of hover before the press, so a tap works as a click.
#pragma once

namespace concord {

// Call right before ImGui::NewFrame(). When this frame's queued input moves the pointer and
// then presses a button, a zero mouse-wheel event is queued between them: ImGui stops
// processing at it, hovers with the new position this frame, and presses a frame or two
// later (its trickling rules defer a button after a wheel event). The events stay in ImGui's
// own queue, so nothing else about them changes. Returns true when it spread a tap.
bool SpreadTaps();

}  // namespace concord
