#include "common/http/metrics_endpoint.h"

#include "common/http/http_server.h"

namespace v6scope::http {

class MetricsEndpoint::Impl {
 public:
  std::unique_ptr<HttpServer> server;
};

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    const std::string& listen, const metrics::Registry* registry) {
  auto server = HttpServer::Start(listen, [registry](httplib::Server& s) {
    s.Get("/metrics",
          [registry](const httplib::Request&, httplib::Response& res) {
            res.set_content(registry->Render(),
                            "text/plain; version=0.0.4; charset=utf-8");
          });
  });
  if (!server.ok()) return server.status();
  auto impl = std::make_unique<Impl>();
  impl->server = *std::move(server);
  return std::unique_ptr<MetricsEndpoint>(new MetricsEndpoint(std::move(impl)));
}

MetricsEndpoint::MetricsEndpoint(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

MetricsEndpoint::~MetricsEndpoint() = default;

int MetricsEndpoint::port() const { return impl_->server->port(); }

}  // namespace v6scope::http
