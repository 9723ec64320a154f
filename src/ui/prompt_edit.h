// The question box: a multi-line input that wraps long lines at spaces while the question
// keeps them (soft wrap, see soft_wrap.h), with an undo history kept in terms of the question.
#pragma once
#include "ui_common.h"

namespace concord {

// Draws the box `height` pixels tall and as wide as the space left. Returns true when the
// user changed the question (`v.text`) this frame. What the App sets in `v.text` between
// frames is wrapped and shown the next time the box is not being edited.
bool PromptInput(const char* label, PromptView& v, float height);

}  // namespace concord
