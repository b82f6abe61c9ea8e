// An accepted assignment on disk: `<dir>/<assignment_id>.assignment`,
// replaced atomically (temp file, fsync, rename, fsync of the directory),
// framed so that a damaged file is recognised instead of half-parsed:
//   "V6A1", payload length u32 LE, CRC-32C of the payload u32 LE,
//   payload = the v6scope.v1.Assignment in protobuf binary.
#ifndef V6SCOPE_PROBE_CAMPAIGN_ASSIGNMENT_FILE_H_
#define V6SCOPE_PROBE_CAMPAIGN_ASSIGNMENT_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "proto/probe_service.pb.h"

namespace v6scope::probe::campaign {

absl::Status WriteAssignmentFile(const std::string& path,
                                 const v6scope::v1::Assignment& assignment);

// NOT_FOUND if missing; DATA_LOSS saying what is wrong if damaged.
absl::StatusOr<v6scope::v1::Assignment> ReadAssignmentFile(
    const std::string& path);

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_ASSIGNMENT_FILE_H_
