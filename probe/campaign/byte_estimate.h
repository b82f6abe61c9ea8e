// EstimateBytes: what one readiness check cost the host's link, for the
// per-day byte budget (the campaign's budget.bytes_per_day and the host's
// campaigns.max_bytes_per_day). The probe does not see packet counts, so
// it estimates from what the check recorded:
//   body bytes read by every home-page fetch
//   + 1 KiB per HTTP response (request, response headers, and the TLS
//     handshake amortised; a fetch with no response still counts one)
//   + 512 B per DNS question (query and answer, retries included).
// DNS questions: A and AAAA of the apex and of www, NS and MX, A and AAAA
// of each name server and mail exchanger, one SOA per address asked.
// Conservative on purpose: the estimate errs high, so a host's cap holds.
#ifndef V6SCOPE_PROBE_CAMPAIGN_BYTE_ESTIMATE_H_
#define V6SCOPE_PROBE_CAMPAIGN_BYTE_ESTIMATE_H_

#include <cstdint>

#include "proto/readiness.pb.h"

namespace v6scope::probe::campaign {

inline constexpr uint64_t kBytesPerHttpHop = 1024;
inline constexpr uint64_t kBytesPerDnsQuestion = 512;

uint64_t EstimateBytes(const v6scope::v1::DomainCheck& check);

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_BYTE_ESTIMATE_H_
