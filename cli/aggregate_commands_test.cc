#include "cli/aggregate_commands.h"

#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace v6scope::cli {
namespace {

v6scope::v1::Share MakeShare(uint32_t count, uint32_t total, double low,
                             double high) {
  v6scope::v1::Share share;
  share.set_count(count);
  share.set_total(total);
  share.set_value(static_cast<double>(count) / total);
  share.set_ci_low(low);
  share.set_ci_high(high);
  return share;
}

TEST(AggregatesTableTest, ShowsV4BrokenVersionsAndCauseShares) {
  v6scope::v1::AggregatesResponse response;
  response.set_min_probes(3);
  v6scope::v1::GroupAggregate* g = response.add_groups();
  g->set_key("KE");
  g->set_probes(4);
  g->set_runs(9);
  g->set_measured_probes(4);
  *g->mutable_v4_broken() = MakeShare(1, 4, 0.046, 0.699);
  v6scope::v1::CauseCount* c = g->add_causes();
  c->set_cause(v6scope::v1::V6_BLACKHOLE);
  c->set_probes(1);
  *c->mutable_share() = MakeShare(1, 4, 0.046, 0.699);
  c = g->add_causes();
  c->set_cause(v6scope::v1::NAT64_BROKEN);
  c->set_probes(2);  // From a collector without per-cause shares.
  v6scope::v1::MethodologyCount* m = g->add_methodology_versions();
  m->set_version("1");
  m->set_probes(1);
  m = g->add_methodology_versions();
  m->set_version("2");
  m->set_probes(3);
  v6scope::v1::GroupAggregate* hidden = response.add_groups();
  hidden->set_key("FJ");
  hidden->set_insufficient_data(true);
  const std::string text = AggregatesTable(response, v6scope::v1::COUNTRY)
                               .Render(OutputFormat::kJson);
  EXPECT_NE(text.find("\"v4_broken\":\"25% (5–70%)\""), std::string::npos)
      << text;
  EXPECT_NE(text.find("\"versions\":\"1=1;2=3\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"causes\":\"V6_BLACKHOLE 25% (5–70%); NAT64_BROKEN 2 "
                      "probes\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\"key\":\"FJ\",\"name\":\"\",\"probes\":\"<3\""),
            std::string::npos)
      << text;
}

TEST(AggregatesTableTest, EmptyWindowSaysWhenTheLatestRunWas) {
  v6scope::v1::AggregatesResponse response;
  EXPECT_EQ(AggregatesTable(response, v6scope::v1::COUNTRY)
                .Render(OutputFormat::kTable),
            "no data yet\n");
  response.mutable_latest_run_at()->set_seconds(1'796'601'234);
  response.mutable_latest_run_at()->set_nanos(5);
  EXPECT_EQ(AggregatesTable(response, v6scope::v1::COUNTRY)
                .Render(OutputFormat::kTable),
            "no data in this window (latest: 2026-12-06T23:53:54Z)\n");
}

TEST(AggregatesTableTest, NetworksHaveACountryAndSyntheticProbesANote) {
  v6scope::v1::AggregatesResponse response;
  v6scope::v1::GroupAggregate* g = response.add_groups();
  g->set_key("33771");
  g->set_name("SAFARICOM-LIMITED");
  g->set_country("KE");
  g->set_probes(8);
  g->set_synthetic_probes(8);
  const std::string text =
      AggregatesTable(response, v6scope::v1::ASN).Render(OutputFormat::kTable);
  EXPECT_EQ(text.substr(0, text.find("  probes")),
            "window      key    name               country");
  EXPECT_NE(text.find("SAFARICOM-LIMITED  KE       8"), std::string::npos)
      << text;
  EXPECT_NE(text.find("note: includes synthetic sample probes (up to 8 in a "
                      "group; v6scope-collector sample-data)"),
            std::string::npos)
      << text;
}

TEST(AllocationsTableTest, MissingRegistrySaysSoInsteadOfAnEmptyTable) {
  v6scope::v1::ListAllocationsResponse response;
  response.add_notes("no AFRINIC data loaded");
  std::ostringstream out, err;
  const Table table = AllocationsTable(response, out, err);
  EXPECT_EQ(table.columns(), 0u);
  EXPECT_EQ(out.str(), "no AFRINIC data loaded\n");
  EXPECT_EQ(err.str(), "");
}

TEST(AllocationsTableTest, NotesBesideRowsGoToStderr) {
  v6scope::v1::ListAllocationsResponse response;
  v6scope::v1::CountryAllocations* ke = response.add_allocations();
  ke->set_country("KE");
  ke->set_delegations(2);
  response.add_notes("attribution data incomplete");
  std::ostringstream out, err;
  const Table table = AllocationsTable(response, out, err);
  EXPECT_EQ(table.rows(), 1u);
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(err.str(), "note: attribution data incomplete\n");
}

TEST(AllocationsTableTest, NoRowsAndNoNotesIsAnEmptyTable) {
  std::ostringstream out, err;
  const Table table =
      AllocationsTable(v6scope::v1::ListAllocationsResponse(), out, err);
  EXPECT_EQ(table.columns(), 5u);
  EXPECT_EQ(table.rows(), 0u);
}

}  // namespace
}  // namespace v6scope::cli
