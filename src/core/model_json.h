// ModelRef <-> JSON, the one form used by settings, exports, history and the window API.
// Reading is tolerant (hostile or old files): wrong types give defaults, an unknown
// reasoning effort is dropped, max tokens are clamped to 0..1,000,000.
#pragma once
#include <vector>

#include "jsonutil.h"
#include "types.h"

namespace concord {

json ModelRefToJson(const ModelRef& m);  // max_tokens and effort only when set
ModelRef ModelRefFromJson(const json& j);
json ModelRefsToJson(const std::vector<ModelRef>& v);
// Entries without a model id are skipped; at most `max` are kept.
std::vector<ModelRef> ModelRefsFromJson(const json& a, size_t max = 64);

}  // namespace concord
