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
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "cli/commands.h"
#include "collector/enrich/attribution.h"
#include "collector/ingest/enrich_run.h"
#include "collector/ingest/prepare_run.h"
#include "collector/ingest/validate.h"
#include "collector/service/probe_service.h"
#include "collector/store/postgres/postgres_store.h"
#include "collector/store/postgres/testing/postgres_server.h"
#include "collector/store/sqlite/sqlite_ingest_sql.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "collector/store/store.h"
#include "common/cli/flags.h"
#include "common/net/ip_address.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/channel_arguments.h"
#include "grpcpp/support/client_callback.h"
#include "httplib.h"
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

namespace v6scope::bench {
namespace {
namespace enrich = collector::enrich;

constexpr char kUsage[] =
    "ingest_bench: collector ingest rate (test results/s) from many probes "
    "over loopback gRPC into SQLite and PostgreSQL, next to each store's "
    "ceiling measured in the same run.\n"
    "usage: ingest_bench --collector=PATH [--probes=1000] "
    "[--runs_per_probe=200] [--batch_runs=100] [--stores=sqlite,postgres]";

constexpr char kUploadMethod[] = "/v6scope.v1.ProbeService/Upload";
constexpr char kPeer[] = "ipv6:[::1]:40000";  // What EnrichRun gets told.

using collector::store::BatchOutcome;
using collector::store::PreparedRun;
using collector::store::RunBatch;
using collector::store::RunFilter;
using collector::store::RunPage;
using collector::store::Store;
using collector::store::postgres::PostgresStore;
using collector::store::sqlite::SqliteStore;
using google::protobuf::util::TimeUtil;
using v6scope::v1::UploadRequest;
using v6scope::v1::UploadResponse;

// Exit codes.
constexpr int kExitMissed = 1;
constexpr int kExitFailed = 3;

[[noreturn]] void Fail(absl::string_view why) {
  std::fflush(stdout);
  std::fprintf(stderr, "ingest_bench: FAILED: %.*s\n",
               static_cast<int>(why.size()), why.data());
  std::exit(kExitFailed);
}

template <typename T>
T OrFail(absl::StatusOr<T> v, absl::string_view what) {
  if (!v.ok()) Fail(absl::StrCat(what, ": ", v.status().ToString()));
  return *std::move(v);
}

void OrFail(const absl::Status& s, absl::string_view what) {
  if (!s.ok()) Fail(absl::StrCat(what, ": ", s.ToString()));
}

std::string Thousands(double v) {
  std::string digits = absl::StrFormat("%.0f", v);
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    out.push_back(digits[i]);
    if (digits[i] != '-' && (n - i - 1) % 3 == 0 && i + 1 < n) out += ',';
  }
  return out;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

// --- CPU accounting ---------------------------------------------------------

// Seconds of CPU (user + system) of process `pid`, from /proc/PID/stat.
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream f(absl::StrCat("/proc/", pid, "/stat"));
  std::string line;
  std::getline(f, line);
  const size_t paren = line.rfind(')');
  if (paren == std::string::npos) return 0;
  std::vector<std::string> fields =
      absl::StrSplit(line.substr(paren + 2), ' ', absl::SkipEmpty());
  // After "pid (comm) ": state is field 3, utime 14, stime 15.
  if (fields.size() < 13) return 0;
  double utime = 0, stime = 0;
  if (!absl::SimpleAtod(fields[11], &utime) ||
      !absl::SimpleAtod(fields[12], &stime)) {
    return 0;
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU seconds of every live process whose name is `comm` (the PostgreSQL
// server: postmaster, backends, checkpointer, WAL writer, ...).
double CpuOfProcessesNamed(const std::string& comm) {
  double total = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename();
    pid_t pid = 0;
    if (!absl::SimpleAtoi(name, &pid)) continue;
    std::ifstream f(entry.path() / "comm");
    std::string c;
    if (std::getline(f, c) && c == comm) total += ProcessCpuSeconds(pid);
  }
  return total;
}

double SelfCpuSeconds() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// Machine-wide busy and total CPU time so far (/proc/stat, all CPUs).
struct MachineCpu {
  double busy = 0;
  double total = 0;
};

MachineCpu ReadMachineCpu() {
  std::ifstream f("/proc/stat");
  std::string line;
  std::getline(f, line);
  std::vector<std::string> fields =
      absl::StrSplit(line, ' ', absl::SkipEmpty());
  MachineCpu m;
  double idle = 0;
  for (size_t i = 1; i < fields.size() && i <= 8; ++i) {
    double v = 0;
    if (!absl::SimpleAtod(fields[i], &v)) continue;
    m.total += v;
    if (i == 4 || i == 5) idle += v;  // idle, iowait
  }
  m.busy = m.total - idle;
  const double tck = static_cast<double>(sysconf(_SC_CLK_TCK));
  m.busy /= tck;
  m.total /= tck;
  return m;
}

std::string LoadAverage() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return absl::StrCat(a, " ", b, " ", c);
}

// --- the workload -----------------------------------------------------------

// A run as the capability suite writes it: the 11 tests of the full suite
// (4 DNS, 7 HTTP, cycled if --tests_per_run differs), realistic targets,
// timings, addresses and a failure or two, public prefixes truncated on
// the probe, and the verdict.
v6scope::v1::Run MakeRun(int probe, uint64_t seq, absl::Time started,
                         int tests) {
  using namespace v6scope::v1;  // NOLINT: enum values.
  Run run;
  *run.mutable_started_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(started));
  *run.mutable_finished_at() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(started + absl::Milliseconds(2300 + seq % 700)));
  AddressInventory* inv = run.mutable_inventory();
  inv->set_v6_global_native(probe % 7 == 0 ? 0 : 2);
  inv->set_v6_link_local(1);
  inv->set_v4_private(1);
  inv->set_v4_default_route(true);
  inv->set_v6_default_route(probe % 7 != 0);
  // Public prefixes spread over routed space (so attribution finds an
  // origin AS for many), truncated exactly as the probe truncates them.
  const std::string v4 =
      absl::StrCat(31 + probe % 180, ".", (probe * 37) % 256, ".",
                   (probe * 101 + 7) % 256, ".", (probe * 13) % 256);
  const std::string v6 =
      absl::StrFormat("2a0%x:%x:%x::1", 1 + probe % 14,
                      (probe * 2654435761u) % 65536, probe % 65536);
  run.mutable_public_addresses()->set_v4_prefix(
      net::PublicTruncation(*net::IpAddress::Parse(v4)).ToString());
  if (probe % 7 != 0) {
    run.mutable_public_addresses()->set_v6_prefix(
        net::PublicTruncation(*net::IpAddress::Parse(v6)).ToString());
  }
  const bool black_hole = probe % 5 == 0;
  const bool v6ns_broken = probe % 11 == 0;
  for (int j = 0; j < tests; ++j) {
    const TestKind kind = static_cast<TestKind>(DNS_A + j % 11);
    TestResult* t = run.add_tests();
    t->set_kind(kind);
    const uint32_t jitter = static_cast<uint32_t>((seq * 7919 + j) % 4000);
    Timings* timings = t->mutable_timings();
    timings->set_dns_us(900 + jitter);
    if (kind <= DNS_NAT64) {
      static constexpr const char* kNames[] = {
          "ds.targets.v6scope.example.net", "ds.targets.v6scope.example.net",
          "v6ns.targets.v6scope.example.net", "ipv4only.arpa"};
      t->set_target(kNames[kind - DNS_A]);
      t->set_family(kind == DNS_A || kind == DNS_V6NS ? IPV4 : IPV6);
      t->set_dns_server(probe % 3 ? "2001:db8:53::1" : "192.0.2.53");
      timings->set_total_us(timings->dns_us());
      if (kind == DNS_V6NS && v6ns_broken) {
        t->set_outcome(DNS_SERVFAIL);
        t->set_dns_rcode(2);
        t->set_error_detail("DNS server returned general failure");
      } else if (kind == DNS_NAT64) {
        t->set_outcome(DNS_NODATA);
      } else {
        t->set_outcome(OK);
        if (kind == DNS_AAAA) {
          t->add_resolved_addresses("2001:db8:100:20::80");
          t->add_resolved_addresses("2001:db8:100:21::80");
        } else {
          t->add_resolved_addresses("198.51.100.80");
          t->add_resolved_addresses("198.51.100.81");
        }
      }
      continue;
    }
    static constexpr const char* kUrls[] = {
        "https://v4.targets.v6scope.example.net/small",
        "https://v6.targets.v6scope.example.net/small",
        "https://ds.targets.v6scope.example.net/small",
        "https://[2001:db8:100:20::80]/small",
        "https://v6.targets.v6scope.example.net/large",
        "https://v4.targets.v6scope.example.net/whoami",
        "https://v6.targets.v6scope.example.net/whoami"};
    t->set_target(kUrls[kind - HTTP_V4_ONLY]);
    const bool v4 = kind == HTTP_V4_ONLY || kind == HTTP_WHOAMI_V4;
    t->set_family(kind == HTTP_V4_ONLY || kind == HTTP_DUAL_STACK
                      ? ADDRESS_FAMILY_UNSPECIFIED
                      : (v4 ? IPV4 : IPV6));
    t->set_used_family(v4 ? IPV4 : IPV6);
    t->set_used_address(v4 ? "198.51.100.80" : "2001:db8:100:20::80");
    timings->set_connect_us(timings->dns_us() + 18000 + jitter);
    timings->set_tls_us(timings->connect_us() + 41000);
    timings->set_first_byte_us(timings->tls_us() + 19000);
    if (kind == HTTP_V6_LARGE && black_hole) {
      t->set_outcome(TIMEOUT);
      t->set_error_detail(
          "Operation timed out after 30000 milliseconds with 65160 out of "
          "1500000 bytes received");
      t->set_bytes_received(65160);
      timings->set_total_us(30000000);
      t->set_http_status(200);
      continue;
    }
    t->set_outcome(OK);
    t->set_http_status(200);
    t->set_bytes_received(kind == HTTP_V6_LARGE    ? 1500000
                          : kind >= HTTP_WHOAMI_V4 ? 20
                                                   : 1024);
    timings->set_total_us(timings->first_byte_us() +
                          (kind == HTTP_V6_LARGE ? 380000 : 900));
  }
  Verdict* verdict = run.mutable_verdict();
  if (probe % 7 == 0) {
    verdict->set_capability(V4_ONLY);
    verdict->set_score(0);
  } else if (black_hole) {
    verdict->set_capability(V6_BROKEN);
    verdict->add_root_causes(PMTU_BLACKHOLE);
    verdict->set_score(4);
  } else {
    verdict->set_capability(V6_PREFERRED);
    verdict->set_score(10);
  }
  if (v6ns_broken) verdict->add_root_causes(RESOLVER_NO_V6);
  verdict->set_methodology_version("1");
  run.set_target_set("default");
  run.set_probe_version("0.9.0");
  return run;
}

struct Workload {
  int probes = 0;
  int runs_per_probe = 0;
  int batch_runs = 0;
  int tests_per_run = 0;
  int batches_per_probe = 0;
  // requests[p][b]: the serialized UploadRequest of probe p's batch b.
  std::vector<std::vector<std::string>> requests;
  uint64_t bytes = 0;  // Of all requests.

  uint64_t total_runs() const {
    return static_cast<uint64_t>(probes) *
           static_cast<uint64_t>(runs_per_probe);
  }
  uint64_t total_results() const {
    return total_runs() * static_cast<uint64_t>(tests_per_run);
  }
  uint64_t FirstSeq(int b) const {
    return static_cast<uint64_t>(b) * static_cast<uint64_t>(batch_runs) + 1;
  }
  int RunsIn(int b) const {
    return std::min(batch_runs, runs_per_probe - b * batch_runs);
  }
};

// Built before anything is timed; started_at values end a minute before
// now, one run a minute (well inside the collector's accepted window).
Workload BuildWorkload(int probes, int runs_per_probe, int batch_runs,
                       int tests_per_run) {
  Workload w;
  w.probes = probes;
  w.runs_per_probe = runs_per_probe;
  w.batch_runs = batch_runs;
  w.tests_per_run = tests_per_run;
  w.batches_per_probe = (runs_per_probe + batch_runs - 1) / batch_runs;
  w.requests.resize(static_cast<size_t>(probes));
  const absl::Time now = absl::Now();
  collector::ingest::IngestLimits limits;
  for (int p = 0; p < probes; ++p) {
    for (int b = 0; b < w.batches_per_probe; ++b) {
      UploadRequest req;
      v6scope::v1::Batch* batch = req.mutable_batch();
      batch->set_first_seq(w.FirstSeq(b));
      for (int i = 0; i < w.RunsIn(b); ++i) {
        const uint64_t seq = w.FirstSeq(b) + static_cast<uint64_t>(i);
        const absl::Time started =
            now - absl::Minutes(runs_per_probe - static_cast<int>(seq) + 1) -
            absl::Seconds(p % 60);
        *batch->add_runs() = MakeRun(p, seq, started, tests_per_run);
      }
      if (p == 0 && b == 0) {
        // The collector's own validator, so a bad workload fails here
        // with the field named rather than as rejected streams.
        OrFail(collector::ingest::ValidateBatch(*batch, now, limits),
               "the generated batch is invalid");
      }
      std::string bytes;
      req.SerializeToString(&bytes);
      w.bytes += bytes.size();
      w.requests[static_cast<size_t>(p)].push_back(std::move(bytes));
    }
  }
  return w;
}

// --- the collector's own work per run ---------------------------------------

// What the collector's upload streams do to each batch besides gRPC, timed
// stage by stage on one thread over the whole workload, as the collector
// does it (a fresh arena message per batch): where its CPU goes.
struct StageCosts {
  double parse_us = 0, validate_us = 0, enrich_us = 0, prepare_us = 0;
};

StageCosts MeasureStages(const Workload& w,
                         const enrich::AttributionIndex* index) {
  StageCosts c;
  absl::Duration parse, validate, enrich, prepare;
  collector::ingest::IngestLimits limits;
  google::protobuf::Arena arena(collector::service::UploadBatchArenaOptions());
  size_t sink = 0;
  for (const auto& probe_requests : w.requests) {
    for (const std::string& bytes : probe_requests) {
      arena.Reset();
      absl::Time t = absl::Now();
      auto* req = google::protobuf::Arena::CreateMessage<UploadRequest>(&arena);
      if (!req->ParseFromString(bytes)) Fail("cannot parse a request");
      absl::Time u = absl::Now();
      parse += u - t;
      OrFail(collector::ingest::ValidateBatch(req->batch(), u, limits),
             "validate");
      t = absl::Now();
      validate += t - u;
      for (v6scope::v1::Run& run : *req->mutable_batch()->mutable_runs()) {
        collector::ingest::EnrichRun(index, kPeer, &run);
      }
      u = absl::Now();
      enrich += u - t;
      for (const v6scope::v1::Run& run : req->batch().runs()) {
        sink += OrFail(collector::ingest::PrepareRun(run), "PrepareRun")
                    .blob.size();
      }
      prepare += absl::Now() - u;
    }
  }
  const double runs = static_cast<double>(w.total_runs());
  c.parse_us = absl::ToDoubleMicroseconds(parse) / runs;
  c.validate_us = absl::ToDoubleMicroseconds(validate) / runs;
  c.enrich_us = absl::ToDoubleMicroseconds(enrich) / runs;
  c.prepare_us = absl::ToDoubleMicroseconds(prepare) / runs;
  if (sink == 0) Fail("prepared nothing");
  return c;
}

// --- the collector process --------------------------------------------------

class CollectorProcess {
 public:
  // Starts `binary` with a data directory in `dir`; `postgres` empty for
  // SQLite. Waits until both ports are written.
  static std::unique_ptr<CollectorProcess> Start(const std::string& binary,
                                                 const std::string& dir,
                                                 const std::string& postgres,
                                                 const std::string& data_dir) {
    std::filesystem::create_directories(dir);
    auto c = std::unique_ptr<CollectorProcess>(new CollectorProcess());
    c->dir_ = dir;
    c->log_ = dir + "/collector.log";
    std::vector<std::string> args = {
        binary,
        "--grpc_listen=[::1]:0",
        "--http_listen=[::1]:0",
        absl::StrCat("--data_dir=", dir, "/data"),
        absl::StrCat("--port_file=", dir, "/grpc.port"),
        absl::StrCat("--http_port_file=", dir, "/http.port"),
    };
    if (!postgres.empty()) args.push_back("--postgres=" + postgres);
    if (!data_dir.empty()) {
      args.push_back(absl::StrCat(
          "--pfx2as=", data_dir, "/prefix2as/RouteViewIPv4.pfx2as.gz,",
          data_dir, "/prefix2as/RouteViewIPv6.pfx2as.gz"));
      args.push_back(
          absl::StrCat("--rir=", absl::StrJoin(RirFiles(data_dir), ",")));
      args.push_back(absl::StrCat("--as_names=", data_dir, "/asnames/asn.txt"));
    }
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const pid_t parent = getpid();
    const pid_t pid = fork();
    if (pid < 0) Fail("fork failed");
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      const int fd = open(c->log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
      }
      execv(argv[0], argv.data());
      _exit(127);
    }
    c->pid_ = pid;
    const absl::Time deadline = absl::Now() + absl::Seconds(60);
    while (absl::Now() < deadline) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        c->pid_ = 0;
        Fail(absl::StrCat("the collector exited at start; its log:\n",
                          c->LogTail()));
      }
      c->grpc_port_ = ReadPort(dir + "/grpc.port");
      c->http_port_ = ReadPort(dir + "/http.port");
      if (c->grpc_port_ > 0 && c->http_port_ > 0) return c;
      absl::SleepFor(absl::Milliseconds(20));
    }
    Fail(absl::StrCat("the collector did not listen within 60 s; its log:\n",
                      c->LogTail()));
  }

  static std::vector<std::string> RirFiles(const std::string& data_dir) {
    std::vector<std::string> files;
    for (const char* rir : {"rir/2026-05-06/delegated-afrinic-extended-latest",
                            "rir/2024-11-09/delegated-apnic-latest",
                            "rir/2023-03-24/delegated-lacnic-extended-latest",
                            "rir/2019-09-12/delegated-iana-latest"}) {
      files.push_back(absl::StrCat(data_dir, "/", rir));
    }
    return files;
  }

  ~CollectorProcess() { Stop(); }

  // SIGTERM (graceful: stores what is queued), bounded; then SIGKILL.
  void Stop() {
    if (pid_ == 0) return;
    kill(pid_, SIGTERM);
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
      if (absl::Now() > deadline) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status, 0);
        break;
      }
      absl::SleepFor(absl::Milliseconds(10));
    }
    pid_ = 0;
  }

  pid_t pid() const { return pid_; }
  int grpc_port() const { return grpc_port_; }
  std::string target() const { return absl::StrCat("[::1]:", grpc_port_); }
  std::string admin_secret() const {
    std::ifstream f(dir_ + "/data/admin.secret");
    std::string s;
    f >> s;
    return s;
  }
  std::string sqlite_path() const { return dir_ + "/data/v6scope.db"; }
  const std::string& log() const { return log_; }

  // The collector's /metrics, as name{labels} → value.
  std::map<std::string, double> Metrics() const {
    httplib::Client http("::1", http_port_);
    http.set_read_timeout(10, 0);
    auto res = http.Get("/metrics");
    if (!res || res->status != 200)
      Fail("cannot read the collector's /metrics");
    std::map<std::string, double> out;
    for (absl::string_view line : absl::StrSplit(res->body, '\n')) {
      if (line.empty() || line[0] == '#') continue;
      const size_t space = line.rfind(' ');
      if (space == absl::string_view::npos) continue;
      double v = 0;
      if (absl::SimpleAtod(line.substr(space + 1), &v)) {
        out[std::string(line.substr(0, space))] = v;
      }
    }
    return out;
  }

  std::string LogTail() const {
    std::ifstream f(log_);
    std::stringstream s;
    s << f.rdbuf();
    std::string all = s.str();
    if (all.size() > 3000) all = all.substr(all.size() - 3000);
    return all;
  }

 private:
  CollectorProcess() = default;

  static int ReadPort(const std::string& path) {
    std::ifstream f(path);
    int port = 0;
    if (f >> port) return port;
    return 0;
  }

  std::string dir_;
  std::string log_;
  pid_t pid_ = 0;
  int grpc_port_ = 0;
  int http_port_ = 0;
};

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target, int i) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(4 << 20);
  args.SetMaxSendMessageSize(4 << 20);
  // Its own TCP connection: channels with equal arguments would otherwise
  // share one subchannel (and connection) process-wide.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("v6scope.bench.channel", i);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(),
                                   args);
}

// --- enrolment --------------------------------------------------------------

struct Enrolled {
  std::string probe_id;
  std::string credential;
};

std::vector<Enrolled> EnrolProbes(const CollectorProcess& c, int probes,
                                  int threads) {
  std::vector<Enrolled> out(static_cast<size_t>(probes));
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  absl::Mutex mu;
  std::string error;
  const std::string secret = c.admin_secret();
  if (secret.empty()) Fail("the collector wrote no admin secret");
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      auto channel = MakeChannel(c.target(), -1 - t);
      probe::uplink::CollectorClient client(channel, absl::Seconds(30));
      for (int p; !failed && (p = next++) < probes;) {
        // As `v6scope admin token create` does, then the probe's Enrol.
        absl::StatusOr<cli::Table> table =
            cli::CreateToken(channel, secret, "bench", absl::Hours(1));
        absl::StatusOr<v6scope::v1::EnrolResponse> enrol =
            absl::UnknownError("no token");
        if (table.ok()) {
          const std::string csv = table->Render(cli::OutputFormat::kCsv);
          const std::string row = csv.substr(csv.find("\r\n") + 2);
          enrol = client.Enrol(row.substr(0, row.find(',')), "0.9.0");
        } else {
          enrol = table.status();
        }
        if (!enrol.ok()) {
          absl::MutexLock lock(&mu);
          error = enrol.status().ToString();
          failed = true;
          return;
        }
        out[static_cast<size_t>(p)] = {enrol->probe_id(), enrol->credential()};
      }
    });
  }
  for (std::thread& t : pool) t.join();
  if (failed) Fail(absl::StrCat("enrolment failed: ", error));
  return out;
}

// --- the upload streams -----------------------------------------------------

using Stub = grpc::TemplatedGenericStub<grpc::ByteBuffer, UploadResponse>;

// Counts streams still open; the main thread waits for zero.
class Latch {
 public:
  explicit Latch(int n) : n_(n) {}
  void CountDown() {
    absl::MutexLock lock(&mu_);
    --n_;
  }
  bool WaitFor(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(
                                    +[](int* n) { return *n == 0; }, &n_),
                                timeout);
  }

 private:
  absl::Mutex mu_;
  int n_ ABSL_GUARDED_BY(mu_);
};

// One probe's Upload stream: Welcome, then each batch after the previous
// batch's Ack (and the completion of its write), then WritesDone; the
// server ends the stream. Requests are sent as pre-serialized bytes (the
// client's share of the two cores stays small); responses are parsed.
class UploadStream final
    : public grpc::ClientBidiReactor<grpc::ByteBuffer, UploadResponse> {
 public:
  UploadStream(const Workload* w, int probe, const Enrolled* enrolled,
               Latch* latch)
      : w_(w), probe_(probe), enrolled_(enrolled), latch_(latch) {}

  void Start(Stub* stub, absl::Time deadline) {
    ctx_.AddMetadata("authorization",
                     absl::StrCat("Bearer ", enrolled_->credential));
    ctx_.set_deadline(absl::ToChronoTime(deadline));
    stub->PrepareBidiStreamingCall(&ctx_, kUploadMethod, grpc::StubOptions(),
                                   this);
    started_ = absl::Now();
    StartRead(&resp_);
    StartCall();
  }

  void OnReadDone(bool ok) override {
    Ops ops;
    {
      absl::MutexLock lock(&mu_);
      if (!ok) return;  // The server ended the stream; OnDone follows.
      ops.read = true;
      if (resp_.has_welcome()) {
        if (resp_.welcome().last_stored_seq() != 0) {
          FailLocked(
              absl::StrCat("welcome says ", resp_.welcome().last_stored_seq(),
                           " runs stored already"),
              ops);
        } else {
          NextLocked(ops);
        }
      } else if (resp_.has_ack()) {
        HandleAckLocked(ops);
      } else if (resp_.has_back_off()) {
        ++back_offs_;
        FailLocked(absl::StrCat("collector asked to back off ",
                                resp_.back_off().seconds(), " s"),
                   ops);
      }
    }
    Perform(ops);
  }

  void OnWriteDone(bool ok) override {
    Ops ops;
    {
      absl::MutexLock lock(&mu_);
      write_pending_ = false;
      if (!ok) {
        if (error_.empty()) error_ = "write failed (stream broken)";
        return;
      }
      if (!ack_pending_) NextLocked(ops);
    }
    Perform(ops);
  }

  void OnDone(const grpc::Status& s) override {
    {
      absl::MutexLock lock(&mu_);
      status_ = s;
    }
    latch_->CountDown();
  }

  // Read after the latch opened.
  bool ok() const { return status_.ok() && error_.empty(); }
  std::string error() const {
    return absl::StrCat("probe ", probe_, ": ",
                        error_.empty() ? "" : error_ + "; ", "status ",
                        status_.error_code(), " ", status_.error_message());
  }
  uint64_t acked_runs() const { return acked_runs_; }
  uint64_t stored_runs() const { return stored_runs_; }
  int back_offs() const { return back_offs_; }
  absl::Time started() const { return started_; }
  absl::Time first_send() const { return first_send_; }
  absl::Time last_ack() const { return last_ack_; }
  const std::vector<double>& ack_ms() const { return ack_ms_; }

 private:
  struct Ops {
    bool read = false;
    bool write = false;
    bool writes_done = false;
    bool cancel = false;
  };

  void Perform(const Ops& ops) {
    if (ops.cancel) {
      ctx_.TryCancel();
      return;
    }
    if (ops.write) StartWrite(&out_);
    if (ops.writes_done) StartWritesDone();
    if (ops.read) StartRead(&resp_);
  }

  void HandleAckLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const int b = next_ - 1;
    const uint64_t first = w_->FirstSeq(b);
    const uint64_t last = first + static_cast<uint64_t>(w_->RunsIn(b)) - 1;
    const v6scope::v1::Ack& ack = resp_.ack();
    if (!ack_pending_ || ack.first_seq() != first || ack.last_seq() != last) {
      FailLocked(absl::StrCat("ack for ", ack.first_seq(), "..", ack.last_seq(),
                              ", expected ", first, "..", last),
                 ops);
      return;
    }
    const absl::Time now = absl::Now();
    ack_pending_ = false;
    acked_runs_ += last - first + 1;
    stored_runs_ += ack.stored();
    ack_ms_.push_back(absl::ToDoubleMilliseconds(now - sent_));
    last_ack_ = now;
    if (!write_pending_) NextLocked(ops);
  }

  void NextLocked(Ops& ops) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (next_ < w_->batches_per_probe) {
      const std::string& bytes =
          w_->requests[static_cast<size_t>(probe_)][static_cast<size_t>(next_)];
      // The bytes outlive the write: no copy.
      grpc::Slice slice(bytes.data(), bytes.size(), grpc::Slice::STATIC_SLICE);
      out_ = grpc::ByteBuffer(&slice, 1);
      sent_ = absl::Now();
      if (next_ == 0) first_send_ = sent_;
      ++next_;
      write_pending_ = ack_pending_ = true;
      ops.write = true;
    } else if (!writes_done_) {
      writes_done_ = true;
      ops.writes_done = true;
    }
  }

  void FailLocked(std::string why, Ops& ops)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (error_.empty()) error_ = std::move(why);
    ops = Ops();
    ops.cancel = true;
  }

  const Workload* const w_;
  const int probe_;
  const Enrolled* const enrolled_;
  Latch* const latch_;
  grpc::ClientContext ctx_;
  UploadResponse resp_;
  grpc::ByteBuffer out_;
  absl::Mutex mu_;
  int next_ = 0;  // Next batch to send.
  bool write_pending_ = false;
  bool ack_pending_ = false;
  bool writes_done_ = false;
  uint64_t acked_runs_ = 0;
  uint64_t stored_runs_ = 0;
  int back_offs_ = 0;
  std::string error_;
  grpc::Status status_;
  absl::Time started_, first_send_, sent_, last_ack_;
  std::vector<double> ack_ms_;
};

struct UploadResult {
  double seconds = 0;       // First stream start → last Ack.
  double send_seconds = 0;  // First batch sent → last Ack.
  double stream_setup_ms_p50 = 0;
  std::vector<double> ack_ms;
  double collector_cpu = 0;  // Seconds, during the window.
  double client_cpu = 0;
  double postgres_cpu = 0;  // The PostgreSQL server's processes.
  MachineCpu machine;       // Busy/total during the window.
  std::map<std::string, double> metrics_before, metrics_after;
  uint64_t acked_runs = 0, stored_runs = 0;
};

UploadResult UploadAll(const CollectorProcess& c, const Workload& w,
                       const std::vector<Enrolled>& enrolled, int connections,
                       absl::Duration timeout) {
  const int n_channels = connections > 0 ? connections : w.probes;
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  std::vector<std::unique_ptr<Stub>> stubs;
  const absl::Time connect_deadline = absl::Now() + absl::Seconds(60);
  for (int i = 0; i < n_channels; ++i) {
    channels.push_back(MakeChannel(c.target(), i));
    channels.back()->GetState(/*try_to_connect=*/true);
  }
  for (auto& ch : channels) {
    if (!ch->WaitForConnected(absl::ToChronoTime(connect_deadline))) {
      Fail("could not connect to the collector");
    }
    stubs.push_back(std::make_unique<Stub>(ch));
  }
  Latch latch(w.probes);
  std::vector<std::unique_ptr<UploadStream>> streams;
  for (int p = 0; p < w.probes; ++p) {
    streams.push_back(std::make_unique<UploadStream>(
        &w, p, &enrolled[static_cast<size_t>(p)], &latch));
  }
  UploadResult r;
  r.metrics_before = c.Metrics();
  const double collector_cpu0 = ProcessCpuSeconds(c.pid());
  const double client_cpu0 = SelfCpuSeconds();
  const double postgres_cpu0 = CpuOfProcessesNamed("postgres");
  const MachineCpu machine0 = ReadMachineCpu();
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + timeout;
  for (int p = 0; p < w.probes; ++p) {
    streams[static_cast<size_t>(p)]->Start(
        stubs[static_cast<size_t>(p % n_channels)].get(), deadline);
  }
  if (!latch.WaitFor(timeout + absl::Seconds(10))) {
    Fail("upload streams did not finish within --timeout");
  }
  const MachineCpu machine1 = ReadMachineCpu();
  r.collector_cpu = ProcessCpuSeconds(c.pid()) - collector_cpu0;
  r.client_cpu = SelfCpuSeconds() - client_cpu0;
  r.machine.busy = machine1.busy - machine0.busy;
  r.machine.total = machine1.total - machine0.total;
  r.postgres_cpu = CpuOfProcessesNamed("postgres") - postgres_cpu0;
  r.metrics_after = c.Metrics();
  absl::Time first_send = absl::InfiniteFuture();
  absl::Time last_ack = start;
  std::vector<double> setup_ms;
  int failed = 0;
  std::string first_error;
  for (const auto& s : streams) {
    if (!s->ok()) {
      if (failed++ == 0) first_error = s->error();
      continue;
    }
    r.acked_runs += s->acked_runs();
    r.stored_runs += s->stored_runs();
    first_send = std::min(first_send, s->first_send());
    last_ack = std::max(last_ack, s->last_ack());
    setup_ms.push_back(absl::ToDoubleMilliseconds(s->first_send() - start));
    r.ack_ms.insert(r.ack_ms.end(), s->ack_ms().begin(), s->ack_ms().end());
  }
  if (failed > 0) {
    Fail(absl::StrCat(failed, " of ", w.probes,
                      " upload streams failed; first: ", first_error,
                      "\ncollector log tail:\n", c.LogTail()));
  }
  r.seconds = absl::ToDoubleSeconds(last_ack - start);
  r.send_seconds = absl::ToDoubleSeconds(last_ack - first_send);
  r.stream_setup_ms_p50 = Percentile(setup_ms, 0.5);
  return r;
}

// --- verification -----------------------------------------------------------

// What the store holds after the collector stopped, through the Store
// interface: each probe's last seq, and the newest run intact.
void VerifyThroughStore(Store& store, const Workload& w,
                        const std::vector<Enrolled>& enrolled,
                        bool attributed) {
  for (const Enrolled& e : enrolled) {
    const uint64_t last =
        OrFail(store.LastStoredSeq(e.probe_id), "LastStoredSeq");
    if (last != static_cast<uint64_t>(w.runs_per_probe)) {
      Fail(absl::StrCat("probe ", e.probe_id, ": last stored seq ", last,
                        ", want ", w.runs_per_probe));
    }
  }
  RunPage page = OrFail(store.ListRuns(RunFilter(), 1, ""), "ListRuns");
  if (page.runs.size() != 1 ||
      page.runs[0].run().tests_size() != w.tests_per_run) {
    Fail("the newest stored run is not the run that was sent");
  }
  const std::string& datasets = page.runs[0].run().attribution().datasets();
  if (attributed == (datasets == "none")) {
    Fail(absl::StrCat("the newest stored run has attribution datasets \"",
                      datasets, "\""));
  }
}

// The same counts in plain SQL: rows, probes, and probes holding exactly
// seq 1..N; and the per-probe counters.
std::string CountSql(int runs_per_probe) {
  return absl::StrCat(
      "SELECT (SELECT count(*) FROM runs) || ' ' || "
      "(SELECT count(DISTINCT probe_id) FROM runs) || ' ' || "
      "(SELECT count(*) FROM (SELECT probe_id FROM runs GROUP BY probe_id "
      "HAVING count(*) = ",
      runs_per_probe, " AND min(seq) = 1 AND max(seq) = ", runs_per_probe,
      ") AS complete) || ' ' || (SELECT coalesce(sum(runs), 0) FROM "
      "probe_stats)");
}

void CheckCounts(const std::string& counts, const Workload& w,
                 absl::string_view where) {
  const std::string want = absl::StrCat(w.total_runs(), " ", w.probes, " ",
                                        w.probes, " ", w.total_runs());
  if (counts != want) {
    Fail(absl::StrCat(where,
                      ": rows / probes / complete probes / counted "
                      "runs are ",
                      counts, ", want ", want));
  }
}

std::string SqliteQuery(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) !=
      SQLITE_OK) {
    Fail(absl::StrCat("cannot open ", path));
  }
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(stmt, 0);
    if (text != nullptr) out = reinterpret_cast<const char*>(text);
  } else {
    Fail(absl::StrCat(path, ": ", sqlite3_errmsg(db)));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

// --- ceilings ---------------------------------------------------------------

// The collector's arrival order: batch 0 of every probe, then batch 1, ...,
// cut into commits of at most `commit_runs` runs as the ingest writer cuts
// its queue. Each entry: (probe, batch).
std::vector<std::vector<std::pair<int, int>>> CommitGroups(const Workload& w,
                                                           int commit_runs) {
  std::vector<std::vector<std::pair<int, int>>> groups(1);
  int runs = 0;
  for (int b = 0; b < w.batches_per_probe; ++b) {
    for (int p = 0; p < w.probes; ++p) {
      if (!groups.back().empty() && runs + w.RunsIn(b) > commit_runs) {
        groups.emplace_back();
        runs = 0;
      }
      groups.back().emplace_back(p, b);
      runs += w.RunsIn(b);
    }
  }
  return groups;
}

// A batch as the collector hands it to the store: parsed from the bytes
// sent, enriched with the same attribution data and prepared (serialized,
// columns read out) as the upload streams prepare it.
RunBatch ParseBatch(const Workload& w, const std::vector<Enrolled>& enrolled,
                    const enrich::AttributionIndex* index, int p, int b) {
  UploadRequest req;
  if (!req.ParseFromString(
          w.requests[static_cast<size_t>(p)][static_cast<size_t>(b)])) {
    Fail("cannot parse a request");
  }
  RunBatch batch;
  batch.probe_id = enrolled[static_cast<size_t>(p)].probe_id;
  batch.first_seq = req.batch().first_seq();
  batch.received_at = absl::Now();
  for (v6scope::v1::Run& run : *req.mutable_batch()->mutable_runs()) {
    collector::ingest::EnrichRun(index, kPeer, &run);
    batch.runs.push_back(
        OrFail(collector::ingest::PrepareRun(run), "PrepareRun"));
  }
  return batch;
}

struct CeilingResult {
  double seconds = 0;  // Sum over commits, preparation excluded.
  int commits = 0;
};

CeilingResult StoreCeiling(Store& store, const Workload& w,
                           const std::vector<Enrolled>& enrolled,
                           const enrich::AttributionIndex* index,
                           int commit_runs) {
  CeilingResult r;
  uint64_t stored = 0;
  for (const auto& group : CommitGroups(w, commit_runs)) {
    std::vector<RunBatch> batches;
    batches.reserve(group.size());
    for (auto [p, b] : group) {
      batches.push_back(ParseBatch(w, enrolled, index, p, b));
    }
    const absl::Time start = absl::Now();
    std::vector<BatchOutcome> outcomes =
        OrFail(store.StoreBatches(batches), "StoreBatches");
    r.seconds += absl::ToDoubleSeconds(absl::Now() - start);
    ++r.commits;
    for (const BatchOutcome& o : outcomes) stored += o.stored;
  }
  if (stored != w.total_runs()) {
    Fail(absl::StrCat("ceiling stored ", stored, " runs, want ",
                      w.total_runs()));
  }
  return r;
}

void SqliteOk(sqlite3* db, int rc, absl::string_view what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    Fail(absl::StrCat("raw SQLite ", what, ": ", sqlite3_errmsg(db)));
  }
}

CeilingResult RawSqliteCeiling(const std::string& path, const Workload& w,
                               const std::vector<Enrolled>& enrolled,
                               const enrich::AttributionIndex* index,
                               int commit_runs) {
  // The schema, made by the store's own migrations.
  OrFail(SqliteStore::Open(path), "creating the raw ceiling's schema");
  sqlite3* db = nullptr;
  SqliteOk(
      db,
      sqlite3_open_v2(path.c_str(), &db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr),
      "open");
  SqliteOk(db,
           sqlite3_exec(db,
                        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                        "PRAGMA foreign_keys=ON;",
                        nullptr, nullptr, nullptr),
           "pragmas");
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* stats = nullptr;
  SqliteOk(db,
           sqlite3_prepare_v2(db, collector::store::sqlite::kInsertRun, -1,
                              &insert, nullptr),
           "prepare");
  SqliteOk(db,
           sqlite3_prepare_v2(db, collector::store::sqlite::kUpdateStats, -1,
                              &stats, nullptr),
           "prepare");
  struct Row {
    int64_t seq, started_at;
    int capability, score;
    std::string blob;
    uint32_t asn;
    std::string country;
  };
  struct Batch {
    const std::string* probe_id;
    std::vector<Row> rows;
  };
  CeilingResult r;
  int64_t stored = 0;
  for (const auto& group : CommitGroups(w, commit_runs)) {
    std::vector<Batch> batches;
    for (auto [p, b] : group) {
      RunBatch rb = ParseBatch(w, enrolled, index, p, b);
      Batch batch{&enrolled[static_cast<size_t>(p)].probe_id, {}};
      for (size_t i = 0; i < rb.runs.size(); ++i) {
        PreparedRun& run = rb.runs[i];
        Row row{static_cast<int64_t>(rb.first_seq + i),
                run.started_at_us.value_or(0),
                run.capability,
                run.score,
                std::move(run.blob),
                run.observation.asn,
                run.observation.country};
        batch.rows.push_back(std::move(row));
      }
      batches.push_back(std::move(batch));
    }
    const absl::Time start = absl::Now();
    const int64_t received_at = absl::ToUnixMicros(start);
    SqliteOk(db, sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
             "BEGIN");
    for (const Batch& batch : batches) {
      int batch_stored = 0;
      for (const Row& row : batch.rows) {
        sqlite3_reset(insert);
        sqlite3_bind_text(insert, 1, batch.probe_id->data(),
                          static_cast<int>(batch.probe_id->size()),
                          SQLITE_STATIC);
        sqlite3_bind_int64(insert, 2, row.seq);
        sqlite3_bind_int64(insert, 3, received_at);
        sqlite3_bind_int64(insert, 4, row.started_at);
        sqlite3_bind_int(insert, 5, row.capability);
        sqlite3_bind_int(insert, 6, row.score);
        sqlite3_bind_blob(insert, 7, row.blob.data(),
                          static_cast<int>(row.blob.size()), SQLITE_STATIC);
        sqlite3_bind_int64(insert, 8, row.asn);
        sqlite3_bind_text(insert, 9, row.country.data(),
                          static_cast<int>(row.country.size()), SQLITE_STATIC);
        SqliteOk(db, sqlite3_step(insert), "INSERT");
        batch_stored += sqlite3_changes(db);
      }
      sqlite3_reset(stats);
      sqlite3_bind_text(stats, 1, batch.probe_id->data(),
                        static_cast<int>(batch.probe_id->size()),
                        SQLITE_STATIC);
      sqlite3_bind_int(stats, 2, batch_stored);
      sqlite3_bind_int64(stats, 3, received_at);
      sqlite3_bind_int64(stats, 4, 0);
      SqliteOk(db, sqlite3_step(stats), "UPSERT");
      stored += batch_stored;
    }
    SqliteOk(db, sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr),
             "COMMIT");
    r.seconds += absl::ToDoubleSeconds(absl::Now() - start);
    ++r.commits;
  }
  sqlite3_finalize(insert);
  sqlite3_finalize(stats);
  sqlite3_close(db);
  if (stored != static_cast<int64_t>(w.total_runs())) {
    Fail(absl::StrCat("raw ceiling stored ", stored, " runs"));
  }
  CheckCounts(SqliteQuery(path, CountSql(w.runs_per_probe)), w,
              "raw SQLite ceiling");
  return r;
}

// --- reporting --------------------------------------------------------------

double Metric(const std::map<std::string, double>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

void PrintUpload(const Workload& w, const UploadResult& u, int cpus) {
  const double results = static_cast<double>(w.total_results());
  const double runs = static_cast<double>(w.total_runs());
  auto delta = [&](const std::string& k) {
    return Metric(u.metrics_after, k) - Metric(u.metrics_before, k);
  };
  const double commits = delta("v6scope_collector_store_commits_total");
  const double commit_s = delta("v6scope_collector_store_commit_seconds_total");
  const double batches = delta("v6scope_collector_batches_stored_total");
  std::printf(
      "    collector over gRPC %12s results/s  (%s runs/s; %s results in "
      "%.2f s, first stream start to last Ack)\n",
      Thousands(results / u.seconds).c_str(),
      Thousands(runs / u.seconds).c_str(), Thousands(results).c_str(),
      u.seconds);
  std::printf(
      "        streams: %d, first batch sent %.0f ms after its stream started "
      "(p50); first send to last Ack %.2f s\n",
      w.probes, u.stream_setup_ms_p50, u.send_seconds);
  std::printf(
      "        Ack latency per batch: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, "
      "max %.1f ms\n",
      Percentile(u.ack_ms, 0.5), Percentile(u.ack_ms, 0.9),
      Percentile(u.ack_ms, 0.99), Percentile(u.ack_ms, 1.0));
  std::printf(
      "        ingest writer: %.0f group commits, %.1f batches = %.0f runs per "
      "commit on average, %.2f s in StoreBatches (%.0f%% of the wall time)\n",
      commits, commits > 0 ? batches / commits : 0,
      commits > 0 ? runs / commits : 0, commit_s, 100 * commit_s / u.seconds);
  const double capacity = u.seconds * cpus;
  std::string pg;
  if (u.postgres_cpu > 0) {
    pg = absl::StrFormat("PostgreSQL server %.2f s (%.0f%%, %.1f us/run), ",
                         u.postgres_cpu, 100 * u.postgres_cpu / capacity,
                         1e6 * u.postgres_cpu / runs);
  }
  const double others =
      u.machine.busy - u.collector_cpu - u.client_cpu - u.postgres_cpu;
  std::printf(
      "        CPU: collector %.2f s (%.0f%% of %d CPUs, %.1f us/run), %sthis "
      "client %.2f s (%.0f%%); machine busy %.0f%%, other processes ~%.0f%%\n",
      u.collector_cpu, 100 * u.collector_cpu / capacity, cpus,
      1e6 * u.collector_cpu / runs, pg.c_str(), u.client_cpu,
      100 * u.client_cpu / capacity,
      u.machine.total > 0 ? 100 * u.machine.busy / u.machine.total : 0,
      u.machine.total > 0 ? std::max(0.0, 100 * others / u.machine.total) : 0);
}

void PrintCeiling(const char* name, const Workload& w, const CeilingResult& c,
                  double collector_rate) {
  const double results = static_cast<double>(w.total_results());
  const double rate = results / c.seconds;
  std::printf(
      "    %-19s %12s results/s  (%s runs/s; %d commits, %.2f s)   collector "
      "= %.2fx\n",
      name, Thousands(rate).c_str(),
      Thousands(static_cast<double>(w.total_runs()) / c.seconds).c_str(),
      c.commits, c.seconds, collector_rate / rate);
}

// --- one store --------------------------------------------------------------

std::string DescribeFilesystem(const std::string& path) {
  struct statfs fs;
  if (statfs(path.c_str(), &fs) != 0) return "unknown filesystem";
  switch (fs.f_type) {
    case 0x01021994:
      return "tmpfs (fsync costs nothing: not representative)";
    case 0xEF53:
      return "ext4";
    case 0x58465342:
      return "xfs";
    case 0x9123683E:
      return "btrfs";
    case 0x794c7630:
      return "overlayfs";
    default:
      return absl::StrFormat("filesystem type 0x%x", fs.f_type);
  }
}

// The collector phase of a round: enrolment, the upload, and (collector
// stopped) verification of every count. Returns results/s; fills
// `enrolled` (the ceilings store the same probes' runs).
double MeasureCollector(
    CollectorProcess& c, const Workload& w, int cpus,
    const std::function<std::string(const std::string&)>& query_collector_store,
    const std::function<std::unique_ptr<Store>()>& reopen, bool attributed,
    std::vector<Enrolled>* enrolled) {
  const absl::Time e0 = absl::Now();
  *enrolled = EnrolProbes(c, w.probes, absl::GetFlag(FLAGS_enrol_threads));
  std::printf(
      "    enrolment             %d probes in %.1f s (admin CreateToken + "
      "Enrol each, %d threads)\n",
      w.probes, absl::ToDoubleSeconds(absl::Now() - e0),
      absl::GetFlag(FLAGS_enrol_threads));
  std::fflush(stdout);
  UploadResult u = UploadAll(c, w, *enrolled, absl::GetFlag(FLAGS_connections),
                             absl::GetFlag(FLAGS_timeout));
  PrintUpload(w, u, cpus);
  c.Stop();
  if (u.acked_runs != w.total_runs() || u.stored_runs != w.total_runs()) {
    Fail(absl::StrCat("acknowledged ", u.acked_runs, " runs, ", u.stored_runs,
                      " as new; want ", w.total_runs()));
  }
  CheckCounts(query_collector_store(CountSql(w.runs_per_probe)), w,
              "the collector's store");
  VerifyThroughStore(*reopen(), w, *enrolled, attributed);
  std::printf(
      "        verified: every Ack matched its batch and counted it stored; "
      "the store holds %s runs, seq 1..%d for each of the %d probes\n",
      Thousands(static_cast<double>(w.total_runs())).c_str(), w.runs_per_probe,
      w.probes);
  std::fflush(stdout);
  return static_cast<double>(w.total_results()) / u.seconds;
}

// One round of one store: the collector's rate and each ceiling's, in
// results/s.
struct Round {
  double rate = 0;
  std::vector<double> ceilings;  // In Figure::ceiling_names order.
  double best_ceiling() const {
    return ceilings.empty()
               ? 0
               : *std::max_element(ceilings.begin(), ceilings.end());
  }
};

struct Figure {
  std::string name;
  std::vector<std::string> ceiling_names;
  std::vector<Round> rounds;
  std::string skip_reason;  // Non-empty: not measured.
};

double Median(std::vector<double> v) { return Percentile(std::move(v), 0.5); }

Round SqliteRound(const std::string& dir, const Workload& w,
                  const std::string& data_dir,
                  const enrich::AttributionIndex* index, int cpus) {
  Round r;
  auto c = CollectorProcess::Start(absl::GetFlag(FLAGS_collector),
                                   dir + "/collector", "", data_dir);
  const std::string db = c->sqlite_path();
  std::vector<Enrolled> enrolled;
  r.rate = MeasureCollector(
      *c, w, cpus, [&](const std::string& sql) { return SqliteQuery(db, sql); },
      [&]() -> std::unique_ptr<Store> {
        return OrFail(SqliteStore::Open(db), "reopening the store");
      },
      index != nullptr, &enrolled);
  if (!absl::GetFlag(FLAGS_ceilings)) return r;
  const int commit_runs = absl::GetFlag(FLAGS_commit_runs);
  CeilingResult store_ceiling;
  {
    auto store = OrFail(SqliteStore::Open(dir + "/ceiling-store.db"),
                        "opening the ceiling's store");
    store_ceiling = StoreCeiling(*store, w, enrolled, index, commit_runs);
  }
  CheckCounts(
      SqliteQuery(dir + "/ceiling-store.db", CountSql(w.runs_per_probe)), w,
      "SqliteStore ceiling");
  PrintCeiling("ceiling: SqliteStore", w, store_ceiling, r.rate);
  std::fflush(stdout);
  CeilingResult raw = RawSqliteCeiling(dir + "/ceiling-raw.db", w, enrolled,
                                       index, commit_runs);
  PrintCeiling("ceiling: raw SQLite", w, raw, r.rate);
  std::fflush(stdout);
  const double results = static_cast<double>(w.total_results());
  r.ceilings = {results / store_ceiling.seconds, results / raw.seconds};
  return r;
}

Figure RunSqlite(const std::string& work, const Workload& w,
                 const std::string& data_dir,
                 const enrich::AttributionIndex* index, int cpus, int rounds) {
  Figure f;
  f.name = "SQLite";
  f.ceiling_names = {"SqliteStore::StoreBatches", "raw SQLite INSERTs"};
  std::printf(
      "\n-- SQLite (WAL, synchronous=FULL), a fresh file each time, in %s\n"
      "   ceilings: the same runs, parsed and attributed as the collector "
      "does, in its arrival order, in commits of up to %d runs:\n"
      "   SqliteStore::StoreBatches; raw SQLite = the store's own INSERT "
      "(runs) and UPSERT (probe_stats) statements, blobs serialized "
      "beforehand, no rollups\n",
      work.c_str(), absl::GetFlag(FLAGS_commit_runs));
  for (int i = 1; i <= rounds; ++i) {
    std::printf("  round %d\n", i);
    std::fflush(stdout);
    const std::string dir = absl::StrCat(work, "/sqlite-", i);
    f.rounds.push_back(SqliteRound(dir, w, data_dir, index, cpus));
    if (!absl::GetFlag(FLAGS_keep)) std::filesystem::remove_all(dir);
  }
  return f;
}

Round PostgresRound(collector::store::postgres::testing::PostgresServer& pg,
                    const std::string& dir, const Workload& w,
                    const std::string& data_dir,
                    const enrich::AttributionIndex* index, int cpus) {
  Round r;
  const std::string db = OrFail(pg.CreateDatabase(), "CREATE DATABASE");
  auto c =
      CollectorProcess::Start(absl::GetFlag(FLAGS_collector),
                              dir + "/collector", pg.ConnInfo(db), data_dir);
  std::vector<Enrolled> enrolled;
  r.rate = MeasureCollector(
      *c, w, cpus,
      [&](const std::string& sql) {
        return OrFail(pg.Query(db, sql), "querying the collector's database");
      },
      [&]() -> std::unique_ptr<Store> {
        return OrFail(PostgresStore::Open(pg.ConnInfo(db)),
                      "reopening the store");
      },
      index != nullptr, &enrolled);
  std::vector<std::string> databases = {db};
  if (absl::GetFlag(FLAGS_ceilings)) {
    const std::string ceiling_db =
        OrFail(pg.CreateDatabase(), "CREATE DATABASE");
    databases.push_back(ceiling_db);
    CeilingResult ceiling;
    {
      auto store = OrFail(PostgresStore::Open(pg.ConnInfo(ceiling_db)),
                          "opening the ceiling's store");
      ceiling = StoreCeiling(*store, w, enrolled, index,
                             absl::GetFlag(FLAGS_commit_runs));
    }
    CheckCounts(
        OrFail(pg.Query(ceiling_db, CountSql(w.runs_per_probe)), "counting"), w,
        "PostgresStore ceiling");
    PrintCeiling("ceiling: PostgresStore", w, ceiling, r.rate);
    std::fflush(stdout);
    r.ceilings = {static_cast<double>(w.total_results()) / ceiling.seconds};
  }
  for (const std::string& d : databases) {
    OrFail(pg.Query("postgres", absl::StrCat("DROP DATABASE ", d)),
           "DROP DATABASE");
  }
  return r;
}

Figure RunPostgres(const std::string& work, const Workload& w,
                   const std::string& data_dir,
                   const enrich::AttributionIndex* index, int cpus,
                   int rounds) {
  Figure f;
  f.name = "PostgreSQL";
  f.ceiling_names = {"PostgresStore::StoreBatches"};
  std::printf(
      "\n-- PostgreSQL 15: a private server (fsync on, synchronous_commit "
      "on), a fresh database each time\n");
  const std::string why =
      collector::store::postgres::testing::PostgresServer::WhyUnavailable();
  if (!why.empty()) {
    std::printf("  SKIPPED: %s\n", why.c_str());
    f.skip_reason = why;
    return f;
  }
  auto pg = OrFail(collector::store::postgres::testing::PostgresServer::Start(),
                   "starting PostgreSQL");
  std::printf(
      "   server: %s (%s), default configuration; the collector connects "
      "through its Unix socket\n"
      "   ceiling: the same runs, parsed and attributed as the collector "
      "does, in its arrival order: PostgresStore::StoreBatches in commits of "
      "up to %d runs\n",
      pg->dir().c_str(), DescribeFilesystem(pg->dir()).c_str(),
      absl::GetFlag(FLAGS_commit_runs));
  for (int i = 1; i <= rounds; ++i) {
    std::printf("  round %d\n", i);
    std::fflush(stdout);
    const std::string dir = absl::StrCat(work, "/postgres-", i);
    f.rounds.push_back(PostgresRound(*pg, dir, w, data_dir, index, cpus));
    if (!absl::GetFlag(FLAGS_keep)) std::filesystem::remove_all(dir);
  }
  return f;
}

// Prints the summary rows of one store; returns false if a target is missed.
bool PrintSummary(const Figure& f, double target, double target_ratio) {
  const std::string rate_name = f.name + ": ingest over gRPC, results/s";
  if (!f.skip_reason.empty()) {
    std::printf("%-42s SKIPPED: %s\n", rate_name.c_str(),
                f.skip_reason.c_str());
    return true;
  }
  std::vector<double> rates, ratios;
  std::string rate_rounds, ratio_rounds;
  for (const Round& r : f.rounds) {
    rates.push_back(r.rate);
    absl::StrAppend(&rate_rounds, rate_rounds.empty() ? "" : " ",
                    Thousands(r.rate));
    if (r.best_ceiling() > 0) {
      ratios.push_back(r.rate / r.best_ceiling());
      absl::StrAppend(&ratio_rounds, ratio_rounds.empty() ? "" : " ",
                      absl::StrFormat("%.2f", ratios.back()));
    }
  }
  const double rate = Median(rates);
  const bool rate_ok = rate >= target;
  std::printf("%-42s %-12s %-22s %.2fx target: %s (rounds: %s)\n",
              rate_name.c_str(), Thousands(rate).c_str(),
              (">= " + Thousands(target)).c_str(), rate / target,
              rate_ok ? "PASS" : "MISS", rate_rounds.c_str());
  if (ratios.empty()) {
    std::printf("  %-40s not measured (--ceilings=false)\n", "ceiling");
    return rate_ok;
  }
  for (size_t i = 0; i < f.ceiling_names.size(); ++i) {
    std::vector<double> v;
    for (const Round& r : f.rounds) v.push_back(r.ceilings[i]);
    std::printf("  %-40s %-12s %-22s collector %.2fx\n",
                ("ceiling: " + f.ceiling_names[i]).c_str(),
                Thousands(Median(v)).c_str(), "", rate / Median(v));
  }
  const double ratio = Median(ratios);
  const bool ratio_ok = ratio >= target_ratio;
  std::printf("  %-40s %-12s %-22s %s (rounds: %s)\n",
              "collector / best ceiling of its round",
              absl::StrFormat("%.2f", ratio).c_str(),
              absl::StrFormat(">= %.2f", target_ratio).c_str(),
              ratio_ok ? "PASS" : "MISS", ratio_rounds.c_str());
  return rate_ok && ratio_ok;
}

int Main(int argc, char** argv) {
  cli::ParseFlagsOrExit(argc, argv, kUsage);
  const std::string collector_bin = absl::GetFlag(FLAGS_collector);
  if (collector_bin.empty() || access(collector_bin.c_str(), X_OK) != 0) {
    cli::Die("--collector must name the v6scope-collector binary");
  }
  const int probes = absl::GetFlag(FLAGS_probes);
  const int runs = absl::GetFlag(FLAGS_runs_per_probe);
  const int batch = absl::GetFlag(FLAGS_batch_runs);
  const int tests = absl::GetFlag(FLAGS_tests_per_run);
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
  std::vector<std::string> stores =
      absl::StrSplit(absl::GetFlag(FLAGS_stores), ',', absl::SkipEmpty());
  for (const std::string& s : stores) {
    if (s != "sqlite" && s != "postgres") {
      cli::Die(absl::StrCat("unknown store '", s, "'"));
    }
  }
  // Two descriptors per connection (both ends are on this machine, but
  // only the client end is in this process) plus the stores'.
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
  const int cpus = static_cast<int>(std::thread::hardware_concurrency());

  std::shared_ptr<const enrich::AttributionIndex> index;
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (!data_dir.empty()) {
    enrich::AttributionSources sources;
    sources.pfx2as_files = {data_dir + "/prefix2as/RouteViewIPv4.pfx2as.gz",
                            data_dir + "/prefix2as/RouteViewIPv6.pfx2as.gz"};
    sources.rir_files = CollectorProcess::RirFiles(data_dir);
    sources.as_names_file = data_dir + "/asnames/asn.txt";
    index = OrFail(enrich::AttributionIndex::Load(sources),
                   "loading attribution data");
  }

  const absl::Time b0 = absl::Now();
  Workload w = BuildWorkload(probes, runs, batch, tests);
  std::printf(
      "== ingest_bench: %d probes x %d runs (%d test results each) in "
      "batches of %d = %s runs, %s test results\n",
      probes, runs, tests, batch,
      Thousands(static_cast<double>(w.total_runs())).c_str(),
      Thousands(static_cast<double>(w.total_results())).c_str());
  std::printf(
      "   %s bytes of requests (%.0f bytes per run on the wire), built in "
      "%.1f s; %s\n",
      Thousands(static_cast<double>(w.bytes)).c_str(),
      static_cast<double>(w.bytes) / static_cast<double>(w.total_runs()),
      absl::ToDoubleSeconds(absl::Now() - b0),
      index ? absl::StrCat("attribution: on (", index->version().substr(0, 48),
                           "...)")
                  .c_str()
            : "attribution: none (runs stored unattributed)");
  std::printf("   %d CPUs, load average %s; scratch %s (%s); connections: %s\n",
              cpus, LoadAverage().c_str(), work.c_str(),
              DescribeFilesystem(work).c_str(),
              absl::GetFlag(FLAGS_connections) > 0
                  ? absl::StrCat(absl::GetFlag(FLAGS_connections)).c_str()
                  : "one per probe");
  {
    const StageCosts c = MeasureStages(w, index.get());
    std::printf(
        "   the collector's work per run besides gRPC and the store (one "
        "thread, us/run): parse %.1f, validate %.1f, attribute %.1f, "
        "serialize for storage %.1f; total %.1f\n",
        c.parse_us, c.validate_us, c.enrich_us, c.prepare_us,
        c.parse_us + c.validate_us + c.enrich_us + c.prepare_us);
  }
  std::fflush(stdout);

  {
    std::ifstream f("/proc/loadavg");
    double load = 0;
    if (f >> load && load > cpus / 2.0) {
      std::printf(
          "   warning: load average %.2f on %d CPUs: other processes compete "
          "with the collector, and figures vary between rounds\n",
          load, cpus);
    }
  }
  std::vector<Figure> figures;
  const int rounds = absl::GetFlag(FLAGS_rounds);
  for (const std::string& s : stores) {
    if (s == "sqlite") {
      figures.push_back(
          RunSqlite(work, w, data_dir, index.get(), cpus, rounds));
    } else {
      figures.push_back(
          RunPostgres(work, w, data_dir, index.get(), cpus, rounds));
    }
  }
  if (!absl::GetFlag(FLAGS_keep)) std::filesystem::remove_all(work);

  std::printf(
      "\n== Summary (medians of %d round%s; %d CPUs, load average %s, %s)\n",
      rounds, rounds == 1 ? "" : "s", cpus, LoadAverage().c_str(),
      absl::FormatTime("%Y-%m-%dT%H:%MZ", absl::Now(), absl::UTCTimeZone())
          .c_str());
  std::printf("%-42s %-12s %-22s %s\n", "figure", "value", "target",
              "ratio / verdict");
  bool missed = false;
  for (const Figure& f : figures) {
    if (!PrintSummary(f, absl::GetFlag(FLAGS_target_results_per_second),
                      absl::GetFlag(FLAGS_target_ratio))) {
      missed = true;
    }
  }
  return missed ? kExitMissed : 0;
}

}  // namespace
}  // namespace v6scope::bench

int main(int argc, char** argv) { return v6scope::bench::Main(argc, argv); }
