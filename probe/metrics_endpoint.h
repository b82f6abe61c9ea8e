// The probe daemon's Prometheus /metrics endpoint: a deliberately small
// HTTP/1.1 server on one thread of its own (poll + blocking I/O with
// deadlines), serving GET or HEAD /metrics and nothing else.
//
// Why not common/http (cpp-httplib): the probe's peak RSS is a target
// (docs/benchmarks.md). libcpp-httplib alone costs the process its own
// pages plus brotli's, its static initializer sets up OpenSSL's error
// strings at load time, and its server keeps a pool of 8 worker threads;
// a scrape endpoint on localhost needs none of that. The collector keeps
// using common/http.
//
// One connection at a time; each is closed after one response. A client
// that does not send a complete request head within the read timeout, or
// does not take the response within the write timeout, is dropped.
#ifndef V6SCOPE_PROBE_METRICS_ENDPOINT_H_
#define V6SCOPE_PROBE_METRICS_ENDPOINT_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/metrics/metrics.h"

namespace v6scope::probe {

class MetricsEndpoint {
 public:
  struct Options {
    absl::Duration read_timeout = absl::Seconds(5);
    absl::Duration write_timeout = absl::Seconds(5);
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
  // Stops serving (a connection being served is cut short) and joins the
  // thread.
  ~MetricsEndpoint();

  // The port actually bound (useful with port 0).
  int port() const { return port_; }

 private:
  MetricsEndpoint(int listen_fd, int wake_fd, int port,
                  const metrics::Registry* registry, Options options);
  void Serve();
  void ServeConnection(int fd);

  const int listen_fd_;
  const int wake_fd_;  // eventfd: readable once the destructor runs.
  const int port_;
  const metrics::Registry* const registry_;
  const Options options_;
  std::thread thread_;
};

}  // namespace v6scope::probe

#endif  // V6SCOPE_PROBE_METRICS_ENDPOINT_H_
