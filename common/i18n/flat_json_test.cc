#include "common/i18n/flat_json.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::i18n {
namespace {

using ::testing::HasSubstr;

TEST(FlatJsonTest, ReadsMembersInOrderWithPositions) {
  auto entries = ParseFlatJsonObject(
      "{\n  \"b.x\": \"B\",\n  \"a\": \"caf\\u00e9 \\ud83c\\udf0d \\\"q\\\" "
      "\\n\"\n}\n");
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].key, "b.x");
  EXPECT_EQ((*entries)[0].value, "B");
  EXPECT_EQ((*entries)[0].position.line, 2);
  EXPECT_EQ((*entries)[0].position.column, 3);
  EXPECT_EQ((*entries)[1].value, "café 🌍 \"q\" \n");
}

TEST(FlatJsonTest, EmptyObject) {
  auto entries = ParseFlatJsonObject(" {} ");
  ASSERT_TRUE(entries.ok());
  EXPECT_TRUE(entries->empty());
}

TEST(FlatJsonTest, ErrorsNameLineAndColumn) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"{\n  \"a\" \"b\"\n}", "line 2, column 7: expected ':'"},
      {"{\"a\": \"b\",\n}", "line 2, column 1: expected a string"},
      {"{\"a\": 1}", "line 1, column 7: expected a string"},
      {"{\"a\": \"b\" \"c\": \"d\"}", "line 1, column 11: expected ',' or '}'"},
      {"{\"a\": \"b\", \"a\": \"c\"}",
       "line 1, column 12: duplicate key \"a\""},
      {"{\"a\": \"b\"} x", "line 1, column 12: text after the object"},
      {"[]", "line 1, column 1: expected '{'"},
      {"{\"a\": \"b", "line 1, column 7: unterminated string"},
      {"{\"a\": \"\\x\"}", "line 1, column 8: invalid escape"},
      {"{\"a\": \"\\ud800\"}", "line 1, column 8: lone surrogate"},
      {"{\"a\": \"\xff\"}", "line 1, column 7: invalid UTF-8"},
      {"{\"a\": \"x\ty\"}", "line 1, column 9: control character"},
      // Columns count characters, not bytes.
      {"{\"é\": \"x\" ,, }", "line 1, column 12: expected a string"},
  };
  for (const Case& c : cases) {
    auto entries = ParseFlatJsonObject(c.text);
    ASSERT_FALSE(entries.ok()) << c.text;
    EXPECT_THAT(std::string(entries.status().message()), HasSubstr(c.want))
        << c.text;
  }
}

TEST(FlatJsonTest, PositionOf) {
  EXPECT_EQ(PositionOf("ab\ncd", 4).line, 2);
  EXPECT_EQ(PositionOf("ab\ncd", 4).column, 2);
  EXPECT_EQ(PositionOf("", 10).line, 1);
}

}  // namespace
}  // namespace v6scope::i18n
