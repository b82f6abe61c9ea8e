// DomainChecker: the readiness check of one domain (proto/readiness.proto
// DomainCheck, verdict left empty), on the probe's event loop: no thread
// of its own, every question and fetch asynchronous.
//
// What it asks and fetches (docs/guides/probe-host.md lists it for hosts):
//  - through the host's resolvers: A and AAAA of the apex and of www (with
//    the CNAME chain), NS of the apex and A/AAAA of each name server (at
//    most 16), MX and A/AAAA of each exchanger (at most 16);
//  - at each name server's addresses (at most 2 per family), recursion
//    off: SOA of the apex, one try, bounded time;
//  - the site host (www if it has an address, else the apex): GET / over
//    https and over http, each pinned to IPv4 and to IPv6, following
//    redirects (HomePageFetch). All four start together; the
//    ConnectionGate keeps one address to one connection at a time, so
//    at the probe's gate the http fetch of a family waits there for the
//    https one (asked first) as it waits for any other domain's.
// The whole check ends by `budget` (20 s): what is still pending then is
// recorded as TIMEOUT -- except that a web fetch's time queued in the
// ConnectionGate (politeness towards a shared address, its own https
// fetch's included) extends the check by as much (HomePageFetch::Deadline,
// at most WebLimits::max_gate_wait), and a fetch still queued at the end
// is SKIPPED, not failed. Start and duration come from the injected clock.
//
// Threading: loop thread only. Everything passed in outlives the checker;
// destroying the checker with checks in flight drops their results.
#ifndef V6SCOPE_PROBE_READINESS_DOMAIN_CHECKER_H_
#define V6SCOPE_PROBE_READINESS_DOMAIN_CHECKER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "common/net/ip_address.h"
#include "common/time/clock.h"
#include "probe/http/fetcher.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/connection_gate.h"
#include "probe/readiness/dns_lookup.h"
#include "probe/readiness/home_page_fetch.h"
#include "probe/readiness/nat64_path.h"
#include "proto/readiness.pb.h"

namespace v6scope::probe::readiness {

struct CheckerOptions {
  WebLimits web;
  absl::Duration budget = absl::Seconds(20);      // Whole check of one domain.
  absl::Duration dns_timeout = absl::Seconds(2);  // Per try, host resolver.
  int dns_tries = 2;
  absl::Duration soa_timeout = absl::Seconds(2);  // One try per address.
  uint16_t authoritative_port = 53;  // Tests point it at a scripted server.
  size_t max_name_servers = 16;
  size_t max_mail_hosts = 16;
  size_t soa_addresses_per_family = 2;
  // false: the DNS half only (no home-page fetch; `web` stays empty). For
  // bench/sweep, which times the DNS phase of a sweep on its own.
  bool fetch_web = true;
  // An IPv6-only + NAT64 vantage (nat64_path.h). The network's NAT64
  // prefix; none: found once per checker from ipv4only.arpa (RFC 7050).
  std::optional<net::IpPrefix> nat64_prefix;
  // Whether the host has IPv4 of its own; none: from its routes. Without
  // it, and with a prefix, IPv4 is reached through NAT64.
  std::optional<bool> has_own_ipv4;
  // Whether the host has IPv6; none: from its routes. Without it the
  // IPv6 fetches and SOA questions are recorded SKIPPED, not tried.
  std::optional<bool> has_own_ipv6;
};

class DomainChecker {
 public:
  using Done = std::function<void(v6scope::v1::DomainCheck)>;

  DomainChecker(loop::EventLoop* loop, DnsLookup* dns, http::Fetcher* fetcher,
                ConnectionGate* gate, const time::Clock* clock,
                CheckerOptions options);
  ~DomainChecker();
  DomainChecker(const DomainChecker&) = delete;
  DomainChecker& operator=(const DomainChecker&) = delete;

  // Checks `domain` (an apex name; lower-cased, final dot dropped). `done`
  // runs once, on the loop, never inline.
  void Check(const std::string& domain, Done done);

  size_t in_flight() const { return *in_flight_; }

 private:
  class Run;

  loop::EventLoop* const loop_;
  DnsLookup* const dns_;
  ConnectionGate* const gate_;
  const time::Clock* const clock_;
  http::Fetcher* const fetcher_;
  // Shared with the runs, which may outlive the checker by a callback.
  const std::shared_ptr<const CheckerOptions> options_;
  std::shared_ptr<size_t> in_flight_ = std::make_shared<size_t>(0);
  // Expires with the checker: results of runs still in flight are dropped.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::unique_ptr<Nat64Discovery> nat64_;
};

}  // namespace v6scope::probe::readiness

#endif  // V6SCOPE_PROBE_READINESS_DOMAIN_CHECKER_H_
