// PgConn: a thin RAII layer over one libpq connection, shared by
// PostgresStore and its schema migrations. It turns libpq results into
// absl::Status (by SQLSTATE), caches prepared statements, and runs many
// executions of one statement in a pipeline (one round trip per chunk).
//
// Parameters go out as text (integers) or binary (strings, bytes: sent
// with their length, so a NUL byte is an error from the server rather than
// a silent truncation). Results come back in binary format.
//
// Not thread-safe: one thread at a time, which PgPool (pg_pool.h) ensures
// by lending each connection to one caller. Internal to
// collector/store.
#ifndef V6SCOPE_COLLECTOR_STORE_POSTGRES_PG_CONN_H_
#define V6SCOPE_COLLECTOR_STORE_POSTGRES_PG_CONN_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// From libpq-fe.h, which only the .cc files include.
typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace v6scope::collector::store::postgres {

// A description of what `conninfo` (a libpq key=value string or URI)
// connects to, without its password: `dbname=x host=y port=z user=u`.
// INVALID_ARGUMENT if it does not parse; that message never quotes text
// from a string that may hold a password.
absl::StatusOr<std::string> DescribePgConnInfo(const std::string& conninfo);

// Positional parameters $1, $2, ... of one statement execution.
class PgParams {
 public:
  PgParams& Int(int64_t value);
  PgParams& Text(absl::string_view value);
  PgParams& Bytes(absl::string_view value);
  // A value in the text input format of the parameter's type, e.g. an
  // array literal for $1::text[] (it must not contain a NUL byte).
  PgParams& Literal(absl::string_view value);
  PgParams& Null();

  int size() const { return static_cast<int>(values_.size()); }
  // Arrays for PQexecPrepared; valid until the next Add or destruction.
  std::vector<const char*> Values() const;
  const int* Lengths() const { return lengths_.data(); }
  const int* Formats() const { return formats_.data(); }

 private:
  std::vector<std::string> values_;
  std::vector<bool> null_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
};

// A result (owned). Rows and columns start at 0.
class PgResult {
 public:
  explicit PgResult(PGresult* result);
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  int Rows() const;
  // The command tag: "INSERT 0 1", "COMMIT", "ROLLBACK", ...
  std::string CommandStatus() const;
  // Rows inserted, updated or deleted by the command (0 if none).
  int64_t Affected() const;
  bool IsNull(int row, int column) const;
  // A binary int2/int4/int8 (or bool) column; 0 for NULL.
  int64_t Int(int row, int column) const;
  bool Bool(int row, int column) const;
  // A text or bytea column as raw bytes; empty for NULL.
  std::string Bytes(int row, int column) const;

 private:
  PGresult* result_;
};

class PgConn {
 public:
  // Connects with `conninfo` (libpq's defaults and environment apply, so
  // `dbname=x` alone uses the local socket). Every error starts with the
  // DescribePgConnInfo text and never contains the password: UNAVAILABLE
  // when the server cannot be reached or refuses the login,
  // INVALID_ARGUMENT when the string does not parse.
  static absl::StatusOr<std::unique_ptr<PgConn>> Connect(
      const std::string& conninfo);

  PgConn(const PgConn&) = delete;
  PgConn& operator=(const PgConn&) = delete;
  ~PgConn();

  // Runs SQL without parameters (several statements allowed; results
  // discarded).
  absl::Status Exec(const std::string& sql);

  // Runs `sql` once, unprepared (for statements whose tables may not
  // exist yet, as in migrations).
  absl::StatusOr<PgResult> ExecParams(const std::string& sql,
                                      const PgParams& params);

  // Runs `sql` as a statement prepared once per connection and reused.
  absl::StatusOr<PgResult> Query(const std::string& sql,
                                 const PgParams& params);

  // Runs the prepared `sql` once per element of `executions`, pipelined;
  // returns each execution's affected-row count, in order. Stops at the
  // first error (inside a transaction, the transaction is then aborted).
  absl::StatusOr<std::vector<int64_t>> ExecPipelined(
      const std::string& sql, const std::vector<PgParams>& executions);

  // True once the connection is lost; the owner should drop it.
  bool Broken() const;
  // Reads whatever the server sent while the connection sat idle (without
  // blocking): notices that the server closed it, e.g. on a restart.
  // False if the connection is lost.
  bool CheckAlive();

  // Where this connection goes (DescribePgConnInfo), for messages.
  const std::string& target() const { return target_; }

 private:
  PgConn(PGconn* conn, std::string target, std::string password)
      : conn_(conn),
        target_(std::move(target)),
        password_(std::move(password)) {}

  // The status for a failed result (null: the connection's error).
  absl::Status Error(const PGresult* result, absl::string_view what) const;
  // The name of the prepared statement for `sql`, preparing it if needed.
  absl::StatusOr<std::string> Prepared(const std::string& sql);
  absl::Status PipelineChunk(const std::string& name,
                             const std::vector<PgParams>& executions,
                             size_t begin, size_t end,
                             std::vector<int64_t>* affected);

  PGconn* conn_;
  std::string target_;
  std::string password_;  // Only to scrub it from server messages.
  std::map<std::string, std::string> statements_;  // SQL -> name.
};

// A transaction (READ COMMITTED, the server's default). Rolled back when
// destroyed unless Commit() succeeded.
class PgTransaction {
 public:
  static absl::StatusOr<PgTransaction> Begin(PgConn& conn);

  PgTransaction(PgTransaction&& other) noexcept;
  PgTransaction& operator=(PgTransaction&&) = delete;
  PgTransaction(const PgTransaction&) = delete;
  PgTransaction& operator=(const PgTransaction&) = delete;
  ~PgTransaction();

  // UNAVAILABLE if the outcome is unknown (connection lost during COMMIT);
  // ABORTED if the server rolled back instead (an earlier statement of the
  // transaction had failed).
  absl::Status Commit();

 private:
  explicit PgTransaction(PgConn* conn) : conn_(conn) {}

  PgConn* conn_;  // Null once committed, rolled back or moved from.
};

}  // namespace v6scope::collector::store::postgres

#endif  // V6SCOPE_COLLECTOR_STORE_POSTGRES_PG_CONN_H_
