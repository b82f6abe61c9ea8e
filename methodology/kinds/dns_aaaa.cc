#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// The dual-stack name has an AAAA record, so a missing answer is the
// resolver's doing (AAAA_FILTERED).
const KindSpec kDnsAaaa = {
    .kind = v6scope::v1::DNS_AAAA,
    .name = "DNS_AAAA",
    .runner = Runner::kDnsLookup,
    .family = v6scope::v1::IPV6,
    .target = Target::kDualStackName,
    .object = Object::kNone,
    .timeout_base = TimeoutBase::kDns,
    .timeout_factor = 1,
    .keep_body_bytes = 0,
    .roles = Role::kResolverAaaa,
    .informational = false,
    .summary =
        "AAAA query for the dual-stack name through the host's resolver.",
};

}  // namespace v6scope::methodology::kinds
