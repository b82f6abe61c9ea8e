// Table-driven tests of the frozen methodology 1 verdict (ComputeVerdictV1):
// cases named after the rows of the appendix "Methodology 1 (frozen)" of
// docs/methodology.md (evidence E*, capability C*, root causes R*, score
// S*) and the ten network types of the v1 test bed (N*). These results
// must never change: stored v1 runs are read under them.
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "methodology/testing/run_builder.h"
#include "methodology/verdict.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {
namespace {

using testing::AaaaFiltered;
using testing::BrokenV6;
using testing::DualStack;
using ::testing::ElementsAreArray;
using testing::kDualStackHost;
using testing::Nat64Client;
using testing::PinnedFamily;
using testing::RunBuilder;
using testing::V4OnlyClient;
using testing::V6OnlyClient;
using v1::AddressFamily;
using v1::Capability;
using v1::Outcome;
using v1::RootCause;
using v1::TestKind;
using v1::TestResult;

// A dual-stack host whose DNS_NAT64 answered `address`.
RunBuilder Nat64Answer(const std::string& address) {
  RunBuilder b = DualStack();
  b.Dns(v1::DNS_NAT64, v1::OK, {address});
  return b;
}

// A dual-stack host with the given handshake timings (dns_us, connect_us)
// for the v4-only and v6-only fetches.
RunBuilder Timed(uint32_t v4_dns, uint32_t v4_connect, uint32_t v6_dns,
                 uint32_t v6_connect) {
  RunBuilder b = DualStack();
  b.Connect(v1::HTTP_V4_ONLY, v4_dns, v4_connect)
      .Connect(v1::HTTP_V6_ONLY, v6_dns, v6_connect);
  return b;
}

TestResult Raw(TestKind kind, Outcome outcome, AddressFamily used) {
  TestResult t;
  t.set_kind(kind);
  t.set_family(PinnedFamily(kind));
  t.set_outcome(outcome);
  t.set_used_family(used);
  return t;
}

struct Case {
  std::string name;
  v1::Run run;
  Capability capability;
  std::vector<RootCause> causes;  // Ascending, as the verdict lists them.
  uint32_t score;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

Case Row(std::string name, const RunBuilder& b, Capability capability,
         std::vector<RootCause> causes, uint32_t score) {
  return {std::move(name), b.Build(), capability, std::move(causes), score};
}

std::vector<Case> NetworkTypeCases() {
  RunBuilder pmtu = DualStack();
  pmtu.Http(v1::HTTP_V6_LARGE, v1::TIMEOUT);
  RunBuilder ula = BrokenV6();
  ula.Inventory(
      "v6_ula: 1 v4_private: 1 v4_default_route: true "
      "v6_default_route: true");
  RunBuilder six_to_four = DualStack();
  six_to_four
      .Inventory(
          "v6_6to4: 1 v4_public: 1 v4_default_route: true "
          "v6_default_route: true")
      .Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  RunBuilder no_v6_resolver = DualStack();
  no_v6_resolver.Dns(v1::DNS_V6NS, v1::DNS_SERVFAIL);
  return {
      Row("N1_DualStack", DualStack(), v1::V6_PREFERRED, {}, 10),
      Row("N2_V4OnlyClient", V4OnlyClient(), v1::V4_ONLY, {}, 3),
      Row("N3_V6OnlyNoNat64", V6OnlyClient(), v1::V6_ONLY, {}, 9),
      Row("N4_V6OnlyNat64", Nat64Client(), v1::V6_ONLY_NAT64, {v1::NAT64}, 10),
      Row("N5_BrokenV6", BrokenV6(), v1::V6_BROKEN, {v1::BROKEN_V6_PATH}, 3),
      Row("N6_PmtuBlackhole", pmtu, v1::V6_PREFERRED, {v1::PMTU_BLACKHOLE}, 9),
      Row("N7_UlaOnlyRouteToNowhere", ula, v1::V6_BROKEN,
          {v1::BROKEN_V6_PATH, v1::ULA_ONLY}, 3),
      Row("N8_SixToFour", six_to_four, v1::V6_CAPABLE, {v1::TUNNEL_6TO4}, 8),
      Row("N9_AaaaFiltered", AaaaFiltered(), v1::V6_BROKEN, {v1::AAAA_FILTERED},
          4),
      Row("N10_ResolverNoV6", no_v6_resolver, v1::V6_PREFERRED,
          {v1::RESOLVER_NO_V6}, 9),
  };
}

std::vector<Case> CapabilityCases() {
  RunBuilder skipped = DualStack();
  skipped.AllHttp(v1::SKIPPED);
  RunBuilder dns_only = DualStack();
  for (TestKind k : {v1::HTTP_V4_ONLY, v1::HTTP_V6_ONLY, v1::HTTP_DUAL_STACK,
                     v1::HTTP_V6_LITERAL, v1::HTTP_V6_LARGE, v1::HTTP_WHOAMI_V4,
                     v1::HTTP_WHOAMI_V6}) {
    dns_only.Without(k);
  }
  RunBuilder both_fail = DualStack();
  both_fail.AllHttp(v1::TIMEOUT);
  RunBuilder nothing = both_fail;
  nothing.Dns(v1::DNS_A, v1::TIMEOUT)
      .Dns(v1::DNS_AAAA, v1::TIMEOUT)
      .Dns(v1::DNS_V6NS, v1::TIMEOUT)
      .Dns(v1::DNS_NAT64, v1::TIMEOUT);
  RunBuilder ula_no_v4 = V6OnlyClient();
  ula_no_v4.Inventory("v6_ula: 1 v6_default_route: true");
  RunBuilder prefix_no_path = V6OnlyClient();
  prefix_no_path.Dns(v1::DNS_NAT64, v1::OK, {"64:ff9b::c000:aa"})
      .Http(v1::HTTP_V4_ONLY, v1::TIMEOUT);
  RunBuilder path_no_prefix = Nat64Client();
  path_no_prefix.Dns(v1::DNS_NAT64, v1::DNS_NODATA);
  RunBuilder v4_broken = DualStack();
  v4_broken.Http(v1::HTTP_V4_ONLY, v1::TIMEOUT)
      .Http(v1::HTTP_WHOAMI_V4, v1::TIMEOUT);
  RunBuilder v6_literal_only = V6OnlyClient();
  v6_literal_only.V6Pinned(v1::DNS_NODATA)
      .Http(v1::HTTP_V6_LITERAL, v1::OK)
      .Http(v1::HTTP_DUAL_STACK, v1::DNS_NODATA);
  RunBuilder preferred_v6_only_failed = DualStack();
  preferred_v6_only_failed.Http(v1::HTTP_V6_ONLY, v1::TIMEOUT);
  RunBuilder capable = DualStack();
  capable.Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  RunBuilder capable_dual_failed = DualStack();
  capable_dual_failed.Http(v1::HTTP_DUAL_STACK, v1::TIMEOUT);
  return {
      Row("C0_EmptyRun", RunBuilder(), v1::CAPABILITY_UNSPECIFIED, {}, 0),
      Row("C0_AllHttpSkipped", skipped, v1::CAPABILITY_UNSPECIFIED, {}, 1),
      Row("C0_OnlyDnsTests", dns_only, v1::CAPABILITY_UNSPECIFIED, {}, 1),
      // No IPv4 control: no BROKEN_V6_PATH even though v6 timed out.
      Row("C1_BothFamiliesFail", both_fail, v1::OFFLINE, {}, 1),
      Row("C1_NothingWorks", nothing, v1::OFFLINE, {}, 0),
      // ULA successes do not count: no Internet by either family.
      Row("E6_UlaOnlyWithoutV4IsOffline", ula_no_v4, v1::OFFLINE,
          {v1::ULA_ONLY}, 1),
      Row("C2_V6OnlyNat64", Nat64Client(), v1::V6_ONLY_NAT64, {v1::NAT64}, 10),
      Row("E4_V4OnlyOverV6IsNotIpv4", Nat64Client(), v1::V6_ONLY_NAT64,
          {v1::NAT64}, 10),
      Row("C3_Nat64PrefixButV4Unreachable", prefix_no_path, v1::V6_ONLY,
          {v1::NAT64}, 9),
      Row("C3_V4ViaV6WithoutPrefix", path_no_prefix, v1::V6_ONLY, {}, 10),
      Row("C3_V4ConfiguredButBroken", v4_broken, v1::V6_ONLY, {}, 9),
      Row("C3_OnlyTheLiteralWorks", v6_literal_only, v1::V6_ONLY, {}, 2),
      Row("C4_PreferredEvenIfV6OnlyFailed", preferred_v6_only_failed,
          v1::V6_PREFERRED, {}, 7),
      Row("C5_DualStackWentV4", capable, v1::V6_CAPABLE, {}, 8),
      Row("C5_DualStackFailed", capable_dual_failed, v1::V6_CAPABLE, {}, 7),
  };
}

std::vector<Case> CapabilityCases2() {
  RunBuilder no_route = BrokenV6();
  no_route.Inventory("v6_global_native: 1 v4_private: 1 v4_default_route: true")
      .V6Pinned(v1::NETWORK_UNREACHABLE);
  RunBuilder no_inventory = BrokenV6();
  no_inventory.Inventory("")
      .Http(v1::HTTP_V6_LITERAL, v1::OK)
      .Http(v1::HTTP_V6_LARGE, v1::OK)
      .Http(v1::HTTP_WHOAMI_V6, v1::OK);
  RunBuilder ula_works = DualStack();
  ula_works
      .Inventory(
          "v6_ula: 1 v4_private: 1 v4_default_route: true "
          "v6_default_route: true")
      .Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  RunBuilder ula_dual_v6 = ula_works;
  ula_dual_v6.Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV6);
  RunBuilder ula_no_route = V4OnlyClient();
  ula_no_route.Inventory("v6_ula: 1 v4_private: 1 v4_default_route: true");
  RunBuilder link_local = V4OnlyClient();
  link_local.Inventory("v6_link_local: 2 v4_private: 1 v4_default_route: true")
      .V6Pinned(v1::NO_ADDRESS);
  RunBuilder v4_only_skipped = V4OnlyClient();
  v4_only_skipped.V6Pinned(v1::SKIPPED);
  RunBuilder v6_untested = DualStack();
  v6_untested.V6Pinned(v1::SKIPPED).Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  return {
      Row("C6_GlobalAddressNoRoute", no_route, v1::V6_BROKEN,
          {v1::NO_V6_DEFAULT_ROUTE}, 3),
      // IPv6 fetches prove IPv6 exists even with an empty inventory.
      Row("E5_V6WorksWithEmptyInventory", no_inventory, v1::V6_BROKEN, {}, 5),
      Row("E6_UlaOnlyLocalPathNotCounted", ula_works, v1::V6_BROKEN,
          {v1::ULA_ONLY}, 3),
      Row("E6_UlaOnlyDualStackOverUlaNotCounted", ula_dual_v6, v1::V6_BROKEN,
          {v1::ULA_ONLY}, 2),
      Row("C6_UlaOnlyNoRoute", ula_no_route, v1::V6_BROKEN, {v1::ULA_ONLY}, 3),
      Row("E5_LinkLocalOnlyIsNotConfigured", link_local, v1::V4_ONLY, {}, 3),
      Row("C7_V6TestsSkippedNoV6", v4_only_skipped, v1::V4_ONLY, {}, 3),
      Row("C8_V6ConfiguredButUntested", v6_untested, v1::CAPABILITY_UNSPECIFIED,
          {}, 3),
  };
}

std::vector<Case> EvidenceCases() {
  RunBuilder pinned_fallback = DualStack();
  pinned_fallback.ClearUsedFamily(v1::HTTP_V6_ONLY)
      .ClearUsedFamily(v1::HTTP_WHOAMI_V4);
  // Unpinned and without used_family: no family, so no IPv4 evidence.
  RunBuilder v4_unknown = V6OnlyClient();
  v4_unknown.Http(v1::HTTP_V4_ONLY, v1::OK).ClearUsedFamily(v1::HTTP_V4_ONLY);
  RunBuilder dual_unknown = DualStack();
  dual_unknown.ClearUsedFamily(v1::HTTP_DUAL_STACK);
  RunBuilder duplicates = DualStack();
  duplicates.Without(v1::HTTP_V6_ONLY)
      .Append(
          Raw(v1::HTTP_V6_ONLY, v1::TIMEOUT, v1::ADDRESS_FAMILY_UNSPECIFIED))
      .Append(Raw(v1::HTTP_V6_ONLY, v1::OK, v1::IPV6));
  RunBuilder unknown_kind = DualStack();
  unknown_kind.Append(Raw(static_cast<TestKind>(99), v1::OK, v1::IPV6));
  RunBuilder unknown_outcome = BrokenV6();
  unknown_outcome.V6Pinned(static_cast<Outcome>(99));
  RunBuilder unspecified = BrokenV6();
  unspecified.V6Pinned(v1::OUTCOME_UNSPECIFIED);
  return {
      Row("E3_UsedFamilyFallsBackToPinned", pinned_fallback, v1::V6_PREFERRED,
          {}, 10),
      Row("E3_UnpinnedWithoutFamilyIsNoEvidence", v4_unknown, v1::V6_ONLY, {},
          9),
      Row("E3_DualStackWithoutFamilyNotPreferred", dual_unknown, v1::V6_CAPABLE,
          {}, 8),
      Row("E1_FirstOfDuplicateKindsWins", duplicates, v1::V6_PREFERRED, {}, 7),
      Row("E1_UnknownKindIgnored", unknown_kind, v1::V6_PREFERRED, {}, 10),
      // Ran and failed, but not a transport failure.
      Row("E2_UnknownOutcomeIsFailure", unknown_outcome, v1::V6_BROKEN, {}, 3),
      Row("E2_UnspecifiedOutcomeIsNotRun", unspecified,
          v1::CAPABILITY_UNSPECIFIED, {}, 3),
  };
}

std::vector<Case> TransportCauseCases() {
  RunBuilder truncated = DualStack();
  truncated.Http(v1::HTTP_V6_LARGE, v1::TRUNCATED_BODY);
  RunBuilder large_unreachable = DualStack();
  large_unreachable.Http(v1::HTTP_V6_LARGE, v1::HOST_UNREACHABLE);
  RunBuilder net_unreachable = BrokenV6();
  net_unreachable.V6Pinned(v1::NETWORK_UNREACHABLE);
  RunBuilder host_unreachable = BrokenV6();
  host_unreachable.V6Pinned(v1::HOST_UNREACHABLE);
  RunBuilder refused = BrokenV6();
  refused.V6Pinned(v1::CONNECTION_REFUSED);
  RunBuilder literal_works = BrokenV6();
  literal_works.Http(v1::HTTP_V6_LITERAL, v1::OK).Without(v1::HTTP_V6_LARGE);
  return {
      Row("R1_PmtuTruncatedBody", truncated, v1::V6_PREFERRED,
          {v1::PMTU_BLACKHOLE}, 9),
      Row("R1_LargeFailsOtherwiseIsNotPmtu", large_unreachable,
          v1::V6_PREFERRED, {}, 9),
      Row("R2_NetworkUnreachable", net_unreachable, v1::V6_BROKEN,
          {v1::BROKEN_V6_PATH}, 3),
      Row("R2_HostUnreachable", host_unreachable, v1::V6_BROKEN,
          {v1::BROKEN_V6_PATH}, 3),
      Row("R2_RefusedIsNotBrokenPath", refused, v1::V6_BROKEN, {}, 3),
      Row("R2_SomeV6WorksIsNotBrokenPath", literal_works, v1::V6_BROKEN, {}, 4),
  };
}

std::vector<Case> DnsCauseCases() {
  RunBuilder nxdomain = AaaaFiltered();
  nxdomain.Dns(v1::DNS_AAAA, v1::DNS_NXDOMAIN);
  RunBuilder no_v6 = V4OnlyClient();
  no_v6.Dns(v1::DNS_AAAA, v1::DNS_NODATA);
  RunBuilder a_fails_too = AaaaFiltered();
  a_fails_too.Dns(v1::DNS_A, v1::DNS_NODATA);
  RunBuilder filtered_v6_works = DualStack();
  filtered_v6_works.Dns(v1::DNS_AAAA, v1::DNS_NODATA);
  RunBuilder v6ns_timeout = DualStack();
  v6ns_timeout.Dns(v1::DNS_V6NS, v1::TIMEOUT);
  RunBuilder v6ns_refused = DualStack();
  v6ns_refused.Dns(v1::DNS_V6NS, v1::DNS_REFUSED);
  RunBuilder resolver_dead = DualStack();
  resolver_dead.Dns(v1::DNS_V6NS, v1::DNS_SERVFAIL)
      .Dns(v1::DNS_A, v1::DNS_SERVFAIL);
  RunBuilder v6ns_absent = DualStack();
  v6ns_absent.Without(v1::DNS_V6NS);
  RunBuilder v6ns_skipped = DualStack();
  v6ns_skipped.Dns(v1::DNS_V6NS, v1::SKIPPED);
  return {
      Row("R3_AaaaNxdomain", nxdomain, v1::V6_BROKEN, {v1::AAAA_FILTERED}, 4),
      Row("R3_NoV6NoFilteringLabel", no_v6, v1::V4_ONLY, {}, 3),
      Row("R3_ANotOkNoFilteringLabel", a_fails_too, v1::V6_BROKEN, {}, 4),
      Row("R3_FilteredWhileV6Works", filtered_v6_works, v1::V6_PREFERRED,
          {v1::AAAA_FILTERED}, 10),
      Row("R4_V6nsTimeout", v6ns_timeout, v1::V6_PREFERRED,
          {v1::RESOLVER_NO_V6}, 9),
      Row("R4_V6nsRefusedIsPolicy", v6ns_refused, v1::V6_PREFERRED, {}, 9),
      Row("R4_ResolverDeadAltogether", resolver_dead, v1::V6_PREFERRED, {}, 9),
      Row("R4_V6nsAbsent", v6ns_absent, v1::V6_PREFERRED, {}, 9),
      Row("R4_V6nsSkipped", v6ns_skipped, v1::V6_PREFERRED, {}, 9),
  };
}

std::vector<Case> InventoryCauseCases() {
  RunBuilder teredo = DualStack();
  teredo
      .Inventory(
          "v6_teredo: 1 v4_private: 1 v4_default_route: true "
          "v6_default_route: true")
      .Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  RunBuilder both_tunnels = teredo;
  both_tunnels.Inventory(
      "v6_6to4: 1 v6_teredo: 1 v4_public: 1 v4_default_route: true "
      "v6_default_route: true");
  RunBuilder native_and_6to4 = DualStack();
  native_and_6to4.Inventory(std::string(kDualStackHost) + " v6_6to4: 1");
  RunBuilder ula_and_global = DualStack();
  ula_and_global.Inventory(std::string(kDualStackHost) + " v6_ula: 1");
  RunBuilder cgnat = DualStack();
  cgnat.Inventory(std::string(kDualStackHost) + " v4_shared: 1");
  RunBuilder specific_route = DualStack();
  specific_route.Inventory(
      "v6_global_native: 1 v4_private: 1 v4_default_route: true");
  return {
      Row("R6_Teredo", teredo, v1::V6_CAPABLE, {v1::TUNNEL_TEREDO}, 8),
      Row("R5R6_BothTunnels", both_tunnels, v1::V6_CAPABLE,
          {v1::TUNNEL_6TO4, v1::TUNNEL_TEREDO}, 8),
      Row("R5_SixToFourBesideNativeIsNoTunnel", native_and_6to4,
          v1::V6_PREFERRED, {}, 10),
      Row("R7_UlaBesideGlobalIsNotUlaOnly", ula_and_global, v1::V6_PREFERRED,
          {}, 10),
      Row("R11_Cgnat", cgnat, v1::V6_PREFERRED, {v1::BEHIND_CGNAT}, 10),
      Row("R12_NoDefaultRouteButTargetsReachable", specific_route,
          v1::V6_PREFERRED, {v1::NO_V6_DEFAULT_ROUTE}, 10),
  };
}

std::vector<Case> Nat64PrefixCases() {
  const auto nat64 = [](std::string name, const std::string& address,
                        bool found) {
    return Row(
        std::move(name), Nat64Answer(address), v1::V6_PREFERRED,
        found ? std::vector<RootCause>{v1::NAT64} : std::vector<RootCause>{},
        10);
  };
  RunBuilder second_valid = DualStack();
  second_valid.Dns(v1::DNS_NAT64, v1::OK, {"2001:db8::1", "64:ff9b::c000:aa"});
  RunBuilder not_ok = DualStack();
  not_ok.Dns(v1::DNS_NAT64, v1::DNS_ERROR, {"64:ff9b::c000:aa"});
  return {
      nat64("R8_WellKnownPrefix96", "64:ff9b::c000:aa", true),
      nat64("R8_NetworkPrefix96Addr171", "2001:db8:64::c000:ab", true),
      nat64("R8_Prefix32", "2001:db8:c000:aa::", true),
      nat64("R8_Prefix40", "2001:db8:1c0:0:aa::", true),
      nat64("R8_Prefix48", "2001:db8:122:c000:0:aa00::", true),
      nat64("R8_Prefix56", "2001:db8:122:3c0:0:aa::", true),
      nat64("R8_Prefix64", "2001:db8:122:344:c0:0:aa00:0", true),
      nat64("R8_Prefix64NonZeroUOctet", "2001:db8:122:344:ffc0:0:aa00:0",
            false),
      nat64("R8_V4MappedIsNotNat64", "::ffff:192.0.0.170", false),
      nat64("R8_UnrelatedAddress", "2001:db8::1", false),
      nat64("R8_Ipv4Literal", "192.0.0.170", false),
      nat64("R8_Garbage", "not-an-address", false),
      Row("R8_SecondAddressSynthesized", second_valid, v1::V6_PREFERRED,
          {v1::NAT64}, 10),
      Row("R8_AnswerNotOk", not_ok, v1::V6_PREFERRED, {}, 10),
  };
}

std::vector<Case> SlowV6Cases() {
  // Dual-stack with DNS64: the v4-only name goes through NAT64.
  RunBuilder via_nat64 = DualStack();
  via_nat64.Dns(v1::DNS_NAT64, v1::OK, {"64:ff9b::c000:aa"})
      .Http(v1::HTTP_V4_ONLY, v1::OK, v1::IPV6)
      .Connect(v1::HTTP_WHOAMI_V4, 1000, 21000)
      .Connect(v1::HTTP_WHOAMI_V6, 1000, 301000);
  RunBuilder small_pair_wins = Timed(1000, 21000, 1000, 21000);
  small_pair_wins.Connect(v1::HTTP_WHOAMI_V6, 1000, 301000);
  RunBuilder nat64_no_baseline = Nat64Client();
  nat64_no_baseline.Connect(v1::HTTP_V6_ONLY, 1000, 501000);
  return {
      // 150 ms vs 20 ms: gap 130 ms, ratio 7.5.
      Row("R9_Slow", Timed(1000, 21000, 1000, 151000), v1::V6_PREFERRED,
          {v1::SLOW_V6}, 9),
      // 550 ms vs 400 ms: gap 150 ms but ratio 1.375.
      Row("R9_GapWithoutRatio", Timed(1000, 401000, 1000, 551000),
          v1::V6_PREFERRED, {}, 10),
      // 90 ms vs 10 ms: ratio 9 but gap 80 ms.
      Row("R9_RatioWithoutGap", Timed(1000, 11000, 1000, 91000),
          v1::V6_PREFERRED, {}, 10),
      // 200 ms vs 100 ms: the gap must be exceeded, not met.
      Row("R9_GapExactlyMet", Timed(0, 100000, 0, 200000), v1::V6_PREFERRED, {},
          10),
      // v6 spent 200 ms resolving, then 30 ms connecting.
      Row("E8_DnsTimeExcluded", Timed(1000, 21000, 200000, 230000),
          v1::V6_PREFERRED, {}, 10),
      Row("R9_NoV4ConnectTime", Timed(0, 0, 1000, 501000), v1::V6_PREFERRED, {},
          10),
      Row("R9_WhoamiPairWhenV4OnlyWentNat64", via_nat64, v1::V6_PREFERRED,
          {v1::NAT64, v1::SLOW_V6}, 9),
      Row("R9_SmallPairTakesPrecedence", small_pair_wins, v1::V6_PREFERRED, {},
          10),
      Row("R9_NoNativeV4Baseline", nat64_no_baseline, v1::V6_ONLY_NAT64,
          {v1::NAT64}, 10),
  };
}

// Each component taken away from the 10-point dual-stack run.
std::vector<Case> ScoreCases() {
  RunBuilder s1 = DualStack();
  s1.Http(v1::HTTP_V4_ONLY, v1::TIMEOUT).Http(v1::HTTP_WHOAMI_V4, v1::TIMEOUT);
  RunBuilder s2 = DualStack();
  s2.Http(v1::HTTP_V6_ONLY, v1::TIMEOUT);
  RunBuilder s3 = DualStack();
  s3.Http(v1::HTTP_V6_LITERAL, v1::TIMEOUT);
  RunBuilder s4 = DualStack();
  s4.Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  RunBuilder s5 = DualStack();
  s5.Http(v1::HTTP_DUAL_STACK, v1::TIMEOUT);
  RunBuilder s6 = DualStack();
  s6.Http(v1::HTTP_V6_LARGE, v1::SKIPPED);
  RunBuilder s7 = DualStack();
  s7.Without(v1::DNS_V6NS);
  RunBuilder s8 = Timed(1000, 21000, 1000, 301000);
  RunBuilder s1_nat64 = Nat64Client();
  s1_nat64.Http(v1::HTTP_V4_ONLY, v1::TIMEOUT)
      .Http(v1::HTTP_WHOAMI_V4, v1::TIMEOUT);
  return {
      Row("S0_AllComponents", DualStack(), v1::V6_PREFERRED, {}, 10),
      Row("S1_Ipv4Content", s1, v1::V6_ONLY, {}, 9),
      Row("S1_Ipv4ContentViaNat64Lost", s1_nat64, v1::V6_ONLY, {v1::NAT64}, 9),
      Row("S2_V6ByNameAlsoTakesS8", s2, v1::V6_PREFERRED, {}, 7),
      Row("S3_V6Literal", s3, v1::V6_PREFERRED, {}, 9),
      Row("S4_DualStackPrefersV6", s4, v1::V6_CAPABLE, {}, 8),
      Row("S5_DualStackWorksAlsoTakesS4", s5, v1::V6_CAPABLE, {}, 7),
      Row("S6_LargeOverV6", s6, v1::V6_PREFERRED, {}, 9),
      Row("S7_ResolverV6Transport", s7, v1::V6_PREFERRED, {}, 9),
      Row("S8_NotSlow", s8, v1::V6_PREFERRED, {v1::SLOW_V6}, 9),
  };
}

std::vector<Case> AllCases() {
  std::vector<Case> all;
  for (auto* make :
       {NetworkTypeCases, CapabilityCases, CapabilityCases2, EvidenceCases,
        TransportCauseCases, DnsCauseCases, InventoryCauseCases,
        Nat64PrefixCases, SlowV6Cases, ScoreCases}) {
    for (Case& c : make()) all.push_back(std::move(c));
  }
  return all;
}

std::vector<std::string> Names(const std::vector<RootCause>& causes) {
  std::vector<std::string> names;
  for (RootCause c : causes) names.push_back(v1::RootCause_Name(c));
  return names;
}

std::vector<std::string> Names(const v1::Verdict& verdict) {
  std::vector<std::string> names;
  for (int c : verdict.root_causes()) {
    names.push_back(v1::RootCause_Name(static_cast<RootCause>(c)));
  }
  return names;
}

class VerdictV1TableTest : public ::testing::TestWithParam<Case> {};

TEST_P(VerdictV1TableTest, MatchesDecisionTable) {
  const Case& c = GetParam();
  const v1::Verdict verdict = ComputeVerdictV1(c.run);
  EXPECT_EQ(v1::Capability_Name(verdict.capability()),
            v1::Capability_Name(c.capability));
  EXPECT_THAT(Names(verdict), ElementsAreArray(Names(c.causes)));
  EXPECT_EQ(verdict.score(), c.score);
  EXPECT_EQ(verdict.methodology_version(), "1");
}

INSTANTIATE_TEST_SUITE_P(Rules, VerdictV1TableTest,
                         ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name;
                         });

TEST(VerdictV1Test, MethodologyVersionIsOne) {
  EXPECT_STREQ(kMethodologyVersionV1, "1");
  EXPECT_EQ(ComputeVerdictV1(v1::Run()).methodology_version(), "1");
  EXPECT_EQ(ComputeVerdictV1(DualStack().Build()).explanations_size(), 0);
}

// Methodology 2's additions change no v1 result: a v1 verdict ignores
// HTTP_NAT64 and reads the new outcomes as other failures.
TEST(VerdictV1Test, IgnoresMethodology2Additions) {
  RunBuilder broken = BrokenV6();
  const std::string before =
      ComputeVerdictV1(broken.Build()).SerializeAsString();
  broken.Http(v1::HTTP_NAT64, v1::OK, v1::IPV6);
  EXPECT_EQ(ComputeVerdictV1(broken.Build()).SerializeAsString(), before);
  RunBuilder stalled = DualStack();
  stalled.Http(v1::HTTP_V6_LARGE, v1::STALLED);
  EXPECT_EQ(ComputeVerdictV1(stalled.Build()).root_causes_size(), 0);
  RunBuilder prohibited = BrokenV6();
  prohibited.V6Pinned(v1::ADMIN_PROHIBITED);
  EXPECT_EQ(ComputeVerdictV1(prohibited.Build()).root_causes_size(), 0);
}

TEST(VerdictV1Test, DependsOnlyOnInventoryAndTests) {
  const v1::Run run = BrokenV6().Build();
  v1::Run decorated = run;
  decorated.mutable_verdict()->set_capability(v1::V6_PREFERRED);
  decorated.mutable_verdict()->add_root_causes(v1::V4_V6_ASN_MISMATCH);
  decorated.mutable_verdict()->set_score(10);
  decorated.mutable_started_at()->set_seconds(1700000000);
  decorated.mutable_public_addresses()->set_v6_prefix("2001:db8:1::/48");
  decorated.set_target_set("other");
  decorated.set_probe_version("9.9");
  EXPECT_EQ(ComputeVerdictV1(decorated).SerializeAsString(),
            ComputeVerdictV1(run).SerializeAsString());
}

// R10: only the collector knows the ASNs.
TEST(VerdictV1Test, NeverSetsAsnMismatch) {
  for (const Case& c : AllCases()) {
    const v1::Verdict verdict = ComputeVerdictV1(c.run);
    for (int cause : verdict.root_causes()) {
      EXPECT_NE(cause, v1::V4_V6_ASN_MISMATCH) << c.name;
    }
  }
}

TEST(VerdictV1Test, RootCausesAreDistinctAndAscending) {
  RunBuilder b = Timed(1000, 21000, 1000, 301000);
  b.Inventory("v6_6to4: 1 v6_teredo: 1 v4_shared: 1 v4_default_route: true")
      .Dns(v1::DNS_V6NS, v1::TIMEOUT)
      .Dns(v1::DNS_AAAA, v1::DNS_NODATA)
      .Dns(v1::DNS_NAT64, v1::OK, {"64:ff9b::c000:aa"})
      .Http(v1::HTTP_V6_LARGE, v1::TIMEOUT);
  const v1::Verdict verdict = ComputeVerdictV1(b.Build());
  EXPECT_THAT(Names(verdict),
              ElementsAreArray(Names(
                  {v1::PMTU_BLACKHOLE, v1::AAAA_FILTERED, v1::RESOLVER_NO_V6,
                   v1::TUNNEL_6TO4, v1::TUNNEL_TEREDO, v1::NAT64, v1::SLOW_V6,
                   v1::BEHIND_CGNAT, v1::NO_V6_DEFAULT_ROUTE})));
}

TEST(VerdictV1Test, ScoreNeverExceedsTen) {
  for (const Case& c : AllCases()) {
    EXPECT_LE(ComputeVerdictV1(c.run).score(), 10u) << c.name;
  }
}

TEST(VerdictV1Test, ThresholdsAreParameters) {
  // 60 ms vs 20 ms: not slow by default (gap 40 ms < 100 ms) ...
  const v1::Run run = Timed(0, 20000, 0, 60000).Build();
  EXPECT_EQ(ComputeVerdictV1(run).root_causes_size(), 0);
  // ... slow with a 30 ms gap and ratio 2 (3x) ...
  VerdictThresholds strict;
  strict.slow_v6_gap = absl::Milliseconds(30);
  strict.slow_v6_ratio = 2.0;
  EXPECT_THAT(Names(ComputeVerdictV1(run, strict)),
              ElementsAreArray(Names({v1::SLOW_V6})));
  // ... and not with ratio 3 (must be exceeded, not met).
  strict.slow_v6_ratio = 3.0;
  EXPECT_EQ(ComputeVerdictV1(run, strict).root_causes_size(), 0);
}

}  // namespace
}  // namespace v6scope::methodology
