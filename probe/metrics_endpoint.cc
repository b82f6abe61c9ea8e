#include "probe/metrics_endpoint.h"

#include <utility>
#include <vector>

#include "common/net/listen_address.h"

namespace v6scope::probe {

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& listen, const metrics::Registry* registry,
    Options options) {
  // Parsed here too for an error message that names this listener.
  absl::StatusOr<net::ListenAddress> address =
      net::ParseListenAddress(listen, "metrics listen address", 9465);
  if (!address.ok()) return address.status();
  ::v6scope::http::MhdServerOptions server_options;
  server_options.connection_timeout = options.timeout;
  server_options.max_connections = options.max_connections;
  server_options.max_connections_per_ip = options.max_connections_per_ip;
  server_options.listen_backlog = 16;
  // A scrape's request head is ~100 bytes; the buffer also holds the
  // response head. Smaller than the library's 32 KiB default: less
  // memory per connection, and an oversized head is refused sooner.
  server_options.connection_memory_bytes = 8 * 1024;
  server_options.max_request_body_bytes = 0;  // GET and HEAD only.
  server_options.keep_alive = false;
  ::v6scope::http::Route route{
      "/metrics", {"GET"}, [registry](const ::v6scope::http::Request&) {
        ::v6scope::http::Response response;
        response.content_type = "text/plain; version=0.0.4; charset=utf-8";
        response.body = registry->Render();
        return response;
      }};
  absl::StatusOr<std::unique_ptr<::v6scope::http::MhdServer>> server =
      ::v6scope::http::MhdServer::Start(listen, {std::move(route)},
                                        server_options);
  if (!server.ok()) return server.status();
  return std::unique_ptr<MetricsEndpoint>(
      new MetricsEndpoint(*std::move(server)));
}

}  // namespace v6scope::probe
