// Eval question sets (see eval_set.h): the built-in generators with computed answers, the
// written factual items, and the items as JSONL for saved progress.
//
// Index of this file:
// [SECTION] items and prompts
// [SECTION] built-in: arithmetic and word problems
// [SECTION] built-in: units, dates and calendars
// [SECTION] built-in: facts with answer patterns
// [SECTION] built-in: multiple choice
// [SECTION] saved items (EvalItemsToJsonl; the loader is eval_file.cpp)
#include "eval_set.h"
#include "small_sort.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "jsonutil.h"

namespace concord {

// ---- [SECTION] items and prompts ---------------------------------------------------------------
const char* ToString(GradeKind g) {
  switch (g) {
    case GradeKind::Exact: return "exact";
    case GradeKind::Pattern: return "pattern";
    case GradeKind::Number: return "number";
    case GradeKind::Choice: return "choice";
    case GradeKind::Rubric: return "rubric";
  }
  return "?";
}

std::string EvalItem::how() const {
  char b[96];
  switch (grade) {
    case GradeKind::Exact: return "exact: " + answer;
    case GradeKind::Pattern: {
      std::string s = "pattern: ";
      for (size_t i = 0; i < patterns.size(); ++i) s += (i ? " | " : "") + patterns[i];
      return s;
    }
    case GradeKind::Number:
      if (tolerance <= 1e-6 * std::max(1.0, std::fabs(number))) std::snprintf(b, sizeof b, "number %.10g", number);  // exact
      else std::snprintf(b, sizeof b, "number %.10g ± %g", number, tolerance);
      return b;
    case GradeKind::Choice: return "choice: " + answer;
    case GradeKind::Rubric: return "rubric: " + std::to_string(rubric.size()) + " criteria, graded by a model";
  }
  return "";
}

std::string EvalPrompt(const EvalItem& it) {
  std::string p = it.question;
  if (it.grade == GradeKind::Choice) {
    p += "\n";
    for (size_t i = 0; i < it.choices.size(); ++i) p += "\n" + std::string(1, static_cast<char>('A' + i)) + ") " + it.choices[i];
    p += "\n\nEnd your reply with a last line of the form \"Answer: X\", where X is the letter of your choice.";
  } else if (it.grade == GradeKind::Number) {
    p += "\n\nEnd your reply with a last line of the form \"Answer: <number>\" (digits only, no units).";
  } else if (it.grade != GradeKind::Rubric) {
    p += "\n\nEnd your reply with a last line of the form \"Answer: <your short answer>\".";
  }
  return p;
}

namespace {
// Deterministic generator (same items on every platform).
struct Rng {
  uint32_t s;
  uint32_t next() { s ^= s << 13; s ^= s >> 17; s ^= s << 5; return s; }
  int in(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<uint32_t>(hi - lo + 1)); }
};
std::string Fmt(const char* f, double a) { char b[64]; std::snprintf(b, sizeof b, f, a); return b; }

EvalItem NumberItem(const std::string& id, const std::string& kind, const std::string& q, double n, double tol = 1e-6) {
  EvalItem it;
  it.id = id; it.kind = kind; it.question = q; it.grade = GradeKind::Number; it.number = n; it.tolerance = tol;
  return it;
}

// ---- [SECTION] built-in: arithmetic and word problems ------------------------------------------
std::vector<EvalItem> Arithmetic() {
  std::vector<EvalItem> v;
  Rng r{0x9E3779B9u};
  for (int i = 0; i < 20; ++i) {
    const int a = r.in(12, 99), b = r.in(12, 99), c = r.in(100, 999), d = r.in(2, 9);
    switch (i % 4) {
      case 0: v.push_back(NumberItem("arith-" + std::to_string(i), "arithmetic",
                  "What is " + std::to_string(a) + " × " + std::to_string(b) + " + " + std::to_string(c) + "?", a * b + c)); break;
      case 1: v.push_back(NumberItem("arith-" + std::to_string(i), "arithmetic",
                  "What is " + std::to_string(c) + " − " + std::to_string(a) + " × " + std::to_string(d) + "?", c - a * d)); break;
      case 2: v.push_back(NumberItem("arith-" + std::to_string(i), "arithmetic",
                  "What is (" + std::to_string(a) + " + " + std::to_string(b) + ") × " + std::to_string(d) + " − " + std::to_string(a) + "?",
                  (a + b) * d - a)); break;
      default: v.push_back(NumberItem("arith-" + std::to_string(i), "arithmetic",
                  "What is " + std::to_string(a * d) + " ÷ " + std::to_string(d) + " + " + std::to_string(b) + "²?", a + b * b)); break;
    }
  }
  for (int i = 0; i < 20; ++i) {
    const int n = r.in(3, 19), m = r.in(2, 9), p = r.in(11, 60);
    const std::string id = "word-" + std::to_string(i);
    switch (i % 5) {
      case 0: {
        const double price = p / 4.0;
        v.push_back(NumberItem(id, "word problem", "A shop sells notebooks at $" + Fmt("%.2f", price) + " each. How many dollars do " +
                               std::to_string(n) + " notebooks cost?", price * n, 0.005));
        break;
      }
      case 1:
        v.push_back(NumberItem(id, "word problem", "A train travels at " + std::to_string(p + 40) + " km/h for " + std::to_string(m) +
                               " hours and then " + std::to_string(n) + " km more. How many kilometres does it travel in all?",
                               (p + 40) * m + n));
        break;
      case 2:
        v.push_back(NumberItem(id, "word problem", "Ana has " + std::to_string(p + n * m) + " marbles. She gives " + std::to_string(n) +
                               " to each of her " + std::to_string(m) + " friends. How many marbles does she have left?", p));
        break;
      case 3:
        v.push_back(NumberItem(id, "word problem", "A rectangle is " + std::to_string(p) + " cm long and " + std::to_string(n) +
                               " cm wide. What is its perimeter in centimetres?", 2 * (p + n)));
        break;
      default: {
        const int pct = 5 * r.in(1, 9);
        v.push_back(NumberItem(id, "word problem", "A jacket costs $" + std::to_string(p * 4) + ". It is discounted by " + std::to_string(pct) +
                               "%. What is the new price in dollars?", p * 4 * (100 - pct) / 100.0, 0.005));
        break;
      }
    }
  }
  return v;
}

// ---- [SECTION] built-in: units, dates and calendars ---------------------------------------------
// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
long DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}
void CivilFromDays(long z, int& y, int& m, int& d) {
  z += 719468;
  const long era = (z >= 0 ? z : z - 146096) / 146097;
  const long doe = z - era * 146097;
  const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}
std::string Iso(int y, int m, int d) { char b[40]; std::snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d); return b; }
const char* const kWeekdays[] = {"Thursday", "Friday", "Saturday", "Sunday", "Monday", "Tuesday", "Wednesday"};  // 1970-01-01 was a Thursday
int DaysInMonth(int y, int m) {
  static const int k[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : k[m - 1];
}

std::vector<EvalItem> UnitsDates() {
  std::vector<EvalItem> v;
  Rng r{0x85EBCA6Bu};
  struct Unit { const char* q; double factor; double tol; };
  const Unit units[] = {{"How many seconds are in %g hours?", 3600, 1e-6}, {"How many metres are in %g kilometres?", 1000, 1e-6},
                        {"How many minutes are in %g days?", 1440, 1e-6}, {"How many grams are in %g kilograms?", 1000, 1e-6},
                        {"How many millilitres are in %g litres?", 1000, 1e-6}, {"How many centimetres are in %g inches (1 inch = 2.54 cm)?", 2.54, 0.01},
                        {"How many kilometres are in %g miles (1 mile = 1.609344 km)? Round to two decimals.", 1.609344, 0.006},
                        {"How many bytes are in %g kibibytes (KiB)?", 1024, 1e-6}};
  for (int i = 0; i < 16; ++i) {
    const Unit& u = units[i % 8];
    const double x = r.in(2, 40) / (i % 3 == 0 ? 2.0 : 1.0);
    char q[160];
    std::snprintf(q, sizeof q, u.q, x);
    v.push_back(NumberItem("unit-" + std::to_string(i), "units", q, x * u.factor, u.tol));
  }
  for (int i = 0; i < 4; ++i) {
    const int c = r.in(-20, 45);
    v.push_back(NumberItem("temp-" + std::to_string(i), "units", "What is " + std::to_string(c) + " °C in degrees Fahrenheit?", c * 9.0 / 5.0 + 32, 0.05));
  }
  for (int i = 0; i < 20; ++i) {
    const int y = r.in(1990, 2030), m = r.in(1, 12), d = r.in(1, DaysInMonth(y, m));
    const long z = DaysFromCivil(y, m, d);
    const std::string id = "date-" + std::to_string(i);
    EvalItem it;
    it.id = id;
    it.kind = "dates";
    switch (i % 4) {
      case 0:
        it.question = "What day of the week was (or will be) " + Iso(y, m, d) + "?";
        it.grade = GradeKind::Exact;
        it.answer = kWeekdays[((z % 7) + 7) % 7];
        break;
      case 1: {
        const int add = r.in(20, 400);
        int y2, m2, d2;
        CivilFromDays(z + add, y2, m2, d2);
        it.question = "What is the date " + std::to_string(add) + " days after " + Iso(y, m, d) + "? Give it as YYYY-MM-DD.";
        it.grade = GradeKind::Exact;
        it.answer = Iso(y2, m2, d2);
        break;
      }
      case 2: {
        const int y2 = y + r.in(0, 2), m2 = r.in(1, 12), d2 = r.in(1, DaysInMonth(y2, m2));
        const long z2 = DaysFromCivil(y2, m2, d2);
        const long a = std::min(z, z2), b = std::max(z, z2);
        int ya, ma, da, yb, mb, db;
        CivilFromDays(a, ya, ma, da);
        CivilFromDays(b, yb, mb, db);
        it = NumberItem(id, "dates", "How many days are there from " + Iso(ya, ma, da) + " to " + Iso(yb, mb, db) + " (not counting the first day)?",
                        static_cast<double>(b - a));
        break;
      }
      default:
        it = NumberItem(id, "dates", "How many days does " + std::string(m == 2 ? "February" : "the month of February") + " " +
                        std::to_string(y + i) + " have?", DaysInMonth(y + i, 2));
        break;
    }
    v.push_back(it);
  }
  return v;
}

// ---- [SECTION] built-in: facts with answer patterns -------------------------------------------------
std::vector<EvalItem> Facts() {
  struct F { const char* q; const char* pat; const char* answer; };  // answer: shown, and scripted by the demo
  static const F facts[] = {
      {"What is the capital of Australia?", "\\bcanberra\\b", "Canberra"},
      {"What is the capital of Canada?", "\\bottawa\\b", "Ottawa"},
      {"What is the capital of Turkey?", "\\bankara\\b", "Ankara"},
      {"What is the capital of Brazil?", "\\bbras(i|í)lia\\b", "Brasília"},
      {"What is the capital of New Zealand?", "\\bwellington\\b", "Wellington"},
      {"What is the capital of Switzerland (its federal city)?", "\\bbern(e)?\\b", "Bern"},
      {"What is the chemical symbol for gold?", "\\bau\\b", "Au"},
      {"What is the chemical symbol for potassium?", "^\\W*k\\W*$|\\bk\\b", "K"},
      {"What is the chemical symbol for sodium?", "\\bna\\b", "Na"},
      {"Which element has atomic number 6?", "\\bcarbon\\b", "Carbon"},
      {"Which element has atomic number 26?", "\\biron\\b", "Iron"},
      {"Which planet is closest to the Sun?", "\\bmercury\\b", "Mercury"},
      {"Which planet in our solar system is the largest?", "\\bjupiter\\b", "Jupiter"},
      {"Which planet is known for its prominent rings and is sixth from the Sun?", "\\bsaturn\\b", "Saturn"},
      {"Who wrote the novel 'Pride and Prejudice'?", "\\baust[ei]n\\b", "Jane Austen"},
      {"Who wrote 'One Hundred Years of Solitude'?", "m(a|á)rquez", "Gabriel García Márquez"},
      {"Who painted the Mona Lisa?", "\\bleonardo\\b|da vinci", "Leonardo da Vinci"},
      {"Who developed the theory of general relativity?", "\\beinstein\\b", "Albert Einstein"},
      {"Who proposed the theory of evolution by natural selection in 'On the Origin of Species'?", "\\bdarwin\\b", "Charles Darwin"},
      {"What is the largest ocean on Earth?", "\\bpacific\\b", "Pacific"},
      {"What is the longest river in South America?", "\\bamazon\\b", "Amazon"},
      {"What is the tallest mountain above sea level?", "\\beverest\\b|chomolungma|sagarmatha", "Mount Everest"},
      {"In which country is the city of Kyoto?", "\\bjapan\\b", "Japan"},
      {"In which country are the ancient ruins of Machu Picchu?", "\\bperu\\b", "Peru"},
      {"What is the official currency of Japan?", "\\byen\\b", "Yen"},
      {"What is the official currency of the United Kingdom?", "pound|sterling|\\bgbp\\b", "Pound sterling"},
      {"How many sides does a hexagon have?", "\\b(6|six)\\b", "6"},
      {"How many bones are in the adult human body (the usual count)?", "\\b206\\b", "206"},
      {"What is the boiling point of water at sea level, in degrees Celsius?", "\\b100\\b", "100"},
      {"What gas do plants mainly take in from the air for photosynthesis?", "carbon dioxide|\\bco2\\b|\\bco₂", "Carbon dioxide"},
      {"What is the hardest naturally occurring mineral?", "\\bdiamond", "Diamond"},
      {"Which organ in the human body produces insulin?", "\\bpancreas\\b", "Pancreas"},
      {"In which year did the first crewed Moon landing (Apollo 11) take place?", "\\b1969\\b", "1969"},
      {"In which year did the Berlin Wall fall?", "\\b1989\\b", "1989"},
      {"What is the smallest prime number?", "\\b(2|two)\\b", "2"},
      {"What is the square root of 169?", "\\b13\\b|thirteen", "13"},
      {"What programming language was created by Guido van Rossum?", "\\bpython\\b", "Python"},
      {"What does the 'H' in HTTP stand for?", "\\bhyper ?text\\b", "Hypertext"},
  };
  std::vector<EvalItem> v;
  int i = 0;
  for (const F& f : facts) {
    EvalItem it;
    it.id = "fact-" + std::to_string(i++);
    it.kind = "fact";
    it.question = f.q;
    it.grade = GradeKind::Pattern;
    it.patterns = {f.pat};
    it.answer = f.answer;
    v.push_back(std::move(it));
  }
  return v;
}

// ---- [SECTION] built-in: multiple choice -----------------------------------------------------------
std::vector<EvalItem> Choice() {
  std::vector<EvalItem> v;
  Rng r{0xC2B2AE35u};
  for (int i = 0; i < 36; ++i) {
    EvalItem it;
    it.id = "choice-" + std::to_string(i);
    it.kind = "multiple choice";
    it.grade = GradeKind::Choice;
    std::vector<std::pair<std::string, double>> opts;
    if (i % 3 == 0) {
      it.question = "Which of these is the largest?";
      const int b[] = {2, 3, 5, 7, 10};
      for (int k = 0; k < 4; ++k) {
        const int base = b[r.in(0, 4)], e = r.in(2, 12);
        char s[32];
        std::snprintf(s, sizeof s, "%d^%d", base, e);
        opts.push_back({s, std::pow(base, e)});
      }
    } else if (i % 3 == 1) {
      it.question = "Which of these fractions is the smallest?";
      for (int k = 0; k < 4; ++k) {
        const int num = r.in(1, 9), den = r.in(num + 1, 19);
        opts.push_back({std::to_string(num) + "/" + std::to_string(den), -static_cast<double>(num) / den});
      }
    } else {
      const int target = r.in(20, 200);
      it.question = "Which of these numbers is closest to " + std::to_string(target) + "?";
      for (int k = 0; k < 4; ++k) {
        const int x = target + r.in(-60, 60);
        opts.push_back({std::to_string(x), -std::fabs(x - target)});
      }
    }
    // Make the best option unique: nudge ties out by regenerating with a shifted seed.
    SmallSort(opts.begin(), opts.end(), [](auto& a, auto& b) { return a.first < b.first; });
    opts.erase(std::unique(opts.begin(), opts.end(), [](auto& a, auto& b) { return a.second == b.second; }), opts.end());
    if (opts.size() < 3) { --i; r.next(); continue; }
    double best = -1e300;
    int best_i = 0, ties = 0;
    for (size_t k = 0; k < opts.size(); ++k) {
      if (opts[k].second > best) { best = opts[k].second; best_i = static_cast<int>(k); ties = 1; }
      else if (opts[k].second == best) ++ties;
    }
    if (ties != 1) { --i; r.next(); continue; }
    // Shuffle the order (deterministically) so the answer is not always the same letter.
    for (size_t k = opts.size(); k > 1; --k) {
      const size_t j = r.next() % k;
      if (static_cast<int>(k - 1) == best_i) best_i = static_cast<int>(j);
      else if (static_cast<int>(j) == best_i) best_i = static_cast<int>(k - 1);
      std::swap(opts[k - 1], opts[j]);
    }
    for (auto& o : opts) it.choices.push_back(o.first);
    it.answer = std::string(1, static_cast<char>('A' + best_i));
    v.push_back(std::move(it));
  }
  return v;
}

EvalSet MakeSet(const char* id, const char* name, std::vector<EvalItem> items) {
  EvalSet s;
  s.id = id;
  s.name = name;
  s.items = std::move(items);
  return s;
}
}  // namespace

const std::vector<EvalSet>& BuiltinEvalSets() {
  static const std::vector<EvalSet> sets = [] {
    std::vector<EvalSet> v;
    v.push_back(MakeSet("builtin:arithmetic", "Arithmetic and word problems (computed)", Arithmetic()));
    v.push_back(MakeSet("builtin:units-dates", "Units, dates and calendars (computed)", UnitsDates()));
    v.push_back(MakeSet("builtin:facts", "Facts with answer patterns", Facts()));
    v.push_back(MakeSet("builtin:choice", "Multiple choice (computed)", Choice()));
    // Mixed: the four interleaved, so a short run (a limit of 20) sees every kind.
    EvalSet mixed = MakeSet("builtin:mixed", "Mixed: all four kinds, interleaved", {});
    for (size_t i = 0;; ++i) {
      bool any = false;
      for (size_t k = 0; k < 4; ++k)
        if (i < v[k].items.size()) { mixed.items.push_back(v[k].items[i]); any = true; }
      if (!any) break;
    }
    v.insert(v.begin(), mixed);
    return v;
  }();
  return sets;
}

const EvalSet* FindBuiltinSet(const std::string& id) {
  for (auto& s : BuiltinEvalSets()) if (s.id == id) return &s;
  return nullptr;
}

// ---- [SECTION] saved items -------------------------------------------------------------------
std::string EvalItemsToJsonl(const std::vector<EvalItem>& items) {
  std::string out;
  for (auto& it : items) {
    json j = {{"id", it.id}, {"kind", it.kind}, {"question", it.question}};
    switch (it.grade) {
      case GradeKind::Exact: j["answer"] = it.answer; break;
      case GradeKind::Pattern: j["pattern"] = it.patterns; break;
      case GradeKind::Number: {
        char b[40];
        std::snprintf(b, sizeof b, "%.17g", it.number);
        j["number"] = b;  // as text: exactly the double, read back by strtod
        j["tolerance"] = it.tolerance;
        break;
      }
      case GradeKind::Choice:  // the index too: a letter could also be a choice's text
        j["choices"] = it.choices;
        j["answer"] = it.answer;
        j["answer_index"] = it.answer.empty() ? 0 : it.answer[0] - 'A';
        break;
      case GradeKind::Rubric: {
        json r = json::array();
        for (auto& c : it.rubric) r.push_back({{"text", c.text}, {"weight", c.weight}});
        j["rubric"] = r;
        break;
      }
    }
    out += Dump(j) + "\n";
  }
  return out;
}

}  // namespace concord
