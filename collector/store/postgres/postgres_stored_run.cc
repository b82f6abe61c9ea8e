#include "collector/store/postgres/postgres_stored_run.h"

#include <google/protobuf/util/time_util.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "collector/store/postgres/pg_conn.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::store::postgres {

absl::StatusOr<v6scope::v1::StoredRun> ReadStoredRun(
    const PgResult& rows, int row, const std::string& target) {
  v6scope::v1::StoredRun stored;
  stored.set_probe_id(rows.Bytes(row, 1));
  stored.set_seq(static_cast<uint64_t>(rows.Int(row, 2)));
  *stored.mutable_received_at() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          rows.Int(row, 3));
  if (!stored.mutable_run()->ParseFromString(rows.Bytes(row, 4))) {
    return absl::DataLossError(absl::StrCat(target, ": run ", rows.Int(row, 0),
                                            " is not a valid v6scope.v1.Run"));
  }
  return stored;
}

}  // namespace v6scope::collector::store::postgres
