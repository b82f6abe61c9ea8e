#include "collector/http/health.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/log/error_id.h"

namespace v6scope::collector::http {
namespace {

using ::v6scope::http::Request;
using ::v6scope::http::Response;
using ::v6scope::http::Route;

Response Text(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "text/plain";
  response.headers.emplace_back("Cache-Control", "no-store");
  response.body = std::move(body);
  return response;
}

Response Ready(const std::vector<ReadinessCheck>& checks) {
  for (const ReadinessCheck& c : checks) {
    absl::Status status = c.check();
    if (status.ok()) continue;
    const std::string id = log::LogWithErrorId(
        "http.not_ready",
        absl::Status(status.code(),
                     absl::StrCat(c.name, ": ", status.message())));
    return Text(503,
                absl::StrCat("not ready: ", c.name, " (error id ", id, ")\n"));
  }
  return Text(200, "ready\n");
}

}  // namespace

std::vector<Route> HealthRoutes(std::vector<ReadinessCheck> checks) {
  auto shared =
      std::make_shared<const std::vector<ReadinessCheck>>(std::move(checks));
  Route ready{
      kReadyPath, {"GET"}, [shared](const Request&) { return Ready(*shared); }};
  // The checks write to the store: off the polling thread, so that a slow
  // store does not hold /healthz behind them.
  ready.offload = true;
  return {
      Route{
          kHealthPath, {"GET"}, [](const Request&) { return Text(200, "ok"); }},
      std::move(ready),
  };
}

void RegisterReadinessMetric(metrics::Registry* registry,
                             std::vector<ReadinessCheck> checks) {
  registry->GaugeFamilyFunction(
      "v6scope_collector_ready",
      "1 if the readiness check passes now (as /readyz runs it), 0 if not; "
      "the log line event=http.not_ready says why.",
      {"check"}, [checks = std::move(checks)] {
        std::vector<metrics::Sample> samples;
        for (const ReadinessCheck& c : checks) {
          samples.push_back({{c.name}, c.check().ok() ? 1.0 : 0.0});
        }
        return samples;
      });
}

absl::Status CheckFreeDisk(const std::string& dir, uint64_t min_free_bytes) {
  struct statvfs st;
  if (statvfs(dir.c_str(), &st) != 0) {
    return absl::UnavailableError(
        absl::StrCat("statvfs ", dir, ": ", std::strerror(errno)));
  }
  const uint64_t free_bytes =
      static_cast<uint64_t>(st.f_bavail) * static_cast<uint64_t>(st.f_frsize);
  if (free_bytes < min_free_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat(dir, ": ", free_bytes, " bytes free, below the floor of ",
                     min_free_bytes));
  }
  return absl::OkStatus();
}

}  // namespace v6scope::collector::http
