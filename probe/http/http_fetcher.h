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
// - Stall detection (HttpRequest::stall_timeout): from the TCP connect on,
//   every readiness of one of the transfer's sockets for reading counts as
//   a byte received (TLS, headers or body alike). A loop timer per
//   transfer, armed at the last such moment plus the window and re-armed
//   lazily when bytes came meanwhile, ends the transfer STALLED. Time is
//   the loop's (EventLoop::MonotonicNow, the clock its timers run on),
//   never a sleep. A slow transfer whose bytes keep coming is never
//   stalled, only cut by its whole-transfer `timeout`.
// - Read limit (HttpRequest::body_limit): a Range request, and the write
//   callback stops the transfer at the limit if the server sent more.
//
// Threading: an HttpFetcher belongs to its loop's thread. Create, Fetch,
// in_flight and the destructor must run on that thread (or before the loop
// runs); `done` callbacks run there too. The loop must outlive the fetcher.
#ifndef V6SCOPE_PROBE_HTTP_HTTP_FETCHER_H_
#define V6SCOPE_PROBE_HTTP_HTTP_FETCHER_H_

#include <cstddef>
#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "probe/http/fetcher.h"
#include "probe/loop/event_loop.h"

namespace v6scope::probe::http {

class HttpFetcher : public Fetcher {
 public:
  // Fails if libcurl cannot be initialised or lacks asynchronous DNS (a
  // libcurl that resolves names synchronously would block the loop).
  static absl::StatusOr<std::unique_ptr<HttpFetcher>> Create(
      loop::EventLoop* loop);

  // Aborts in-flight transfers; their `done` callbacks are NOT called,
  // including fetches that completed without touching the network and are
  // still waiting to be delivered. Safe to call from inside a `done`
  // callback: completions not yet delivered are then dropped likewise.
  ~HttpFetcher() override;

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
  void Fetch(HttpRequest request,
             std::function<void(HttpResult)> done) override;

  // Fetches started and not yet delivered.
  size_t in_flight() const;

 private:
  class Impl;
  explicit HttpFetcher(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace v6scope::probe::http

#endif  // V6SCOPE_PROBE_HTTP_HTTP_FETCHER_H_
