// Plain data of a fusion run: configuration, members, judge analysis.
// Pure C++17 + nlohmann/json. No ImGui, no emscripten (layer rule).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace concord {

// ---- Providers ---------------------------------------------------------------
enum class ProviderKind { OpenRouter, OpenAICompatible, Anthropic };

// One configured endpoint. Keys are held here at run time only; exports never contain them.
struct Endpoint {
  std::string id;        // stable name used by ModelRef::endpoint ("openrouter", "demo", "groq", ...)
  ProviderKind kind = ProviderKind::OpenRouter;
  std::string base_url;  // e.g. "https://openrouter.ai/api/v1" (no trailing slash)
  std::string api_key;   // never exported, never logged
  bool is_demo = false;  // the local scripted demo provider: labelled everywhere
  bool send_attribution = false;  // HTTP-Referer / X-OpenRouter-Title (OpenRouter only)
  std::string referer;   // page URL for HTTP-Referer
};

// A model as the user configured it, with its own per-call settings (kept in settings,
// exports and share links). The constructor lets call sites give only what they set.
struct ModelRef {
  std::string endpoint;  // Endpoint::id
  std::string model;     // provider's model id, e.g. "google/gemini-3-flash"
  double temperature = -1;  // < 0: provider default
  int max_tokens = 0;       // 0: the run's max tokens (itself 0 = provider default)
  std::string effort;       // reasoning effort: "" (provider default), minimal, low, medium, high
  ModelRef() = default;
  ModelRef(std::string ep, std::string id, double temp = -1, int max_tok = 0, std::string eff = {})
      : endpoint(std::move(ep)), model(std::move(id)), temperature(temp), max_tokens(max_tok), effort(std::move(eff)) {}
  bool operator==(const ModelRef& o) const {
    return endpoint == o.endpoint && model == o.model && temperature == o.temperature && max_tokens == o.max_tokens && effort == o.effort;
  }
  bool operator!=(const ModelRef& o) const { return !(*this == o); }
};
// The reasoning efforts a member may ask for, in order ("" = provider default is not listed).
inline const char* const kEfforts[] = {"minimal", "low", "medium", "high"};
inline bool ValidEffort(const std::string& e) {
  if (e.empty()) return true;
  for (const char* k : kEfforts) if (e == k) return true;
  return false;
}

// ---- Usage, errors, citations ----------------------------------------------------
struct Usage {
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t reasoning_tokens = 0;
  int64_t cached_tokens = 0;
  int64_t web_search_requests = 0;
  double cost = 0;        // USD, all of it: with OpenRouter BYOK, its fee plus the provider's bill
  bool has_cost = false;  // true when the provider reported usage.cost
  double byok_upstream = 0;  // of cost: billed by the provider to the user's own key (OpenRouter
                             // BYOK: usage.is_byok, cost_details.upstream_inference_cost)
};

struct Citation {
  std::string url;
  std::string title;
  std::string content;
  int start_index = -1;
  int end_index = -1;
};

// Why a call failed. Stable ids in `id` (e.g. "http.401", "net.unreachable", "sse.midstream").
struct CallError {
  std::string id;          // stable error id
  int http_status = 0;     // 0 when no HTTP status (network, CORS, timeout)
  std::string code;        // provider error.code, as text
  std::string error_type;  // metadata.error_type (rate_limit_exceeded, ...)
  std::string message;     // the provider's own message, or ours
  double retry_after_s = -1;  // from Retry-After or error.availability.retry_after
  bool retryable = false;
  bool empty() const { return id.empty(); }
};

// ---- Judge analysis (superset of OpenRouter Fusion's analysis) ------------------------
// Model references inside the analysis are panel labels ("A", "B", ...), mapped by FusionRun.
struct ConsensusClaim { std::string claim; std::vector<std::string> models; double confidence = -1; };
struct Stance { std::string model; std::string stance; };
struct Contradiction { std::string topic; std::vector<Stance> stances; std::string assessment; };
struct PartialPoint { std::string point; std::vector<std::string> models; };
struct UniqueInsight { std::string model; std::string insight; std::string assessment; };
// A claim one response makes, against or beyond the others, that may well be correct.
struct MinorityPosition { std::string model; std::string position; std::string why; };

struct Analysis {
  std::vector<ConsensusClaim> consensus;
  std::vector<Contradiction> contradictions;
  std::vector<PartialPoint> partial_coverage;
  std::vector<UniqueInsight> unique_insights;
  std::vector<MinorityPosition> minority;  // lone positions the judge thinks may be right
  std::vector<std::string> blind_spots;
  std::string final_answer;  // markdown
};

}  // namespace concord
