// URL and query-string helpers, the one percent-encoder of the code base, and the URL
// rules the app applies (what counts as an http(s) URL, what counts as loopback).
// Pure functions: no I/O.
#pragma once
#include <string>
#include <vector>

namespace concord {

// RFC 3986 unreserved set [A-Za-z0-9-._~].
bool IsUnreserved(unsigned char c);
// Percent-encoding: everything but the unreserved set and the characters in `keep` becomes %XX
// (share links keep "/:" so model ids stay readable).
std::string PercentEncode(const std::string& s, const char* keep = "");
// Decodes %XX and '+' (form encoding). Malformed escapes stay as they are.
std::string PercentDecode(const std::string& s);
// Query strings ("a=1&b=2", a leading '?' or '#' is ignored): the decoded value of `name`
// ("" when absent), whether it is present, and the query without the given names.
std::string QueryParam(const std::string& query, const std::string& name);
bool QueryHas(const std::string& query, const std::string& name);
std::string QueryWithout(const std::string& query, const std::vector<std::string>& names);
// Every "k=v" piece of a query, both decoded, in order (a piece without '=' has value "").
std::vector<std::pair<std::string, std::string>> QueryPairs(const std::string& query);

// http:// or https:// with a host, and no whitespace, quote, angle bracket or backslash.
bool IsHttpUrl(const std::string& u);
// http(s) to 127.0.0.1, localhost or [::1] with a port: the only place a link may point the
// demo at (a shared link must not send even demo traffic to a third-party server).
bool IsLoopbackHttpUrl(const std::string& u);

}  // namespace concord
