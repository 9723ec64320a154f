// Eval statistics: the Wilson score interval for an accuracy, and the Pareto front of
// (cost, score) points. Pure.
#pragma once
#include <cstddef>
#include <vector>

namespace concord {

struct Interval { double lo = 0, hi = 0; };
// 95 % (z = 1.96) Wilson interval for k successes in n trials; {0, 0} when n == 0.
Interval Wilson(int k, int n, double z = 1.96);

struct CostScore { double cost = 0, score = 0; };
// Indices of the points no other point beats (cost no higher and score no lower, one strictly),
// in increasing cost.
std::vector<std::size_t> ParetoFront(const std::vector<CostScore>& points);

}  // namespace concord
