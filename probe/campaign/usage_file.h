// The day's campaign usage of assignments the probe no longer holds
// (finished, expired, cancelled): `<dir>/usage`, replaced atomically when
// an assignment is dropped. With the progress logs of held assignments
// (whose records carry their day and bytes) it gives the day's usage after
// a restart, so a restart never resets a daily budget. Text:
//   day=<days since epoch, UTC>
//   <campaign_id> <domains> <bytes>       one line per campaign
#ifndef V6SCOPE_PROBE_CAMPAIGN_USAGE_FILE_H_
#define V6SCOPE_PROBE_CAMPAIGN_USAGE_FILE_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace v6scope::probe::campaign {

struct Usage {
  uint64_t domains = 0;  // Checks made (skipped items not counted).
  uint64_t bytes = 0;    // Estimated (byte_estimate.h).
};

struct DayUsage {
  uint32_t day = 0;
  std::map<std::string, Usage> by_campaign;
};

absl::Status WriteUsageFile(const std::string& path, const DayUsage& usage);
// NOT_FOUND if missing; DATA_LOSS if it does not parse.
absl::StatusOr<DayUsage> ReadUsageFile(const std::string& path);

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_USAGE_FILE_H_
