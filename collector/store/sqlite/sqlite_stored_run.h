// Reading a stored run back from a row of SqliteStore's `runs` table;
// shared by the listings, the export and the rollup rebuild.
#ifndef V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_STORED_RUN_H_
#define V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_STORED_RUN_H_

#include <string>

#include "absl/status/statusor.h"
#include "collector/store/sqlite/sqlite_db.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::store::sqlite {

// The current row of a statement selecting (id, probe_id, seq,
// received_at, run) first. DATA_LOSS naming the database at `path` and the
// run's id if the blob does not parse.
absl::StatusOr<v6scope::v1::StoredRun> ReadStoredRun(const SqliteStmt& row,
                                                     const std::string& path);

}  // namespace v6scope::collector::store::sqlite

#endif  // V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_STORED_RUN_H_
