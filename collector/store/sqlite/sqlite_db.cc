#include "collector/store/sqlite/sqlite_db.h"

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace v6scope::collector::store::sqlite {
namespace {

// Another process (a second collector, the sqlite3 shell, a backup) may
// hold the write lock for a moment; wait this long before giving up.
constexpr int kBusyTimeoutMs = 5000;
constexpr int kNewFilePageSize = 16384;

absl::StatusCode CodeFor(int rc) {
  switch (rc & 0xff) {  // Primary code of an extended result code.
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
      return absl::StatusCode::kUnavailable;  // Worth retrying later.
    case SQLITE_CONSTRAINT:
      return absl::StatusCode::kAlreadyExists;
    case SQLITE_FULL:
    case SQLITE_NOMEM:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return absl::StatusCode::kDataLoss;
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
      return absl::StatusCode::kFailedPrecondition;
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::StatusCode::kPermissionDenied;
    default:
      return absl::StatusCode::kInternal;
  }
}

}  // namespace

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  // sqlite3_errmsg describes the latest failure on the connection, which
  // is more precise than sqlite3_errstr(rc) ("no such table: x").
  const char* reason = db != nullptr && sqlite3_errcode(db) == rc
                           ? sqlite3_errmsg(db)
                           : sqlite3_errstr(rc);
  return absl::Status(CodeFor(rc), absl::StrCat(what, ": ", reason));
}

// --- SqliteStmt -----------------------------------------------------------

SqliteStmt::SqliteStmt(SqliteStmt&& other) noexcept
    : db_(other.db_), stmt_(other.stmt_), bind_rc_(other.bind_rc_) {
  other.stmt_ = nullptr;
}

SqliteStmt::~SqliteStmt() {
  if (stmt_ != nullptr) Reset();
}

void SqliteStmt::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
}

void SqliteStmt::CheckBind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void SqliteStmt::BindInt(int index, int64_t value) {
  CheckBind(sqlite3_bind_int64(stmt_, index, value));
}

void SqliteStmt::BindText(int index, absl::string_view value) {
  CheckBind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                                SQLITE_TRANSIENT, SQLITE_UTF8));
}

void SqliteStmt::BindBlob(int index, absl::string_view value) {
  // A null data pointer would bind NULL instead of an empty blob.
  static const char kEmpty = 0;
  const char* data = value.empty() ? &kEmpty : value.data();
  CheckBind(
      sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_TRANSIENT));
}

void SqliteStmt::BindBlobRef(int index, absl::string_view value) {
  static const char kEmpty = 0;
  const char* data = value.empty() ? &kEmpty : value.data();
  CheckBind(
      sqlite3_bind_blob64(stmt_, index, data, value.size(), SQLITE_STATIC));
}

void SqliteStmt::BindTextRef(int index, absl::string_view value) {
  CheckBind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(),
                                SQLITE_STATIC, SQLITE_UTF8));
}

void SqliteStmt::BindNull(int index) {
  CheckBind(sqlite3_bind_null(stmt_, index));
}

absl::StatusOr<bool> SqliteStmt::Step() {
  if (bind_rc_ != SQLITE_OK) {
    return SqliteError(db_, bind_rc_,
                       absl::StrCat("binding ", sqlite3_sql(stmt_)));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, sqlite3_sql(stmt_));
}

absl::Status SqliteStmt::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

bool SqliteStmt::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t SqliteStmt::Int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string SqliteStmt::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     sqlite3_column_bytes(stmt_, column));
}

std::string SqliteStmt::Blob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  if (blob == nullptr) return "";
  return std::string(static_cast<const char*>(blob),
                     sqlite3_column_bytes(stmt_, column));
}

// --- SqliteDb -------------------------------------------------------------

absl::StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::Open(
    const std::string& path) {
  const std::string what = absl::StrCat("SQLite database ", path);
  sqlite3* handle = nullptr;
  // NOMUTEX: the owner serialises access, SQLite need not lock again.
  const int rc = sqlite3_open_v2(
      path.c_str(), &handle,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteError(handle, rc, what);
    sqlite3_close(handle);  // Allocated even on failure; null is fine too.
    return status;
  }
  std::unique_ptr<SqliteDb> db(new SqliteDb(handle, path));
  absl::Status configured = db->Configure();
  if (!configured.ok()) {
    return absl::Status(configured.code(),
                        absl::StrCat(what, ": ", configured.message()));
  }
  return db;
}

absl::Status SqliteDb::Configure() {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  // The first statement reads the file header: this is where a file that
  // is not a database is detected. It also fixes the page size of a new
  // file (a no-op on an existing one, which keeps its own): a stored
  // readiness result is about 2 KiB, so 4 KiB pages held one or two with
  // 38 % of each page unused, and every commit wrote those pages to the
  // WAL and again at the checkpoint. 16 KiB pages cut the bytes written a
  // result from 7.6 to 5.4 KiB and the writer's time a result by a third
  // (docs/benchmarks.md, "Readiness ingest").
  absl::Status sized =
      Exec(absl::StrCat("PRAGMA page_size=", kNewFilePageSize));
  if (!sized.ok()) return sized;
  absl::StatusOr<SqliteStmt> wal = Prepare("PRAGMA journal_mode=WAL");
  if (!wal.ok()) return wal.status();
  absl::StatusOr<bool> row = wal->Step();
  if (!row.ok()) return row.status();
  const std::string mode = *row ? absl::AsciiStrToLower(wal->Text(0)) : "";
  if (mode != "wal") {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot switch to WAL journal mode (got \"", mode, "\")"));
  }
  // FULL: in WAL mode, NORMAL may lose the last commits on power loss, and
  // the collector acknowledges a batch to the probe only after it commits.
  return Exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
}

absl::Status SqliteDb::CreateFunction(const char* name, int args,
                                      Function function) {
  const int rc = sqlite3_create_function_v2(
      db_, name, args, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, function,
      nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return absl::InternalError(absl::StrCat("cannot register SQL function ",
                                            name, ": ", sqlite3_errstr(rc)));
  }
  return absl::OkStatus();
}

SqliteDb::~SqliteDb() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

absl::Status SqliteDb::Exec(const std::string& sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return absl::OkStatus();
  absl::Status status(
      CodeFor(rc),
      absl::StrCat(message != nullptr ? message : sqlite3_errstr(rc)));
  sqlite3_free(message);
  return status;
}

absl::StatusOr<SqliteStmt> SqliteDb::Prepare(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()) + 1,
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return SqliteError(db_, rc, absl::StrCat("preparing ", sql));
    }
    it = statements_.emplace(sql, stmt).first;
  }
  return SqliteStmt(db_, it->second);
}

int64_t SqliteDb::Changes() const { return sqlite3_changes64(db_); }

bool SqliteDb::InTransaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

// --- SqliteTransaction ----------------------------------------------------

absl::StatusOr<SqliteTransaction> SqliteTransaction::Begin(SqliteDb& db) {
  absl::Status begun = db.Exec("BEGIN IMMEDIATE");
  if (!begun.ok()) return begun;
  return SqliteTransaction(&db);
}

SqliteTransaction::SqliteTransaction(SqliteTransaction&& other) noexcept
    : db_(other.db_) {
  other.db_ = nullptr;
}

SqliteTransaction::~SqliteTransaction() {
  // Best effort: if ROLLBACK itself fails the connection is unusable
  // anyway, and the next statement reports the error.
  if (db_ != nullptr && db_->InTransaction())
    db_->Exec("ROLLBACK").IgnoreError();
}

absl::Status SqliteTransaction::Commit() {
  absl::Status committed = db_->Exec("COMMIT");
  if (committed.ok()) db_ = nullptr;
  return committed;
}

}  // namespace v6scope::collector::store::sqlite
