// CollectorServer: the collector assembled — store, ingest writer, the
// gRPC services on one listener and, when configured, the HTTP listener
// with the built-in test targets. Used by main.cc and by in-process tests.
#ifndef V6SCOPE_COLLECTOR_SERVER_H_
#define V6SCOPE_COLLECTOR_SERVER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "collector/attribution_metrics.h"
#include "collector/campaign/assignment_planner.h"
#include "collector/enrich/attribution.h"
#include "collector/ingest/ingest_metrics.h"
#include "collector/ingest/ingest_writer.h"
#include "collector/ingest/pipeline.h"
#include "collector/query/queries.h"
#include "collector/report/country_report.h"
#include "collector/service/admin_service.h"
#include "collector/service/probe_service.h"
#include "collector/service/query_service.h"
#include "collector/store/store.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "proto/config.pb.h"

namespace v6scope::http {
class MhdServer;  // Kept out of this header: its routes are server.cc's.
}  // namespace v6scope::http
namespace v6scope::collector::http {
class ApiRateLimit;
}  // namespace v6scope::collector::http

namespace v6scope::collector {

struct CollectorOptions {
  v6scope::v1::CollectorConfig config;
  // Server certificate chain and key (PEM); empty: plaintext.
  std::string tls_cert_file;
  std::string tls_key_file;
  // CA (PEM) that signs probe client certificates; when set, every client
  // must present a certificate it verifies (mutual TLS).
  std::string tls_client_ca_file;
  const time::Clock* clock = time::RealClock::Get();
  // Validation and flow-control limits of the upload stream.
  ingest::IngestLimits limits;
  // Routing and registry data for attribution; each kind of file may be
  // given alone. Without any file runs are stored unattributed (datasets
  // "none"). Every file must load whole unless allow_partial.
  enrich::AttributionSources attribution;
};

// Fills unset fields of `config` with defaults and checks the rest. An empty
// http_listen stays empty: the HTTP listener runs only where asked for.
absl::Status ApplyDefaultsAndValidate(v6scope::v1::CollectorConfig* config);

// The store `config` names: PostgreSQL when `postgres` is set, else the
// SQLite database in data_dir (which must exist). Schema brought up to date.
absl::StatusOr<std::unique_ptr<store::Store>> OpenStore(
    const v6scope::v1::CollectorConfig& config);

class CollectorServer {
 public:
  // Opens (creating if needed) the data directory and its SQLite store,
  // reads or creates the admin secret, and starts serving.
  static absl::StatusOr<std::unique_ptr<CollectorServer>> Start(
      CollectorOptions options);

  ~CollectorServer();

  // The port actually bound (useful with port 0).
  int grpc_port() const { return port_; }
  // The HTTP port actually bound; 0 when there is no HTTP listener.
  int http_port() const;
  // File holding the admin secret (mode 0600).
  std::string admin_secret_file() const;
  store::Store* store() const { return store_.get(); }
  // The metrics served on the HTTP listener's /metrics.
  const metrics::Registry& metrics() const { return registry_; }

  // Stops the HTTP listener (closing its connections, open requests
  // included), then stops accepting calls, lets in-flight calls finish for up
  // to `grace`, and stores what is queued. Idempotent.
  void Shutdown(absl::Duration grace);

  // Loads the attribution data again (SIGHUP) without stopping ingest; on
  // error the data in use stays and the error is returned.
  absl::Status ReloadAttribution();

 private:
  CollectorServer() = default;

  // The steps of Start, in order.
  absl::Status LoadAttribution();
  void BuildServices(const std::string& admin_secret);
  service::CampaignWork BuildCampaignWork();
  absl::Status StartGrpc(const std::shared_ptr<grpc::ServerCredentials>& creds);
  void StartIdleSweeper();
  absl::Status StartHttp();
  void LogListening() const;

  CollectorOptions options_;
  metrics::Registry registry_;
  std::unique_ptr<ingest::IngestMetrics> ingest_metrics_;
  std::unique_ptr<enrich::AttributionHolder> attribution_;
  std::unique_ptr<AttributionMetrics> attribution_metrics_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ingest::IngestWriter> writer_;
  std::unique_ptr<ingest::IngestPipeline> pipeline_;
  // Campaign work: the planner and the readiness ingest.
  std::unique_ptr<campaign::AssignmentPlanner> planner_;
  std::unique_ptr<ingest::ReadinessIngest> readiness_ingest_;
  std::unique_ptr<service::ProbeServiceImpl> probe_service_;
  std::unique_ptr<query::Queries> queries_;
  std::unique_ptr<report::Reports> reports_;
  std::unique_ptr<service::ReadAccess> read_access_;
  std::unique_ptr<service::QueryServiceImpl> query_service_;
  std::unique_ptr<service::AdminServiceImpl> admin_service_;
  std::unique_ptr<grpc::Server> server_;
  // Before http_: its handlers use it until http_ is gone.
  std::unique_ptr<http::ApiRateLimit> api_limit_;
  std::unique_ptr<v6scope::http::MhdServer> http_;
  absl::Notification stop_sweeping_;
  std::thread idle_sweeper_;  // Ends idle Upload streams.
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace v6scope::collector

#endif  // V6SCOPE_COLLECTOR_SERVER_H_
