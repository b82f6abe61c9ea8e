// A synthetic public-service campaign for tests, benchmarks and the demo:
// a list of invented domains in every sector, measured in each round by
// the probes of a SyntheticFleet, each result stored as the readiness
// ingest stores it (store::ReadinessStore::StoreDomainBatches, which keeps
// the readiness rollups). The states are drawn per (domain, country,
// round): a domain's IPv6 is mostly the same seen from every network of a
// country, differs a little between countries, and some domains gain IPv6
// between rounds. Deterministic; clearly synthetic (".example" names, the
// campaign named so); never present its numbers as measurements.
#ifndef V6SCOPE_COLLECTOR_SAMPLE_SYNTHETIC_READINESS_H_
#define V6SCOPE_COLLECTOR_SAMPLE_SYNTHETIC_READINESS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "collector/sample/synthetic_fleet.h"
#include "collector/store/store.h"

namespace v6scope::collector::sample {

struct SyntheticCampaignOptions {
  std::string campaign_id = "c-5eed0001";
  std::string name = "Synthetic public services (sample data)";
  int domains = 200;  // Spread over government, education, health,
                      // banking and top-sites.
  int rounds = 2;     // Round r measured at fleet end - (rounds - r) days.
  // Probes taking part: the fleet's first N (0: all).
  int probes = 0;
};

// Creates the campaign and stores every probe's results of every round.
// Returns the number of results stored.
absl::StatusOr<uint64_t> StoreSyntheticCampaign(
    store::Store& store, const SyntheticFleet& fleet,
    const SyntheticCampaignOptions& options);

}  // namespace v6scope::collector::sample

#endif  // V6SCOPE_COLLECTOR_SAMPLE_SYNTHETIC_READINESS_H_
