#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// Methodology 2: the same deadline as every fetch. The probe reads at most
// large_read_limit_bytes (256 KiB: enough full-size packets to prove the
// path MTU) and stall detection, not the deadline, catches a black hole,
// so a slow but steady link (200 kB/s) finishes in time (methodology 1
// gave it 3x and waited 30 s on a black hole).
const KindSpec kHttpV6Large = {
    .kind = v6scope::v1::HTTP_V6_LARGE,
    .name = "HTTP_V6_LARGE",
    .runner = Runner::kHttpFetch,
    .family = v6scope::v1::IPV6,
    .target = Target::kV6OnlyName,
    .object = Object::kLarge,
    .timeout_base = TimeoutBase::kHttp,
    .timeout_factor = 1,
    .keep_body_bytes = 0,
    .roles = Role::kReachability | Role::kV6Pinned | Role::kPmtu,
    .informational = false,
    .summary =
        "The large object over IPv6, read up to 256 KiB: path-MTU black hole "
        "check.",
};

}  // namespace v6scope::methodology::kinds
