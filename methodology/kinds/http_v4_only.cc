#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// Not pinned: fetched by every address the resolver gives, so IPv4-only
// content reached through DNS64 + NAT64 shows (used_family IPV6).
const KindSpec kHttpV4Only = {
    .kind = v6scope::v1::HTTP_V4_ONLY,
    .name = "HTTP_V4_ONLY",
    .runner = Runner::kHttpFetch,
    .family = v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED,
    .target = Target::kV4OnlyName,
    .object = Object::kSmall,
    .timeout_base = TimeoutBase::kHttp,
    .timeout_factor = 1,
    .keep_body_bytes = 0,
    .roles = Role::kReachability | Role::kV4Content,
    .informational = false,
    .summary =
        "Small object from the IPv4-only name, by every address the resolver "
        "gives.",
};

}  // namespace v6scope::methodology::kinds
