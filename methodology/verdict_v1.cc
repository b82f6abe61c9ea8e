#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "methodology/kinds/kind_spec.h"
#include "methodology/verdict.h"
#include "proto/results.pb.h"

// Methodology 1, FROZEN: every rule below is one row of the appendix
// "Methodology 1 (frozen)" of docs/methodology.md; the row ids (C1, R2, S3,
// ...) are the ones used there. Never change a result of this file: runs
// stored with a version 1 verdict are read under these rules forever. To
// keep it so, the kinds each verdict role is read from are frozen here as
// they were in methodology 1 (the eleven kinds of HTTP_* and DNS_*), not
// looked up in the registry, which methodology 2 and later may extend.

namespace v6scope::methodology {
namespace {

using kinds::Role;
using v6scope::v1::AddressFamily;
using v6scope::v1::AddressInventory;
using v6scope::v1::Capability;
using v6scope::v1::Outcome;
using v6scope::v1::RootCause;
using v6scope::v1::Run;
using v6scope::v1::TestKind;
using v6scope::v1::TestResult;
using v6scope::v1::Verdict;

// The kinds of methodology 1 that provided each role (frozen copy of the
// registry as it was then).
constexpr TestKind kReachabilityV1[] = {
    v6scope::v1::HTTP_V4_ONLY,    v6scope::v1::HTTP_V6_ONLY,
    v6scope::v1::HTTP_DUAL_STACK, v6scope::v1::HTTP_V6_LITERAL,
    v6scope::v1::HTTP_V6_LARGE,   v6scope::v1::HTTP_WHOAMI_V4,
    v6scope::v1::HTTP_WHOAMI_V6};
constexpr TestKind kV6PinnedV1[] = {
    v6scope::v1::HTTP_V6_ONLY, v6scope::v1::HTTP_V6_LITERAL,
    v6scope::v1::HTTP_V6_LARGE, v6scope::v1::HTTP_WHOAMI_V6};

TestKind SoleKindWithV1(Role role) {
  switch (role) {
    case Role::kV4Content:
      return v6scope::v1::HTTP_V4_ONLY;
    case Role::kV6ByName:
      return v6scope::v1::HTTP_V6_ONLY;
    case Role::kDualStackPreference:
      return v6scope::v1::HTTP_DUAL_STACK;
    case Role::kV6WithoutDns:
      return v6scope::v1::HTTP_V6_LITERAL;
    case Role::kPmtu:
      return v6scope::v1::HTTP_V6_LARGE;
    case Role::kPublicAddressV4:
      return v6scope::v1::HTTP_WHOAMI_V4;
    case Role::kPublicAddressV6:
      return v6scope::v1::HTTP_WHOAMI_V6;
    case Role::kResolverAnswers:
      return v6scope::v1::DNS_A;
    case Role::kResolverAaaa:
      return v6scope::v1::DNS_AAAA;
    case Role::kResolverV6Transport:
      return v6scope::v1::DNS_V6NS;
    case Role::kNat64Prefix:
      return v6scope::v1::DNS_NAT64;
    default:
      return v6scope::v1::TEST_KIND_UNSPECIFIED;
  }
}

// The run's tests by kind. The suite emits at most one result per kind; if
// a malformed run holds more, the first wins, so the verdict stays a
// function of the run alone. Kinds this version does not know are ignored.
class TestsByKind {
 public:
  explicit TestsByKind(const Run& run) {
    for (const TestResult& test : run.tests()) {
      const int kind = test.kind();
      if (kind > 0 && kind < kSlots && slots_[kind] == nullptr) {
        slots_[kind] = &test;
      }
    }
  }
  // Null when the run holds no result of `kind`.
  const TestResult* Get(TestKind kind) const { return slots_[kind]; }
  // The test of the one kind that plays a singular `role`; null if absent.
  const TestResult* Get(Role role) const { return Get(SoleKindWithV1(role)); }

 private:
  static constexpr int kSlots = v6scope::v1::TestKind_ARRAYSIZE;
  std::array<const TestResult*, kSlots> slots_{};
};

bool Is(const TestResult* test, Outcome outcome) {
  return test != nullptr && test->outcome() == outcome;
}

// Whether the test produced an observation. SKIPPED (opted out, not
// applicable) and OUTCOME_UNSPECIFIED (no information, or an unknown value
// read as unspecified) did not; every other outcome, including values
// newer than this code, is a real attempt.
bool Ran(const TestResult* test) {
  return test != nullptr && test->outcome() != v6scope::v1::SKIPPED &&
         test->outcome() != v6scope::v1::OUTCOME_UNSPECIFIED;
}

// The family the test used: used_family, else the family it was pinned
// to. A dual-stack result without used_family has no known family, so it
// can never count as "preferred".
AddressFamily UsedFamily(const TestResult& test) {
  return test.used_family() != v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED
             ? test.used_family()
             : test.family();
}

bool OkOver(const TestResult* test, AddressFamily family) {
  return Is(test, v6scope::v1::OK) && UsedFamily(*test) == family;
}

// Failures meaning packets went nowhere (R2). CONNECTION_REFUSED is not
// one: a RST proves the path delivers. DNS outcomes are not transport.
bool IsTransportFailure(const TestResult* test) {
  return Is(test, v6scope::v1::TIMEOUT) ||
         Is(test, v6scope::v1::NETWORK_UNREACHABLE) ||
         Is(test, v6scope::v1::HOST_UNREACHABLE);
}

// Whether `literal` is an IPv6 address embedding 192.0.0.170 or
// 192.0.0.171 (the well-known addresses of ipv4only.arpa, RFC 7050 §3) at
// one of the positions RFC 6052 §2.2 defines for prefix lengths
// 32/40/48/56/64/96. Other answers (a resolver synthesizing AAAA for
// everything, an IPv4-mapped address) are not DNS64.
bool IsNat64Synthesized(const std::string& literal) {
  in6_addr address;
  if (inet_pton(AF_INET6, literal.c_str(), &address) != 1) return false;
  if (IN6_IS_ADDR_V4MAPPED(&address)) return false;
  const uint8_t* b = address.s6_addr;
  // Byte offsets of the embedded IPv4 address per prefix length; byte 8
  // (bits 64-71, the "u" octet) is skipped and must be zero below /96.
  static constexpr int kOffsets[][4] = {{4, 5, 6, 7},    {5, 6, 7, 9},
                                        {6, 7, 9, 10},   {7, 9, 10, 11},
                                        {9, 10, 11, 12}, {12, 13, 14, 15}};
  for (const auto& at : kOffsets) {
    const bool below_96 = at[0] != 12;
    if (below_96 && b[8] != 0) continue;
    if (b[at[0]] == 192 && b[at[1]] == 0 && b[at[2]] == 0 &&
        (b[at[3]] == 170 || b[at[3]] == 171)) {
      return true;
    }
  }
  return false;
}

// R8: DNS_NAT64 answered with at least one RFC 7050 synthesized address.
bool Nat64PrefixFound(const TestResult* nat64) {
  if (!Is(nat64, v6scope::v1::OK)) return false;
  for (const std::string& address : nat64->resolved_addresses()) {
    if (IsNat64Synthesized(address)) return true;
  }
  return false;
}

// The TCP handshake time of a successful test. Timings run from the start
// of the test, so connect_us includes any name resolution (dns_us) done
// inside it; subtracting keeps resolver speed out of the comparison.
absl::Duration Handshake(const TestResult& test) {
  const uint32_t connect = test.timings().connect_us();
  const uint32_t dns = test.timings().dns_us();
  return absl::Microseconds(connect >= dns ? connect - dns : connect);
}

// The handshake gap (IPv6 minus IPv4) of one pair of fetches (one per
// family, same server): nullopt when the pair cannot be compared, i.e.
// unless the v4 fetch went over IPv4 and the v6 fetch over IPv6, each with
// a measured connect time. A v4-only fetch through NAT64 used IPv6 and
// gives no IPv4 baseline.
struct PairTimes {
  absl::Duration v4;
  absl::Duration v6;
};
std::optional<PairTimes> ComparablePair(const TestResult* v4,
                                        const TestResult* v6) {
  if (!OkOver(v4, v6scope::v1::IPV4) || !OkOver(v6, v6scope::v1::IPV6)) {
    return std::nullopt;
  }
  if (v4->timings().connect_us() == 0 || v6->timings().connect_us() == 0) {
    return std::nullopt;  // A phase that did not happen: no measurement.
  }
  return PairTimes{Handshake(*v4), Handshake(*v6)};
}

// R9's pair: the small v4-only/v6-only fetches; when they cannot be
// compared (e.g. the v4-only name went through NAT64 on a dual-stack
// network with DNS64), the who-am-I pair, pinned to each family on the
// same hosts.
std::optional<PairTimes> HandshakePair(const TestsByKind& tests) {
  std::optional<PairTimes> small =
      ComparablePair(tests.Get(Role::kV4Content), tests.Get(Role::kV6ByName));
  if (small.has_value()) return small;
  return ComparablePair(tests.Get(Role::kPublicAddressV4),
                        tests.Get(Role::kPublicAddressV6));
}

// R9: both the gap and the ratio thresholds exceeded.
bool SlowV6(const TestsByKind& tests, const VerdictThresholds& t) {
  const std::optional<PairTimes> pair = HandshakePair(tests);
  if (!pair.has_value()) return false;
  return pair->v6 - pair->v4 > t.slow_v6_gap &&
         absl::ToDoubleMicroseconds(pair->v6) >
             t.slow_v6_ratio * absl::ToDoubleMicroseconds(pair->v4);
}

// What the inventory says about the host's own configuration.
struct HostFacts {
  bool v6_global = false;    // Native, 6to4 or Teredo address (2000::/3).
  bool v6_address = false;   // Any v6 address beyond link-local.
  bool v6_route = false;     // An IPv6 default route.
  bool ula_only = false;     // ULA addresses and no global one.
  bool only_6to4 = false;    // 6to4 address and no native global one.
  bool only_teredo = false;  // Teredo address and no native global one.
  bool cgnat = false;        // A 100.64.0.0/10 address.
};

HostFacts ReadInventory(const AddressInventory& inv) {
  HostFacts h;
  const bool native = inv.v6_global_native() > 0;
  h.v6_global = native || inv.v6_6to4() > 0 || inv.v6_teredo() > 0;
  h.v6_address = h.v6_global || inv.v6_ula() > 0;
  h.v6_route = inv.v6_default_route();
  h.ula_only = inv.v6_ula() > 0 && !h.v6_global;
  h.only_6to4 = inv.v6_6to4() > 0 && !native;
  h.only_teredo = inv.v6_teredo() > 0 && !native;
  h.cgnat = inv.v4_shared() > 0;
  return h;
}

// Everything the rules look at, derived once. "raw" successes are what
// was observed; "counted" successes exclude IPv6 from a ULA-only host
// (rule E6 in docs/methodology.md) and feed capability and score only.
struct Evidence {
  HostFacts host;
  bool http_ran = false;             // Some HTTP test ran (C0).
  bool v6_pinned_ran = false;        // Some IPv6-pinned test ran (C6, C8).
  bool v4_native = false;            // Some fetch over IPv4 succeeded.
  bool v6_raw = false;               // Some fetch over IPv6 succeeded.
  bool v6_counted = false;           // Same, counting for capability.
  bool v6_small_raw = false;         // Same, other than the large object.
  bool v6_transport_failed = false;  // An IPv6-pinned test went nowhere.
  bool v6_name = false;              // HTTP_V6_ONLY over IPv6 (counted).
  bool v6_literal = false;           // HTTP_V6_LITERAL over IPv6 (counted).
  bool v6_large = false;             // HTTP_V6_LARGE over IPv6 (counted).
  bool dual_v6 = false;              // HTTP_DUAL_STACK over IPv6 (counted).
  bool dual_ok = false;              // HTTP_DUAL_STACK fetched (counted).
  bool v4_via_v6 = false;            // HTTP_V4_ONLY over IPv6 (counted).
  bool large_stalled = false;        // HTTP_V6_LARGE TIMEOUT/TRUNCATED_BODY.
  bool dns_a_ok = false;
  bool aaaa_withheld = false;  // DNS_AAAA NODATA or NXDOMAIN.
  bool v6ns_ok = false;
  bool v6ns_failed = false;  // DNS_V6NS SERVFAIL or TIMEOUT.
  bool nat64_prefix = false;
  bool slow_v6 = false;
};

void ReadHttp(const TestsByKind& tests, Evidence& e) {
  const TestKind large_kind = SoleKindWithV1(Role::kPmtu);
  for (TestKind kind : kReachabilityV1) {
    const TestResult* test = tests.Get(kind);
    e.http_ran = e.http_ran || Ran(test);
    e.v4_native = e.v4_native || OkOver(test, v6scope::v1::IPV4);
    if (OkOver(test, v6scope::v1::IPV6)) {
      e.v6_raw = true;
      e.v6_small_raw = e.v6_small_raw || kind != large_kind;
    }
  }
  // The dual-stack race may legitimately use IPv4; only the IPv6-pinned
  // tests' failures say something about the host's IPv6.
  for (TestKind kind : kV6PinnedV1) {
    const TestResult* test = tests.Get(kind);
    e.v6_pinned_ran = e.v6_pinned_ran || Ran(test);
    e.v6_transport_failed = e.v6_transport_failed || IsTransportFailure(test);
  }
  const bool count_v6 = !e.host.ula_only;
  const auto counted = [&](Role role) {
    return count_v6 && OkOver(tests.Get(role), v6scope::v1::IPV6);
  };
  e.v6_counted = count_v6 && e.v6_raw;
  e.v6_name = counted(Role::kV6ByName);
  e.v6_literal = counted(Role::kV6WithoutDns);
  e.v6_large = counted(Role::kPmtu);
  e.dual_v6 = counted(Role::kDualStackPreference);
  e.v4_via_v6 = counted(Role::kV4Content);
  const TestResult* dual = tests.Get(Role::kDualStackPreference);
  e.dual_ok = Is(dual, v6scope::v1::OK) &&
              (count_v6 || UsedFamily(*dual) != v6scope::v1::IPV6);
  const TestResult* large = tests.Get(Role::kPmtu);
  e.large_stalled =
      Is(large, v6scope::v1::TIMEOUT) || Is(large, v6scope::v1::TRUNCATED_BODY);
}

void ReadDns(const TestsByKind& tests, Evidence& e) {
  const TestResult* aaaa = tests.Get(Role::kResolverAaaa);
  const TestResult* v6ns = tests.Get(Role::kResolverV6Transport);
  e.dns_a_ok = Is(tests.Get(Role::kResolverAnswers), v6scope::v1::OK);
  e.aaaa_withheld =
      Is(aaaa, v6scope::v1::DNS_NODATA) || Is(aaaa, v6scope::v1::DNS_NXDOMAIN);
  e.v6ns_ok = Is(v6ns, v6scope::v1::OK);
  e.v6ns_failed =
      Is(v6ns, v6scope::v1::DNS_SERVFAIL) || Is(v6ns, v6scope::v1::TIMEOUT);
  e.nat64_prefix = Nat64PrefixFound(tests.Get(Role::kNat64Prefix));
}

Evidence Gather(const Run& run, const VerdictThresholds& t) {
  const TestsByKind tests(run);
  Evidence e;
  e.host = ReadInventory(run.inventory());
  ReadHttp(tests, e);
  ReadDns(tests, e);
  e.slow_v6 = SlowV6(tests, t);
  return e;
}

// The capability table; the first matching row wins.
Capability DecideCapability(const Evidence& e) {
  if (!e.http_ran) return v6scope::v1::CAPABILITY_UNSPECIFIED;     // C0
  if (!e.v4_native && !e.v6_counted) return v6scope::v1::OFFLINE;  // C1
  if (!e.v4_native) {
    return e.nat64_prefix && e.v4_via_v6 ? v6scope::v1::V6_ONLY_NAT64  // C2
                                         : v6scope::v1::V6_ONLY;       // C3
  }
  if (e.dual_v6) return v6scope::v1::V6_PREFERRED;  // C4
  if (e.v6_name) return v6scope::v1::V6_CAPABLE;    // C5
  // IPv6 counts as configured when the inventory shows an address beyond
  // link-local or a default route, or when an IPv6 fetch worked at all
  // (the inventory may be missing).
  const bool v6_configured = e.host.v6_address || e.host.v6_route || e.v6_raw;
  if (!v6_configured) return v6scope::v1::V4_ONLY;     // C7
  if (e.v6_pinned_ran) return v6scope::v1::V6_BROKEN;  // C6
  return v6scope::v1::CAPABILITY_UNSPECIFIED;          // C8: IPv6 never tested.
}

// The root-cause table, in ascending enum order.
void AddRootCauses(const Evidence& e, Verdict& verdict) {
  const HostFacts& h = e.host;
  const auto add_if = [&verdict](bool applies, RootCause cause) {
    if (applies) verdict.add_root_causes(cause);
  };
  add_if(e.v6_small_raw && e.large_stalled, v6scope::v1::PMTU_BLACKHOLE);
  add_if(h.v6_address && h.v6_route && !e.v6_raw && e.v6_transport_failed &&
             e.v4_native,
         v6scope::v1::BROKEN_V6_PATH);
  add_if(e.aaaa_withheld && e.dns_a_ok && e.v6_raw, v6scope::v1::AAAA_FILTERED);
  add_if(e.v6ns_failed && e.dns_a_ok, v6scope::v1::RESOLVER_NO_V6);
  add_if(h.only_6to4, v6scope::v1::TUNNEL_6TO4);
  add_if(h.only_teredo, v6scope::v1::TUNNEL_TEREDO);
  add_if(h.ula_only, v6scope::v1::ULA_ONLY);
  add_if(e.nat64_prefix, v6scope::v1::NAT64);
  add_if(e.slow_v6, v6scope::v1::SLOW_V6);
  add_if(h.cgnat, v6scope::v1::BEHIND_CGNAT);
  add_if(h.v6_global && !h.v6_route, v6scope::v1::NO_V6_DEFAULT_ROUTE);
}

// The score table: ten points; only S8 depends on another component (S2).
uint32_t Score(const Evidence& e) {
  uint32_t score = 0;
  if (e.v4_native || e.v4_via_v6) score += 1;  // S1 IPv4 content reachable.
  if (e.v6_name) score += 2;                   // S2 IPv6 by name (capable).
  if (e.v6_literal) score += 1;                // S3 IPv6 without DNS.
  if (e.dual_v6) score += 2;                   // S4 dual-stack prefers IPv6.
  if (e.dual_ok) score += 1;                   // S5 dual-stack name works.
  if (e.v6_large) score += 1;                  // S6 large packets over IPv6.
  if (e.v6ns_ok) score += 1;                   // S7 resolver has IPv6.
  if (e.v6_name && !e.slow_v6) score += 1;     // S8 IPv6 not slow.
  return score;
}

}  // namespace

Verdict ComputeVerdictV1(const Run& run, const VerdictThresholds& t) {
  const Evidence evidence = Gather(run, t);
  Verdict verdict;
  verdict.set_capability(DecideCapability(evidence));
  AddRootCauses(evidence, verdict);
  verdict.set_score(Score(evidence));
  verdict.set_methodology_version(kMethodologyVersionV1);
  return verdict;
}

}  // namespace v6scope::methodology
