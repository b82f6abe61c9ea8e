// The sentence of each root cause (docs/methodology.md §6): what was seen,
// then what it usually means.
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "methodology/evidence.h"
#include "methodology/explain.h"
#include "methodology/explain_text.h"
#include "methodology/kinds/registry.h"
#include "methodology/run_view.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {
namespace {

using kinds::Role;
using v6scope::v1::TestKind;
using v6scope::v1::TestResult;

// The first IPv6-pinned test whose outcome `matches`, described.
template <typename Pred>
std::string FirstPinned(const RunTests& tests, Pred matches) {
  for (TestKind kind : kinds::KindsWith(Role::kV6Pinned)) {
    const TestResult* test = tests.Get(kind);
    if (test != nullptr && matches(*test)) return DescribeTest(test, kind);
  }
  return "no IPv6-pinned test";
}

bool IcmpError(const TestResult& t) {
  return t.outcome() == v6scope::v1::NETWORK_UNREACHABLE ||
         t.outcome() == v6scope::v1::HOST_UNREACHABLE ||
         t.outcome() == v6scope::v1::ADMIN_PROHIBITED;
}

bool Silent(const TestResult& t) {
  return t.outcome() == v6scope::v1::TIMEOUT ||
         (t.outcome() == v6scope::v1::STALLED &&
          t.timings().first_byte_us() == 0);
}

std::string V6Host(const ExplainInput& in) {
  return absl::StrCat("the host has IPv6 (", DescribeV6Host(in.inventory), ")");
}

std::string Pmtu(const ExplainInput& in) {
  std::string s = absl::StrCat(
      "small IPv6 fetches work but the large object does not come through: ",
      DescribeRole(in.tests, Role::kPmtu),
      "; full-size IPv6 packets are lost, typically because ICMPv6 Packet "
      "Too Big is filtered");
  if (in.evidence.dual_v6_raw) {
    absl::StrAppend(&s,
                    ", and dual-stack sites are reached over IPv6, so "
                    "their large responses stall too");
  }
  return s;
}

std::string AaaaFiltered(const ExplainInput& in) {
  const TestResult* aaaa = in.tests.Get(Role::kResolverAaaa);
  const std::string name = aaaa == nullptr ? "" : Clean(aaaa->target(), 80);
  const std::string server =
      aaaa == nullptr ? "" : Clean(aaaa->dns_server(), 64);
  return absl::StrCat("the resolver",
                      server.empty() ? "" : absl::StrCat(" ", server),
                      " answers A but withholds the AAAA of ",
                      name.empty() ? "the dual-stack name" : name, " (",
                      DescribeRole(in.tests, Role::kResolverAaaa),
                      "), which has both, while IPv6 itself works: ",
                      FirstOkOver(in.tests, v6scope::v1::IPV6));
}

std::string Nat64(const ExplainInput& in) {
  const Evidence& e = in.evidence;
  std::string s = absl::StrCat(
      "the resolver synthesizes IPv6 addresses in the NAT64 prefix ",
      e.nat64_prefix.value_or("?"), " (DNS64, found through ipv4only.arpa)");
  if (e.nat64_fetch_ok) {
    absl::StrAppend(&s, " and fetches through it work: ",
                    DescribeRole(in.tests, Role::kNat64Path));
  } else if (e.v4_via_v6) {
    absl::StrAppend(&s, " and IPv4-only content is reached through it: ",
                    DescribeRole(in.tests, Role::kV4Content));
  }
  return s;
}

std::string SlowV6(const ExplainInput& in) {
  const std::optional<HandshakePairTimes> pair = HandshakePair(in.tests);
  if (!pair.has_value()) return "IPv6 handshakes are slower than IPv4 ones";
  return absl::StrCat(
      "the IPv6 TCP handshake took ", Seconds(pair->v6), " against ",
      Seconds(pair->v4), " over IPv4 (", kinds::KindName(pair->v6_kind), " vs ",
      kinds::KindName(pair->v4_kind), "): more than ",
      absl::ToInt64Milliseconds(in.thresholds.slow_v6_gap), " ms and ",
      absl::StrFormat("%.1f", in.thresholds.slow_v6_ratio), "x slower");
}

std::string Nat64Broken(const ExplainInput& in) {
  const Role via = in.tests.Get(Role::kNat64Path) != nullptr ? Role::kNat64Path
                                                             : Role::kV4Content;
  const TestResult* test = in.tests.Get(kinds::SoleKindWith(via));
  const bool icmp = test != nullptr && IcmpError(*test);
  return absl::StrCat(
      "fetches through the NAT64 prefix ",
      in.evidence.nat64_prefix.value_or("?"), " failed (",
      DescribeRole(in.tests, via), "): the resolver synthesizes addresses but ",
      icmp ? "nothing routes them" : "no translator behind them answers");
}

std::string V4PathBroken(const ExplainInput& in) {
  const Role failed =
      IsOutcome(in.tests.Get(Role::kPublicAddressV4), v6scope::v1::OK)
          ? Role::kV4Content
          : Role::kPublicAddressV4;
  return absl::StrCat(
      "the host has IPv4 (", DescribeV4Host(in.inventory),
      ") but IPv4 packets go nowhere: ", DescribeRole(in.tests, failed),
      ", while IPv6 works: ", FirstOkOver(in.tests, v6scope::v1::IPV6),
      "; the IPv4 uplink or its first hop is down");
}

std::string UlaOnly(const ExplainInput& in) {
  if (in.evidence.v6_raw) {
    return "IPv6 fetches worked, but the host's only IPv6 addresses are "
           "unique-local (fc00::/7), which do not reach the internet, so "
           "they do not count";
  }
  return absl::StrCat(
      "the host's only IPv6 addresses are unique-local "
      "(fc00::/7: ",
      DescribeV6Addresses(in.inventory), "), which do not reach the internet");
}

}  // namespace

std::string ExplainCause(const ExplainInput& in, v6scope::v1::RootCause cause) {
  switch (cause) {
    case v6scope::v1::PMTU_BLACKHOLE:
      return Pmtu(in);
    case v6scope::v1::AAAA_FILTERED:
      return AaaaFiltered(in);
    case v6scope::v1::RESOLVER_NO_V6:
      return absl::StrCat(
          "the resolver answers but cannot reach a name server that has "
          "only IPv6: ",
          DescribeRole(in.tests, Role::kResolverV6Transport));
    case v6scope::v1::TUNNEL_6TO4:
      return absl::StrCat(
          "the host's only global IPv6 addresses are 6to4 "
          "(2002::/16: ",
          DescribeV6Addresses(in.inventory),
          "), which depend on deprecated public relays "
          "(RFC 7526)");
    case v6scope::v1::TUNNEL_TEREDO:
      return absl::StrCat(
          "the host's only global IPv6 addresses are Teredo "
          "(2001::/32: ",
          DescribeV6Addresses(in.inventory),
          "), a tunnel through public relays");
    case v6scope::v1::ULA_ONLY:
      return UlaOnly(in);
    case v6scope::v1::NAT64:
      return Nat64(in);
    case v6scope::v1::SLOW_V6:
      return SlowV6(in);
    case v6scope::v1::BEHIND_CGNAT:
      return absl::StrCat("the host has ", DescribeV4Host(in.inventory),
                          "; a shared address (100.64.0.0/10, RFC 6598) "
                          "means carrier-grade NAT");
    case v6scope::v1::NO_V6_DEFAULT_ROUTE:
      return absl::StrCat("the host has ", DescribeV6Addresses(in.inventory),
                          " but no IPv6 default route, so most IPv6 "
                          "destinations fail at once");
    case v6scope::v1::V6_UNREACHABLE:
      return absl::StrCat(V6Host(in),
                          " but the network answers IPv6 with ICMPv6 errors: ",
                          FirstPinned(in.tests, IcmpError),
                          ", while IPv4 works; a missing route or a "
                          "rejecting filter");
    case v6scope::v1::V6_BLACKHOLE:
      return absl::StrCat(V6Host(in),
                          " but IPv6 packets vanish without an answer: ",
                          FirstPinned(in.tests, Silent),
                          ", while IPv4 works; a dropping filter or a dead "
                          "next hop");
    case v6scope::v1::NAT64_BROKEN:
      return Nat64Broken(in);
    case v6scope::v1::V4_PATH_BROKEN:
      return V4PathBroken(in);
    default:  // BROKEN_V6_PATH (v1), V4_V6_ASN_MISMATCH (collector).
      return absl::StrCat(v6scope::v1::RootCause_Name(cause),
                          " is not decided by methodology 2's verdict");
  }
}

}  // namespace v6scope::methodology
