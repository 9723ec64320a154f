// Stable sort of a short range by insertion. std::sort and std::stable_sort cost 1.5–3 KB of
// wasm for each element type and comparison they are instantiated with; the lists sorted here
// are a handful to a few hundred items (contestants, labels, sections, options, saved runs).
#pragma once
#include <algorithm>

namespace concord {

template <class It, class Less>
void SmallSort(It first, It last, Less less) {
  for (It i = first; i != last; ++i)
    for (It j = i; j != first && less(*j, *(j - 1)); --j) std::iter_swap(j, j - 1);
}

template <class It>
void SmallSort(It first, It last) {
  SmallSort(first, last, [](const auto& a, const auto& b) { return a < b; });
}

}  // namespace concord
