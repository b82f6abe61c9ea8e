// FakeNetwork: a whole network for the capability suite on a fake clock.
// A fake resolver and a fake fetcher answer from scripted behaviours, and
// every answer is an event at a simulated instant: events run in time
// order, each from a zero-delay timer of the real event loop, and the fake
// clock is set to the event's instant just before it runs. A run of the
// suite therefore takes no real time, and its finished_at - started_at on
// the fake clock is what the run would take on such a network.
//
// The fetcher models what matters about libcurl for run times: the
// request's connect deadline, whole-transfer deadline, stall window and
// read limit, addresses tried in order (a fast failure moves on to the
// next one; a silent one lets the other family start after 200 ms when
// the fetch is not pinned, like happy eyeballs).
//
// Loop thread only, like the real resolver and fetcher.
#ifndef V6SCOPE_PROBE_SUITE_TESTING_FAKE_NETWORK_H_
#define V6SCOPE_PROBE_SUITE_TESTING_FAKE_NETWORK_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "common/net/ip_address.h"
#include "common/time/clock.h"
#include "probe/dns/dns_resolver.h"
#include "probe/http/fetcher.h"
#include "probe/loop/event_loop.h"
#include "proto/results.pb.h"

namespace v6scope::probe::suite::testing {

// What a connection to an address meets.
struct PathBehaviour {
  enum class Kind {
    kWorking,      // Connects after `rtt`, answers after another `rtt`;
                   // the body comes at `bytes_per_second` (0: at once).
    kBlackhole,    // SYNs vanish: the connect deadline ends it (TIMEOUT).
    kStall,        // Connects, sends `stall_after` body bytes, then nothing.
    kLargeStalls,  // Working, except fetches with a read limit (the large
                   // object), which stall after `stall_after` bytes: a
                   // path-MTU black hole.
    kRejected,     // The connect fails at once with `outcome`
                   // (NETWORK_UNREACHABLE, ADMIN_PROHIBITED, ...).
  };
  static PathBehaviour Working(absl::Duration rtt = absl::Milliseconds(20));
  static PathBehaviour Slow(uint64_t bytes_per_second);
  static PathBehaviour Blackhole();
  static PathBehaviour Stall(uint64_t stall_after);
  static PathBehaviour LargeStalls(uint64_t stall_after);
  static PathBehaviour Rejected(v6scope::v1::Outcome outcome);

  Kind kind = Kind::kWorking;
  absl::Duration rtt = absl::Milliseconds(20);
  uint64_t bytes_per_second = 0;
  uint64_t stall_after = 0;
  v6scope::v1::Outcome outcome = v6scope::v1::OK;
};

// One scripted DNS answer.
struct DnsBehaviour {
  v6scope::v1::Outcome outcome = v6scope::v1::OK;
  std::vector<net::IpAddress> addresses;
  absl::Duration delay = absl::Milliseconds(5);
};

class FakeNetwork {
 public:
  // `dns_timeout`: when a silent lookup ends TIMEOUT (the resolver's whole
  // bound, as CaresResolver's timeout x tries).
  FakeNetwork(loop::EventLoop* loop, absl::Duration dns_timeout);
  ~FakeNetwork();

  const time::Clock* clock() const { return &clock_; }
  dns::DnsResolver* resolver();
  http::Fetcher* fetcher();

  // Unscripted questions are NXDOMAIN after 5 ms.
  void SetDns(const std::string& name, dns::DnsType type, DnsBehaviour b);
  void SetAddresses(const std::string& name,
                    const std::vector<std::string>& addresses);
  void SetNoData(const std::string& name, dns::DnsType type);
  void SetSilent(const std::string& name, dns::DnsType type);

  // Paths by prefix ("3ffe::/16", "11.0.0.1/32"); the latest route that
  // matches wins. Unrouted addresses are NETWORK_UNREACHABLE.
  void SetRoute(const std::string& prefix, PathBehaviour b);
  // Size of every object but the large one (by path), and the large one.
  void SetObjectSizes(uint64_t small, uint64_t large);

  // Schedules `event` at now + `after` on the fake clock.
  void At(absl::Duration after, std::function<void()> event);

 private:
  class Resolver;
  class Fetcher;
  struct Route {
    net::IpAddress prefix;
    int length = 0;
    PathBehaviour behaviour;
  };
  friend class Resolver;
  friend class Fetcher;

  void Pump();
  const PathBehaviour* RouteFor(const net::IpAddress& address) const;

  loop::EventLoop* const loop_;
  const absl::Duration dns_timeout_;
  time::FakeClock clock_;
  std::multimap<absl::Time, std::function<void()>> events_;
  bool pumping_ = false;
  std::map<std::pair<std::string, dns::DnsType>, DnsBehaviour> dns_;
  std::vector<Route> routes_;
  uint64_t small_size_ = 1'000;
  uint64_t large_size_ = 1'500'000;
  std::unique_ptr<Resolver> resolver_;
  std::unique_ptr<Fetcher> fetcher_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace v6scope::probe::suite::testing

#endif  // V6SCOPE_PROBE_SUITE_TESTING_FAKE_NETWORK_H_
