// SqliteStore's AccessKeys role: the read_keys table (schema version 3).
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "collector/store/sqlite/sqlite_db.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "collector/store/store_encoding.h"

namespace v6scope::collector::store::sqlite {
namespace {

constexpr char kInsertReadKey[] =
    "INSERT INTO read_keys (key_id, key_hash, name, org, created_at, "
    "expires_at, revoked) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0) "
    "ON CONFLICT DO NOTHING";
constexpr char kReadKeyColumns[] =
    "SELECT key_id, key_hash, name, org, created_at, expires_at, revoked "
    "FROM read_keys ";
constexpr char kRevokeReadKey[] =
    "UPDATE read_keys SET revoked = 1 WHERE key_id = ?1";

ReadKeyRecord ReadKeyRow(const SqliteStmt& row) {
  ReadKeyRecord key;
  key.key_id = row.Text(0);
  key.key_hash = row.Text(1);
  key.name = row.Text(2);
  key.org = row.Text(3);
  key.created_at = absl::FromUnixMicros(row.Int(4));
  key.expires_at = absl::FromUnixMicros(row.Int(5));
  key.revoked = row.Int(6) != 0;
  return key;
}

}  // namespace

absl::Status SqliteStore::AddReadKey(const ReadKeyRecord& key) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStmt> insert = db_->Prepare(kInsertReadKey);
  if (!insert.ok()) return insert.status();
  insert->BindText(1, key.key_id);
  insert->BindText(2, key.key_hash);
  insert->BindText(3, key.name);
  insert->BindText(4, key.org);
  insert->BindInt(5, Micros(key.created_at));
  insert->BindInt(6, Micros(key.expires_at));
  absl::Status inserted = insert->Run();
  if (!inserted.ok()) return inserted;
  if (db_->Changes() == 0) {
    return absl::AlreadyExistsError("read key already exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<ReadKeyRecord> SqliteStore::FindReadKey(
    const std::string& key_hash) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select =
      read_db_->Prepare(absl::StrCat(kReadKeyColumns, "WHERE key_hash = ?1"));
  if (!select.ok()) return select.status();
  select->BindText(1, key_hash);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError("unknown read key");
  return ReadKeyRow(*select);
}

absl::StatusOr<std::vector<ReadKeyRecord>> SqliteStore::ListReadKeys() {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select =
      read_db_->Prepare(absl::StrCat(kReadKeyColumns, "ORDER BY key_id"));
  if (!select.ok()) return select.status();
  std::vector<ReadKeyRecord> keys;
  for (;;) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    keys.push_back(ReadKeyRow(*select));
  }
  return keys;
}

absl::Status SqliteStore::RevokeReadKey(const std::string& key_id) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteStmt> update = db_->Prepare(kRevokeReadKey);
  if (!update.ok()) return update.status();
  update->BindText(1, key_id);
  absl::Status updated = update->Run();
  if (!updated.ok()) return updated;
  // SQLite counts matched rows, so revoking twice still changes one row.
  if (db_->Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("no read key ", key_id));
  }
  return absl::OkStatus();
}

}  // namespace v6scope::collector::store::sqlite
