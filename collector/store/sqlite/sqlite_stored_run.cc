#include "collector/store/sqlite/sqlite_stored_run.h"

#include <google/protobuf/util/time_util.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "collector/store/sqlite/sqlite_db.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::store::sqlite {

absl::StatusOr<v6scope::v1::StoredRun> ReadStoredRun(const SqliteStmt& row,
                                                     const std::string& path) {
  v6scope::v1::StoredRun stored;
  stored.set_probe_id(row.Text(1));
  stored.set_seq(static_cast<uint64_t>(row.Int(2)));
  *stored.mutable_received_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(row.Int(3));
  if (!stored.mutable_run()->ParseFromString(row.Blob(4))) {
    return absl::DataLossError(absl::StrCat("SQLite database ", path, ": run ",
                                            row.Int(0),
                                            " is not a valid v6scope.v1.Run"));
  }
  return stored;
}

}  // namespace v6scope::collector::store::sqlite
