// SqliteDb: a thin RAII layer over one SQLite connection (C API), shared by
// SqliteStore and the schema migrations. It turns SQLite result codes into
// absl::Status and caches prepared statements.
//
// Not thread-safe: the owner serialises all use (SqliteStore holds a mutex).
// Internal to collector/store; nothing else should include it.
#ifndef V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_DB_H_
#define V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace v6scope::collector::store::sqlite {

// Status for SQLite result code `rc`, with `what` (the operation) and the
// connection's error message (`db` may be null).
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what);

// One use of a cached prepared statement: bind, step, read columns. The
// destructor resets the statement so the cache can hand it out again.
// Bind errors (only programming errors: index out of range) are kept and
// reported by the next Step().
class SqliteStmt {
 public:
  SqliteStmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  SqliteStmt(SqliteStmt&& other) noexcept;
  SqliteStmt& operator=(SqliteStmt&&) = delete;
  SqliteStmt(const SqliteStmt&) = delete;
  SqliteStmt& operator=(const SqliteStmt&) = delete;
  ~SqliteStmt();

  // Parameter indexes start at 1, as in SQLite.
  void BindInt(int index, int64_t value);
  void BindText(int index, absl::string_view value);
  void BindBlob(int index, absl::string_view value);
  // Bind without copying: `value` must stay alive and unchanged until the
  // statement is reset or destroyed (large blobs written once; the text
  // of rows inserted by the thousand).
  void BindBlobRef(int index, absl::string_view value);
  void BindTextRef(int index, absl::string_view value);
  void BindNull(int index);

  // true: a row is available; false: the statement is done.
  absl::StatusOr<bool> Step();
  // Steps until done, ignoring any rows.
  absl::Status Run();
  // Makes the statement ready for new bindings (to run it again).
  void Reset();

  // Column indexes start at 0, as in SQLite.
  bool IsNull(int column) const;
  int64_t Int(int column) const;
  std::string Text(int column) const;
  std::string Blob(int column) const;

 private:
  void CheckBind(int rc);

  sqlite3* db_;
  sqlite3_stmt* stmt_;  // Owned by the SqliteDb cache, not by this object.
  int bind_rc_ = SQLITE_OK;
};

class SqliteDb {
 public:
  // Opens (creating if needed) the database file at `path` read-write, in
  // WAL mode with synchronous=FULL (a commit is on disk before it returns)
  // and a busy timeout for other processes sharing the file. Every error
  // names the path and gives SQLite's reason.
  static absl::StatusOr<std::unique_ptr<SqliteDb>> Open(
      const std::string& path);

  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;
  ~SqliteDb();

  // Runs one or more SQL statements without parameters (schema scripts).
  absl::Status Exec(const std::string& sql);

  // A statement prepared once per connection and reused. At most one use
  // of a given `sql` may be alive at a time.
  absl::StatusOr<SqliteStmt> Prepare(const std::string& sql);

  // Rows changed by the most recent INSERT/UPDATE/DELETE.
  int64_t Changes() const;

  // Registers a deterministic SQL function of `args` arguments on this
  // connection (sqlite3_create_function_v2).
  using Function = void (*)(sqlite3_context*, int, sqlite3_value**);
  absl::Status CreateFunction(const char* name, int args, Function function);

  // True inside BEGIN ... COMMIT (SQLite may end a transaction on its own
  // after some errors, e.g. a full disk).
  bool InTransaction() const;

  const std::string& path() const { return path_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  // Applies the connection settings; called once by Open.
  absl::Status Configure();

  sqlite3* db_;
  std::string path_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

// A write transaction (BEGIN IMMEDIATE: takes the write lock at once, so it
// cannot fail later with a lock upgrade). Rolled back when destroyed unless
// Commit() succeeded.
class SqliteTransaction {
 public:
  static absl::StatusOr<SqliteTransaction> Begin(SqliteDb& db);

  SqliteTransaction(SqliteTransaction&& other) noexcept;
  SqliteTransaction& operator=(SqliteTransaction&&) = delete;
  SqliteTransaction(const SqliteTransaction&) = delete;
  SqliteTransaction& operator=(const SqliteTransaction&) = delete;
  ~SqliteTransaction();

  absl::Status Commit();

 private:
  explicit SqliteTransaction(SqliteDb* db) : db_(db) {}

  SqliteDb* db_;  // Null once committed, rolled back or moved from.
};

// Runs `sql`, prepared once, for each of `rows`, bound by
// `bind(row, stmt)`; stops at the first error (the caller's transaction
// then rolls back). The writers of rollup rows and backfills share it.
template <typename Rows, typename Bind>
absl::Status RunForEach(SqliteDb& db, const std::string& sql, const Rows& rows,
                        Bind bind) {
  if (rows.empty()) return absl::OkStatus();
  absl::StatusOr<SqliteStmt> stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  for (const auto& row : rows) {
    stmt->Reset();
    bind(row, *stmt);
    absl::Status run = stmt->Run();
    if (!run.ok()) return run;
  }
  return absl::OkStatus();
}

}  // namespace v6scope::collector::store::sqlite

#endif  // V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_DB_H_
