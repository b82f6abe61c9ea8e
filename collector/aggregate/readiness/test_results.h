// Readiness results for the aggregates' tests: one result in a line, and
// random ones for the property tests.
#ifndef V6SCOPE_COLLECTOR_AGGREGATE_READINESS_TEST_RESULTS_H_
#define V6SCOPE_COLLECTOR_AGGREGATE_READINESS_TEST_RESULTS_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/aggregate/readiness/result.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::aggregate::readiness {

// A "readiness 1" result of campaign "c-1", sector "government".
inline ReadinessResult MakeResult(
    uint32_t round, const std::string& country, uint32_t asn,
    const std::string& domain, v6scope::v1::ServiceState web,
    v6scope::v1::ServiceState dns = v6scope::v1::SERVICE_STATE_UNSPECIFIED,
    v6scope::v1::ServiceState mail = v6scope::v1::SERVICE_STATE_UNSPECIFIED) {
  ReadinessResult r;
  r.campaign_id = "c-1";
  r.round = round;
  r.probe_id = absl::StrCat("p-", country, "-", asn);
  r.probe_asn = asn;
  r.probe_country = country;
  r.domain = domain;
  r.sector = "government";
  r.methodology_version = "readiness 1";
  r.states = {web, dns, mail};
  return r;
}

// `count` results over a few campaigns, rounds, countries, sectors,
// domains, networks and every state (unknown state values and unattributed
// probes included).
inline std::vector<ReadinessResult> RandomResults(std::mt19937_64& rng,
                                                  int count) {
  auto pick = [&rng](int n) {
    return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng));
  };
  static const char* const kCountries[] = {"KE", "FR", "BR", "", "JP"};
  static const char* const kSectors[] = {"government", "banking", "health"};
  std::vector<ReadinessResult> results;
  for (int i = 0; i < count; ++i) {
    ReadinessResult r;
    r.campaign_id = absl::StrCat("c-", pick(2));
    r.round = 1 + static_cast<uint32_t>(pick(3));
    r.probe_asn = pick(8) == 0 ? 0 : 64500 + static_cast<uint32_t>(pick(6));
    r.probe_country = kCountries[pick(5)];
    r.probe_id = absl::StrCat("p-", i);
    r.sector = kSectors[pick(3)];
    r.domain = absl::StrCat("d", pick(7), ".example");
    r.methodology_version = pick(10) == 0 ? "readiness 0" : "readiness 1";
    for (auto& state : r.states) {
      state = static_cast<v6scope::v1::ServiceState>(pick(12));
    }
    results.push_back(r);
  }
  return results;
}

}  // namespace v6scope::collector::aggregate::readiness

#endif  // V6SCOPE_COLLECTOR_AGGREGATE_READINESS_TEST_RESULTS_H_
