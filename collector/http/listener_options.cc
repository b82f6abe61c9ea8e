#include "collector/http/listener_options.h"

#include <sys/resource.h>

#include <algorithm>

#include "absl/time/time.h"
#include "common/log/log.h"

namespace v6scope::collector::http {
namespace {

// The soft limit after raising it as far as allowed.
uint64_t RaiseOpenFileLimit() {
  rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 1024;
  if (limit.rlim_cur < limit.rlim_max) {
    const rlim_t before = limit.rlim_cur;
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) limit.rlim_cur = before;
  }
  return limit.rlim_cur == RLIM_INFINITY ? UINT64_MAX : limit.rlim_cur;
}

}  // namespace

uint32_t FitConnections(uint32_t wanted, uint64_t open_files) {
  const uint64_t room = open_files > 2 * kReservedDescriptors
                            ? open_files - kReservedDescriptors
                            : open_files / 2;
  return static_cast<uint32_t>(std::min<uint64_t>(wanted, room));
}

v6scope::http::MhdServerOptions ListenerOptions(
    const v6scope::v1::CollectorConfig& config) {
  v6scope::http::MhdServerOptions options;
  const uint64_t open_files = RaiseOpenFileLimit();
  const uint32_t wanted = config.http_max_connections();
  options.max_connections =
      static_cast<int>(FitConnections(wanted, open_files));
  if (static_cast<uint32_t>(options.max_connections) < wanted) {
    log::Warn("http.connections_limited",
              {{"wanted", wanted},
               {"max_connections", options.max_connections},
               {"open_file_limit", open_files}});
  }
  options.max_connections_per_ip =
      static_cast<int>(config.http_max_connections_per_ip());
  options.connection_timeout =
      absl::Seconds(config.http_connection_timeout_seconds());
  options.listen_backlog = static_cast<int>(config.http_listen_backlog());
  options.threads = static_cast<int>(config.http_threads());
  // Request heads of the API are short; 16 KiB also holds the response
  // head, and costs little per idle connection.
  options.connection_memory_bytes = 16 * 1024;
  options.max_request_body_bytes = 0;  // GET and HEAD only.
  return options;
}

}  // namespace v6scope::collector::http
