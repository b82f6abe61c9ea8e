// v6scope-probe: measures what the network it sits in can do with IPv6 and
// sends the results to a v6scope collector. See `v6scope-probe --help`.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/cli/flags.h"
#include "common/cli/shutdown.h"
#include "common/config/text_proto.h"
#include "common/crypto/secret_file.h"
#include "common/log/grpc_log.h"
#include "common/log/log.h"
#include "common/metrics/metrics.h"
#include "common/rpc/channel.h"
#include "common/time/clock.h"
#include "common/version.h"
#include "probe/campaign/participation.h"
#include "probe/campaign/work_book.h"
#include "probe/campaign_work.h"
#include "probe/daemon.h"
#include "probe/loop_waiter.h"
#include "probe/measurement.h"
#include "probe/metrics_endpoint.h"
#include "probe/spool/domain_spool.h"
#include "probe/spool/quarantine.h"
#include "probe/spool/spool.h"
#include "probe/state/probe_state.h"
#include "probe/suite/run_format.h"
#include "probe/uplink/backoff.h"
#include "probe/uplink/collector_client.h"
#include "probe/uplink/spool_drainer.h"
#include "probe/uplink/uplink.h"
#include "probe/uplink/uplink_worker.h"

ABSL_FLAG(std::string, state_dir, "",
          "directory for the probe's identity and pending results "
          "(default: state_dir in --config, else /var/lib/v6scope-probe)");
ABSL_FLAG(std::string, collector, "",
          "collector gRPC address(es), comma-separated, e.g. [::1]:7443 "
          "(default: collectors in --config, else the one the probe "
          "enrolled with)");
ABSL_FLAG(std::string, token, "",
          "enrolment token (enrol); visible to every local user in ps: "
          "prefer --token_file");
ABSL_FLAG(std::string, token_file, "",
          "file holding the enrolment token, or '-' for standard input "
          "(enrol)");
ABSL_FLAG(std::string, ca_file, "",
          "CA certificate (PEM) to verify the collector's TLS certificate; "
          "without it the probe talks plaintext, which it allows only to a "
          "loopback collector");
ABSL_FLAG(std::string, client_cert, "",
          "client certificate (PEM) for a collector that requires mutual TLS");
ABSL_FLAG(std::string, client_key, "", "private key (PEM) of --client_cert");
ABSL_FLAG(bool, insecure_remote, false,
          "allow plaintext to a non-loopback collector (testing only)");
ABSL_FLAG(bool, json, false, "run-once: print the run as JSON");
ABSL_FLAG(bool, upload, false, "run-once: also upload the run");
ABSL_FLAG(int, interval_seconds, 0,
          "daemon: seconds between runs (default: the schedule the "
          "collector gave at enrolment, else 3600)");
ABSL_FLAG(absl::Duration, interval, absl::ZeroDuration(),
          "daemon: time between runs as a duration (e.g. 50ms, 15m); "
          "overrides --interval_seconds; mainly for tests and benchmarks "
          "(0: use --interval_seconds)");
ABSL_FLAG(std::optional<absl::Duration>, spread, std::nullopt,
          "daemon: each run starts at a random offset in [0, spread) after "
          "its slot; 0 allowed (default when not given: a quarter interval)");
ABSL_FLAG(int, max_runs, 0, "daemon: stop after this many runs (0: never)");
ABSL_FLAG(int64_t, spool_max_bytes, 64 << 20,
          "bytes of results the probe keeps on disk while the collector is "
          "away; beyond it the oldest are dropped and counted");
ABSL_FLAG(absl::Duration, retry_base, absl::Seconds(1),
          "upload retries: first back-off window (doubles per failure)");
ABSL_FLAG(absl::Duration, retry_max, absl::Minutes(10),
          "upload retries: largest back-off window");
ABSL_FLAG(absl::Duration, final_drain, absl::Seconds(30),
          "daemon with --max_runs: keep sending the spool this long after "
          "the last run");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:9465",
          "daemon: serve Prometheus /metrics here (localhost by default; "
          "empty: off)");
ABSL_FLAG(std::string, fsync, "every",
          "spool durability: 'every' (fsync before a run counts as taken) "
          "or 'batched' (fsync at most once a second)");
ABSL_FLAG(std::string, config, "",
          "probe config in protobuf text format (v6scope.v1.ProbeConfig); "
          "flags override it");
ABSL_FLAG(std::string, targets, "",
          "target set in protobuf text format (v6scope.v1.TargetSet)");
ABSL_FLAG(int, loopback_targets, 0,
          "measure against a collector's built-in targets on this machine's "
          "loopback, at this HTTP port");
ABSL_FLAG(std::string, resolver, "",
          "DNS resolver as ip or ip:port (default: /etc/resolv.conf)");
ABSL_FLAG(std::vector<std::string>, opt_out, {},
          "tests not to run, e.g. HTTP_V6_LARGE,DNS_NAT64");

namespace v6scope::probe {
namespace {

constexpr char kUsage[] =
    "v6scope-probe: IPv6 capability probe.\n"
    "usage:\n"
    "  v6scope-probe enrol --collector=ADDR --token_file=FILE|-  "
    "exchange a token for an identity\n"
    "  v6scope-probe run-once [--json] [--upload]          "
    "measure once and print the run\n"
    "  v6scope-probe daemon                                "
    "measure on a schedule and upload";

constexpr absl::Duration kCallTimeout = absl::Seconds(30);

// --config, read once. Its state_dir and collectors apply where the
// command line does not give --state_dir / --collector; its settings are
// the base of SettingsFromFlags.
const absl::StatusOr<v6scope::v1::ProbeConfig>& ConfigFile() {
  static const auto* config = [] {
    v6scope::v1::ProbeConfig c;
    const std::string path = absl::GetFlag(FLAGS_config);
    if (path.empty()) {
      return new absl::StatusOr<v6scope::v1::ProbeConfig>(std::move(c));
    }
    absl::Status s = config::LoadTextProtoFile(path, &c);
    if (!s.ok()) return new absl::StatusOr<v6scope::v1::ProbeConfig>(s);
    return new absl::StatusOr<v6scope::v1::ProbeConfig>(std::move(c));
  }();
  return *config;
}

constexpr char kDefaultStateDir[] = "/var/lib/v6scope-probe";

absl::StatusOr<state::ProbeState> OpenState() {
  if (!ConfigFile().ok()) return ConfigFile().status();
  std::string dir = absl::GetFlag(FLAGS_state_dir);
  if (dir.empty()) dir = ConfigFile()->state_dir();
  if (dir.empty()) dir = kDefaultStateDir;
  return state::ProbeState::Open(dir);
}

// --collector, else the config's collectors (possibly none).
std::vector<std::string> ConfiguredCollectors() {
  std::vector<std::string> out =
      absl::StrSplit(absl::GetFlag(FLAGS_collector), ',', absl::SkipEmpty());
  if (out.empty() && ConfigFile().ok()) {
    out.assign(ConfigFile()->collectors().begin(),
               ConfigFile()->collectors().end());
  }
  return out;
}

rpc::ChannelOptions ChannelOptionsFromFlags() {
  rpc::ChannelOptions o;
  o.ca_file = absl::GetFlag(FLAGS_ca_file);
  o.client_cert_file = absl::GetFlag(FLAGS_client_cert);
  o.client_key_file = absl::GetFlag(FLAGS_client_key);
  o.allow_insecure_remote = absl::GetFlag(FLAGS_insecure_remote);
  return o;
}

// Where to upload: --collector, else the config's, else the collector the
// probe enrolled with.
std::vector<std::string> Collectors(const state::Identity& id) {
  std::vector<std::string> out = ConfiguredCollectors();
  if (out.empty() && !id.collector.empty()) out.push_back(id.collector);
  return out;
}

// Settings from --config, then --targets / --loopback_targets, --resolver
// and --opt_out on top.
absl::StatusOr<v6scope::v1::ProbeSettings> SettingsFromFlags() {
  if (!ConfigFile().ok()) return ConfigFile().status();
  v6scope::v1::ProbeSettings settings = ConfigFile()->settings();
  if (!absl::GetFlag(FLAGS_targets).empty()) {
    absl::Status s = config::LoadTextProtoFile(absl::GetFlag(FLAGS_targets),
                                               settings.mutable_targets());
    if (!s.ok()) return s;
  }
  if (absl::GetFlag(FLAGS_loopback_targets) > 0) {
    *settings.mutable_targets() =
        suite::LoopbackTargets(absl::GetFlag(FLAGS_loopback_targets));
  }
  if (!settings.has_targets()) {
    return absl::InvalidArgumentError(
        "no target set: give --targets=FILE, --loopback_targets=PORT or "
        "settings in --config");
  }
  if (!absl::GetFlag(FLAGS_resolver).empty()) {
    settings.set_resolver(absl::GetFlag(FLAGS_resolver));
  }
  for (const std::string& t : absl::GetFlag(FLAGS_opt_out)) {
    settings.add_opt_out(t);
  }
  return settings;
}

absl::StatusOr<std::unique_ptr<Measurement>> MeasurementFromFlags() {
  absl::StatusOr<v6scope::v1::ProbeSettings> settings = SettingsFromFlags();
  if (!settings.ok()) return settings.status();
  return Measurement::Create(*std::move(settings));
}

absl::StatusOr<std::unique_ptr<spool::Spool>> OpenSpool(
    const state::ProbeState& state) {
  spool::SpoolOptions o;
  o.dir = absl::StrCat(state.dir(), "/spool");
  if (absl::GetFlag(FLAGS_spool_max_bytes) < (64 << 10)) {
    return absl::InvalidArgumentError("--spool_max_bytes: at least 64 KiB");
  }
  o.max_bytes = static_cast<uint64_t>(absl::GetFlag(FLAGS_spool_max_bytes));
  o.segment_bytes = std::min<uint64_t>(o.segment_bytes, o.max_bytes / 4);
  const std::string fsync = absl::GetFlag(FLAGS_fsync);
  if (fsync == "every") {
    o.fsync = spool::FsyncPolicy::kEveryRecord;
  } else if (fsync == "batched") {
    o.fsync = spool::FsyncPolicy::kBatched;
  } else {
    return absl::InvalidArgumentError("--fsync must be 'every' or 'batched'");
  }
  return spool::Spool::Open(o);
}

// Campaign readiness results (issue 16): <state dir>/readiness-spool, the
// run spool's format and fsync policy, with a tenth of its quota but at
// least 16 MiB (a result is a few KB; a day's 2000 domains fit).
absl::StatusOr<std::unique_ptr<spool::DomainSpool>> OpenReadinessSpool(
    const state::ProbeState& state) {
  spool::SpoolOptions o;
  o.dir = absl::StrCat(state.dir(), "/readiness-spool");
  const uint64_t run_quota =
      static_cast<uint64_t>(absl::GetFlag(FLAGS_spool_max_bytes));
  o.max_bytes = std::max<uint64_t>(run_quota / 10, uint64_t{16} << 20);
  o.segment_bytes = std::min<uint64_t>(o.segment_bytes, o.max_bytes / 4);
  o.fsync = absl::GetFlag(FLAGS_fsync) == "batched"
                ? spool::FsyncPolicy::kBatched
                : spool::FsyncPolicy::kEveryRecord;
  return spool::DomainSpool::Open(o);
}

// The readiness spool's figures, read at scrape time, as the run spool's.
void RegisterReadinessSpoolGauges(metrics::Registry* r,
                                  spool::DomainSpool* spool) {
  r->GaugeFunction(
      "v6scope_probe_readiness_spool_pending_results",
      "Readiness results in the readiness spool not yet acknowledged.",
      [spool] { return static_cast<double>(spool->stats().pending_records); });
  r->GaugeFunction(
      "v6scope_probe_readiness_spool_bytes", "Readiness spool bytes on disk.",
      [spool] { return static_cast<double>(spool->stats().bytes_on_disk); });
  r->CounterFunction(
      "v6scope_probe_readiness_spool_dropped_results_total",
      "Readiness results dropped by the spool quota or refused, ever.",
      [spool] { return static_cast<double>(spool->dropped_records()); });
}

// Runs the collector refused for good (probe/spool/quarantine.h), beside
// the spool: <state dir>/spool/quarantine.
absl::StatusOr<std::unique_ptr<spool::Quarantine>> OpenQuarantine(
    const state::ProbeState& state) {
  spool::QuarantineOptions o;
  o.dir = absl::StrCat(state.dir(), "/spool/quarantine");
  return spool::Quarantine::Open(o);
}

// Readiness results the collector refused for good:
// <state dir>/readiness-spool/quarantine.
absl::StatusOr<std::unique_ptr<spool::Quarantine>> OpenReadinessQuarantine(
    const state::ProbeState& state) {
  spool::QuarantineOptions o;
  o.dir = absl::StrCat(state.dir(), "/readiness-spool/quarantine");
  return spool::Quarantine::Open(o);
}

// The metrics endpoint is a convenience: if its port is taken (another
// probe on the host), the probe measures on and says so.
std::unique_ptr<MetricsEndpoint> StartMetrics(const std::string& listen,
                                              const metrics::Registry* r) {
  if (listen.empty()) return nullptr;
  auto server = MetricsEndpoint::Start(listen, r);
  if (!server.ok()) {
    log::Warn("metrics.unavailable", {{"status", server.status()}});
    return nullptr;
  }
  log::Info("metrics.listening",
            {{"listen", listen}, {"port", (*server)->port()}});
  return *std::move(server);
}

// Jittered exponential retries between --retry_base and --retry_max.
uplink::Backoff DefaultBackoff() {
  return uplink::Backoff(absl::GetFlag(FLAGS_retry_base),
                         absl::GetFlag(FLAGS_retry_max), [] {
                           static absl::BitGen* gen = new absl::BitGen();
                           return absl::Uniform(*gen, 0.0, 1.0);
                         });
}

// The token from --token_file (a file or '-': stdin), else from --token
// with a warning: argv is world-readable in /proc.
absl::StatusOr<std::string> EnrolmentToken() {
  const std::string file = absl::GetFlag(FLAGS_token_file);
  const std::string flag = absl::GetFlag(FLAGS_token);
  if (!file.empty() && !flag.empty()) {
    return absl::InvalidArgumentError("give --token_file or --token, not both");
  }
  if (!file.empty()) {
    absl::StatusOr<std::string> token = crypto::ReadSecret(file, std::cin);
    if (!token.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--token_file: ", token.status().message()));
    }
    return token;
  }
  if (flag.empty()) {
    return absl::InvalidArgumentError("enrol needs --token_file (or --token)");
  }
  log::Warn("enrol.token_in_argv",
            {{"hint",
              "--token shows in ps to every local user; use "
              "--token_file=FILE or --token_file=- (stdin)"}});
  return flag;
}

absl::Status Enrol() {
  if (!ConfigFile().ok()) return ConfigFile().status();
  const std::vector<std::string> collectors = ConfiguredCollectors();
  if (collectors.size() != 1) {
    return absl::InvalidArgumentError(
        "enrol needs exactly one collector (--collector, or one in "
        "--config)");
  }
  const std::string& collector = collectors[0];
  absl::StatusOr<std::string> token = EnrolmentToken();
  if (!token.ok()) return token.status();
  absl::StatusOr<state::ProbeState> state = OpenState();
  if (!state.ok()) return state.status();
  auto channel = rpc::MakeChannel(collector, ChannelOptionsFromFlags());
  if (!channel.ok()) return channel.status();
  uplink::CollectorClient client(*channel, kCallTimeout);
  auto resp = client.Enrol(*token, kVersion);
  if (!resp.ok()) return resp.status();
  absl::Status s = state->SaveIdentity(
      state::Identity{resp->probe_id(), resp->credential(), collector});
  if (!s.ok()) return s;
  if (resp->has_schedule() && resp->schedule().interval_seconds() > 0) {
    // The daemon measures on this schedule unless --interval* says other.
    s = state->SaveSchedule({resp->schedule().interval_seconds(),
                             resp->schedule().spread_seconds()});
    if (!s.ok()) return s;
  }
  log::Info("probe.enrolled", {{"probe", resp->probe_id()},
                               {"collector", collector},
                               {"state_dir", state->dir()}});
  std::cout << "enrolled as " << resp->probe_id() << " with " << collector
            << "\n";
  return absl::OkStatus();
}

absl::Status RunOnce() {
  absl::StatusOr<std::unique_ptr<Measurement>> m = MeasurementFromFlags();
  if (!m.ok()) return m.status();
  absl::StatusOr<v6scope::v1::Run> run = (*m)->suite()->RunOnce();
  if (!run.ok()) return run.status();
  if (absl::GetFlag(FLAGS_json)) {
    absl::StatusOr<std::string> json = suite::FormatRunJson(*run);
    if (!json.ok()) return json.status();
    std::cout << *json << "\n";
  } else {
    std::cout << suite::FormatRunText(*run);
  }
  if (!absl::GetFlag(FLAGS_upload)) return absl::OkStatus();
  absl::StatusOr<state::ProbeState> state = OpenState();
  if (!state.ok()) return state.status();
  absl::StatusOr<state::Identity> id = state->LoadIdentity();
  if (!id.ok()) return id.status();
  absl::StatusOr<std::unique_ptr<spool::Spool>> spool = OpenSpool(*state);
  if (!spool.ok()) return spool.status();
  absl::StatusOr<uint64_t> seq = state->ReserveSeq(1);
  if (!seq.ok()) return seq.status();
  absl::Status s = (*spool)->Append(*seq, *run);
  if (!s.ok()) return s;
  uplink::Uplink uplink(Collectors(*id), ChannelOptionsFromFlags(),
                        id->credential);
  uplink::Backoff backoff = DefaultBackoff();
  absl::StatusOr<std::unique_ptr<spool::Quarantine>> quarantine =
      OpenQuarantine(*state);
  if (!quarantine.ok()) return quarantine.status();
  uplink::SpoolDrainer::Options drain;
  drain.quarantine = quarantine->get();
  uplink::SpoolDrainer drainer(spool->get(), &uplink, &backoff,
                               time::RealClock::Get(), drain);
  s = drainer.DrainOnce();
  if (!s.ok()) {
    return absl::Status(
        s.code(), absl::StrCat(s.message(), " (run ", *seq,
                               " stays spooled; the daemon will send it)"));
  }
  std::cout << "uploaded as seq " << *seq << " to probe " << id->probe_id
            << " (pending now: " << (*spool)->stats().pending_records << ")\n";
  return absl::OkStatus();
}

// --interval (a duration) wins over --interval_seconds; without either,
// the schedule the collector gave at enrolment, else hourly. --spread,
// when given, replaces the schedule's spread or the default quarter
// interval.
absl::StatusOr<DaemonOptions> ScheduleFromFlags(
    const state::ProbeState& state) {
  DaemonOptions opts;
  const absl::Duration interval = absl::GetFlag(FLAGS_interval);
  const std::optional<absl::Duration> spread = absl::GetFlag(FLAGS_spread);
  if (interval < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--interval must not be negative");
  }
  if (spread.has_value() && *spread < absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--spread must not be negative");
  }
  std::optional<absl::Duration> default_spread;
  if (interval > absl::ZeroDuration()) {
    opts.interval = interval;
  } else if (absl::GetFlag(FLAGS_interval_seconds) > 0) {
    opts.interval = absl::Seconds(absl::GetFlag(FLAGS_interval_seconds));
  } else if (absl::StatusOr<state::StoredSchedule> enrolled =
                 state.LoadSchedule();
             enrolled.ok()) {
    opts.interval = absl::Seconds(enrolled->interval_seconds);
    default_spread = absl::Seconds(enrolled->spread_seconds);
  } else if (absl::IsNotFound(enrolled.status())) {
    opts.interval = absl::Hours(1);
  } else {
    return enrolled.status();
  }
  opts.spread = spread.value_or(default_spread.value_or(opts.interval / 4));
  opts.max_runs = absl::GetFlag(FLAGS_max_runs);
  opts.final_drain = absl::GetFlag(FLAGS_final_drain);
  return opts;
}

// The campaign machinery on the measurement's loop, with the host's
// participation from the config file (--config's campaigns block).
absl::StatusOr<std::unique_ptr<CampaignWork>> CampaignWorkFor(
    Measurement* m, spool::DomainSpool* results, state::ProbeState* state,
    uplink::UplinkWorker** wake_uplink) {
  const absl::StatusOr<v6scope::v1::ProbeConfig>& config = ConfigFile();
  if (!config.ok()) return config.status();
  absl::StatusOr<campaign::Participation> participation =
      campaign::ParseParticipation(config->campaigns());
  if (!participation.ok()) return participation.status();
  absl::StatusOr<v6scope::v1::ProbeSettings> settings = SettingsFromFlags();
  if (!settings.ok()) return settings.status();
  CampaignWorkOptions options;
  options.state_dir = state->dir();
  options.participation = *std::move(participation);
  options.ca_file = settings->targets().ca_file();
  return CampaignWork::Create(
      m, results, [state] { return state->ReserveDomainSeq(1); },
      [wake_uplink] {
        if (*wake_uplink != nullptr) (*wake_uplink)->Notify();
      },
      std::move(options));
}

absl::Status RunDaemon() {
  absl::StatusOr<state::ProbeState> state = OpenState();
  if (!state.ok()) return state.status();
  absl::StatusOr<DaemonOptions> opts = ScheduleFromFlags(*state);
  if (!opts.ok()) return opts.status();
  absl::StatusOr<state::Identity> id = state->LoadIdentity();
  if (!id.ok()) return id.status();
  absl::StatusOr<std::unique_ptr<Measurement>> m = MeasurementFromFlags();
  if (!m.ok()) return m.status();
  absl::StatusOr<std::unique_ptr<LoopWaiter>> waiter =
      LoopWaiter::Create((*m)->loop());
  if (!waiter.ok()) return waiter.status();
  absl::StatusOr<std::unique_ptr<spool::Spool>> spool = OpenSpool(*state);
  if (!spool.ok()) return spool.status();
  // The uplink thread's: the uplink, its back-off and the drainer.
  uplink::Uplink uplink(Collectors(*id), ChannelOptionsFromFlags(),
                        id->credential);
  uplink::Backoff backoff = DefaultBackoff();
  absl::StatusOr<std::unique_ptr<spool::Quarantine>> quarantine =
      OpenQuarantine(*state);
  if (!quarantine.ok()) return quarantine.status();
  absl::StatusOr<std::unique_ptr<spool::DomainSpool>> readiness_spool =
      OpenReadinessSpool(*state);
  if (!readiness_spool.ok()) return readiness_spool.status();
  absl::StatusOr<std::unique_ptr<spool::Quarantine>> readiness_quarantine =
      OpenReadinessQuarantine(*state);
  if (!readiness_quarantine.ok()) return readiness_quarantine.status();
  // Campaign work (issue 16): the book in <state dir>/campaigns, checks
  // on the measuring loop, results into the readiness spool. Built even
  // when the host opted out, so the collector hears so from its polls.
  uplink::UplinkWorker* wake_uplink = nullptr;  // Set below, before Run.
  absl::StatusOr<std::unique_ptr<CampaignWork>> campaigns =
      CampaignWorkFor(m->get(), readiness_spool->get(), &*state, &wake_uplink);
  if (!campaigns.ok()) return campaigns.status();
  campaign::WorkBook* work_book = (*campaigns)->book();
  metrics::Registry registry;
  RegisterReadinessSpoolGauges(&registry, readiness_spool->get());
  uplink::SpoolDrainer::Options drain;
  drain.quarantine = quarantine->get();
  drain.registry = &registry;
  drain.domain_spool = readiness_spool->get();
  drain.result_quarantine = readiness_quarantine->get();
  drain.work_book = work_book;
  uplink::SpoolDrainer drainer(spool->get(), &uplink, &backoff,
                               time::RealClock::Get(), drain);
  uplink::UplinkWorker worker(&drainer, time::RealClock::Get(),
                              uplink::UplinkWorker::Options(), &registry);
  std::unique_ptr<MetricsEndpoint> metrics_server =
      StartMetrics(absl::GetFlag(FLAGS_metrics_listen), &registry);
  DaemonDeps deps;
  deps.suite = (*m)->suite();
  deps.spool = spool->get();
  deps.state = &*state;
  deps.uplink = &worker;
  deps.waiter = waiter->get();
  deps.registry = &registry;
  deps.campaign = (*campaigns)->runner();
  wake_uplink = &worker;
  (*campaigns)->runner()->Start();
  return Daemon(*opts, std::move(deps)).Run();
}

int Main(int argc, char** argv) {
  cli::BlockShutdownSignals();
  std::vector<std::string> args = cli::ParseFlagsOrExit(argc, argv, kUsage);
  log::SetComponent("probe");
  log::RouteGrpcLogs();
  if (args.size() != 1) {
    cli::Die(
        "want exactly one command: enrol, run-once or daemon (see --help)");
  }
  absl::Status s;
  if (args[0] == "enrol") {
    s = Enrol();
  } else if (args[0] == "run-once") {
    s = RunOnce();
  } else if (args[0] == "daemon") {
    s = RunDaemon();
  } else {
    cli::Die(absl::StrCat("unknown command '", args[0], "' (see --help)"));
  }
  // One line per error: the reason, as every binary ends (docs/cli.md);
  // a structured line beside it repeated the same words.
  if (!s.ok()) cli::Die(s.ToString(), 1);
  return 0;
}

}  // namespace
}  // namespace v6scope::probe

int main(int argc, char** argv) { return v6scope::probe::Main(argc, argv); }
