// The maps panel: stance grid (claims x models), agreement heat map (models x models) and a
// zoomable consensus/contradiction graph, drawn from MapData into the caller's child region.
#pragma once
#include "mapdata.h"
#include "render_hooks.h"
#include "run.h"
#include "ui_common.h"

namespace concord {

// Updates `data` from `run` (cheap when nothing changed) and draws the three tabs into the
// current content region. Clicks come out through `out` (jump_member / jump_quote,
// export_csv); named rects go to ui.rects ("maps.tab.*", "maps.grid.cell.r.c",
// "maps.canvas").
void DrawMaps(MapsView& view, MapData& data, const FusionRun& run, UiShared& ui, UiActions& out);

// The heat map colour ramp: 0 pal::Disagree -> 0.5 neutral -> 1 pal::Agree; < 0 unknown grey.
// The GLSL ramp in shaders/heatmap_fs.glsl uses the same three stops.
ImU32 AgreementColour(double v);

}  // namespace concord
