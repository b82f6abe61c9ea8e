#include "methodology/kinds/registry.h"

#include <array>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "methodology/kinds/specs.h"

namespace v6scope::methodology::kinds {
namespace {

using v6scope::v1::TestKind;

// The registry: one line per kind, in TestKind order.
constexpr const KindSpec* kRegistered[] = {
    &kDnsA,           // dns_a.cc
    &kDnsAaaa,        // dns_aaaa.cc
    &kDnsV6ns,        // dns_v6ns.cc
    &kDnsNat64,       // dns_nat64.cc
    &kHttpV4Only,     // http_v4_only.cc
    &kHttpV6Only,     // http_v6_only.cc
    &kHttpDualStack,  // http_dual_stack.cc
    &kHttpV6Literal,  // http_v6_literal.cc
    &kHttpV6Large,    // http_v6_large.cc
    &kHttpWhoamiV4,   // http_whoami_v4.cc
    &kHttpWhoamiV6,   // http_whoami_v6.cc
    &kHttpNat64,      // http_nat64.cc
};

struct RoleInfo {
  Role role;
  absl::string_view name;
};

constexpr RoleInfo kRoles[] = {
    {Role::kReachability, "reachability (v4/v6 works)"},
    {Role::kV6Pinned, "v6-pinned (broken-path evidence)"},
    {Role::kV4Content, "v4 content reachability"},
    {Role::kV6ByName, "v6 reachability by name (capable)"},
    {Role::kDualStackPreference, "dual-stack preference"},
    {Role::kV6WithoutDns, "v6 without DNS"},
    {Role::kPmtu, "pmtu"},
    {Role::kPublicAddressV4, "public address v4"},
    {Role::kPublicAddressV6, "public address v6"},
    {Role::kResolverAnswers, "resolver answers"},
    {Role::kResolverAaaa, "resolver AAAA"},
    {Role::kResolverV6Transport, "resolver v6 transport"},
    {Role::kNat64Prefix, "nat64 prefix"},
    {Role::kNat64Path, "nat64 path"},
};
constexpr size_t kRoleCount = sizeof(kRoles) / sizeof(kRoles[0]);

constexpr size_t RoleIndex(Role role) {
  size_t i = 0;
  while (i < kRoleCount && kRoles[i].role != role) ++i;
  return i;
}

// The lookup tables, built once from kRegistered.
struct Tables {
  std::array<const KindSpec*, v6scope::v1::TestKind_ARRAYSIZE> by_kind{};
  absl::flat_hash_map<absl::string_view, const KindSpec*> by_name;
  std::array<std::vector<TestKind>, kRoleCount> by_role;
  std::array<Role, kRoleCount> roles{};
};

Tables Build() {
  Tables t;
  for (size_t i = 0; i < kRoleCount; ++i) t.roles[i] = kRoles[i].role;
  for (const KindSpec* spec : kRegistered) {
    const int kind = spec->kind;
    if (kind > 0 && kind < v6scope::v1::TestKind_ARRAYSIZE) {
      t.by_kind[kind] = spec;
    }
    t.by_name.emplace(spec->name, spec);
    for (size_t i = 0; i < kRoleCount; ++i) {
      if (spec->roles.Has(kRoles[i].role)) t.by_role[i].push_back(spec->kind);
    }
  }
  return t;
}

const Tables& Get() {
  static const Tables* const tables = new Tables(Build());
  return *tables;
}

}  // namespace

absl::Span<const KindSpec* const> AllKinds() { return kRegistered; }

const KindSpec* FindKind(TestKind kind) {
  const int k = kind;
  if (k <= 0 || k >= v6scope::v1::TestKind_ARRAYSIZE) return nullptr;
  return Get().by_kind[k];
}

const KindSpec* FindKindByName(absl::string_view name) {
  const auto& by_name = Get().by_name;
  const auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : it->second;
}

std::string KindName(int kind) {
  if (!v6scope::v1::TestKind_IsValid(kind)) return "";
  const TestKind k = static_cast<TestKind>(kind);
  if (const KindSpec* spec = FindKind(k); spec != nullptr) {
    return std::string(spec->name);
  }
  return v6scope::v1::TestKind_Name(k);
}

absl::Span<const TestKind> KindsWith(Role role) {
  const size_t i = RoleIndex(role);
  if (i == kRoleCount) return {};
  return Get().by_role[i];
}

bool IsSingular(Role role) {
  return role != Role::kReachability && role != Role::kV6Pinned;
}

TestKind SoleKindWith(Role role) {
  const absl::Span<const TestKind> kinds = KindsWith(role);
  return kinds.size() == 1 ? kinds.front() : v6scope::v1::TEST_KIND_UNSPECIFIED;
}

absl::Span<const Role> AllRoles() { return Get().roles; }

absl::string_view RoleName(Role role) {
  const size_t i = RoleIndex(role);
  return i == kRoleCount ? "" : kRoles[i].name;
}

}  // namespace v6scope::methodology::kinds
