#include "methodology/testing/run_generator.h"

#include <cstdint>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "methodology/testing/run_builder.h"
#include "methodology/verdict.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::testing {
namespace {

using ::google::protobuf::util::TimeUtil;
using ::v6scope::v1::AddressFamily;
using ::v6scope::v1::AddressInventory;
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
using ::v6scope::v1::HTTP_V4_ONLY;
using ::v6scope::v1::HTTP_V6_LARGE;
using ::v6scope::v1::HTTP_WHOAMI_V4;
using ::v6scope::v1::IPV4;
using ::v6scope::v1::IPV6;
using ::v6scope::v1::NETWORK_UNREACHABLE;
using ::v6scope::v1::OK;
using ::v6scope::v1::TIMEOUT;
using ::v6scope::v1::V4_ONLY;
using ::v6scope::v1::V6_CAPABLE;
using ::v6scope::v1::V6_ONLY_NAT64;
using ::v6scope::v1::V6_PREFERRED;

constexpr char kV4Server[] = "198.51.100.80";
constexpr char kV6Server[] = "2001:db8:100:20::80";
// The v4-only name's address as DNS64 synthesizes it (64:ff9b::/96).
constexpr char kNat64Server[] = "64:ff9b::c633:6450";

// What the network lets through, read off the profile.
struct Paths {
  bool v4 = false;       // IPv4 reaches the Internet.
  bool v6_host = false;  // The host has global IPv6 and a default route.
  bool v6 = false;       // IPv6 reaches the Internet.
  bool nat64 = false;
};

Paths PathsOf(const NetworkProfile& n) {
  Paths p;
  p.nat64 = n.capability == V6_ONLY_NAT64;
  p.v4 = !p.nat64;
  p.v6_host = n.capability != V4_ONLY;
  p.v6 = n.capability == V6_PREFERRED || n.capability == V6_CAPABLE || p.nat64;
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
  inv->set_v4_private(p.v4 ? 1 : 0);
  inv->set_v4_default_route(p.v4);
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
    t->add_resolved_addresses("2001:db8:100:21::80");
  } else {
    t->add_resolved_addresses(kV4Server);
    t->add_resolved_addresses("198.51.100.81");
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
  } else if (kind == DNS_NAT64 && !c.paths.nat64) {
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
    case HTTP_V4_ONLY:
      return p.v4 ? IPV4 : IPV6;  // Through NAT64 without IPv4.
    case HTTP_WHOAMI_V4:
      return p.v4 ? IPV4 : ADDRESS_FAMILY_UNSPECIFIED;
    case HTTP_DUAL_STACK:
      return n.capability == V6_PREFERRED || p.nat64 ? IPV6 : IPV4;
    default:
      return p.v6 ? IPV6 : ADDRESS_FAMILY_UNSPECIFIED;
  }
}

// A fetch that did not connect: no route, or packets that go nowhere.
void FailConnect(const Ctx& c, TestResult* t) {
  Timings* timings = t->mutable_timings();
  if (t->family() == IPV6 ? !c.paths.v6_host : !c.paths.v4) {
    Fail(c, NETWORK_UNREACHABLE, "Failed to connect: Network is unreachable",
         t);
    timings->set_total_us(timings->dns_us() + 150);
    return;
  }
  Fail(c, TIMEOUT, "Connection timed out after 10000 milliseconds", t);
  timings->set_total_us(10'000'000);
}

void SetTarget(const Ctx& c, int index, TestResult* t) {
  static constexpr const char* kUrls[] = {
      "https://v4.targets.v6scope.example.net/small",
      "https://v6.targets.v6scope.example.net/small",
      "https://ds.targets.v6scope.example.net/small",
      "https://[2001:db8:100:20::80]/small",
      "https://v6.targets.v6scope.example.net/large",
      "https://v4.targets.v6scope.example.net/whoami",
      "https://v6.targets.v6scope.example.net/whoami"};
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

void FillHttp(const Ctx& c, uint32_t connect_us, TestResult* t) {
  const TestKind kind = t->kind();
  t->set_family(PinnedFamily(kind));
  const AddressFamily used = UsedFamily(c.network, c.paths, kind);
  if (used == ADDRESS_FAMILY_UNSPECIFIED) return FailConnect(c, t);
  const bool via_nat64 = kind == HTTP_V4_ONLY && c.paths.nat64;
  if (c.shape.http_resolution) Resolve(c, used, via_nat64, t);
  t->set_used_family(used);
  if (c.shape.used_address) {
    t->set_used_address(used == IPV4 ? kV4Server
                        : via_nat64  ? kNat64Server
                                     : kV6Server);
  }
  SetPhases(c, connect_us, t);
  Timings* timings = t->mutable_timings();
  t->set_http_status(200);
  if (kind == HTTP_V6_LARGE && c.network.pmtu_black_hole) {
    Fail(c, TIMEOUT,
         "Operation timed out after 30000 milliseconds with 65160 out of "
         "1500000 bytes received",
         t);
    t->set_bytes_received(65160);
    timings->set_total_us(30'000'000);
    return;
  }
  t->set_outcome(OK);
  t->set_bytes_received(kind == HTTP_V6_LARGE    ? 1'500'000
                        : kind >= HTTP_WHOAMI_V4 ? 20
                                                 : 1024);
  timings->set_total_us(timings->first_byte_us() +
                        (kind == HTTP_V6_LARGE ? 380'000 : 900));
}

}  // namespace

Run RunGenerator::Generate(const NetworkProfile& network, absl::Time started,
                           const RunShape& shape) {
  const Paths paths = PathsOf(network);
  Run run;
  *run.mutable_started_at() = Ts(started);
  *run.mutable_finished_at() =
      Ts(started + absl::Milliseconds(2300 + random_() % 700));
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
              random_() % 3 ? "2001:db8:53::1" : "192.0.2.53"};
  for (int j = 0; j < shape.tests; ++j) {
    TestResult* t = run.add_tests();
    t->set_kind(static_cast<TestKind>(DNS_A + j % 11));
    t->mutable_timings()->set_dns_us(900 + random_() % 4000);
    if (t->kind() <= DNS_NAT64) {
      FillDns(c, t);
      continue;
    }
    SetTarget(c, j, t);
    const bool v6 = UsedFamily(network, paths, t->kind()) == IPV6;
    FillHttp(c, v6 ? v6_connect : v4_connect, t);
  }
  *run.mutable_verdict() = ComputeVerdict(run);
  run.set_target_set(shape.target_set);
  run.set_probe_version(shape.probe_version);
  return run;
}

}  // namespace v6scope::methodology::testing
