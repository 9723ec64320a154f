// The window API's command table: exact names, parsed once, read-only flags, clear errors.
#include <gtest/gtest.h>

#include "command_table.h"

namespace concord {
namespace {

TEST(CommandTable, DispatchesByExactNameWithTheParsedCommand) {
  CommandTable t;
  int runs = 0;
  t.add("run", false, [&](const json& c) { ++runs; return Dump({{"prompt", GetStr(c, "prompt")}}); });
  t.add("state", true, [](const json&) { return std::string(R"({"stage":"idle"})"); });
  auto r = t.dispatch(R"({"cmd":"run","prompt":"hi"})");
  EXPECT_EQ(r.text, R"({"prompt":"hi"})");
  EXPECT_FALSE(r.read_only);
  EXPECT_TRUE(t.dispatch(R"({"cmd":"state"})").read_only);
  // A substring of a name, or a name inside another field, is not a command.
  EXPECT_NE(t.dispatch(R"({"cmd":"runx"})").text.find("unknown command 'runx'"), std::string::npos);
  EXPECT_NE(t.dispatch(R"({"cmd":"x","note":"\"cmd\":\"run\""})").text.find("unknown"), std::string::npos);
  EXPECT_EQ(runs, 1);
}

TEST(CommandTable, BadInputGetsAClearErrorAndWakesNothing) {
  CommandTable t;
  t.add("run", false, [](const json&) { return std::string("{}"); });
  auto r = t.dispatch("not json");
  EXPECT_NE(r.text.find("not a JSON object"), std::string::npos);
  EXPECT_TRUE(r.read_only);
  EXPECT_NE(t.dispatch(R"({"cmd":3})").text.find("name in the command"), std::string::npos);
  EXPECT_NE(t.dispatch("[]").text.find("not a JSON object"), std::string::npos);
}

TEST(CommandTable, ALaterAddReplacesTheEarlierOne) {
  CommandTable t;
  t.add("frames", true, [](const json&) { return std::string("1"); });
  t.add("frames", true, [](const json&) { return std::string("2"); });
  EXPECT_EQ(t.dispatch(R"({"cmd":"frames"})").text, "2");
  EXPECT_EQ(t.names(), (std::vector<std::string>{"frames"}));
  EXPECT_TRUE(t.has("frames"));
  EXPECT_FALSE(t.has("frame"));
}

}  // namespace
}  // namespace concord
