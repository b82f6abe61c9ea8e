// The spec of every registered kind, each defined in its own file
// (<kind name in lower case>.cc). Read them through registry.h; this
// header exists so that each definition is checked against one
// declaration and the registry can list them.
#ifndef V6SCOPE_METHODOLOGY_KINDS_SPECS_H_
#define V6SCOPE_METHODOLOGY_KINDS_SPECS_H_

#include "methodology/kinds/kind_spec.h"

namespace v6scope::methodology::kinds {

extern const KindSpec kDnsA;
extern const KindSpec kDnsAaaa;
extern const KindSpec kDnsV6ns;
extern const KindSpec kDnsNat64;
extern const KindSpec kHttpV4Only;
extern const KindSpec kHttpV6Only;
extern const KindSpec kHttpDualStack;
extern const KindSpec kHttpV6Literal;
extern const KindSpec kHttpV6Large;
extern const KindSpec kHttpWhoamiV4;
extern const KindSpec kHttpWhoamiV6;
extern const KindSpec kHttpNat64;

}  // namespace v6scope::methodology::kinds

#endif  // V6SCOPE_METHODOLOGY_KINDS_SPECS_H_
