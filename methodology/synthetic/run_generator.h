// Generator of realistic synthetic runs: the twelve tests of the capability
// suite as a methodology 2 probe writes them (targets, resolved and used
// addresses in the public test space 11.0.0.0/8 and 3ffe::/16, jittered
// timings, failures with their error detail and the default timeouts) for
// a network of a given capability, and the methodology 2 verdict computed
// from them.
// One library for every user of synthetic runs (the synthetic fleet, the
// ingest and spool benchmarks), so that their runs have one size and shape.
// Deterministic for a seed. RunBuilder (methodology/testing/run_builder.h)
// stays the tool for crafted runs that state single outcomes.
#ifndef V6SCOPE_METHODOLOGY_SYNTHETIC_RUN_GENERATOR_H_
#define V6SCOPE_METHODOLOGY_SYNTHETIC_RUN_GENERATOR_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::synthetic {

// What a probe's network does to the suite.
struct NetworkProfile {
  // V6_PREFERRED, V6_CAPABLE, V6_BROKEN, V4_ONLY, V6_ONLY, V6_ONLY_NAT64 or
  // V4_BROKEN: what the tests' outcomes are made to show (the verdict is
  // computed from them).
  v6scope::v1::Capability capability = v6scope::v1::V6_PREFERRED;
  // The large IPv6 fetch stalls (only where IPv6 works): PMTU_BLACKHOLE.
  bool pmtu_black_hole = false;
  // The resolver cannot reach an IPv6-only name server (DNS_V6NS SERVFAIL).
  bool resolver_no_v6 = false;
  // V6_BROKEN: the router answers IPv6 with ICMPv6 "no route"
  // (V6_UNREACHABLE) instead of dropping it silently (V6_BLACKHOLE).
  bool v6_unreachable = false;
  // V6_ONLY: the resolver does DNS64 but nothing routes the NAT64 prefix
  // (NAT64_BROKEN).
  bool nat64_broken = false;
  // Public prefixes as the probe truncates them; empty: not reported.
  std::string v4_public_prefix;
  std::string v6_public_prefix;
};

// How much of a run is filled in. The defaults are what the probe writes;
// users whose figures were measured on leaner or fuller runs (the synthetic
// fleet's, the spool benchmark's) say so here, so that their runs keep the
// size their figures were taken with.
struct RunShape {
  // TestResults per run: the suite's twelve, cycled when it differs.
  int tests = 12;
  // HTTP tests report the TLS handshake (tls_us).
  bool tls_timings = true;
  // DNS tests report the server asked and the addresses it returned.
  bool dns_detail = true;
  // HTTP tests report the address they connected to.
  bool used_address = true;
  // Failed tests carry the probe's error text.
  bool error_detail = true;
  // HTTP tests also carry the server that resolved their name and the
  // addresses it gave (more than the probe writes today: the fullest
  // test result there is).
  bool http_resolution = false;
  // When not empty, appended to every HTTP target with the test's index
  // ("?probe=7" gives ".../small?probe=7&test=4"): long targets.
  std::string target_query;
  std::string target_set = "default";
  std::string probe_version = "0.9.0";
};

// The networks of docs/methodology.md §7 the generator can make, by their
// tests/netns topology name ("dual-stack", "v4-only", "v6-only", "nat64",
// "broken-v6", "pmtu-blackhole", "resolver-no-v6", "nat64-broken",
// "v4-broken", "v6-unreachable"), in that order.
// The family each kind is pinned to by the suite. HTTP_V4_ONLY is not
// pinned: it uses every address of the v4-only name, so that IPv4-only
// content reached through DNS64 + NAT64 shows. HTTP_NAT64 fetches the same
// name pinned to IPv6 (methodology 2): only through NAT64.
inline v1::AddressFamily PinnedFamily(v1::TestKind kind) {
  switch (kind) {
    case v1::HTTP_WHOAMI_V4:
      return v1::IPV4;
    case v1::HTTP_V6_ONLY:
    case v1::HTTP_V6_LITERAL:
    case v1::HTTP_V6_LARGE:
    case v1::HTTP_WHOAMI_V6:
    case v1::HTTP_NAT64:
      return v1::IPV6;
    default:
      return v1::ADDRESS_FAMILY_UNSPECIFIED;
  }
}

struct NamedProfile {
  std::string name;
  NetworkProfile profile;
};
const std::vector<NamedProfile>& NamedProfiles();
// The profile named `name`; a default (dual-stack) one if none is.
NetworkProfile ProfileNamed(const std::string& name);

class RunGenerator {
 public:
  explicit RunGenerator(uint32_t seed) : random_(seed) {}

  // One run started at `started`; finishes 2.3 to 3 s later, or just after
  // its slowest test (at most about 3.1 s with the default timeouts).
  v6scope::v1::Run Generate(const NetworkProfile& network, absl::Time started,
                            const RunShape& shape = RunShape());

  // The generator's RNG, for callers drawing their own choices from the
  // same deterministic sequence.
  std::mt19937& random() { return random_; }

 private:
  std::mt19937 random_;
};

}  // namespace v6scope::methodology::synthetic

#endif  // V6SCOPE_METHODOLOGY_SYNTHETIC_RUN_GENERATOR_H_
