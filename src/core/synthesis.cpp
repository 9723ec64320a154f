// Truthful synthesis checks (see synthesis.h).
#include "synthesis.h"

#include "jsonutil.h"
#include "run.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace concord {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string LowerAscii(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// A reply that is, whole, one JSON object (bare or in a single code fence); null otherwise.
json WholeJsonObject(const std::string& t) {
  std::string body = t;
  if (body.rfind("```", 0) == 0) {
    const size_t nl = body.find('\n');
    if (nl == std::string::npos || body.size() < nl + 4 || body.compare(body.size() - 3, 3, "```") != 0) return nullptr;
    body = Trim(body.substr(nl + 1, body.size() - 3 - (nl + 1)));
  }
  if (body.empty() || body[0] != '{') return nullptr;
  json j = ParseJson(body);
  return j.is_object() ? j : json(nullptr);
}

// "Response D" / "Responses D and E".
std::string ResponsesList(const std::set<std::string>& labels) {
  std::string out = labels.size() == 1 ? "Response " : "Responses ";
  size_t i = 0;
  for (auto& l : labels) {
    if (i) out += i + 1 == labels.size() ? " and " : ", ";
    out += l;
    ++i;
  }
  return out;
}

// Each analysis section as the notes name it: the section, and one item of it.
struct SectionWords { const char* key; const char* human; const char* item; };
constexpr SectionWords kSections[] = {
    {"consensus", "consensus", "consensus claim"},
    {"contradictions", "contradictions", "contradiction"},
    {"partial_coverage", "partial coverage", "partial-coverage point"},
    {"unique_insights", "unique insights", "unique insight"},
    {"minority", "minority positions", "minority position"},
    {"blind_spots", "blind spots", "blind spot"},
    {"final_answer", "the final answer", "final answer"},
};
const SectionWords& Words(const std::string& section) {
  for (const SectionWords& w : kSections)
    if (section == w.key) return w;
  return kSections[6];
}
const char* Human(const std::string& section) { return Words(section).human; }
const char* Item(const std::string& section) { return Words(section).item; }

size_t Count(const Analysis& a, const std::string& section) {
  if (section == "consensus") return a.consensus.size();
  if (section == "contradictions") return a.contradictions.size();
  if (section == "partial_coverage") return a.partial_coverage.size();
  if (section == "unique_insights") return a.unique_insights.size();
  if (section == "blind_spots") return a.blind_spots.size();
  if (section == "minority") return a.minority.size();
  return a.final_answer.empty() ? 0 : 1;
}

bool PopLast(Analysis& a, const std::string& section) {
  auto pop = [](auto& v) { if (v.empty()) return false; v.pop_back(); return true; };
  if (section == "consensus") return pop(a.consensus);
  if (section == "contradictions") return pop(a.contradictions);
  if (section == "partial_coverage") return pop(a.partial_coverage);
  if (section == "unique_insights") return pop(a.unique_insights);
  if (section == "blind_spots") return pop(a.blind_spots);
  if (section == "minority") return pop(a.minority);
  return false;
}

}  // namespace

std::string DropUnjudgedLabels(Analysis& a, const std::vector<std::string>& judged) {
  const std::set<std::string> ok(judged.begin(), judged.end());
  std::set<std::string> bad;
  size_t places = 0;
  auto keep = [&](const std::string& label) {
    if (ok.count(label)) return true;
    bad.insert(label.empty() ? "(unnamed)" : label);
    ++places;
    return false;
  };
  auto filter = [&](std::vector<std::string>& models) {
    // "models": "all" (or "all responses", "every model") names every response it was shown.
    const bool all = std::any_of(models.begin(), models.end(), [](const std::string& m) {
      const std::string low = LowerAscii(m);
      return low == "all" || low == "all models" || low == "all responses" || low == "every model" ||
             low == "every response" || low == "everyone";
    });
    if (all) models = judged;
    std::vector<std::string> out;
    for (auto& m : models)
      if (keep(m) && std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    const bool emptied = !models.empty() && out.empty();
    models = std::move(out);
    return emptied;
  };
  a.consensus.erase(std::remove_if(a.consensus.begin(), a.consensus.end(),
                                   [&](ConsensusClaim& c) { return filter(c.models); }), a.consensus.end());
  a.partial_coverage.erase(std::remove_if(a.partial_coverage.begin(), a.partial_coverage.end(),
                                          [&](PartialPoint& p) { return filter(p.models); }), a.partial_coverage.end());
  for (auto& c : a.contradictions) {
    std::vector<Stance> out;
    for (auto& s : c.stances) {
      bool seen = std::any_of(out.begin(), out.end(), [&](const Stance& o) { return o.model == s.model; });
      if (keep(s.model) && !seen) out.push_back(std::move(s));
    }
    c.stances = std::move(out);
  }
  a.contradictions.erase(std::remove_if(a.contradictions.begin(), a.contradictions.end(),
                                        [](const Contradiction& c) { return c.stances.empty(); }), a.contradictions.end());
  a.unique_insights.erase(std::remove_if(a.unique_insights.begin(), a.unique_insights.end(),
                                         [&](const UniqueInsight& u) { return !keep(u.model); }), a.unique_insights.end());
  a.minority.erase(std::remove_if(a.minority.begin(), a.minority.end(),
                                  [&](const MinorityPosition& m) { return !keep(m.model); }), a.minority.end());
  if (bad.empty()) return "";
  return "The judge cited " + ResponsesList(bad) + ", which it was not shown: removed from " + std::to_string(places) +
         (places == 1 ? " place." : " places.");
}

std::string ReviewTruncation(JudgeParse& jp) {
  if (!jp.truncated) return "";
  const std::string cut = jp.sections.empty() ? "" : jp.sections.back();
  std::string dropped;
  if (cut == "final_answer") {
    jp.analysis.final_answer.clear();
    dropped = " The final answer was cut off mid-way and is not used.";
  } else if (!cut.empty() && jp.cut_in_item && PopLast(jp.analysis, cut)) {
    dropped = std::string(" Its last ") + Item(cut) + " was cut off mid-way and is left out.";
  }
  std::string recovered, lost;
  for (const SectionWords& w : kSections) {
    const char* s = w.key;
    const bool present = std::find(jp.sections.begin(), jp.sections.end(), s) != jp.sections.end();
    if (present && (std::string(s) != "final_answer" || !jp.analysis.final_answer.empty())) {
      recovered += (recovered.empty() ? "" : ", ") + std::string(Human(s));
      if (std::string(s) != "final_answer") recovered += " (" + std::to_string(Count(jp.analysis, s)) + ")";
    } else {
      lost += (lost.empty() ? "" : ", ") + std::string(Human(s));
    }
  }
  return "The judge's analysis was cut off. Recovered: " + (recovered.empty() ? std::string("nothing") : recovered) +
         ". Lost: " + (lost.empty() ? std::string("nothing") : lost) + "." + dropped;
}

std::string ReviewAnalysis(JudgeParse& jp, const std::vector<std::string>& judged) {
  std::string note = ReviewTruncation(jp);
  if (judged.empty()) return note;
  const std::string labels = DropUnjudgedLabels(jp.analysis, judged);
  if (!labels.empty()) note += (note.empty() ? "" : " ") + labels;
  return note;
}

WriterCheck CheckWriterOutput(const std::string& content, bool whole_reply) {
  WriterCheck w;
  const std::string t = Trim(content);
  if (t.empty()) {
    w.error_id = "writer.empty";
    w.message = "the writer returned no text";
    return w;
  }
  // JSON instead of markdown: an analysis-shaped object is never shown as the answer.
  if (t[0] == '{' || t.rfind("```", 0) == 0) {
    JudgeParse jp = ExtractAnalysis(t);
    if (jp.ok) {
      const std::string fa = Trim(jp.analysis.final_answer);
      if (!fa.empty() && fa[0] != '{' && !jp.truncated) {
        w.ok = true;
        w.text = fa;
        w.note = "The writer replied with JSON instead of prose; the final answer is its final_answer field.";
        return w;
      }
      w.error_id = "writer.json_no_answer";
      w.message = jp.truncated ? "the writer returned cut-off JSON instead of an answer"
                               : "the writer returned the analysis JSON again, with no final answer in it";
      return w;
    }
    // Some other JSON object ({"answer": "..."}): its answer field is the answer, named in the
    // note; with none, it is not an answer at all. Raw JSON is never shown as the answer.
    const json obj = WholeJsonObject(t);
    if (obj.is_object()) {
      for (const char* key : {"answer", "final_answer", "response", "content", "text", "output", "result", "markdown"}) {
        for (auto it = obj.begin(); it != obj.end(); ++it) {
          if (!it.value().is_string() || LowerAscii(it.key()) != key) continue;
          const std::string v = Trim(it.value().get_ref<const std::string&>());
          if (v.empty() || v[0] == '{') continue;
          w.ok = true;
          w.text = v;
          w.note = "The " + std::string(whole_reply ? "writer" : "judge") + " replied with JSON instead of prose; the final answer is its \"" +
                   it.key() + "\" field.";
          return w;
        }
      }
      w.error_id = "writer.json_no_answer";
      w.message = std::string("the ") + (whole_reply ? "writer" : "judge") + " returned a JSON object with no answer in it";
      return w;
    }
  }
  size_t words = 0;
  bool in_word = false;
  for (unsigned char c : t) {
    const bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  if (whole_reply && words < 3) {
    w.error_id = "writer.too_short";
    w.message = "the writer returned only \"" + t.substr(0, 40) + "\"";
    return w;
  }
  w.ok = true;
  w.text = content;
  return w;
}

std::vector<MergedSource> MergeSources(const FusionRun& r) {
  std::vector<MergedSource> out;
  auto key = [](std::string u) {
    const size_t hash = u.find('#');
    if (hash != std::string::npos) u.resize(hash);
    while (!u.empty() && u.back() == '/') u.pop_back();
    return u;
  };
  for (const Call& m : r.members) {
    for (const Citation& c : m.result.citations) {
      if (c.url.empty()) continue;
      const std::string k = key(c.url);
      auto it = std::find_if(out.begin(), out.end(), [&](const MergedSource& s) { return key(s.url) == k; });
      if (it == out.end()) { out.push_back({c.url, c.title.empty() ? c.url : c.title, {}}); it = out.end() - 1; }
      if (std::find(it->labels.begin(), it->labels.end(), m.label) == it->labels.end()) it->labels.push_back(m.label);
    }
  }
  return out;
}

}  // namespace concord
