// Run history storage rules (see history.h).
#include "history.h"
#include "small_sort.h"

#include <algorithm>

#include "jsonutil.h"

namespace concord {

std::vector<FusionRun> ParseHistory(const std::string& stored, size_t* skipped, std::vector<std::string>* unreadable) {
  std::vector<FusionRun> out;
  size_t bad = 0;
  json j = ParseJson(stored);
  if (j.is_array()) {
    for (auto& item : j) {
      FusionRun r;
      if (item.is_string() && ImportRunJson(item.get<std::string>(), r).empty()) {
        out.push_back(std::move(r));
      } else {
        ++bad;
        if (unreadable) unreadable->push_back(item.is_string() ? item.get<std::string>() : Dump(item));
      }
    }
  } else if (!stored.empty()) {
    bad = 1;
  }
  if (skipped) *skipped = bad;
  return out;
}

std::vector<FusionRun> MergeHistory(std::vector<FusionRun> ours, std::vector<FusionRun> stored,
                                    const std::vector<std::string>& deleted_ids, size_t cap) {
  for (auto& r : stored) {
    if (r.id.empty()) continue;
    const bool known = std::any_of(ours.begin(), ours.end(), [&](const FusionRun& h) { return h.id == r.id; }) ||
                       std::find(deleted_ids.begin(), deleted_ids.end(), r.id) != deleted_ids.end();
    if (!known) ours.push_back(std::move(r));
  }
  // Newest first, ties in merge order; indices are sorted, not the runs themselves.
  std::vector<size_t> order(ours.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  SmallSort(order.begin(), order.end(), [&](size_t a, size_t b) { return ours[a].created_unix > ours[b].created_unix; });
  std::vector<FusionRun> newest;
  newest.reserve(std::min(cap, order.size()));
  for (size_t k = 0; k < order.size() && newest.size() < cap; ++k) newest.push_back(std::move(ours[order[k]]));
  return newest;
}

size_t SaveHistoryFitting(const std::vector<FusionRun>& runs, const std::function<bool(const std::string&)>& store,
                          bool* stored_any, const std::vector<std::string>& keep_as_is) {
  std::vector<std::string> items;
  items.reserve(runs.size());
  for (auto& r : runs) items.push_back(ExportRunJson(r));
  for (size_t extra = keep_as_is.size(); extra > 0; --extra) {  // all the runs, and as many unread items as fit
    json arr = json::array();
    for (auto& it : items) arr.push_back(it);
    for (size_t i = 0; i < extra; ++i) arr.push_back(keep_as_is[i]);
    if (store(Dump(arr))) {
      if (stored_any) *stored_any = true;
      return items.size();
    }
  }
  for (size_t keep = items.size();; --keep) {
    json arr = json::array();
    for (size_t i = 0; i < keep; ++i) arr.push_back(items[i]);
    if (store(Dump(arr))) {
      if (stored_any) *stored_any = true;
      return keep;
    }
    if (keep == 0) break;
  }
  if (stored_any) *stored_any = false;
  return 0;
}

}  // namespace concord
