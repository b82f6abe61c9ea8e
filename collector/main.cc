// v6scope-collector: receives probe results over gRPC, stores them, serves
// queries. See docs/ and `v6scope-collector --help`.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/aggregate/rollup.h"
#include "collector/aggregate/window.h"
#include "collector/sample/sample_data.h"
#include "collector/server.h"
#include "collector/service/enrolment_tokens.h"
#include "common/cli/flags.h"
#include "common/cli/shutdown.h"
#include "common/config/text_proto.h"
#include "common/fs/files.h"
#include "common/log/grpc_log.h"
#include "common/log/log.h"
#include "common/version.h"

ABSL_FLAG(std::string, config, "",
          "collector config in protobuf text format (v6scope.v1."
          "CollectorConfig); flags below override it");
ABSL_FLAG(std::string, grpc_listen, "",
          "gRPC listen address, e.g. [::]:7443 (dual-stack) or 127.0.0.1:0");
ABSL_FLAG(std::string, data_dir, "",
          "directory for the SQLite database and the admin secret "
          "(default /var/lib/v6scope)");
ABSL_FLAG(std::string, postgres, "",
          "PostgreSQL connection string for a database shared by several "
          "collectors (default: SQLite in --data_dir)");
ABSL_FLAG(std::vector<std::string>, pfx2as, {},
          "CAIDA RouteViews prefix-to-AS files (IPv4 and IPv6, .gz allowed) "
          "for origin-AS attribution; reloaded on SIGHUP");
ABSL_FLAG(std::vector<std::string>, rir, {},
          "RIR statistics exchange files (delegated-*-latest) for countries "
          "and allocation context; reloaded on SIGHUP");
ABSL_FLAG(std::string, as_names, "", "AS names file (ASN<TAB>NAME, CC)");
ABSL_FLAG(bool, allow_partial_data, false,
          "start (and reload) even if a --pfx2as/--rir/--as_names file is not "
          "whole (gzip stream cut or corrupt, last line cut, RIR records of "
          "another registry): use what is valid, log the problem at error "
          "and mark the data partial in every run and API answer");
ABSL_FLAG(std::string, tls_cert, "", "server certificate chain (PEM)");
ABSL_FLAG(std::string, tls_key, "", "server private key (PEM)");
ABSL_FLAG(std::string, tls_client_ca, "",
          "CA certificate (PEM) for probe client certificates: with it, "
          "every client must present a certificate it signed (mutual TLS)");
ABSL_FLAG(std::string, port_file, "",
          "write the bound gRPC port to this file once listening");
ABSL_FLAG(std::string, http_listen, "",
          "HTTP listen address for the built-in test targets (/whoami, "
          "/small, /large), /healthz, /readyz, the JSON API, /metrics and "
          "the dashboard, e.g. [::]:8080 (dual-stack) or "
          "127.0.0.1:0; default: none (or the config's http_listen)");
ABSL_FLAG(std::string, http_port_file, "",
          "write the bound HTTP port to this file once listening "
          "(needs an HTTP listener)");
ABSL_FLAG(uint32_t, http_max_connections, 0,
          "HTTP connections open at once (default 16384, lowered to fit the "
          "open-file limit)");
ABSL_FLAG(uint32_t, http_max_connections_per_ip, 0,
          "HTTP connections open at once from one client address "
          "(default 1024)");
ABSL_FLAG(uint32_t, http_connection_timeout_seconds, 0,
          "close an HTTP connection silent for this long (default 30)");
ABSL_FLAG(uint32_t, http_listen_backlog, 0,
          "HTTP listen backlog (default 1024)");
ABSL_FLAG(uint32_t, http_threads, 0,
          "HTTP polling threads; a slow API query holds one (default 4)");
ABSL_FLAG(uint64_t, min_free_disk_mb, 0,
          "/readyz fails below this much free space in --data_dir, in MiB "
          "(default 100)");
ABSL_FLAG(uint32_t, upload_streams_per_probe, 0,
          "Upload streams one probe may have open at once (default 2)");
ABSL_FLAG(uint32_t, upload_streams_total, 0,
          "Upload streams all probes may have open at once (default 4096)");
ABSL_FLAG(uint32_t, upload_idle_timeout_seconds, 0,
          "end an Upload stream that sends no batch for this long "
          "(default 300)");
ABSL_FLAG(double, api_requests_per_second, 0,
          "HTTP /api/ requests per second from one client address "
          "(default 20); more get 429 with Retry-After");
ABSL_FLAG(uint32_t, api_burst, 0,
          "HTTP /api/ requests one client address may make at once above "
          "that rate (default 40)");

ABSL_FLAG(uint32_t, min_probes, 0,
          "publish an aggregate group only with at least this many distinct "
          "probes in the window (default 3, or the config's min_probes)");
ABSL_FLAG(uint32_t, readiness_min_networks, 0,
          "publish a readiness cell only with results from at least this "
          "many distinct probe networks (default 3, or the config's)");
ABSL_FLAG(bool, public_queries, false,
          "answer QueryService and the HTTP /api/ without a read key from "
          "any address (default: a read key is needed off loopback; or the "
          "config's public_queries)");
ABSL_FLAG(int, sample_probes, 100,
          "sample-data: synthetic probes to enrol (1..10000)");
ABSL_FLAG(int, sample_days, 7,
          "sample-data: days of runs, ending now (1..400)");
ABSL_FLAG(std::string, vantage_org, "collector",
          "vantage-token: the organisation the collector's vantage probe is "
          "enrolled under (1..64 of [A-Za-z0-9._-])");
ABSL_FLAG(std::string, dashboard_dir, "",
          "directory of the built dashboard (tools/build-dashboard), served "
          "at / on the HTTP listener");

namespace {

constexpr char kUsage[] =
    "v6scope-collector: stores and serves v6scope probe results.\n"
    "usage: v6scope-collector [--config=FILE] [--grpc_listen=ADDR] "
    "[--http_listen=ADDR] [--data_dir=DIR]\n"
    "       v6scope-collector rebuild-rollups [--data_dir=DIR | "
    "--postgres=DSN]\n"
    "           recompute the aggregation rollups from the raw runs, and "
    "the\n"
    "           readiness rollups from the readiness results, and report\n"
    "           whether each was identical to what ingest maintained\n"
    "       v6scope-collector sample-data [--data_dir=DIR | --postgres=DSN]\n"
    "           [--sample_probes=100] [--sample_days=7]\n"
    "           enrol a synthetic sample fleet (probes synth-NNNNN, marked\n"
    "           synthetic everywhere) with runs ending now: to try the API,\n"
    "           the CLI and the dashboard; never measurements\n"
    "       v6scope-collector vantage-token [--data_dir=DIR | --postgres=DSN]\n"
    "           [--vantage_org=collector]\n"
    "           print a one-time enrolment token (valid 1 hour) for the\n"
    "           collector's own vantage probe: the v6scope-probe package on\n"
    "           this host, which campaigns with include_collector select.\n"
    "           Run it as the collector's user; pipe it into\n"
    "           v6scope-probe-enrol --token_file=-";

// Every readiness rollup row, campaign by campaign (deleted ones too:
// their results are kept).
std::vector<v6scope::collector::aggregate::readiness::DomainRollup>
AllReadinessRollups(v6scope::collector::store::Store& store) {
  auto campaigns = store.ListCampaigns(/*include_deleted=*/true);
  if (!campaigns.ok()) v6scope::cli::Die(campaigns.status().message(), 1);
  std::vector<v6scope::collector::aggregate::readiness::DomainRollup> all;
  for (const v6scope::v1::Campaign& campaign : *campaigns) {
    v6scope::collector::store::ReadinessRollupQuery query;
    query.campaign_id = campaign.id();
    auto rows = store.ListReadinessRollups(query);
    if (!rows.ok()) v6scope::cli::Die(rows.status().message(), 1);
    all.insert(all.end(), rows->begin(), rows->end());
  }
  return all;
}

// The readiness half of rebuild-rollups; whether the rows were identical.
bool RebuildReadinessRollups(v6scope::collector::store::Store& store) {
  const auto before = AllReadinessRollups(store);
  const absl::Time start = absl::Now();
  auto report = store.RebuildReadinessRollups();
  if (!report.ok()) v6scope::cli::Die(report.status().message(), 1);
  const bool identical = before == AllReadinessRollups(store);
  v6scope::log::Info(
      "readiness_rollups.rebuilt",
      {{"results_scanned", static_cast<int64_t>(report->results_scanned)},
       {"rows", static_cast<int64_t>(report->rows_written)},
       {"rows_before", static_cast<int64_t>(before.size())},
       {"identical", identical},
       {"seconds", absl::ToDoubleSeconds(absl::Now() - start)}});
  std::cout << "rebuilt " << report->rows_written
            << " readiness rollup rows from " << report->results_scanned
            << " readiness results: "
            << (identical ? "identical to the rollups kept at ingest"
                          : "DIFFERENT from the rollups kept at ingest")
            << "\n";
  if (report->results_unreadable > 0) {
    std::cout << report->results_unreadable
              << " stored readiness results do not parse and are left out "
                 "(first: "
              << report->first_unreadable << ")\n";
  }
  return identical;
}

// rebuild-rollups: reads every rollup row (capability, then readiness),
// rebuilds them from the raw runs and results, reads them again and
// compares. Exit 0 when both are identical, 3 when a rebuild changed rows
// (the old ones are gone: the rebuilt ones are right).
int RebuildRollups(const v6scope::v1::CollectorConfig& config) {
  using v6scope::collector::aggregate::ProbeWindow;
  auto store = v6scope::collector::OpenStore(config);
  if (!store.ok()) v6scope::cli::Die(store.status().message(), 1);
  auto read_all = [&]() {
    std::vector<ProbeWindow> all;
    for (v6scope::collector::aggregate::WindowKind kind :
         v6scope::collector::aggregate::kAllWindowKinds) {
      v6scope::collector::store::ProbeWindowQuery query;
      query.kind = kind;
      auto rows = (*store)->ListProbeWindows(query);
      if (!rows.ok()) v6scope::cli::Die(rows.status().message(), 1);
      all.insert(all.end(), rows->begin(), rows->end());
    }
    return all;
  };
  const std::vector<ProbeWindow> before = read_all();
  const absl::Time start = absl::Now();
  auto report = (*store)->RebuildRollups();
  if (!report.ok()) v6scope::cli::Die(report.status().message(), 1);
  const std::vector<ProbeWindow> after = read_all();
  const bool identical = before == after;
  v6scope::log::Info(
      "rollups.rebuilt",
      {{"runs_scanned", static_cast<int64_t>(report->runs_scanned)},
       {"rows", static_cast<int64_t>(report->rows_written)},
       {"rows_before", static_cast<int64_t>(before.size())},
       {"columns_backfilled", static_cast<int64_t>(report->columns_backfilled)},
       {"identical", identical},
       {"seconds", absl::ToDoubleSeconds(absl::Now() - start)}});
  std::cout << "rebuilt " << report->rows_written << " rollup rows from "
            << report->runs_scanned << " runs: "
            << (identical ? "identical to the rollups kept at ingest"
                          : "DIFFERENT from the rollups kept at ingest")
            << "\n";
  if (report->columns_backfilled > 0) {
    std::cout << "set the asn and country columns of "
              << report->columns_backfilled
              << " runs (stored before schema v2) from their attribution\n";
  }
  const bool readiness_identical = RebuildReadinessRollups(**store);
  return identical && readiness_identical ? 0 : 3;
}

// sample-data: enrols the synthetic fleet and stores its runs, ending now.
int SampleData(const v6scope::v1::CollectorConfig& config) {
  // A first try starts from nothing: make the data directory as serving
  // would.
  if (config.postgres().empty()) {
    absl::Status made = v6scope::fs::MakeDirs(config.data_dir(), 0700);
    if (!made.ok()) v6scope::cli::Die(made.message(), 1);
  }
  auto store = v6scope::collector::OpenStore(config);
  if (!store.ok()) v6scope::cli::Die(store.status().message(), 1);
  v6scope::collector::sample::SampleDataOptions options;
  options.probes = absl::GetFlag(FLAGS_sample_probes);
  options.days = absl::GetFlag(FLAGS_sample_days);
  options.end = absl::Now();
  auto report = v6scope::collector::sample::AddSampleData(**store, options);
  if (report.status().code() == absl::StatusCode::kInvalidArgument) {
    v6scope::cli::Die(report.status().message());
  }
  if (!report.ok()) v6scope::cli::Die(report.status().message(), 1);
  std::cout << "enrolled " << report->enrolled
            << " synthetic sample probes (synth-00000 to synth-"
            << absl::StrFormat("%05d", options.probes - 1) << "; "
            << report->already_enrolled << " were already there) and stored "
            << report->runs << " runs over " << options.days
            << " days ending now.\n"
            << "SAMPLE DATA: synthetic, never measurements. Every answer "
               "marks it (probes: synthetic; aggregates: synthetic_probes).\n";
  return 0;
}

// As root, a SQLite store not root's would get root-owned files (a new
// database, or a -wal left by a crash) the collector then cannot write.
void RefuseRootOnOthersDatabase(const v6scope::v1::CollectorConfig& config) {
  struct stat dir;
  if (!config.postgres().empty() || geteuid() != 0 ||
      stat(config.data_dir().c_str(), &dir) != 0 || dir.st_uid == 0) {
    return;
  }
  v6scope::cli::Die(absl::StrCat(
      "run as the owner of ", config.data_dir(),
      " (e.g. sudo -u v6scope v6scope-collector vantage-token ...), not as "
      "root: root would leave database files the collector cannot write"));
}

// vantage-token: a one-time token for the collector's own vantage probe,
// made in the local store as AdminService would (whoever may open the
// store administers this collector: no admin secret, no gRPC). The token
// alone goes to stdout, so it pipes into v6scope-probe-enrol.
int VantageToken(const v6scope::v1::CollectorConfig& config) {
  RefuseRootOnOthersDatabase(config);
  auto store = v6scope::collector::OpenStore(config);
  if (!store.ok()) v6scope::cli::Die(store.status().message(), 1);
  const absl::Time now = absl::Now();
  v6scope::v1::CreateEnrolmentTokenRequest request;
  request.set_org(absl::GetFlag(FLAGS_vantage_org));
  request.set_collector_vantage(true);
  request.mutable_expires_at()->set_seconds(
      absl::ToUnixSeconds(now + absl::Hours(1)));
  auto issued =
      v6scope::collector::service::IssueEnrolmentToken(request, **store, now);
  if (issued.status().code() == absl::StatusCode::kInvalidArgument) {
    v6scope::cli::Die(
        absl::StrCat("--vantage_org: ", issued.status().message()));
  }
  if (!issued.ok()) v6scope::cli::Die(issued.status().message(), 1);
  std::cout << issued->token() << "\n" << std::flush;
  std::cerr << "a one-time collector vantage token, valid for 1 hour: enrol "
               "the v6scope-probe package on this host with it, as root:\n"
               "  ... | v6scope-probe-enrol --collector=localhost:7443 "
               "--token_file=- --loopback_targets\n"
               "(or --targets=FILE for your office's target set; see "
               "docs/campaigns.md, \"The collector as a vantage point\")\n";
  return 0;
}

// Writes `port` and a newline to `path` (if set) atomically, so a script
// waiting for the file never reads half a number.
void WritePortFile(const std::string& path, int port) {
  if (path.empty()) return;
  absl::Status s =
      v6scope::fs::WriteFileAtomically(path, absl::StrCat(port, "\n"), 0644);
  if (!s.ok()) v6scope::cli::Die(s.message(), 1);
}

// The HTTP listener's limits: a flag that is set overrides the config.
void HttpLimitFlags(v6scope::v1::CollectorConfig& config) {
  auto set = [](auto flag_value, auto setter) {
    if (flag_value != 0) setter(flag_value);
  };
  set(absl::GetFlag(FLAGS_http_max_connections),
      [&](uint32_t v) { config.set_http_max_connections(v); });
  set(absl::GetFlag(FLAGS_http_max_connections_per_ip),
      [&](uint32_t v) { config.set_http_max_connections_per_ip(v); });
  set(absl::GetFlag(FLAGS_http_connection_timeout_seconds),
      [&](uint32_t v) { config.set_http_connection_timeout_seconds(v); });
  set(absl::GetFlag(FLAGS_http_listen_backlog),
      [&](uint32_t v) { config.set_http_listen_backlog(v); });
  set(absl::GetFlag(FLAGS_http_threads),
      [&](uint32_t v) { config.set_http_threads(v); });
  set(absl::GetFlag(FLAGS_min_free_disk_mb),
      [&](uint64_t v) { config.set_min_free_disk_mb(v); });
  set(absl::GetFlag(FLAGS_api_requests_per_second),
      [&](double v) { config.set_api_requests_per_second(v); });
  set(absl::GetFlag(FLAGS_api_burst),
      [&](uint32_t v) { config.set_api_burst(v); });
}

// The Upload stream limits: a flag that is set overrides the config.
void UploadLimitFlags(v6scope::v1::CollectorConfig& config) {
  if (uint32_t v = absl::GetFlag(FLAGS_upload_streams_per_probe); v != 0) {
    config.set_upload_streams_per_probe(v);
  }
  if (uint32_t v = absl::GetFlag(FLAGS_upload_streams_total); v != 0) {
    config.set_upload_streams_total(v);
  }
  if (uint32_t v = absl::GetFlag(FLAGS_upload_idle_timeout_seconds); v != 0) {
    config.set_upload_idle_timeout_seconds(v);
  }
}

// The config file, then the flags that override its fields.
v6scope::v1::CollectorConfig ConfigFromFlags() {
  v6scope::v1::CollectorConfig config;
  if (!absl::GetFlag(FLAGS_config).empty()) {
    absl::Status s = v6scope::config::LoadTextProtoFile(
        absl::GetFlag(FLAGS_config), &config);
    if (!s.ok()) v6scope::cli::Die(s.message(), 1);
  }
  auto override_with = [](const std::string& flag, auto set) {
    if (!flag.empty()) set(flag);
  };
  override_with(absl::GetFlag(FLAGS_grpc_listen),
                [&](const std::string& v) { config.set_grpc_listen(v); });
  override_with(absl::GetFlag(FLAGS_http_listen),
                [&](const std::string& v) { config.set_http_listen(v); });
  if (!absl::GetFlag(FLAGS_http_port_file).empty() &&
      config.http_listen().empty()) {
    v6scope::cli::Die(
        "--http_port_file needs an HTTP listener (--http_listen)");
  }
  override_with(absl::GetFlag(FLAGS_data_dir),
                [&](const std::string& v) { config.set_data_dir(v); });
  override_with(absl::GetFlag(FLAGS_postgres),
                [&](const std::string& v) { config.set_postgres(v); });
  if (absl::GetFlag(FLAGS_min_probes) != 0) {
    config.set_min_probes(absl::GetFlag(FLAGS_min_probes));
  }
  if (absl::GetFlag(FLAGS_readiness_min_networks) != 0) {
    config.set_readiness_min_networks(
        absl::GetFlag(FLAGS_readiness_min_networks));
  }
  override_with(absl::GetFlag(FLAGS_dashboard_dir),
                [&](const std::string& v) { config.set_dashboard_dir(v); });
  if (absl::GetFlag(FLAGS_public_queries)) config.set_public_queries(true);
  HttpLimitFlags(config);
  UploadLimitFlags(config);
  return config;
}

// What only serving needs: attribution data and TLS.
void ServeFlags(v6scope::collector::CollectorOptions& options) {
  options.attribution.pfx2as_files = absl::GetFlag(FLAGS_pfx2as);
  options.attribution.rir_files = absl::GetFlag(FLAGS_rir);
  options.attribution.as_names_file = absl::GetFlag(FLAGS_as_names);
  options.attribution.allow_partial = absl::GetFlag(FLAGS_allow_partial_data);
  options.tls_cert_file = absl::GetFlag(FLAGS_tls_cert);
  options.tls_key_file = absl::GetFlag(FLAGS_tls_key);
  options.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca);
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    v6scope::cli::Die("--tls_cert and --tls_key go together");
  }
}

// Serves until SIGINT or SIGTERM; SIGHUP reloads the attribution data.
int Serve(const v6scope::collector::CollectorOptions& options) {
  auto server = v6scope::collector::CollectorServer::Start(options);
  if (!server.ok()) {
    v6scope::log::Error("collector.start_failed",
                        {{"status", server.status()}});
    v6scope::cli::Die(server.status().message(), 1);
  }
  // Port files first: whoever waits for "collector.started" may read them
  // at once.
  WritePortFile(absl::GetFlag(FLAGS_port_file), (*server)->grpc_port());
  WritePortFile(absl::GetFlag(FLAGS_http_port_file), (*server)->http_port());
  v6scope::log::Info("collector.started", {{"version", v6scope::kVersion}});
  std::string signal;
  while ((signal = v6scope::cli::WaitForSignal()) == "SIGHUP") {
    absl::Status s = (*server)->ReloadAttribution();
    if (!s.ok()) {
      v6scope::log::Error("attribution.reload_failed",
                          {{"status", s}, {"kept", "the data in use"}});
    }
  }
  v6scope::log::Info("collector.stopping", {{"signal", signal}});
  (*server)->Shutdown(absl::Seconds(5));
  v6scope::log::Info("collector.stopped");
  return 0;
}

int Main(int argc, char** argv) {
  // Debian builds abseil without NDEBUG, which leaves absl::Mutex's
  // deadlock detection on: a lock-order graph updated on every lock, 5 to
  // 10% of the collector's CPU at full ingest (docs/benchmarks.md). The
  // tests, which link the same code without this main, keep it on.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  v6scope::cli::BlockShutdownSignals();
  std::vector<std::string> args =
      v6scope::cli::ParseFlagsOrExit(argc, argv, kUsage);
  const std::string command = args.empty() ? "" : args[0];
  const bool offline = command == "rebuild-rollups" ||
                       command == "sample-data" || command == "vantage-token";
  if (args.size() > (offline ? 1u : 0u)) {
    v6scope::cli::Die(absl::StrCat("unexpected argument '",
                                   args[offline ? 1 : 0], "' (see --help)"));
  }
  v6scope::log::SetComponent("collector");
  v6scope::log::RouteGrpcLogs();
  v6scope::collector::CollectorOptions options;
  options.config = ConfigFromFlags();
  if (offline) {
    absl::Status valid =
        v6scope::collector::ApplyDefaultsAndValidate(&options.config);
    if (!valid.ok()) v6scope::cli::Die(valid.message());
    if (command == "vantage-token") return VantageToken(options.config);
    return command == "sample-data" ? SampleData(options.config)
                                    : RebuildRollups(options.config);
  }
  ServeFlags(options);
  return Serve(options);
}

}  // namespace

int main(int argc, char** argv) { return Main(argc, argv); }
