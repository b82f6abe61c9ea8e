// Which enrolled probes a campaign selects (docs/campaigns.md, "Probe
// selectors"): explicit probe ids, plus the probes whose newest run was
// attributed to a listed place (country, or a region of common/geo) and a
// listed network (ASN). Pure functions over what the store reports.
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_PROBE_SELECTOR_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_PROBE_SELECTOR_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "proto/campaign.pb.h"

namespace v6scope::collector::campaign {

// An enrolled probe as a selector sees it: the attribution of its newest
// stored run (asn 0 and country "" when it has none or it is unknown).
struct ProbeVantage {
  std::string probe_id;
  bool revoked = false;
  bool has_runs = false;
  uint32_t asn = 0;
  std::string country;  // ISO 3166-1 alpha-2, upper case, or "".
  // Enrolled as the collector's own vantage point: selected by every
  // selector with include_collector, whatever its place.
  bool collector_vantage = false;
};

// The selector checked and made canonical: countries upper case and known
// to common/geo, regions lower case and known slugs, ASNs non-zero, ids
// non-empty printable ASCII; each list sorted and de-duplicated.
// INVALID_ARGUMENT naming the field and the value ("selector.countries:
// \"XX\" is not an ISO 3166-1 alpha-2 code"); also for a selector naming
// nothing at all (an empty selector never means every probe).
absl::StatusOr<v6scope::v1::ProbeSelector> NormalizeSelector(
    const v6scope::v1::ProbeSelector& selector);

// The ids of the probes `selector` (normalized) selects among `probes`,
// sorted: the named ones, those matching the place and network filters,
// and, with include_collector, every unrevoked collector-vantage probe.
// INVALID_ARGUMENT if a listed probe id is not enrolled or is revoked;
// FAILED_PRECONDITION, saying what was looked for and among how many
// probes, if no probe is selected and the collector is not included (a
// campaign that includes it is created even before its vantage probe is
// enrolled: CollectorVantageWarning).
absl::StatusOr<std::vector<std::string>> SelectProbes(
    const v6scope::v1::ProbeSelector& selector,
    absl::Span<const ProbeVantage> probes);

// Whether `selector` selects this one probe now: the per-probe form of
// SelectProbes for the planner and the progress report, which see one
// probe at a time (a named probe revoked since creation is simply not
// selected, rather than an error).
bool SelectsProbe(const v6scope::v1::ProbeSelector& selector,
                  const ProbeVantage& probe);

// For a selector that includes the collector when no unrevoked
// collector-vantage probe is among `probes`: a warning saying so and how to
// enrol one; otherwise "".
std::string CollectorVantageWarning(const v6scope::v1::ProbeSelector& selector,
                                    absl::Span<const ProbeVantage> probes);

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_PROBE_SELECTOR_H_
