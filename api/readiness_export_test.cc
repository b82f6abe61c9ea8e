#include "api/readiness_export.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace v6scope::api {
namespace {

v6scope::v1::ReadinessProvenance Provenance() {
  v6scope::v1::ReadinessProvenance p;
  p.set_methodology_version("readiness 1");
  p.set_aggregation_version("readiness aggregates 1");
  p.set_dataset_version("ds-1");
  p.set_min_networks(3);
  return p;
}

size_t Columns(absl::string_view line) {
  return std::vector<std::string>(absl::StrSplit(line, ',')).size();
}

v6scope::v1::ServiceSharesResponse Shares() {
  v6scope::v1::ServiceSharesResponse r;
  v6scope::v1::ServiceShareCell* ke = r.add_cells();
  ke->set_campaign_id("c1");
  ke->set_round(2);
  ke->set_country("KE");
  ke->set_sector("government");
  ke->set_service("web");
  ke->set_networks(3);
  ke->set_domains(2);
  ke->set_n(2);
  for (int s = v6scope::v1::NO_SERVICE; s <= v6scope::v1::BROKEN_V4; ++s) {
    v6scope::v1::ServiceStateShare* share = ke->add_shares();
    share->set_state(static_cast<v6scope::v1::ServiceState>(s));
    if (s == v6scope::v1::SERVING_V6) {
      share->set_domains(1);
      share->set_value(0.5);
      share->set_ci_low(0.1);
      share->set_ci_high(0.9);
    }
  }
  *ke->mutable_provenance() = Provenance();
  v6scope::v1::ServiceShareCell* ug = r.add_cells();
  ug->set_campaign_id("c1");
  ug->set_round(2);
  ug->set_country("UG");
  ug->set_service("web");
  ug->set_withheld(true);
  ug->set_withheld_reason("withheld: measured from fewer than k = 3");
  *ug->mutable_provenance() = Provenance();
  return r;
}

TEST(ReadinessExportTest, SharesCsvRowsMatchTheHeaderAndCarryProvenance) {
  const std::string csv = ServiceSharesExport(Shares(), ExportFormat::kCsv);
  std::vector<std::string> lines = absl::StrSplit(csv, '\n');
  ASSERT_EQ(lines.size(), 4u);  // Header, two rows, "".
  EXPECT_EQ(Columns(lines[0]), Columns(lines[1]));
  EXPECT_EQ(Columns(lines[0]), Columns(lines[2]));
  EXPECT_TRUE(absl::StrContains(lines[0], "serving_v6_share"));
  EXPECT_TRUE(absl::StrContains(lines[1], ",1,0.5,0.1,0.9,"));
  EXPECT_TRUE(absl::StrContains(lines[1],
                                "readiness 1,readiness aggregates 1,ds-1,3,"));
  // Withheld: no number, not even the networks.
  EXPECT_TRUE(absl::StartsWith(lines[2], "c1,2,UG,,web,true,,,,,,"));
  EXPECT_TRUE(absl::StrContains(lines[2], "ds-1"));
}

TEST(ReadinessExportTest, SharesJsonLinesOneCellALine) {
  const std::string jsonl =
      ServiceSharesExport(Shares(), ExportFormat::kJsonLines);
  std::vector<std::string> lines = absl::StrSplit(jsonl, '\n');
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(absl::StartsWith(lines[0], "{\"campaign_id\":\"c1\""));
  EXPECT_TRUE(absl::StrContains(lines[1], "\"dataset_version\":\"ds-1\""));
}

TEST(ReadinessExportTest, DomainRowsPerViewAndService) {
  v6scope::v1::DomainReadinessResponse r;
  v6scope::v1::DomainReadiness* d = r.add_domains();
  d->set_campaign_id("c1");
  d->set_round(1);
  d->set_sector("government");
  d->set_domain("a.ke");
  *d->mutable_provenance() = Provenance();
  v6scope::v1::CountryReadinessView* ke = d->add_countries();
  ke->set_country("KE");
  ke->set_results(3);
  ke->set_networks(3);
  for (const char* service : {"web", "dns", "mail"}) {
    v6scope::v1::ServiceConsensus* s = ke->add_services();
    s->set_service(service);
    s->set_kind("state");
    s->set_state(v6scope::v1::SERVING_V6);
  }
  v6scope::v1::CountryReadinessView* ug = d->add_countries();
  ug->set_country("UG");
  ug->set_withheld(true);
  d->add_disagreements()->set_service("web");
  const std::string csv = DomainReadinessExport(r, ExportFormat::kCsv);
  std::vector<std::string> lines = absl::StrSplit(csv, '\n');
  ASSERT_EQ(lines.size(), 6u);  // Header, 3 KE services, UG withheld, "".
  for (int i = 1; i <= 4; ++i) {
    EXPECT_EQ(Columns(lines[0]), Columns(lines[i])) << lines[i];
  }
  EXPECT_TRUE(absl::StrContains(lines[1], ",web,false,3,3,state,SERVING_V6,"));
  EXPECT_TRUE(absl::StrContains(lines[1], ",true,"));  // Disagreement.
  EXPECT_TRUE(absl::StrContains(lines[4], "UG,,true,"));
}

TEST(ReadinessExportTest, ChangeRowsPerDomainOrOneWhenNone) {
  v6scope::v1::ServiceChangesResponse r;
  v6scope::v1::ServiceChangeRecord* ke = r.add_changes();
  ke->set_campaign_id("c1");
  ke->set_previous_round(1);
  ke->set_round(2);
  ke->set_country("KE");
  ke->set_service("web");
  ke->set_compared(2);
  v6scope::v1::ReadinessDomainChange* g = ke->add_gained();
  g->set_sector("government");
  g->set_domain("b.ke");
  g->set_before(v6scope::v1::NO_AAAA);
  g->set_after(v6scope::v1::SERVING_V6);
  *ke->mutable_provenance() = Provenance();
  v6scope::v1::ServiceChangeRecord* ug = r.add_changes();
  ug->set_campaign_id("c1");
  ug->set_country("UG");
  *ug->mutable_provenance() = Provenance();
  const std::string csv = ServiceChangesExport(r, ExportFormat::kCsv);
  std::vector<std::string> lines = absl::StrSplit(csv, '\n');
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(Columns(lines[0]), Columns(lines[1]));
  EXPECT_EQ(Columns(lines[0]), Columns(lines[2]));
  EXPECT_TRUE(absl::StrContains(
      lines[1],
      "c1,1,2,KE,web,2,0,gained,government,b.ke,NO_AAAA,SERVING_V6,"));
  EXPECT_TRUE(absl::StrContains(lines[2], ",,,,,"));
}

}  // namespace
}  // namespace v6scope::api
