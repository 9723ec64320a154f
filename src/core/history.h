// Run history as the browser stores it: a JSON array of run exports, newest first, shared
// by every tab of the origin. Pure: parsing, merging another tab's runs, capping, and
// fitting the list into a store that may refuse (storage full) by dropping the oldest.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "run.h"

namespace concord {

constexpr size_t kHistoryMax = 50;

// The stored array; items that are not a readable run export are skipped (counted in `skipped`,
// and kept as they were in `unreadable`: a run saved by a newer version in another tab is
// written back untouched, never dropped).
std::vector<FusionRun> ParseHistory(const std::string& stored, size_t* skipped = nullptr,
                                    std::vector<std::string>* unreadable = nullptr);
// Ours plus the stored runs we do not know (by id) and did not delete here, newest first
// (stable for equal times), at most `cap`.
std::vector<FusionRun> MergeHistory(std::vector<FusionRun> ours, std::vector<FusionRun> stored,
                                    const std::vector<std::string>& deleted_ids, size_t cap = kHistoryMax);
// Writes the newest runs that `store` accepts (it returns false when full), dropping the
// oldest one at a time. Returns how many were kept (0: not even an empty list was stored...
// or the list was empty; `stored_any` tells the two apart).
// `keep_as_is`: stored items this version cannot read, written after the runs as they were (the
// first to go when storage is full).
size_t SaveHistoryFitting(const std::vector<FusionRun>& runs, const std::function<bool(const std::string&)>& store,
                          bool* stored_any = nullptr, const std::vector<std::string>& keep_as_is = {});

}  // namespace concord
