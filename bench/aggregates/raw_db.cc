#include "bench/aggregates/raw_db.h"

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "bench/aggregates/fail.h"

namespace v6scope::bench::aggregates {

RawDb::RawDb(const std::string& path, bool writable) {
  const int flags = writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    Fail(absl::StrCat("open ", path, ": ", sqlite3_errmsg(db_)));
  }
  sqlite3_busy_timeout(db_, 10000);
}

RawDb::~RawDb() { sqlite3_close(db_); }

void RawDb::Exec(const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    Fail(absl::StrCat(sql, ": ", message != nullptr ? message : "?"));
  }
}

void RawDb::Query(const std::string& sql, std::optional<int64_t> p1,
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

int64_t RawDb::Scalar(const std::string& sql) {
  int64_t v = 0;
  Query(sql, std::nullopt, std::nullopt,
        [&](sqlite3_stmt* s) { v = sqlite3_column_int64(s, 0); });
  return v;
}

uint64_t UsedBytes(RawDb& db) {
  return static_cast<uint64_t>(db.Scalar("PRAGMA page_count") -
                               db.Scalar("PRAGMA freelist_count")) *
         static_cast<uint64_t>(db.Scalar("PRAGMA page_size"));
}

}  // namespace v6scope::bench::aggregates
