// The in-page demo endpoint and its example gallery (see demo.h).
#include "demo.h"

#include "jsonutil.h"

namespace concord {

bool IsInPageDemoUrl(const std::string& url) { return url.rfind("demo://", 0) == 0; }

HttpRequest BuildExamplesRequest(const std::string& demo_base) {
  HttpRequest r;
  r.method = "GET";
  std::string base = demo_base;
  while (!base.empty() && base.back() == '/') base.pop_back();
  r.url = base + "/examples";
  return r;
}

std::string ParseDemoExamples(const std::string& body, std::vector<DemoExample>& out) {
  out.clear();
  json j = ParseJson(body);
  if (j.is_discarded()) return "[demo.examples.bad_json] the demo's example list is not JSON";
  const json* data = Get(j, "data");
  if (!data || !data->is_array()) return "[demo.examples.no_data] the demo's example list has no \"data\" array";
  for (auto& e : *data) {
    DemoExample x;
    x.question = GetStr(e, "question");
    if (x.question.empty()) continue;
    x.label = GetStr(e, "label", x.question);
    x.kind = GetStr(e, "kind");
    x.panel = GetStr(e, "panel", "demo");
    x.search = GetBool(e, "search", false);
    out.push_back(std::move(x));
  }
  return "";
}

std::string NormalizeQuestion(const std::string& q) {
  std::string o;
  bool space = false;
  for (unsigned char c : q) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') { space = !o.empty(); continue; }
    if (space) { o += ' '; space = false; }
    o += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  while (!o.empty() && (o.back() == '?' || o.back() == '.' || o.back() == '!' || o.back() == ' ')) o.pop_back();
  return o;
}

int FindExample(const std::vector<DemoExample>& examples, const std::string& prompt) {
  const std::string n = NormalizeQuestion(prompt);
  for (size_t i = 0; i < examples.size(); ++i)
    if (NormalizeQuestion(examples[i].question) == n) return static_cast<int>(i);
  return -1;
}

}  // namespace concord
