#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {

// APNIC "preferred": libcurl races the families (Happy Eyeballs) and
// used_family is the winner.
const KindSpec kHttpDualStack = {
    .kind = v6scope::v1::HTTP_DUAL_STACK,
    .name = "HTTP_DUAL_STACK",
    .runner = Runner::kHttpFetch,
    .family = v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED,
    .target = Target::kDualStackName,
    .object = Object::kSmall,
    .timeout_base = TimeoutBase::kHttp,
    .timeout_factor = 1,
    .keep_body_bytes = 0,
    .roles = Role::kReachability | Role::kDualStackPreference,
    .informational = false,
    .summary = "Small object from the dual-stack name; the families race.",
};

}  // namespace v6scope::methodology::kinds
