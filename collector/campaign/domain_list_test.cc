#include "collector/campaign/domain_list.h"

#include <string>

#include "gtest/gtest.h"

namespace v6scope::collector::campaign {
namespace {

TEST(DomainListBuilderTest, KeepsOrderAndFirstOfDuplicates) {
  DomainListBuilder b(ImportLimits{});
  ASSERT_TRUE(b.Add("b.example", Sector::kHealth, 1).ok());
  ASSERT_TRUE(b.Add("a.example", Sector::kOther, 2).ok());
  ASSERT_TRUE(b.Add("www.B.example", Sector::kBanking, 5).ok());
  ImportResult r = std::move(b).Finish();
  ASSERT_EQ(r.list.size(), 2u);
  EXPECT_EQ(r.list.entries()[0].name, "b.example");
  EXPECT_EQ(r.list.entries()[0].sector, Sector::kHealth);
  EXPECT_EQ(r.list.entries()[0].line, 1);
  EXPECT_EQ(r.list.entries()[1].name, "a.example");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0],
            "line 5: \"www.B.example\" is b.example, which repeats line 1 "
            "(line 1 "
            "kept, with its sector health, not banking)");
  EXPECT_EQ(r.names_read, 3);
}

TEST(DomainListBuilderTest, InvalidNameNamesTheLineAndColumn) {
  DomainListBuilder b(ImportLimits{});
  absl::Status s = b.Add("bad_name.example", Sector::kOther, 7, ", column 2");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().substr(0, 18), "line 7, column 2: ");
}

TEST(DomainListBuilderTest, SkipInvalidWarnsInstead) {
  ImportLimits limits;
  limits.skip_invalid_names = true;
  DomainListBuilder b(limits);
  EXPECT_TRUE(b.Add("bad_name.example", Sector::kOther, 7).ok());
  EXPECT_TRUE(b.Add("good.example", Sector::kOther, 8).ok());
  ImportResult r = std::move(b).Finish();
  EXPECT_EQ(r.list.size(), 1u);
  EXPECT_EQ(r.names_skipped, 1);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("(skipped)"), std::string::npos);
}

TEST(DomainListBuilderTest, LimitCountsNamesReadAndNamesTheLine) {
  ImportLimits limits;
  limits.max_names = 2;
  DomainListBuilder b(limits);
  EXPECT_TRUE(b.Add("a.example", Sector::kOther, 1).ok());
  EXPECT_TRUE(b.Add("a.example", Sector::kOther, 2).ok());
  absl::Status s = b.Add("c.example", Sector::kOther, 3);
  EXPECT_EQ(s.message(),
            "line 3: name number 3 is past the limit of 2 names in one list: "
            "split the list into several campaigns");
}

TEST(DomainListBuilderTest, WarningsAreCapped) {
  ImportLimits limits;
  limits.max_warnings = 2;
  DomainListBuilder b(limits);
  for (int i = 1; i <= 5; ++i) {
    ASSERT_TRUE(b.Add("a.example", Sector::kOther, i).ok());
  }
  ImportResult r = std::move(b).Finish();
  EXPECT_EQ(r.warnings.size(), 2u);
  EXPECT_EQ(r.warnings_dropped, 2);
}

TEST(DomainListBuilderTest, ManyNamesSurviveRehashing) {
  DomainListBuilder b(ImportLimits{});
  for (int i = 0; i < 20000; ++i) {
    ASSERT_TRUE(
        b.Add("n" + std::to_string(i % 10000) + ".example", Sector::kOther, i)
            .ok());
  }
  ImportResult r = std::move(b).Finish();
  EXPECT_EQ(r.list.size(), 10000u);
  EXPECT_EQ(r.warnings_dropped + static_cast<int64_t>(r.warnings.size()),
            10000);
}

}  // namespace
}  // namespace v6scope::collector::campaign
