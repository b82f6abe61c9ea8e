#include "cli/services_commands.h"

#include <string>

#include "absl/strings/match.h"
#include "cli/table.h"
#include "gtest/gtest.h"

namespace v6scope::cli {
namespace {

ServicesOptions Campaign() {
  ServicesOptions o;
  o.campaign = "c1";
  return o;
}

TEST(ServicesParamsTest, FlagsBecomeTheApiParameters) {
  ServicesOptions o = Campaign();
  o.round = 3;
  o.country = "KE";
  o.sector = "health";
  o.service = "mail";
  absl::StatusOr<api::Params> p = ServicesParams("shares", o);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, (api::Params{{"campaign_id", "c1"},
                             {"round", "3"},
                             {"country", "KE"},
                             {"sector", "health"},
                             {"service", "mail"}}));
  o.from_round = 1;
  p = ServicesParams("changes", o);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->at("to_round"), "3");
  EXPECT_EQ(p->at("from_round"), "1");
  EXPECT_EQ(p->count("round"), 0u);
}

TEST(ServicesParamsTest, BadFlagsSayWhichInOneLine) {
  EXPECT_EQ(ServicesParams("shares", {}).status().message(),
            "--campaign=ID is required");
  ServicesOptions o = Campaign();
  o.service = "ftp";
  EXPECT_EQ(ServicesParams("shares", o).status().message(),
            "--service: expected web, dns or mail, got 'ftp'");
  o = Campaign();
  o.round = 2;
  EXPECT_TRUE(absl::StartsWith(ServicesParams("series", o).status().message(),
                               "--round"));
  o = Campaign();
  o.domain = "a.ke";
  EXPECT_TRUE(absl::StartsWith(ServicesParams("shares", o).status().message(),
                               "--domain"));
  EXPECT_TRUE(absl::StartsWith(
      ServicesParams("nope", Campaign()).status().message(), "usage:"));
}

v6scope::v1::ServiceShareCell Cell(const std::string& country, bool withheld) {
  v6scope::v1::ServiceShareCell c;
  c.set_country(country);
  c.set_sector("government");
  c.set_service("web");
  c.set_withheld(withheld);
  if (withheld) return c;
  c.set_networks(3);
  c.set_n(3);
  for (int s = v6scope::v1::NO_SERVICE; s <= v6scope::v1::BROKEN_V4; ++s) {
    v6scope::v1::ServiceStateShare* share = c.add_shares();
    share->set_state(static_cast<v6scope::v1::ServiceState>(s));
    if (s == v6scope::v1::SERVING_V6) {
      share->set_domains(2);
      share->set_value(0.5);
      share->set_ci_low(0.15);
      share->set_ci_high(0.85);
    }
    if (s == v6scope::v1::BROKEN_V4) share->set_domains(1);
  }
  return c;
}

TEST(ServicesTablesTest, SharesShowStatesAndWithheldCells) {
  v6scope::v1::ServiceSharesResponse r;
  r.set_round(2);
  r.set_methodology_version("readiness 1");
  r.set_aggregation_version("readiness aggregates 1");
  r.set_dataset_version("none");
  r.set_min_networks(3);
  *r.add_cells() = Cell("KE", false);
  *r.add_cells() = Cell("UG", true);
  const std::string json = ServiceSharesTable(r).Render(OutputFormat::kJson);
  EXPECT_TRUE(absl::StrContains(json, "\"serving_v6\":\"2 50% (15–85%)\""))
      << json;
  EXPECT_TRUE(absl::StrContains(json, "\"other\":1")) << json;
  EXPECT_TRUE(absl::StrContains(json,
                                "\"country\":\"UG\",\"sector\":"
                                "\"government\",\"service\":\"web\","
                                "\"networks\":\"withheld\""))
      << json;
  const std::string text = ServiceSharesTable(r).Render(OutputFormat::kTable);
  EXPECT_TRUE(absl::StrContains(
      text,
      "round 2; readiness 1, readiness aggregates 1, datasets none, "
      "k = 3 networks"))
      << text;
}

TEST(ServicesTablesTest, DomainsShowConsensusAndDisagreements) {
  v6scope::v1::DomainReadinessResponse r;
  v6scope::v1::DomainReadiness* d = r.add_domains();
  d->set_sector("government");
  d->set_domain("a.ke");
  v6scope::v1::CountryReadinessView* ke = d->add_countries();
  ke->set_country("KE");
  ke->set_networks(3);
  const char* kinds[] = {"state", "split", "untested"};
  for (const char* kind : kinds) {
    v6scope::v1::ServiceConsensus* s = ke->add_services();
    s->set_kind(kind);
    s->set_state(std::string(kind) == "state"
                     ? v6scope::v1::SERVING_V6
                     : v6scope::v1::SERVICE_STATE_UNSPECIFIED);
  }
  d->add_countries()->set_country("UG");
  d->mutable_countries(1)->set_withheld(true);
  d->add_disagreements()->set_service("web");
  const std::string csv = DomainReadinessTable(r).Render(OutputFormat::kCsv);
  EXPECT_TRUE(
      absl::StrContains(csv, "government,a.ke,KE,3,SERVING_V6,split,-,web\r\n"))
      << csv;
  EXPECT_TRUE(absl::StrContains(csv, "government,a.ke,UG,withheld,,,,web\r\n"))
      << csv;
}

TEST(ServicesTablesTest, ChangesListGainedAndLost) {
  v6scope::v1::ServiceChangesResponse r;
  r.set_from_round(1);
  r.set_to_round(2);
  v6scope::v1::ServiceChangeRecord* c = r.add_changes();
  c->set_country("KE");
  c->set_service("web");
  c->set_compared(5);
  v6scope::v1::ReadinessDomainChange* g = c->add_gained();
  g->set_sector("health");
  g->set_domain("b.ke");
  g->set_before(v6scope::v1::NO_AAAA);
  g->set_after(v6scope::v1::SERVING_V6);
  v6scope::v1::ReadinessDomainChange* l = c->add_lost();
  l->set_sector("health");
  l->set_domain("c.ke");
  l->set_before(v6scope::v1::SERVING_V6);
  l->set_after(v6scope::v1::AAAA_UNREACHABLE);
  const std::string csv = ServiceChangesTable(r).Render(OutputFormat::kCsv);
  EXPECT_TRUE(absl::StrContains(
      csv, "KE,web,gained,health,b.ke,NO_AAAA,SERVING_V6\r\n"))
      << csv;
  EXPECT_TRUE(absl::StrContains(
      csv, "KE,web,lost,health,c.ke,SERVING_V6,AAAA_UNREACHABLE\r\n"))
      << csv;
  const std::string text = ServiceChangesTable(r).Render(OutputFormat::kTable);
  EXPECT_TRUE(absl::StrContains(text, "round 1 -> 2: 5 domain-services"))
      << text;
}

}  // namespace
}  // namespace v6scope::cli
