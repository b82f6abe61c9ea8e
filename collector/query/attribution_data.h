// What attribution data the collector has loaded, as the query answers
// state it: which registries have an RIR file in use and whether any file
// loaded only in part, and the notes that tell an empty allocation answer
// for want of data ("no AFRINIC data loaded") from a country without
// delegations.
#ifndef V6SCOPE_COLLECTOR_QUERY_ATTRIBUTION_DATA_H_
#define V6SCOPE_COLLECTOR_QUERY_ATTRIBUTION_DATA_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "collector/enrich/attribution.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::query {

// Registries and partial files of `index`; null (no attribution data at
// all) gives an empty message.
v6scope::v1::AttributionData DescribeAttributionData(
    const enrich::AttributionIndex* index);

// "no AFRINIC data loaded" when `country` ("KE") is in the service region
// of a registry without a file in `index` (null: none loaded); "" when
// the registry is loaded or the code is no country (EU, ZZ, unknown).
std::string MissingRegistryNote(const enrich::AttributionIndex* index,
                                absl::string_view country);

// The notes of an allocations answer for `country` ("" = every country):
// the missing-registry note(s) ("no ARIN, RIPE NCC data loaded" without a
// country) and "attribution data incomplete" when a file loaded in part.
std::vector<std::string> AllocationNotes(const enrich::AttributionIndex* index,
                                         absl::string_view country);

}  // namespace v6scope::collector::query

#endif  // V6SCOPE_COLLECTOR_QUERY_ATTRIBUTION_DATA_H_
