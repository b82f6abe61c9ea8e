#include "collector/enrich/as_names.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/data/data_paths.h"

namespace v6scope::collector::enrich {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class AsNamesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<DataFile> file =
        ReadDataFile(tests::data::FixturePath("asnames.txt"));
    ASSERT_TRUE(file.ok()) << file.status();
    names_ = AsNames::Parse(file->contents, &bad_);
  }

  MalformedLines bad_{"asnames.txt"};
  AsNames names_;
};

TEST_F(AsNamesTest, SplitsNameAndCountry) {
  std::optional<AsNames::Entry> cf = names_.Lookup(13335);
  ASSERT_TRUE(cf.has_value());
  EXPECT_EQ(cf->name, "CLOUDFLARENET");
  EXPECT_EQ(cf->cc, "US");
  // Commas inside the name stay in the name.
  EXPECT_EQ(names_.Lookup(4134)->name,
            "CHINANET-BACKBONE No.31,Jin-rong Street");
  EXPECT_EQ(names_.Lookup(4134)->cc, "CN");
  EXPECT_EQ(names_.Lookup(0)->name, "-Reserved AS-");
  EXPECT_EQ(names_.Lookup(0)->cc, "ZZ");
}

TEST_F(AsNamesTest, LineWithoutCountryKeepsTheWholeName) {
  EXPECT_EQ(names_.Lookup(64512)->name, "NO-COUNTRY");
  EXPECT_EQ(names_.Lookup(64512)->cc, "");
}

TEST(AsNamesParseTest, CountryWithoutName) {
  MalformedLines bad("x");
  AsNames names = AsNames::Parse("49067\t, TR\n", &bad);
  EXPECT_EQ(bad.count(), 0u);
  ASSERT_TRUE(names.Lookup(49067).has_value());
  EXPECT_EQ(names.Lookup(49067)->name, "");
  EXPECT_EQ(names.Lookup(49067)->cc, "TR");
}

TEST_F(AsNamesTest, LaterDuplicateWins) {
  EXPECT_EQ(names_.Lookup(7018)->name, "ATT-INTERNET4");
}

TEST_F(AsNamesTest, MalformedLinesAreCountedAndSkipped) {
  EXPECT_EQ(names_.size(), 12u);
  EXPECT_EQ(bad_.count(), 4u);
  EXPECT_THAT(
      bad_.examples(),
      ElementsAre(HasSubstr("asnames.txt:13: bad AS number"),
                  HasSubstr("asnames.txt:14: no TAB"),
                  HasSubstr("asnames.txt:15: neither AS name nor country"),
                  HasSubstr("asnames.txt:16: bad AS number")));
  EXPECT_FALSE(names_.Lookup(12345).has_value());
  EXPECT_FALSE(names_.Lookup(99999).has_value());
  EXPECT_FALSE(names_.Lookup(1234567).has_value());
}

TEST(AsNamesParseTest, EmptyInput) {
  MalformedLines bad("empty");
  AsNames names = AsNames::Parse("", &bad);
  EXPECT_EQ(names.size(), 0u);
  EXPECT_FALSE(names.Lookup(1).has_value());
  EXPECT_EQ(bad.count(), 0u);
}

}  // namespace
}  // namespace v6scope::collector::enrich
