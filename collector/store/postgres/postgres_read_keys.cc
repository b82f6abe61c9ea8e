// PostgresStore's AccessKeys role: the read_keys table (schema version 3),
// the same statements as the SQLite store in PostgreSQL's dialect.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "collector/store/postgres/pg_conn.h"
#include "collector/store/postgres/pg_pool.h"
#include "collector/store/postgres/postgres_store.h"
#include "collector/store/store_encoding.h"

namespace v6scope::collector::store::postgres {
namespace {

constexpr char kInsertReadKey[] =
    "INSERT INTO read_keys (key_id, key_hash, name, org, created_at, "
    "expires_at, revoked) VALUES ($1, $2, $3, $4, $5, $6, false) "
    "ON CONFLICT DO NOTHING";
constexpr char kReadKeyColumns[] =
    "SELECT key_id, key_hash, name, org, created_at, expires_at, revoked "
    "FROM read_keys ";
constexpr char kRevokeReadKey[] =
    "UPDATE read_keys SET revoked = true WHERE key_id = $1";

ReadKeyRecord ReadKeyRow(const PgResult& result, int row) {
  ReadKeyRecord key;
  key.key_id = result.Bytes(row, 0);
  key.key_hash = result.Bytes(row, 1);
  key.name = result.Bytes(row, 2);
  key.org = result.Bytes(row, 3);
  key.created_at = absl::FromUnixMicros(result.Int(row, 4));
  key.expires_at = absl::FromUnixMicros(result.Int(row, 5));
  key.revoked = result.Bool(row, 6);
  return key;
}

}  // namespace

absl::Status PostgresStore::AddReadKey(const ReadKeyRecord& key) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> inserted =
      (*conn)->Query(kInsertReadKey, PgParams()
                                         .Text(key.key_id)
                                         .Text(key.key_hash)
                                         .Text(key.name)
                                         .Text(key.org)
                                         .Int(Micros(key.created_at))
                                         .Int(Micros(key.expires_at)));
  if (!inserted.ok()) return inserted.status();
  if (inserted->Affected() == 0) {
    return absl::AlreadyExistsError("read key already exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<ReadKeyRecord> PostgresStore::FindReadKey(
    const std::string& key_hash) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows =
      (*conn)->Query(absl::StrCat(kReadKeyColumns, "WHERE key_hash = $1"),
                     PgParams().Text(key_hash));
  if (!rows.ok()) return rows.status();
  if (rows->Rows() == 0) return absl::NotFoundError("unknown read key");
  return ReadKeyRow(*rows, 0);
}

absl::StatusOr<std::vector<ReadKeyRecord>> PostgresStore::ListReadKeys() {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Query(
      absl::StrCat(kReadKeyColumns, "ORDER BY key_id"), PgParams());
  if (!rows.ok()) return rows.status();
  std::vector<ReadKeyRecord> keys;
  for (int i = 0; i < rows->Rows(); ++i) keys.push_back(ReadKeyRow(*rows, i));
  return keys;
}

absl::Status PostgresStore::RevokeReadKey(const std::string& key_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> updated =
      (*conn)->Query(kRevokeReadKey, PgParams().Text(key_id));
  if (!updated.ok()) return updated.status();
  // PostgreSQL counts matched rows, so revoking twice still updates one.
  if (updated->Affected() == 0) {
    return absl::NotFoundError(absl::StrCat("no read key ", key_id));
  }
  return absl::OkStatus();
}

}  // namespace v6scope::collector::store::postgres
