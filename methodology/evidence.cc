#include "methodology/evidence.h"

#include <optional>

#include "absl/time/time.h"
#include "methodology/kinds/registry.h"
#include "methodology/run_view.h"
#include "proto/results.pb.h"

// Every flag below is one evidence row (E*) of docs/methodology.md.

namespace v6scope::methodology {
namespace {

using kinds::Role;
using v6scope::v1::AddressInventory;
using v6scope::v1::Outcome;
using v6scope::v1::TestKind;
using v6scope::v1::TestResult;

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
  // Special-purpose IPv4 (documentation, loopback, ...) is no uplink.
  h.v4_configured = inv.v4_public() + inv.v4_private() + inv.v4_shared() > 0 &&
                    inv.v4_default_route();
  return h;
}

// Outcomes meaning the packets went nowhere. CONNECTION_REFUSED is not
// one: a RST proves the path delivers.
bool IsIcmpError(Outcome o) {
  return o == v6scope::v1::NETWORK_UNREACHABLE ||
         o == v6scope::v1::HOST_UNREACHABLE ||
         o == v6scope::v1::ADMIN_PROHIBITED;
}

// E12: a stall after the first byte is a transfer problem (PMTU), not
// silence.
bool IsSilent(const TestResult& test) {
  return test.outcome() == v6scope::v1::TIMEOUT ||
         (test.outcome() == v6scope::v1::STALLED &&
          test.timings().first_byte_us() == 0);
}

// E10: over IPv4 (or no family recorded), the packets went nowhere.
bool V4TransportFailed(const TestResult* test) {
  if (test == nullptr) return false;
  const Outcome o = test->outcome();
  const bool nowhere =
      o == v6scope::v1::TIMEOUT || o == v6scope::v1::STALLED || IsIcmpError(o);
  const auto used = test->used_family();
  return nowhere && (used == v6scope::v1::IPV4 ||
                     used == v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED);
}

void ReadReachability(const RunTests& tests, Evidence& e) {
  const TestKind large_kind = kinds::SoleKindWith(Role::kPmtu);
  for (TestKind kind : kinds::KindsWith(Role::kReachability)) {
    const TestResult* test = tests.Get(kind);
    e.http_ran = e.http_ran || Ran(test);
    e.v4_native = e.v4_native || OkOver(test, v6scope::v1::IPV4);
    if (OkOver(test, v6scope::v1::IPV6)) {
      e.v6_raw = true;
      e.v6_small_raw = e.v6_small_raw || kind != large_kind;
    }
  }
  // Only the IPv6-pinned tests' failures say something about the host's
  // IPv6: the dual-stack race may legitimately use IPv4.
  for (TestKind kind : kinds::KindsWith(Role::kV6Pinned)) {
    const TestResult* test = tests.Get(kind);
    e.v6_pinned_ran = e.v6_pinned_ran || Ran(test);
    if (test == nullptr) continue;
    e.v6_unreachable = e.v6_unreachable || IsIcmpError(test->outcome());
    e.v6_silent = e.v6_silent || IsSilent(*test);
  }
  e.v4_transport_failed =
      V4TransportFailed(tests.Get(Role::kPublicAddressV4)) ||
      V4TransportFailed(tests.Get(Role::kV4Content));
}

void ReadCounted(const RunTests& tests, Evidence& e) {
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
  e.dual_ok = IsOutcome(dual, v6scope::v1::OK) &&
              (count_v6 || UsedFamilyOf(*dual) != v6scope::v1::IPV6);
  e.dual_v6_raw = OkOver(dual, v6scope::v1::IPV6);
  e.dual_failed = Ran(dual) && !IsOutcome(dual, v6scope::v1::OK);
  const TestResult* large = tests.Get(Role::kPmtu);
  // E13: TIMEOUT is not a stall: the deadline cut a fetch while bytes
  // were still flowing (slow, not a black hole).
  e.large_stalled = IsOutcome(large, v6scope::v1::STALLED) ||
                    IsOutcome(large, v6scope::v1::TRUNCATED_BODY);
}

// E14. Without HTTP_NAT64 (a probe older than methodology 2), the failed
// v4-only fetch of a host without IPv4 stands in for it.
void ReadNat64Path(const RunTests& tests, Evidence& e) {
  const TestResult* nat64 = tests.Get(Role::kNat64Path);
  if (nat64 == nullptr) {
    const TestResult* v4 = tests.Get(Role::kV4Content);
    e.nat64_fetch_failed =
        !e.v4_native && Ran(v4) && !IsOutcome(v4, v6scope::v1::OK);
    return;
  }
  e.nat64_fetch_ok = OkOver(nat64, v6scope::v1::IPV6);
  // No AAAA for the IPv4-only name: no DNS64 here, not a broken NAT64.
  e.nat64_fetch_failed = Ran(nat64) && !IsOutcome(nat64, v6scope::v1::OK) &&
                         !IsNoAddress(nat64->outcome());
}

void ReadDns(const RunTests& tests, Evidence& e) {
  const TestResult* aaaa = tests.Get(Role::kResolverAaaa);
  const TestResult* v6ns = tests.Get(Role::kResolverV6Transport);
  e.dns_a_ok = IsOutcome(tests.Get(Role::kResolverAnswers), v6scope::v1::OK);
  e.aaaa_withheld = IsOutcome(aaaa, v6scope::v1::DNS_NODATA) ||
                    IsOutcome(aaaa, v6scope::v1::DNS_NXDOMAIN);
  e.v6ns_ok = IsOutcome(v6ns, v6scope::v1::OK);
  e.v6ns_failed = IsOutcome(v6ns, v6scope::v1::DNS_SERVFAIL) ||
                  IsOutcome(v6ns, v6scope::v1::TIMEOUT);
  e.nat64_prefix = Nat64PrefixFound(tests.Get(Role::kNat64Prefix));
}

}  // namespace

// Both the gap and the ratio thresholds must be exceeded (R9).
bool IsSlow(const HandshakePairTimes& pair, const VerdictThresholds& t) {
  return pair.v6 - pair.v4 > t.slow_v6_gap &&
         absl::ToDoubleMicroseconds(pair.v6) >
             t.slow_v6_ratio * absl::ToDoubleMicroseconds(pair.v4);
}

Evidence GatherEvidence(const RunTests& tests,
                        const AddressInventory& inventory,
                        const VerdictThresholds& t) {
  Evidence e;
  e.host = ReadInventory(inventory);
  ReadReachability(tests, e);
  ReadCounted(tests, e);
  ReadNat64Path(tests, e);
  ReadDns(tests, e);
  const std::optional<HandshakePairTimes> pair = HandshakePair(tests);
  e.slow_v6 = pair.has_value() && IsSlow(*pair, t);
  return e;
}

}  // namespace v6scope::methodology
