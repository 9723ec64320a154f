// Where the eval chart puts its contestants' labels (PlaceChartLabel): beside their points,
// never over one another while there is room, and never outside the chart, where they would
// cover the text around it.
#include <gtest/gtest.h>

#include <vector>

#include "panels.h"

namespace concord {
namespace {

const ImVec4 kChart(0, 0, 400, 200);  // x0, y0, x1, y1
constexpr float kGap = 8, kSlack = 4;
const ImVec2 kLabel(120, 14);

bool Inside(const ImVec4& r) {
  return r.x >= kChart.x && r.z <= kChart.z && r.y >= kChart.y - kSlack && r.w <= kChart.w + kSlack;
}
bool Overlap(const ImVec4& p, const ImVec4& q) { return p.x < q.z && q.x < p.z && p.y < q.w && q.y < p.w; }

TEST(ChartLabels, ALoneLabelSitsRightOfItsPoint) {
  std::vector<ImVec4> placed;
  const ImVec2 at = PlaceChartLabel(ImVec2(100, 100), kLabel, kGap, kChart, kSlack, placed);
  EXPECT_FLOAT_EQ(at.x, 108);
  EXPECT_FLOAT_EQ(at.y, 93);
  ASSERT_EQ(placed.size(), 1u);
}

TEST(ChartLabels, PointsClusteredAtTheTopEdgeKeepTheirLabelsInsideAndApart) {
  // Three contestants at 100 % for almost nothing: before, the third label went above the chart.
  std::vector<ImVec4> placed;
  for (float x : {10.f, 12.f, 40.f}) PlaceChartLabel(ImVec2(x, 0), kLabel, kGap, kChart, kSlack, placed);
  ASSERT_EQ(placed.size(), 3u);
  for (size_t i = 0; i < placed.size(); ++i) {
    EXPECT_TRUE(Inside(placed[i])) << i;
    for (size_t j = 0; j < i; ++j) EXPECT_FALSE(Overlap(placed[i], placed[j])) << i << " over " << j;
  }
}

TEST(ChartLabels, WithNoRoomLeftALabelIsClampedInsideTheChart) {
  std::vector<ImVec4> placed;
  for (int i = 0; i < 40; ++i) PlaceChartLabel(ImVec2(395, 0), kLabel, kGap, kChart, kSlack, placed);
  for (auto& r : placed) EXPECT_TRUE(Inside(r)) << r.x << "," << r.y;
}

}  // namespace
}  // namespace concord
