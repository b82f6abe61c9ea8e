#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// The large object needs more time than a small one on a slow link, but
// a PMTU black hole stalls forever: 3x is the line between the two.
const KindSpec kHttpV6Large = {
    .kind = v6scope::v1::HTTP_V6_LARGE,
    .name = "HTTP_V6_LARGE",
    .runner = Runner::kHttpFetch,
    .family = v6scope::v1::IPV6,
    .target = Target::kV6OnlyName,
    .object = Object::kLarge,
    .timeout_base = TimeoutBase::kHttp,
    .timeout_factor = 3,
    .keep_body_bytes = 0,
    .roles = Role::kReachability | Role::kV6Pinned | Role::kPmtu,
    .informational = false,
    .summary = "About 1.5 MB over IPv6: path-MTU black hole check.",
};

}  // namespace v6scope::methodology::kinds
