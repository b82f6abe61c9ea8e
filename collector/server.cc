#include "collector/server.h"

#include <sys/stat.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "collector/aggregate/aggregator.h"
#include "collector/aggregate/readiness/options.h"
#include "collector/fleet_metrics.h"
#include "collector/http/api.h"
#include "collector/http/health.h"
#include "collector/http/listener_options.h"
#include "collector/http/static_files.h"
#include "collector/http/targets.h"
#include "collector/ingest/readiness_ingest_impl.h"
#include "collector/store/postgres/postgres_store.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "common/crypto/secrets.h"
#include "common/fs/files.h"
#include "common/http/mhd_server.h"
#include "common/log/log.h"
#include "common/net/listen_address.h"
#include "common/rpc/channel.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"

namespace v6scope::collector {
namespace {

constexpr char kDatabaseFile[] = "v6scope.db";

constexpr char kAdminSecretFile[] = "admin.secret";

// Takes group and other permissions off an existing file or directory,
// with a log line: the data directory and the secrets are owner-only.
absl::Status OwnerOnly(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return absl::OkStatus();
  const mode_t mode = st.st_mode & 07777;
  if ((mode & 077) == 0) return absl::OkStatus();
  if (chmod(path.c_str(), mode & ~static_cast<mode_t>(077)) != 0) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot take group/other permissions off ", path));
  }
  log::Warn("file_mode.tightened",
            {{"path", path},
             {"from", absl::StrFormat("%04o", mode)},
             {"to", absl::StrFormat("%04o", mode & ~077)}});
  return absl::OkStatus();
}

// A warning when `listen` is not loopback-only and nothing encrypts it:
// credentials and read keys then cross the network in the clear.
void WarnIfPlaintextOffLoopback(const std::string& listener,
                                const std::string& listen) {
  absl::StatusOr<net::ListenAddress> address = net::ParseListenAddress(listen);
  if (address.ok() &&
      net::IsLoopbackHostPort(address->ip.Unmapped().ToString())) {
    return;
  }
  log::Warn("collector.plaintext",
            {{"listener", listener},
             {"address", listen},
             {"hint",
              "not loopback and no TLS: use --tls_cert/--tls_key or "
              "a TLS-terminating proxy"}});
}

// The admin secret is made on first start and kept in the data directory
// (mode 0600), so the operator's CLI can read it from there.
absl::StatusOr<std::string> LoadOrCreateAdminSecret(const std::string& path) {
  absl::StatusOr<std::string> existing = fs::ReadFile(path);
  if (existing.ok()) {
    if (absl::Status s = OwnerOnly(path); !s.ok()) return s;
    std::string secret(absl::StripAsciiWhitespace(*existing));
    if (secret.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("admin secret file is empty: ", path));
    }
    return secret;
  }
  if (!absl::IsNotFound(existing.status())) return existing.status();
  absl::StatusOr<std::string> secret = crypto::RandomHex(32);
  if (!secret.ok()) return secret.status();
  absl::Status s = fs::WriteFileAtomically(path, *secret + "\n", 0600);
  if (!s.ok()) return s;
  log::Info("admin_secret.created", {{"path", path}});
  return *secret;
}

// SQLite in the data directory unless a shared PostgreSQL is configured.
bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

absl::StatusOr<std::unique_ptr<store::Store>> OpenStoreImpl(
    const v6scope::v1::CollectorConfig& config) {
  if (!config.postgres().empty()) {
    auto pg = store::postgres::PostgresStore::Open(config.postgres());
    if (!pg.ok()) return pg.status();
    return std::unique_ptr<store::Store>(std::move(*pg));
  }
  auto sqlite = store::sqlite::SqliteStore::Open(
      absl::StrCat(config.data_dir(), "/", kDatabaseFile));
  if (!sqlite.ok()) return sqlite.status();
  return std::unique_ptr<store::Store>(std::move(*sqlite));
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentials(
    const CollectorOptions& options) {
  if (options.tls_cert_file.empty()) {
    if (!options.tls_client_ca_file.empty()) {
      return absl::InvalidArgumentError(
          "a client CA (mutual TLS) needs a server certificate and key");
    }
    return grpc::InsecureServerCredentials();
  }
  absl::StatusOr<std::string> cert = fs::ReadFile(options.tls_cert_file);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = fs::ReadFile(options.tls_key_file);
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  if (!options.tls_client_ca_file.empty()) {
    absl::StatusOr<std::string> ca = fs::ReadFile(options.tls_client_ca_file);
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    ssl.client_certificate_request =
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

absl::Status ValidateHttp(v6scope::v1::CollectorConfig* config) {
  if (config->large_object_bytes() == 0) {
    config->set_large_object_bytes(http::kDefaultLargeObjectBytes);
  }
  if (config->large_object_bytes() > http::kMaxLargeObjectBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("large_object_bytes: must be at most ",
                     http::kMaxLargeObjectBytes, " (64 MiB)"));
  }
  auto fill = [](uint64_t value, uint64_t fallback) {
    return value == 0 ? fallback : value;
  };
  config->set_http_max_connections(static_cast<uint32_t>(
      fill(config->http_max_connections(), http::kDefaultMaxConnections)));
  config->set_http_max_connections_per_ip(
      static_cast<uint32_t>(fill(config->http_max_connections_per_ip(),
                                 http::kDefaultMaxConnectionsPerIp)));
  config->set_http_connection_timeout_seconds(
      static_cast<uint32_t>(fill(config->http_connection_timeout_seconds(),
                                 http::kDefaultConnectionTimeoutSeconds)));
  config->set_http_listen_backlog(static_cast<uint32_t>(
      fill(config->http_listen_backlog(), http::kDefaultListenBacklog)));
  config->set_http_threads(static_cast<uint32_t>(
      fill(config->http_threads(), http::kDefaultThreads)));
  config->set_min_free_disk_mb(
      fill(config->min_free_disk_mb(), http::kDefaultMinFreeDiskMb));
  if (config->api_requests_per_second() <= 0) {
    config->set_api_requests_per_second(http::kDefaultApiRequestsPerSecond);
  }
  if (config->api_burst() == 0) config->set_api_burst(http::kDefaultApiBurst);
  if (config->http_threads() > 256) {
    return absl::InvalidArgumentError("http_threads: must be at most 256");
  }
  if (config->http_listen().empty()) return absl::OkStatus();
  absl::StatusOr<net::ListenAddress> listen =
      net::ParseListenAddress(config->http_listen());
  if (!listen.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("http_listen: ", listen.status().message()));
  }
  return absl::OkStatus();
}

// Upload stream limits: 0 takes the default; an idle timeout under 10 s
// would end streams of probes that are merely slow to send.
absl::Status ValidateUploadStreams(v6scope::v1::CollectorConfig* config) {
  using service::UploadStreamLimits;
  if (config->upload_streams_per_probe() == 0) {
    config->set_upload_streams_per_probe(UploadStreamLimits::kDefaultPerProbe);
  }
  if (config->upload_streams_total() == 0) {
    config->set_upload_streams_total(UploadStreamLimits::kDefaultTotal);
  }
  if (config->upload_idle_timeout_seconds() == 0) {
    config->set_upload_idle_timeout_seconds(static_cast<uint32_t>(
        absl::ToInt64Seconds(UploadStreamLimits::kDefaultIdleTimeout)));
  }
  if (config->upload_idle_timeout_seconds() < 10) {
    return absl::InvalidArgumentError(
        "upload_idle_timeout_seconds: must be at least 10");
  }
  return absl::OkStatus();
}

service::UploadStreamLimits StreamLimits(
    const v6scope::v1::CollectorConfig& config) {
  service::UploadStreamLimits limits;
  limits.per_probe = config.upload_streams_per_probe();
  limits.total = config.upload_streams_total();
  limits.idle_timeout = absl::Seconds(config.upload_idle_timeout_seconds());
  return limits;
}

// The HTTP listener: built-in test targets, health and readiness, the
// JSON API and exports, /metrics and the dashboard's static files.
// What /readyz and v6scope_collector_ready check.
std::vector<http::ReadinessCheck> ReadinessChecks(
    const v6scope::v1::CollectorConfig& config, store::Store* store) {
  const std::string data_dir = config.data_dir();
  const uint64_t min_free = config.min_free_disk_mb() << 20;
  return {
      {"store", [store] { return store->CheckWritable(); }},
      {"disk", [data_dir,
                min_free] { return http::CheckFreeDisk(data_dir, min_free); }},
  };
}

absl::StatusOr<std::unique_ptr<v6scope::http::MhdServer>> StartHttpListener(
    const v6scope::v1::CollectorConfig& config,
    const metrics::Registry* registry, const query::Queries* queries,
    store::Store* store, const service::ReadAccess* access,
    http::ApiRateLimit* api_limit, const report::Reports* reports) {
  http::ApiAuthorizer authorize = [access](bool loopback,
                                           absl::string_view authorization) {
    return access->Authorize(loopback, authorization);
  };
  http::TargetOptions targets;
  targets.large_object_bytes = config.large_object_bytes();
  std::vector<v6scope::http::Route> routes = http::TargetRoutes(targets);
  auto append = [&routes](std::vector<v6scope::http::Route> more) {
    routes.insert(routes.end(), more.begin(), more.end());
  };
  append(http::HealthRoutes(ReadinessChecks(config, store)));
  append(http::ApiRoutes(queries, std::move(authorize), api_limit, reports));
  v6scope::http::Route metrics_route{
      "/metrics", {"GET"}, [registry](const v6scope::http::Request&) {
        v6scope::http::Response res;
        res.content_type = "text/plain; version=0.0.4; charset=utf-8";
        res.body = registry->Render();
        return res;
      }};
  // A scrape reads the store (the fleet's last runs, readiness): off the
  // polling thread, as /readyz.
  metrics_route.offload = true;
  routes.push_back(std::move(metrics_route));
  if (!config.dashboard_dir().empty()) {
    absl::StatusOr<v6scope::http::Route> files =
        http::StaticFilesRoute(config.dashboard_dir());
    if (!files.ok()) return files.status();
    routes.push_back(*std::move(files));
  }
  return v6scope::http::MhdServer::Start(
      config.http_listen(), std::move(routes), http::ListenerOptions(config));
}

}  // namespace

absl::StatusOr<std::unique_ptr<store::Store>> OpenStore(
    const v6scope::v1::CollectorConfig& config) {
  return OpenStoreImpl(config);
}

absl::Status ApplyDefaultsAndValidate(v6scope::v1::CollectorConfig* config) {
  if (config->grpc_listen().empty()) config->set_grpc_listen("[::]:7443");
  if (config->data_dir().empty()) config->set_data_dir("/var/lib/v6scope");
  if (config->default_interval_seconds() == 0) {
    config->set_default_interval_seconds(3600);
  }
  if (config->default_spread_seconds() == 0) {
    config->set_default_spread_seconds(config->default_interval_seconds() / 4);
  }
  if (config->min_probes() == 0)
    config->set_min_probes(aggregate::kDefaultMinProbes);
  if (config->readiness_min_networks() == 0) {
    config->set_readiness_min_networks(
        aggregate::readiness::kDefaultMinNetworks);
  }
  if (config->campaign_poll_seconds() == 0) {
    config->set_campaign_poll_seconds(300);
  }
  if (config->campaign_poll_seconds() > 86400) {
    return absl::InvalidArgumentError(
        "campaign_poll_seconds: must be 1..86400");
  }
  if (config->default_interval_seconds() < 30 ||
      config->default_interval_seconds() > 86400) {
    return absl::InvalidArgumentError(
        "default_interval_seconds: must be 30..86400");
  }
  if (config->default_spread_seconds() > config->default_interval_seconds()) {
    return absl::InvalidArgumentError(
        "default_spread_seconds: must not exceed default_interval_seconds");
  }
  if (!config->dashboard_dir().empty() &&
      !IsDirectory(config->dashboard_dir())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "dashboard_dir: ", config->dashboard_dir(),
        " is not a directory (build it with tools/build-dashboard)"));
  }
  if (absl::Status s = ValidateUploadStreams(config); !s.ok()) return s;
  return ValidateHttp(config);
}

absl::StatusOr<std::unique_ptr<CollectorServer>> CollectorServer::Start(
    CollectorOptions options) {
  absl::Status s = ApplyDefaultsAndValidate(&options.config);
  if (!s.ok()) return s;
  s = fs::MakeDirs(options.config.data_dir(), 0700);
  if (s.ok()) s = OwnerOnly(options.config.data_dir());
  if (!s.ok()) {
    return absl::Status(s.code(),
                        absl::StrCat("data directory unusable: ", s.message()));
  }
  std::unique_ptr<CollectorServer> server(new CollectorServer());
  server->options_ = std::move(options);
  absl::StatusOr<std::unique_ptr<store::Store>> store =
      OpenStore(server->options_.config);
  if (!store.ok()) return store.status();
  server->store_ = std::move(*store);
  absl::StatusOr<std::string> admin_secret =
      LoadOrCreateAdminSecret(server->admin_secret_file());
  if (!admin_secret.ok()) return admin_secret.status();
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> creds =
      ServerCredentials(server->options_);
  if (!creds.ok()) return creds.status();
  if (s = server->LoadAttribution(); !s.ok()) return s;
  server->BuildServices(*admin_secret);
  if (s = server->StartGrpc(*creds); !s.ok()) return s;
  server->StartIdleSweeper();
  if (s = server->StartHttp(); !s.ok()) return s;
  server->LogListening();
  return server;
}

// Any one of --pfx2as, --rir, --as_names is enough: each kind of file is
// used on its own (--rir alone gives countries and allocation context).
absl::Status CollectorServer::LoadAttribution() {
  const enrich::AttributionSources& sources = options_.attribution;
  attribution_metrics_ = std::make_unique<AttributionMetrics>(&registry_);
  if (sources.pfx2as_files.empty() && sources.rir_files.empty() &&
      sources.as_names_file.empty()) {
    attribution_metrics_->RecordNoneConfigured();
    return absl::OkStatus();
  }
  auto index = enrich::AttributionIndex::Load(sources);
  if (!index.ok()) {
    return absl::Status(
        index.status().code(),
        absl::StrCat("attribution data: ", index.status().message()));
  }
  const std::vector<std::string> partial = (*index)->PartialFiles();
  log::Write(partial.empty() ? log::Level::kInfo : log::Level::kError,
             "attribution.loaded",
             {{"datasets", (*index)->version()},
              {"partial", absl::StrJoin(partial, ",")}});
  attribution_metrics_->RecordLoad(**index, options_.clock->Now());
  attribution_ = std::make_unique<enrich::AttributionHolder>(*std::move(index));
  return absl::OkStatus();
}

// Ingest (writer and pipeline), the read path, and the gRPC services over
// them.
void CollectorServer::BuildServices(const std::string& admin_secret) {
  store::Store* st = store_.get();
  const time::Clock* clock = options_.clock;
  ingest_metrics_ = std::make_unique<ingest::IngestMetrics>(&registry_);
  writer_ = std::make_unique<ingest::IngestWriter>(
      st, /*max_runs_per_commit=*/20000, ingest_metrics_.get());
  ingest::IngestWriter* writer = writer_.get();
  registry_.GaugeFunction(
      "v6scope_collector_writer_queue_batches",
      "Batches waiting for the store's single writer.",
      [writer] { return static_cast<double>(writer->QueuedBatches()); });
  pipeline_ = std::make_unique<ingest::IngestPipeline>(
      writer, clock, options_.limits, ingest_metrics_.get(),
      attribution_.get());
  v6scope::v1::Schedule schedule;
  schedule.set_interval_seconds(options_.config.default_interval_seconds());
  schedule.set_spread_seconds(options_.config.default_spread_seconds());
  probe_service_ = std::make_unique<service::ProbeServiceImpl>(
      st, pipeline_.get(), clock, schedule, ingest_metrics_.get(),
      StreamLimits(options_.config), BuildCampaignWork());
  queries_ = std::make_unique<query::Queries>(
      st, attribution_.get(), clock, options_.config.min_probes(),
      /*readiness=*/st, options_.config.readiness_min_networks());
  RegisterFleetMetrics(&registry_, &queries_->probes());
  reports_ = std::make_unique<report::Reports>(queries_.get(), /*campaigns=*/st,
                                               attribution_.get(), clock);
  read_access_ = std::make_unique<service::ReadAccess>(
      st, clock, admin_secret, options_.config.public_queries());
  query_service_ = std::make_unique<service::QueryServiceImpl>(
      queries_.get(), read_access_.get(), reports_.get());
  admin_service_ = std::make_unique<service::AdminServiceImpl>(
      st, st, st, clock, admin_secret, st);
}

// Campaign work on the Upload stream (issue 16): the assignment planner
// over the store, and the readiness ingest that stores DomainBatches.
service::CampaignWork CollectorServer::BuildCampaignWork() {
  campaign::PlannerOptions planner_options;
  planner_options.poll_seconds = options_.config.campaign_poll_seconds();
  planner_ = std::make_unique<campaign::AssignmentPlanner>(
      store_.get(), store_.get(), options_.clock, campaign::RandomAssignmentId,
      planner_options);
  readiness_ingest_ = std::make_unique<ingest::ReadinessIngestImpl>(
      store_.get(), store_.get(), options_.clock, attribution_.get(),
      ingest_metrics_.get());
  service::CampaignWork work;
  work.planner = planner_.get();
  work.ingest = readiness_ingest_.get();
  // The Welcome's readiness sequence only where results are taken (the
  // probe resends from it).
  if (readiness_ingest_ != nullptr) work.readiness = store_.get();
  return work;
}

absl::Status CollectorServer::StartGrpc(
    const std::shared_ptr<grpc::ServerCredentials>& creds) {
  // Server reflection (grpc.reflection.v1alpha), so generic clients can
  // list and call the services: it serves only the service definitions,
  // which are public in proto/ anyway, and each method keeps its own
  // access checks. Registered once per process, before the builder.
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // No SO_REUSEPORT: a second collector on the same port must fail to
  // start, not share the port (queries would alternate between stores).
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddListeningPort(options_.config.grpc_listen(), creds, &port_);
  builder.SetMaxReceiveMessageSize(rpc::kMaxMessageBytes);
  builder.SetMaxSendMessageSize(rpc::kMaxMessageBytes);
  builder.RegisterService(probe_service_.get());
  builder.RegisterService(query_service_.get());
  builder.RegisterService(admin_service_.get());
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    absl::StatusOr<net::ListenAddress> address =
        net::ParseListenAddress(options_.config.grpc_listen());
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options_.config.grpc_listen(), " (port ",
        address.ok() ? absl::StrCat(address->port) : "?",
        " already in use by another process, or the address is not "
        "available)"));
  }
  return absl::OkStatus();
}

// Ends idle Upload streams: checked a tenth of the timeout apart, so a
// stream ends at most 10% after its timeout.
void CollectorServer::StartIdleSweeper() {
  const absl::Duration every =
      absl::Seconds(options_.config.upload_idle_timeout_seconds()) / 10;
  idle_sweeper_ = std::thread([this, every] {
    while (!stop_sweeping_.WaitForNotificationWithTimeout(every)) {
      probe_service_->EndIdleStreams();
    }
  });
}

absl::Status CollectorServer::StartHttp() {
  if (options_.config.http_listen().empty()) return absl::OkStatus();
  http::RegisterReadinessMetric(&registry_,
                                ReadinessChecks(options_.config, store_.get()));
  api_limit_ = std::make_unique<http::ApiRateLimit>(
      options_.clock, options_.config.api_requests_per_second(),
      options_.config.api_burst());
  absl::StatusOr<std::unique_ptr<v6scope::http::MhdServer>> http =
      StartHttpListener(options_.config, &registry_, queries_.get(),
                        store_.get(), read_access_.get(), api_limit_.get(),
                        reports_.get());
  if (!http.ok()) return http.status();
  http_ = std::move(*http);
  return absl::OkStatus();
}

void CollectorServer::LogListening() const {
  const v6scope::v1::CollectorConfig& config = options_.config;
  if (options_.tls_cert_file.empty()) {
    WarnIfPlaintextOffLoopback("grpc", config.grpc_listen());
  }
  if (!config.http_listen().empty()) {
    WarnIfPlaintextOffLoopback("http", config.http_listen());
  }
  log::Info(
      "collector.listening",
      {{"grpc", config.grpc_listen()},
       {"port", port_},
       {"http", config.http_listen().empty() ? "off" : config.http_listen()},
       {"http_port", http_port()},
       {"data_dir", config.data_dir()},
       {"store", config.postgres().empty() ? "sqlite" : "postgres"},
       {"tls", !options_.tls_cert_file.empty()},
       {"public_queries", config.public_queries()},
       {"mtls", !options_.tls_client_ca_file.empty()}});
}

absl::Status CollectorServer::ReloadAttribution() {
  if (attribution_ == nullptr) {
    return absl::FailedPreconditionError(
        "no attribution data configured (--pfx2as, --rir, --as_names)");
  }
  absl::Status s = attribution_->Reload(options_.attribution);
  if (!s.ok()) {
    attribution_metrics_->RecordFailedReload();
  } else {
    attribution_metrics_->RecordLoad(*attribution_->Current(),
                                     options_.clock->Now());
    const std::vector<std::string> partial =
        attribution_->Current()->PartialFiles();
    log::Write(partial.empty() ? log::Level::kInfo : log::Level::kError,
               "attribution.reloaded",
               {{"datasets", attribution_->Current()->version()},
                {"partial", absl::StrJoin(partial, ",")}});
  }
  return s;
}

std::string CollectorServer::admin_secret_file() const {
  return absl::StrCat(options_.config.data_dir(), "/", kAdminSecretFile);
}

int CollectorServer::http_port() const {
  return http_ == nullptr ? 0 : http_->port();
}

void CollectorServer::Shutdown(absl::Duration grace) {
  if (shut_down_) return;
  shut_down_ = true;
  // HTTP first: its handlers need none of what follows, and a load
  // balancer probing /healthz sees this collector leave before gRPC does.
  http_.reset();
  if (idle_sweeper_.joinable()) {
    stop_sweeping_.Notify();
    idle_sweeper_.join();
  }
  if (server_ != nullptr) {
    server_->Shutdown(absl::ToChronoTime(absl::Now() + grace));
    server_->Wait();
  }
  writer_.reset();  // Commits whatever is still queued.
  // Stores its queued readiness batches; their streams are gone, so the
  // probes resend and the duplicates are ignored.
  readiness_ingest_.reset();
}

CollectorServer::~CollectorServer() { Shutdown(absl::Seconds(5)); }

}  // namespace v6scope::collector
