// How both spools' drainers (runs: SpoolDrainer, readiness results:
// ResultDrainer) send what is pending: in runs of consecutive sequence
// numbers (split at gaps, which the collector would refuse), and within a
// run, around the records the collector refuses for good.
//
// A refusal naming a record (INVALID_ARGUMENT "runs[i]..." /
// "results[i]...") puts that record aside after the records before it are
// sent, so that it is the spool's oldest pending record when it is
// dropped, then goes on with the rest; a refusal naming none narrows down
// by sending one record at a time. Anything else ends the attempt.
#ifndef V6SCOPE_PROBE_UPLINK_SEND_RANGES_H_
#define V6SCOPE_PROBE_UPLINK_SEND_RANGES_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"

namespace v6scope::probe::uplink {

// What a failed send of [begin, end) means.
struct SendFailure {
  // Not OK: end the attempt with this status (a transport error, a field
  // of the batch itself, a collector without campaigns, ...).
  absl::Status stop;
  // Else a refusal: the offset from `begin` of the record it names, if any.
  std::optional<size_t> blamed;
};

struct RangeSender {
  // Sends records [begin, end) as one batch; OK once acknowledged.
  std::function<absl::Status(size_t begin, size_t end)> send;
  // Reads a failure of `send`.
  std::function<SendFailure(const absl::Status& failure)> read;
  // Drops record `index` as refused with `refusal` (quarantine, metric).
  std::function<absl::Status(size_t index, const absl::Status& refusal)>
      put_aside;
  // The sequence number of record `index`, for splitting and the log.
  std::function<uint64_t(size_t index)> seq;
  // Log event for a refusal that names no record.
  std::string unnamed_event;
};

// Sends records [0, count) in runs of consecutive sequence numbers.
absl::Status SendContiguous(const RangeSender& sender, size_t count);

// Sends [begin, end) (consecutive), around refused records.
absl::Status SendRefusing(const RangeSender& sender, size_t begin, size_t end);

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_SEND_RANGES_H_
