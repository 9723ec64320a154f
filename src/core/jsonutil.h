// Non-throwing accessors over nlohmann::json. Model and provider JSON is hostile input:
// a wrong type must give a default, never an exception (the wasm build may not catch).
#pragma once
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

namespace concord {
using json = nlohmann::json;

// Nesting deeper than this is refused by ParseJson: copying such a value recurses once per
// level (the wasm stack is a few MB), and no JSON Concord reads nests past a few dozen.
inline constexpr int kMaxJsonDepth = 256;
inline bool JsonDepthWithin(const std::string& s, int max) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (const char c : s) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

// Parses without throwing; returns a discarded value on error or on nesting deeper than
// kMaxJsonDepth (check is_discarded()).
inline json ParseJson(const std::string& s) {
  if (!JsonDepthWithin(s, kMaxJsonDepth)) return json(json::value_t::discarded);
  return json::parse(s, nullptr, false);
}

inline const json* Get(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}
inline std::string GetStr(const json& j, const char* key, const std::string& def = "") {
  const json* v = Get(j, key);
  if (!v) return def;
  if (v->is_string()) return v->get_ref<const std::string&>();
  if (v->is_number() || v->is_boolean()) return v->dump();
  return def;
}
inline double GetNum(const json& j, const char* key, double def = 0) {
  const json* v = Get(j, key);
  if (!v) return def;
  if (v->is_number()) return v->get<double>();
  if (v->is_string()) {  // OpenRouter sends prices as strings
    const std::string& s = v->get_ref<const std::string&>();
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    return end && end != s.c_str() ? d : def;
  }
  return def;
}
inline int64_t GetInt(const json& j, const char* key, int64_t def = 0) {
  const double d = GetNum(j, key, static_cast<double>(def));
  // Casting NaN ("nan" strings) or a double outside int64's range is undefined: clamp.
  if (!(d == d)) return def;
  if (d >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (d <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}
inline bool GetBool(const json& j, const char* key, bool def = false) {
  const json* v = Get(j, key);
  return v && v->is_boolean() ? v->get<bool>() : def;
}
inline const json& GetObj(const json& j, const char* key) {
  static const json empty = json::object();
  const json* v = Get(j, key);
  return v && v->is_object() ? *v : empty;
}
inline const json& GetArr(const json& j, const char* key) {
  static const json empty = json::array();
  const json* v = Get(j, key);
  return v && v->is_array() ? *v : empty;
}
// Serialises without throwing on invalid UTF-8 (replaces bad bytes).
inline std::string Dump(const json& j, int indent = -1) {
  return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace concord
