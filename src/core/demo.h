// The in-page demo, as the engine and the App see it: the endpoint the web transport
// answers inside the page (never on the network), the gallery of example questions the
// demo has written answers for (served by the demo endpoint itself, from the one data
// module web/demo/topics.mjs), and the rule that matches a typed question to it.
#pragma once
#include <string>
#include <vector>

#include "transport.h"
#include "types.h"

namespace concord {

// The demo endpoint's base URL. Its scheme is no network scheme: a request to it that
// escaped the transport's routing could not reach a server.
inline constexpr const char* kInPageDemoBase = "demo://in-page/api/v1";
// The demo base of earlier versions (a local Node simulator); saved settings move to the page.
inline constexpr const char* kLegacyDemoBase = "http://127.0.0.1:8787/api/v1";

bool IsInPageDemoUrl(const std::string& url);

struct DemoExample {
  std::string question;   // exactly what the demo answers
  std::string label;      // short chip text
  std::string kind;       // what the example shows ("A lone member is right: …")
  std::string panel;      // "demo" (three scripted members) or "self" (one model, three temperatures)
  bool search = false;    // members use web search (citations)
};

// GET {demo base}/examples.
HttpRequest BuildExamplesRequest(const std::string& demo_base);
// {"data":[{question,label,kind,panel,search}]}. Entries without a question are skipped.
// Returns "" or a stable error id with a message: "[demo.examples.bad_json] …".
std::string ParseDemoExamples(const std::string& body, std::vector<DemoExample>& out);

// A question as the gallery compares it (the same rule as normalizeQuestion in
// web/demo/script.mjs): ASCII lower case, runs of white space as one space, trimmed, and
// trailing "?", "." and "!" dropped.
std::string NormalizeQuestion(const std::string& q);
// Index of the example the prompt asks, or -1.
int FindExample(const std::vector<DemoExample>& examples, const std::string& prompt);

}  // namespace concord
