// HomePageFetch: one WebFetch of a DomainCheck: a site's home page fetched
// pinned to one address family, following redirects by hand.
//
// Each hop is one GET of exactly the URL the previous response pointed to
// (the first: "<scheme>://<host>/"), to the first address of the family
// the host has (DnsLookup through the host's resolvers for a new host),
// through the ConnectionGate, with curl following nothing. It stops at:
// a response that is not a redirect; the hop limit (HTTP_STATUS, "more
// than N redirects"); a redirect to anything but http(s) or over 1024
// bytes (OTHER_ERROR); a host with no address of the family (NO_ADDRESS:
// the "redirects to an IPv4-only host" finding); the check's deadline
// (every hop's whole-transfer timeout is the time left; TIMEOUT).
//
// Time spent queued in the ConnectionGate is the probe's own politeness,
// not the site's slowness: it moves this fetch's deadline later by as
// much, up to WebLimits::max_gate_wait in all. A fetch given up while
// still queued is SKIPPED ("not fetched: ..."), never TIMEOUT, so the
// verdict reads it as not tested rather than as a failure of the site
// (docs/methodology.md §13.2).
//
// Bounded cost per hop: connect timeout, stall window (HttpFetcher's stall
// detection), body cut at the cap without a Range request (the page as a
// browser gets it; body_truncated), and the check's deadline. No body is
// kept: its title and SimHash are taken as it arrives (PageDigest through
// HttpRequest::body_sink).
//
// Threading: loop thread only.
#ifndef V6SCOPE_PROBE_READINESS_HOME_PAGE_FETCH_H_
#define V6SCOPE_PROBE_READINESS_HOME_PAGE_FETCH_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/net/ip_address.h"
#include "probe/http/fetcher.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/connection_gate.h"
#include "probe/readiness/dns_lookup.h"
#include "probe/readiness/page_digest.h"
#include "proto/readiness.pb.h"

namespace v6scope::probe::readiness {

struct WebLimits {
  absl::Duration connect_timeout = absl::Seconds(3);
  absl::Duration stall_timeout = absl::Seconds(2);
  int max_hops = 10;
  uint64_t body_cap = 256 * 1024;
  // Empty: ReadinessUserAgent().
  std::string user_agent;
  std::string ca_file;  // Empty: the system store.
  // Ports of the first hop (tests use ephemeral ones); 80 and 443 are
  // left out of the URL.
  uint16_t http_port = 80;
  uint16_t https_port = 443;
  // Per try of a redirect host's lookup.
  absl::Duration dns_timeout = absl::Seconds(2);
  // The most a fetch's deadline moves for its waits in the gate. Many
  // domains share one CDN or hosting address, and one connection a
  // second to it queues them: without this, a queued fetch ran out of
  // the domain's time and read as the site failing.
  absl::Duration max_gate_wait = absl::Minutes(2);
};

// "v6scope-probe/<version> (+https://github.com/v6scope; readiness check)".
std::string ReadinessUserAgent();

// "https://host/" or "http://host:8080/".
std::string HomePageUrl(const std::string& host, bool https,
                        const WebLimits& limits);

// What a fetch uses; all outlive it.
struct WebContext {
  loop::EventLoop* loop = nullptr;
  http::Fetcher* fetcher = nullptr;
  DnsLookup* dns = nullptr;
  ConnectionGate* gate = nullptr;
  const WebLimits* limits = nullptr;
};

class HomePageFetch : public std::enable_shared_from_this<HomePageFetch> {
 public:
  using Done = std::function<void(v6scope::v1::WebFetch)>;

  // Fetches `start_url` (whose host has `start_addresses`) pinned to
  // `family` (IPV4 or IPV6), giving up at `deadline`
  // (EventLoop::MonotonicNow time). `done` runs once, never inline.
  static std::shared_ptr<HomePageFetch> Start(
      const WebContext& context, std::string start_url,
      v6scope::v1::AddressFamily family,
      std::vector<net::IpAddress> start_addresses, absl::Duration deadline,
      Done done);

  // Gives up now: `done` is never called; returns what was seen so far,
  // outcome TIMEOUT with `why` -- or SKIPPED, saying so, if it was queued
  // in the gate. Work in flight ends quietly (the gate is released when
  // its connection ends).
  v6scope::v1::WebFetch Abandon(const std::string& why);

  // The deadline given to Start, moved later by the time queued in the
  // gate so far (including a wait still going on), at most by
  // WebLimits::max_gate_wait. Monotonic loop time.
  absl::Duration Deadline() const;

  HomePageFetch(const WebContext& context, std::string start_url,
                v6scope::v1::AddressFamily family,
                std::vector<net::IpAddress> start_addresses,
                absl::Duration deadline, Done done);

 private:
  void NextHop(const std::string& url);
  void Resolved(const std::string& url, const std::string& host,
                std::vector<net::IpAddress> addresses,
                const std::string& why_none);
  void Connect(const std::string& url, const std::string& address,
               bool literal);
  void Fetched(const std::string& url, const std::string& address,
               http::HttpResult result, const PageDigest& body);
  void Finish(v6scope::v1::Outcome outcome, const std::string& detail);
  void TakeBody(const http::HttpResult& result, const PageDigest& body);
  absl::Duration Left() const;
  // Why a fetch queued in the gate was given up.
  std::string NotFetched() const;

  const WebContext context_;
  const std::string start_host_;
  const std::vector<net::IpAddress> start_addresses_;
  const absl::Duration deadline_;
  const absl::Duration started_;
  absl::Duration queued_ = absl::ZeroDuration();  // Waits that ended.
  // While queued in the gate: since when, and for which address.
  std::optional<absl::Duration> queued_since_;
  std::string queued_for_;
  Done done_;
  bool finished_ = false;
  v6scope::v1::WebFetch fetch_;
};

}  // namespace v6scope::probe::readiness

#endif  // V6SCOPE_PROBE_READINESS_HOME_PAGE_FETCH_H_
