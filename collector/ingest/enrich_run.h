// EnrichRun: adds the collector's attribution (origin ASN, country, dataset
// versions) to a validated run before it is stored.
#ifndef V6SCOPE_COLLECTOR_INGEST_ENRICH_RUN_H_
#define V6SCOPE_COLLECTOR_INGEST_ENRICH_RUN_H_

#include <string>

#include "collector/enrich/attribution.h"
#include "proto/results.pb.h"

namespace v6scope::collector::ingest {

// `index` may be null (no attribution data configured): the prefixes and
// their source are still recorded. `peer` is the gRPC peer string
// ("ipv6:[3ffe::1]:443", "ipv4:11.0.2.1:443"), used only when the run
// has no who-am-I prefixes (none sent, or all refused as not public), only
// after truncation to /24 or /48, and only if that prefix is public
// (net::IsPublicPrefix). The run's own prefixes must already have been
// through RefuseNonPublicPrefixes (public_prefixes.h).
// Sets V4_V6_ASN_MISMATCH when both families are routed by different ASes.
void EnrichRun(const enrich::AttributionIndex* index, const std::string& peer,
               v6scope::v1::Run* run);

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_ENRICH_RUN_H_
