#include "common/log/log.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::log {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(LogTest, FormatsKeyValuePairs) {
  SetComponent("test");
  std::string line = FormatLine(Level::kWarn, "batch.stored",
                                {{"probe", "p-1"}, {"seq", uint64_t{7}}});
  EXPECT_THAT(line, MatchesRegex("ts=[0-9T:.-]+Z level=warn comp=test "
                                 "event=batch.stored probe=p-1 seq=7"));
}

TEST(LogTest, QuotesValuesThatWouldBreakParsing) {
  std::string line =
      FormatLine(Level::kInfo, "x", {{"msg", "a b=\"c\"\n"}, {"empty", ""}});
  EXPECT_THAT(line, EndsWith(R"(msg="a b=\"c\"\n" empty="")"));
}

TEST(LogTest, StatusFieldShowsCodeAndMessage) {
  std::string line = FormatLine(Level::kError, "x",
                                {{"status", absl::NotFoundError("no probe")}});
  EXPECT_THAT(line, HasSubstr(R"(status="NOT_FOUND: no probe")"));
  EXPECT_THAT(FormatLine(Level::kInfo, "x", {{"status", absl::OkStatus()}}),
              HasSubstr("status=OK"));
}

TEST(LogTest, WritesWholeLinesToTheConfiguredFd) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  SetOutputFd(fds[1]);
  Info("hello", {{"n", 1}});
  Debug("dropped.below.min.level");
  SetOutputFd(2);
  close(fds[1]);
  char buf[512];
  ssize_t n = read(fds[0], buf, sizeof(buf));
  close(fds[0]);
  ASSERT_GT(n, 0);
  std::string out(buf, static_cast<size_t>(n));
  EXPECT_THAT(out, EndsWith("event=hello n=1\n"));
  EXPECT_EQ(out.find("dropped"), std::string::npos);
}

}  // namespace
}  // namespace v6scope::log
