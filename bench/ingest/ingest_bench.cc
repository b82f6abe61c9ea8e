// ingest_bench: how fast the collector stores test results that many probes
// stream to it over loopback gRPC, next to what its store can take without
// gRPC, measured in the same run, for SQLite and for PostgreSQL.
//
// For each store:
//   1. The real collector binary (--collector, run as its own process with
//      its production defaults) on [::1]:0, a fresh SQLite file in --dir or
//      a fresh database on a private PostgreSQL 15 server (started here as
//      the tests start it, collector/store/postgres/testing/postgres_server.h).
//   2. --probes probes enrolled through it (admin CreateToken + Enrol RPCs).
//   3. Every probe opens one Upload stream at once (1,000 concurrent
//      streams, one TCP connection each by default, all driven by gRPC's
//      callback API from this process) and sends its --runs_per_probe runs
//      in batches of --batch_runs, each batch after the previous one's Ack,
//      exactly as probe/uplink/collector_client.cc does. The default is
//      the case where the rate matters: a fleet sending its spools after
//      a collector outage, in batches as large as probe/uplink's spool
//      drainer makes them (up to 200 runs); in steady state a probe sends
//      one run an hour. Each run carries
//      --tests_per_run TestResults as the capability suite writes them.
//      The rate is test results ÷ wall time from the first stream's start
//      to the last Ack.
//   4. Verification: every Ack matched its batch and counted every run as
//      stored, every stream ended OK, and the store (read after the
//      collector stopped, through the Store interface and plain SQL) holds
//      exactly probes × runs_per_probe runs, seq 1..N for every probe.
//   5. Ceilings, same process, same kind of file or server: the same runs
//      (parsed and enriched as the collector does, so the same stored
//      bytes), in the collector's arrival order (batch 0 of every probe,
//      then batch 1, ...), stored by Store::StoreBatches directly in
//      commits of up to --commit_runs runs (the ingest writer's maximum);
//      for SQLite also with plain prepared INSERTs (the store's own SQL,
//      blobs serialized beforehand) in the same transactions.
// Each store gets --rounds rounds of 1 to 5 on fresh storage; the summary
// gives the median rate and the median of the per-round ratios.
//
// Prints a report, then a summary table with targets (default: at least
// 100,000 results/s and at least 0.5 of the ceiling). Exit status: 0 all
// targets met, 1 a target missed, 2 bad usage, 3 the benchmark failed (a
// lost or rejected batch, a wrong count in the store, a process that did
// not start).
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/ingest/fail.h"
#include "bench/ingest/report.h"
#include "bench/ingest/runner.h"
#include "bench/ingest/workload.h"
#include "collector/enrich/attribution.h"
#include "collector/ingest/validate.h"
#include "common/cli/flags.h"
#include "probe/uplink/collector_client.h"
#include "proto/probe_service.pb.h"
#include "proto/results.pb.h"

ABSL_FLAG(std::string, collector, "",
          "path of the v6scope-collector binary (required)");
ABSL_FLAG(std::string, dir, "",
          "scratch directory on the disk to measure (default: $TMPDIR or "
          "/var/tmp, plus a per-process name); removed afterwards unless "
          "--keep");
ABSL_FLAG(bool, keep, false, "keep the scratch directory (logs, databases)");
ABSL_FLAG(std::string, stores, "sqlite,postgres",
          "which stores to measure: sqlite, postgres or both");
ABSL_FLAG(int, probes, 1000, "simulated probes, each with its own stream");
ABSL_FLAG(int, runs_per_probe, 200,
          "runs each probe has spooled and uploads (200: about 8 days of "
          "hourly runs, as after a collector outage)");
ABSL_FLAG(int, batch_runs, 100,
          "runs per Batch message (a probe's spool drainer sends up to 200; "
          "100 makes two batches, two round trips, per stream)");
ABSL_FLAG(int, tests_per_run, 11,
          "TestResults per run (the full capability suite writes 11)");
ABSL_FLAG(int, connections, 0,
          "TCP connections the streams share (0: one per probe, as real "
          "probes)");
ABSL_FLAG(int, commit_runs, 20000,
          "ceilings: runs per transaction at most (the collector's ingest "
          "writer groups up to 20,000)");
ABSL_FLAG(bool, ceilings, true,
          "measure the ceilings (false: only the collector over gRPC, "
          "whose ratio is then not reported)");
ABSL_FLAG(int, rounds, 3,
          "rounds per store (collector, then its ceilings, each time on a "
          "fresh store); the summary gives medians, and the median of the "
          "per-round ratios");
ABSL_FLAG(int, enrol_threads, 8, "threads enrolling probes");
ABSL_FLAG(std::string, data_dir, "",
          "shared data directory (prefix2as/, rir/, asnames/): the "
          "collector attributes every run with it, as in production; "
          "empty: runs stored unattributed");
ABSL_FLAG(double, target_results_per_second, 100000,
          "target ingest rate over gRPC, test results per second");
ABSL_FLAG(double, target_ratio, 0.5,
          "target ratio of the gRPC ingest rate to the store's ceiling");
ABSL_FLAG(absl::Duration, timeout, absl::Minutes(5),
          "bound on each upload phase and on waiting for a process");

namespace v6scope::bench::ingest {
namespace {
namespace enrich = collector::enrich;

constexpr char kUsage[] =
    "ingest_bench: collector ingest rate (test results/s) from many probes "
    "over loopback gRPC into SQLite and PostgreSQL, next to each store's "
    "ceiling measured in the same run.\n"
    "usage: ingest_bench --collector=PATH [--probes=1000] "
    "[--runs_per_probe=200] [--batch_runs=100] [--stores=sqlite,postgres]";

// Dies on flags the collector would answer with errors or BackOff.
void CheckWorkloadFlags(int probes, int runs, int batch, int tests) {
  collector::ingest::IngestLimits limits;  // The collector's defaults.
  if (probes < 1 || runs < 1 || batch < 1 || tests < 1 ||
      absl::GetFlag(FLAGS_rounds) < 1) {
    cli::Die(
        "--probes, --runs_per_probe, --batch_runs, --tests_per_run and "
        "--rounds must be positive");
  }
  if (batch > limits.max_runs_per_batch || tests > limits.max_tests_per_run) {
    cli::Die(absl::StrCat("the collector takes at most ",
                          limits.max_runs_per_batch, " runs per batch and ",
                          limits.max_tests_per_run, " tests per run"));
  }
  if (runs > limits.max_burst_runs_per_probe) {
    cli::Die(
        absl::StrCat("--runs_per_probe above the collector's per-probe "
                     "burst (",
                     limits.max_burst_runs_per_probe,
                     " runs) would be answered with BackOff"));
  }
  if (static_cast<size_t>(probes) >= limits.max_queued_batches) {
    cli::Die(absl::StrCat("--probes of ", limits.max_queued_batches,
                          " or more could fill the writer's queue (BackOff)"));
  }
}

std::vector<std::string> StoresFromFlag() {
  std::vector<std::string> stores =
      absl::StrSplit(absl::GetFlag(FLAGS_stores), ',', absl::SkipEmpty());
  for (const std::string& s : stores) {
    if (s != "sqlite" && s != "postgres") {
      cli::Die(absl::StrCat("unknown store '", s, "'"));
    }
  }
  return stores;
}

// A fresh scratch directory. Raises the descriptor limit first: two per
// connection (both ends are on this machine, but only the client end is in
// this process) plus the stores'.
std::string PrepareScratch() {
  struct rlimit nofile;
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
      nofile.rlim_cur < nofile.rlim_max) {
    nofile.rlim_cur = nofile.rlim_max;
    setrlimit(RLIMIT_NOFILE, &nofile);
  }
  std::string work = absl::GetFlag(FLAGS_dir);
  if (work.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    work = absl::StrCat(tmp != nullptr && *tmp ? tmp : "/var/tmp",
                        "/v6scope-ingest-bench.", getpid());
  }
  std::filesystem::remove_all(work);
  std::filesystem::create_directories(work);
  return work;
}

std::shared_ptr<const enrich::AttributionIndex> LoadAttribution(
    const std::string& data_dir) {
  if (data_dir.empty()) return nullptr;
  enrich::AttributionSources sources;
  sources.pfx2as_files = {data_dir + "/prefix2as/RouteViewIPv4.pfx2as.gz",
                          data_dir + "/prefix2as/RouteViewIPv6.pfx2as.gz"};
  sources.rir_files = RirFiles(data_dir);
  sources.as_names_file = data_dir + "/asnames/asn.txt";
  return OrFail(enrich::AttributionIndex::Load(sources),
                "loading attribution data");
}

void WarnIfLoaded(int cpus) {
  std::ifstream f("/proc/loadavg");
  double load = 0;
  if (f >> load && load > cpus / 2.0) {
    std::printf(
        "   warning: load average %.2f on %d CPUs: other processes compete "
        "with the collector, and figures vary between rounds\n",
        load, cpus);
  }
}

RunnerOptions OptionsFromFlags(const enrich::AttributionIndex* index) {
  RunnerOptions o;
  o.collector = absl::GetFlag(FLAGS_collector);
  o.data_dir = absl::GetFlag(FLAGS_data_dir);
  o.index = index;
  o.keep = absl::GetFlag(FLAGS_keep);
  o.ceilings = absl::GetFlag(FLAGS_ceilings);
  o.commit_runs = absl::GetFlag(FLAGS_commit_runs);
  o.enrol_threads = absl::GetFlag(FLAGS_enrol_threads);
  o.connections = absl::GetFlag(FLAGS_connections);
  o.timeout = absl::GetFlag(FLAGS_timeout);
  o.cpus = static_cast<int>(std::thread::hardware_concurrency());
  o.rounds = absl::GetFlag(FLAGS_rounds);
  return o;
}

// Builds the workload and prints what it is and what the collector's
// stages cost per run.
Workload BuildAndDescribe(const RunnerOptions& o, const std::string& work) {
  const absl::Time b0 = absl::Now();
  Workload w = BuildWorkload(
      absl::GetFlag(FLAGS_probes), absl::GetFlag(FLAGS_runs_per_probe),
      absl::GetFlag(FLAGS_batch_runs), absl::GetFlag(FLAGS_tests_per_run));
  const std::string attribution =
      o.index != nullptr
          ? absl::StrCat("attribution: on (", o.index->version().substr(0, 48),
                         "...)")
          : "attribution: none (runs stored unattributed)";
  PrintWorkload(
      w, absl::ToDoubleSeconds(absl::Now() - b0), attribution, o.cpus, work,
      o.connections > 0 ? absl::StrCat(o.connections) : "one per probe");
  PrintStageCosts(MeasureStages(w, o.index));
  std::fflush(stdout);
  return w;
}

bool PrintSummaries(const std::vector<Figure>& figures, int rounds, int cpus) {
  std::printf(
      "\n== Summary (medians of %d round%s; %d CPUs, load average %s, %s)\n",
      rounds, rounds == 1 ? "" : "s", cpus, LoadAverage().c_str(),
      absl::FormatTime("%Y-%m-%dT%H:%MZ", absl::Now(), absl::UTCTimeZone())
          .c_str());
  std::printf("%-42s %-12s %-22s %s\n", "figure", "value", "target",
              "ratio / verdict");
  bool all_met = true;
  for (const Figure& f : figures) {
    if (!PrintSummary(f, absl::GetFlag(FLAGS_target_results_per_second),
                      absl::GetFlag(FLAGS_target_ratio))) {
      all_met = false;
    }
  }
  return all_met;
}

int Main(int argc, char** argv) {
  cli::ParseFlagsOrExit(argc, argv, kUsage);
  const std::string collector_bin = absl::GetFlag(FLAGS_collector);
  if (collector_bin.empty() || access(collector_bin.c_str(), X_OK) != 0) {
    cli::Die("--collector must name the v6scope-collector binary");
  }
  CheckWorkloadFlags(
      absl::GetFlag(FLAGS_probes), absl::GetFlag(FLAGS_runs_per_probe),
      absl::GetFlag(FLAGS_batch_runs), absl::GetFlag(FLAGS_tests_per_run));
  const std::vector<std::string> stores = StoresFromFlag();
  const std::string work = PrepareScratch();
  const std::shared_ptr<const enrich::AttributionIndex> index =
      LoadAttribution(absl::GetFlag(FLAGS_data_dir));
  const RunnerOptions o = OptionsFromFlags(index.get());
  const Workload w = BuildAndDescribe(o, work);
  WarnIfLoaded(o.cpus);
  std::vector<Figure> figures;
  for (const std::string& s : stores) {
    figures.push_back(s == "sqlite" ? RunSqlite(o, work, w)
                                    : RunPostgres(o, work, w));
  }
  if (!o.keep) std::filesystem::remove_all(work);
  return PrintSummaries(figures, o.rounds, o.cpus) ? 0 : kExitMissed;
}

}  // namespace
}  // namespace v6scope::bench::ingest

int main(int argc, char** argv) {
  return v6scope::bench::ingest::Main(argc, argv);
}
