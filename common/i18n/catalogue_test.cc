#include "common/i18n/catalogue.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::i18n {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CatalogueTest, ParsesAndFinds) {
  auto c = Catalogue::Parse(
      Lang::kFr, "{\"report.title\": \"Rapport : {country}\", \"a\": \"A\"}",
      "fr.json");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->lang(), Lang::kFr);
  EXPECT_EQ(c->source(), "fr.json");
  EXPECT_THAT(c->Keys(), ElementsAre("a", "report.title"));
  ASSERT_NE(c->Find("report.title"), nullptr);
  EXPECT_EQ(c->Find("report.title")->Format({{"country", "Fidji"}}),
            "Rapport : Fidji");
  EXPECT_EQ(c->Find("report"), nullptr);
}

TEST(CatalogueTest, MalformedJsonNamesFileAndPosition) {
  auto c = Catalogue::Parse(Lang::kEn, "{\n \"a\": \"b\"\n \"c\": \"d\"}",
                            "i18n/messages/en.json");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "i18n/messages/en.json: line 3, column 2: expected ',' or '}'");
}

TEST(CatalogueTest, ListsEveryBadMessageWithItsKeyAndLine) {
  auto c = Catalogue::Parse(Lang::kRu,
                            "{\n"
                            "  \"ok\": \"fine\",\n"
                            "  \"bad.brace\": \"{country\",\n"
                            "  \"bad.plural\": \"{n, plural, one {a} other "
                            "{b}}\",\n"
                            "  \"Bad Key\": \"x\"\n"
                            "}",
                            "ru.json");
  ASSERT_FALSE(c.ok());
  const std::string msg(c.status().message());
  EXPECT_THAT(msg, HasSubstr("ru.json: line 3, column 3: bad.brace: ICU "
                             "message syntax: U_UNMATCHED_BRACES"));
  EXPECT_THAT(msg, HasSubstr("ru.json: line 4, column 3: bad.plural: "
                             "argument {n}: plural categories of ru missing"));
  EXPECT_THAT(msg, HasSubstr("ru.json: line 5, column 3: key \"Bad Key\" is "
                             "not a valid key"));
}

TEST(CatalogueTest, LoadFileNamesAMissingFile) {
  auto c = Catalogue::LoadFile(Lang::kEn, "/nonexistent/en.json");
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(std::string(c.status().message()),
              HasSubstr("/nonexistent/en.json"));
}

TEST(CatalogueTest, Keys) {
  EXPECT_TRUE(IsValidKey("report.title"));
  EXPECT_TRUE(IsValidKey("sector.top-sites"));
  EXPECT_TRUE(IsValidKey("state.no_aaaa"));
  EXPECT_FALSE(IsValidKey(""));
  EXPECT_FALSE(IsValidKey("report..title"));
  EXPECT_FALSE(IsValidKey(".title"));
  EXPECT_FALSE(IsValidKey("Report.Title"));
  EXPECT_FALSE(IsValidKey("report title"));
  EXPECT_FALSE(IsValidKey(std::string(129, 'a')));
}

}  // namespace
}  // namespace v6scope::i18n
