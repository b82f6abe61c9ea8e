#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// APNIC "capable": the IPv6-only name fetched over IPv6.
const KindSpec kHttpV6Only = {
    .kind = v6scope::v1::HTTP_V6_ONLY,
    .name = "HTTP_V6_ONLY",
    .runner = Runner::kHttpFetch,
    .family = v6scope::v1::IPV6,
    .target = Target::kV6OnlyName,
    .object = Object::kSmall,
    .timeout_base = TimeoutBase::kHttp,
    .timeout_factor = 1,
    .keep_body_bytes = 0,
    .roles = Role::kReachability | Role::kV6Pinned | Role::kV6ByName,
    .informational = false,
    .summary = "Small object from the IPv6-only name, pinned to IPv6.",
};

}  // namespace v6scope::methodology::kinds
