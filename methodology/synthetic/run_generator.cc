#include "methodology/synthetic/run_generator.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "methodology/verdict.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::synthetic {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::v6scope::v1::AddressFamily;
using ::v6scope::v1::AddressInventory;
using ::v6scope::v1::Capability;
using ::v6scope::v1::Run;
using ::v6scope::v1::TestKind;
using ::v6scope::v1::TestResult;
using ::v6scope::v1::Timings;
// Enum values, named as the proto names them.
using ::v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED;
using ::v6scope::v1::DNS_A;
using ::v6scope::v1::DNS_AAAA;
using ::v6scope::v1::DNS_NAT64;
using ::v6scope::v1::DNS_NODATA;
using ::v6scope::v1::DNS_SERVFAIL;
using ::v6scope::v1::DNS_V6NS;
using ::v6scope::v1::HTTP_DUAL_STACK;
using ::v6scope::v1::HTTP_NAT64;
using ::v6scope::v1::HTTP_V4_ONLY;
using ::v6scope::v1::HTTP_V6_LARGE;
using ::v6scope::v1::HTTP_WHOAMI_V4;
using ::v6scope::v1::HTTP_WHOAMI_V6;
using ::v6scope::v1::IPV4;
using ::v6scope::v1::IPV6;
using ::v6scope::v1::NETWORK_UNREACHABLE;
using ::v6scope::v1::OK;
using ::v6scope::v1::STALLED;
using ::v6scope::v1::TIMEOUT;
using ::v6scope::v1::V4_BROKEN;
using ::v6scope::v1::V4_ONLY;
using ::v6scope::v1::V6_BROKEN;
using ::v6scope::v1::V6_CAPABLE;
using ::v6scope::v1::V6_ONLY;
using ::v6scope::v1::V6_ONLY_NAT64;
using ::v6scope::v1::V6_PREFERRED;

// Targets play public addresses: the public test space (docs/methodology.md
// §1.2).
constexpr char kV4Server[] = "11.51.100.80";
constexpr char kV4Server2[] = "11.51.100.81";
constexpr char kV6Server[] = "3ffe:100:20::80";
constexpr char kV6Server2[] = "3ffe:100:21::80";
// The v4-only name's address as DNS64 synthesizes it (64:ff9b::/96).
constexpr char kNat64Server[] = "64:ff9b::b33:6450";

// The kinds of the suite, DNS_A .. HTTP_NAT64.
constexpr int kSuiteKinds = 12;

// What the network lets through, read off the profile.
struct Paths {
  bool v4_host = false;  // The host has IPv4 and a default route.
  bool v4 = false;       // IPv4 reaches the Internet.
  bool v6_host = false;  // The host has global IPv6 and a default route.
  bool v6 = false;       // IPv6 reaches the Internet.
  bool v6_icmp = false;  // Failed IPv6 gets ICMPv6 errors, not silence.
  bool dns64 = false;    // The resolver synthesizes AAAA for IPv4 names.
  bool nat64 = false;    // The NAT64 path works.
};

Paths PathsOf(const NetworkProfile& n) {
  const v6scope::v1::Capability c = n.capability;
  Paths p;
  const bool v6_only = c == V6_ONLY || c == V6_ONLY_NAT64;
  p.v4_host = !v6_only;
  p.v4 = p.v4_host && c != V4_BROKEN;
  p.v6_host = c != V4_ONLY;
  p.v6 = p.v6_host && c != V6_BROKEN;
  p.v6_icmp = c == V6_BROKEN && n.v6_unreachable;
  p.nat64 = c == V6_ONLY_NAT64;
  p.dns64 = p.nat64 || (c == V6_ONLY && n.nat64_broken);
  return p;
}

// One test being made: where it goes and how much of it is written.
struct Ctx {
  const NetworkProfile& network;
  const Paths& paths;
  const RunShape& shape;
  const char* dns_server;
};

google::protobuf::Timestamp Ts(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

void FillInventory(const Paths& p, AddressInventory* inv) {
  inv->set_v6_global_native(p.v6_host ? 2 : 0);
  inv->set_v6_link_local(1);
  inv->set_v4_private(p.v4_host ? 1 : 0);
  inv->set_v4_default_route(p.v4_host);
  inv->set_v6_default_route(p.v6_host);
}

void Fail(const Ctx& c, v6scope::v1::Outcome outcome, const char* detail,
          TestResult* t) {
  t->set_outcome(outcome);
  if (c.shape.error_detail) t->set_error_detail(detail);
}

// The server and two addresses of `family` (NAT64-synthesized when `nat64`).
// Synthesized addresses are always written: they are what the methodology
// finds the NAT64 prefix by, so even lean runs keep them.
void Resolve(const Ctx& c, AddressFamily family, bool nat64, TestResult* t) {
  if (nat64) {
    t->add_resolved_addresses("64:ff9b::c000:aa");
    t->add_resolved_addresses("64:ff9b::c000:ab");
  }
  if (!c.shape.dns_detail) return;
  t->set_dns_server(c.dns_server);
  if (nat64) {
    return;
  } else if (family == IPV6) {
    t->add_resolved_addresses(kV6Server);
    t->add_resolved_addresses(kV6Server2);
  } else {
    t->add_resolved_addresses(kV4Server);
    t->add_resolved_addresses(kV4Server2);
  }
}

void FillDns(const Ctx& c, TestResult* t) {
  static constexpr const char* kNames[] = {
      "ds.targets.v6scope.example.net", "ds.targets.v6scope.example.net",
      "v6ns.targets.v6scope.example.net", "ipv4only.arpa"};
  const TestKind kind = t->kind();
  t->set_target(kNames[kind - DNS_A]);
  t->set_family(kind == DNS_A || kind == DNS_V6NS ? IPV4 : IPV6);
  t->mutable_timings()->set_total_us(t->timings().dns_us());
  if (kind == DNS_V6NS && c.network.resolver_no_v6) {
    Fail(c, DNS_SERVFAIL, "DNS server returned general failure", t);
    t->set_dns_rcode(2);
    if (c.shape.dns_detail) t->set_dns_server(c.dns_server);
  } else if (kind == DNS_NAT64 && !c.paths.dns64) {
    t->set_outcome(DNS_NODATA);
    if (c.shape.dns_detail) t->set_dns_server(c.dns_server);
  } else {
    t->set_outcome(OK);
    Resolve(c, kind == DNS_AAAA ? IPV6 : IPV4, kind == DNS_NAT64, t);
  }
}

// The family a fetch ends up on when it works; UNSPECIFIED when it cannot.
AddressFamily UsedFamily(const NetworkProfile& n, const Paths& p,
                         TestKind kind) {
  switch (kind) {
    case HTTP_V4_ONLY:  // Through NAT64 without IPv4.
      return p.v4 ? IPV4 : p.nat64 ? IPV6 : ADDRESS_FAMILY_UNSPECIFIED;
    case HTTP_WHOAMI_V4:
      return p.v4 ? IPV4 : ADDRESS_FAMILY_UNSPECIFIED;
    case HTTP_NAT64:
      return p.nat64 ? IPV6 : ADDRESS_FAMILY_UNSPECIFIED;
    case HTTP_DUAL_STACK:
      if (p.v6 && (!p.v4 || n.capability == V6_PREFERRED)) return IPV6;
      return p.v4 ? IPV4 : ADDRESS_FAMILY_UNSPECIFIED;
    default:
      return p.v6 ? IPV6 : ADDRESS_FAMILY_UNSPECIFIED;
  }
}

// Where a fetch that cannot work goes, and whether the failure is fast (no
// route on the host, or an ICMP error) or silent (the connect timeout).
struct FailedPath {
  AddressFamily family;
  const char* address;
  bool fast;
};

FailedPath FailedPathOf(const Paths& p, TestKind kind) {
  if (kind == HTTP_NAT64 || (kind == HTTP_V4_ONLY && p.dns64)) {
    return {IPV6, kNat64Server, true};  // No route to the NAT64 prefix.
  }
  if (kind == HTTP_V4_ONLY || kind == HTTP_WHOAMI_V4) {
    return {IPV4, kV4Server, !p.v4_host};
  }
  return {IPV6, kV6Server, !p.v6_host || p.v6_icmp};
}

// A fetch that did not connect: no AAAA without DNS64, no route, an ICMP
// error, or packets that go nowhere until the connect timeout (3 s).
void FailConnect(const Ctx& c, TestResult* t) {
  Timings* timings = t->mutable_timings();
  if (t->kind() == HTTP_NAT64 && !c.paths.dns64) {
    Fail(c, DNS_NODATA,
         "Could not resolve host: v4.targets.v6scope.example.net", t);
    timings->set_total_us(timings->dns_us());
    return;
  }
  const FailedPath path = FailedPathOf(c.paths, t->kind());
  t->set_used_family(path.family);
  if (c.shape.used_address) t->set_used_address(path.address);
  if (path.fast) {
    Fail(c, NETWORK_UNREACHABLE, "Failed to connect: Network is unreachable",
         t);
    timings->set_total_us(timings->dns_us() + 1500);
    return;
  }
  Fail(c, TIMEOUT, "Connection timed out after 3000 milliseconds", t);
  timings->set_total_us(timings->dns_us() + 3'000'000);
}

void SetTarget(const Ctx& c, int index, TestResult* t) {
  static constexpr const char* kUrls[] = {
      "https://v4.targets.v6scope.example.net/small",
      "https://v6.targets.v6scope.example.net/small",
      "https://ds.targets.v6scope.example.net/small",
      "https://[3ffe:100:20::80]/small",
      "https://v6.targets.v6scope.example.net/large",
      "https://v4.targets.v6scope.example.net/whoami",
      "https://v6.targets.v6scope.example.net/whoami",
      "https://v4.targets.v6scope.example.net/small"};
  const char* url = kUrls[t->kind() - HTTP_V4_ONLY];
  t->set_target(c.shape.target_query.empty()
                    ? std::string(url)
                    : absl::StrCat(url, c.shape.target_query, "&test=", index));
}

// Handshakes and first byte, each counted from the start of the test.
void SetPhases(const Ctx& c, uint32_t connect_us, TestResult* t) {
  Timings* timings = t->mutable_timings();
  timings->set_connect_us(timings->dns_us() + connect_us);
  const uint32_t tls_us = timings->connect_us() + 41000;
  if (c.shape.tls_timings) timings->set_tls_us(tls_us);
  timings->set_first_byte_us(tls_us + 19000);
}

// A PMTU black hole: the handshakes and headers pass, the first full-size
// segment of the body is lost, and nothing comes for the stall window.
void Stall(const Ctx& c, TestResult* t) {
  Fail(c, STALLED,
       "Operation stalled: no data for 2000 milliseconds after the headers", t);
  t->set_bytes_received(0);
  Timings* timings = t->mutable_timings();
  timings->set_total_us(timings->first_byte_us() + 2'000'000);
}

void FillHttp(const Ctx& c, uint32_t connect_us, TestResult* t) {
  const TestKind kind = t->kind();
  t->set_family(PinnedFamily(kind));
  const AddressFamily used = UsedFamily(c.network, c.paths, kind);
  if (used == ADDRESS_FAMILY_UNSPECIFIED) return FailConnect(c, t);
  const bool via_nat64 =
      (kind == HTTP_V4_ONLY || kind == HTTP_NAT64) && used == IPV6;
  if (c.shape.http_resolution) Resolve(c, used, via_nat64, t);
  t->set_used_family(used);
  if (c.shape.used_address) {
    t->set_used_address(used == IPV4 ? kV4Server
                        : via_nat64  ? kNat64Server
                                     : kV6Server);
  }
  SetPhases(c, connect_us, t);
  t->set_http_status(kind == HTTP_V6_LARGE ? 206 : 200);
  if (kind == HTTP_V6_LARGE && c.network.pmtu_black_hole) return Stall(c, t);
  t->set_outcome(OK);
  // The large object is read up to large_read_limit_bytes (256 KiB).
  t->set_bytes_received(kind == HTTP_V6_LARGE ? 262'144
                        : kind == HTTP_WHOAMI_V4 || kind == HTTP_WHOAMI_V6
                            ? 20
                            : 1024);
  Timings* timings = t->mutable_timings();
  timings->set_total_us(timings->first_byte_us() +
                        (kind == HTTP_V6_LARGE ? 95'000 : 900));
}

}  // namespace

const std::vector<NamedProfile>& NamedProfiles() {
  static const auto* const kProfiles = [] {
    const auto profile = [](Capability c) {
      NetworkProfile p;
      p.capability = c;
      return p;
    };
    auto* profiles = new std::vector<NamedProfile>{
        {"dual-stack", profile(V6_PREFERRED)},
        {"v4-only", profile(V4_ONLY)},
        {"v6-only", profile(V6_ONLY)},
        {"nat64", profile(V6_ONLY_NAT64)},
        {"broken-v6", profile(V6_BROKEN)},
        {"pmtu-blackhole", profile(V6_PREFERRED)},
        {"resolver-no-v6", profile(V6_PREFERRED)},
        {"nat64-broken", profile(V6_ONLY)},
        {"v4-broken", profile(V4_BROKEN)},
        {"v6-unreachable", profile(V6_BROKEN)},
    };
    (*profiles)[5].profile.pmtu_black_hole = true;
    (*profiles)[6].profile.resolver_no_v6 = true;
    (*profiles)[7].profile.nat64_broken = true;
    (*profiles)[9].profile.v6_unreachable = true;
    return profiles;
  }();
  return *kProfiles;
}

NetworkProfile ProfileNamed(const std::string& name) {
  for (const NamedProfile& p : NamedProfiles()) {
    if (p.name == name) return p.profile;
  }
  return NetworkProfile();
}

Run RunGenerator::Generate(const NetworkProfile& network, absl::Time started,
                           const RunShape& shape) {
  const Paths paths = PathsOf(network);
  Run run;
  *run.mutable_started_at() = Ts(started);
  absl::Time finished = started + absl::Milliseconds(2300 + random_() % 700);
  FillInventory(paths, run.mutable_inventory());
  if (!network.v4_public_prefix.empty()) {
    run.mutable_public_addresses()->set_v4_prefix(network.v4_public_prefix);
  }
  if (!network.v6_public_prefix.empty()) {
    run.mutable_public_addresses()->set_v6_prefix(network.v6_public_prefix);
  }
  // One path per family per run: every fetch of a family sees about the
  // same handshake time, IPv6 within -10..+20 ms of IPv4.
  const uint32_t v4_connect = 10'000 + random_() % 40'000;
  const uint32_t v6_connect = v4_connect + random_() % 30'000 - 10'000;
  const Ctx c{network, paths, shape,
              random_() % 3 ? "3ffe:53::1" : "11.0.0.53"};
  for (int j = 0; j < shape.tests; ++j) {
    TestResult* t = run.add_tests();
    t->set_kind(static_cast<TestKind>(DNS_A + j % kSuiteKinds));
    t->mutable_timings()->set_dns_us(900 + random_() % 4000);
    if (t->kind() <= DNS_NAT64) {
      FillDns(c, t);
    } else {
      SetTarget(c, j, t);
      const bool v6 = UsedFamily(network, paths, t->kind()) == IPV6;
      FillHttp(c, v6 ? v6_connect : v4_connect, t);
    }
    // The tests run concurrently: the run ends after the slowest.
    finished = std::max(
        finished,
        started + absl::Microseconds(t->timings().total_us() + 20'000));
  }
  *run.mutable_finished_at() = Ts(finished);
  *run.mutable_verdict() = ComputeVerdict(run);
  run.set_target_set(shape.target_set);
  run.set_probe_version(shape.probe_version);
  return run;
}

}  // namespace v6scope::methodology::synthetic
