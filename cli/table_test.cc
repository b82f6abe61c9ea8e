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

// Aligned by display width: "–" (U+2013) is three bytes, one column.
// Byte widths pushed every column after an interval one space per dash.
TEST(TableTest, TextIsAlignedByDisplayWidth) {
  Table t({"share", "next"});
  t.AddRow({"72% (65–78%)", "a"});
  t.AddRow({"5% (1-9%)", "b"});
  EXPECT_EQ(t.Render(OutputFormat::kTable),
            "share         next\n"
            "72% (65–78%)  a\n"
            "5% (1-9%)     b\n");
  EXPECT_EQ(DisplayWidth("72% (65–78%)"), 12u);
  EXPECT_EQ(DisplayWidth("Côte d'Ivoire"), 13u);
}

TEST(TableTest, EmptyTextReplacesABareHeaderOnlyInText) {
  Table t({"window", "key"});
  t.SetEmptyText("no data in this window (latest: 2026-12-01T10:00:00Z)");
  EXPECT_EQ(t.Render(OutputFormat::kTable),
            "no data in this window (latest: 2026-12-01T10:00:00Z)\n");
  EXPECT_EQ(t.Render(OutputFormat::kCsv), "window,key\r\n");
}

TEST(TableTest, NotesFollowTheTextTableOnly) {
  Table t = Sample();
  t.AddNote("includes 2 synthetic sample probes");
  EXPECT_EQ(t.Render(OutputFormat::kTable),
            "probe  note\n"
            "p-1    plain\n"
            "p-22   has, comma \"and quote\"\n"
            "includes 2 synthetic sample probes\n");
  EXPECT_EQ(t.Render(OutputFormat::kCsv), Sample().Render(OutputFormat::kCsv));
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

// A run's verdict with its explanations under it.
Table WithBelow() {
  Table t({"probe", "capability", "explanations"});
  t.SetLastColumnBelow();
  t.AddRow(
      {"p-1", "V6_ONLY", "V6_ONLY: no IPv4\nNAT64_BROKEN: =nothing routes"});
  t.AddRow({"p-22", "V4_ONLY", ""});
  return t;
}

TEST(TableTest, BelowColumnPrintsUnderTheRowInText) {
  EXPECT_EQ(WithBelow().Render(OutputFormat::kTable),
            "probe  capability\n"
            "p-1    V6_ONLY\n"
            "    V6_ONLY: no IPv4\n"
            "    NAT64_BROKEN: =nothing routes\n"
            "p-22   V4_ONLY\n");
}

TEST(TableTest, BelowColumnIsOneGuardedCellInCsvAndJson) {
  EXPECT_EQ(WithBelow().Render(OutputFormat::kCsv),
            "probe,capability,explanations\r\n"
            "p-1,V6_ONLY,V6_ONLY: no IPv4 | NAT64_BROKEN: =nothing routes\r\n"
            "p-22,V4_ONLY,\r\n");
  EXPECT_EQ(WithBelow().Render(OutputFormat::kJson),
            "{\"probe\":\"p-1\",\"capability\":\"V6_ONLY\",\"explanations\":"
            "\"V6_ONLY: no IPv4 | NAT64_BROKEN: =nothing routes\"}\n"
            "{\"probe\":\"p-22\",\"capability\":\"V4_ONLY\",\"explanations\":"
            "\"\"}\n");
}

// Issue 18: numbers as JSON numbers ("seq":1, not "seq":"1"); what only
// looks numeric ("<5", "007", "1=3;2=4", an address) stays a string.
TEST(TableTest, JsonLinesPrintNumbersAsNumbers) {
  Table t({"probe", "seq", "share", "probes", "id", "versions"});
  t.AddRow({"p-1", "1", "0.25", "<5", "007", "1=3;2=4"});
  t.AddRow({"2001:db8::1", "18446744073709551615", "-0.5", "12", "0", ""});
  EXPECT_EQ(t.Render(OutputFormat::kJson),
            "{\"probe\":\"p-1\",\"seq\":1,\"share\":0.25,\"probes\":\"<5\","
            "\"id\":\"007\",\"versions\":\"1=3;2=4\"}\n"
            "{\"probe\":\"2001:db8::1\",\"seq\":18446744073709551615,"
            "\"share\":-0.5,\"probes\":12,\"id\":0,\"versions\":\"\"}\n");
}

TEST(TableTest, ParseOutputFormat) {
  EXPECT_EQ(*ParseOutputFormat("csv"), OutputFormat::kCsv);
  EXPECT_FALSE(ParseOutputFormat("xml").ok());
}

}  // namespace
}  // namespace v6scope::cli
