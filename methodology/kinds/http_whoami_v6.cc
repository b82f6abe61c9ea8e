#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// The body is the public IPv6 address as the target saw it; the probe
// keeps only its /48.
const KindSpec kHttpWhoamiV6 = {
    .kind = v6scope::v1::HTTP_WHOAMI_V6,
    .name = "HTTP_WHOAMI_V6",
    .runner = Runner::kHttpFetch,
    .family = v6scope::v1::IPV6,
    .target = Target::kV6OnlyName,
    .object = Object::kWhoami,
    .timeout_base = TimeoutBase::kHttp,
    .timeout_factor = 1,
    .keep_body_bytes = 64,
    .roles = Role::kReachability | Role::kV6Pinned | Role::kPublicAddressV6,
    .informational = false,
    .summary = "Who-am-I over IPv6: the public IPv6 address (kept as its /48).",
};

}  // namespace v6scope::methodology::kinds
