#include "cli/flag_alias.h"

#include <sstream>

#include "gtest/gtest.h"

namespace v6scope::cli {
namespace {

TEST(FlagAliasTest, TheNewNameWins) {
  std::ostringstream err;
  EXPECT_EQ(FlagOrAlias("group_by", "asn", "by_unused", "", err), "asn");
  EXPECT_EQ(err.str(), "");
}

TEST(FlagAliasTest, TheOldNameWorksAndWarnsOnce) {
  std::ostringstream err;
  EXPECT_EQ(FlagOrAlias("group_by", "", "by", "rir", err), "rir");
  EXPECT_EQ(FlagOrAlias("group_by", "", "by", "rir", err), "rir");
  EXPECT_EQ(err.str(), "v6scope: --by is deprecated, use --group_by\n");
  EXPECT_EQ(FlagOrAlias("probe_id", "p-2", "probe", "p-1", err), "p-2");
  EXPECT_NE(err.str().find("--probe is deprecated, use --probe_id\n"),
            std::string::npos);
}

}  // namespace
}  // namespace v6scope::cli
