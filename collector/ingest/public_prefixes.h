// The collector's side of "addresses that are never public"
// (docs/attribution.md): a who-am-I prefix inside (or overlapping) a block
// that is not globally reachable — 127.0.0.0/24 from a probe behind a local
// proxy, 192.0.2.0/24 from a test set-up — names no network, so it is
// refused as a public prefix before attribution. The run itself is kept.
#ifndef V6SCOPE_COLLECTOR_INGEST_PUBLIC_PREFIXES_H_
#define V6SCOPE_COLLECTOR_INGEST_PUBLIC_PREFIXES_H_

#include <string>
#include <vector>

#include "proto/results.pb.h"

namespace v6scope::collector::ingest {

// A prefix RefuseNonPublicPrefixes cleared.
struct RefusedPrefix {
  std::string family;      // "v4" or "v6": the metric's label.
  std::string prefix;      // As the probe sent it ("192.0.2.0/24").
  std::string block;       // The non-public block ("192.0.2.0/24").
  std::string block_name;  // "documentation (TEST-NET-1), RFC 5737".
};

// Clears `run`'s public_addresses.v4_prefix and v6_prefix that are not
// public (net::IsPublicPrefix) and returns what it cleared, IPv4 first.
// `run` must have passed ValidateRun (prefixes well-formed or empty).
std::vector<RefusedPrefix> RefuseNonPublicPrefixes(v6scope::v1::Run* run);

}  // namespace v6scope::collector::ingest

#endif  // V6SCOPE_COLLECTOR_INGEST_PUBLIC_PREFIXES_H_
