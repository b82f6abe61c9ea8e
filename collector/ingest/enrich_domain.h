// EnrichDomainCheck: the collector's attribution of a readiness check's
// web host (issue 16): the origin AS of its first IPv4 and first IPv6
// address, as runs are attributed (enrich_run.h), so "same operator over
// both families, or a CDN?" is answered from the collector's tables and
// never from the probe.
#ifndef V6SCOPE_COLLECTOR_INGEST_ENRICH_DOMAIN_H_
#define V6SCOPE_COLLECTOR_INGEST_ENRICH_DOMAIN_H_

#include "collector/enrich/attribution.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::ingest {

// The host the fetches used: www if it has any address of its own, else
// the apex. Its own IPv6 addresses are those in `aaaa` outside the NAT64
// prefixes (64:ff9b::/96, 64:ff9b:1::/48 and the check's nat64_prefix):
// aaaa_synthesized never counts.
const v6scope::v1::NameAddresses& WebHost(const v6scope::v1::DomainCheck& c);

// Sets web_v4_asn from the web host's first A and web_v6_asn from its first
// own AAAA (0: no such address, no attribution data, or not routed).
// `index` may be null.
void EnrichDomainCheck(const enrich::AttributionIndex* index,
                       v6scope::v1::DomainCheck* check);

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_ENRICH_DOMAIN_H_
