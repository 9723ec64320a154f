// Peer ranking: the order a member's 'FINAL RANKING:' list gives the anonymised responses, and
// the panel's rankings averaged into one order (shown to the judge as a hint).
#include "run.h"
#include "small_sort.h"

#include <algorithm>
#include <cctype>

namespace concord {

// ---- [SECTION] peer ranking parsing -------------------------------------------------------
std::vector<std::string> ParseRanking(const std::string& text, const std::vector<std::string>& valid) {
  size_t from = text.rfind("FINAL RANKING");
  std::string part = from == std::string::npos ? text : text.substr(from);
  std::vector<std::string> order;
  const std::string key = "Response ";
  for (size_t p = part.find(key); p != std::string::npos; p = part.find(key, p + 1)) {
    size_t q = p + key.size();
    size_t e = q;
    while (e < part.size() && std::isupper(static_cast<unsigned char>(part[e]))) ++e;
    if (e == q || e - q > 2) continue;
    std::string label = part.substr(q, e - q);
    if (std::find(valid.begin(), valid.end(), label) == valid.end()) continue;
    if (std::find(order.begin(), order.end(), label) == order.end()) order.push_back(label);
  }
  return order;
}

std::vector<std::pair<std::string, double>> AggregateRanking(const std::vector<Ranking>& rankings) {
  std::vector<std::pair<std::string, double>> sum;  // label -> (sum of positions), then averaged
  std::vector<int> count;
  for (auto& r : rankings)
    for (size_t i = 0; i < r.order.size(); ++i) {
      auto it = std::find_if(sum.begin(), sum.end(), [&](const auto& x) { return x.first == r.order[i]; });
      if (it == sum.end()) { sum.push_back({r.order[i], 0.0}); count.push_back(0); it = sum.end() - 1; }
      it->second += static_cast<double>(i + 1);
      ++count[static_cast<size_t>(it - sum.begin())];
    }
  for (size_t i = 0; i < sum.size(); ++i) sum[i].second /= count[i];
  // Best (lowest) average first, ties in first-seen order.
  SmallSort(sum.begin(), sum.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  return sum;
}

}  // namespace concord
