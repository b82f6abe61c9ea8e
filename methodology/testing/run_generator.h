// Test-only generator of realistic runs: the eleven tests of the capability
// suite as the probe writes them (targets, resolved and used addresses,
// jittered timings, failures with their error detail) for a network of a
// given capability, and the verdict the methodology computes from them.
// One library for every user of synthetic runs (the synthetic fleet, the
// ingest and spool benchmarks), so that their runs have one size and shape.
// Deterministic for a seed. RunBuilder (run_builder.h) stays the tool for
// crafted runs that state single outcomes.
#ifndef V6SCOPE_METHODOLOGY_TESTING_RUN_GENERATOR_H_
#define V6SCOPE_METHODOLOGY_TESTING_RUN_GENERATOR_H_

#include <cstdint>
#include <random>
#include <string>

#include "absl/time/time.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::testing {

// What a probe's network does to the suite.
struct NetworkProfile {
  // V6_PREFERRED, V6_CAPABLE, V6_BROKEN, V4_ONLY or V6_ONLY_NAT64: what the
  // tests' outcomes are made to show (the verdict is computed from them).
  v6scope::v1::Capability capability = v6scope::v1::V6_PREFERRED;
  // The large IPv6 fetch stalls (only where IPv6 works).
  bool pmtu_black_hole = false;
  // The resolver cannot reach an IPv6-only name server (DNS_V6NS SERVFAIL).
  bool resolver_no_v6 = false;
  // Public prefixes as the probe truncates them; empty: not reported.
  std::string v4_public_prefix;
  std::string v6_public_prefix;
};

// How much of a run is filled in. The defaults are what the probe writes;
// users whose figures were measured on leaner or fuller runs (the synthetic
// fleet's, the spool benchmark's) say so here, so that their runs keep the
// size their figures were taken with.
struct RunShape {
  // TestResults per run: the suite's eleven, cycled when it differs.
  int tests = 11;
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

class RunGenerator {
 public:
  explicit RunGenerator(uint32_t seed) : random_(seed) {}

  // One run started at `started`; finishes 2.3 to 3 s later.
  v6scope::v1::Run Generate(const NetworkProfile& network, absl::Time started,
                            const RunShape& shape = RunShape());

  // The generator's RNG, for callers drawing their own choices from the
  // same deterministic sequence.
  std::mt19937& random() { return random_; }

 private:
  std::mt19937 random_;
};

}  // namespace v6scope::methodology::testing

#endif  // V6SCOPE_METHODOLOGY_TESTING_RUN_GENERATOR_H_
