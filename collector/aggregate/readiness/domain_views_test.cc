#include "collector/aggregate/readiness/domain_views.h"

#include <string>
#include <vector>

#include "collector/aggregate/readiness/consensus.h"
#include "collector/aggregate/readiness/options.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/aggregate/readiness/test_results.h"
#include "gtest/gtest.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::aggregate::readiness {
namespace {

using v6scope::v1::AAAA_UNREACHABLE;
using v6scope::v1::BROKEN_V4;
using v6scope::v1::NO_AAAA;
using v6scope::v1::SERVICE_STATE_UNSPECIFIED;
using v6scope::v1::ServiceState;
using v6scope::v1::SERVING_V6;
using v6scope::v1::TLS_FAILS_V6;

// One result per state, each from its own network of `country`.
std::vector<ReadinessResult> Country(const std::string& country,
                                     const std::string& domain,
                                     const std::vector<ServiceState>& web) {
  std::vector<ReadinessResult> results;
  uint32_t asn = country == "KE" ? 100 : country == "FR" ? 200 : 300;
  for (ServiceState state : web) {
    results.push_back(MakeResult(1, country, ++asn, domain, state));
  }
  return results;
}

std::vector<ReadinessResult> Join(
    const std::vector<std::vector<ReadinessResult>>& parts) {
  std::vector<ReadinessResult> all;
  for (const auto& part : parts)
    all.insert(all.end(), part.begin(), part.end());
  return all;
}

std::vector<Disagreement> Find(const std::vector<ReadinessResult>& results,
                               uint32_t k = 2) {
  ReadinessAggregateOptions options;
  options.min_networks = k;
  options.dataset_version = "ds";
  auto found = FindDisagreements(RebuildReadinessRollups(results), options);
  EXPECT_TRUE(found.ok()) << found.status();
  return found.ok() ? *found : std::vector<Disagreement>{};
}

TEST(DomainViewsTest, ViewHasCountsConsensusAndNetworks) {
  ReadinessAggregateOptions options;
  options.min_networks = 2;
  auto views =
      ComputeDomainViews(RebuildReadinessRollups(Country(
                             "KE", "a.ke", {SERVING_V6, SERVING_V6, NO_AAAA})),
                         options);
  ASSERT_TRUE(views.ok());
  ASSERT_EQ(views->size(), 1u);
  const DomainView& v = (*views)[0];
  EXPECT_FALSE(v.withheld);
  EXPECT_EQ(v.results, 3u);
  EXPECT_EQ(v.networks, 3u);
  EXPECT_EQ(v.counts[0][SERVING_V6], 2u);
  EXPECT_EQ(v.of(Service::kWeb).state, SERVING_V6);
  EXPECT_EQ(v.of(Service::kDns).kind, ConsensusKind::kUntested);
  EXPECT_EQ(v.provenance.methodology_version, "readiness 1");
}

TEST(DomainViewsTest, ViewFromFewerThanKNetworksIsWithheld) {
  ReadinessAggregateOptions options;  // k = 3.
  auto views = ComputeDomainViews(
      RebuildReadinessRollups(Country("KE", "a.ke", {SERVING_V6, SERVING_V6})),
      options);
  ASSERT_TRUE(views.ok());
  ASSERT_EQ(views->size(), 1u);
  EXPECT_TRUE((*views)[0].withheld);
  EXPECT_FALSE((*views)[0].withheld_reason.empty());
  EXPECT_EQ((*views)[0].results, 0u);
  EXPECT_EQ((*views)[0].of(Service::kWeb).kind, ConsensusKind::kUntested);
}

struct Case {
  std::string name;
  std::vector<ReadinessResult> results;
  bool disagree;
  std::vector<std::string> countries;  // Listed, in order.
  uint32_t withheld = 0;
};

TEST(DisagreementsTest, Rules) {
  const std::vector<Case> cases = {
      {"same state everywhere",
       Join({Country("KE", "a.gov", {SERVING_V6, SERVING_V6}),
             Country("FR", "a.gov", {SERVING_V6, SERVING_V6})}),
       false,
       {}},
      {"ready from one country, broken from another",
       Join({Country("KE", "a.gov", {AAAA_UNREACHABLE, AAAA_UNREACHABLE}),
             Country("FR", "a.gov", {SERVING_V6, SERVING_V6})}),
       true,
       {"FR", "KE"}},
      {"down over IPv4 from one country only is a finding",
       Join({Country("KE", "a.gov", {BROKEN_V4, BROKEN_V4}),
             Country("FR", "a.gov", {SERVING_V6, SERVING_V6})}),
       true,
       {"FR", "KE"}},
      {"a split country makes none but is listed",
       Join({Country("KE", "a.gov", {SERVING_V6, NO_AAAA}),
             Country("FR", "a.gov", {SERVING_V6, SERVING_V6}),
             Country("JP", "a.gov", {TLS_FAILS_V6, TLS_FAILS_V6})}),
       true,
       {"FR", "JP", "KE"}},
      {"split and a state is no disagreement",
       Join({Country("KE", "a.gov", {SERVING_V6, NO_AAAA}),
             Country("FR", "a.gov", {SERVING_V6, SERVING_V6})}),
       false,
       {}},
      {"untested country is not listed",
       Join({Country("KE", "a.gov",
                     {SERVICE_STATE_UNSPECIFIED, SERVICE_STATE_UNSPECIFIED}),
             Country("FR", "a.gov", {SERVING_V6, SERVING_V6}),
             Country("JP", "a.gov", {NO_AAAA, NO_AAAA})}),
       true,
       {"FR", "JP"}},
      {"a withheld country is counted, not listed",
       Join({Country("KE", "a.gov", {AAAA_UNREACHABLE}),
             Country("FR", "a.gov", {SERVING_V6, SERVING_V6}),
             Country("JP", "a.gov", {NO_AAAA, NO_AAAA})}),
       true,
       {"FR", "JP"},
       1},
      {"a withheld country cannot make one",
       Join({Country("KE", "a.gov", {AAAA_UNREACHABLE}),
             Country("FR", "a.gov", {SERVING_V6, SERVING_V6})}),
       false,
       {}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::vector<Disagreement> found = Find(c.results);
    ASSERT_EQ(found.size(), c.disagree ? 1u : 0u);
    if (!c.disagree) continue;
    const Disagreement& d = found[0];
    EXPECT_EQ(d.service, Service::kWeb);
    EXPECT_EQ(d.domain, "a.gov");
    EXPECT_EQ(d.campaign_id, "c-1");
    EXPECT_EQ(d.round, 1u);
    EXPECT_EQ(d.sector, "government");
    EXPECT_EQ(d.withheld_countries, c.withheld);
    EXPECT_EQ(d.provenance.dataset_version, "ds");
    std::vector<std::string> countries;
    for (const CountryState& s : d.countries) countries.push_back(s.country);
    EXPECT_EQ(countries, c.countries);
  }
}

TEST(DisagreementsTest, ListsEachCountrysStateAndServices) {
  std::vector<ReadinessResult> results;
  for (uint32_t asn : {1u, 2u}) {
    results.push_back(
        MakeResult(1, "KE", asn, "a.gov", SERVING_V6, NO_AAAA, SERVING_V6));
    results.push_back(MakeResult(1, "FR", 10 + asn, "a.gov", AAAA_UNREACHABLE,
                                 NO_AAAA, NO_AAAA));
  }
  const std::vector<Disagreement> found = Find(results);
  ASSERT_EQ(found.size(), 2u);  // Web and mail; DNS agrees.
  EXPECT_EQ(found[0].service, Service::kWeb);
  EXPECT_EQ(found[1].service, Service::kMail);
  ASSERT_EQ(found[0].countries.size(), 2u);
  EXPECT_EQ(found[0].countries[0].country, "FR");
  EXPECT_EQ(found[0].countries[0].consensus.state, AAAA_UNREACHABLE);
  EXPECT_EQ(found[0].countries[0].networks, 2u);
  EXPECT_EQ(found[0].countries[1].consensus.state, SERVING_V6);
  EXPECT_EQ(found[0].countries[1].consensus.votes, 2u);
}

TEST(DisagreementsTest, RoundsAndSectorsAreNotCompared) {
  std::vector<ReadinessResult> results =
      Country("KE", "a.gov", {SERVING_V6, SERVING_V6});
  for (ReadinessResult r : Country("FR", "a.gov", {NO_AAAA, NO_AAAA})) {
    r.round = 2;
    results.push_back(r);
    r.round = 1;
    r.sector = "banking";
    results.push_back(r);
  }
  EXPECT_TRUE(Find(results).empty());
}

}  // namespace
}  // namespace v6scope::collector::aggregate::readiness
