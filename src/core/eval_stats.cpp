// Eval statistics (see eval_stats.h).
#include "eval_stats.h"
#include "small_sort.h"

#include <algorithm>
#include <cmath>

namespace concord {

Interval Wilson(int k, int n, double z) {
  if (n <= 0) return {};
  k = std::clamp(k, 0, n);
  const double p = static_cast<double>(k) / n, z2 = z * z, nn = n;
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

std::vector<size_t> ParetoFront(const std::vector<CostScore>& pts) {
  std::vector<size_t> out;
  for (size_t i = 0; i < pts.size(); ++i) {
    bool beaten = false;
    for (size_t j = 0; j < pts.size() && !beaten; ++j) {
      if (i == j) continue;
      const bool no_worse = pts[j].cost <= pts[i].cost && pts[j].score >= pts[i].score;
      const bool better = pts[j].cost < pts[i].cost || pts[j].score > pts[i].score;
      beaten = no_worse && better;
    }
    if (!beaten) out.push_back(i);
  }
  SmallSort(out.begin(), out.end(), [&](size_t a, size_t b) { return pts[a].cost < pts[b].cost; });
  // Equal points: keep one.
  out.erase(std::unique(out.begin(), out.end(), [&](size_t a, size_t b) {
              return pts[a].cost == pts[b].cost && pts[a].score == pts[b].score; }), out.end());
  return out;
}

}  // namespace concord
