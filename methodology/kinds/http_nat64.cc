#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// The IPv4-only name pinned to IPv6: only DNS64-synthesized addresses can
// be fetched, so the NAT64 path alone is tested (methodology 2). Not
// kV6Pinned: its failure says nothing about native IPv6; not
// kReachability: its success already shows as HTTP_V4_ONLY over IPv6.
// Without DNS64 the name has no AAAA and the test ends DNS_NODATA (or
// NO_ADDRESS) at once: not applicable, never NAT64_BROKEN.
const KindSpec kHttpNat64 = {
    .kind = v6scope::v1::HTTP_NAT64,
    .name = "HTTP_NAT64",
    .runner = Runner::kHttpFetch,
    .family = v6scope::v1::IPV6,
    .target = Target::kV4OnlyName,
    .object = Object::kSmall,
    .timeout_base = TimeoutBase::kHttp,
    .timeout_factor = 1,
    .keep_body_bytes = 0,
    .roles = Role::kNat64Path,
    .informational = false,
    .summary =
        "Small object from the IPv4-only name pinned to IPv6: only through "
        "DNS64 + NAT64.",
};

}  // namespace v6scope::methodology::kinds
