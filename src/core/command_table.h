// The window API as a table of commands {name, read_only, handler}: a command text is
// parsed once, its "cmd" looked up by exact name, and the handler given the parsed object.
// read_only tells the platform that answering it changed nothing on screen (so it must not
// wake the render loop: tests count idle redraws through such queries).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "jsonutil.h"

namespace concord {

class CommandTable {
 public:
  using Handler = std::function<std::string(const json& cmd)>;
  struct Reply {
    std::string text;
    bool read_only = true;  // false: a known command that may have changed what is shown
  };
  // A later add() with the same name replaces the earlier one.
  void add(const std::string& name, bool read_only, Handler handler);
  Reply dispatch(const std::string& text) const;
  bool has(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  struct Entry { std::string name; bool read_only; Handler handler; };
  std::vector<Entry> entries_;
};

}  // namespace concord
