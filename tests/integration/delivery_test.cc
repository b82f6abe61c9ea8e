// "Never lose a result", end to end with the real binaries on loopback:
// the probe's spool and uploads against collectors that are killed,
// restarted and absent; probes killed while writing; quota drops counted
// at the collector; a corrupted spool segment; failover between two
// collectors. The verdicts come from the collector's store (SQLite, read
// through SqliteStore): which (probe, seq) it holds, and how many drops it
// counted.
//
// Each scenario runs once, the first time one of its checks asks for its
// record; each check is its own test case, so a report names what broke.

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/integration/testing/event_log.h"
#include "tests/integration/testing/subprocess.h"
#include "tests/integration/testing/v6scope_processes.h"

namespace v6scope::tests::integration {
namespace {

using testing::CollectorProcess;
using ::testing::Contains;
using ::testing::ElementsAreArray;
using testing::EventLog;
using ::testing::IsSupersetOf;
using testing::LogFields;
using testing::Subprocess;

// Deadlines for things that take well under a second on an idle machine:
// generous, because the build machine is shared. Nothing waits for them
// unless something is broken.
constexpr absl::Duration kWait = absl::Seconds(60);
constexpr absl::Duration kDrainWait = absl::Seconds(120);

// A fresh directory under the test's temporary directory.
std::string NewWorkDir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string dir =
      absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/", name, ".XXXXXX");
  return mkdtemp(dir.data()) != nullptr ? dir : "";
}

// Fast runs and fast retries: the schedule and back-off are what is
// tested, in milliseconds rather than hours. Measures the collector's
// built-in HTTP targets on `targets_port`.
std::vector<std::string> DaemonFlags(int targets_port,
                                     const std::string& interval,
                                     std::vector<std::string> more = {}) {
  std::vector<std::string> flags = {
      absl::StrCat("--loopback_targets=", targets_port),
      "--interval=" + interval,
      "--spread=0",
      "--retry_base=100ms",
      "--retry_max=400ms",
      "--metrics_listen=127.0.0.1:0"};
  flags.insert(flags.end(), more.begin(), more.end());
  return flags;
}

// Runs a probe daemon to its end (it must have --max_runs).
absl::Status RunDaemon(const std::string& state_dir,
                       const std::vector<std::string>& flags,
                       const std::string& log) {
  absl::StatusOr<Subprocess> daemon =
      testing::StartProbeDaemon(state_dir, flags, log);
  if (!daemon.ok()) return daemon.status();
  absl::StatusOr<int> code = daemon->Wait(kDrainWait);
  if (!code.ok()) return code.status();
  if (*code != 0) {
    return absl::InternalError(absl::StrCat("probe daemon exited ", *code,
                                            ":\n", EventLog(log).Tail()));
  }
  return absl::OkStatus();
}

// A field of a log event as a number (-1 if absent or not a number).
int64_t Number(const LogFields& fields, const std::string& key) {
  auto it = fields.find(key);
  int64_t n = -1;
  if (it == fields.end() || !absl::SimpleAtoi(it->second, &n)) return -1;
  return n;
}

std::vector<uint64_t> OneTo(uint64_t n) {
  std::vector<uint64_t> seqs;
  for (uint64_t i = 1; i <= n; ++i) seqs.push_back(i);
  return seqs;
}

#define DELIVERY_RETURN_IF_ERROR(expr)   \
  do {                                   \
    const absl::Status status_ = (expr); \
    if (!status_.ok()) return status_;   \
  } while (false)

// --- 1. Collector down for many runs: the spool grows, then drains ---------

struct CollectorDownRecord {
  std::string probe_id;
  bool spooled_all = false;  // run.spooled seq=15 pending=15.
  bool retried = false;      // drain.retry_later logged.
  absl::StatusOr<double> pending_gauge = absl::UnknownError("not scraped");
  absl::StatusOr<double> upload_failures = absl::UnknownError("not scraped");
  absl::StatusOr<double> refused_v6 = absl::UnknownError("not scraped");
  absl::StatusOr<int> exit_code = absl::UnknownError("not run");
  std::vector<uint64_t> stored;
  bool spool_empty = false;  // daemon.stopped runs=15 pending=0.
};

// The probe's /metrics while the collector is down.
void ScrapeProbe(const EventLog& log, CollectorDownRecord& r) {
  if (!log.WaitFor("metrics.listening", {}, kWait)) return;
  const int port = Number(log.Events("metrics.listening")[0], "port");
  auto scrape = [&](const std::string& series) {
    return testing::ScrapeMetric("127.0.0.1", port, series);
  };
  r.pending_gauge = scrape("v6scope_probe_spool_pending_runs");
  r.upload_failures = scrape("v6scope_probe_upload_failures_total");
  r.refused_v6 = scrape(
      "v6scope_probe_tests_total{kind=\"HTTP_V6_ONLY\","
      "outcome=\"CONNECTION_REFUSED\"}");
}

absl::Status RunCollectorDown(CollectorDownRecord& r) {
  const std::string work = NewWorkDir("collector_down");
  auto a = CollectorProcess::Start(work, "A", work + "/a");
  if (!a.ok()) return a.status();
  auto id = testing::EnrolProbe(*a, work + "/p1", work + "/enrol.log");
  if (!id.ok()) return id.status();
  r.probe_id = *id;
  const int port = a->grpc_port();
  a->Kill();
  auto daemon = testing::StartProbeDaemon(
      work + "/p1",
      DaemonFlags(a->http_port(), "100ms",
                  {"--max_runs=15", "--final_drain=60s"}),
      work + "/p1.log");
  if (!daemon.ok()) return daemon.status();
  const EventLog log(work + "/p1.log");
  r.spooled_all =
      log.WaitFor("run.spooled", {{"seq", "15"}, {"pending", "15"}}, kWait);
  r.retried = log.Has("drain.retry_later");
  ScrapeProbe(log, r);
  a = CollectorProcess::Start(work, "A", work + "/a", port);
  if (!a.ok()) return a.status();
  r.exit_code = daemon->Wait(kDrainWait);
  auto stored = testing::StoredSeqs(work + "/a", r.probe_id);
  if (!stored.ok()) return stored.status();
  r.stored = *stored;
  r.spool_empty = log.Has("daemon.stopped", {{"runs", "15"}, {"pending", "0"}});
  return absl::OkStatus();
}

template <typename Record>
struct Outcome {
  absl::Status status;  // Of running the scenario itself.
  Record record;
};

template <typename Record>
Outcome<Record>* PlayScenario(absl::Status (*scenario)(Record&)) {
  auto* outcome = new Outcome<Record>;
  outcome->status = scenario(outcome->record);
  return outcome;
}

// The scenario's record, run on first use; a test of a scenario that
// could not be played out fails in SetUp with the reason.
template <typename Record, absl::Status (*kScenario)(Record&)>
class ScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Get().status.ok()) << Get().status; }
  static const Record& r() { return Get().record; }

 private:
  static const Outcome<Record>& Get() {
    static const Outcome<Record>* const outcome = PlayScenario(kScenario);
    return *outcome;
  }
};

using CollectorDownForManyRuns =
    ScenarioTest<CollectorDownRecord, RunCollectorDown>;

TEST_F(CollectorDownForManyRuns, ProbeEnrolled) {
  EXPECT_THAT(r().probe_id, ::testing::StartsWith("p-"));
}
TEST_F(CollectorDownForManyRuns, RunsSpoolWhileCollectorIsDown) {
  EXPECT_TRUE(r().spooled_all) << "no run.spooled seq=15 pending=15";
}
TEST_F(CollectorDownForManyRuns, UploadsAreRetriedWithBackoff) {
  EXPECT_TRUE(r().retried) << "no drain.retry_later";
}
TEST_F(CollectorDownForManyRuns, ProbeMetricsShowSpoolBacklog) {
  ASSERT_TRUE(r().pending_gauge.ok()) << r().pending_gauge.status();
  EXPECT_GE(*r().pending_gauge, 1);
}
TEST_F(CollectorDownForManyRuns, ProbeMetricsCountFailedUploads) {
  ASSERT_TRUE(r().upload_failures.ok()) << r().upload_failures.status();
  EXPECT_GE(*r().upload_failures, 1);
}
TEST_F(CollectorDownForManyRuns, ProbeMetricsCountFailuresByClass) {
  ASSERT_TRUE(r().refused_v6.ok()) << r().refused_v6.status();
  EXPECT_GE(*r().refused_v6, 1);
}
TEST_F(CollectorDownForManyRuns, DaemonDrainsAndExitsZeroOnceCollectorIsBack) {
  ASSERT_TRUE(r().exit_code.ok()) << r().exit_code.status();
  EXPECT_EQ(*r().exit_code, 0);
}
TEST_F(CollectorDownForManyRuns, AllRunsStoredExactlyOnce) {
  EXPECT_THAT(r().stored, ElementsAreArray(OneTo(15)));
}
TEST_F(CollectorDownForManyRuns, SpoolIsEmptyAfterwards) {
  EXPECT_TRUE(r().spool_empty) << "no daemon.stopped runs=15 pending=0";
}

// --- 2. Collector SIGKILLed mid-stream and restarted: exactly once ----------

struct CollectorKilledRecord {
  absl::StatusOr<int> exit_code = absl::UnknownError("not run");
  std::vector<uint64_t> stored;
};

absl::Status RunCollectorKilled(CollectorKilledRecord& r) {
  const std::string work = NewWorkDir("collector_killed");
  auto a = CollectorProcess::Start(work, "A", work + "/a");
  if (!a.ok()) return a.status();
  auto id = testing::EnrolProbe(*a, work + "/p2", work + "/enrol.log");
  if (!id.ok()) return id.status();
  auto daemon = testing::StartProbeDaemon(
      work + "/p2",
      DaemonFlags(a->http_port(), "20ms",
                  {"--max_runs=60", "--final_drain=60s"}),
      work + "/p2.log");
  if (!daemon.ok()) return daemon.status();
  const EventLog log(work + "/p2.log");
  const int port = a->grpc_port();
  for (int round = 1; round <= 3; ++round) {
    const std::string seq = absl::StrCat(round * 15);
    if (!log.WaitFor("run.spooled", {{"seq", seq}}, kWait)) {
      return absl::DeadlineExceededError("the probe never spooled run " + seq);
    }
    a->Kill();
    a = CollectorProcess::Start(work, "A", work + "/a", port);
    if (!a.ok()) return a.status();
  }
  r.exit_code = daemon->Wait(kDrainWait);
  auto stored = testing::StoredSeqs(work + "/a", *id);
  if (!stored.ok()) return stored.status();
  r.stored = *stored;
  return absl::OkStatus();
}

using CollectorKilledMidStream =
    ScenarioTest<CollectorKilledRecord, RunCollectorKilled>;

TEST_F(CollectorKilledMidStream, DaemonSurvivesThreeKillsAndExitsZero) {
  ASSERT_TRUE(r().exit_code.ok()) << r().exit_code.status();
  EXPECT_EQ(*r().exit_code, 0);
}
TEST_F(CollectorKilledMidStream, AllRunsStoredExactlyOnce) {
  EXPECT_THAT(r().stored, ElementsAreArray(OneTo(60)));
}

// --- 3. Probe SIGKILLed while spooling, restarted: nothing taken is lost ----

struct ProbeKilledRecord {
  std::set<uint64_t> taken;  // Every seq a run.spooled line reported.
  std::vector<uint64_t> stored;
};

absl::Status RunProbeKilled(ProbeKilledRecord& r) {
  const std::string work = NewWorkDir("probe_killed");
  auto a = CollectorProcess::Start(work, "A", work + "/a");
  if (!a.ok()) return a.status();
  auto id = testing::EnrolProbe(*a, work + "/p3", work + "/enrol.log");
  if (!id.ok()) return id.status();
  const int port = a->grpc_port(), targets = a->http_port();
  a->Kill();  // Keep the runs in the spool.
  const EventLog log(work + "/p3.log");
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto daemon = testing::StartProbeDaemon(
        work + "/p3", DaemonFlags(targets, "10ms"), log.path());
    if (!daemon.ok()) return daemon.status();
    const std::string seq = absl::StrCat(attempt * 10);
    if (!log.WaitFor("run.spooled", {{"seq", seq}}, kWait)) {
      return absl::DeadlineExceededError("the probe never spooled run " + seq);
    }
    daemon->Kill();
  }
  a = CollectorProcess::Start(work, "A", work + "/a", port);
  if (!a.ok()) return a.status();
  DELIVERY_RETURN_IF_ERROR(RunDaemon(
      work + "/p3",
      DaemonFlags(targets, "100ms", {"--max_runs=1", "--final_drain=60s"}),
      log.path()));
  for (const LogFields& f : log.Events("run.spooled")) {
    r.taken.insert(Number(f, "seq"));
  }
  auto stored = testing::StoredSeqs(work + "/a", *id);
  if (!stored.ok()) return stored.status();
  r.stored = *stored;
  return absl::OkStatus();
}

using ProbeKilledWhileSpooling =
    ScenarioTest<ProbeKilledRecord, RunProbeKilled>;

TEST_F(ProbeKilledWhileSpooling, EveryRunTheKilledProbeTookIsStored) {
  EXPECT_THAT(r().stored, IsSupersetOf(r().taken));
}
TEST_F(ProbeKilledWhileSpooling, NoRunIsStoredTwice) {
  EXPECT_EQ(std::adjacent_find(r().stored.begin(), r().stored.end()),
            r().stored.end())
      << absl::StrJoin(r().stored, " ");
}
// Each kill may land between reserving a sequence number and spooling the
// run: that number is skipped (a gap, not a loss: the run was never taken).
TEST_F(ProbeKilledWhileSpooling, AtMostThreeSequenceNumbersSkipped) {
  EXPECT_GE(r().taken.size(), 28u) << "of 31, across 3 kills";
}

// --- 4. Quota: oldest dropped, the count reaches the collector --------------

struct QuotaRecord {
  int64_t dropped = -1;  // The probe's dropped_total after the first run.
  bool drop_logged_with_file = false;
  absl::StatusOr<uint64_t> stored_drops = absl::UnknownError("not read");
  absl::StatusOr<double> collector_metric = absl::UnknownError("not scraped");
  size_t kept = 0;
};

absl::Status RunQuota(QuotaRecord& r) {
  const std::string work = NewWorkDir("quota");
  auto a = CollectorProcess::Start(work, "A", work + "/a");
  if (!a.ok()) return a.status();
  auto id = testing::EnrolProbe(*a, work + "/p4", work + "/enrol.log");
  if (!id.ok()) return id.status();
  const int port = a->grpc_port(), targets = a->http_port();
  a->Kill();
  const EventLog log(work + "/p4.log");
  DELIVERY_RETURN_IF_ERROR(RunDaemon(
      work + "/p4",
      DaemonFlags(
          targets, "5ms",
          {"--spool_max_bytes=65536", "--max_runs=120", "--final_drain=0s"}),
      log.path()));
  const std::vector<LogFields> spooled = log.Events("run.spooled");
  if (!spooled.empty()) r.dropped = Number(spooled.back(), "dropped_total");
  for (const LogFields& f : log.Events("spool.quota_dropped")) {
    if (f.count("file") > 0 && !f.at("file").empty()) {
      r.drop_logged_with_file = true;
    }
  }
  a = CollectorProcess::Start(work, "A", work + "/a", port);
  if (!a.ok()) return a.status();
  DELIVERY_RETURN_IF_ERROR(RunDaemon(
      work + "/p4",
      DaemonFlags(targets, "100ms", {"--max_runs=1", "--final_drain=60s"}),
      log.path()));
  r.stored_drops = testing::StoredDroppedRuns(work + "/a", *id);
  r.collector_metric = testing::ScrapeMetric(
      "::1", a->http_port(), "v6scope_collector_probe_dropped_runs_total");
  auto stored = testing::StoredSeqs(work + "/a", *id);
  if (!stored.ok()) return stored.status();
  r.kept = stored->size();
  return absl::OkStatus();
}

using SpoolQuota = ScenarioTest<QuotaRecord, RunQuota>;

TEST_F(SpoolQuota, QuotaDroppedRuns) { EXPECT_GT(r().dropped, 0); }
TEST_F(SpoolQuota, DropsAreLoggedWithTheFile) {
  EXPECT_TRUE(r().drop_logged_with_file) << "no spool.quota_dropped file=...";
}
TEST_F(SpoolQuota, CollectorStoreCountsTheDrops) {
  ASSERT_TRUE(r().stored_drops.ok()) << r().stored_drops.status();
  EXPECT_EQ(static_cast<int64_t>(*r().stored_drops), r().dropped);
}
TEST_F(SpoolQuota, CollectorMetricsShowTheDrops) {
  ASSERT_TRUE(r().collector_metric.ok()) << r().collector_metric.status();
  EXPECT_EQ(*r().collector_metric, r().dropped);
}
TEST_F(SpoolQuota, KeptPlusDroppedIsAllRuns) {
  EXPECT_EQ(static_cast<int64_t>(r().kept) + r().dropped, 121);
}

// --- 5. A corrupted spool segment: skipped with file and offset -------------

struct CorruptRecord {
  std::string segment;             // File name of the damaged segment.
  std::vector<LogFields> skipped;  // spool.corrupt_skipped events.
  std::vector<uint64_t> stored;
};

// The first spool segment by name (the oldest).
std::string FirstSegment(const std::string& spool_dir) {
  std::vector<std::string> segments;
  std::error_code error;
  for (const auto& e : std::filesystem::directory_iterator(spool_dir, error)) {
    if (e.path().extension() == ".seg") segments.push_back(e.path());
  }
  std::sort(segments.begin(), segments.end());
  return segments.empty() ? "" : segments.front();
}

// Overwrites 64 bytes in the middle of `path` (fixed seed: the same damage
// every run).
absl::Status Damage(const std::string& path) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  if (!file) return absl::NotFoundError("cannot open " + path);
  file.seekg(0, std::ios::end);
  const std::streamoff size = file.tellg();
  std::mt19937 random(13);
  std::string noise(64, '\0');
  for (char& c : noise) c = static_cast<char>(random() & 0xff);
  file.seekp(size / 2);
  file.write(noise.data(), noise.size());
  return file ? absl::OkStatus() : absl::DataLossError("write " + path);
}

absl::Status RunCorrupt(CorruptRecord& r) {
  const std::string work = NewWorkDir("corrupt");
  auto a = CollectorProcess::Start(work, "A", work + "/a");
  if (!a.ok()) return a.status();
  auto id = testing::EnrolProbe(*a, work + "/p5", work + "/enrol.log");
  if (!id.ok()) return id.status();
  const int port = a->grpc_port(), targets = a->http_port();
  a->Kill();
  const EventLog log(work + "/p5.log");
  DELIVERY_RETURN_IF_ERROR(RunDaemon(
      work + "/p5",
      DaemonFlags(targets, "5ms", {"--max_runs=20", "--final_drain=0s"}),
      log.path()));
  const std::string segment = FirstSegment(work + "/p5/spool");
  if (segment.empty()) return absl::NotFoundError("no spool segment");
  r.segment = std::filesystem::path(segment).filename();
  DELIVERY_RETURN_IF_ERROR(Damage(segment));
  a = CollectorProcess::Start(work, "A", work + "/a", port);
  if (!a.ok()) return a.status();
  DELIVERY_RETURN_IF_ERROR(RunDaemon(
      work + "/p5",
      DaemonFlags(targets, "100ms", {"--max_runs=1", "--final_drain=60s"}),
      log.path()));
  r.skipped = log.Events("spool.corrupt_skipped");
  auto stored = testing::StoredSeqs(work + "/a", *id);
  if (!stored.ok()) return stored.status();
  r.stored = *stored;
  return absl::OkStatus();
}

using CorruptSpoolSegment = ScenarioTest<CorruptRecord, RunCorrupt>;

TEST_F(CorruptSpoolSegment, CorruptionLoggedWithTheSegmentFile) {
  ASSERT_FALSE(r().skipped.empty()) << "no spool.corrupt_skipped";
  EXPECT_THAT(r().skipped.front().at("file"),
              ::testing::HasSubstr(r().segment));
}
TEST_F(CorruptSpoolSegment, CorruptionLoggedWithTheByteOffset) {
  ASSERT_FALSE(r().skipped.empty()) << "no spool.corrupt_skipped";
  EXPECT_GE(Number(r().skipped.front(), "offset"), 0);
}
// 20 runs spooled plus one after the repair; the damage costs one or two.
TEST_F(CorruptSpoolSegment, IntactRecordsDelivered) {
  EXPECT_GE(r().stored.size(), 18u);
  EXPECT_LE(r().stored.size(), 20u);
}
TEST_F(CorruptSpoolSegment, RunTakenAfterTheCorruptionDelivered) {
  EXPECT_THAT(r().stored, Contains(21u));
}

// --- 6. Failover: the first collector down, results reach the second -------

struct FailoverRecord {
  std::string second;  // The second collector's address.
  std::vector<uint64_t> stored;
  std::vector<LogFields> uploads;  // upload.done events.
};

// Two collector processes on one SQLite database (WAL allows it on one
// host), as two collectors share PostgreSQL in a deployment.
absl::Status RunFailover(FailoverRecord& r) {
  const std::string work = NewWorkDir("failover");
  auto a = CollectorProcess::Start(work, "A", work + "/a");
  if (!a.ok()) return a.status();
  auto b = CollectorProcess::Start(work, "B", work + "/a");
  if (!b.ok()) return b.status();
  auto id = testing::EnrolProbe(*a, work + "/p6", work + "/enrol.log");
  if (!id.ok()) return id.status();
  const std::string first = a->grpc_address();
  r.second = b->grpc_address();
  a->Kill();
  const EventLog log(work + "/p6.log");
  DELIVERY_RETURN_IF_ERROR(
      RunDaemon(work + "/p6",
                DaemonFlags(a->http_port(), "100ms",
                            {"--collector=" + first + "," + r.second,
                             "--max_runs=3", "--final_drain=30s"}),
                log.path()));
  r.uploads = log.Events("upload.done");
  auto stored = testing::StoredSeqs(work + "/a", *id);
  if (!stored.ok()) return stored.status();
  r.stored = *stored;
  return absl::OkStatus();
}

using Failover = ScenarioTest<FailoverRecord, RunFailover>;

TEST_F(Failover, AllRunsReachTheSecondCollector) {
  EXPECT_THAT(r().stored, ElementsAreArray(OneTo(3)));
}
TEST_F(Failover, UploadLogNamesTheSecondCollector) {
  ASSERT_FALSE(r().uploads.empty()) << "no upload.done";
  for (const LogFields& f : r().uploads) {
    EXPECT_EQ(f.at("collector"), r().second);
  }
}

}  // namespace
}  // namespace v6scope::tests::integration
