#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// The resolver answers A for the dual-stack name: the control that the
// resolver works at all, for AAAA_FILTERED and RESOLVER_NO_V6.
const KindSpec kDnsA = {
    .kind = v6scope::v1::DNS_A,
    .name = "DNS_A",
    .runner = Runner::kDnsLookup,
    .family = v6scope::v1::IPV4,
    .target = Target::kDualStackName,
    .object = Object::kNone,
    .timeout_base = TimeoutBase::kDns,
    .timeout_factor = 1,
    .keep_body_bytes = 0,
    .roles = Role::kResolverAnswers,
    .informational = false,
    .summary = "A query for the dual-stack name through the host's resolver.",
};

}  // namespace v6scope::methodology::kinds
