// aggregates_bench: latency of the researchers' aggregate queries on a store
// holding >= 10 million test results, next to the same answer computed by a
// plain SQL query over the raw runs table, in the same run and database.
//
//   1. Fill: a fresh SQLite store (on disk, under --dir) is filled with the
//      synthetic fleet (collector/testing/synthetic_fleet.h: 12 test results
//      per run) through Store::StoreBatches, so the rollups are maintained
//      exactly as at ingest. Runs and test results are counted from the
//      stored data (every run blob parsed), not assumed. The binary then
//      re-executes itself on the filled database, so that the queries run
//      in a fresh process as in a collector started on it (the fill's
//      heap state made the rollup path look 3x faster).
//   2. Rollup path: AggregateQueries::Aggregates (what the gRPC
//      QueryService and the HTTP API call) with a fixed clock inside the
//      data, group_by COUNTRY and ASN, one --window; --repetitions timed
//      calls each: p50, p99. ListProbeWindows alone is timed too, to show
//      where the time goes.
//   3. Plain path: one SQL statement per group_by on a separate connection
//      to the same file: each probe's latest run in the window (ROW_NUMBER
//      over probe_id ordered by run time, seq; the run time is
//      coalesce(started_at, received_at), as RunTime() defines it), then
//      GROUP BY country / ASN with the verdict counts. Timed with no added
//      index (table scan) and with the indexes a DBA would add for it, and
//      as a GROUP BY probe_id with max(run time) (SQLite's bare columns)
//      over a covering index; the fastest variant is the baseline of the
//      speed-up (wall and thread CPU time both printed).
//   4. Agreement: per group, probes, runs, measured, capable, preferred and
//      broken counts (and "insufficient data" below k) must be equal in
//      both answers, for every variant.
//   5. Optionally: the same two queries once with the database evicted
//      from the page cache (fresh connections), and RebuildRollups on the
//      big database, timed, with a comparison of every rollup row before
//      and after (what `v6scope-collector rebuild-rollups` checks).
// Prints a readable report, a summary with PASS/MISS per target, then one
// "RESULT ..." line. Exit status: 0 all targets met, 1 a target missed, 2
// bad usage, 3 the benchmark failed (the answers disagree, too few results,
// a store error).
//
//   bazel build -c opt //bench/aggregates:aggregates_bench
//   aggregates_bench --dir=/var/tmp/agg-bench --keep   # keep, reuse later
#include <fcntl.h>
#include <ftw.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
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
#include "absl/time/time.h"
#include "collector/aggregate/aggregator.h"
#include "collector/aggregate/rollup.h"
#include "collector/aggregate/window.h"
#include "collector/query/aggregate_queries.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "collector/store/store.h"
#include "collector/testing/synthetic_fleet.h"
#include "common/cli/flags.h"
#include "common/fs/files.h"
#include "common/log/log.h"
#include "common/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "proto/query_service.pb.h"
#include "proto/results.pb.h"

ABSL_FLAG(std::string, dir, "",
          "scratch directory on the disk to measure (default: $TMPDIR or "
          "/var/tmp, plus a per-process name); removed afterwards unless "
          "--keep");
ABSL_FLAG(bool, keep, false,
          "keep the database (DIR/v6scope.db); a later run with the same "
          "--dir reuses it instead of filling again");
ABSL_FLAG(int, probes, 1200, "synthetic probes");
ABSL_FLAG(int, days, 30, "days of runs per probe");
ABSL_FLAG(int, runs_per_day, 24, "runs per probe per day");
ABSL_FLAG(std::string, end, "2026-11-01T00:00:00Z",
          "end (exclusive) of the synthetic data, RFC 3339; the default "
          "with 30 days puts every run in October 2026");
ABSL_FLAG(std::string, window, "month",
          "window of the queries: day, week, "
          "month");
ABSL_FLAG(std::string, at, "",
          "the fixed clock, RFC 3339 (default: 12 h before --end)");
ABSL_FLAG(int, repetitions, 200, "timed rollup-path queries per group_by");
ABSL_FLAG(int, plain_repetitions, 5,
          "timed plain queries per variant and "
          "group_by");
ABSL_FLAG(std::string, plain_variants,
          "scan,time,covering,probe_covering,groupby_max",
          "plain-SQL variants to time, comma-separated: scan, time, covering, "
          "probe_covering, groupby_max (docs/benchmarks.md)");
ABSL_FLAG(bool, cold, true,
          "also time one query of each path with the database evicted from "
          "the page cache, on fresh connections");
ABSL_FLAG(bool, rebuild, true,
          "also time RebuildRollups and compare every rollup row before and "
          "after");
ABSL_FLAG(bool, same_process, false,
          "measure the queries in the process that filled the database "
          "(default: re-execute, so they run in a fresh process)");
ABSL_FLAG(std::string, fill_report, "",
          "internal: the fill's figures, passed to the re-executed process");
ABSL_FLAG(int64_t, min_results, 10'000'000,
          "fail unless at least this many test results are stored");
ABSL_FLAG(double, target_p50_ms, 20, "target: rollup-path p50, ms");
ABSL_FLAG(double, target_speedup, 50,
          "target: plain-query p50 / rollup-path p50, at least");

namespace v6scope::bench::aggregates {
namespace {

using collector::aggregate::ProbeWindow;
using collector::aggregate::WindowKind;
using collector::query::AggregateQueries;
using collector::store::ProbeWindowQuery;
using collector::store::Store;
using collector::store::sqlite::SqliteStore;
using ::google::protobuf::util::TimeUtil;

constexpr char kUsage[] =
    "aggregates_bench: aggregate-query latency from the rollups vs a plain "
    "SQL GROUP BY over the raw runs, on >= 10 million stored test results.\n"
    "usage: aggregates_bench [--dir=DIR] [--keep] [--probes=1200] "
    "[--days=30] [--runs_per_day=24] [--window=month]";

constexpr char kDatabaseFile[] = "v6scope.db";  // As the collector names it.

// Exit codes.
constexpr int kMissed = 1;
constexpr int kFailed = 3;

// The scratch directory, removed by Fail() unless --keep.
std::string* scratch_dir = nullptr;

void RemoveTree(const std::string& dir);

[[noreturn]] void Fail(const std::string& why) {
  std::cout.flush();
  if (scratch_dir != nullptr && !absl::GetFlag(FLAGS_keep)) {
    RemoveTree(*scratch_dir);
  }
  std::cerr << "aggregates_bench: FAILED: " << why << "\n";
  std::exit(kFailed);
}

double NowMs() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// CPU time of the calling thread: SQLite and the aggregation run on it, so
// this is each query's own cost, steadier than wall time on a shared host.
double CpuMs() {
  struct timespec ts;
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

struct Stats {
  size_t n = 0;
  double p50 = 0, p99 = 0, min = 0, max = 0, mean = 0;
};

// Nearest-rank percentiles.
Stats Summarize(std::vector<double> ms) {
  Stats s;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  auto rank = [&](double p) {
    size_t r = static_cast<size_t>(std::ceil(p * ms.size()));
    return ms[std::clamp<size_t>(r, 1, ms.size()) - 1];
  };
  s.n = ms.size();
  s.p50 = rank(0.50);
  s.p99 = rank(0.99);
  s.min = ms.front();
  s.max = ms.back();
  double sum = 0;
  for (double v : ms) sum += v;
  s.mean = sum / ms.size();
  return s;
}

void RemoveTree(const std::string& dir) {
  ::nftw(
      dir.c_str(),
      [](const char* path, const struct stat*, int, struct FTW*) {
        return ::remove(path);
      },
      16, FTW_DEPTH | FTW_PHYS);
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<uint64_t>(st.st_size) : 0;
}

// Drops a file from the page cache (it is clean once synced).
void Evict(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fdatasync(fd);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

// --- a Store that forwards to another, timing StoreBatches --------------

// Lets the fill report progress and split its time between generating the
// synthetic runs and storing them, without changing what StoreAll does.
class TimedStore : public Store {
 public:
  TimedStore(Store* inner, uint64_t expected_runs)
      : inner_(inner), expected_runs_(expected_runs) {}

  double store_ms() const { return store_ms_; }
  uint64_t calls() const { return calls_; }

  absl::StatusOr<std::vector<collector::store::BatchOutcome>> StoreBatches(
      const std::vector<collector::store::RunBatch>& batches) override {
    const double start = NowMs();
    auto out = inner_->StoreBatches(batches);
    store_ms_ += NowMs() - start;
    ++calls_;
    for (const auto& b : batches) runs_ += b.runs.size();
    if (runs_ >= next_report_) {
      std::cerr << absl::StrFormat(
          "  fill: %d of %d runs (%.0f%%), %.0f s\n", runs_, expected_runs_,
          100.0 * runs_ / expected_runs_, (NowMs() - began_) / 1000);
      next_report_ += expected_runs_ / 10;
    }
    return out;
  }

  absl::Status AddEnrolmentToken(
      const collector::store::EnrolmentTokenRecord& t) override {
    return inner_->AddEnrolmentToken(t);
  }
  absl::StatusOr<collector::store::ProbeRecord> ConsumeEnrolmentToken(
      const std::string& h, absl::Time now,
      collector::store::ProbeRecord p) override {
    return inner_->ConsumeEnrolmentToken(h, now, std::move(p));
  }
  absl::StatusOr<collector::store::ProbeRecord> GetProbe(
      const std::string& id) override {
    return inner_->GetProbe(id);
  }
  absl::Status RevokeProbe(const std::string& id) override {
    return inner_->RevokeProbe(id);
  }
  absl::StatusOr<uint64_t> LastStoredSeq(const std::string& id) override {
    return inner_->LastStoredSeq(id);
  }
  absl::StatusOr<uint64_t> DroppedRuns(const std::string& id) override {
    return inner_->DroppedRuns(id);
  }
  absl::StatusOr<collector::store::RunPage> ListRuns(
      const collector::store::RunFilter& f, uint32_t n,
      const std::string& token) override {
    return inner_->ListRuns(f, n, token);
  }
  absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>> ListProbes() override {
    return inner_->ListProbes();
  }
  absl::StatusOr<std::vector<ProbeWindow>> ListProbeWindows(
      const ProbeWindowQuery& q) override {
    return inner_->ListProbeWindows(q);
  }
  absl::StatusOr<collector::store::RebuildReport> RebuildRollups() override {
    return inner_->RebuildRollups();
  }
  absl::StatusOr<collector::store::ExportPage> ExportRuns(
      const collector::store::ExportFilter& f, int64_t after,
      uint32_t limit) override {
    return inner_->ExportRuns(f, after, limit);
  }

 private:
  Store* const inner_;
  const uint64_t expected_runs_;
  const double began_ = NowMs();
  double store_ms_ = 0;
  uint64_t calls_ = 0;
  uint64_t runs_ = 0;
  uint64_t next_report_ = 0;
};

// --- raw SQLite, for the plain path ---------------------------------------

class RawDb {
 public:
  RawDb(const std::string& path, bool writable) {
    const int flags = writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      Fail(absl::StrCat("open ", path, ": ", sqlite3_errmsg(db_)));
    }
    sqlite3_busy_timeout(db_, 10000);
  }
  ~RawDb() { sqlite3_close(db_); }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void Exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) !=
        SQLITE_OK) {
      Fail(absl::StrCat(sql, ": ", message != nullptr ? message : "?"));
    }
  }

  // Runs `sql` with two int64 parameters (may be unused), calling `row`
  // for each result row.
  void Query(const std::string& sql, std::optional<int64_t> p1,
             std::optional<int64_t> p2,
             const std::function<void(sqlite3_stmt*)>& row) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      Fail(absl::StrCat("prepare ", sql, ": ", sqlite3_errmsg(db_)));
    }
    if (p1.has_value()) sqlite3_bind_int64(stmt, 1, *p1);
    if (p2.has_value()) sqlite3_bind_int64(stmt, 2, *p2);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
    if (rc != SQLITE_DONE) {
      Fail(absl::StrCat("step ", sql, ": ", sqlite3_errmsg(db_)));
    }
    sqlite3_finalize(stmt);
  }

  int64_t Scalar(const std::string& sql) {
    int64_t v = 0;
    Query(sql, std::nullopt, std::nullopt,
          [&](sqlite3_stmt* s) { v = sqlite3_column_int64(s, 0); });
    return v;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Bytes of the database's pages in use (a reused database keeps the pages
// of dropped indexes on its free list).
uint64_t UsedBytes(RawDb& db) {
  return static_cast<uint64_t>(db.Scalar("PRAGMA page_count") -
                               db.Scalar("PRAGMA freelist_count")) *
         static_cast<uint64_t>(db.Scalar("PRAGMA page_size"));
}

// --- the answers compared -------------------------------------------------

struct Counts {
  bool insufficient = false;  // Below k: no numbers published.
  uint64_t probes = 0, runs = 0, measured = 0, capable = 0, preferred = 0,
           broken = 0;
  bool operator==(const Counts& o) const {
    return insufficient == o.insufficient && probes == o.probes &&
           runs == o.runs && measured == o.measured && capable == o.capable &&
           preferred == o.preferred && broken == o.broken;
  }
  std::string ToString() const {
    if (insufficient) return "insufficient data";
    return absl::StrFormat(
        "probes %d runs %d measured %d capable %d preferred %d broken %d",
        probes, runs, measured, capable, preferred, broken);
  }
};
using Answer = std::map<std::string, Counts>;  // Group key -> counts.

struct Query {
  std::string label;  // "by-country"
  v6scope::v1::GroupBy group_by;
  std::string group_sql;  // The plain query's group expression.
};

const std::vector<Query>& Queries() {
  static const auto* const kQueries = new std::vector<Query>{
      {"by-country", v6scope::v1::COUNTRY,
       "CASE WHEN country = '' THEN 'unknown' ELSE country END"},
      {"by-ASN", v6scope::v1::ASN,
       "CASE WHEN asn = 0 THEN 'unknown' ELSE CAST(asn AS TEXT) END"},
  };
  return *kQueries;
}

v6scope::v1::WindowKind ToProto(WindowKind kind) {
  switch (kind) {
    case WindowKind::kWeek:
      return v6scope::v1::WEEK;
    case WindowKind::kMonth:
      return v6scope::v1::MONTH;
    default:
      return v6scope::v1::DAY;
  }
}

// The whole answer of the real query path (every page; there is one page
// unless there are more than 1000 groups).
std::vector<v6scope::v1::GroupAggregate> RollupQuery(
    const AggregateQueries& queries, v6scope::v1::GroupBy by,
    WindowKind window) {
  std::vector<v6scope::v1::GroupAggregate> groups;
  v6scope::v1::AggregatesRequest request;
  request.set_group_by(by);
  request.set_window(ToProto(window));
  request.set_page_size(1000);
  while (true) {
    absl::StatusOr<v6scope::v1::AggregatesResponse> response =
        queries.Aggregates(request);
    if (!response.ok()) Fail(response.status().ToString());
    for (auto& g : *response->mutable_groups()) groups.push_back(std::move(g));
    if (response->next_page_token().empty()) return groups;
    request.set_page_token(response->next_page_token());
  }
}

Answer FromRollups(const std::vector<v6scope::v1::GroupAggregate>& groups) {
  Answer answer;
  for (const auto& g : groups) {
    Counts c;
    c.insufficient = g.insufficient_data();
    if (!c.insufficient) {
      c.probes = g.probes();
      c.runs = g.runs();
      c.measured = g.measured_probes();
      c.capable = g.v6_capable().count();
      c.preferred = g.v6_preferred().count();
      c.broken = g.v6_broken().count();
      if (g.v6_capable().total() != g.measured_probes()) {
        Fail(absl::StrCat("group ", g.key(), ": v6_capable.total ",
                          g.v6_capable().total(), " != measured_probes ",
                          g.measured_probes()));
      }
    }
    if (!answer.emplace(g.key(), c).second) {
      Fail(absl::StrCat("group ", g.key(), " twice in one window's answer"));
    }
  }
  return answer;
}

struct PlainVariant {
  std::string name;
  std::string what;          // For the report.
  std::string index;         // Name of the added index; empty: none.
  std::string create_index;  // Empty: no index added.
  std::string index_clause;  // INDEXED BY ... / NOT INDEXED.
  // false: each probe's latest run by ROW_NUMBER() over a window; true: a
  // GROUP BY probe_id with max(run time), whose bare columns SQLite takes
  // from the row holding the max (exact unless two runs of one probe have
  // the same run time; the agreement check would show it).
  bool bare_max = false;
};

const std::vector<PlainVariant>& PlainVariants() {
  static const auto* const kVariants = new std::vector<PlainVariant>{
      {"scan", "no added index (table scan)", "", "", "NOT INDEXED"},
      {"time", "index on the run time", "bench_runs_time",
       "CREATE INDEX IF NOT EXISTS bench_runs_time ON runs "
       "(coalesce(started_at, received_at))",
       "INDEXED BY bench_runs_time"},
      {"covering", "covering index led by the run time",
       "bench_runs_time_covering",
       "CREATE INDEX IF NOT EXISTS bench_runs_time_covering ON runs "
       "(coalesce(started_at, received_at), probe_id, seq, started_at, "
       "received_at, capability, asn, country)",
       "INDEXED BY bench_runs_time_covering"},
      {"probe_covering",
       "covering index in the window's order (probe, time desc, seq desc)",
       "bench_runs_probe_covering",
       "CREATE INDEX IF NOT EXISTS bench_runs_probe_covering ON runs "
       "(probe_id, coalesce(started_at, received_at) DESC, seq DESC, "
       "started_at, received_at, capability, asn, country)",
       "INDEXED BY bench_runs_probe_covering"},
      {"groupby_max",
       "GROUP BY probe_id with max(run time) (bare columns), over the "
       "probe_covering index",
       "bench_runs_probe_covering",
       "CREATE INDEX IF NOT EXISTS bench_runs_probe_covering ON runs "
       "(probe_id, coalesce(started_at, received_at) DESC, seq DESC, "
       "started_at, received_at, capability, asn, country)",
       "INDEXED BY bench_runs_probe_covering", true},
  };
  return *kVariants;
}

// The plain query: one vote per probe (its latest run in the window by
// (run time, seq), as the rollups define it), then the counts per group.
// Capability numbers: 1 V6_PREFERRED, 2 V6_CAPABLE, 3 V6_ONLY,
// 4 V6_ONLY_NAT64, 5 V6_BROKEN, 7 OFFLINE, 0 none (observation.h).
std::string PlainSql(const Query& q, const PlainVariant& v) {
  constexpr char kCounts[] =
      "SELECT grp, COUNT(*), SUM(probe_runs),\n"
      "       SUM(capability NOT IN (0, 7)),\n"
      "       SUM(capability IN (1, 2, 3, 4)),\n"
      "       SUM(capability IN (1, 3, 4)),\n"
      "       SUM(capability = 5)\n";
  constexpr char kInWindow[] =
      "  WHERE coalesce(started_at, received_at) >= ?1\n"
      "    AND coalesce(started_at, received_at) < ?2\n";
  if (v.bare_max) {
    return absl::StrCat(
        "WITH latest AS (\n"
        "  SELECT probe_id, max(coalesce(started_at, received_at)) AS t,\n"
        "         ",
        q.group_sql,
        " AS grp,\n"
        "         capability, COUNT(*) AS probe_runs\n"
        "  FROM runs ",
        v.index_clause, "\n", kInWindow,
        "  GROUP BY probe_id\n"
        ")\n",
        kCounts, "FROM latest GROUP BY grp");
  }
  return absl::StrCat(
      "WITH ranked AS (\n"
      "  SELECT ",
      q.group_sql,
      " AS grp, capability,\n"
      "         ROW_NUMBER() OVER w AS rn,\n"
      "         COUNT(*) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING\n"
      "                          AND UNBOUNDED FOLLOWING) AS probe_runs\n"
      "  FROM runs ",
      v.index_clause, "\n", kInWindow,
      "  WINDOW w AS (PARTITION BY probe_id\n"
      "               ORDER BY coalesce(started_at, received_at) DESC, "
      "seq DESC)\n"
      ")\n",
      kCounts, "FROM ranked WHERE rn = 1 GROUP BY grp");
}

Answer PlainQuery(RawDb& db, const std::string& sql, int64_t from_us,
                  int64_t to_us, uint32_t min_probes) {
  Answer answer;
  db.Query(sql, from_us, to_us, [&](sqlite3_stmt* s) {
    Counts c;
    c.probes = sqlite3_column_int64(s, 1);
    c.runs = sqlite3_column_int64(s, 2);
    c.measured = sqlite3_column_int64(s, 3);
    c.capable = sqlite3_column_int64(s, 4);
    c.preferred = sqlite3_column_int64(s, 5);
    c.broken = sqlite3_column_int64(s, 6);
    if (c.probes < min_probes) {
      c = Counts();
      c.insufficient = true;
    }
    answer[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] = c;
  });
  return answer;
}

std::string QueryPlan(RawDb& db, const std::string& sql) {
  std::vector<std::string> lines;
  db.Query(absl::StrCat("EXPLAIN QUERY PLAN ", sql), 0, 0,
           [&](sqlite3_stmt* s) {
             lines.push_back(
                 reinterpret_cast<const char*>(sqlite3_column_text(s, 3)));
           });
  return absl::StrJoin(lines, "; ");
}

// Lists every difference; empty if the answers agree.
std::vector<std::string> Differences(const Answer& rollup,
                                     const Answer& plain) {
  std::vector<std::string> out;
  for (const auto& [key, c] : rollup) {
    auto it = plain.find(key);
    if (it == plain.end()) {
      out.push_back(absl::StrCat(key, ": rollups ", c.ToString(),
                                 "; plain SQL: no such group"));
    } else if (!(it->second == c)) {
      out.push_back(absl::StrCat(key, ": rollups ", c.ToString(),
                                 "; plain SQL ", it->second.ToString()));
    }
  }
  for (const auto& [key, c] : plain) {
    if (rollup.count(key) == 0) {
      out.push_back(absl::StrCat(key, ": rollups: no such group; plain SQL ",
                                 c.ToString()));
    }
  }
  return out;
}

struct PlainResult {
  const PlainVariant* variant = nullptr;
  double index_seconds = 0;         // CREATE INDEX.
  uint64_t index_bytes = 0;         // Growth of the file.
  std::string plan;                 // For the first query.
  std::vector<Stats> by_query;      // Per Queries() entry: wall time.
  std::vector<Stats> by_query_cpu;  // The same: the thread's CPU time.
  bool agrees = true;
  bool index_existed = false;  // Created by an earlier variant.
};

std::vector<ProbeWindow> AllRollupRows(Store& store) {
  std::vector<ProbeWindow> all;
  for (WindowKind kind : collector::aggregate::kAllWindowKinds) {
    ProbeWindowQuery q;
    q.kind = kind;
    auto rows = store.ListProbeWindows(q);
    if (!rows.ok()) Fail(rows.status().ToString());
    all.insert(all.end(), rows->begin(), rows->end());
  }
  return all;
}

std::string Verdict(bool ok) { return ok ? "PASS" : "MISS"; }

int Main(int argc, char** argv) {
  cli::ParseFlagsOrExit(argc, argv, kUsage);
  log::SetMinLevel(log::Level::kWarn);

  std::optional<WindowKind> window =
      collector::aggregate::ParseWindowKind(absl::GetFlag(FLAGS_window));
  if (!window.has_value()) cli::Die("--window: day, week or month");
  absl::Time end;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, absl::GetFlag(FLAGS_end), &end,
                       &err)) {
    cli::Die(absl::StrCat("--end: ", err));
  }
  absl::Time at = end - absl::Hours(12);
  if (!absl::GetFlag(FLAGS_at).empty() &&
      !absl::ParseTime(absl::RFC3339_full, absl::GetFlag(FLAGS_at), &at,
                       &err)) {
    cli::Die(absl::StrCat("--at: ", err));
  }
  std::vector<const PlainVariant*> variants;
  for (absl::string_view name : absl::StrSplit(
           absl::GetFlag(FLAGS_plain_variants), ',', absl::SkipEmpty())) {
    const PlainVariant* found = nullptr;
    for (const PlainVariant& v : PlainVariants()) {
      if (v.name == name) found = &v;
    }
    if (found == nullptr) {
      cli::Die(absl::StrCat(
          "--plain_variants: unknown '", name,
          "' (scan, time, covering, probe_covering, groupby_max)"));
    }
    variants.push_back(found);
  }
  if (variants.empty()) cli::Die("--plain_variants: at least one");
  const int reps = absl::GetFlag(FLAGS_repetitions);
  const int plain_reps = absl::GetFlag(FLAGS_plain_repetitions);
  if (reps < 1 || plain_reps < 1) cli::Die("repetitions: at least 1");

  std::string dir = absl::GetFlag(FLAGS_dir);
  if (dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    dir = absl::StrCat(tmp != nullptr && *tmp ? tmp : "/var/tmp",
                       "/v6scope-aggregates-bench-", ::getpid());
  }
  if (absl::Status s = fs::MakeDirs(dir, 0700); !s.ok()) {
    Fail(s.ToString());
  }
  scratch_dir = new std::string(dir);
  const std::string path = absl::StrCat(dir, "/", kDatabaseFile);
  const bool reuse = FileSize(path) > 0;

  if (absl::GetFlag(FLAGS_fill_report).empty()) {
    std::cout << absl::StrFormat(
        "aggregates_bench: SQLite %s, database %s, %d CPUs\n",
        sqlite3_libversion(), path, ::sysconf(_SC_NPROCESSORS_ONLN));
  }

  // --- 1. fill --------------------------------------------------------
  collector::testing::SyntheticFleetOptions fleet_options;
  fleet_options.probes = absl::GetFlag(FLAGS_probes);
  fleet_options.days = absl::GetFlag(FLAGS_days);
  fleet_options.runs_per_day = absl::GetFlag(FLAGS_runs_per_day);
  fleet_options.end = end;
  const collector::testing::SyntheticFleet fleet(fleet_options);
  auto opened = SqliteStore::Open(path);
  if (!opened.ok()) Fail(opened.status().ToString());
  std::unique_ptr<SqliteStore> store = *std::move(opened);
  double fill_s = 0, store_s = 0;
  uint64_t stored_runs = 0;
  const std::string fill_report = absl::GetFlag(FLAGS_fill_report);
  if (reuse && !fill_report.empty()) {
    // Filled by the process that executed this one.
    std::vector<std::string> f = absl::StrSplit(fill_report, ',');
    uint64_t calls = 0;
    if (f.size() != 4 || !absl::SimpleAtod(f[0], &fill_s) ||
        !absl::SimpleAtod(f[1], &store_s) ||
        !absl::SimpleAtoi(f[2], &stored_runs) ||
        !absl::SimpleAtoi(f[3], &calls)) {
      cli::Die("--fill_report: malformed");
    }
  } else if (reuse) {
    std::cout << "  reusing the database from an earlier --keep run: fill "
                 "not timed\n";
  } else {
    const uint64_t expected = static_cast<uint64_t>(fleet_options.probes) *
                              fleet_options.days * fleet_options.runs_per_day;
    std::cout << absl::StrFormat(
        "  filling: %d probes x %d days x %d runs/day = %d runs via "
        "SyntheticFleet::StoreAll (Store::StoreBatches, rollups at ingest, "
        "synchronous=FULL)...\n",
        fleet_options.probes, fleet_options.days, fleet_options.runs_per_day,
        expected);
    std::cout.flush();
    TimedStore timed(store.get(), expected);
    const double start = NowMs();
    absl::StatusOr<uint64_t> stored = fleet.StoreAll(timed);
    fill_s = (NowMs() - start) / 1000;
    if (!stored.ok()) Fail(stored.status().ToString());
    stored_runs = *stored;
    store_s = timed.store_ms() / 1000;
    std::cout << absl::StrFormat(
        "  filled %d runs in %.1f s (%.0f runs/s; %.1f s of it inside "
        "StoreBatches, %d calls; the rest generates the synthetic runs)\n",
        stored_runs, fill_s, stored_runs / fill_s, store_s, timed.calls());
    // The queries run in a fresh process, as in a collector started on
    // an existing database: after the fill, this process's heap is full
    // of free memory, which spares the query path's allocations the page
    // faults a fresh heap takes (the rollup path's p50 measured 0.5 ms
    // here instead of 1.5 ms in a fresh process; malloc_trim does not
    // undo it). So: re-execute this binary on the filled database.
    store.reset();
    if (!absl::GetFlag(FLAGS_same_process)) {
      std::cout << "  re-executing in a fresh process for the queries\n";
      std::cout.flush();
      std::vector<std::string> args(argv, argv + argc);
      args.push_back(absl::StrCat("--dir=", dir));
      args.push_back(absl::StrFormat("--fill_report=%.3f,%.3f,%d,%d", fill_s,
                                     store_s, stored_runs, timed.calls()));
      std::vector<char*> exec_argv;
      for (std::string& a : args) exec_argv.push_back(a.data());
      exec_argv.push_back(nullptr);
      ::execv("/proc/self/exe", exec_argv.data());
      std::cout << "  (exec failed: " << std::strerror(errno)
                << "; measuring in this process)\n";
    }
    opened = SqliteStore::Open(path);
    if (!opened.ok()) Fail(opened.status().ToString());
    store = *std::move(opened);
  }

  RawDb raw(path, /*writable=*/true);
  // Drop what an earlier --keep run added, so sizes and plans start clean.
  for (const PlainVariant& v : PlainVariants()) {
    if (v.index.empty()) continue;  // (Dropping twice is harmless.)
    raw.Exec(absl::StrCat("DROP INDEX IF EXISTS ", v.index));
  }
  raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const uint64_t db_bytes = UsedBytes(raw);

  // Count runs and test results from the data: every blob parsed.
  uint64_t runs = 0, results = 0, blob_bytes = 0;
  double count_s = 0;
  {
    const double start = NowMs();
    v6scope::v1::Run run;
    raw.Query("SELECT run FROM runs", std::nullopt, std::nullopt,
              [&](sqlite3_stmt* s) {
                const int n = sqlite3_column_bytes(s, 0);
                if (!run.ParseFromArray(sqlite3_column_blob(s, 0), n)) {
                  Fail("a stored run does not parse");
                }
                ++runs;
                blob_bytes += static_cast<uint64_t>(n);
                results += static_cast<uint64_t>(run.tests_size());
              });
    count_s = (NowMs() - start) / 1000;
  }
  const int64_t rollup_rows = raw.Scalar("SELECT COUNT(*) FROM probe_windows");
  const int64_t probes_in_db =
      raw.Scalar("SELECT COUNT(DISTINCT probe_id) FROM runs");
  std::cout << absl::StrFormat(
      "  stored: %d runs, %d test results (%.2f per run), %d probes, %d "
      "rollup rows (day+week+month); database %.0f MB (runs' blobs %.0f MB); "
      "counted by parsing every run in %.1f s\n",
      runs, results, static_cast<double>(results) / std::max<uint64_t>(runs, 1),
      probes_in_db, rollup_rows, db_bytes / 1e6, blob_bytes / 1e6, count_s);
  const bool filled = stored_runs > 0;
  if (filled && runs != stored_runs) {
    Fail(absl::StrCat("StoreAll reported ", stored_runs,
                      " runs, the table "
                      "holds ",
                      runs));
  }
  const int64_t min_results = absl::GetFlag(FLAGS_min_results);
  if (results < static_cast<uint64_t>(min_results)) {
    Fail(absl::StrCat(
        results,
        " test results stored, fewer than --min_results=", min_results));
  }

  // --- 2. the rollup path ---------------------------------------------
  const FakeClock clock(at);
  AggregateQueries queries(store.get(), /*attribution=*/nullptr, &clock,
                           collector::aggregate::kDefaultMinProbes);
  const absl::Time window_start =
      collector::aggregate::WindowStart(*window, at);
  const absl::Time window_end =
      collector::aggregate::WindowEnd(*window, window_start);
  const int64_t from_us = absl::ToUnixMicros(window_start);
  const int64_t to_us = absl::ToUnixMicros(window_end);
  const int64_t runs_in_window = raw.Scalar(absl::StrFormat(
      "SELECT COUNT(*) FROM runs WHERE coalesce(started_at, received_at) >= "
      "%d AND coalesce(started_at, received_at) < %d",
      from_us, to_us));
  ProbeWindowQuery window_query;
  window_query.kind = *window;
  window_query.from = window_start;
  window_query.to = window_end;
  std::cout << absl::StrFormat(
      "\n  query: window %s [%s, %s) at the fixed clock %s; %d runs (%d test "
      "results) in it; k = %d; no attribution data (no AS names, no "
      "allocations)\n",
      collector::aggregate::WindowKindName(*window),
      absl::FormatTime(absl::RFC3339_sec, window_start, absl::UTCTimeZone()),
      absl::FormatTime(absl::RFC3339_sec, window_end, absl::UTCTimeZone()),
      absl::FormatTime(absl::RFC3339_sec, at, absl::UTCTimeZone()),
      runs_in_window,
      static_cast<int64_t>(
          std::llround(runs_in_window * static_cast<double>(results) /
                       std::max<uint64_t>(runs, 1))),
      collector::aggregate::kDefaultMinProbes);

  std::vector<Stats> rollup_stats, rollup_cpu;
  std::vector<Answer> rollup_answers;
  Stats list_stats;
  size_t window_rows = 0;
  {
    // ListProbeWindows alone: the store's share of a query.
    std::vector<double> ms;
    for (int i = 0; i < reps + 5; ++i) {
      const double start = NowMs();
      auto rows = store->ListProbeWindows(window_query);
      const double took = NowMs() - start;
      if (!rows.ok()) Fail(rows.status().ToString());
      window_rows = rows->size();
      if (i >= 5) ms.push_back(took);
    }
    list_stats = Summarize(ms);
  }
  for (const Query& q : Queries()) {
    for (int i = 0; i < 5; ++i) RollupQuery(queries, q.group_by, *window);
    std::vector<double> ms, cpu;
    std::vector<v6scope::v1::GroupAggregate> groups;
    for (int i = 0; i < reps; ++i) {
      const double start = NowMs(), start_cpu = CpuMs();
      groups = RollupQuery(queries, q.group_by, *window);
      ms.push_back(NowMs() - start);
      cpu.push_back(CpuMs() - start_cpu);
    }
    rollup_stats.push_back(Summarize(ms));
    rollup_cpu.push_back(Summarize(cpu));
    rollup_answers.push_back(FromRollups(groups));
    const Stats& s = rollup_stats.back();
    std::cout << absl::StrFormat(
        "  rollups  %-10s AggregateQueries::Aggregates x%d: p50 %7.3f ms  "
        "p99 %7.3f ms  (min %.3f, max %.3f, mean %.3f; CPU p50 %.3f ms); "
        "%d groups\n",
        q.label, s.n, s.p50, s.p99, s.min, s.max, s.mean, rollup_cpu.back().p50,
        groups.size());
  }
  std::cout << absl::StrFormat(
      "  rollups  of which Store::ListProbeWindows (%d rows) x%d: p50 %.3f "
      "ms  p99 %.3f ms\n",
      window_rows, list_stats.n, list_stats.p50, list_stats.p99);

  // --- 3. the plain path ----------------------------------------------
  // The plain connection gets what a DBA would give an analytical query:
  // a 256 MiB page cache and in-memory temporary storage for the sort.
  PlainVariant shown, shown_max;
  shown.index_clause = shown_max.index_clause = "<index clause>";
  shown_max.bare_max = true;
  RawDb plain(path, /*writable=*/false);
  plain.Exec("PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY");
  std::cout << "\n  plain SQL (its own connection: cache_size 256 MiB, "
               "temp_store MEMORY), e.g. by country:\n"
            << PlainSql(Queries()[0], shown) << "\n  and, for groupby_max:\n"
            << PlainSql(Queries()[0], shown_max) << "\n";
  std::vector<PlainResult> plain_results;
  std::vector<std::string> disagreements;
  for (const PlainVariant* v : variants) {
    PlainResult r;
    r.variant = v;
    r.index_existed =
        !v->index.empty() &&
        raw.Scalar(absl::StrCat("SELECT COUNT(*) FROM sqlite_master WHERE "
                                "type = 'index' AND name = '",
                                v->index, "'")) > 0;
    if (!v->create_index.empty() && !r.index_existed) {
      const uint64_t before = UsedBytes(raw);
      const double start = NowMs();
      raw.Exec(v->create_index);
      r.index_seconds = (NowMs() - start) / 1000;
      raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
      r.index_bytes = UsedBytes(raw) - std::min(before, UsedBytes(raw));
    }
    for (size_t qi = 0; qi < Queries().size(); ++qi) {
      const Query& q = Queries()[qi];
      const std::string sql = PlainSql(q, *v);
      if (qi == 0) r.plan = QueryPlan(plain, sql);
      std::vector<double> ms, cpu;
      Answer answer;
      for (int i = 0; i < plain_reps; ++i) {
        const double start = NowMs(), start_cpu = CpuMs();
        answer = PlainQuery(plain, sql, from_us, to_us,
                            collector::aggregate::kDefaultMinProbes);
        ms.push_back(NowMs() - start);
        cpu.push_back(CpuMs() - start_cpu);
      }
      r.by_query.push_back(Summarize(ms));
      r.by_query_cpu.push_back(Summarize(cpu));
      for (const std::string& d : Differences(rollup_answers[qi], answer)) {
        r.agrees = false;
        disagreements.push_back(
            absl::StrCat(q.label, ", plain variant ", v->name, ": ", d));
      }
      const Stats& s = r.by_query.back();
      std::cout << absl::StrFormat(
          "  plain    %-10s %-15s x%d: p50 %8.1f ms  (min %.1f, max %.1f; "
          "CPU p50 %.1f ms)  answer %s\n",
          q.label, v->name, s.n, s.p50, s.min, s.max, r.by_query_cpu.back().p50,
          r.agrees ? "equal to the rollups'" : "DIFFERENT");
    }
    std::cout << absl::StrFormat("           %s: %s", v->name, v->what);
    if (r.index_existed) {
      std::cout << " (index created above)";
    } else if (!v->create_index.empty()) {
      std::cout << absl::StrFormat("; CREATE INDEX %.1f s, +%.0f MB",
                                   r.index_seconds, r.index_bytes / 1e6);
    }
    std::cout << "\n           plan: " << r.plan << "\n";
    plain_results.push_back(std::move(r));
  }

  // The baseline: the fastest plain variant, per query.
  std::vector<const PlainResult*> best(Queries().size(), nullptr);
  for (size_t qi = 0; qi < Queries().size(); ++qi) {
    for (const PlainResult& r : plain_results) {
      if (best[qi] == nullptr ||
          r.by_query[qi].p50 < best[qi]->by_query[qi].p50) {
        best[qi] = &r;
      }
    }
  }

  // --- 4. agreement ---------------------------------------------------
  std::cout << "\n  agreement, per group (probes, runs, measured, capable, "
               "preferred, broken; insufficient data below k):\n";
  for (size_t qi = 0; qi < Queries().size(); ++qi) {
    std::cout << absl::StrFormat("    %s, %d groups:\n", Queries()[qi].label,
                                 rollup_answers[qi].size());
    for (const auto& [key, c] : rollup_answers[qi]) {
      std::cout << absl::StrFormat("      %-8s %s\n", key, c.ToString());
    }
  }
  if (disagreements.empty()) {
    std::cout << absl::StrFormat(
        "    every plain variant gives exactly these counts: AGREE\n");
  } else {
    for (const std::string& d : disagreements) {
      std::cout << "    DISAGREE " << d << "\n";
    }
  }

  // --- 5. cold cache, rebuild -----------------------------------------
  double cold_rollup_ms = -1, cold_plain_ms = -1;
  if (absl::GetFlag(FLAGS_cold)) {
    // Fresh connections (no SQLite page cache) and the file out of the OS
    // page cache: the first query after a restart on a busy host.
    raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
    Evict(path);
    Evict(path + "-wal");
    {
      auto cold_store = SqliteStore::Open(path);
      if (!cold_store.ok()) Fail(cold_store.status().ToString());
      AggregateQueries cold_queries(cold_store->get(), nullptr, &clock,
                                    collector::aggregate::kDefaultMinProbes);
      const double start = NowMs();
      RollupQuery(cold_queries, Queries()[0].group_by, *window);
      cold_rollup_ms = NowMs() - start;
    }
    Evict(path);
    Evict(path + "-wal");
    {
      RawDb cold(path, /*writable=*/false);
      cold.Exec("PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY");
      const double start = NowMs();
      PlainQuery(cold, PlainSql(Queries()[0], *best[0]->variant), from_us,
                 to_us, collector::aggregate::kDefaultMinProbes);
      cold_plain_ms = NowMs() - start;
    }
    std::cout << absl::StrFormat(
        "\n  cold (file evicted from the page cache, fresh connection), "
        "by-country once: rollups %.1f ms, plain (%s) %.1f ms\n",
        cold_rollup_ms, best[0]->variant->name, cold_plain_ms);
  }

  double rebuild_s = -1;
  bool rebuild_identical = true;
  uint64_t rebuild_runs = 0, rebuild_rows = 0;
  if (absl::GetFlag(FLAGS_rebuild)) {
    const std::vector<ProbeWindow> before = AllRollupRows(*store);
    const double start = NowMs();
    absl::StatusOr<collector::store::RebuildReport> report =
        store->RebuildRollups();
    rebuild_s = (NowMs() - start) / 1000;
    if (!report.ok()) Fail(report.status().ToString());
    const std::vector<ProbeWindow> after = AllRollupRows(*store);
    rebuild_identical = before == after;
    rebuild_runs = report->runs_scanned;
    rebuild_rows = report->rows_written;
    std::cout << absl::StrFormat(
        "\n  RebuildRollups: %d runs scanned, %d rows written in %.1f s "
        "(%.0f runs/s); rows %s the rollups kept at ingest (%d rows "
        "before)\n",
        rebuild_runs, rebuild_rows, rebuild_s, rebuild_runs / rebuild_s,
        rebuild_identical ? "IDENTICAL to" : "DIFFERENT from", before.size());
    if (!rebuild_identical) {
      disagreements.push_back("RebuildRollups changed rollup rows");
    }
  }

  store.reset();
  if (!absl::GetFlag(FLAGS_keep)) {
    RemoveTree(dir);
  } else {
    std::cout << "  kept " << path << "\n";
  }

  // --- summary ----------------------------------------------------------
  const double target_ms = absl::GetFlag(FLAGS_target_p50_ms);
  const double target_x = absl::GetFlag(FLAGS_target_speedup);
  bool all_pass = true;
  std::cout << absl::StrFormat(
      "\n== Summary (%d test results in %d runs, %s window, SQLite %s)\n",
      results, runs, collector::aggregate::WindowKindName(*window),
      sqlite3_libversion());
  std::cout << absl::StrFormat("%-48s %-24s %-14s %s\n", "figure", "value",
                               "target", "ratio / verdict");
  if (filled) {
    std::cout << absl::StrFormat(
        "%-48s %-24s\n", "fill via StoreBatches (rollups at ingest)",
        absl::StrFormat("%.1f s, %.0f results/s", fill_s, results / fill_s));
  }
  std::vector<double> speedups;
  for (size_t qi = 0; qi < Queries().size(); ++qi) {
    const Stats& s = rollup_stats[qi];
    const double plain_p50 = best[qi]->by_query[qi].p50;
    const double x = plain_p50 / s.p50;
    speedups.push_back(x);
    const bool p50_ok = s.p50 <= target_ms;
    const bool x_ok = x >= target_x;
    all_pass = all_pass && p50_ok && x_ok;
    std::cout << absl::StrFormat(
        "%-48s %-24s %-14s %s\n",
        absl::StrCat(Queries()[qi].label, " from rollups, p50 / p99"),
        absl::StrFormat("%.3f / %.3f ms", s.p50, s.p99),
        absl::StrFormat("p50 <= %g ms", target_ms),
        absl::StrFormat("%.3fx target: %s", s.p50 / target_ms,
                        Verdict(p50_ok)));
    std::cout << absl::StrFormat(
        "%-48s %-24s %-14s %s\n",
        absl::StrCat("  baseline: plain SQL (", best[qi]->variant->name,
                     "), p50"),
        absl::StrFormat("%.1f ms", plain_p50),
        absl::StrFormat(">= %gx", target_x),
        absl::StrFormat("rollups %.0fx faster: %s", x, Verdict(x_ok)));
    const double cpu = rollup_cpu[qi].p50;
    const double plain_cpu = best[qi]->by_query_cpu[qi].p50;
    std::cout << absl::StrFormat(
        "%-48s %-24s %-14s %s\n", "  CPU time p50: rollups / plain",
        absl::StrFormat("%.3f / %.1f ms", cpu, plain_cpu), "",
        absl::StrFormat("%.0fx less CPU", plain_cpu / cpu));
  }
  std::cout << absl::StrFormat("%-48s %-24s %-14s %s\n",
                               "answers agree (rollups vs every plain variant)",
                               disagreements.empty() ? "yes" : "NO", "equal",
                               disagreements.empty() ? "PASS" : "FAIL");
  if (rebuild_s >= 0) {
    std::cout << absl::StrFormat(
        "%-48s %-24s %-14s %s\n", "RebuildRollups on the big database",
        absl::StrFormat("%.1f s", rebuild_s), "identical rows",
        rebuild_identical ? "PASS" : "FAIL");
  }
  std::cout << absl::StrFormat(
      "RESULT results=%d runs=%d probes=%d fill_s=%.1f db_mb=%.0f "
      "window=%s country_p50_ms=%.3f country_p99_ms=%.3f country_plain_ms=%.1f "
      "country_speedup=%.0f asn_p50_ms=%.3f asn_p99_ms=%.3f "
      "asn_plain_ms=%.1f asn_speedup=%.0f agree=%d rebuild_s=%.1f "
      "rebuild_identical=%d cold_rollup_ms=%.1f cold_plain_ms=%.1f\n",
      results, runs, probes_in_db, fill_s, db_bytes / 1e6,
      collector::aggregate::WindowKindName(*window), rollup_stats[0].p50,
      rollup_stats[0].p99, best[0]->by_query[0].p50, speedups[0],
      rollup_stats[1].p50, rollup_stats[1].p99, best[1]->by_query[1].p50,
      speedups[1], disagreements.empty() ? 1 : 0, rebuild_s,
      rebuild_identical ? 1 : 0, cold_rollup_ms, cold_plain_ms);
  if (!disagreements.empty()) return kFailed;
  return all_pass ? 0 : kMissed;
}

}  // namespace
}  // namespace v6scope::bench::aggregates

int main(int argc, char** argv) {
  return v6scope::bench::aggregates::Main(argc, argv);
}
