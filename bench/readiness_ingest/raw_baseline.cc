#include "bench/readiness_ingest/raw_baseline.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/ingest/testing/domain_checks.h"
#include "collector/store/readiness_store.h"
#include "collector/store/sqlite/sqlite_readiness_sql.h"
#include "methodology/readiness/readiness.h"
#include "proto/readiness.pb.h"

namespace v6scope::bench::readiness_ingest {
namespace {

void Ok(sqlite3* db, int rc, const char* what) {
  if (rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW) return;
  std::fprintf(stderr, "raw SQLite %s: %s\n", what, sqlite3_errmsg(db));
  std::exit(3);
}

void Exec(sqlite3* db, const char* sql) {
  Ok(db, sqlite3_exec(db, sql, nullptr, nullptr, nullptr), sql);
}

// Row `i` of the workload, as the store would bind it.
void Bind(sqlite3_stmt* s, const std::string& probe, int64_t seq, int i,
          const std::string& domain, const std::string& blob) {
  const std::string assignment =
      collector::ingest::testing::AssignmentId(static_cast<uint64_t>(i / 1000));
  sqlite3_bind_text(s, 1, probe.data(), probe.size(), SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 2, seq);
  sqlite3_bind_text(s, 3, assignment.data(), assignment.size(),
                    SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 4, i % 1000);
  sqlite3_bind_text(s, 5, "c-bench", -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 6, 1);
  sqlite3_bind_int64(s, 7, i);
  sqlite3_bind_text(s, 8, domain.data(), domain.size(), SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 9, "government", -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 10, 33771);
  sqlite3_bind_text(s, 11, "KE", -1, SQLITE_STATIC);
  sqlite3_bind_int64(s, 12, 1'731'000'000'000'000 + seq);
  for (int k = 13; k <= 15; ++k) sqlite3_bind_int64(s, k, 5);
  sqlite3_bind_int64(s, 16, 3320);
  sqlite3_bind_int64(s, 17, 6939);
  sqlite3_bind_blob(s, 18, blob.data(), blob.size(), SQLITE_STATIC);
  sqlite3_bind_text(s, 19, "readiness 1", -1, SQLITE_STATIC);
}

}  // namespace

double RawInsertRate(const std::string& path, int probes, int results,
                     int per_txn) {
  std::vector<std::string> blobs;
  for (uint64_t v = 0; v < collector::ingest::testing::kDomainVariants; ++v) {
    // The bytes the ingest stores for such a result: the check with the
    // collector's verdict, in the stored form (check_blob.h).
    v6scope::v1::DomainCheck check =
        collector::ingest::testing::VariedDomainCheck("site.example.go.ke", v);
    *check.mutable_verdict() = methodology::readiness::ComputeReadiness(check);
    blobs.push_back(collector::store::SerializedCheck::Of(check).blob);
  }
  sqlite3* db = nullptr;
  Ok(db, sqlite3_open(path.c_str(), &db), "open");
  Exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;");
  sqlite3_stmt* insert = nullptr;
  Ok(db,
     sqlite3_prepare_v2(db, collector::store::sqlite::kInsertDomainResult, -1,
                        &insert, nullptr),
     "prepare");
  const int per_probe = results / probes;
  std::vector<int64_t> next(probes, 0);
  const auto start = std::chrono::steady_clock::now();
  for (int done = 0, txn = 0; done < results; ++txn) {
    const int p = txn % probes;
    const std::string probe = absl::StrCat("p-", p);
    Exec(db, "BEGIN IMMEDIATE");
    for (int k = 0; k < per_txn && next[p] < per_probe; ++k, ++done) {
      const int i = static_cast<int>(next[p]++);
      sqlite3_reset(insert);
      Bind(insert, probe, i + 1, i, absl::StrCat("site", i, ".example.go.ke"),
           blobs[i % blobs.size()]);
      Ok(db, sqlite3_step(insert), "insert");
    }
    Exec(db, "COMMIT");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return results / seconds;
}

}  // namespace v6scope::bench::readiness_ingest
