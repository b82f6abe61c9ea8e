#include "collector/campaign/csv_fields.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace v6scope::collector::campaign {
namespace {

using Fields = std::vector<std::string>;

TEST(CsvFieldsTest, PlainAndQuoted) {
  Fields f;
  ASSERT_TRUE(SplitCsvLine("a,\"b, c\",,\"d \"\"e\"\"\"", &f).ok());
  EXPECT_EQ(f, (Fields{"a", "b, c", "", "d \"e\""}));
  ASSERT_TRUE(SplitCsvLine("", &f).ok());
  EXPECT_EQ(f, Fields{""});
  ASSERT_TRUE(SplitCsvLine("a,", &f).ok());
  EXPECT_EQ(f, (Fields{"a", ""}));
}

TEST(CsvFieldsTest, ErrorsNameTheColumn) {
  Fields f;
  absl::Status open = SplitCsvLine("a,\"b", &f);
  EXPECT_EQ(open.message().substr(0, 10), "column 2: ");
  absl::Status after = SplitCsvLine("a,b,\"c\"d", &f);
  EXPECT_EQ(after.message().substr(0, 10), "column 3: ");
}

}  // namespace
}  // namespace v6scope::collector::campaign
