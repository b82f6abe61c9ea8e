// Test-only builder of v1::Run values from crafted TestResults, plus the
// runs of the network types the integration test bed produces, so that
// verdict tests (here and in the collector's recomputation tests) state
// only what differs from a known network.
#ifndef V6SCOPE_METHODOLOGY_TESTING_RUN_BUILDER_H_
#define V6SCOPE_METHODOLOGY_TESTING_RUN_BUILDER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "methodology/synthetic/run_generator.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::testing {

using ::v6scope::methodology::synthetic::PinnedFamily;

// Builds a Run from crafted results: at most one per kind (a later call
// for the same kind replaces it), emitted in kind order, then any raw
// extras in the order appended.
class RunBuilder {
 public:
  // `text`: AddressInventory in protobuf text format.
  RunBuilder& Inventory(const std::string& text) {
    run_.clear_inventory();
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
        text, run_.mutable_inventory()))
        << text;
    return *this;
  }
  RunBuilder& Dns(v1::TestKind kind, v1::Outcome outcome,
                  const std::vector<std::string>& addresses = {}) {
    v1::TestResult& t = Fresh(kind, outcome);
    for (const std::string& a : addresses) t.add_resolved_addresses(a);
    return *this;
  }
  // A successful fetch records used_family: `used`, else the pinned
  // family (IPv4 for the v4-only name, as without DNS64; none for the
  // dual-stack race). Each takes 1 ms DNS + 20 ms handshake.
  RunBuilder& Http(v1::TestKind kind, v1::Outcome outcome,
                   v1::AddressFamily used = v1::ADDRESS_FAMILY_UNSPECIFIED) {
    v1::TestResult& t = Fresh(kind, outcome);
    t.set_family(PinnedFamily(kind));
    if (outcome == v1::OK) {
      t.set_used_family(used != v1::ADDRESS_FAMILY_UNSPECIFIED ? used
                        : kind == v1::HTTP_V4_ONLY             ? v1::IPV4
                                                   : PinnedFamily(kind));
      t.mutable_timings()->set_dns_us(1000);
      t.mutable_timings()->set_connect_us(21000);
      t.mutable_timings()->set_total_us(50000);
      t.set_bytes_received(kind == v1::HTTP_V6_LARGE ? 1500000 : 1024);
    }
    return *this;
  }
  RunBuilder& Connect(v1::TestKind kind, uint32_t dns_us, uint32_t connect_us) {
    v1::Timings* timings = tests_.at(kind).mutable_timings();
    timings->set_dns_us(dns_us);
    timings->set_connect_us(connect_us);
    timings->set_total_us(connect_us + 10000);
    return *this;
  }
  // What a fetch recorded beyond its outcome (methodology 2 probes record
  // it for failures too): the address it last tried, its family, and when
  // the test ended.
  RunBuilder& Seen(v1::TestKind kind, v1::AddressFamily used,
                   const std::string& address, uint32_t total_us) {
    v1::TestResult& t = tests_.at(kind);
    t.set_used_family(used);
    t.set_used_address(address);
    t.mutable_timings()->set_total_us(total_us);
    return *this;
  }
  // When the first response byte came (0: never) and the body bytes read.
  RunBuilder& Received(v1::TestKind kind, uint32_t first_byte_us,
                       uint64_t bytes) {
    v1::TestResult& t = tests_.at(kind);
    t.mutable_timings()->set_first_byte_us(first_byte_us);
    t.set_bytes_received(bytes);
    return *this;
  }
  RunBuilder& ClearUsedFamily(v1::TestKind kind) {
    tests_.at(kind).clear_used_family();
    return *this;
  }
  // Sets the outcome of every IPv6-pinned HTTP test.
  RunBuilder& V6Pinned(v1::Outcome outcome) {
    for (v1::TestKind kind : {v1::HTTP_V6_ONLY, v1::HTTP_V6_LITERAL,
                              v1::HTTP_V6_LARGE, v1::HTTP_WHOAMI_V6}) {
      Http(kind, outcome);
    }
    return *this;
  }
  RunBuilder& AllHttp(v1::Outcome outcome) {
    V6Pinned(outcome);
    Http(v1::HTTP_V4_ONLY, outcome).Http(v1::HTTP_WHOAMI_V4, outcome);
    Http(v1::HTTP_NAT64, outcome);
    return Http(v1::HTTP_DUAL_STACK, outcome, v1::IPV6);
  }
  RunBuilder& Without(v1::TestKind kind) {
    tests_.erase(kind);
    return *this;
  }
  RunBuilder& Append(const v1::TestResult& test) {
    extras_.push_back(test);
    return *this;
  }
  v1::Run Build() const {
    v1::Run run = run_;
    for (const auto& [kind, test] : tests_) *run.add_tests() = test;
    for (const v1::TestResult& test : extras_) *run.add_tests() = test;
    return run;
  }

 private:
  v1::TestResult& Fresh(v1::TestKind kind, v1::Outcome outcome) {
    v1::TestResult& t = tests_[kind];
    t.Clear();
    t.set_kind(kind);
    t.set_outcome(outcome);
    return t;
  }

  v1::Run run_;
  std::map<int, v1::TestResult> tests_;
  std::vector<v1::TestResult> extras_;
};

inline constexpr char kDualStackHost[] =
    "v6_global_native: 1 v4_private: 1 "
    "v4_default_route: true v6_default_route: true";
inline constexpr char kV4OnlyHost[] = "v4_private: 1 v4_default_route: true";
inline constexpr char kV6OnlyHost[] =
    "v6_global_native: 1 v6_default_route: true";

// DNS as a healthy resolver answers it. Targets play public addresses, so
// they are in the public test space (11.0.0.0/8, 3ffe::/16).
inline RunBuilder& HealthyDns(RunBuilder& b) {
  return b.Dns(v1::DNS_A, v1::OK, {"11.0.0.10"})
      .Dns(v1::DNS_AAAA, v1::OK, {"3ffe::10"})
      .Dns(v1::DNS_V6NS, v1::OK, {"3ffe::53"})
      .Dns(v1::DNS_NAT64, v1::DNS_NODATA);
}

// N1: everything works and the race goes to IPv6: 10 points. Without
// DNS64 the IPv4-only name has no AAAA: HTTP_NAT64 ends DNS_NODATA.
inline RunBuilder DualStack() {
  RunBuilder b;
  b.Inventory(kDualStackHost);
  HealthyDns(b)
      .Http(v1::HTTP_V4_ONLY, v1::OK)
      .Http(v1::HTTP_V6_ONLY, v1::OK)
      .Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV6)
      .Http(v1::HTTP_V6_LITERAL, v1::OK)
      .Http(v1::HTTP_V6_LARGE, v1::OK)
      .Http(v1::HTTP_WHOAMI_V4, v1::OK)
      .Http(v1::HTTP_WHOAMI_V6, v1::OK)
      .Http(v1::HTTP_NAT64, v1::DNS_NODATA);
  return b;
}

// N2: no IPv6 on the host; the kernel refuses IPv6 at once.
inline RunBuilder V4OnlyClient() {
  RunBuilder b = DualStack();
  b.Inventory(kV4OnlyHost)
      .V6Pinned(v1::NETWORK_UNREACHABLE)
      .Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  return b;
}

// N3: IPv6-only network without NAT64.
inline RunBuilder V6OnlyClient() {
  RunBuilder b = DualStack();
  b.Inventory(kV6OnlyHost)
      .Http(v1::HTTP_V4_ONLY, v1::NETWORK_UNREACHABLE)
      .Http(v1::HTTP_WHOAMI_V4, v1::NETWORK_UNREACHABLE);
  return b;
}

// N4: IPv6-only network with DNS64 + NAT64 (64:ff9b::/96). The who-am-I
// over IPv4 is pinned to IPv4 and still fails.
inline RunBuilder Nat64Client() {
  RunBuilder b = V6OnlyClient();
  b.Dns(v1::DNS_NAT64, v1::OK, {"64:ff9b::c000:aa", "64:ff9b::c000:ab"})
      .Http(v1::HTTP_V4_ONLY, v1::OK, v1::IPV6)
      .Http(v1::HTTP_NAT64, v1::OK, v1::IPV6);
  return b;
}

// N5: IPv6 address and route, but the router drops IPv6.
inline RunBuilder BrokenV6() {
  RunBuilder b = DualStack();
  b.V6Pinned(v1::TIMEOUT).Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  return b;
}

// N9: the resolver strips AAAA; IPv6 transport works.
inline RunBuilder AaaaFiltered() {
  RunBuilder b = DualStack();
  b.Dns(v1::DNS_AAAA, v1::DNS_NODATA)
      .Http(v1::HTTP_V6_ONLY, v1::DNS_NODATA)
      .Http(v1::HTTP_V6_LARGE, v1::DNS_NODATA)
      .Http(v1::HTTP_WHOAMI_V6, v1::DNS_NODATA)
      .Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  return b;
}

}  // namespace v6scope::methodology::testing

#endif  // V6SCOPE_METHODOLOGY_TESTING_RUN_BUILDER_H_
