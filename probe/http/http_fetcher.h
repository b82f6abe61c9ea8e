// HttpFetcher: the probe's HTTP tests, many at once, on the EventLoop.
//
// libcurl's multi-socket API is driven by the loop: curl's sockets are
// watched with EventLoop::WatchFd (CURLMOPT_SOCKETFUNCTION), its single
// timeout is an EventLoop timer (CURLMOPT_TIMERFUNCTION), and
// curl_multi_socket_action runs only from those loop callbacks, never from
// inside one of curl's. Nothing blocks: hundreds of fetches share one
// thread. A failed fetch is data: it completes with a classified Outcome
// (table in probe/http/classify.h), never with an error status.
//
// What each fetch measures, and why it is configured so:
// - Its own connection: no reuse (CURLOPT_FRESH_CONNECT, FORBID_REUSE) and
//   a DNS cache of its own, so every test times its own DNS and connect and
//   concurrent tests that pin the same host:port to different addresses
//   cannot see each other's pins.
// - The direct path: no proxy, whatever the environment says.
// - HTTP/1.1, no redirects followed (a 3xx is HTTP_STATUS), only http and
//   https, no signals (CURLOPT_NOSIGNAL), User-Agent v6scope-probe/<version>.
// - Dual-stack race (family UNSPECIFIED, addresses of both families): curl's
//   happy eyeballs starts with the family of the first address and starts
//   the other family after 200 ms (CURLOPT_HAPPY_EYEBALLS_TIMEOUT_MS, RFC
//   8305's recommended delay when the first family hangs). The winner is
//   used_family, and its connect time is timings.connect_us: comparing
//   connect_us of the v4-only and v6-only tests (or of the race and the
//   single-family test of the loser) gives the v6-v4 connect difference.
//
// Threading: an HttpFetcher belongs to its loop's thread. Create, Fetch,
// in_flight and the destructor must run on that thread (or before the loop
// runs); `done` callbacks run there too. The loop must outlive the fetcher.
#ifndef V6SCOPE_PROBE_HTTP_HTTP_FETCHER_H_
#define V6SCOPE_PROBE_HTTP_HTTP_FETCHER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/net/ip_address.h"
#include "probe/loop/event_loop.h"
#include "proto/results.pb.h"

namespace v6scope::probe::http {

struct HttpRequest {
  // http(s)://host[:port]/path; host may be a name or a literal ([v6]).
  std::string url;
  // IPV4/IPV6 pin the connection to that family (CURLOPT_IPRESOLVE);
  // UNSPECIFIED lets curl race the families (happy eyeballs).
  v6scope::v1::AddressFamily family = v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED;
  // Addresses the probe resolved itself (c-ares), in the order to try them.
  // Given to curl as CURLOPT_RESOLVE "host:port:addr1,addr2" so DNS is
  // measured apart and curl does no lookup. When `family` is pinned, only
  // addresses of that family are used. IPv4-mapped IPv6 addresses count as
  // the IPv4 address they carry. Empty: no pinning (a literal URL, or curl
  // resolves the name itself and dns_us includes that lookup).
  std::vector<net::IpAddress> resolve_to;
  absl::Duration timeout = absl::Seconds(10);  // Whole transfer.
  absl::Duration connect_timeout = absl::Seconds(5);
  // CA bundle (PEM) for https; empty: the system store.
  std::string ca_file;
  // Keep up to this many body bytes in HttpResult::body (who-am-I); the
  // rest is counted, not kept.
  size_t keep_body_bytes = 0;
};

struct HttpResult {
  v6scope::v1::Outcome outcome = v6scope::v1::OUTCOME_UNSPECIFIED;
  // curl's message (with the errno text for socket errors), at most 255
  // bytes; empty for OK.
  std::string error_detail;
  // From curl's CURLINFO_*_TIME_T, in µs from the start of the transfer;
  // 0 for a phase that did not happen.
  v6scope::v1::Timings timings;
  uint32_t http_status = 0;  // 0 if no response.
  // Body bytes received, including partial bodies of failed fetches.
  uint64_t bytes_received = 0;
  // CURLINFO_PRIMARY_IP of the connection; "" if none was established.
  std::string used_address;
  // Family of used_address; UNSPECIFIED if "".
  v6scope::v1::AddressFamily used_family =
      v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED;
  // The first keep_body_bytes bytes of the body.
  std::string body;
};

class HttpFetcher {
 public:
  // Fails if libcurl cannot be initialised or lacks asynchronous DNS (a
  // libcurl that resolves names synchronously would block the loop).
  static absl::StatusOr<std::unique_ptr<HttpFetcher>> Create(
      loop::EventLoop* loop);

  // Aborts in-flight transfers; their `done` callbacks are NOT called,
  // including fetches that completed without touching the network and are
  // still waiting to be delivered. Safe to call from inside a `done`
  // callback: completions not yet delivered are then dropped likewise.
  ~HttpFetcher();

  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  // Starts a fetch. `done` is called exactly once, on the loop thread, never
  // inline from Fetch (even for a fetch that fails before touching the
  // network: NO_ADDRESS, a malformed URL). It may call Fetch again, or
  // destroy the fetcher.
  //
  // NO_ADDRESS is decided here, without touching the network, when `family`
  // is pinned and either the URL's host is an address literal of the other
  // family, or the host is a name and `resolve_to` is non-empty but has no
  // address of that family. (A pinned fetch of a name with empty
  // `resolve_to` goes to curl's own resolver, asking for that family only;
  // `resolve_to` is ignored for a literal host.)
  void Fetch(HttpRequest request, std::function<void(HttpResult)> done);

  // Fetches started and not yet delivered.
  size_t in_flight() const;

 private:
  class Impl;
  explicit HttpFetcher(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace v6scope::probe::http

#endif  // V6SCOPE_PROBE_HTTP_HTTP_FETCHER_H_
