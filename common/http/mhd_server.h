// MhdServer: an HTTP/1.1 server on libmicrohttpd (Debian's
// libmicrohttpd12): internal polling threads (epoll on Linux; one, or a
// pool of them) that accept, parse and run the handlers. It serves the
// probe's /metrics (one thread) and the collector's HTTP listener (a pool,
// so that a slow API query does not hold /healthz), where thousands of
// idle connections cost a file descriptor and a little memory each, and
// no thread.
//
// A route marked `offload` (a slow one: a store query) does not run on the
// polling thread: once its request is complete the connection is suspended
// and the handler runs on a small worker pool of the server's; its
// response is sent when the connection resumes. The polling thread goes on
// serving its other connections (/healthz among them) meanwhile. When the
// pool's queue is full the request is answered 503 with Retry-After at
// once.
//
// Routing is by exact path, then by the longest prefix route. A path no
// route has is 404; a method its route does not take is 405 with Allow; a
// GET or HEAD carrying a body is 400; a body over the limit is 413. Strict
// parsing: Content-Length together with Transfer-Encoding, two different
// Content-Lengths, a path with an encoded NUL (%00) or a "." / ".."
// segment are 400. HEAD is served wherever GET is (the handler runs, the
// library sends the head only). Every limit of MhdServerOptions is
// enforced by the library itself.
//
// Listening on "[::]:PORT" is dual-stack: IPv4 clients arrive as v4-mapped
// peers, which Request::peer reports as plain IPv4.
#ifndef V6SCOPE_COMMON_HTTP_MHD_SERVER_H_
#define V6SCOPE_COMMON_HTTP_MHD_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

struct MHD_Daemon;

namespace v6scope::http {

// Limits that keep one slow or hostile client from holding the listener.
struct MhdServerOptions {
  // Connections open at once; further ones are accepted and closed.
  int max_connections = 64;
  // Connections open at once from one client address (0: no limit).
  int max_connections_per_ip = 8;
  // A connection with no traffic for this long is closed: a silent client,
  // a stalled reader, an idle keep-alive. libmicrohttpd counts whole
  // seconds, so this is rounded up (at least 1 s).
  absl::Duration connection_timeout = absl::Seconds(10);
  // Pending connections the kernel queues before the server accepts them.
  int listen_backlog = 16;
  // Polling threads, each with its own epoll set, sharing the listening
  // socket. A handler blocks only its own thread's connections, so more
  // threads keep quick routes answering while slow ones run.
  int threads = 1;
  // Per-connection buffer for the request head and the response head; a
  // request head that does not fit is refused (431 or a closed connection).
  size_t connection_memory_bytes = 32 * 1024;
  // Largest request body a route that takes one receives (larger: 413).
  size_t max_request_body_bytes = 1 << 20;
  // false: every response says "Connection: close" and the connection is
  // closed after it (no idle connections held between requests).
  bool keep_alive = true;
  // Workers that run the offloaded routes' handlers (started only when a
  // route is offloaded), and how many offloaded requests may wait for one;
  // more are answered 503 at once.
  int offload_threads = 4;
  size_t offload_queue = 32;
};

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "HEAD", ...
  std::string path;    // Percent-decoded, without the query.
  Fields query;        // Decoded, in order.
  Fields headers;      // Names as the client sent them.
  std::string peer;    // "192.0.2.1", "2001:db8::1".
  std::string body;

  // The first query parameter / header (names case-insensitive) called
  // `name`, or null.
  const std::string* Query(absl::string_view name) const;
  const std::string* Header(absl::string_view name) const;
};

// A body produced while it is sent (large objects, files, exports)
// instead of held whole in Response::body.
struct BodyReader {
  // Writes up to `max` bytes of the body starting at `offset` into `buf`
  // and returns how many; 0 is the end of a body of unknown size. An error
  // cuts the connection: no final chunk, or fewer bytes than the
  // Content-Length, so a client never takes a truncated body for a whole
  // one. Runs on a server thread; called again only after it returned.
  using Read = std::function<absl::StatusOr<size_t>(uint64_t offset, char* buf,
                                                    size_t max)>;
  // The body's length (Content-Length), or -1: unknown, sent chunked.
  int64_t size = -1;
  Read read;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  Fields headers;  // "Connection: close" closes after this response.
  std::string body;
  // When set, the body comes from here and `body` is ignored.
  std::shared_ptr<BodyReader> stream;
};

using Handler = std::function<Response(const Request&)>;

struct Route {
  // Exact ("/metrics"), or with `prefix` every path that starts with it
  // ("/" for static files) and has no exact or longer prefix route.
  std::string path;
  std::vector<std::string> methods;  // {"GET"} (HEAD implied), {"POST"}...
  // Runs on a server thread (concurrently with others when threads > 1,
  // or on a worker when offloaded); must outlive the server.
  Handler handler;
  bool prefix = false;
  // Run the handler on the worker pool instead of the polling thread: for
  // handlers that may take long (store reads and writes).
  bool offload = false;
  // The server's own refusals of a request on this route's paths (400 for
  // a malformed one, 405, 413, 503 when the workers are busy) are this
  // response when set (the JSON API's error body), a plain-text line
  // otherwise. The headers a refusal needs (Allow, Retry-After) are added.
  std::function<Response(int status, absl::string_view message)> refusal =
      nullptr;
};

class WorkerPool;

class MhdServer {
 public:
  // Binds `listen` (see net::ParseListenAddress; "[::]:8080",
  // "127.0.0.1:0", "[::1]:0") and starts serving `routes`. A busy or
  // unavailable address is UNAVAILABLE, a malformed one INVALID_ARGUMENT;
  // both name the address. A port another socket holds is busy: the
  // listener never shares one (no SO_REUSEPORT).
  static absl::StatusOr<std::unique_ptr<MhdServer>> Start(
      const std::string& listen, std::vector<Route> routes,
      const MhdServerOptions& options = MhdServerOptions());

  MhdServer(const MhdServer&) = delete;
  MhdServer& operator=(const MhdServer&) = delete;
  // Stops taking offloaded work, answers the queued offloaded requests
  // 503, waits for the running handlers, then stops the threads and closes
  // every connection, open requests included. Must not run on a server
  // thread (from a handler).
  ~MhdServer();

  // The port actually bound (useful with port 0).
  int port() const { return port_; }
  // The address as given to Start().
  const std::string& listen() const { return listen_; }
  // Offloaded requests waiting for a worker (0 when none is offloaded).
  size_t offload_queued() const;

 private:
  // The libmicrohttpd callbacks and the request handling behind them
  // (mhd_server.cc), kept out of this header with the library's types.
  friend struct MhdCallbacks;

  MhdServer(std::string listen, std::vector<Route> routes,
            const MhdServerOptions& options);
  const Route* Find(absl::string_view path) const;

  const std::string listen_;
  const std::vector<Route> routes_;
  const MhdServerOptions options_;
  int port_ = 0;
  MHD_Daemon* daemon_ = nullptr;
  // Runs the offloaded handlers; null when no route is offloaded. Stopped
  // before the daemon: the library must not stop with a connection
  // suspended.
  std::unique_ptr<WorkerPool> workers_;
  // Until Start() is done, the library's messages are the reason a start
  // failed; they are collected here instead of logged.
  absl::Mutex start_mu_;
  bool running_ ABSL_GUARDED_BY(start_mu_) = false;
  std::string start_errors_ ABSL_GUARDED_BY(start_mu_);
};

}  // namespace v6scope::http

#endif  // V6SCOPE_COMMON_HTTP_MHD_SERVER_H_
