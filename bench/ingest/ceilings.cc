// The store ceilings and the collector's per-run stages.
#include <sqlite3.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
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
#include "bench/ingest/runner.h"
#include "bench/ingest/runner_internal.h"
#include "bench/ingest/workload.h"
#include "collector/enrich/attribution.h"
#include "collector/ingest/enrich_run.h"
#include "collector/ingest/prepare_run.h"
#include "collector/ingest/validate.h"
#include "collector/service/probe_service.h"
#include "collector/store/sqlite/sqlite_ingest_sql.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "collector/store/store.h"
#include "google/protobuf/arena.h"
#include "proto/probe_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::bench::ingest {

using collector::store::BatchOutcome;
using collector::store::PreparedRun;
using collector::store::RunBatch;
using collector::store::Store;
using collector::store::sqlite::SqliteStore;
using v6scope::v1::UploadRequest;
namespace enrich = collector::enrich;

// --- ceilings ---------------------------------------------------------------

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

namespace {

// One run as the raw ceiling inserts it.
struct RawRow {
  int64_t seq, started_at;
  int capability, score;
  std::string blob;
  uint32_t asn;
  std::string country;
};

struct RawBatch {
  const std::string* probe_id;
  std::vector<RawRow> rows;
};

// A connection with the store's own INSERT and stats UPSERT prepared.
struct RawConnection {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  sqlite3_stmt* stats = nullptr;

  explicit RawConnection(const std::string& path) {
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
    SqliteOk(db,
             sqlite3_prepare_v2(db, collector::store::sqlite::kInsertRun, -1,
                                &insert, nullptr),
             "prepare");
    SqliteOk(db,
             sqlite3_prepare_v2(db, collector::store::sqlite::kUpdateStats, -1,
                                &stats, nullptr),
             "prepare");
  }
  ~RawConnection() {
    sqlite3_finalize(insert);
    sqlite3_finalize(stats);
    sqlite3_close(db);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
};

// The group's batches parsed, enriched and prepared as the collector does,
// blobs serialized beforehand (outside the timed transaction).
std::vector<RawBatch> PrepareGroup(
    const std::vector<std::pair<int, int>>& group, const Workload& w,
    const std::vector<Enrolled>& enrolled,
    const enrich::AttributionIndex* index) {
  std::vector<RawBatch> batches;
  for (auto [p, b] : group) {
    RunBatch rb = ParseBatch(w, enrolled, index, p, b);
    RawBatch batch{&enrolled[static_cast<size_t>(p)].probe_id, {}};
    for (size_t i = 0; i < rb.runs.size(); ++i) {
      PreparedRun& run = rb.runs[i];
      batch.rows.push_back(RawRow{
          static_cast<int64_t>(rb.first_seq + i), run.started_at_us.value_or(0),
          run.capability, run.score, std::move(run.blob), run.observation.asn,
          run.observation.country});
    }
    batches.push_back(std::move(batch));
  }
  return batches;
}

// The batch's INSERTs and its stats UPSERT; returns the runs stored.
int InsertBatch(RawConnection& c, const RawBatch& batch, int64_t received_at) {
  int stored = 0;
  for (const RawRow& row : batch.rows) {
    sqlite3_stmt* insert = c.insert;
    sqlite3_reset(insert);
    sqlite3_bind_text(insert, 1, batch.probe_id->data(),
                      static_cast<int>(batch.probe_id->size()), SQLITE_STATIC);
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
    SqliteOk(c.db, sqlite3_step(insert), "INSERT");
    stored += sqlite3_changes(c.db);
  }
  sqlite3_reset(c.stats);
  sqlite3_bind_text(c.stats, 1, batch.probe_id->data(),
                    static_cast<int>(batch.probe_id->size()), SQLITE_STATIC);
  sqlite3_bind_int(c.stats, 2, stored);
  sqlite3_bind_int64(c.stats, 3, received_at);
  sqlite3_bind_int64(c.stats, 4, 0);
  SqliteOk(c.db, sqlite3_step(c.stats), "UPSERT");
  return stored;
}

}  // namespace

CeilingResult RawSqliteCeiling(const std::string& path, const Workload& w,
                               const std::vector<Enrolled>& enrolled,
                               const enrich::AttributionIndex* index,
                               int commit_runs) {
  // The schema, made by the store's own migrations.
  OrFail(SqliteStore::Open(path), "creating the raw ceiling's schema");
  CeilingResult r;
  int64_t stored = 0;
  {
    RawConnection c(path);
    for (const auto& group : CommitGroups(w, commit_runs)) {
      const std::vector<RawBatch> batches =
          PrepareGroup(group, w, enrolled, index);
      const absl::Time start = absl::Now();
      const int64_t received_at = absl::ToUnixMicros(start);
      SqliteOk(c.db,
               sqlite3_exec(c.db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
               "BEGIN");
      for (const RawBatch& batch : batches) {
        stored += InsertBatch(c, batch, received_at);
      }
      SqliteOk(c.db, sqlite3_exec(c.db, "COMMIT", nullptr, nullptr, nullptr),
               "COMMIT");
      r.seconds += absl::ToDoubleSeconds(absl::Now() - start);
      ++r.commits;
    }
  }
  if (stored != static_cast<int64_t>(w.total_runs())) {
    Fail(absl::StrCat("raw ceiling stored ", stored, " runs"));
  }
  CheckCounts(SqliteQuery(path, CountSql(w.runs_per_probe)), w,
              "raw SQLite ceiling");
  return r;
}

// --- the collector's own work per run ---------------------------------------

// What the collector's upload streams do to each batch besides gRPC, timed
// stage by stage on one thread over the whole workload, as the collector
// does it (a fresh arena message per batch): where its CPU goes.

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

}  // namespace v6scope::bench::ingest
