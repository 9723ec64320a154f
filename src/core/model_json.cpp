// ModelRef <-> JSON (see model_json.h).
#include "model_json.h"

#include <algorithm>

namespace concord {

json ModelRefToJson(const ModelRef& m) {
  json j = {{"endpoint", m.endpoint}, {"model", m.model}, {"temperature", m.temperature}};
  if (m.max_tokens > 0) j["max_tokens"] = m.max_tokens;
  if (!m.effort.empty()) j["effort"] = m.effort;
  return j;
}

ModelRef ModelRefFromJson(const json& j) {
  ModelRef m{GetStr(j, "endpoint"), GetStr(j, "model"), GetNum(j, "temperature", -1)};
  if (!(m.temperature == m.temperature) || m.temperature < 0) m.temperature = -1;  // NaN, negative: default
  if (m.temperature > 2) m.temperature = 2;
  m.max_tokens = static_cast<int>(std::clamp<int64_t>(GetInt(j, "max_tokens"), 0, 1000000));
  m.effort = GetStr(j, "effort");
  if (!ValidEffort(m.effort)) m.effort.clear();
  return m;
}

json ModelRefsToJson(const std::vector<ModelRef>& v) {
  json a = json::array();
  for (auto& m : v) a.push_back(ModelRefToJson(m));
  return a;
}

std::vector<ModelRef> ModelRefsFromJson(const json& a, size_t max) {
  std::vector<ModelRef> v;
  if (!a.is_array()) return v;
  for (auto& j : a) {
    if (v.size() >= max) break;
    ModelRef m = ModelRefFromJson(j);
    if (!m.model.empty()) v.push_back(std::move(m));
  }
  return v;
}

}  // namespace concord
