// Reading a stored run back from a row of PostgresStore's `runs` table;
// shared by the listings, the export and the rollup rebuild.
#ifndef V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_STORED_RUN_H_
#define V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_STORED_RUN_H_

#include <string>

#include "absl/status/statusor.h"
#include "collector/store/postgres/pg_conn.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::store::postgres {

// Row `row` of a result selecting (id, probe_id, seq, received_at, run)
// first. DATA_LOSS naming `target` (the server, for messages) and the
// run's id if the blob does not parse.
absl::StatusOr<v6scope::v1::StoredRun> ReadStoredRun(const PgResult& rows,
                                                     int row,
                                                     const std::string& target);

}  // namespace v6scope::collector::store::postgres

#endif  // V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_STORED_RUN_H_
