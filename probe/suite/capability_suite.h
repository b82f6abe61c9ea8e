// CapabilitySuite: one run of the IPv6 capability tests (see
// docs/methodology.md), all driven from the probe's single event loop.
// The tests are the registered measurement kinds (methodology/kinds),
// planned against the target set (test_plan.h); today:
//
//   DNS (c-ares):  A and AAAA of the dual-stack name, the v6ns name (is the
//                  resolver's IPv6 transport usable?), ipv4only.arpa AAAA
//                  (NAT64 prefix discovery, RFC 7050).
//   HTTP (curl):   v4-only name, v6-only name, dual-stack race, IPv6
//                  literal, large object over IPv6 (PMTU), who-am-I over
//                  each family (public /24 and /48).
//
// Independent tests run concurrently: all DNS queries start together and
// each HTTP test starts as soon as the names it needs are resolved. The
// probe resolves names itself and pins curl to those addresses, so DNS
// and HTTP failures are told apart.
//
// Threading: RunOnce() runs the event loop on the calling thread; the loop,
// resolver and fetcher must be owned by that thread.
#ifndef V6SCOPE_PROBE_SUITE_CAPABILITY_SUITE_H_
#define V6SCOPE_PROBE_SUITE_CAPABILITY_SUITE_H_

#include <cstdint>
#include <functional>

#include "common/time/clock.h"
#include "probe/dns/dns_resolver.h"
#include "probe/http/fetcher.h"
#include "probe/loop/event_loop.h"
#include "probe/suite/suite.h"
#include "proto/config.pb.h"

namespace v6scope::probe::suite {

class CapabilitySuite : public Suite {
 public:
  using InventoryReader =
      std::function<absl::StatusOr<v6scope::v1::AddressInventory>()>;

  struct Deps {
    loop::EventLoop* loop = nullptr;
    dns::DnsResolver* resolver = nullptr;
    http::Fetcher* fetcher = nullptr;
    const time::Clock* clock = time::RealClock::Get();
    InventoryReader read_inventory;  // Default: the system's.
  };

  // `settings` must have passed ValidateProbeSettings. Deps must outlive
  // the suite.
  CapabilitySuite(Deps deps, v6scope::v1::ProbeSettings settings);

  absl::StatusOr<v6scope::v1::Run> RunOnce() override;

 private:
  Deps deps_;
  v6scope::v1::ProbeSettings settings_;
};

// Defaults of ProbeSettings (methodology 2; docs/guides/probe-host.md):
// every run ends within about 6 s (a 2 s DNS test, then a 4 s fetch).
inline constexpr uint32_t kDefaultDnsTimeoutMs = 2000;      // All tries.
inline constexpr uint32_t kDefaultHttpTimeoutMs = 4000;     // DNS excluded.
inline constexpr uint32_t kDefaultConnectTimeoutMs = 3000;  // Two SYNs.
inline constexpr uint32_t kDefaultStallTimeoutMs = 2000;
inline constexpr uint32_t kDefaultLargeReadLimitBytes = 256 * 1024;

// Fills defaults (paths, ports, timeouts, ipv4only.arpa) and checks the
// timing settings (connect_timeout_ms <= http_timeout_ms, stall_timeout_ms
// >= 200, large_read_limit_bytes in 16 KiB..64 MiB) and the target set;
// errors name the field.
absl::Status ValidateProbeSettings(v6scope::v1::ProbeSettings* settings);

// The target set of a collector's built-in endpoints on this machine's
// loopback (HTTP on `port`), with static names ds/v4/v6.localhost.
v6scope::v1::TargetSet LoopbackTargets(int port);

}  // namespace v6scope::probe::suite

#endif  // V6SCOPE_PROBE_SUITE_CAPABILITY_SUITE_H_
