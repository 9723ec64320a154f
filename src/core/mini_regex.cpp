// The small regex matcher (see mini_regex.h): a recursive-descent parser to a node tree and
// a backtracking matcher with a step budget.
#include "mini_regex.h"

#include <cctype>
#include <vector>

namespace concord {

struct MiniRegex::Node {
  enum Kind { Empty, Char, Any, Class, Begin, End, WordEdge, Seq, Alt, Repeat } kind = Empty;
  unsigned char ch = 0;
  bool negate = false;
  bool set[256] = {};
  int min = 0, max = -1;  // Repeat: max < 0 = unbounded
  std::vector<std::unique_ptr<Node>> kids;
};

namespace {
using Node = MiniRegex::Node;
using Ptr = std::unique_ptr<Node>;

unsigned char Lower(unsigned char c) { return static_cast<unsigned char>(std::tolower(c)); }
bool IsWord(unsigned char c) { return std::isalnum(c) || c == '_'; }

void AddClass(bool* set, char k) {
  for (int c = 0; c < 256; ++c) {
    const unsigned char u = static_cast<unsigned char>(c);
    bool in = k == 'd' ? std::isdigit(u) != 0 : k == 'w' ? IsWord(u) : std::isspace(u) != 0;
    if (in) set[c] = true;
  }
}

class Parser {
 public:
  explicit Parser(const std::string& p) : p_(p) {}
  Ptr parse(std::string& err) {
    Ptr n = alt(err);
    if (err.empty() && i_ < p_.size()) err = "unexpected ')' at position " + std::to_string(i_ + 1);
    return n;
  }

 private:
  const std::string& p_;
  size_t i_ = 0;
  int depth_ = 0;

  Ptr alt(std::string& err) {
    auto a = std::make_unique<Node>();
    a->kind = Node::Alt;
    a->kids.push_back(seq(err));
    while (err.empty() && i_ < p_.size() && p_[i_] == '|') {
      ++i_;
      a->kids.push_back(seq(err));
    }
    if (a->kids.size() == 1) return std::move(a->kids[0]);
    return a;
  }
  Ptr seq(std::string& err) {
    auto s = std::make_unique<Node>();
    s->kind = Node::Seq;
    while (err.empty() && i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')') {
      Ptr atom_node = atom(err);
      if (!err.empty()) break;
      s->kids.push_back(quant(std::move(atom_node), err));
    }
    return s;
  }
  Ptr quant(Ptr a, std::string& err) {
    while (err.empty() && i_ < p_.size()) {
      char c = p_[i_];
      int mn = 0, mx = -1;
      if (c == '*') { ++i_; }
      else if (c == '+') { mn = 1; ++i_; }
      else if (c == '?') { mx = 1; ++i_; }
      else if (c == '{') {
        size_t j = i_ + 1;
        auto num = [&](int& out) {
          size_t s0 = j;
          out = 0;
          while (j < p_.size() && std::isdigit(static_cast<unsigned char>(p_[j])) && out < 1000) out = out * 10 + (p_[j++] - '0');
          return j > s0;
        };
        if (!num(mn)) return a;  // a literal '{'
        mx = mn;
        if (j < p_.size() && p_[j] == ',') { ++j; if (!num(mx)) mx = -1; }
        if (j >= p_.size() || p_[j] != '}') { err = "unclosed {…} at position " + std::to_string(i_ + 1); return a; }
        if (mx >= 0 && mx < mn) { err = "{m,n} with n < m at position " + std::to_string(i_ + 1); return a; }
        i_ = j + 1;
      } else {
        return a;
      }
      if (a->kind == Node::Begin || a->kind == Node::End || a->kind == Node::WordEdge) { err = "nothing to repeat at position " + std::to_string(i_); return a; }
      auto r = std::make_unique<Node>();
      r->kind = Node::Repeat;
      r->min = mn;
      r->max = mx;
      r->kids.push_back(std::move(a));
      a = std::move(r);
    }
    return a;
  }
  Ptr atom(std::string& err) {
    auto n = std::make_unique<Node>();
    const char c = p_[i_++];
    switch (c) {
      case '.': n->kind = Node::Any; return n;
      case '^': n->kind = Node::Begin; return n;
      case '$': n->kind = Node::End; return n;
      case '*': case '+': case '?': err = std::string("nothing to repeat before '") + c + "' at position " + std::to_string(i_); return n;
      case '(': {
        if (++depth_ > 50) { err = "groups nested too deeply"; return n; }
        if (i_ + 1 < p_.size() && p_[i_] == '?' && p_[i_ + 1] == ':') i_ += 2;  // (?:…) is a plain group
        Ptr inner = alt(err);
        --depth_;
        if (err.empty() && (i_ >= p_.size() || p_[i_] != ')')) { err = "unclosed '(' "; return n; }
        ++i_;
        return inner;
      }
      case '[': return klass(err);
      case '\\': {
        if (i_ >= p_.size()) { err = "the pattern ends with a lone backslash"; return n; }
        const char e = p_[i_++];
        if (e == 'b') { n->kind = Node::WordEdge; return n; }
        if (e == 'd' || e == 'w' || e == 's' || e == 'D' || e == 'W' || e == 'S') {
          n->kind = Node::Class;
          AddClass(n->set, static_cast<char>(std::tolower(static_cast<unsigned char>(e))));
          n->negate = std::isupper(static_cast<unsigned char>(e)) != 0;
          return n;
        }
        n->kind = Node::Char;
        n->ch = Lower(static_cast<unsigned char>(e == 'n' ? '\n' : e == 't' ? '\t' : e));
        return n;
      }
      default:
        n->kind = Node::Char;
        n->ch = Lower(static_cast<unsigned char>(c));
        return n;
    }
  }
  Ptr klass(std::string& err) {
    auto n = std::make_unique<Node>();
    n->kind = Node::Class;
    if (i_ < p_.size() && p_[i_] == '^') { n->negate = true; ++i_; }
    bool first = true;
    while (i_ < p_.size() && (p_[i_] != ']' || first)) {
      first = false;
      unsigned char lo = static_cast<unsigned char>(p_[i_++]);
      if (lo == '\\' && i_ < p_.size()) {
        const char e = p_[i_++];
        if (e == 'd' || e == 'w' || e == 's') { AddClass(n->set, e); continue; }
        lo = static_cast<unsigned char>(e);
      }
      unsigned char hi = lo;
      if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
        hi = static_cast<unsigned char>(p_[i_ + 1]);
        i_ += 2;
        if (hi < lo) { err = "a [x-y] range runs backwards"; return n; }
      }
      for (int c = lo; c <= hi; ++c) {
        n->set[c] = true;
        n->set[static_cast<unsigned char>(std::tolower(c))] = true;
        n->set[static_cast<unsigned char>(std::toupper(c))] = true;
      }
    }
    if (i_ >= p_.size()) { err = "unclosed '['"; return n; }
    ++i_;
    return n;
  }
};

// A non-owning callable reference: the continuation of a match, without template recursion.
class Cont {
 public:
  template <class F>
  Cont(const F& f) : obj_(&f), call_([](const void* o, size_t i) { return (*static_cast<const F*>(o))(i); }) {}  // NOLINT
  bool operator()(size_t i) const { return call_(obj_, i); }

 private:
  const void* obj_;
  bool (*call_)(const void*, size_t);
};

struct Matcher {
  const std::string& s;
  mutable long budget;
  // Matches node `n` at `i`, then the continuation `k`.
  bool m(const Node* n, size_t i, Cont k) const {
    if (--budget < 0) return false;
    switch (n->kind) {
      case Node::Empty: return k(i);
      case Node::Char: return i < s.size() && Lower(static_cast<unsigned char>(s[i])) == n->ch && k(i + 1);
      case Node::Any: return i < s.size() && s[i] != '\n' && k(i + 1);
      case Node::Class: return i < s.size() && (n->set[static_cast<unsigned char>(s[i])] != n->negate) && k(i + 1);
      case Node::Begin: return i == 0 && k(i);
      case Node::End: return i == s.size() && k(i);
      case Node::WordEdge: {
        const bool a = i > 0 && IsWord(static_cast<unsigned char>(s[i - 1]));
        const bool b = i < s.size() && IsWord(static_cast<unsigned char>(s[i]));
        return a != b && k(i);
      }
      case Node::Seq: return seq(n, 0, i, k);
      case Node::Alt:
        for (auto& c : n->kids) if (m(c.get(), i, k)) return true;
        return false;
      case Node::Repeat: return rep(n, 0, i, k);
    }
    return false;
  }
  bool seq(const Node* n, size_t idx, size_t i, Cont k) const {
    if (idx == n->kids.size()) return k(i);
    auto next = [&](size_t j) { return seq(n, idx + 1, j, k); };
    return m(n->kids[idx].get(), i, next);
  }
  bool rep(const Node* n, int count, size_t i, Cont k) const {
    if (budget < 0) return false;
    const bool can_more = n->max < 0 || count < n->max;
    auto more = [&](size_t j) { return j != i && rep(n, count + 1, j, k); };
    if (can_more && m(n->kids[0].get(), i, more)) return true;
    return count >= n->min && k(i);
  }
};
}  // namespace

MiniRegex::MiniRegex() = default;
MiniRegex::~MiniRegex() = default;
MiniRegex::MiniRegex(MiniRegex&&) noexcept = default;
MiniRegex& MiniRegex::operator=(MiniRegex&&) noexcept = default;

std::string MiniRegex::compile(const std::string& pattern) {
  root_.reset();
  if (pattern.size() > 2000) return "the pattern is longer than 2,000 characters";
  std::string err;
  Parser p(pattern);
  Ptr n = p.parse(err);
  if (!err.empty()) return "pattern \"" + pattern.substr(0, 80) + "\": " + err;
  root_ = std::move(n);
  return "";
}

bool MiniRegex::search(const std::string& text) const {
  if (!root_) return false;
  Matcher mt{text, 2000000};
  auto done = [](size_t) { return true; };
  for (size_t i = 0; i <= text.size() && mt.budget > 0; ++i)
    if (mt.m(root_.get(), i, done)) return true;
  return false;
}

}  // namespace concord
