#include "collector/aggregate/readiness/shares.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "collector/aggregate/readiness/options.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/aggregate/readiness/test_results.h"
#include "collector/aggregate/wilson.h"
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

// Three KE networks (ASNs 1, 2, 3) measured every domain.
std::vector<ReadinessResult> ThreeNetworks(const std::string& domain,
                                           ServiceState a, ServiceState b,
                                           ServiceState c) {
  return {MakeResult(1, "KE", 1, domain, a), MakeResult(1, "KE", 2, domain, b),
          MakeResult(1, "KE", 3, domain, c)};
}

std::vector<ReadinessResult> Join(
    const std::vector<std::vector<ReadinessResult>>& parts) {
  std::vector<ReadinessResult> all;
  for (const auto& part : parts)
    all.insert(all.end(), part.begin(), part.end());
  return all;
}

std::vector<ShareCell> Cells(const std::vector<ReadinessResult>& results,
                             ReadinessAggregateOptions options = {}) {
  absl::StatusOr<std::vector<ShareCell>> cells =
      ComputeShares(RebuildReadinessRollups(results), options);
  EXPECT_TRUE(cells.ok()) << cells.status();
  return cells.ok() ? *cells : std::vector<ShareCell>{};
}

struct Case {
  std::string name;
  std::vector<ReadinessResult> results;
  uint64_t domains, n, split, untested;
  std::map<ServiceState, uint64_t> states;  // The others: 0.
};

TEST(SharesTest, DenominatorIsDomainsWithAConsensus) {
  const std::vector<Case> cases = {
      {"unanimous domains",
       Join({ThreeNetworks("a.ke", SERVING_V6, SERVING_V6, SERVING_V6),
             ThreeNetworks("b.ke", NO_AAAA, NO_AAAA, NO_AAAA)}),
       2,
       2,
       0,
       0,
       {{SERVING_V6, 1}, {NO_AAAA, 1}}},
      {"one domain per consensus, not per probe",
       Join({ThreeNetworks("a.ke", SERVING_V6, SERVING_V6, AAAA_UNREACHABLE)}),
       1,
       1,
       0,
       0,
       {{SERVING_V6, 1}}},
      {"a split domain is out of n",
       Join({ThreeNetworks("a.ke", SERVING_V6, AAAA_UNREACHABLE,
                           SERVICE_STATE_UNSPECIFIED),
             ThreeNetworks("b.ke", NO_AAAA, NO_AAAA, NO_AAAA)}),
       2,
       1,
       1,
       0,
       {{NO_AAAA, 1}}},
      {"an untested domain is out of n",
       Join(
           {ThreeNetworks("a.ke", SERVICE_STATE_UNSPECIFIED,
                          SERVICE_STATE_UNSPECIFIED, SERVICE_STATE_UNSPECIFIED),
            ThreeNetworks("b.ke", SERVING_V6, SERVING_V6, SERVING_V6)}),
       2,
       1,
       0,
       1,
       {{SERVING_V6, 1}}},
      {"a broken-v4 consensus is in n",
       Join({ThreeNetworks("a.ke", BROKEN_V4, BROKEN_V4, BROKEN_V4),
             ThreeNetworks("b.ke", BROKEN_V4, BROKEN_V4, SERVING_V6)}),
       2,
       2,
       0,
       0,
       {{BROKEN_V4, 1}, {SERVING_V6, 1}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const std::vector<ShareCell> cells = Cells(c.results);
    ASSERT_EQ(cells.size(), 3u);  // web, dns, mail.
    const ShareCell& web = cells[0];
    ASSERT_EQ(web.service, Service::kWeb);
    ASSERT_FALSE(web.withheld);
    EXPECT_EQ(web.networks, 3u);
    EXPECT_EQ(web.domains, c.domains);
    EXPECT_EQ(web.n, c.n);
    EXPECT_EQ(web.split, c.split);
    EXPECT_EQ(web.untested, c.untested);
    ASSERT_EQ(web.shares.size(), 10u);
    for (const StateShare& s : web.shares) {
      auto it = c.states.find(s.state);
      const uint64_t want = it == c.states.end() ? 0 : it->second;
      EXPECT_EQ(s.domains, want) << s.state;
      EXPECT_DOUBLE_EQ(s.value, static_cast<double>(want) / c.n);
      const Interval ci = WilsonInterval(want, c.n);
      EXPECT_DOUBLE_EQ(s.ci.low, ci.low);
      EXPECT_DOUBLE_EQ(s.ci.high, ci.high);
    }
    // Nothing tested dns or mail here.
    EXPECT_EQ(cells[1].untested, c.domains);
    EXPECT_EQ(cells[1].n, 0u);
    EXPECT_EQ(cells[1].of(SERVING_V6).ci.high, 1.0);
  }
}

TEST(SharesTest, CellsBelowKNetworksAreWithheld) {
  struct KCase {
    std::string name;
    std::vector<uint32_t> asns;  // One result per entry.
    uint32_t k;
    bool withheld;
  };
  const std::vector<KCase> cases = {
      {"three networks, k 3", {1, 2, 3}, 3, false},
      {"two networks, k 3", {1, 2}, 3, true},
      {"many probes of two networks", {1, 1, 1, 2, 2, 2}, 3, true},
      {"unattributed probes are no network", {1, 2, 0, 0}, 3, true},
      {"k 1 publishes one network", {7}, 1, false},
      {"k 0 counts as 1", {7}, 0, false},
  };
  for (const KCase& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<ReadinessResult> results;
    for (uint32_t asn : c.asns) {
      results.push_back(MakeResult(1, "KE", asn, "a.ke", SERVING_V6));
    }
    ReadinessAggregateOptions options;
    options.min_networks = c.k;
    const std::vector<ShareCell> cells = Cells(results, options);
    ASSERT_EQ(cells.size(), 3u);
    EXPECT_EQ(cells[0].withheld, c.withheld);
    if (c.withheld) {
      EXPECT_EQ(cells[0].withheld_reason,
                "withheld: measured from fewer than k = 3 distinct probe "
                "networks (ASNs)");
      EXPECT_EQ(cells[0].n, 0u);
      EXPECT_EQ(cells[0].networks, 0u);
      EXPECT_TRUE(cells[0].shares.empty());
    } else {
      EXPECT_EQ(cells[0].of(SERVING_V6).domains, 1u);
    }
  }
}

TEST(SharesTest, CellNetworksAreUnitedOverItsDomains) {
  // No domain alone has 3 networks; the cell does.
  const std::vector<ShareCell> cells =
      Cells({MakeResult(1, "KE", 1, "a.ke", SERVING_V6),
             MakeResult(1, "KE", 2, "a.ke", SERVING_V6),
             MakeResult(1, "KE", 3, "b.ke", NO_AAAA)});
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_FALSE(cells[0].withheld);
  EXPECT_EQ(cells[0].networks, 3u);
  EXPECT_EQ(cells[0].n, 2u);
}

TEST(SharesTest, CellsPerCountrySectorAndServiceInOrder) {
  std::vector<ReadinessResult> results =
      Join({ThreeNetworks("a.ke", SERVING_V6, SERVING_V6, SERVING_V6)});
  for (ReadinessResult r : ThreeNetworks("a.ke", NO_AAAA, NO_AAAA, NO_AAAA)) {
    r.probe_country = "FR";
    results.push_back(r);
    r.sector = "banking";
    results.push_back(r);
    r.probe_country = "";  // Unattributed: in no country.
    results.push_back(r);
  }
  const std::vector<ShareCell> cells = Cells(results);
  ASSERT_EQ(cells.size(), 9u);
  EXPECT_EQ(cells[0].country, "FR");
  EXPECT_EQ(cells[0].sector, "banking");
  EXPECT_EQ(cells[3].country, "FR");
  EXPECT_EQ(cells[3].sector, "government");
  EXPECT_EQ(cells[6].country, "KE");
  EXPECT_EQ(cells[6].service, Service::kWeb);
  EXPECT_EQ(cells[7].service, Service::kDns);
  EXPECT_EQ(cells[8].service, Service::kMail);
  EXPECT_EQ(cells[6].of(SERVING_V6).domains, 1u);
}

TEST(SharesTest, EveryCellCarriesItsProvenance) {
  ReadinessAggregateOptions options;
  options.dataset_version = "2024-06-01T00:00:00Z#1234";
  options.min_networks = 4;
  const std::vector<ShareCell> cells =
      Cells(ThreeNetworks("a.ke", SERVING_V6, SERVING_V6, SERVING_V6), options);
  ASSERT_FALSE(cells.empty());
  for (const ShareCell& cell : cells) {
    EXPECT_EQ(cell.provenance.methodology_version, "readiness 1");
    EXPECT_EQ(cell.provenance.aggregation_version, "readiness aggregates 1");
    EXPECT_EQ(cell.provenance.dataset_version, "2024-06-01T00:00:00Z#1234");
    EXPECT_EQ(cell.provenance.min_networks, 4u);
  }
}

TEST(SharesTest, OnlyTheChosenMethodologyIsCounted) {
  std::vector<ReadinessResult> results =
      ThreeNetworks("a.ke", SERVING_V6, SERVING_V6, SERVING_V6);
  for (ReadinessResult r : ThreeNetworks("b.ke", NO_AAAA, NO_AAAA, NO_AAAA)) {
    r.methodology_version = "readiness 0";
    results.push_back(r);
  }
  const std::vector<ShareCell> cells = Cells(results);
  ASSERT_EQ(cells.size(), 3u);
  EXPECT_EQ(cells[0].domains, 1u);

  ReadinessAggregateOptions options;
  options.methodology_version = "readiness 0";
  absl::StatusOr<std::vector<ShareCell>> unknown =
      ComputeShares(RebuildReadinessRollups(results), options);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message(),
            "methodology: unknown readiness version 'readiness 0' (one of: "
            "readiness 1; empty for the current one)");
}

TEST(SharesTest, SeriesHasOnePointPerRoundWithheldOnesKept) {
  std::vector<ReadinessResult> results;
  for (uint32_t round : {3u, 1u, 2u}) {
    for (ReadinessResult r :
         ThreeNetworks("a.ke", round == 1 ? NO_AAAA : SERVING_V6, SERVING_V6,
                       SERVING_V6)) {
      r.round = round;
      // Round 2 is measured from one network only.
      if (round == 2) r.probe_asn = 9;
      results.push_back(r);
    }
  }
  ReadinessAggregateOptions options;
  options.dataset_version = "ds";
  absl::StatusOr<std::vector<ShareSeries>> series =
      ComputeShareSeries(RebuildReadinessRollups(results), options);
  ASSERT_TRUE(series.ok());
  ASSERT_EQ(series->size(), 3u);  // web, dns, mail of (c-1, KE, government).
  const ShareSeries& web = (*series)[0];
  EXPECT_EQ(web.service, Service::kWeb);
  EXPECT_EQ(web.country, "KE");
  EXPECT_EQ(web.provenance.dataset_version, "ds");
  ASSERT_EQ(web.points.size(), 3u);
  EXPECT_EQ(web.points[0].round, 1u);
  EXPECT_EQ(web.points[1].round, 2u);
  EXPECT_EQ(web.points[2].round, 3u);
  EXPECT_TRUE(web.points[1].withheld);
  EXPECT_DOUBLE_EQ(web.points[0].of(SERVING_V6).value,
                   1.0);  // Two probes of three.
  EXPECT_DOUBLE_EQ(web.points[2].of(SERVING_V6).value, 1.0);
}

}  // namespace
}  // namespace v6scope::collector::aggregate::readiness
