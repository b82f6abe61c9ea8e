#include "collector/aggregate/readiness/changes.h"

#include <string>
#include <vector>

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
using v6scope::v1::NO_SERVICE;
using v6scope::v1::PARTIAL_V6;
using v6scope::v1::SERVICE_STATE_UNSPECIFIED;
using v6scope::v1::ServiceState;
using v6scope::v1::SERVING_V6;

// Two KE networks that agree on `web` for `domain` in `round`.
std::vector<ReadinessResult> Seen(uint32_t round, const std::string& domain,
                                  ServiceState web) {
  return {MakeResult(round, "KE", 1, domain, web),
          MakeResult(round, "KE", 2, domain, web)};
}

std::vector<ServiceChanges> Changes(const std::vector<ReadinessResult>& results,
                                    uint32_t k = 2) {
  ReadinessAggregateOptions options;
  options.min_networks = k;
  options.dataset_version = "ds";
  auto changes = ComputeChanges(RebuildReadinessRollups(results), options);
  EXPECT_TRUE(changes.ok()) << changes.status();
  return changes.ok() ? *changes : std::vector<ServiceChanges>{};
}

// The web record of round 2 in KE.
const ServiceChanges* Round2Web(const std::vector<ServiceChanges>& changes) {
  for (const ServiceChanges& c : changes) {
    if (c.round == 2 && c.service == Service::kWeb && c.country == "KE") {
      return &c;
    }
  }
  return nullptr;
}

struct Case {
  std::string name;
  ServiceState before;
  ServiceState after;
  bool gained;
  bool lost;
  bool compared;
};

TEST(ChangesTest, GainedAndLost) {
  const std::vector<Case> cases = {
      {"no AAAA to serving is gained", NO_AAAA, SERVING_V6, true, false, true},
      {"unreachable to serving is gained", AAAA_UNREACHABLE, SERVING_V6, true,
       false, true},
      {"partial to serving is gained", PARTIAL_V6, SERVING_V6, true, false,
       true},
      {"no service to serving is gained", NO_SERVICE, SERVING_V6, true, false,
       true},
      {"serving to no AAAA is lost", SERVING_V6, NO_AAAA, false, true, true},
      {"serving to unreachable is lost", SERVING_V6, AAAA_UNREACHABLE, false,
       true, true},
      {"serving stays serving", SERVING_V6, SERVING_V6, false, false, true},
      {"no AAAA to unreachable is neither", NO_AAAA, AAAA_UNREACHABLE, false,
       false, true},
      {"down over IPv4 before is not comparable", BROKEN_V4, SERVING_V6, false,
       false, false},
      {"down over IPv4 now is not comparable", SERVING_V6, BROKEN_V4, false,
       false, false},
      {"untested before is not comparable", SERVICE_STATE_UNSPECIFIED,
       SERVING_V6, false, false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<ReadinessResult> results = Seen(1, "a.ke", c.before);
    for (const ReadinessResult& r : Seen(2, "a.ke", c.after)) {
      results.push_back(r);
    }
    const std::vector<ServiceChanges> changes = Changes(results);
    const ServiceChanges* web = Round2Web(changes);
    ASSERT_NE(web, nullptr);
    EXPECT_EQ(web->previous_round, 1u);
    EXPECT_EQ(web->compared, c.compared ? 1u : 0u);
    EXPECT_EQ(web->not_compared, c.compared ? 0u : 1u);
    ASSERT_EQ(web->gained.size(), c.gained ? 1u : 0u);
    ASSERT_EQ(web->lost.size(), c.lost ? 1u : 0u);
    const DomainChange want{"government", "a.ke", c.before, c.after};
    if (c.gained) {
      EXPECT_EQ(web->gained[0], want);
    }
    if (c.lost) {
      EXPECT_EQ(web->lost[0], want);
    }
  }
}

TEST(ChangesTest, FirstSweepComparesNothing) {
  const std::vector<ServiceChanges> changes =
      Changes(Seen(1, "a.ke", SERVING_V6));
  ASSERT_EQ(changes.size(), 3u);
  for (const ServiceChanges& c : changes) {
    EXPECT_EQ(c.previous_round, 0u);
    EXPECT_EQ(c.compared, 0u);
    EXPECT_EQ(c.not_compared, 1u);
    EXPECT_EQ(c.provenance.dataset_version, "ds");
    EXPECT_EQ(c.provenance.methodology_version, "readiness 1");
  }
}

TEST(ChangesTest, PreviousSweepIsTheCountrysLastRoundWithResults) {
  std::vector<ReadinessResult> results = Seen(1, "a.ke", NO_AAAA);
  for (const ReadinessResult& r : Seen(3, "a.ke", SERVING_V6)) {
    results.push_back(r);
  }
  const std::vector<ServiceChanges> changes = Changes(results);
  ASSERT_EQ(changes.size(), 6u);  // Rounds 1 and 3, three services each.
  EXPECT_EQ(changes[3].round, 3u);
  EXPECT_EQ(changes[3].previous_round, 1u);
  EXPECT_EQ(changes[3].gained.size(), 1u);
}

TEST(ChangesTest, WithheldViewsAreNotCompared) {
  // Round 1 from one network only: below k = 2.
  std::vector<ReadinessResult> results = {
      MakeResult(1, "KE", 1, "a.ke", NO_AAAA)};
  for (const ReadinessResult& r : Seen(2, "a.ke", SERVING_V6)) {
    results.push_back(r);
  }
  const std::vector<ServiceChanges> changes = Changes(results);
  const ServiceChanges* web = Round2Web(changes);
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->previous_round, 1u);
  EXPECT_EQ(web->compared, 0u);
  EXPECT_TRUE(web->gained.empty());
}

TEST(ChangesTest, CountsPerCountryWithDomainsInOrder) {
  std::vector<ReadinessResult> results;
  for (const char* domain : {"c.ke", "a.ke", "b.ke"}) {
    for (const ReadinessResult& r : Seen(1, domain, NO_AAAA)) {
      results.push_back(r);
    }
    for (const ReadinessResult& r : Seen(2, domain, SERVING_V6)) {
      results.push_back(r);
      ReadinessResult fr = r;  // France saw no change.
      fr.probe_country = "FR";
      results.push_back(fr);
    }
  }
  const std::vector<ServiceChanges> changes = Changes(results);
  const ServiceChanges* web = Round2Web(changes);
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->country, "KE");
  EXPECT_EQ(web->compared, 3u);
  ASSERT_EQ(web->gained.size(), 3u);
  EXPECT_EQ(web->gained[0].domain, "a.ke");
  EXPECT_EQ(web->gained[2].domain, "c.ke");
  // FR has round 2 only: first sweep there. Order: (c-1, 2, FR) before
  // (c-1, 2, KE).
  int fr = 0;
  for (const ServiceChanges& c : changes) {
    if (c.country == "FR") {
      ++fr;
      EXPECT_EQ(c.previous_round, 0u);
    }
  }
  EXPECT_EQ(fr, 3);
}

}  // namespace
}  // namespace v6scope::collector::aggregate::readiness
