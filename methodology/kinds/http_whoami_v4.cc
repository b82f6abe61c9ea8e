#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// The body is the public IPv4 address as the target saw it; the probe
// keeps only its /24.
const KindSpec kHttpWhoamiV4 = {
    .kind = v6scope::v1::HTTP_WHOAMI_V4,
    .name = "HTTP_WHOAMI_V4",
    .runner = Runner::kHttpFetch,
    .family = v6scope::v1::IPV4,
    .target = Target::kV4OnlyName,
    .object = Object::kWhoami,
    .timeout_base = TimeoutBase::kHttp,
    .timeout_factor = 1,
    .keep_body_bytes = 64,
    .roles = Role::kReachability | Role::kPublicAddressV4,
    .informational = false,
    .summary = "Who-am-I over IPv4: the public IPv4 address (kept as its /24).",
};

}  // namespace v6scope::methodology::kinds
