#include "methodology/testing/reference_networks.h"

#include <vector>

#include "methodology/testing/run_builder.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::testing {
namespace {

// Times with the methodology 2 defaults: a connect that never completes
// ends at connect_timeout_ms (3 s), a stall after stall_timeout_ms (2 s),
// an ICMP error within milliseconds.
constexpr uint32_t kConnectTimeoutUs = 3'001'000;
constexpr uint32_t kStallUs = 2'061'000;
constexpr uint32_t kIcmpUs = 2'000;

constexpr v1::TestKind kPinned[] = {v1::HTTP_V6_ONLY, v1::HTTP_V6_LITERAL,
                                    v1::HTTP_V6_LARGE, v1::HTTP_WHOAMI_V6};

const char* V6Address(v1::TestKind kind) {
  return kind == v1::HTTP_V6_LITERAL ? kV6LiteralTarget : kV6Target;
}

// Every successful fetch records the address it used.
RunBuilder& WithAddresses(RunBuilder& b) {
  b.Seen(v1::HTTP_V4_ONLY, v1::IPV4, kV4Target, 50'000)
      .Seen(v1::HTTP_WHOAMI_V4, v1::IPV4, kV4Target, 50'000)
      .Seen(v1::HTTP_DUAL_STACK, v1::IPV6, kDualV6Target, 50'000);
  for (v1::TestKind kind : kPinned) {
    b.Seen(kind, v1::IPV6, V6Address(kind), 50'000);
  }
  return b;
}

// Every IPv6-pinned fetch ends `outcome` after `total_us`; the dual-stack
// race falls back to IPv4.
RunBuilder& V6Fails(RunBuilder& b, v1::Outcome outcome, uint32_t total_us) {
  for (v1::TestKind kind : kPinned) {
    b.Http(kind, outcome).Seen(kind, v1::IPV6, V6Address(kind), total_us);
  }
  b.Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4)
      .Seen(v1::HTTP_DUAL_STACK, v1::IPV4, kDualV4Target, 251'000);
  return b;
}

RunBuilder DualStackRun() {
  RunBuilder b = DualStack();
  return WithAddresses(b);
}

RunBuilder V4Only() {
  RunBuilder b = DualStackRun();
  b.Inventory(kV4OnlyHost);
  V6Fails(b, v1::NETWORK_UNREACHABLE, 1'100);  // The kernel: no route.
  return b;
}

RunBuilder V6Only() {
  RunBuilder b = DualStackRun();
  b.Inventory(kV6OnlyHost)
      .Http(v1::HTTP_V4_ONLY, v1::NETWORK_UNREACHABLE)
      .Seen(v1::HTTP_V4_ONLY, v1::IPV4, kV4Target, 1'100)
      .Http(v1::HTTP_WHOAMI_V4, v1::NETWORK_UNREACHABLE)
      .Seen(v1::HTTP_WHOAMI_V4, v1::IPV4, kV4Target, 1'100);
  return b;
}

RunBuilder Nat64() {
  RunBuilder b = V6Only();
  b.Dns(v1::DNS_NAT64, v1::OK, {"64:ff9b::c000:aa", "64:ff9b::c000:ab"})
      .Http(v1::HTTP_V4_ONLY, v1::OK, v1::IPV6)
      .Seen(v1::HTTP_V4_ONLY, v1::IPV6, kNat64Target, 52'000)
      .Http(v1::HTTP_NAT64, v1::OK, v1::IPV6)
      .Seen(v1::HTTP_NAT64, v1::IPV6, kNat64Target, 52'000);
  return b;
}

// The router has no route to 64:ff9b::/96: ICMPv6 no route.
RunBuilder Nat64Broken() {
  RunBuilder b = Nat64();
  b.Http(v1::HTTP_V4_ONLY, v1::NETWORK_UNREACHABLE)
      .Seen(v1::HTTP_V4_ONLY, v1::IPV6, kNat64Target, kIcmpUs)
      .Http(v1::HTTP_NAT64, v1::NETWORK_UNREACHABLE)
      .Seen(v1::HTTP_NAT64, v1::IPV6, kNat64Target, kIcmpUs);
  return b;
}

// The router drops the client's IPv4; the resolver is reached over IPv6.
RunBuilder V4Broken() {
  RunBuilder b = DualStackRun();
  b.Http(v1::HTTP_V4_ONLY, v1::TIMEOUT)
      .Seen(v1::HTTP_V4_ONLY, v1::IPV4, kV4Target, kConnectTimeoutUs)
      .Http(v1::HTTP_WHOAMI_V4, v1::TIMEOUT)
      .Seen(v1::HTTP_WHOAMI_V4, v1::IPV4, kV4Target, kConnectTimeoutUs);
  return b;
}

RunBuilder BrokenV6Silent() {
  RunBuilder b = DualStackRun();
  return V6Fails(b, v1::TIMEOUT, kConnectTimeoutUs);
}

RunBuilder V6Unreachable() {
  RunBuilder b = DualStackRun();
  return V6Fails(b, v1::NETWORK_UNREACHABLE, kIcmpUs);
}

// Small responses pass; the first full-size segment of the large one is
// lost, so not even its first byte arrives before the stall window ends.
RunBuilder PmtuBlackhole() {
  RunBuilder b = DualStackRun();
  b.Http(v1::HTTP_V6_LARGE, v1::STALLED)
      .Seen(v1::HTTP_V6_LARGE, v1::IPV6, kV6Target, kStallUs)
      .Received(v1::HTTP_V6_LARGE, 0, 0);
  return b;
}

RunBuilder UlaOnly() {
  RunBuilder b = BrokenV6Silent();
  b.Inventory(
      "v6_ula: 1 v4_private: 1 v4_default_route: true "
      "v6_default_route: true");
  return b;
}

RunBuilder SixToFour() {
  RunBuilder b = DualStackRun();
  b.Inventory(
       "v6_6to4: 1 v4_public: 1 v4_default_route: true "
       "v6_default_route: true")
      .Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4)
      .Seen(v1::HTTP_DUAL_STACK, v1::IPV4, kDualV4Target, 50'000);
  return b;
}

RunBuilder AaaaFilteredRun() {
  RunBuilder b = AaaaFiltered();
  WithAddresses(b);
  for (v1::TestKind kind :
       {v1::HTTP_V6_ONLY, v1::HTTP_V6_LARGE, v1::HTTP_WHOAMI_V6}) {
    b.Http(kind, v1::DNS_NODATA).Seen(kind, v1::IPV6, "", 1'500);
  }
  b.Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4)
      .Seen(v1::HTTP_DUAL_STACK, v1::IPV4, kDualV4Target, 50'000);
  return b;
}

RunBuilder ResolverNoV6() {
  RunBuilder b = DualStackRun();
  b.Dns(v1::DNS_V6NS, v1::DNS_SERVFAIL);
  return b;
}

// IPv6 toward the client shaped to 200 kB/s: 256 KiB in 1.3 s, never a
// stall.
RunBuilder SlowLarge() {
  RunBuilder b = DualStackRun();
  b.Seen(v1::HTTP_V6_LARGE, v1::IPV6, kV6Target, 1'372'000)
      .Received(v1::HTTP_V6_LARGE, 60'000, 262'144);
  return b;
}

}  // namespace

std::vector<ReferenceNetwork> ReferenceNetworks() {
  return {
      {"dual-stack", DualStackRun(), v1::V6_PREFERRED, {}, 10},
      {"v4-only", V4Only(), v1::V4_ONLY, {}, 3},
      {"v6-only", V6Only(), v1::V6_ONLY, {}, 4},
      {"nat64", Nat64(), v1::V6_ONLY_NAT64, {v1::NAT64}, 10},
      {"broken-v6", BrokenV6Silent(), v1::V6_BROKEN, {v1::V6_BLACKHOLE}, 3},
      {"pmtu-blackhole",
       PmtuBlackhole(),
       v1::V6_PREFERRED,
       {v1::PMTU_BLACKHOLE},
       1},
      {"ula-only",
       UlaOnly(),
       v1::V6_BROKEN,
       {v1::ULA_ONLY, v1::V6_BLACKHOLE},
       3},
      {"6to4", SixToFour(), v1::V6_CAPABLE, {v1::TUNNEL_6TO4}, 8},
      {"aaaa-filtered",
       AaaaFilteredRun(),
       v1::V6_BROKEN,
       {v1::AAAA_FILTERED},
       4},
      {"resolver-no-v6",
       ResolverNoV6(),
       v1::V6_PREFERRED,
       {v1::RESOLVER_NO_V6},
       9},
      {"nat64-broken", Nat64Broken(), v1::V6_ONLY, {v1::NAT64_BROKEN}, 4},
      {"v4-broken", V4Broken(), v1::V4_BROKEN, {v1::V4_PATH_BROKEN}, 4},
      {"v6-unreachable",
       V6Unreachable(),
       v1::V6_BROKEN,
       {v1::V6_UNREACHABLE},
       3},
      {"slow-large", SlowLarge(), v1::V6_PREFERRED, {}, 10},
  };
}

}  // namespace v6scope::methodology::testing
