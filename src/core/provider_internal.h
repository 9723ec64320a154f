// Internal to the provider pieces (provider.cpp, provider_error.cpp, stream_decoder.cpp,
// catalogue.cpp): the text, number and JSON readers they share. Not part of the public API.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "jsonutil.h"
#include "provider.h"

namespace concord {
namespace provider_detail {

// Small text helpers (provider.cpp).
std::string Lower(std::string s);
bool IsSpace(char c);
std::string Trim(const std::string& s);
std::string CollapseWs(const std::string& s);               // whitespace runs -> one space, trimmed
std::string Utf8Prefix(const std::string& s, size_t max);   // at most `max` bytes, "..." marks a cut
const json& EmptyObject();
std::string Header(const std::map<std::string, std::string>& h, const char* name);  // any case

// Safe numeric reads: values from the network, clamped (provider.cpp).
int64_t Count(const json& j, const char* key);
double NonNegative(const json& j, const char* key);
bool HasNumber(const json& j, const char* key);

// Shared JSON readers (provider.cpp).
Usage ReadUsage(const json& u);
void ReadAnthropicUsage(const json& u, Usage& x);
void ReadAnnotations(const json& arr, std::vector<Citation>& out);
void ReadAnthropicCitation(const json& c, std::vector<Citation>& out);
std::string ContentText(const json& msg);
std::string ReasoningText(const json& obj);
std::string MapAnthropicStop(const std::string& s);
bool HasErrorField(const json& j);

// An error event met inside a stream (provider_error.cpp).
CallError MidstreamError(const json& j, int status);

}  // namespace provider_detail
}  // namespace concord
