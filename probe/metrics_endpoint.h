// The probe daemon's Prometheus /metrics endpoint: GET or HEAD /metrics
// and nothing else (404), served by common/http/mhd_server
// (libmicrohttpd) on one thread of its own.
//
// Why libmicrohttpd and not common/http/http_server (cpp-httplib): the
// probe's peak RSS is a target (docs/benchmarks.md). libcpp-httplib costs
// the process its own pages plus brotli's, its static initializer sets up
// OpenSSL's error strings at load time, and its server keeps a pool of 8
// worker threads. libmicrohttpd is a C library of about 170 KiB whose
// dependencies (GnuTLS and its helpers) libcurl already loads into the
// probe; TLS is never enabled. It runs one polling thread with a fixed
// per-connection buffer and allocates nothing until a client connects. Measured
// with an opt build (40 daemon runs uploading to a collector, /metrics scraped
// meanwhile; 7 rounds): peak RSS median 19.2 -> 19.4 MiB, within the 20 MiB
// target. It replaces a hand-written HTTP parser that the project had to
// maintain and harden itself.
//
// Each connection is closed after one response: a scrape every 15 s or
// more gains nothing from keep-alive, and no idle connection is held. A
// client silent for the timeout is dropped; connection counts are capped
// in total and per client address.
#ifndef V6SCOPE_PROBE_METRICS_ENDPOINT_H_
#define V6SCOPE_PROBE_METRICS_ENDPOINT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/http/mhd_server.h"
#include "common/metrics/metrics.h"

namespace v6scope::probe {

class MetricsEndpoint {
 public:
  struct Options {
    // A connection with no traffic for this long is closed (libmicrohttpd
    // counts whole seconds: rounded up).
    absl::Duration timeout = absl::Seconds(5);
    // Open connections at once, in total and from one client address.
    int max_connections = 16;
    int max_connections_per_ip = 4;
  };

  // Binds `listen` ("127.0.0.1:9465", "[::1]:0", "[::]:9465"; IP literals
  // only) and serves `registry` (which must outlive the endpoint). A busy
  // or unavailable address is UNAVAILABLE, a malformed one
  // INVALID_ARGUMENT; both name the address.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& listen, const metrics::Registry* registry,
      Options options);
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& listen, const metrics::Registry* registry) {
    return Start(listen, registry, Options());
  }

  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;
  // Stops serving (connections being served are cut short) and joins the
  // server's thread.
  ~MetricsEndpoint() = default;

  // The port actually bound (useful with port 0).
  int port() const { return server_->port(); }

 private:
  explicit MetricsEndpoint(std::unique_ptr<::v6scope::http::MhdServer> server)
      : server_(std::move(server)) {}

  std::unique_ptr<::v6scope::http::MhdServer> server_;
};

}  // namespace v6scope::probe

#endif  // V6SCOPE_PROBE_METRICS_ENDPOINT_H_
