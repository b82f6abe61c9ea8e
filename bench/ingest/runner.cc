// Rounds of one store.
#include "bench/ingest/runner.h"

#include <fcntl.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/ingest/fail.h"
#include "bench/ingest/report.h"
#include "bench/ingest/runner_internal.h"
#include "bench/ingest/workload.h"
#include "collector/enrich/attribution.h"
#include "collector/store/postgres/postgres_store.h"
#include "collector/store/postgres/testing/postgres_server.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "collector/store/store.h"
#include "proto/probe_service.pb.h"

namespace v6scope::bench::ingest {

using collector::store::Store;
using collector::store::postgres::PostgresStore;
using collector::store::sqlite::SqliteStore;
namespace enrich = collector::enrich;

namespace {

// The collector phase of a round: enrolment, the upload, and (collector
// stopped) verification of every count. Returns results/s; fills
// `enrolled` (the ceilings store the same probes' runs).
double MeasureCollector(
    const RunnerOptions& o, CollectorProcess& c, const Workload& w, int cpus,
    const std::function<std::string(const std::string&)>& query_collector_store,
    const std::function<std::unique_ptr<Store>()>& reopen, bool attributed,
    std::vector<Enrolled>* enrolled) {
  const absl::Time e0 = absl::Now();
  *enrolled = EnrolProbes(c, w.probes, o.enrol_threads);
  std::printf(
      "    enrolment             %d probes in %.1f s (admin CreateToken + "
      "Enrol each, %d threads)\n",
      w.probes, absl::ToDoubleSeconds(absl::Now() - e0), o.enrol_threads);
  std::fflush(stdout);
  UploadResult u = UploadAll(c, w, *enrolled, o.connections, o.timeout);
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

Round SqliteRound(const RunnerOptions& o, const std::string& dir,
                  const Workload& w) {
  const std::string& data_dir = o.data_dir;
  const enrich::AttributionIndex* index = o.index;
  const int cpus = o.cpus;
  Round r;
  auto c =
      CollectorProcess::Start(o.collector, dir + "/collector", "", data_dir);
  const std::string db = c->sqlite_path();
  std::vector<Enrolled> enrolled;
  r.rate = MeasureCollector(
      o, *c, w, cpus,
      [&](const std::string& sql) { return SqliteQuery(db, sql); },
      [&]() -> std::unique_ptr<Store> {
        return OrFail(SqliteStore::Open(db), "reopening the store");
      },
      index != nullptr, &enrolled);
  if (!o.ceilings) return r;
  const int commit_runs = o.commit_runs;
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

}  // namespace

std::vector<std::string> RirFiles(const std::string& data_dir) {
  return CollectorProcess::RirFiles(data_dir);
}

Figure RunSqlite(const RunnerOptions& o, const std::string& work,
                 const Workload& w) {
  const int rounds = o.rounds;
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
      work.c_str(), o.commit_runs);
  for (int i = 1; i <= rounds; ++i) {
    std::printf("  round %d\n", i);
    std::fflush(stdout);
    const std::string dir = absl::StrCat(work, "/sqlite-", i);
    f.rounds.push_back(SqliteRound(o, dir, w));
    if (!o.keep) std::filesystem::remove_all(dir);
  }
  return f;
}

Round PostgresRound(const RunnerOptions& o,
                    collector::store::postgres::testing::PostgresServer& pg,
                    const std::string& dir, const Workload& w) {
  const std::string& data_dir = o.data_dir;
  const enrich::AttributionIndex* index = o.index;
  const int cpus = o.cpus;
  Round r;
  const std::string db = OrFail(pg.CreateDatabase(), "CREATE DATABASE");
  auto c = CollectorProcess::Start(o.collector, dir + "/collector",
                                   pg.ConnInfo(db), data_dir);
  std::vector<Enrolled> enrolled;
  r.rate = MeasureCollector(
      o, *c, w, cpus,
      [&](const std::string& sql) {
        return OrFail(pg.Query(db, sql), "querying the collector's database");
      },
      [&]() -> std::unique_ptr<Store> {
        return OrFail(PostgresStore::Open(pg.ConnInfo(db)),
                      "reopening the store");
      },
      index != nullptr, &enrolled);
  std::vector<std::string> databases = {db};
  if (o.ceilings) {
    const std::string ceiling_db =
        OrFail(pg.CreateDatabase(), "CREATE DATABASE");
    databases.push_back(ceiling_db);
    CeilingResult ceiling;
    {
      auto store = OrFail(PostgresStore::Open(pg.ConnInfo(ceiling_db)),
                          "opening the ceiling's store");
      ceiling = StoreCeiling(*store, w, enrolled, index, o.commit_runs);
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

Figure RunPostgres(const RunnerOptions& o, const std::string& work,
                   const Workload& w) {
  const int rounds = o.rounds;
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
      pg->dir().c_str(), DescribeFilesystem(pg->dir()).c_str(), o.commit_runs);
  for (int i = 1; i <= rounds; ++i) {
    std::printf("  round %d\n", i);
    std::fflush(stdout);
    const std::string dir = absl::StrCat(work, "/postgres-", i);
    f.rounds.push_back(PostgresRound(o, *pg, dir, w));
    if (!o.keep) std::filesystem::remove_all(dir);
  }
  return f;
}

}  // namespace v6scope::bench::ingest
