#include "common/cli/flags.h"

#include <cstdlib>
#include <string>

#include "absl/flags/flag.h"
#include "common/version.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

ABSL_FLAG(int, test_port, 7443, "port to use in the test");
ABSL_FLAG(bool, test_verbose, false, "say more");
ABSL_FLAG(std::string, test_dir, "", "a directory (default /var/lib/thing)");
ABSL_FLAG(int, test_k, 0, "threshold (default 3, or the config's k)");

namespace v6scope::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(FlagsTest, HelpTextListsOwnFlagsNotAbseilBuiltins) {
  std::string help = HelpText("usage: thing [flags]");
  EXPECT_THAT(help, HasSubstr("usage: thing [flags]"));
  EXPECT_THAT(help, HasSubstr("--test_port  port to use in the test"));
  EXPECT_THAT(help, HasSubstr("(default: 7443)"));
  EXPECT_THAT(help, Not(HasSubstr("--flagfile")));
}

// The help text states its own default: abseil's placeholder is not added
// beside it ("(default /var/lib/thing) (default: )" before).
TEST(FlagsTest, HelpTextShowsEachDefaultOnce) {
  std::string help = HelpText("usage");
  EXPECT_THAT(help,
              HasSubstr("--test_dir  a directory (default /var/lib/thing)\n"));
  EXPECT_THAT(
      help, HasSubstr("--test_k  threshold (default 3, or the config's k)\n"));
  EXPECT_THAT(help, HasSubstr("--test_verbose  say more (default: false)\n"));
  EXPECT_THAT(help, Not(HasSubstr("(default: )")));
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

TEST(FlagsDeathTest, VersionPrintsProgramAndVersion) {
  const char* argv[] = {"/usr/bin/prog", "--version"};
  EXPECT_EXIT(
      {
        ParseFlagsOrExit(2, const_cast<char**>(argv), "usage");
        std::exit(9);
      },
      ::testing::ExitedWithCode(0), "");
  // The parent never parsed this argv: its program name may differ.
  EXPECT_THAT(ProgramVersion(), EndsWith(std::string(" ") + kVersion));
}

// Abseil alone exits 1 with several lines; a bad value is a usage error.
TEST(FlagsDeathTest, BadValueIsAUsageErrorOfOneLine) {
  const char* argv[] = {"prog", "--test_port=many"};
  EXPECT_EXIT(ParseFlagsOrExit(2, const_cast<char**>(argv), "usage"),
              ::testing::ExitedWithCode(2), "^prog: --test_port: .*\n$");
  const char* spaced[] = {"prog", "--test_port", "many"};
  EXPECT_EXIT(ParseFlagsOrExit(3, const_cast<char**>(spaced), "usage"),
              ::testing::ExitedWithCode(2), "^prog: --test_port: .*\n$");
}

}  // namespace
}  // namespace v6scope::cli
