// aggregates_bench: latency of the researchers' aggregate queries on a store
// holding >= 10 million test results, next to the same answer computed by a
// plain SQL query over the raw runs table, in the same run and database.
//
//   1. Fill: a fresh SQLite store (on disk, under --dir) is filled with the
//      synthetic fleet (collector/sample/synthetic_fleet.h: 12 test results
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
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "bench/aggregates/fail.h"
#include "bench/aggregates/raw_db.h"
#include "bench/aggregates/report.h"
#include "bench/aggregates/runner.h"
#include "bench/aggregates/workload.h"
#include "collector/aggregate/aggregator.h"
#include "collector/aggregate/window.h"
#include "collector/query/aggregate_queries.h"
#include "collector/sample/synthetic_fleet.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "common/cli/flags.h"
#include "common/fs/files.h"
#include "common/log/log.h"
#include "common/time/clock.h"

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

using collector::aggregate::WindowKind;
using collector::query::AggregateQueries;
using collector::store::sqlite::SqliteStore;

constexpr char kUsage[] =
    "aggregates_bench: aggregate-query latency from the rollups vs a plain "
    "SQL GROUP BY over the raw runs, on >= 10 million stored test results.\n"
    "usage: aggregates_bench [--dir=DIR] [--keep] [--probes=1200] "
    "[--days=30] [--runs_per_day=24] [--window=month]";

constexpr char kDatabaseFile[] = "v6scope.db";  // As the collector names it.

// The flags, checked.
struct Config {
  WindowKind window;
  absl::Time end, at;
  std::vector<const PlainVariant*> variants;
  int reps = 0, plain_reps = 0;
  std::string dir, path;
};

absl::Time TimeFlag(const std::string& flag, const std::string& value) {
  absl::Time t;
  std::string err;
  if (!absl::ParseTime(absl::RFC3339_full, value, &t, &err)) {
    cli::Die(absl::StrCat("--", flag, ": ", err));
  }
  return t;
}

std::vector<const PlainVariant*> VariantsFlag() {
  std::vector<const PlainVariant*> variants;
  for (absl::string_view name : absl::StrSplit(
           absl::GetFlag(FLAGS_plain_variants), ',', absl::SkipEmpty())) {
    const PlainVariant* found = FindPlainVariant(name);
    if (found == nullptr) {
      cli::Die(absl::StrCat(
          "--plain_variants: unknown '", name,
          "' (scan, time, covering, probe_covering, groupby_max)"));
    }
    variants.push_back(found);
  }
  if (variants.empty()) cli::Die("--plain_variants: at least one");
  return variants;
}

Config ParseConfig() {
  Config c;
  std::optional<WindowKind> window =
      collector::aggregate::ParseWindowKind(absl::GetFlag(FLAGS_window));
  if (!window.has_value()) cli::Die("--window: day, week or month");
  c.window = *window;
  c.end = TimeFlag("end", absl::GetFlag(FLAGS_end));
  c.at = absl::GetFlag(FLAGS_at).empty()
             ? c.end - absl::Hours(12)
             : TimeFlag("at", absl::GetFlag(FLAGS_at));
  c.variants = VariantsFlag();
  c.reps = absl::GetFlag(FLAGS_repetitions);
  c.plain_reps = absl::GetFlag(FLAGS_plain_repetitions);
  if (c.reps < 1 || c.plain_reps < 1) cli::Die("repetitions: at least 1");
  c.dir = absl::GetFlag(FLAGS_dir);
  if (c.dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    c.dir = absl::StrCat(tmp != nullptr && *tmp ? tmp : "/var/tmp",
                         "/v6scope-aggregates-bench-", ::getpid());
  }
  c.path = absl::StrCat(c.dir, "/", kDatabaseFile);
  return c;
}

std::unique_ptr<SqliteStore> OpenStore(const std::string& path) {
  auto opened = SqliteStore::Open(path);
  if (!opened.ok()) Fail(opened.status().ToString());
  return *std::move(opened);
}

// The fill's figures as the process that filled the database passed them.
FillFigures FillReportFlag(const std::string& report) {
  FillFigures fill;
  std::vector<std::string> f = absl::StrSplit(report, ',');
  if (f.size() != 4 || !absl::SimpleAtod(f[0], &fill.fill_s) ||
      !absl::SimpleAtod(f[1], &fill.store_s) ||
      !absl::SimpleAtoi(f[2], &fill.stored_runs) ||
      !absl::SimpleAtoi(f[3], &fill.calls)) {
    cli::Die("--fill_report: malformed");
  }
  return fill;
}

// The queries run in a fresh process, as in a collector started on an
// existing database: after the fill, this process's heap is full of free
// memory, which spares the query path's allocations the page faults a
// fresh heap takes (the rollup path's p50 measured 0.5 ms here instead of
// 1.5 ms in a fresh process; malloc_trim does not undo it). So: re-execute
// this binary on the filled database. Returns only if exec fails.
void ReExecute(int argc, char** argv, const Config& c,
               const FillFigures& fill) {
  std::cout << "  re-executing in a fresh process for the queries\n";
  std::cout.flush();
  std::vector<std::string> args(argv, argv + argc);
  args.push_back(absl::StrCat("--dir=", c.dir));
  args.push_back(absl::StrFormat("--fill_report=%.3f,%.3f,%d,%d", fill.fill_s,
                                 fill.store_s, fill.stored_runs, fill.calls));
  std::vector<char*> exec_argv;
  for (std::string& a : args) exec_argv.push_back(a.data());
  exec_argv.push_back(nullptr);
  ::execv("/proc/self/exe", exec_argv.data());
  std::cout << "  (exec failed: " << std::strerror(errno)
            << "; measuring in this process)\n";
}

// Fills a fresh database (then re-executes unless --same_process), or takes
// the figures of the process that filled it, or reuses a kept one.
FillFigures FillOrReuse(int argc, char** argv, const Config& c,
                        std::unique_ptr<SqliteStore>& store) {
  const bool reuse = FileSize(c.path) > 0;
  store = OpenStore(c.path);
  const std::string fill_report = absl::GetFlag(FLAGS_fill_report);
  if (reuse && !fill_report.empty()) return FillReportFlag(fill_report);
  if (reuse) {
    std::cout << "  reusing the database from an earlier --keep run: fill "
                 "not timed\n";
    return FillFigures();
  }
  collector::sample::SyntheticFleetOptions options;
  options.probes = absl::GetFlag(FLAGS_probes);
  options.days = absl::GetFlag(FLAGS_days);
  options.runs_per_day = absl::GetFlag(FLAGS_runs_per_day);
  options.end = c.end;
  const uint64_t expected = static_cast<uint64_t>(options.probes) *
                            options.days * options.runs_per_day;
  PrintFillStart(options, expected);
  const FillFigures fill =
      FillStore(collector::sample::SyntheticFleet(options), *store, expected);
  PrintFilled(fill);
  store.reset();
  if (!absl::GetFlag(FLAGS_same_process)) ReExecute(argc, argv, c, fill);
  store = OpenStore(c.path);
  return fill;
}

// Drops what an earlier --keep run added, so sizes and plans start clean.
void DropBenchIndexes(RawDb& raw) {
  for (const PlainVariant& v : PlainVariants()) {
    if (v.index.empty()) continue;  // (Dropping twice is harmless.)
    raw.Exec(absl::StrCat("DROP INDEX IF EXISTS ", v.index));
  }
  raw.Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

void CheckStored(const StoredCounts& stored, const FillFigures& fill) {
  if (fill.stored_runs > 0 && stored.runs != fill.stored_runs) {
    Fail(absl::StrCat("StoreAll reported ", fill.stored_runs,
                      " runs, the table holds ", stored.runs));
  }
  const int64_t min_results = absl::GetFlag(FLAGS_min_results);
  if (stored.results < static_cast<uint64_t>(min_results)) {
    Fail(absl::StrCat(
        stored.results,
        " test results stored, fewer than --min_results=", min_results));
  }
}

// Every query through AggregateQueries::Aggregates, then ListProbeWindows
// alone (timed first, printed last).
std::vector<RollupTiming> RunRollupPath(const AggregateQueries& queries,
                                        collector::store::Store& store,
                                        const QueryWindow& window, int reps) {
  const ListTiming list = TimeListProbeWindows(store, window, reps);
  std::vector<RollupTiming> rollups;
  for (const Query& q : Queries()) {
    rollups.push_back(TimeRollupQuery(queries, q, window, reps));
    PrintRollup(q, rollups.back());
  }
  PrintListProbeWindows(list);
  return rollups;
}

// Every plain variant on its own connection, which gets what a DBA would
// give an analytical query: a 256 MiB page cache and in-memory temporary
// storage for the sort.
std::vector<PlainResult> RunPlainPath(const Config& c, RawDb& raw,
                                      const QueryWindow& window,
                                      const std::vector<RollupTiming>& rollups,
                                      std::vector<std::string>& disagreements) {
  RawDb plain(c.path, /*writable=*/false);
  plain.Exec("PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY");
  PrintPlainIntro();
  std::vector<PlainResult> results;
  for (const PlainVariant* v : c.variants) {
    PlainResult r = PrepareVariant(raw, *v);
    for (size_t qi = 0; qi < Queries().size(); ++qi) {
      TimePlainQuery(plain, qi, window, c.plain_reps, rollups[qi].answer, r,
                     disagreements);
      PrintPlain(Queries()[qi], r);
    }
    PrintVariant(r);
    results.push_back(std::move(r));
  }
  return results;
}

// Runs in the window, counted on the raw table.
int64_t RunsIn(RawDb& raw, const QueryWindow& w) {
  return raw.Scalar(absl::StrFormat(
      "SELECT COUNT(*) FROM runs WHERE coalesce(started_at, received_at) >= "
      "%d AND coalesce(started_at, received_at) < %d",
      w.from_us, w.to_us));
}

// The cold query and RebuildRollups, as the flags ask.
void RunOptional(const Config& c, RawDb& raw, const time::Clock& clock,
                 const QueryWindow& window, collector::store::Store& store,
                 Figures& f) {
  if (absl::GetFlag(FLAGS_cold)) {
    f.cold = TimeCold(c.path, raw, clock, window, *f.best[0]->variant);
    PrintCold(f.cold, *f.best[0]->variant);
  }
  if (absl::GetFlag(FLAGS_rebuild)) {
    f.rebuild = TimeRebuild(store);
    PrintRebuild(f.rebuild);
    if (!f.rebuild.identical) {
      f.disagreements.push_back("RebuildRollups changed rollup rows");
    }
  }
}

int Main(int argc, char** argv) {
  cli::ParseFlagsOrExit(argc, argv, kUsage);
  log::SetMinLevel(log::Level::kWarn);
  const Config c = ParseConfig();
  if (absl::Status s = fs::MakeDirs(c.dir, 0700); !s.ok()) Fail(s.ToString());
  SetScratchDir(c.dir, absl::GetFlag(FLAGS_keep));
  if (absl::GetFlag(FLAGS_fill_report).empty()) {
    std::cout << absl::StrFormat(
        "aggregates_bench: SQLite %s, database %s, %d CPUs\n",
        sqlite3_libversion(), c.path, ::sysconf(_SC_NPROCESSORS_ONLN));
  }
  Figures f;
  f.window = c.window;
  std::unique_ptr<SqliteStore> store;
  f.fill = FillOrReuse(argc, argv, c, store);
  f.filled = f.fill.stored_runs > 0;
  RawDb raw(c.path, /*writable=*/true);
  DropBenchIndexes(raw);
  f.db_bytes = UsedBytes(raw);
  f.stored = CountStored(raw);
  PrintStored(f.stored, f.db_bytes);
  CheckStored(f.stored, f.fill);

  const time::FakeClock clock(c.at);
  AggregateQueries queries(store.get(), store.get(), /*attribution=*/nullptr,
                           &clock, collector::aggregate::kDefaultMinProbes);
  const QueryWindow window = MakeQueryWindow(c.window, c.at);
  PrintQueryWindow(window, RunsIn(raw, window), f.stored);
  f.rollups = RunRollupPath(queries, *store, window, c.reps);
  const std::vector<PlainResult> plain =
      RunPlainPath(c, raw, window, f.rollups, f.disagreements);
  f.best = Fastest(plain);
  PrintAgreement(f.rollups, f.disagreements);
  RunOptional(c, raw, clock, window, *store, f);

  store.reset();
  if (!absl::GetFlag(FLAGS_keep)) {
    RemoveTree(c.dir);
  } else {
    std::cout << "  kept " << c.path << "\n";
  }
  f.target_p50_ms = absl::GetFlag(FLAGS_target_p50_ms);
  f.target_speedup = absl::GetFlag(FLAGS_target_speedup);
  const bool all_pass = PrintSummary(f);
  if (!f.disagreements.empty()) return kExitFailed;
  return all_pass ? 0 : kExitMissed;
}

}  // namespace
}  // namespace v6scope::bench::aggregates

int main(int argc, char** argv) {
  return v6scope::bench::aggregates::Main(argc, argv);
}
