// The registry of measurement kinds: one KindSpec per TestKind, looked up
// by kind, by name or by the verdict role it plays. Adding a kind is one
// spec file, its declaration in specs.h and one line in registry.cc (plus
// a runner in probe/suite only for a new Runner family); registry_test
// checks the rest (runner, role, name, docs/methodology.md).
//
// Everything here is immutable after first use and thread-safe.
#ifndef V6SCOPE_METHODOLOGY_KINDS_REGISTRY_H_
#define V6SCOPE_METHODOLOGY_KINDS_REGISTRY_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "methodology/kinds/kind_spec.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::kinds {

// Every registered kind, in TestKind order (the order a run lists them).
absl::Span<const KindSpec* const> AllKinds();

// The spec of `kind`; null when this build does not know it.
const KindSpec* FindKind(v6scope::v1::TestKind kind);
// The spec named `name` (exact, e.g. "HTTP_V6_LARGE"); null if none.
const KindSpec* FindKindByName(absl::string_view name);

// The name of a TestKind value as written in JSON, CSV, logs and metrics:
// the spec's name, else the proto enum name ("TEST_KIND_UNSPECIFIED"),
// else "" for a number this build does not know.
std::string KindName(int kind);

// The kinds that provide `role`, in TestKind order.
absl::Span<const v6scope::v1::TestKind> KindsWith(Role role);

// Roles the verdict reads from exactly one test (all but kReachability
// and kV6Pinned, which it ORs over every kind that has them).
bool IsSingular(Role role);
// The kind that provides a singular `role`; TEST_KIND_UNSPECIFIED when
// none does (the registry test forbids that).
v6scope::v1::TestKind SoleKindWith(Role role);

// Every role, for walking them; and a short name of each for docs
// ("v6 reachability by name") and test messages.
absl::Span<const Role> AllRoles();
absl::string_view RoleName(Role role);

}  // namespace v6scope::methodology::kinds

#endif  // V6SCOPE_METHODOLOGY_KINDS_REGISTRY_H_
