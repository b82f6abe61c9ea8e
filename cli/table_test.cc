#include "cli/table.h"

#include "gtest/gtest.h"

namespace v6scope::cli {
namespace {

Table Sample() {
  Table t({"probe", "note"});
  t.AddRow({"p-1", "plain"});
  t.AddRow({"p-22", "has, comma \"and quote\""});
  return t;
}

TEST(TableTest, TextIsAligned) {
  EXPECT_EQ(Sample().Render(OutputFormat::kTable),
            "probe  note\n"
            "p-1    plain\n"
            "p-22   has, comma \"and quote\"\n");
}

TEST(TableTest, CsvQuotesPerRfc4180) {
  EXPECT_EQ(
      Sample().Render(OutputFormat::kCsv),
      "probe,note\r\np-1,plain\r\np-22,\"has, comma \"\"and quote\"\"\"\r\n");
}

TEST(TableTest, JsonLinesEscape) {
  EXPECT_EQ(Sample().Render(OutputFormat::kJson),
            "{\"probe\":\"p-1\",\"note\":\"plain\"}\n"
            "{\"probe\":\"p-22\",\"note\":\"has, comma \\\"and quote\\\"\"}\n");
}

TEST(TableTest, ParseOutputFormat) {
  EXPECT_EQ(*ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_FALSE(ParseOutputFormat("xml").ok());
}

}  // namespace
}  // namespace v6scope::cli
