// Share links (see share_link.h).
#include "share_link.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "url.h"

namespace concord {
namespace {
// A value from the link, as it is quoted back in a note: at most 40 bytes (cut on a character
// boundary) with no control characters, so a link cannot put a paragraph of its own on screen.
std::string Echo(const std::string& v) {
  size_t cut = std::min<size_t>(v.size(), 40);
  while (cut < v.size() && cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;
  std::string out;
  for (size_t i = 0; i < cut; ++i) out += static_cast<unsigned char>(v[i]) < 0x20 ? ' ' : v[i];
  return cut < v.size() ? out + "…" : out;
}

constexpr size_t kMaxPrompt = 100000;
// Characters left as they are inside a link value: readable model ids and member specs.
constexpr const char* kSpecKeep = "/:;=,";

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t p = 0;
  while (p <= s.size()) {
    size_t c = s.find(sep, p);
    if (c == std::string::npos) c = s.size();
    out.push_back(s.substr(p, c - p));
    p = c + 1;
  }
  return out;
}
bool ParseNumber(const std::string& v, double& out) {
  if (v.empty()) return false;
  char* end = nullptr;
  out = std::strtod(v.c_str(), &end);
  return end && *end == '\0' && out == out;
}
}  // namespace

std::string FormatMemberSpec(const ModelRef& m) {
  std::string s = m.model;
  char buf[32];
  if (m.temperature >= 0) {
    std::snprintf(buf, sizeof buf, ";t=%g", m.temperature);
    s += buf;
  }
  if (m.max_tokens > 0) s += ";max=" + std::to_string(m.max_tokens);
  if (!m.effort.empty()) s += ";effort=" + m.effort;
  return s;
}

bool ParseMemberSpec(const std::string& spec, const std::string& endpoint, ModelRef& out, std::string& why) {
  why.clear();
  auto parts = Split(spec, ';');
  ModelRef m{endpoint, parts[0]};
  if (m.model.empty()) {
    why = "a member with no model id was skipped";
    return false;
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& kv = parts[i];
    size_t eq = kv.find('=');
    std::string k = kv.substr(0, eq), v = eq == std::string::npos ? "" : kv.substr(eq + 1);
    double d = 0;
    if (k == "t" && ParseNumber(v, d) && d >= 0 && d <= 2) m.temperature = d;
    else if (k == "max" && ParseNumber(v, d) && d >= 1 && d <= 1000000 && d == static_cast<int>(d)) m.max_tokens = static_cast<int>(d);
    else if (k == "effort" && ValidEffort(v)) m.effort = v;
    else why += (why.empty() ? "" : "; ") + std::string("\"") + Echo(kv) + "\" for " + Echo(m.model) + " is not a known setting (t=0..2, max=tokens, effort=minimal|low|medium|high)";
  }
  out = std::move(m);
  return true;
}

ShareLink ParseShareLink(const std::string& fragment) {
  ShareLink l;
  std::vector<std::pair<std::string, std::string>> later;  // member lists need the provider first
  for (auto& [k, v] : QueryPairs(fragment)) {
    if (k == "prompt") {
      l.has_prompt = true;
      size_t cut = std::min(v.size(), kMaxPrompt);
      while (cut < v.size() && cut > 0 && (static_cast<unsigned char>(v[cut]) & 0xC0) == 0x80) --cut;  // never mid-character
      l.prompt = v.substr(0, cut);
      if (v.size() > kMaxPrompt) l.notes.push_back("the question in the link was cut to 100,000 bytes");
    } else if (k == "provider") {
      if (v == "demo" || v == "openrouter") l.provider = v;
      else l.notes.push_back("unknown provider \"" + Echo(v) + "\": the demo is used");
    } else if (k == "mode") {
      if (v == "self" || v == "two-phase" || v == "one-phase") l.mode = v;
      else l.notes.push_back("unknown mode \"" + Echo(v) + "\" ignored");
    } else if (k == "demo") {
      if (IsLoopbackHttpUrl(v)) l.demo_base = v;
      else l.notes.push_back("demo= must be a loopback URL (127.0.0.1, localhost): ignored");
    } else if (k == "panel" || k == "judge" || k == "writer") {
      later.emplace_back(k, v);
    }
  }
  for (auto& [k, v] : later) {
    std::vector<ModelRef>& list = k == "panel" ? l.panel : k == "judge" ? l.judges : l.writers;
    for (auto& spec : Split(v, ',')) {
      if (spec.empty()) continue;
      if (list.size() >= kMaxPanel) {
        l.notes.push_back("the link lists more than 8 models for " + k + ": the rest were ignored");
        break;
      }
      ModelRef m;
      std::string why;
      if (ParseMemberSpec(spec, l.endpoint_id(), m, why)) list.push_back(std::move(m));
      if (!why.empty()) l.notes.push_back(why);
    }
  }
  return l;
}

std::string FormatShareLink(const Settings& s, const std::string& prompt) {
  auto list = [](const std::vector<ModelRef>& v) {
    std::string out;
    for (auto& m : v) out += (out.empty() ? "" : ",") + FormatMemberSpec(m);
    return PercentEncode(out, kSpecKeep);
  };
  std::string h = "prompt=" + PercentEncode(prompt) + "&panel=" + list(s.panel);
  if (!s.judges.empty()) h += "&judge=" + list({s.judges[0]});
  if (!s.writers.empty()) h += "&writer=" + list({s.writers[0]});
  h += "&provider=" + s.default_endpoint();
  return h;
}

void ApplyShareLink(const ShareLink& link, Settings& s) {
  if (!link.demo_base.empty()) s.demo_base = link.demo_base;
  if (link.provider == "demo") s.force_demo = true;
  if (!link.panel.empty()) s.panel = link.panel;
  if (!link.judges.empty()) s.judges = link.judges;
  if (!link.writers.empty()) s.writers = link.writers;
  if (link.mode == "self" && !s.panel.empty()) ApplyPreset(Preset::SelfFusion, {}, link.endpoint_id(), s);
  if (link.mode == "two-phase") s.two_phase_judge = true;
  if (link.mode == "one-phase") s.two_phase_judge = false;
}

}  // namespace concord
