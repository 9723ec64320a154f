// The judge: analysis JSON schema, judge / final-answer prompts, and tolerant extraction of
// the analysis from whatever text the judge model produced (the JSON repair is json_repair.cpp).
//
// Index of this file:
// [SECTION] Schema
// [SECTION] Prompts
// [SECTION] Labels
// [SECTION] Analysis from JSON
// [SECTION] ExtractAnalysis
#include "judge.h"
#include "small_sort.h"


#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>

#include "json_repair.h"
#include "jsonutil.h"

namespace concord {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && IsSpace(s[b])) ++b;
  while (e > b && IsSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] Schema
// -----------------------------------------------------------------------------------------

// Strict-mode compatible (OpenAI / OpenRouter structured outputs): every object lists all of
// its properties in "required" and forbids additional ones. Numeric bounds live in the
// description rather than minimum/maximum because several strict-mode endpoints reject them.
const std::string& AnalysisSchema() {
  static const std::string schema = R"JSON({
  "type": "object",
  "additionalProperties": false,
  "required": ["consensus", "contradictions", "partial_coverage", "unique_insights", "minority", "blind_spots", "final_answer"],
  "properties": {
    "consensus": {
      "type": "array",
      "description": "Claims that several responses agree on.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["claim", "models", "confidence"],
        "properties": {
          "claim": {"type": "string"},
          "models": {"type": "array", "items": {"type": "string"}, "description": "Response labels, e.g. \"A\"."},
          "confidence": {"type": "number", "description": "Between 0 and 1: how likely the claim is correct."}
        }
      }
    },
    "contradictions": {
      "type": "array",
      "description": "Topics on which responses disagree.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["topic", "stances", "assessment"],
        "properties": {
          "topic": {"type": "string"},
          "stances": {
            "type": "array",
            "items": {
              "type": "object",
              "additionalProperties": false,
              "required": ["model", "stance"],
              "properties": {
                "model": {"type": "string", "description": "Response label, e.g. \"B\"."},
                "stance": {"type": "string", "description": "The model's position, quoting its own words."}
              }
            }
          },
          "assessment": {"type": "string", "description": "Which position is right, and why."}
        }
      }
    },
    "partial_coverage": {
      "type": "array",
      "description": "Points covered by some responses but not all.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["point", "models"],
        "properties": {
          "point": {"type": "string"},
          "models": {"type": "array", "items": {"type": "string"}}
        }
      }
    },
    "unique_insights": {
      "type": "array",
      "description": "Valuable points made by a single response.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["model", "insight", "assessment"],
        "properties": {
          "model": {"type": "string"},
          "insight": {"type": "string"},
          "assessment": {"type": "string"}
        }
      }
    },
    "minority": {
      "type": "array",
      "description": "Positions held by a single response, against or beyond the others, that may be correct.",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["model", "position", "why"],
        "properties": {
          "model": {"type": "string", "description": "Response label, e.g. \"C\"."},
          "position": {"type": "string", "description": "The position, quoting the response's own words."},
          "why": {"type": "string", "description": "Why it may be right although the others do not say it."}
        }
      }
    },
    "blind_spots": {
      "type": "array",
      "description": "Important aspects that no response addressed.",
      "items": {"type": "string"}
    },
    "final_answer": {"type": "string", "description": "The best combined answer, in markdown."}
  }
})JSON";
  return schema;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Prompts
// -----------------------------------------------------------------------------------------

namespace {

// A line in model text that looks like our block marker is shifted by one space so an answer
// cannot forge another response's block (the marker must start the line exactly).
std::string NeutraliseMarkers(const std::string& text) {
  static const char kMarker[] = "=== ";
  const size_t mlen = sizeof(kMarker) - 1;
  std::string out;
  out.reserve(text.size() + 8);
  size_t line_start = 0;
  while (line_start <= text.size()) {
    size_t nl = text.find('\n', line_start);
    size_t end = nl == std::string::npos ? text.size() : nl;
    if (end - line_start >= mlen && text.compare(line_start, mlen, kMarker) == 0) out += ' ';
    out.append(text, line_start, end - line_start);
    if (nl == std::string::npos) break;
    out += '\n';
    line_start = nl + 1;
  }
  return out;
}

void AppendSources(std::string& u, const std::vector<Source>& sources) {
  if (sources.empty()) return;
  u += "Web sources:\n";
  for (const Source& s : sources) {
    u += "[" + std::to_string(s.n) + "] " + s.title + " \xE2\x80\x94 " + s.url + "\n";  // em dash
    if (!s.snippet.empty()) u += NeutraliseMarkers(s.snippet) + "\n";
  }
  u += "\n";
}

}  // namespace

std::string IncompleteNote(const JudgeInput& a) {
  if (a.incomplete.empty()) return "";
  return "\n\n[Note from Concord, not part of Response " + a.label + ": this response is incomplete: " + a.incomplete +
         ". Do not treat what it leaves out as its position.]";
}

namespace {

void AppendAnswers(std::string& u, const std::vector<JudgeInput>& answers) {
  for (size_t i = 0; i < answers.size(); ++i) {
    if (i) u += "\n\n";
    u += "=== Response " + answers[i].label + " ===\n";
    u += NeutraliseMarkers(answers[i].answer);
    u += IncompleteNote(answers[i]);
  }
}

std::string LabelList(const std::vector<JudgeInput>& answers) {
  std::string s;
  for (size_t i = 0; i < answers.size(); ++i) {
    if (i) s += ", ";
    s += "\"" + answers[i].label + "\"";
  }
  return s.empty() ? "\"A\", \"B\", ..." : s;
}

json StringArray(const std::vector<std::string>& v) {
  json a = json::array();
  for (const auto& s : v) a.push_back(s);
  return a;
}

// The analysis as the schema's JSON (used to hand phase one's result to phase two).
json AnalysisJson(const Analysis& an) {
  json j = json::object();
  json c = json::array();
  for (const auto& x : an.consensus) {
    json o = {{"claim", x.claim}, {"models", StringArray(x.models)}};
    if (x.confidence >= 0) o["confidence"] = x.confidence;
    c.push_back(std::move(o));
  }
  j["consensus"] = std::move(c);
  json k = json::array();
  for (const auto& x : an.contradictions) {
    json st = json::array();
    for (const auto& s : x.stances) st.push_back({{"model", s.model}, {"stance", s.stance}});
    k.push_back({{"topic", x.topic}, {"stances", std::move(st)}, {"assessment", x.assessment}});
  }
  j["contradictions"] = std::move(k);
  json p = json::array();
  for (const auto& x : an.partial_coverage) p.push_back({{"point", x.point}, {"models", StringArray(x.models)}});
  j["partial_coverage"] = std::move(p);
  json q = json::array();
  for (const auto& x : an.unique_insights)
    q.push_back({{"model", x.model}, {"insight", x.insight}, {"assessment", x.assessment}});
  j["unique_insights"] = std::move(q);
  json mi = json::array();
  for (const auto& x : an.minority) mi.push_back({{"model", x.model}, {"position", x.position}, {"why", x.why}});
  j["minority"] = std::move(mi);
  j["blind_spots"] = StringArray(an.blind_spots);
  return j;
}

}  // namespace

std::vector<ChatMessage> BuildJudgeMessages(const std::string& prompt, const std::vector<JudgeInput>& answers,
                                            const std::vector<Source>& sources, bool two_phase) {
  // Nothing keys on this wording: the demo is told each call's role (concord_demo.call) and the
  // simulator standing in for OpenRouter reads only the protocol (response_format).
  std::string sys =
      "You are the judge of a panel of AI models. Several models answered the same question "
      "independently. Their answers are shown anonymised as Response A, Response B, and so on. "
      "Compare them carefully and write a structured analysis.\n\n"
      "Rules:\n"
      "- Refer to a model only by its response label: " + LabelList(answers) +
      " (just the letter: not \"Response A\", not a model name).\n"
      "- consensus: claims that two or more responses make, with the labels of the responses that "
      "make each claim and a confidence between 0 and 1 that the claim is correct.\n"
      "- contradictions: topics on which responses disagree. For each topic give every involved "
      "model's stance, quoting or closely paraphrasing that model's own words (the quote is searched "
      "for in the model's answer), and an assessment of which position is right and why.\n"
      "- partial_coverage: points that some responses cover and others omit, with the labels that cover them.\n"
      "- unique_insights: valuable points made by only one response, with an assessment of their worth.\n"
      "- minority: positions held by only one response, against the others or beyond them, that may be "
      "correct, with why. Check a lone answer on its merits: a position is not wrong because it is outnumbered.\n"
      "- blind_spots: important aspects of the question that no response addressed.\n";
  if (two_phase) {
    sys += "- final_answer: set it to the empty string \"\". The final answer is written in a separate step.\n";
  } else {
    sys +=
        "- final_answer: the best possible answer to the question, in markdown, written for the user. "
        "Take the best of each response, correct the errors you found, and fill the blind spots where "
        "you can. Do not mention the panel, the responses or their labels.\n";
    if (!sources.empty())
      sys += "- Cite the numbered web sources as [n] (e.g. [1]) where they support a statement.\n";
  }
  sys +=
      "\nOutput ONLY one JSON object that matches the JSON Schema below: no code fences, no text "
      "before or after it.\n\nJSON Schema:\n" + AnalysisSchema() + "\n";

  std::string user = "Question:\n" + NeutraliseMarkers(prompt) + "\n\n";
  AppendSources(user, sources);
  user += "Answers:\n\n";
  AppendAnswers(user, answers);
  return {ChatMessage{"system", sys}, ChatMessage{"user", user}};
}

std::vector<ChatMessage> BuildFinalAnswerMessages(const std::string& prompt, const std::vector<JudgeInput>& answers,
                                                  const std::vector<Source>& sources, const Analysis& analysis) {
  // This call must yield markdown, not JSON: no response_format, and the instructions say so.
  std::string sys =
      "You write the final answer for a panel of AI models. Several models answered the same "
      "question (anonymised as Response A, Response B, ...) and a judge analysed their answers; "
      "the analysis is given as JSON.\n\n"
      "Write the best possible answer to the question, in markdown, for the user. Take the best of "
      "each response, follow the analysis's assessments to correct errors and settle contradictions, "
      "and cover the blind spots where you can. Keep every minority position the analysis lists, or "
      "say in the answer why the evidence is against it: a position is not wrong because it is outnumbered. "
      "Do not mention the panel, the responses, their labels "
      "or the analysis. Output only the answer (no JSON, no preamble).\n";
  if (!sources.empty()) sys += "Cite the numbered web sources as [n] (e.g. [1]) where they support a statement.\n";

  std::string user = "Question:\n" + NeutraliseMarkers(prompt) + "\n\n";
  AppendSources(user, sources);
  // The analysis goes before the answers so the response blocks stay the last thing in the message.
  user += "Analysis (JSON):\n" + Dump(AnalysisJson(analysis), 1) + "\n\n";
  user += "Answers:\n\n";
  AppendAnswers(user, answers);
  return {ChatMessage{"system", sys}, ChatMessage{"user", user}};
}

// -----------------------------------------------------------------------------------------
// [SECTION] Labels
// -----------------------------------------------------------------------------------------

std::string NormaliseLabel(const std::string& s) {
  const std::string trimmed = Trim(s);
  std::string t = trimmed;
  // Peel wrapping decoration: [B], (B), "B", **B**, `B`, B:, B.
  static const char kOpen[] = "[(\"'*`<{ \t";
  static const char kClose[] = "])\"'*`>}.:,; \t";
  size_t b = 0, e = t.size();
  while (b < e && std::strchr(kOpen, t[b])) ++b;
  while (e > b && std::strchr(kClose, t[e - 1])) --e;
  t = t.substr(b, e - b);
  if (t.empty()) return trimmed.empty() ? "" : trimmed;

  std::string low(t.size(), ' ');
  for (size_t i = 0; i < t.size(); ++i) low[i] = Lower(t[i]);
  static const char* const kPrefixes[] = {"response", "model", "answer", "member", "respondent",
                                          "candidate", "panelist", "assistant"};
  size_t i = 0;
  bool prefix = false;
  for (const char* p : kPrefixes) {
    size_t n = std::strlen(p);
    if (low.compare(0, n, p) == 0) {
      i = n;
      prefix = true;
      break;
    }
  }
  bool separated = false;
  if (prefix) {
    while (i < t.size() && std::strchr(" -_:#.\t", t[i])) { ++i; separated = true; }
    // "ResponseB" is fine, but "answers" must not become "S": without a separator the letter
    // has to be upper-case.
    if (!separated && i < t.size() && !(t[i] >= 'A' && t[i] <= 'Z')) return trimmed;
  }
  if (i >= t.size() || !IsAlpha(t[i])) return trimmed;
  const char letter = t[i];
  if (i + 1 < t.size() && IsAlnum(t[i + 1])) return trimmed;  // a word, not a letter
  if (!prefix) {
    // Bare letter: allow "A", "A (gpt-4o)", "A: ..." but not "A good point".
    std::string rest = Trim(t.substr(i + 1));
    if (!rest.empty() && !std::strchr("(:-[", rest[0])) return trimmed;
  }
  return std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(letter))));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Analysis from JSON
// -----------------------------------------------------------------------------------------

namespace {

const char* const kSectionKeys[][2] = {
    {"consensus", "consensus"},
    {"contradictions", "contradictions"},
    {"partial_coverage", "partialCoverage"},
    {"unique_insights", "uniqueInsights"},
    {"minority", "minorityPositions"},
    {"blind_spots", "blindSpots"},
    {"final_answer", "finalAnswer"},
};

// Field lookup accepting the snake_case name or its camelCase alias.
const json* Field(const json& o, const char* snake, const char* camel = nullptr) {
  const json* v = Get(o, snake);
  if (!v && camel) v = Get(o, camel);
  return v;
}

// The section keys `o` has, ordered by where their key first appears in raw after `from`.
std::vector<std::string> SectionsInOrder(const json& o, const std::string& raw, size_t from) {
  std::vector<std::pair<size_t, std::string>> at;
  for (const auto& k : kSectionKeys) {
    if (!Field(o, k[0], k[1])) continue;
    size_t p = raw.find(std::string("\"") + k[0] + "\"", from);
    if (p == std::string::npos) p = raw.find(std::string("\"") + k[1] + "\"", from);
    at.push_back({p, k[0]});
  }
  SmallSort(at.begin(), at.end());
  std::vector<std::string> out;
  for (auto& [p, k] : at) out.push_back(k);
  return out;
}

// True when `o` has any expected key; with sections_only, final_answer alone does not count
// (so {"result": {...sections...}, "final_answer": "..."} is read through its wrapper).
bool HasShape(const json& o, bool sections_only = false) {
  if (!o.is_object()) return false;
  for (const auto& k : kSectionKeys) {
    if (sections_only && std::strcmp(k[0], "final_answer") == 0) continue;
    if (Field(o, k[0], k[1])) return true;
  }
  return false;
}

std::string Str(const json* v) {
  if (!v) return "";
  if (v->is_string()) return v->get_ref<const std::string&>();
  if (v->is_number() || v->is_boolean()) return Dump(*v);
  return "";
}

// First string among several possible key names.
std::string StrOf(const json& o, std::initializer_list<const char*> keys) {
  for (const char* k : keys) {
    const json* v = Get(o, k);
    if (v && (v->is_string() || v->is_number())) return Str(v);
  }
  return "";
}

void AddLabel(std::vector<std::string>& out, const std::string& raw) {
  std::string l = NormaliseLabel(raw);
  if (l.empty()) return;
  if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
}

// "models" as an array of labels, or (tolerated) one string such as "A, B and C".
std::vector<std::string> Labels(const json* v) {
  std::vector<std::string> out;
  if (!v) return out;
  if (v->is_array()) {
    for (const json& e : *v)
      if (e.is_string()) AddLabel(out, e.get_ref<const std::string&>());
  } else if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    std::string part;
    auto flush = [&] {
      std::string p = Trim(part);
      if (!p.empty()) AddLabel(out, p);
      part.clear();
    };
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == ',' || c == ';' || c == '&' || c == '/') { flush(); continue; }
      if (c == ' ' && i + 4 < s.size() && Lower(s[i + 1]) == 'a' && Lower(s[i + 2]) == 'n' &&
          Lower(s[i + 3]) == 'd' && s[i + 4] == ' ') {
        flush();
        i += 4;
        continue;
      }
      part += c;
    }
    flush();
  }
  return out;
}

double Confidence(const json* v) {
  if (!v) return -1;
  double d = -1;
  if (v->is_number()) {
    d = v->get<double>();
  } else if (v->is_string()) {
    std::string s = Trim(v->get_ref<const std::string&>());
    for (char& c : s) c = Lower(c);
    if (s == "high") return 0.9;
    if (s == "medium" || s == "moderate") return 0.6;
    if (s == "low") return 0.3;
    char* end = nullptr;
    d = std::strtod(s.c_str(), &end);
    if (end == s.c_str()) return -1;
    if (end && *end == '%') d /= 100;
  } else {
    return -1;
  }
  if (!(d == d)) return -1;             // NaN
  if (d > 1 && d <= 100) d /= 100;      // a percentage
  return std::max(0.0, std::min(1.0, d));
}

// A section's items: its array, or a lone item written without one ("contradictions": {…},
// "blind_spots": "…") as a list of one, so a judge's whole point is never read as none.
const json& Items(const json* v, json& one) {
  static const json kEmpty = json::array();
  if (!v) return kEmpty;
  if (v->is_array()) return *v;
  if (!v->is_object() && !v->is_string()) return kEmpty;
  one = json::array({*v});
  return one;
}

Analysis FromJson(const json& o) {
  Analysis an;
  json one;
  const json* cons = Field(o, "consensus");
  for (const json& e : Items(cons, one)) {
    ConsensusClaim c;
    if (e.is_string()) {  // OpenRouter Fusion's shape: consensus is a list of strings
      c.claim = e.get_ref<const std::string&>();
    } else if (e.is_object()) {
      c.claim = StrOf(e, {"claim", "point", "text", "statement"});
      c.models = Labels(Field(e, "models"));
      c.confidence = Confidence(Field(e, "confidence"));
    }
    if (!Trim(c.claim).empty()) an.consensus.push_back(std::move(c));
  }

  const json* contra = Field(o, "contradictions");
  {
    for (const json& e : Items(contra, one)) {
      if (!e.is_object()) continue;
      Contradiction c;
      c.topic = StrOf(e, {"topic", "claim", "point", "question"});
      c.assessment = StrOf(e, {"assessment", "verdict", "resolution"});
      const json* st = Field(e, "stances", "positions");
      if (st && st->is_array()) {
        for (const json& s : *st) {
          if (!s.is_object()) continue;
          Stance x;
          x.model = NormaliseLabel(StrOf(s, {"model", "response", "label"}));
          x.stance = StrOf(s, {"stance", "position", "view", "claim"});
          if (!x.model.empty() || !x.stance.empty()) c.stances.push_back(std::move(x));
        }
      } else if (st && st->is_object()) {  // {"A": "stance", "B": "stance"}
        for (auto it = st->begin(); it != st->end(); ++it)
          if (it.value().is_string()) c.stances.push_back({NormaliseLabel(it.key()), it.value().get<std::string>()});
      }
      if (!c.topic.empty() || !c.stances.empty()) an.contradictions.push_back(std::move(c));
    }
  }

  const json* part = Field(o, "partial_coverage", "partialCoverage");
  {
    for (const json& e : Items(part, one)) {
      PartialPoint p;
      if (e.is_string()) {
        p.point = e.get_ref<const std::string&>();
      } else if (e.is_object()) {
        p.point = StrOf(e, {"point", "claim", "text"});
        p.models = Labels(Field(e, "models"));
      }
      if (!Trim(p.point).empty()) an.partial_coverage.push_back(std::move(p));
    }
  }

  const json* uniq = Field(o, "unique_insights", "uniqueInsights");
  {
    for (const json& e : Items(uniq, one)) {
      if (!e.is_object()) continue;
      UniqueInsight u;
      u.model = NormaliseLabel(StrOf(e, {"model", "response", "label"}));
      u.insight = StrOf(e, {"insight", "point", "text"});
      u.assessment = StrOf(e, {"assessment", "verdict"});
      if (!Trim(u.insight).empty()) an.unique_insights.push_back(std::move(u));
    }
  }

  const json* mino = Field(o, "minority", "minorityPositions");
  {
    for (const json& e : Items(mino, one)) {
      if (!e.is_object()) continue;
      MinorityPosition m;
      m.model = NormaliseLabel(StrOf(e, {"model", "response", "label"}));
      m.position = StrOf(e, {"position", "claim", "stance", "point"});
      m.why = StrOf(e, {"why", "assessment", "reason"});
      if (!Trim(m.position).empty()) an.minority.push_back(std::move(m));
    }
  }

  const json* blind = Field(o, "blind_spots", "blindSpots");
  {
    for (const json& e : Items(blind, one))
      if (e.is_string() && !Trim(e.get_ref<const std::string&>()).empty())
        an.blind_spots.push_back(e.get_ref<const std::string&>());
  }

  const json* fa = Field(o, "final_answer", "finalAnswer");
  if (fa && fa->is_string()) an.final_answer = fa->get_ref<const std::string&>();
  return an;
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] ExtractAnalysis
// -----------------------------------------------------------------------------------------

using detail::Candidate;
using detail::kMaxCandidates;
using detail::TryCandidate;

namespace {
// Where a cut-off object ends: scans raw[pos, end) and says whether the text stops inside an item
// of a section, the analysis object being `base` levels deep (1, or 2 inside a wrapper): two
// levels below it are open (an object in a section's array), or a string is open in the array.
bool CutInsideItem(const std::string& raw, size_t pos, size_t end, int base) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (size_t i = pos; i < end; ++i) {
    const char ch = raw[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (ch == '\\') escaped = true;
      else if (ch == '"') in_string = false;
      continue;
    }
    if (ch == '"') in_string = true;
    else if (ch == '{' || ch == '[') ++depth;
    else if (ch == '}' || ch == ']') --depth;
  }
  return depth >= base + 2 || (depth == base + 1 && in_string);
}
}  // namespace

JudgeParse ExtractAnalysis(const std::string& raw) {
  JudgeParse r;
  size_t first = 0, last = raw.size();
  while (first < last && IsSpace(raw[first])) ++first;
  while (last > first && IsSpace(raw[last - 1])) --last;
  if (first == last) {
    r.error_id = "judge.parse.empty";
    r.message = "The judge returned no text.";
    return r;
  }

  size_t budget = 48 * raw.size() + (size_t(1) << 20);
  bool saw_unterminated = false;
  bool have_shapeless = false;
  int tried = 0;
  size_t pos = raw.find('{', first);
  while (pos != std::string::npos && pos < last && tried < kMaxCandidates && budget > 0) {
    ++tried;
    Candidate c = TryCandidate(raw, pos, budget);
    if (c.unterminated && !c.ok) saw_unterminated = true;
    if (c.ok) {
      const json* use = nullptr;
      const json* outer_final = nullptr;
      if (HasShape(c.value, true)) {
        use = &c.value;
      } else {
        // {"analysis": {...}} or any single-level wrapper around the expected object.
        const json* pref = Get(c.value, "analysis");
        if (pref && HasShape(*pref)) use = pref;
        for (auto it = c.value.begin(); !use && it != c.value.end(); ++it)
          if (HasShape(it.value())) use = &it.value();
        if (!use && HasShape(c.value)) use = &c.value;  // only a final_answer
      }
      if (use && use != &c.value) outer_final = Field(c.value, "final_answer", "finalAnswer");
      if (use) {
        r.ok = true;
        r.analysis = FromJson(*use);
        if (r.analysis.final_answer.empty() && outer_final && outer_final->is_string())
          r.analysis.final_answer = outer_final->get_ref<const std::string&>();
        const bool around = pos != first || (!c.unterminated && c.raw_end != last);
        r.repaired = around || c.changed || c.truncation_repaired;
        r.truncated = c.truncation_repaired;
        r.sections = SectionsInOrder(*use, raw, pos);
        if (r.truncated) r.cut_in_item = CutInsideItem(raw, pos, last, use == &c.value ? 1 : 2);
        std::string m;
        auto note = [&m](const char* s) { m += m.empty() ? "Repaired: " : "; "; m += s; };
        if (around) note("ignored text around the JSON");
        if (c.changed) note("fixed trailing commas or invalid characters");
        if (c.truncation_repaired) note("closed truncated output");
        if (c.dropped_tail) note("dropped an incomplete trailing element");
        r.message = m;
        return r;
      }
      // A repair that only kept "{}" of a cut-off object is truncation, not a wrong shape.
      if (c.truncation_repaired) saw_unterminated = true;
      else have_shapeless = true;
      pos = raw.find('{', pos + 1);  // the real analysis may follow (or even be inside a repair)
      continue;
    }
    // A balanced but unparsable region (prose braces, code) is skipped whole; an unterminated or
    // mismatched one may hide a complete object inside, so try the next brace. The budget keeps
    // the retries linear overall.
    pos = raw.find('{', c.balanced ? c.raw_end : pos + 1);
  }
  if (have_shapeless) {
    r.error_id = "judge.parse.bad_shape";
    r.message = "The judge returned JSON without any of the expected analysis fields.";
  } else if (saw_unterminated) {
    r.error_id = "judge.parse.truncated";
    r.message = "The judge's JSON was cut off and could not be repaired.";
  } else {
    r.error_id = "judge.parse.no_json";
    r.message = "No JSON object was found in the judge's reply.";
  }
  return r;
}

}  // namespace concord
