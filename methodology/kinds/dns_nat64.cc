#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// ipv4only.arpa AAAA (RFC 7050): synthesized answers reveal DNS64 and the
// NAT64 prefix.
const KindSpec kDnsNat64 = {
    .kind = v6scope::v1::DNS_NAT64,
    .name = "DNS_NAT64",
    .runner = Runner::kNat64Discovery,
    .family = v6scope::v1::IPV6,
    .target = Target::kNat64DiscoveryName,
    .object = Object::kNone,
    .timeout_base = TimeoutBase::kDns,
    .timeout_factor = 1,
    .keep_body_bytes = 0,
    .roles = Role::kNat64Prefix,
    .informational = false,
    .summary =
        "AAAA query for ipv4only.arpa: NAT64 prefix discovery (RFC 7050).",
};

}  // namespace v6scope::methodology::kinds
