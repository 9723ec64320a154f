// Reads a question set the user brings (ParseEvalFile, declared in eval_set.h): JSONL, a JSON
// array, or CSV as spreadsheets write it (comma, semicolon or tab separated, "sep=" line,
// UTF-8 with or without BOM, UTF-16, or Windows-1252 as Excel's default CSV). Every way the
// file was read other than plain UTF-8 JSONL/CSV is said in EvalSet::note.
//
// Index of this file:
// [SECTION] text: the file's encoding to UTF-8
// [SECTION] items: one JSON object to an EvalItem
// [SECTION] CSV records
// [SECTION] ParseEvalFile
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "eval_set.h"
#include "jsonutil.h"
#include "mini_regex.h"
#include "utf8.h"

namespace concord {
namespace {

// ---- [SECTION] text: the file's encoding to UTF-8 ---------------------------------------------
std::string FromUtf16(const std::string& t, bool big_endian) {
  std::string out;
  out.reserve(t.size());
  auto unit = [&](size_t i) -> uint32_t {
    const auto a = static_cast<unsigned char>(t[i]), b = static_cast<unsigned char>(t[i + 1]);
    return big_endian ? (a << 8 | b) : (b << 8 | a);
  };
  for (size_t i = 2; i + 1 < t.size(); i += 2) {
    uint32_t u = unit(i);
    if (u >= 0xD800 && u < 0xDC00 && i + 3 < t.size()) {
      const uint32_t lo = unit(i + 2);
      if (lo >= 0xDC00 && lo < 0xE000) {
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      } else {
        u = 0xFFFD;
      }
    } else if (u >= 0xD800 && u < 0xE000) {
      u = 0xFFFD;
    }
    AppendUtf8(out, u);
  }
  return out;
}

// Windows-1252's 0x80-0x9F (the rest of its upper half is Latin-1).
constexpr uint16_t kCp1252High[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
                                      0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
                                      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};

// The file's text as UTF-8, without a byte order mark. `how` says how it was read when that was
// not UTF-8 ("" when it was).
std::string DecodeText(const std::string& t, std::string& how) {
  how.clear();
  if (t.size() >= 2 && static_cast<unsigned char>(t[0]) == 0xFF && static_cast<unsigned char>(t[1]) == 0xFE) {
    how = "read as UTF-16";
    return FromUtf16(t, false);
  }
  if (t.size() >= 2 && static_cast<unsigned char>(t[0]) == 0xFE && static_cast<unsigned char>(t[1]) == 0xFF) {
    how = "read as UTF-16";
    return FromUtf16(t, true);
  }
  const bool bom = t.compare(0, 3, "\xEF\xBB\xBF") == 0;
  std::string body = bom ? t.substr(3) : t;
  if (ValidUtf8(body)) return body;
  how = "read as Windows-1252, as Excel saves CSV: not UTF-8";
  std::string out;
  out.reserve(body.size() + body.size() / 8);
  for (unsigned char c : body) AppendUtf8(out, c >= 0x80 && c < 0xA0 ? kCp1252High[c - 0x80] : c);
  return out;
}

// ---- [SECTION] items: one JSON object to an EvalItem -------------------------------------------
// A field that is there and says something: null, "" and [] are "not given" (pandas and Hugging
// Face write every column on every line).
const json* Given(const json& j, const char* key) {
  const json* v = Get(j, key);
  if (!v || v->is_null() || (v->is_string() && v->get_ref<const std::string&>().find_first_not_of(" \t\r\n") == std::string::npos) ||
      ((v->is_array() || v->is_object()) && v->empty()))
    return nullptr;
  return v;
}

std::string Text(const json* v) {
  if (!v) return "";
  if (v->is_string()) return v->get_ref<const std::string&>();
  if (v->is_number() || v->is_boolean()) return v->dump();
  return "";
}

// Fills `it` from a JSON object (a JSONL line, an array element, or a CSV row turned into one).
// "" or the problem.
std::string ItemFromJson(const json& j, EvalItem& it) {
  if (!j.is_object()) return "not a JSON object";
  it.question = Text(Given(j, "question"));
  if (it.question.empty()) return "no \"question\"";
  if (it.question.size() > 20000) return "the question is longer than 20,000 characters";
  it.id = Text(Given(j, "id"));
  it.kind = Given(j, "kind") ? Text(Given(j, "kind")) : "file";
  const json* rubric = Given(j, "rubric");
  const json* choices = Given(j, "choices");
  const json* pattern = Given(j, "pattern");
  const json* number = Given(j, "number");
  const json* answer_v = Given(j, "answer");
  const std::string answer = Text(answer_v);
  if (rubric) {
    it.grade = GradeKind::Rubric;
    if (!rubric->is_array()) return "\"rubric\" must be a non-empty array of {text, weight}";
    for (auto& c : *rubric) {
      RubricCriterion rc;
      if (c.is_string()) rc.text = c.get<std::string>();
      else { rc.text = GetStr(c, "text", GetStr(c, "criterion")); rc.weight = GetNum(c, "weight", 1); }
      if (rc.text.empty()) return "a rubric criterion has no \"text\"";
      if (!(rc.weight == rc.weight) || std::fabs(rc.weight) > 1e6) return "a rubric weight is not a usable number";
      it.rubric.push_back(rc);
    }
    if (std::none_of(it.rubric.begin(), it.rubric.end(), [](const RubricCriterion& c) { return c.weight > 0; }))
      return "the rubric has no criterion with a positive weight";
  } else if (choices) {
    it.grade = GradeKind::Choice;
    if (choices->is_string()) {  // CSV: "a|b|c"
      std::string s = choices->get<std::string>(), cur;
      for (char ch : s + "|") { if (ch == '|') { if (!cur.empty()) it.choices.push_back(cur); cur.clear(); } else cur += ch; }
    } else if (choices->is_array()) {
      for (auto& c : *choices) if (c.is_string() || c.is_number()) it.choices.push_back(c.is_string() ? c.get<std::string>() : c.dump());
    }
    if (it.choices.size() < 2 || it.choices.size() > 26) return "\"choices\" needs 2 to 26 options";
    // The index Concord saves (exact even when choices are letters themselves), then a choice's
    // exact text (choices may be one letter long), then a letter.
    std::string a = answer;
    a.erase(std::remove_if(a.begin(), a.end(), [](char ch) { return ch == ' ' || ch == ')' || ch == '(' || ch == '.'; }), a.end());
    const json* index = Given(j, "answer_index");
    const auto text_hit = std::find(it.choices.begin(), it.choices.end(), answer);
    if (index) {
      if (!index->is_number_integer() || index->get<long long>() < 0 || index->get<long long>() >= static_cast<long long>(it.choices.size()))
        return "\"answer_index\" is not the index of a choice";
      it.answer = std::string(1, static_cast<char>('A' + index->get<long long>()));
    } else if (text_hit != it.choices.end()) {
      it.answer = std::string(1, static_cast<char>('A' + (text_hit - it.choices.begin())));
    } else if (a.size() == 1 && std::isalpha(static_cast<unsigned char>(a[0]))) {
      it.answer = std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(a[0]))));
      if (static_cast<size_t>(it.answer[0] - 'A') >= it.choices.size()) return "\"answer\" " + answer + " is not one of the choices";
    } else {
      return "\"answer\" must be a choice's letter or its exact text";
    }
  } else if (pattern) {
    it.grade = GradeKind::Pattern;
    if (pattern->is_string()) it.patterns = {pattern->get<std::string>()};
    else if (pattern->is_array()) for (auto& p : *pattern) if (p.is_string()) it.patterns.push_back(p.get<std::string>());
    if (it.patterns.empty()) return "\"pattern\" must be a string or a list of strings";
    for (auto& p : it.patterns) {
      MiniRegex re;
      if (std::string e = re.compile(p); !e.empty()) return e;
    }
  } else if (number || (answer_v && answer_v->is_number())) {
    // "number", or an answer written as a JSON number (4.0 is 4, not the text "4.0").
    it.grade = GradeKind::Number;
    const std::string raw = Text(number ? number : answer_v);
    char* end = nullptr;
    it.number = std::strtod(raw.c_str(), &end);
    if (raw.empty() || !end || *end != '\0' || !(it.number == it.number) || std::isinf(it.number))
      return std::string(number ? "\"number\"" : "\"answer\"") + " is not a number";
    const json* tol = Given(j, "tolerance");
    it.tolerance = tol ? GetNum(j, "tolerance", -1) : 1e-9 * std::max(1.0, std::fabs(it.number));
    if (!(it.tolerance >= 0)) return "\"tolerance\" must be a number ≥ 0";
  } else if (!answer.empty()) {
    it.grade = GradeKind::Exact;
    it.answer = answer;
  } else {
    return "no way to grade it: give answer, pattern, number, choices + answer, or rubric";
  }
  return "";
}

// ---- [SECTION] CSV records ---------------------------------------------------------------------
// RFC 4180 records with the given separator: quoted fields may hold separators, quotes ("") and
// newlines. `lines` gives the line each record starts on. Records whose fields are all blank
// (a spreadsheet's empty rows: ",,,") are skipped.
std::vector<std::vector<std::string>> CsvRecords(const std::string& t, char sep, int first_line, std::vector<int>& lines, std::string& err) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string f;
  bool q = false;
  int line = first_line, row_line = first_line;
  auto end_row = [&] {
    row.push_back(f);
    f.clear();
    const bool blank = std::all_of(row.begin(), row.end(), [](const std::string& x) { return x.find_first_not_of(" \t") == std::string::npos; });
    if (!blank) { rows.push_back(row); lines.push_back(row_line); }
    row.clear();
  };
  for (size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (q) {
      if (c == '"' && i + 1 < t.size() && t[i + 1] == '"') { f += '"'; ++i; }
      else if (c == '"') q = false;
      else { if (c == '\n') ++line; f += c; }
      continue;
    }
    if (c == '"' && f.find_first_not_of(" \t") == std::string::npos) {
      f.clear();  // spaces before an opening quote are not part of the field
      q = true;
      continue;
    }
    if (c == sep) { row.push_back(f); f.clear(); continue; }
    if (c == '\r') continue;
    if (c == '\n') {
      end_row();
      row_line = ++line;
      continue;
    }
    f += c;
  }
  if (q) err = "line " + std::to_string(row_line) + ": a quoted field is never closed";
  if (!f.empty() || !row.empty()) end_row();
  return rows;
}

// The separator of a CSV whose first record is `head_line`: a comma, else the semicolon or tab
// a spreadsheet in another locale writes.
char GuessSeparator(const std::string& head_line) {
  size_t commas = 0, semis = 0, tabs = 0;
  bool q = false;
  for (char c : head_line) {
    if (c == '"') q = !q;
    if (q) continue;
    commas += c == ',';
    semis += c == ';';
    tabs += c == '\t';
  }
  if (commas == 0 && semis > 0) return ';';
  if (commas == 0 && tabs > 0) return '\t';
  return ',';
}

std::string Lower(std::string s) {
  s.erase(0, s.find_first_not_of(" \t"));
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

void AddNote(std::string& note, const std::string& what) { note += (note.empty() ? "" : "; ") + what; }

}  // namespace

// ---- [SECTION] ParseEvalFile -------------------------------------------------------------------
bool ParseEvalFile(const std::string& bytes, const std::string& set_id, EvalSet& out, std::vector<EvalFileError>& errors) {
  errors.clear();
  constexpr size_t kMaxItems = 5000;
  EvalSet s;
  s.id = set_id;
  s.name = set_id;
  auto fail = [&](int line, const std::string& m) { if (errors.size() < 20) errors.push_back({line, m}); };
  if (bytes.size() > (16u << 20)) { fail(0, "the file is larger than 16 MB"); return false; }
  std::string how;
  const std::string text = DecodeText(bytes, how);
  if (!how.empty()) AddNote(s.note, how);
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) { fail(0, "the file is empty"); return false; }
  std::vector<int> item_lines;  // where each item is (0: a JSON array's, named by its number)
  auto add = [&](EvalItem&& it, int line, const std::string& fallback_id) {
    if (it.id.empty()) it.id = fallback_id;
    s.items.push_back(std::move(it));
    item_lines.push_back(line);
    if (s.items.size() > kMaxItems) { fail(line, "more than 5,000 items"); return false; }
    return true;
  };
  if (text[first] == '[') {  // one JSON array of items
    const json all = ParseJson(text);
    if (all.is_discarded() || !all.is_array()) { fail(0, "starts with \"[\" but is not a valid JSON array"); return false; }
    for (size_t n = 0; n < all.size(); ++n) {
      EvalItem it;
      if (std::string why = ItemFromJson(all[n], it); !why.empty()) { fail(0, "item " + std::to_string(n + 1) + ": " + why); continue; }
      if (!add(std::move(it), 0, "item-" + std::to_string(n + 1))) break;
    }
  } else if (text[first] == '{') {  // JSONL
    int line = 0;
    size_t pos = 0;
    while (pos <= text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      std::string l = text.substr(pos, nl - pos);
      ++line;
      pos = nl + 1;
      const size_t lf = l.find_first_not_of(" \t\r");
      if (lf == std::string::npos) continue;
      while (!l.empty() && (l.back() == ' ' || l.back() == '\t' || l.back() == '\r' || l.back() == ',')) l.pop_back();  // "},"
      json j = ParseJson(l);
      EvalItem it;
      std::string why = j.is_discarded() ? "not valid JSON" : ItemFromJson(j, it);
      if (!why.empty()) { fail(line, why); continue; }
      if (!add(std::move(it), line, "line-" + std::to_string(line))) break;
    }
  } else {  // CSV
    // The header is the first line with something on it.
    size_t start = text.rfind('\n', first);
    start = start == std::string::npos ? 0 : start + 1;
    int first_line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(start), '\n'));
    char sep = 0;
    // Excel's "sep=;" first line names the separator.
    const size_t eol = std::min(text.find('\n', start), text.size());
    std::string head_line = text.substr(start, eol - start);
    if (!head_line.empty() && head_line.back() == '\r') head_line.pop_back();
    if (head_line.size() == 5 && Lower(head_line.substr(0, 4)) == "sep=") {
      sep = head_line[4];
      start = std::min(eol + 1, text.size());
      ++first_line;
      const size_t eol2 = std::min(text.find('\n', start), text.size());
      head_line = text.substr(start, eol2 - start);
    } else {
      sep = GuessSeparator(head_line);
    }
    if (sep == ';') AddNote(s.note, "semicolon-separated");
    if (sep == '\t') AddNote(s.note, "tab-separated");
    std::vector<int> lines;
    std::string err;
    auto rows = CsvRecords(text.substr(start), sep, first_line, lines, err);
    if (!err.empty()) { fail(0, err); return false; }
    if (rows.empty()) { fail(0, "the file is empty"); return false; }
    std::vector<std::string> head = rows[0];
    for (auto& h : head) h = Lower(h);
    if (std::find(head.begin(), head.end(), "question") == head.end()) {
      fail(lines[0], "the header has no \"question\" column (expected question plus answer, pattern, number, choices or rubric)");
      return false;
    }
    // Benchmarks written as question, A, B, C, D, answer (MMLU): the letter columns are the choices.
    std::vector<size_t> letter_cols;
    if (std::find(head.begin(), head.end(), "choices") == head.end())
      for (char l = 'a'; l <= 'z'; ++l) {
        const auto c = std::find(head.begin(), head.end(), std::string(1, l));
        if (c == head.end()) break;
        letter_cols.push_back(static_cast<size_t>(c - head.begin()));
      }
    if (letter_cols.size() < 2) letter_cols.clear();
    if (!letter_cols.empty())
      AddNote(s.note, "choices from columns A–" + std::string(1, static_cast<char>('A' + letter_cols.size() - 1)));
    static const char* kKnown[] = {"id", "kind", "question", "answer", "answer_index", "pattern", "number", "tolerance", "choices", "rubric"};
    std::string ignored;
    for (size_t c = 0; c < head.size(); ++c) {
      const bool known = std::find(std::begin(kKnown), std::end(kKnown), head[c]) != std::end(kKnown) ||
                         std::find(letter_cols.begin(), letter_cols.end(), c) != letter_cols.end();
      if (!known) ignored += (ignored.empty() ? "" : ", ") + (head[c].empty() ? std::string("(no name)") : "\"" + head[c] + "\"");
    }
    if (!ignored.empty()) AddNote(s.note, "columns not used: " + ignored);
    for (size_t r = 1; r < rows.size(); ++r) {
      if (rows[r].size() != head.size()) {
        fail(lines[r], "has " + std::to_string(rows[r].size()) + " fields, the header has " + std::to_string(head.size()));
        continue;
      }
      json j = json::object();
      for (size_t c = 0; c < head.size(); ++c) {
        if (rows[r][c].empty()) continue;
        if (head[c] == "rubric" || head[c] == "pattern") {
          json parsed = ParseJson(rows[r][c]);
          const bool structured = !parsed.is_discarded() && (parsed.is_array() || (head[c] == "rubric" && parsed.is_object()));
          j[head[c]] = structured ? std::move(parsed) : json(rows[r][c]);
        } else {
          j[head[c]] = rows[r][c];
        }
      }
      if (!letter_cols.empty()) {
        json cs = json::array();
        for (size_t c : letter_cols)
          if (!rows[r][c].empty()) cs.push_back(rows[r][c]);
        j["choices"] = std::move(cs);
      }
      EvalItem it;
      if (std::string why = ItemFromJson(j, it); !why.empty()) { fail(lines[r], why); continue; }
      if (!add(std::move(it), lines[r], "row-" + std::to_string(r))) break;
    }
  }
  if (errors.empty() && s.items.empty()) fail(0, "the file has no items");
  // Ids must be unique: results are saved by id. The second use is named, with the first.
  for (size_t i = 0; errors.empty() && i < s.items.size(); ++i)
    for (size_t k = 0; k < i; ++k)
      if (s.items[k].id == s.items[i].id) {
        const std::string first = item_lines[k] > 0 ? "line " + std::to_string(item_lines[k]) : "item " + std::to_string(k + 1);
        fail(item_lines[i], "the id \"" + s.items[i].id + "\" is used twice (first on " + first + ")");
        break;
      }
  if (!errors.empty()) return false;
  out = std::move(s);
  return true;
}

}  // namespace concord
