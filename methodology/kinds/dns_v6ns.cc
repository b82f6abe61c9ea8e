#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// A name whose only authoritative server is reachable over IPv6: answers
// only if the resolver has IPv6 transport (RESOLVER_NO_V6, S7). Asked as
// A so that only the resolver's transport, not the record type, matters.
const KindSpec kDnsV6ns = {
    .kind = v6scope::v1::DNS_V6NS,
    .name = "DNS_V6NS",
    .runner = Runner::kDnsLookup,
    .family = v6scope::v1::IPV4,
    .target = Target::kV6nsName,
    .object = Object::kNone,
    .timeout_base = TimeoutBase::kDns,
    .timeout_factor = 1,
    .keep_body_bytes = 0,
    .roles = Role::kResolverV6Transport,
    .informational = false,
    .summary =
        "Query for a name whose only authoritative server is reachable over "
        "IPv6.",
};

}  // namespace v6scope::methodology::kinds
