// Window API command table (see command_table.h).
#include "command_table.h"

#include <algorithm>

namespace concord {

void CommandTable::add(const std::string& name, bool read_only, Handler handler) {
  for (auto& e : entries_)
    if (e.name == name) { e = Entry{name, read_only, std::move(handler)}; return; }
  entries_.push_back(Entry{name, read_only, std::move(handler)});
}

CommandTable::Reply CommandTable::dispatch(const std::string& text) const {
  const json cmd = ParseJson(text);
  if (!cmd.is_object()) return {R"({"error":"command is not a JSON object"})", true};
  const json* name = Get(cmd, "cmd");
  if (!name || !name->is_string()) return {R"({"error":"no \"cmd\" name in the command"})", true};
  const std::string& n = name->get_ref<const std::string&>();
  for (auto& e : entries_)
    if (e.name == n) return {e.handler(cmd), e.read_only};
  return {Dump({{"error", "unknown command '" + n + "'"}}), true};
}

bool CommandTable::has(const std::string& name) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.name == name; });
}

std::vector<std::string> CommandTable::names() const {
  std::vector<std::string> v;
  for (auto& e : entries_) v.push_back(e.name);
  return v;
}

}  // namespace concord
