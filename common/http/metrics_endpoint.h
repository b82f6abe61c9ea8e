// A /metrics endpoint (Prometheus text format) on its own HTTP listener.
// Kept apart from http_server.h so callers need not include httplib.h,
// whose system headers define macros that clash with generated code.
#ifndef V6SCOPE_COMMON_HTTP_METRICS_ENDPOINT_H_
#define V6SCOPE_COMMON_HTTP_METRICS_ENDPOINT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/metrics/metrics.h"

namespace v6scope::http {

class MetricsEndpoint {
 public:
  // Serves `registry` (which must outlive the endpoint) at /metrics.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(
      const std::string& listen, const metrics::Registry* registry);
  ~MetricsEndpoint();
  int port() const;

 private:
  class Impl;
  explicit MetricsEndpoint(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace v6scope::http

#endif  // V6SCOPE_COMMON_HTTP_METRICS_ENDPOINT_H_
