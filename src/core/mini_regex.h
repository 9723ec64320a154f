// A small regular-expression matcher for eval answer patterns, instead of std::regex (which
// would add about 100 KB to the wasm). Case-insensitive (ASCII), searches anywhere in the text.
// Bytes, not code points: write a non-ASCII letter as an alternative, (i|í), not in [..].
// Supported: literals, '.', [abc] [a-z] [^…], \d \w \s \D \W \S \b, escapes (\. \( …), ^ $,
// groups ( … ), alternation |, and the greedy quantifiers * + ? {m} {m,} {m,n}.
// Compile errors give a clear message; matching is bounded (no runaway backtracking).
#pragma once
#include <memory>
#include <string>

namespace concord {

class MiniRegex {
 public:
  // "" on success, else why the pattern is not valid (the object then matches nothing).
  std::string compile(const std::string& pattern);
  bool search(const std::string& text) const;
  ~MiniRegex();
  MiniRegex();
  MiniRegex(MiniRegex&&) noexcept;
  MiniRegex& operator=(MiniRegex&&) noexcept;

  struct Node;
 private:
  std::unique_ptr<Node> root_;
};

}  // namespace concord
