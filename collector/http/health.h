// Liveness and readiness on the HTTP listener (load balancers, Kubernetes
// probes, compose healthchecks):
//
//   GET|HEAD /healthz  200 "ok" while the process serves HTTP at all
//                      (liveness: restart it when this fails)
//   GET|HEAD /readyz   200 "ready" when every readiness check passes, else
//                      503 "not ready: <check>" (readiness: send no
//                      traffic meanwhile); the check's details are logged
//                      (event=http.not_ready) with an error id, never sent
//
// The checks run per request, so they must be cheap: the store's
// CheckWritable() and a statvfs of the data directory.
//
// The same checks give /metrics v6scope_collector_ready{check}: 1 when the
// check passes, 0 when not, run at every scrape (deploy/prometheus/
// alerts.yml: V6scopeCollectorNotReady).
#ifndef V6SCOPE_COLLECTOR_HTTP_HEALTH_H_
#define V6SCOPE_COLLECTOR_HTTP_HEALTH_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "common/http/mhd_server.h"
#include "common/metrics/metrics.h"

namespace v6scope::collector::http {

inline constexpr char kHealthPath[] = "/healthz";
inline constexpr char kReadyPath[] = "/readyz";

struct ReadinessCheck {
  std::string name;  // Said to the client: "store", "disk".
  std::function<absl::Status()> check;
};

// The two routes; `checks` are run in order by /readyz, which is
// offloaded (the checks touch the store); /healthz is not.
std::vector<v6scope::http::Route> HealthRoutes(
    std::vector<ReadinessCheck> checks);

// Registers v6scope_collector_ready{check} over `checks`.
void RegisterReadinessMetric(metrics::Registry* registry,
                             std::vector<ReadinessCheck> checks);

// OK when the file system holding `dir` has at least `min_free_bytes`
// available to unprivileged writers.
absl::Status CheckFreeDisk(const std::string& dir, uint64_t min_free_bytes);

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_HEALTH_H_
