// Share links: the run a link describes, carried in the page's #fragment (never a key).
//   #prompt=…&panel=<member>,<member>&judge=<member>&writer=<member>
//    &provider=demo|openrouter&mode=self|two-phase|one-phase&demo=<loopback URL>
// A member is a model id with optional settings: "google/gemini-3-flash;t=0.7;max=2000;effort=high".
// Parsing is pure and tolerant: unknown keys and bad settings are skipped and said in `notes`.
#pragma once
#include <string>
#include <vector>

#include "settings.h"

namespace concord {

struct ShareLink {
  bool has_prompt = false;
  std::string prompt;                  // at most 100,000 bytes
  std::string provider = "demo";       // "demo" or "openrouter"
  std::vector<ModelRef> panel;         // at most kMaxPanel; endpoint = EndpointId()
  std::vector<ModelRef> judges, writers;
  std::string mode;                    // "", "self", "two-phase", "one-phase"
  std::string demo_base;               // only a loopback http(s) URL is taken
  std::vector<std::string> notes;      // what was ignored, and why
  std::string endpoint_id() const { return provider == "openrouter" ? "openrouter" : "demo"; }
};

ShareLink ParseShareLink(const std::string& fragment);  // with or without the leading '#'
// The fragment (no '#') for the current settings and prompt: the panel with each member's
// settings, the judge, the first writer when one is set, and the provider.
std::string FormatShareLink(const Settings& s, const std::string& prompt);
// Applies a parsed link: a demo link forces the demo; a panel, judge or writer replaces the
// current one; "self" spreads the first member over the self-fusion temperatures.
void ApplyShareLink(const ShareLink& link, Settings& s);

// One member spec <-> ModelRef (the endpoint is not part of the spec).
std::string FormatMemberSpec(const ModelRef& m);
// False (and `why` set) when the spec has no model id; bad settings are dropped, said in `why`.
bool ParseMemberSpec(const std::string& spec, const std::string& endpoint, ModelRef& out, std::string& why);

}  // namespace concord
