// Test-only: the fourteen reference networks of methodology 2 (the
// topologies of tests/netns, docs/methodology.md §7), each as a run the way
// a methodology 2 probe records it there (outcomes, used addresses and
// families, times with the default timeouts, inventory), with the verdict
// the methodology must give it. One table for the verdict's unit tests and
// any other user that needs a known network.
#ifndef V6SCOPE_METHODOLOGY_TESTING_REFERENCE_NETWORKS_H_
#define V6SCOPE_METHODOLOGY_TESTING_REFERENCE_NETWORKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "methodology/testing/run_builder.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::testing {

// Addresses of the targets, in the public test space (docs/methodology.md
// §1.2).
inline constexpr char kV4Target[] = "11.0.0.80";       // The v4-only name.
inline constexpr char kV6Target[] = "3ffe:1::80";      // The v6-only name.
inline constexpr char kDualV4Target[] = "11.0.0.81";   // The dual-stack name.
inline constexpr char kDualV6Target[] = "3ffe:1::81";  // The dual-stack name.
inline constexpr char kV6LiteralTarget[] = "3ffe:1::82";
// kV4Target as DNS64 synthesizes it in 64:ff9b::/96.
inline constexpr char kNat64Target[] = "64:ff9b::b00:50";

struct ReferenceNetwork {
  std::string name;  // The tests/netns topology, e.g. "nat64-broken".
  RunBuilder run;
  v1::Capability capability;
  std::vector<v1::RootCause> causes;  // Ascending enum order.
  uint32_t score;
};

// The fourteen networks in the order of docs/methodology.md §7.
std::vector<ReferenceNetwork> ReferenceNetworks();

}  // namespace v6scope::methodology::testing

#endif  // V6SCOPE_METHODOLOGY_TESTING_REFERENCE_NETWORKS_H_
