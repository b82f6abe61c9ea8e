// KindSpec: everything the system knows about one measurement kind (one
// TestKind of proto/results.proto) in one place: its stable name, which
// runner of the probe executes it, what it needs from the target set, its
// timeout, and which inputs of the verdict it provides. The registry
// (registry.h) lists one spec per kind; the probe builds its runs from the
// specs and the verdict finds its tests through the roles.
#ifndef V6SCOPE_METHODOLOGY_KINDS_KIND_SPEC_H_
#define V6SCOPE_METHODOLOGY_KINDS_KIND_SPEC_H_

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::kinds {

// Which runner family of the probe executes the kind. A new value needs a
// runner in probe/suite (its switch over Runner does not compile without).
enum class Runner {
  kDnsLookup,       // One query through the host's resolver (c-ares).
  kHttpFetch,       // Resolve the host, then fetch pinned (libcurl).
  kNat64Discovery,  // An AAAA query whose answer reveals a NAT64 prefix.
};

// Which name or address of the target set (proto/config.proto TargetSet)
// the kind is aimed at. Optional ones skip the kind when not configured.
enum class Target {
  kDualStackName,       // dual_stack_host.
  kV4OnlyName,          // v4_only_host.
  kV6OnlyName,          // v6_only_host.
  kV6nsName,            // v6ns_host (optional).
  kNat64DiscoveryName,  // nat64_discovery_name (optional, "-" skips).
  kV6Literal,           // v6_literal (optional): no DNS at all.
};

// Which object an HTTP kind fetches (a path of the target set).
enum class Object {
  kNone,    // Not an HTTP kind.
  kSmall,   // small_path: under 2 KB.
  kLarge,   // large_path: about 1.5 MB, read up to large_read_limit_bytes.
  kWhoami,  // whoami_path: the body is the client's address as seen.
};

// The timeout setting a kind's deadline is a multiple of.
enum class TimeoutBase {
  kDns,   // ProbeSettings.dns_timeout_ms (applied by the resolver).
  kHttp,  // ProbeSettings.http_timeout_ms (per fetch, DNS excluded).
};

// An input of the verdict (docs/methodology.md; rule ids in brackets).
// Values are bits of a RoleSet.
enum class Role : uint32_t {
  // Any fetch: its success over a family says that family works [C0, E4].
  kReachability = 1u << 0,
  // Pinned to IPv6: its transport failure or mere running says something
  // about the host's IPv6 [C6, E11, E12, R13, R14].
  kV6Pinned = 1u << 1,
  // IPv4 content: the IPv4-only name, natively or via NAT64 [C2, S1],
  // and the IPv4 side of the SLOW_V6 pair [R9].
  kV4Content = 1u << 2,
  // IPv6 by name: APNIC "capable" [C5, S2], the IPv6 side of the SLOW_V6
  // pair [R9].
  kV6ByName = 1u << 3,
  // Dual-stack preference: APNIC "preferred" [C4, S4, S5].
  kDualStackPreference = 1u << 4,
  // IPv6 transport without DNS [S3].
  kV6WithoutDns = 1u << 5,
  // Path MTU: the large object over IPv6 [R1, S6].
  kPmtu = 1u << 6,
  // Public IPv4 / IPv6 address (who-am-I), and the fallback SLOW_V6 pair.
  kPublicAddressV4 = 1u << 7,
  kPublicAddressV6 = 1u << 8,
  // The resolver answers A for a name known to have both records [R3, R4].
  kResolverAnswers = 1u << 9,
  // The resolver gives AAAA for a name known to have one [R3].
  kResolverAaaa = 1u << 10,
  // The resolver's IPv6 transport [R4, S7; observation resolver_v6].
  kResolverV6Transport = 1u << 11,
  // NAT64 prefix discovery (RFC 7050) [E7, R8, C2].
  kNat64Prefix = 1u << 12,
  // The NAT64 path alone: IPv4-only content fetched only through
  // DNS64-synthesized addresses [E14, C2, R8, R15, K2] (methodology 2).
  kNat64Path = 1u << 13,
};

// A set of roles; empty for an informational kind.
class RoleSet {
 public:
  constexpr RoleSet() = default;
  constexpr RoleSet(Role role)
      : bits_(static_cast<uint32_t>(role)) {}  // NOLINT
  constexpr bool Has(Role role) const {
    return (bits_ & static_cast<uint32_t>(role)) != 0;
  }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr RoleSet operator|(RoleSet other) const {
    return RoleSet(bits_ | other.bits_, 0);
  }

 private:
  constexpr RoleSet(uint32_t bits, int) : bits_(bits) {}
  uint32_t bits_ = 0;
};

constexpr RoleSet operator|(Role a, Role b) { return RoleSet(a) | b; }

struct KindSpec {
  v6scope::v1::TestKind kind;
  // Stable name in JSON, CSV, logs, metrics and opt_out settings: the
  // proto enum value's name (the registry test holds them equal).
  absl::string_view name;
  Runner runner;
  // DNS kinds: the family of the record asked (IPV4: A, IPV6: AAAA).
  // HTTP kinds: the family the fetch is pinned to; UNSPECIFIED lets the
  // fetch use every address the resolver gives (A and AAAA).
  v6scope::v1::AddressFamily family;
  Target target;
  Object object;
  TimeoutBase timeout_base;
  // Deadline = timeout_factor x the timeout setting.
  int timeout_factor;
  // Response body bytes the runner keeps (who-am-I); 0 keeps none.
  size_t keep_body_bytes;
  // Verdict inputs the kind provides.
  RoleSet roles;
  // True for a kind recorded for researchers only, feeding no verdict
  // rule; such a kind must have no roles.
  bool informational;
  // One line for docs/methodology.md "Measurement kinds" and for help.
  absl::string_view summary;
};

// Whether the kind needs the host's resolver: all but the literal target
// (which is fetched with no DNS at all).
constexpr bool NeedsResolver(const KindSpec& spec) {
  return spec.target != Target::kV6Literal;
}

}  // namespace v6scope::methodology::kinds

#endif  // V6SCOPE_METHODOLOGY_KINDS_KIND_SPEC_H_
