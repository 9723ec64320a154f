// Engine benchmark (run by scripts/bench; not a test): the local analysis behind the maps and
// the engine's own cost of a run, over a synthetic panel of 8 answers x 30 KB and a judge
// analysis with 60 claims. Built natively (build/bench) and as wasm for Node (build/wasm-bench).
//
//   engine_bench [--iters N] [--runs N] [--json FILE]
//
// Prints a human summary on stderr and one JSON object on stdout (or into FILE).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "jsonutil.h"
#include "judge.h"
#include "mapdata.h"
#include "maps.h"
#include "run.h"
#include "transport.h"

using namespace concord;

namespace {

constexpr int kMembers = 8;
constexpr size_t kAnswerBytes = 30 * 1024;
constexpr int kConsensus = 30, kContradictions = 15, kPartial = 8, kUnique = 5, kBlind = 2;  // 60 rows

// ---- deterministic synthetic text -----------------------------------------------------------
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint32_t next() { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return static_cast<uint32_t>(s >> 11); }
  double unit() { return next() / 4294967296.0; }
  int range(int lo, int hi) { return lo + static_cast<int>(next() % static_cast<uint32_t>(hi - lo + 1)); }
};

const std::vector<std::string>& Vocabulary() {
  static std::vector<std::string> v = [] {
    static const char* syl[] = {"ka", "lo", "mi", "ren", "tas", "vel", "dor", "qui", "sen", "ar", "po", "lin", "ex", "tra",
                                "mon", "zu", "bel", "cor", "fi", "gan", "hu", "jor", "nes", "pra", "sol", "tem", "ul", "vy",
                                "wen", "yar"};
    static const char* common[] = {"the", "a", "of", "and", "to", "in", "is", "that", "for", "it", "with", "as", "on",
                                   "be", "are", "this", "by", "or", "can", "more", "not", "most", "which", "when"};
    std::vector<std::string> out(std::begin(common), std::end(common));
    Rng r(7);
    while (out.size() < 2500) {
      std::string w;
      int n = r.range(2, 4);
      for (int i = 0; i < n; ++i) w += syl[r.next() % 30];
      out.push_back(w);
    }
    return out;
  }();
  return v;
}

std::string Sentence(Rng& r, int lo = 8, int hi = 20) {
  const auto& v = Vocabulary();
  std::string s;
  int n = r.range(lo, hi);
  for (int i = 0; i < n; ++i) {
    double u = r.unit();
    size_t idx = static_cast<size_t>(static_cast<double>(v.size()) * u * u * u);  // Zipf-like
    std::string w = v[std::min(idx, v.size() - 1)];
    if (i == 0) w[0] = static_cast<char>(w[0] - 'a' + 'A');
    s += (i ? " " : "") + w;
    if (i + 1 < n && r.next() % 11 == 0) s += ",";
  }
  return s + ".";
}

std::string Claim(int k) { Rng r(1000 + static_cast<uint64_t>(k)); return Sentence(r, 10, 14); }
std::string ColLabel(int i) { return std::string(1, static_cast<char>('A' + i)); }

// Markdown answer of member i: headings, paragraphs and lists, carrying the claim sentences it "makes".
std::string Answer(int i) {
  Rng r(100 + static_cast<uint64_t>(i));
  std::string s;
  int section = 0, claim = i % 3;
  while (s.size() < kAnswerBytes) {
    s += "## Section " + std::to_string(++section) + "\n\n";
    for (int p = 0; p < 3 && s.size() < kAnswerBytes; ++p) {
      for (int k = r.range(3, 6); k > 0; --k) s += Sentence(r) + " ";
      if (claim < 60) { s += Claim(claim) + " "; claim += 2; }
      s += "\n\n";
    }
    for (int b = r.range(2, 5); b > 0; --b) s += "- " + Sentence(r, 5, 12) + "\n";
    s += "\n";
  }
  s.resize(kAnswerBytes);
  return s;
}

std::string AnalysisJson() {
  json cons = json::array(), contra = json::array(), part = json::array(), uniq = json::array(), blind = json::array();
  int k = 0;
  auto models = [](int seed, int n) {
    json m = json::array();
    for (int j = 0; j < n; ++j) m.push_back(ColLabel((seed + j * 3) % kMembers));
    return m;
  };
  for (int c = 0; c < kConsensus; ++c, ++k) cons.push_back({{"claim", Claim(k)}, {"models", models(k, 2 + k % 6)}, {"confidence", 0.5 + (k % 5) * 0.1}});
  for (int c = 0; c < kContradictions; ++c, ++k) {
    json st = json::array();
    for (int j = 0; j < 2 + k % 4; ++j) {
      Rng r(5000 + static_cast<uint64_t>(k * 10 + j));
      st.push_back({{"model", ColLabel((k + j) % kMembers)}, {"stance", (j % 2 ? "No: " : "Yes: ") + Sentence(r, 6, 12)}});
    }
    Rng r(6000 + static_cast<uint64_t>(k));
    contra.push_back({{"topic", Claim(k)}, {"stances", st}, {"assessment", Sentence(r)}});
  }
  for (int c = 0; c < kPartial; ++c, ++k) part.push_back({{"point", Claim(k)}, {"models", models(k, 1 + k % 3)}});
  for (int c = 0; c < kUnique; ++c, ++k) {
    Rng r(7000 + static_cast<uint64_t>(k));
    uniq.push_back({{"model", ColLabel(k % kMembers)}, {"insight", Claim(k)}, {"assessment", Sentence(r)}});
  }
  for (int c = 0; c < kBlind; ++c, ++k) blind.push_back(Claim(k));
  Rng r(9);
  std::string final_answer = "# Synthesis\n\n";
  while (final_answer.size() < 3000) final_answer += Sentence(r) + (r.next() % 4 == 0 ? "\n\n" : " ");
  json a = {{"consensus", cons}, {"contradictions", contra}, {"partial_coverage", part},
            {"unique_insights", uniq}, {"blind_spots", blind}, {"final_answer", final_answer}};
  return a.dump(2);
}

// ---- timing ---------------------------------------------------------------------------------
double NowMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
struct Stats { double median = 0, min = 0, max = 0; };
Stats Summarise(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  Stats s;
  if (v.empty()) return s;
  s.min = v.front();
  s.max = v.back();
  s.median = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  return s;
}
json ToJson(const Stats& s) { return {{"median", s.median}, {"min", s.min}, {"max", s.max}}; }
Stats Time(int iters, const std::function<void()>& f) {
  f();  // warm-up
  std::vector<double> v;
  for (int i = 0; i < iters; ++i) {
    double t0 = NowMs();
    f();
    v.push_back(NowMs() - t0);
  }
  return Summarise(v);
}

// ---- engine run through ScriptedTransport ---------------------------------------------------
std::string SseDelta(const std::string& text) {
  json j = {{"id", "gen-bench"}, {"object", "chat.completion.chunk"},
            {"choices", json::array({{{"index", 0}, {"delta", {{"content", text}}}, {"finish_reason", nullptr}}})}};
  return "data: " + j.dump() + "\n\n";
}
std::string SseEnd(int64_t completion_tokens) {
  json j = {{"id", "gen-bench"}, {"object", "chat.completion.chunk"},
            {"choices", json::array({{{"index", 0}, {"delta", {{"content", ""}}}, {"finish_reason", "stop"}}})},
            {"usage", {{"prompt_tokens", 100}, {"completion_tokens", completion_tokens}, {"cost", 0.0001}}}};
  return "data: " + j.dump() + "\n\ndata: [DONE]\n\n";
}
// Splits text into deltas of `piece` bytes (at a UTF-8 boundary; the text here is ASCII), one
// SSE event each; `per_chunk` events are written per network chunk.
std::vector<std::string> SseChunks(const std::string& text, size_t piece, size_t per_chunk) {
  std::vector<std::string> chunks;
  std::string cur;
  size_t in_cur = 0;
  for (size_t i = 0; i < text.size(); i += piece) {
    cur += SseDelta(text.substr(i, piece));
    if (++in_cur == per_chunk) { chunks.push_back(std::move(cur)); cur.clear(); in_cur = 0; }
  }
  cur += SseEnd(static_cast<int64_t>(text.size() / 4));
  chunks.push_back(std::move(cur));
  return chunks;
}

struct EngineResult {
  Stats busy_ms, max_pump_ms;
  Stats start_ms, panel_ms, judge_ms;  // busy time split: start(), panel stage, judge stage to the end
  size_t sse_events = 0, frames = 0;
  bool ok = true;
  std::string error;
};

EngineResult EngineRuns(int runs, const std::vector<std::string>& answers, const std::string& judge, size_t piece,
                        size_t per_chunk) {
  EngineResult res;
  std::vector<std::vector<std::string>> member_chunks;
  for (auto& a : answers) {
    member_chunks.push_back(SseChunks(a, piece, per_chunk));
    res.sse_events += (a.size() + piece - 1) / piece + 1;
  }
  std::vector<std::string> judge_chunks = SseChunks(judge, piece, per_chunk);
  res.sse_events += (judge.size() + piece - 1) / piece + 1;
  std::vector<double> busy, max_pump, start_v, panel_v, judge_v;
  for (int run = 0; run < runs + 1; ++run) {  // run 0 is a warm-up
    ScriptedTransport t;
    const double frame = 1.0 / 60, gap = 0.002;
    t.add({"", "", ScriptedTransport::Sse(judge_chunks, 0.3, gap), -1, "judge"});
    for (int i = 0; i < kMembers; ++i)
      t.add({"chat/completions", "\"model\":\"bench/m" + std::to_string(i) + "\"",
             ScriptedTransport::Sse(member_chunks[static_cast<size_t>(i)], 0.2 + 0.05 * i, gap), -1});
    Endpoint ep;
    ep.id = "demo";
    ep.base_url = "http://127.0.0.1:8787/api/v1";
    ep.is_demo = true;
    FusionEngine e(t, {ep});
    RunConfig c;
    c.prompt = "Benchmark question: compare the options and recommend one.";
    for (int i = 0; i < kMembers; ++i) c.panel.push_back({"demo", "bench/m" + std::to_string(i), -1});
    c.judges.push_back({"demo", "bench/judge", -1});
    c.idle_timeout_s = 600;
    c.total_timeout_s = 3600;
    std::string err = e.start(c);
    if (!err.empty()) { res.ok = false; res.error = err; return res; }
    double worst = 0, at_start = e.busy_seconds(), in_panel = 0;
    size_t frames = 0;
    while (e.busy() && frames < 1000000) {
      t.advance(frame);
      bool panel = e.run().stage == RunStage::Panel;
      double before = e.busy_seconds(), t0 = NowMs();
      e.pump();
      worst = std::max(worst, NowMs() - t0);
      if (panel) in_panel += e.busy_seconds() - before;
      ++frames;
    }
    const FusionRun& r = e.run();
    if (r.stage != RunStage::Done || !r.has_analysis || r.answered() != kMembers) {
      res.ok = false;
      res.error = std::string("run ended in stage ") + ToString(r.stage) + ", " + std::to_string(r.answered()) +
                  " answers, analysis " + (r.has_analysis ? "yes" : "no") + ": " + r.error;
      return res;
    }
    for (auto& m : r.members)
      if (m.result.content.size() != kAnswerBytes) { res.ok = false; res.error = "member content size mismatch"; return res; }
    res.frames = frames;
    if (run > 0) {
      busy.push_back(e.busy_seconds() * 1000);
      max_pump.push_back(worst);
      start_v.push_back(at_start * 1000);
      panel_v.push_back(in_panel * 1000);
      judge_v.push_back((e.busy_seconds() - at_start - in_panel) * 1000);
    }
  }
  res.busy_ms = Summarise(busy);
  res.max_pump_ms = Summarise(max_pump);
  res.start_ms = Summarise(start_v);
  res.panel_ms = Summarise(panel_v);
  res.judge_ms = Summarise(judge_v);
  return res;
}

json EngineJson(const EngineResult& r, size_t piece, size_t per_chunk) {
  return {{"ok", r.ok}, {"error", r.error}, {"delta_bytes", piece}, {"events_per_chunk", per_chunk},
          {"sse_events", r.sse_events}, {"frames", r.frames}, {"busy_ms", ToJson(r.busy_ms)},
          {"max_frame_ms", ToJson(r.max_pump_ms)}, {"start_ms", ToJson(r.start_ms)},
          {"panel_stage_ms", ToJson(r.panel_ms)}, {"judge_stage_ms", ToJson(r.judge_ms)}};
}

}  // namespace

int main(int argc, char** argv) {
  int iters = 20, runs = 5;
  std::string out_file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--iters" && i + 1 < argc) iters = std::max(1, std::atoi(argv[++i]));
    else if (a == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else if (a == "--json" && i + 1 < argc) out_file = argv[++i];
    else { std::fprintf(stderr, "usage: engine_bench [--iters N] [--runs N] [--json FILE]\n"); return 2; }
  }
#ifdef __EMSCRIPTEN__
  const char* flavour = "wasm";
#else
  const char* flavour = "native";
#endif

  std::vector<std::string> answers;
  for (int i = 0; i < kMembers; ++i) answers.push_back(Answer(i));
  const std::string judge_raw = AnalysisJson();

  // A finished run as the maps see it.
  FusionRun run;
  run.stage = RunStage::Done;
  for (int i = 0; i < kMembers; ++i) {
    Call c;
    c.label = ColLabel(i);
    c.model = {"demo", "bench/m" + std::to_string(i), -1};
    c.status = MemberStatus::Done;
    c.result.content = answers[static_cast<size_t>(i)];
    c.result.usage.completion_tokens = static_cast<int64_t>(kAnswerBytes / 4);
    c.cost = 0.001 * (i + 1);
    run.members.push_back(std::move(c));
  }
  run.judge_raw = judge_raw;
  run.judge_parse = ExtractAnalysis(judge_raw);
  run.has_analysis = run.judge_parse.ok;
  if (!run.has_analysis) { std::fprintf(stderr, "synthetic analysis did not parse: %s\n", run.judge_parse.message.c_str()); return 1; }
  std::vector<std::string> labels;
  for (auto& m : run.members) labels.push_back(m.label);
  StanceMatrix matrix = BuildStanceMatrix(run.judge_parse.analysis, labels);

  Stats update = Time(iters, [&] { MapData d; UpdateMapData(d, run, false); });
  Stats similarity = Time(iters, [&] { volatile size_t n = TextSimilarity(answers).size(); (void)n; });
  Stats layout = Time(iters, [&] {
    StanceMatrix m = BuildStanceMatrix(run.judge_parse.analysis, labels);
    std::vector<double> ag = AgreementFromStances(m);
    volatile size_t n = LayoutGraph(m, ag, {}).nodes.size();
    (void)n;
  });
  Stats extract = Time(iters, [&] { volatile bool ok = ExtractAnalysis(judge_raw).ok; (void)ok; });
  // Cache hit: what the maps panel pays on a frame where nothing changed.
  MapData cached;
  UpdateMapData(cached, run, false);
  Stats cache_hit = Time(iters * 50, [&] { UpdateMapData(cached, run, false); });

  // Token-like stream (24-byte deltas, 4 SSE events per network chunk) and 1 KB deltas.
  EngineResult stream = EngineRuns(runs, answers, judge_raw, 24, 4);
  EngineResult coarse = EngineRuns(runs, answers, judge_raw, 1024, 1);

  json out = {{"flavour", flavour}, {"members", kMembers}, {"answer_bytes", kAnswerBytes},
              {"claims", matrix.rows.size()}, {"judge_raw_bytes", judge_raw.size()}, {"iters", iters}, {"runs", runs},
              {"update_map_data_ms", ToJson(update)}, {"text_similarity_ms", ToJson(similarity)},
              {"stances_layout_ms", ToJson(layout)}, {"extract_analysis_ms", ToJson(extract)},
              {"update_map_data_cached_ms", ToJson(cache_hit)},
              {"engine_stream", EngineJson(stream, 24, 4)}, {"engine_1k", EngineJson(coarse, 1024, 1)}};

  std::fprintf(stderr,
               "engine_bench (%s): %d answers x %zu B, %zu claims\n"
               "  UpdateMapData (full recompute)  median %.2f ms (min %.2f, max %.2f)\n"
               "    TextSimilarity                median %.2f ms\n"
               "    stances + agreement + layout  median %.2f ms\n"
               "  UpdateMapData (unchanged run)   median %.4f ms\n"
               "  ExtractAnalysis (%zu B)          median %.2f ms\n"
               "  engine busy per run, 24 B deltas (%zu SSE events)  median %.2f ms (start %.2f, panel %.2f, judge %.2f), worst frame %.2f ms%s\n"
               "  engine busy per run, 1 KB deltas (%zu SSE events)  median %.2f ms (start %.2f, panel %.2f, judge %.2f), worst frame %.2f ms%s\n",
               flavour, kMembers, kAnswerBytes, matrix.rows.size(), update.median, update.min, update.max,
               similarity.median, layout.median, cache_hit.median, judge_raw.size(), extract.median, stream.sse_events,
               stream.busy_ms.median, stream.start_ms.median, stream.panel_ms.median, stream.judge_ms.median,
               stream.max_pump_ms.median, stream.ok ? "" : (" FAILED: " + stream.error).c_str(),
               coarse.sse_events, coarse.busy_ms.median, coarse.start_ms.median, coarse.panel_ms.median, coarse.judge_ms.median,
               coarse.max_pump_ms.median,
               coarse.ok ? "" : (" FAILED: " + coarse.error).c_str());
  std::string text = Dump(out, 2);
  if (out_file.empty()) {
    std::printf("%s\n", text.c_str());
  } else {
    std::ofstream f(out_file);
    f << text << "\n";
    if (!f) { std::fprintf(stderr, "cannot write %s\n", out_file.c_str()); return 1; }
  }
  return stream.ok && coarse.ok ? 0 : 1;
}
