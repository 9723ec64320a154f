// The panels: one file each, free functions over explicit state. Each reads what it
// shows and writes what the user asked for into UiActions (applied after the frame).
#pragma once
#include <string>
#include <vector>

#include "run.h"
#include "settings.h"
#include "ui_common.h"

namespace concord {
// BeginChild for a child window drawn on a parent child window: the parent has already
// filled the area with the same ChildBg, so the child's own fill would repaint identical
// pixels (with software GL each full-area fill costs several ms of the GPU's frame). A
// transparent background is not drawn at all; unlike NoBackground, the border still is.
inline bool BeginChildOnChildBg(const char* id, const ImVec2& size = ImVec2(0, 0), bool border = false, ImGuiWindowFlags flags = 0) {
  ImGui::SetNextWindowBgAlpha(0);
  return ImGui::BeginChild(id, size, border, flags);
}

struct CatalogueState;
struct KeyCheck;
struct OAuthState;

void DrawSetup(UiShared& ui, const Settings& s, const CatalogueState& cat, const KeyCheck& key, const OAuthState& oauth,
               const std::vector<std::string>& problems, UiActions& out);
void DrawHistory(UiShared& ui, const AppStatus& st, const std::vector<FusionRun>& history, const std::string& note, UiActions& out);
void DrawPrompt(UiShared& ui, const AppStatus& st, const FusionRun& run, const Settings& s, const std::vector<ModelInfo>& cat, const std::vector<Endpoint>& eps,
                const std::vector<DemoExample>& examples, bool busy, UiActions& out);
void DrawCards(UiShared& ui, const FusionRun& run, const std::vector<Endpoint>& eps, double now, UiActions& out);
// A card's metrics line (pure): time, first token, tokens out and cost, once usage is known.
std::string CardMetrics(const Call& c, double now);
// A call's cost as shown: "(est.)" when priced from the catalogue, and no figure while it
// streams without usage yet.
std::string CallCost(const Call& c);
// A call's problems under its header: the provider's error, or, for kept text that is not
// whole, "Incomplete: <why>." (recorded as rect `rect_prefix` + ".error" / ".incomplete").
void DrawCallProblems(UiShared& ui, const Call& c, const std::string& rect_prefix);
void DrawJudge(UiShared& ui, const FusionRun& run, const std::vector<Endpoint>& eps, double now, UiActions& out);
void DrawSummary(UiShared& ui, const FusionRun& run, const std::vector<Endpoint>& eps, double now);
// The summary's two text lines (pure): answered count and wall time against the slowest member,
// and the members' cost spread. Until every member has settled they say "so far"; before the
// first answer there is no slowest member and no spread (SummarySpread is then empty).
std::string SummaryTimes(const FusionRun& run, double now);
std::string SummarySpread(const FusionRun& run);
class EvalRunner;
struct EvalSet;
struct EvalContestant;
void DrawEval(UiShared& ui, const AppStatus& st, const EvalRunner& r, const std::vector<const EvalSet*>& sets,
              const std::vector<EvalContestant>& contestants, const std::vector<std::pair<std::string, std::string>>& resting,
              bool demo, bool interrupted, UiActions& out);

// Where a chart's label goes (the eval chart's contestants): beside its point, right then left,
// else a line lower or higher, up to six lines away, never over a label in `placed`; with no
// free place, beside its point but clamped inside the chart. `bounds` is the chart (x0, y0,
// x1, y1) in pixels, `slack` how far a label may reach past its top and bottom, `gap` its
// distance from the point. The label's rectangle is appended to `placed`.
ImVec2 PlaceChartLabel(ImVec2 point, ImVec2 size, float gap, ImVec4 bounds, float slack, std::vector<ImVec4>& placed);
bool IsDemoEndpoint(const std::vector<Endpoint>& eps, const std::string& id);

}  // namespace concord
