// Eval grading (see eval_grade.h).
#include "eval_grade.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "judge.h"
#include "mini_regex.h"

namespace concord {
namespace {
std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}
std::string Num(double x) { char b[40]; std::snprintf(b, sizeof b, "%.10g", x); return b; }
// The choice letter an answer line names: "B", "(B)", "B)", "b.", "Option B", "B — 42".
char ChoiceLetter(const std::string& line, size_t n_choices) {
  const std::string l = Trim(line);
  for (size_t i = 0; i < l.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(l[i]);
    if (!std::isalpha(c)) continue;
    const bool alone_before = i == 0 || !std::isalnum(static_cast<unsigned char>(l[i - 1]));
    const bool alone_after = i + 1 == l.size() || !std::isalnum(static_cast<unsigned char>(l[i + 1]));
    const char up = static_cast<char>(std::toupper(c));
    if (alone_before && alone_after && up >= 'A' && static_cast<size_t>(up - 'A') < n_choices) return up;
    // Skip a whole word ("option", "answer") and look further.
    while (i + 1 < l.size() && std::isalpha(static_cast<unsigned char>(l[i + 1]))) ++i;
  }
  return 0;
}
}  // namespace

std::string AnswerLine(const std::string& reply) {
  const std::string low = Lower(reply);
  size_t best = std::string::npos, len = 0;
  for (const char* label : {"final answer:", "answer:", "final answer is", "the answer is"}) {
    const size_t p = low.rfind(label);
    if (p != std::string::npos && (best == std::string::npos || p > best)) { best = p; len = std::string(label).size(); }
  }
  std::string out;
  if (best != std::string::npos) {
    out = reply.substr(best + len);
    out = out.substr(0, out.find('\n'));
  } else {
    size_t end = reply.find_last_not_of(" \t\r\n");
    if (end == std::string::npos) return "";
    size_t start = reply.rfind('\n', end);
    out = reply.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
  }
  // Markdown emphasis around the answer: **42**, `42`.
  std::string t;
  for (char c : out) if (c != '*' && c != '`' && c != '_') t += c;
  return Trim(t);
}

std::string NormaliseAnswer(const std::string& s) {
  std::string t;
  bool space = false;
  for (unsigned char c : Lower(Trim(s))) {
    if (std::isspace(c)) { space = !t.empty(); continue; }
    if (space) { t += ' '; space = false; }
    t += static_cast<char>(c);
  }
  auto strip = [](std::string& x) {
    const std::string edge = "\"'.,;:!?()[]{}«»";
    while (!x.empty() && edge.find(x.back()) != std::string::npos) x.pop_back();
    while (!x.empty() && edge.find(x.front()) != std::string::npos) x.erase(x.begin());
  };
  strip(t);
  for (const char* art : {"the ", "a ", "an "})
    if (t.rfind(art, 0) == 0) { t = t.substr(std::string(art).size()); break; }
  strip(t);
  return t;
}

bool LastNumber(const std::string& s, double& out) {
  bool found = false;
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const bool starts = std::isdigit(c) || ((c == '-' || c == '.') && i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1])));
    if (!starts) { ++i; continue; }
    // Digits with thousands separators (',' or a thin/normal space between groups of three).
    std::string digits;
    size_t j = i;
    if (s[j] == '-') { digits += '-'; ++j; }
    while (j < s.size()) {
      const unsigned char d = static_cast<unsigned char>(s[j]);
      if (std::isdigit(d) || d == '.') { digits += static_cast<char>(d); ++j; continue; }
      if ((d == ',' || d == ' ') && j + 3 < s.size() + 1 && j + 3 <= s.size() &&
          std::isdigit(static_cast<unsigned char>(s[j + 1])) && std::isdigit(static_cast<unsigned char>(s[j + 2])) &&
          std::isdigit(static_cast<unsigned char>(s[j + 3])) && (j + 4 >= s.size() || !std::isdigit(static_cast<unsigned char>(s[j + 4])))) {
        ++j;  // a separator
        continue;
      }
      break;
    }
    while (!digits.empty() && digits.back() == '.') digits.pop_back();
    char* end = nullptr;
    const double v = std::strtod(digits.c_str(), &end);
    if (end && end != digits.c_str()) { out = v; found = true; }
    i = j;
  }
  return found;
}

Grade GradeReply(const EvalItem& it, const std::string& reply) {
  Grade g;
  if (it.grade == GradeKind::Rubric) {
    g.detail = "waiting for the grader model";
    return g;
  }
  g.graded = true;
  const std::string line = AnswerLine(reply);
  g.extracted = line;
  if (line.empty()) {
    g.detail = "no answer could be read (empty reply)";
    return g;
  }
  switch (it.grade) {
    case GradeKind::Exact: {
      const std::string want = NormaliseAnswer(it.answer), got = NormaliseAnswer(line);
      // The answer as the whole line, or as a whole phrase in it ("It was a Friday.").
      bool ok = got == want;
      if (!ok && !want.empty()) {
        const size_t p = (" " + got + " ").find(" " + want + " ");
        ok = p != std::string::npos;
      }
      g.correct = ok;
      g.detail = ok ? "matches \"" + it.answer + "\"" : "expected \"" + it.answer + "\"";
      break;
    }
    case GradeKind::Number: {
      double x = 0;
      if (!LastNumber(line, x) && !LastNumber(reply, x)) { g.detail = "no number in the answer"; break; }
      g.extracted = Num(x);
      g.correct = std::fabs(x - it.number) <= it.tolerance + 1e-12 * std::max(1.0, std::fabs(it.number));
      g.detail = (g.correct ? "read " : "expected " + Num(it.number) + ", read ") + Num(x);
      break;
    }
    case GradeKind::Choice: {
      char c = ChoiceLetter(line, it.choices.size());
      if (!c) {  // the option's text instead of its letter
        const std::string got = NormaliseAnswer(line);
        for (size_t k = 0; k < it.choices.size() && !c; ++k)
          if (NormaliseAnswer(it.choices[k]) == got) c = static_cast<char>('A' + k);
      }
      if (!c) { g.detail = "no choice letter in the answer"; break; }
      g.extracted = std::string(1, c);
      g.correct = g.extracted == it.answer;
      g.detail = g.correct ? "chose " + g.extracted : "expected " + it.answer + ", chose " + g.extracted;
      break;
    }
    case GradeKind::Pattern: {
      for (auto& p : it.patterns) {
        MiniRegex re;
        if (re.compile(p).empty() && re.search(line)) { g.correct = true; g.detail = "matches /" + p + "/"; break; }
      }
      if (!g.correct) g.detail = "matches none of the answer patterns";
      break;
    }
    case GradeKind::Rubric: break;
  }
  g.score = g.correct ? 1 : 0;
  return g;
}

std::vector<ChatMessage> RubricGraderMessages(const EvalItem& it, const std::string& reply) {
  std::string crit;
  for (size_t i = 0; i < it.rubric.size(); ++i) crit += std::to_string(i + 1) + ". " + it.rubric[i].text + "\n";
  const std::string sys =
      "You grade an answer against a rubric. For each numbered criterion decide only whether the answer "
      "meets it (for a criterion describing a fault: whether the answer commits it). Reply with JSON only, "
      "exactly: {\"criteria\":[{\"index\":1,\"met\":true,\"why\":\"one short sentence\"}, ...]} with one entry "
      "per criterion, in order.";
  const std::string user = "Question:\n" + it.question + "\n\nRubric:\n" + crit + "\nAnswer to grade:\n" + reply;
  return {{"system", sys}, {"user", user}};
}

Grade ParseRubricVerdict(const EvalItem& it, const std::string& text) {
  Grade g;
  g.graded = true;
  bool repaired = false;
  auto list_of = [](const json& o) -> const json* {
    for (const char* k : {"criteria", "verdicts", "results", "rubric"})
      if (const json* v = Get(o, k); v && v->is_array()) return v;
    return nullptr;
  };
  json j = ExtractJsonObject(text, [&](const json& o) { return list_of(o) != nullptr; }, &repaired);
  if (j.is_discarded()) {
    g.graded = false;
    g.detail = "the grader's reply has no {\"criteria\": [...]} verdict";
    return g;
  }
  const json& arr = *list_of(j);
  std::vector<int> met(it.rubric.size(), -1);
  size_t pos = 0;
  for (auto& v : arr) {
    size_t idx = pos++;
    if (const json* i = Get(v, "index"); i && i->is_number()) idx = static_cast<size_t>(std::max(1.0, i->get<double>())) - 1;
    if (idx >= met.size()) continue;
    const json* m = Get(v, "met");
    if (!m) m = Get(v, "pass");
    if (!m) m = Get(v, "satisfied");
    if (!m) continue;
    int b = -1;
    if (m->is_boolean()) b = m->get<bool>();
    else if (m->is_number()) b = m->get<double>() > 0.5;
    else if (m->is_string()) {
      const std::string s = Lower(m->get<std::string>());
      b = s == "yes" || s == "true" || s == "met" ? 1 : s == "no" || s == "false" || s == "not met" ? 0 : -1;
    }
    met[idx] = b;
  }
  double pos_sum = 0, got = 0;
  int known = 0, hits = 0;
  for (size_t i = 0; i < it.rubric.size(); ++i) {
    const double w = it.rubric[i].weight;
    if (w > 0) pos_sum += w;
    if (met[i] < 0) continue;
    ++known;
    if (met[i] == 1) { got += w; ++hits; }
  }
  if (known < static_cast<int>(it.rubric.size())) {
    g.graded = false;
    g.detail = "the grader gave a verdict for " + std::to_string(known) + " of " + std::to_string(it.rubric.size()) + " criteria";
    return g;
  }
  g.score = pos_sum > 0 ? std::clamp(got / pos_sum, 0.0, 1.0) : 0;
  g.correct = g.score >= 0.5;
  char b[96];
  std::snprintf(b, sizeof b, "%d of %zu criteria met, score %.2f%s", hits, it.rubric.size(), g.score, repaired ? " (verdict JSON repaired)" : "");
  g.detail = b;
  return g;
}

std::string VoteKey(const EvalItem& it, const std::string& reply) {
  if (it.grade == GradeKind::Rubric) return "";
  const std::string line = AnswerLine(reply);
  if (line.empty()) return "";
  if (it.grade == GradeKind::Number) {
    double x = 0;
    return LastNumber(line, x) || LastNumber(reply, x) ? Num(x) : "";
  }
  if (it.grade == GradeKind::Choice) {
    const char c = ChoiceLetter(line, it.choices.size());
    return c ? std::string(1, c) : "";
  }
  return NormaliseAnswer(line);
}

}  // namespace concord
