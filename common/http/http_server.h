// HttpServer: the collector's one HTTP/1.1 listener (cpp-httplib), serving
// the built-in test targets now and the JSON API, dashboard and /metrics
// later. It owns an httplib::Server, an accept thread and httplib's worker
// pool; handlers run on the worker threads.
//
// Listening on "[::]:PORT" is dual-stack: IPv4 clients arrive as v4-mapped
// peers (::ffff:a.b.c.d), which PeerAddress() turns back into plain IPv4.
#ifndef V6SCOPE_COMMON_HTTP_HTTP_SERVER_H_
#define V6SCOPE_COMMON_HTTP_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "common/net/listen_address.h"
#include "httplib.h"

namespace v6scope::http {

// Limits that keep one slow or hostile client from holding the listener.
struct HttpServerOptions {
  // Handler threads: at most this many connections are served at once;
  // further accepted connections wait in httplib's queue.
  int worker_threads = 8;
  // Longest wait for each read or write on a connection (not the whole
  // request), so a stalled client frees its worker.
  absl::Duration read_timeout = absl::Seconds(5);
  absl::Duration write_timeout = absl::Seconds(5);
  // An idle keep-alive connection is closed after this; it also bounds how
  // long Stop() waits for such connections.
  absl::Duration keep_alive_timeout = absl::Seconds(5);
  // Requests served on one connection before it is closed.
  size_t keep_alive_max_requests = 100;
  // Largest request body accepted (larger: 413).
  size_t max_request_body_bytes = 1 << 20;
};

// A peer address as httplib reports it, in the form clients know it by:
// IPv4 dotted quad for IPv4 and v4-mapped peers, canonical (RFC 5952)
// IPv6 otherwise, without a zone id. Text that is no IP address is
// returned unchanged.
std::string PeerAddress(absl::string_view remote_addr);

class HttpServer {
 public:
  // Adds handlers to the server before it starts accepting. Whatever the
  // handlers capture must outlive the HttpServer.
  using RouteRegistrar = std::function<void(httplib::Server&)>;

  // Binds `listen` (see net::ParseListenAddress; "[::]:8080", "127.0.0.1:0",
  // "[::1]:0"), registers the routes and starts serving. When this
  // returns, connections are being accepted. A busy or unavailable
  // address is UNAVAILABLE, a malformed one INVALID_ARGUMENT; both name
  // the address.
  static absl::StatusOr<std::unique_ptr<HttpServer>> Start(
      const std::string& listen, RouteRegistrar register_routes,
      const HttpServerOptions& options = HttpServerOptions());

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();

  // The port actually bound (useful with port 0).
  int port() const { return port_; }
  // The address as given to Start().
  const std::string& listen() const { return listen_; }

  // Stops accepting, lets the workers finish their connections (bounded by
  // the timeouts above) and joins every thread. Idempotent; thread-safe;
  // must not be called from a handler.
  void Stop();

 private:
  explicit HttpServer(std::string listen);

  void Configure(const HttpServerOptions& options);
  absl::Status Bind(const net::ListenAddress& address);
  void AcceptLoop();
  void WaitUntilAccepting();

  const std::string listen_;
  std::unique_ptr<httplib::Server> server_;
  int port_ = 0;
  // Notified when the accept loop has returned.
  absl::Notification accept_loop_done_;
  absl::Mutex stop_mu_;
  std::thread accept_thread_ ABSL_GUARDED_BY(stop_mu_);
};

}  // namespace v6scope::http

#endif  // V6SCOPE_COMMON_HTTP_HTTP_SERVER_H_
