#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// IPv6 transport with no DNS at all.
const KindSpec kHttpV6Literal = {
    .kind = v6scope::v1::HTTP_V6_LITERAL,
    .name = "HTTP_V6_LITERAL",
    .runner = Runner::kHttpFetch,
    .family = v6scope::v1::IPV6,
    .target = Target::kV6Literal,
    .object = Object::kSmall,
    .timeout_base = TimeoutBase::kHttp,
    .timeout_factor = 1,
    .keep_body_bytes = 0,
    .roles = Role::kReachability | Role::kV6Pinned | Role::kV6WithoutDns,
    .informational = false,
    .summary = "Small object from an IPv6 literal URL: no DNS involved.",
};

}  // namespace v6scope::methodology::kinds
