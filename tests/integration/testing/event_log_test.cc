#include "tests/integration/testing/event_log.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::tests::integration::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(ParseLogfmtTest, PlainAndQuotedValues) {
  EXPECT_THAT(
      ParseLogfmt(R"(ts=1 event=x.y file="/a b/c" msg="say \"hi\"" n=3)"),
      ElementsAre(Pair("event", "x.y"), Pair("file", "/a b/c"),
                  Pair("msg", "say \"hi\""), Pair("n", "3"), Pair("ts", "1")));
}

TEST(ParseLogfmtTest, BareWordsAreNotFields) {
  EXPECT_THAT(ParseLogfmt("enrolled as p-1 event=e"),
              ElementsAre(Pair("event", "e")));
}

TEST(EventLogTest, FindsEventsByNameAndFields) {
  const std::string path =
      std::string(std::getenv("TEST_TMPDIR")) + "/event_log_test.log";
  std::ofstream(path) << "event=run.spooled seq=1 pending=1\n"
                      << "event=run.spooled seq=2 pending=2\n"
                      << "event=run.spooledx seq=2\n";
  EventLog log(path);
  EXPECT_EQ(log.Events("run.spooled").size(), 2u);
  EXPECT_TRUE(log.Has("run.spooled", {{"seq", "2"}, {"pending", "2"}}));
  EXPECT_FALSE(log.Has("run.spooled", {{"seq", "2"}, {"pending", "1"}}));
  EXPECT_FALSE(
      log.WaitFor("run.spooled", {{"seq", "3"}}, absl::ZeroDuration()));
}

}  // namespace
}  // namespace v6scope::tests::integration::testing
