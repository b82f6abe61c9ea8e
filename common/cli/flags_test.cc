#include "common/cli/flags.h"

#include "absl/flags/flag.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

ABSL_FLAG(int, test_port, 7443, "port to use in the test");
ABSL_FLAG(bool, test_verbose, false, "say more");

namespace v6scope::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(FlagsTest, HelpTextListsOwnFlagsNotAbseilBuiltins) {
  std::string help = HelpText("usage: thing [flags]");
  EXPECT_THAT(help, HasSubstr("usage: thing [flags]"));
  EXPECT_THAT(help, HasSubstr("--test_port  port to use in the test"));
  EXPECT_THAT(help, HasSubstr("(default: 7443)"));
  EXPECT_THAT(help, Not(HasSubstr("--flagfile")));
}

TEST(FlagsTest, ParsesFlagsAndReturnsPositionals) {
  const char* argv[] = {"prog", "list", "--test_port=9", "--notest_verbose",
                        "runs"};
  std::vector<std::string> rest =
      ParseFlagsOrExit(5, const_cast<char**>(argv), "usage");
  EXPECT_EQ(absl::GetFlag(FLAGS_test_port), 9);
  EXPECT_FALSE(absl::GetFlag(FLAGS_test_verbose));
  EXPECT_THAT(rest, ElementsAre("list", "runs"));
}

TEST(FlagsDeathTest, UnknownFlagDiesWithOneLine) {
  const char* argv[] = {"prog", "--bogus=1"};
  EXPECT_EXIT(ParseFlagsOrExit(2, const_cast<char**>(argv), "usage"),
              ::testing::ExitedWithCode(2),
              "^prog: unknown flag '--bogus=1' \\(see --help\\)\n$");
}

TEST(FlagsDeathTest, HelpExitsZero) {
  const char* argv[] = {"prog", "--help"};
  EXPECT_EXIT(ParseFlagsOrExit(2, const_cast<char**>(argv), "usage"),
              ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace v6scope::cli
