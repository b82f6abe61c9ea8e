#include "api/export_format.h"

#include <cctype>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "proto/query_service.pb.h"

namespace v6scope::api {
namespace {

// Splits one CSV row, honouring quotes (enough for these tests).
std::vector<std::string> Fields(const std::string& row) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < row.size(); ++i) {
    const char c = row[i];
    if (quoted) {
      if (c == '"' && i + 1 < row.size() && row[i + 1] == '"') {
        fields.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r' && c != '\n') {
      fields.back().push_back(c);
    }
  }
  return fields;
}

TEST(ExportFormatTest, CsvFieldQuotesPerRfc4180) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

TEST(ExportFormatTest, CsvFieldGuardsFormulas) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("+cmd"), "'+cmd");
  EXPECT_EQ(CsvField("-2+3"), "'-2+3");
  EXPECT_EQ(CsvField("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(CsvField("\t=1"), "'\t=1");
  EXPECT_EQ(CsvField("\r=1"), "\"'\r=1\"");
  EXPECT_EQ(CsvField("a=1"), "a=1");  // Not at the start: no formula.
  // Numbers stay numbers.
  EXPECT_EQ(CsvField("-3"), "-3");
  EXPECT_EQ(CsvField("-0.25"), "-0.25");
  EXPECT_EQ(CsvField("+1.5e-3"), "+1.5e-3");
  EXPECT_EQ(CsvField("-1e"), "'-1e");
  EXPECT_EQ(CsvField("-"), "-");  // The CLI's "none": nothing to run.
  EXPECT_EQ(CsvField("--"), "'--");
  EXPECT_EQ(CsvField(""), "");
}

TEST(ExportFormatTest, UploadedTextCannotBecomeAFormula) {
  v6scope::v1::StoredRun stored;
  stored.set_probe_id("p-1");
  stored.mutable_run()->mutable_verdict()->set_methodology_version("=1+1");
  stored.mutable_run()->add_tests()->set_target("@evil.example");
  std::string csv;
  AppendRunRecords(stored, ExportFormat::kCsv, &csv);
  const std::vector<std::string> f = Fields(csv);
  EXPECT_EQ(f[7], "'=1+1");
  EXPECT_EQ(f[18], "'@evil.example");
  EXPECT_EQ(f[8], "0");  // Numbers untouched.
}

TEST(ExportFormatTest, RunRowsHaveOneRowPerTestAndTheHeadersColumns) {
  v6scope::v1::StoredRun stored;
  stored.set_probe_id("p-1");
  stored.set_seq(7);
  v6scope::v1::Run* run = stored.mutable_run();
  run->mutable_verdict()->set_capability(v6scope::v1::V6_BROKEN);
  run->mutable_verdict()->add_root_causes(v6scope::v1::PMTU_BLACKHOLE);
  run->mutable_verdict()->add_root_causes(v6scope::v1::SLOW_V6);
  run->mutable_verdict()->set_methodology_version("1");
  run->mutable_attribution()->set_datasets("pfx2as=a,b;rir=c");
  run->add_tests()->set_kind(v6scope::v1::DNS_A);
  run->add_tests()->set_kind(v6scope::v1::HTTP_V6_LARGE);
  std::string csv;
  AppendRunRecords(stored, ExportFormat::kCsv, &csv);
  const std::vector<std::string> rows =
      absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  ASSERT_EQ(rows.size(), 2u);
  const size_t columns = Fields(RunsCsvHeader()).size();
  for (const std::string& row : rows) {
    const std::vector<std::string> f = Fields(row);
    ASSERT_EQ(f.size(), columns) << row;
    EXPECT_EQ(f[0], "p-1");
    EXPECT_EQ(f[4], "V6_BROKEN");
    EXPECT_EQ(f[5], "PMTU_BLACKHOLE SLOW_V6");
    EXPECT_EQ(f[7], "1");
    EXPECT_EQ(f[14], "pfx2as=a,b;rir=c");  // Quoted, read back whole.
  }
  EXPECT_EQ(Fields(rows[1])[16], "HTTP_V6_LARGE");

  std::string jsonl;
  AppendRunRecords(stored, ExportFormat::kJsonLines, &jsonl);
  EXPECT_EQ(jsonl.back(), '\n');
  EXPECT_EQ(jsonl.find('\n'), jsonl.size() - 1);  // One line.
  EXPECT_NE(jsonl.find("\"probe_id\":\"p-1\""), std::string::npos) << jsonl;
  // api_json's conventions: a 64-bit seq as a number, zeros printed.
  EXPECT_NE(jsonl.find("\"seq\":7,"), std::string::npos) << jsonl;
  EXPECT_NE(jsonl.find("\"score\":0,"), std::string::npos) << jsonl;
}

// CSV and JSON Lines spell every kind the same way: its proto enum name
// (the name the kind registry, methodology/kinds, checks it has).
TEST(ExportFormatTest, EveryKindHasTheSameNameInCsvAndJson) {
  const auto* kinds = v6scope::v1::TestKind_descriptor();
  for (int i = 0; i < kinds->value_count(); ++i) {
    const std::string name = kinds->value(i)->name();
    v6scope::v1::StoredRun stored;
    stored.mutable_run()->add_tests()->set_kind(
        static_cast<v6scope::v1::TestKind>(kinds->value(i)->number()));
    std::string csv;
    AppendRunRecords(stored, ExportFormat::kCsv, &csv);
    EXPECT_EQ(Fields(csv)[16], name);
    std::string jsonl;
    AppendRunRecords(stored, ExportFormat::kJsonLines, &jsonl);
    if (kinds->value(i)->number() == 0) continue;  // Default: not printed.
    EXPECT_NE(jsonl.find("\"kind\":\"" + name + "\""), std::string::npos)
        << jsonl;
  }
}

TEST(ExportFormatTest, AggregateRowsMatchTheHeaderAndHideInsufficientGroups) {
  v6scope::v1::AggregateExportRecord record;
  record.set_group_by("country");
  record.set_window("week");
  record.set_min_probes(3);
  record.set_methodology_version("verdict 1, aggregation 1");
  record.set_datasets("none");
  v6scope::v1::GroupAggregate* g = record.mutable_group();
  g->set_key("KE");
  g->set_probes(10);
  g->mutable_v6_capable()->set_count(8);
  g->mutable_v6_capable()->set_total(10);
  g->mutable_v6_capable()->set_value(0.8);
  const size_t columns = Fields(AggregatesCsvHeader()).size();
  std::string csv;
  AppendAggregateRecord(record, ExportFormat::kCsv, &csv);
  std::vector<std::string> f = Fields(csv);
  ASSERT_EQ(f.size(), columns) << csv;
  EXPECT_EQ(f[4], "KE");
  EXPECT_EQ(f[6], "false");
  EXPECT_EQ(f[7], "10");
  EXPECT_EQ(f[10], "8");
  EXPECT_EQ(f[11], "0.8");

  g->Clear();
  g->set_key("FJ");
  g->set_insufficient_data(true);
  csv.clear();
  AppendAggregateRecord(record, ExportFormat::kCsv, &csv);
  f = Fields(csv);
  ASSERT_EQ(f.size(), columns) << csv;
  EXPECT_EQ(f[6], "true");
  for (size_t i = 7; i < 37; ++i) EXPECT_EQ(f[i], "") << "column " << i;
}

// The column of `name` in `header`; fails the test if absent.
size_t Column(const std::string& header, const std::string& name) {
  const std::vector<std::string> columns = Fields(header);
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

TEST(ExportFormatTest, RunRowsCarryTheirOwnVersionAndExplanations) {
  v6scope::v1::StoredRun stored;
  stored.set_probe_id("p-2");
  v6scope::v1::Verdict* verdict = stored.mutable_run()->mutable_verdict();
  verdict->set_capability(v6scope::v1::V6_ONLY);
  verdict->add_root_causes(v6scope::v1::NAT64_BROKEN);
  verdict->set_methodology_version("2");
  v6scope::v1::Explanation* e = verdict->add_explanations();
  e->set_label("V6_ONLY");
  e->set_text("no IPv4 address; IPv6 fetches worked");
  e = verdict->add_explanations();
  e->set_label("NAT64_BROKEN");
  e->set_text(
      "fetches through the NAT64 prefix 64:ff9b::/96 failed (network "
      "unreachable), \"quoted\"");
  stored.mutable_run()->add_tests()->set_kind(v6scope::v1::HTTP_NAT64);
  stored.mutable_run()->add_tests()->set_kind(v6scope::v1::DNS_AAAA);
  std::string csv;
  AppendRunRecords(stored, ExportFormat::kCsv, &csv);
  const std::vector<std::string> rows =
      absl::StrSplit(csv, "\r\n", absl::SkipEmpty());
  ASSERT_EQ(rows.size(), 2u);
  const std::string header = RunsCsvHeader();
  for (const std::string& row : rows) {
    const std::vector<std::string> f = Fields(row);
    ASSERT_EQ(f.size(), Fields(header).size()) << row;
    EXPECT_EQ(f[Column(header, "methodology_version")], "2");
    EXPECT_EQ(f[Column(header, "root_causes")], "NAT64_BROKEN");
    EXPECT_EQ(f[Column(header, "explanations")],
              "V6_ONLY: no IPv4 address; IPv6 fetches worked | NAT64_BROKEN: "
              "fetches through the NAT64 prefix 64:ff9b::/96 failed (network "
              "unreachable), \"quoted\"");
  }
  EXPECT_EQ(Fields(rows[0])[Column(header, "test_kind")], "HTTP_NAT64");

  // The formula guard applies to the joined cell.
  verdict->clear_explanations();
  e = verdict->add_explanations();
  e->set_label("=CMD()");
  e->set_text("x");
  stored.mutable_run()->clear_tests();
  csv.clear();
  AppendRunRecords(stored, ExportFormat::kCsv, &csv);
  EXPECT_EQ(Fields(csv)[Column(header, "explanations")], "'=CMD(): x");
  // A methodology 1 verdict has none: an empty cell.
  verdict->clear_explanations();
  verdict->set_methodology_version("1");
  csv.clear();
  AppendRunRecords(stored, ExportFormat::kCsv, &csv);
  EXPECT_EQ(Fields(csv)[Column(header, "explanations")], "");
  EXPECT_EQ(Fields(csv)[Column(header, "methodology_version")], "1");

  // JSON Lines: the verdict as stored, explanations an array.
  verdict->set_methodology_version("2");
  e = verdict->add_explanations();
  e->set_label("V6_ONLY");
  e->set_text("seen");
  std::string jsonl;
  AppendRunRecords(stored, ExportFormat::kJsonLines, &jsonl);
  EXPECT_NE(jsonl.find("\"methodology_version\":\"2\""), std::string::npos)
      << jsonl;
  EXPECT_NE(jsonl.find("\"explanations\":[{\"label\":\"V6_ONLY\",\"text\":"
                       "\"seen\"}]"),
            std::string::npos)
      << jsonl;
}

TEST(ExportFormatTest, AggregateRowsHaveV4BrokenEveryCauseAndVersions) {
  const std::string header = AggregatesCsvHeader();
  // A column quartet for every root cause but the unspecified one.
  const auto* causes = v6scope::v1::RootCause_descriptor();
  for (int i = 0; i < causes->value_count(); ++i) {
    if (causes->value(i)->number() == 0) continue;
    std::string name = "cause_" + causes->value(i)->name();
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    for (const char* part : {"", "_share", "_ci_low", "_ci_high"}) {
      Column(header, name + part);
    }
  }
  v6scope::v1::AggregateExportRecord record;
  v6scope::v1::GroupAggregate* g = record.mutable_group();
  g->set_key("KE");
  g->set_probes(14);
  g->set_measured_probes(14);
  g->mutable_v4_broken()->set_count(1);
  g->mutable_v4_broken()->set_total(14);
  g->mutable_v4_broken()->set_value(1.0 / 14);
  g->mutable_v4_broken()->set_ci_low(0.0127);
  g->mutable_v4_broken()->set_ci_high(0.3147);
  v6scope::v1::CauseCount* c = g->add_causes();
  c->set_cause(v6scope::v1::NAT64_BROKEN);
  c->set_probes(2);
  c->mutable_share()->set_count(2);
  c->mutable_share()->set_total(14);
  c->mutable_share()->set_value(2.0 / 14);
  c->mutable_share()->set_ci_low(0.04);
  c->mutable_share()->set_ci_high(0.4);
  v6scope::v1::MethodologyCount* m = g->add_methodology_versions();
  m->set_version("1");
  m->set_probes(10);
  m = g->add_methodology_versions();
  m->set_version("2");
  m->set_probes(4);
  std::string csv;
  AppendAggregateRecord(record, ExportFormat::kCsv, &csv);
  std::vector<std::string> f = Fields(csv);
  ASSERT_EQ(f.size(), Fields(header).size()) << csv;
  EXPECT_EQ(f[Column(header, "v4_broken")], "1");
  EXPECT_EQ(f[Column(header, "v4_broken_ci_high")], "0.3147");
  EXPECT_EQ(f[Column(header, "cause_nat64_broken")], "2");
  EXPECT_EQ(f[Column(header, "cause_nat64_broken_ci_low")], "0.04");
  EXPECT_EQ(f[Column(header, "cause_nat64_broken_ci_high")], "0.4");
  // An absent cause: 0 of 14, Wilson [0, z^2 / (14 + z^2)].
  EXPECT_EQ(f[Column(header, "cause_v6_blackhole")], "0");
  EXPECT_EQ(f[Column(header, "cause_v6_blackhole_share")], "0");
  EXPECT_EQ(f[Column(header, "cause_v6_blackhole_ci_low")], "0");
  EXPECT_EQ(f[Column(header, "cause_v6_blackhole_ci_high")], "0.215311");
  EXPECT_EQ(f[Column(header, "methodology_versions")], "1=10;2=4");

  g->set_insufficient_data(true);
  csv.clear();
  AppendAggregateRecord(record, ExportFormat::kCsv, &csv);
  f = Fields(csv);
  EXPECT_EQ(f[Column(header, "v4_broken")], "");
  EXPECT_EQ(f[Column(header, "cause_nat64_broken_share")], "");
  EXPECT_EQ(f[Column(header, "methodology_versions")], "");
}

TEST(ExportFormatTest, FormatNames) {
  EXPECT_EQ(ParseExportFormat("CSV"), ExportFormat::kCsv);
  EXPECT_EQ(ParseExportFormat("ndjson"), ExportFormat::kJsonLines);
  EXPECT_EQ(ParseExportFormat("xml"), std::nullopt);
}

}  // namespace
}  // namespace v6scope::api
