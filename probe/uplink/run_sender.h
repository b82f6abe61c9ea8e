// RunSender: what the spool drainer needs from the way to the collectors.
// Uplink implements it over gRPC; tests give the drainer and the uplink
// worker a fake (testing/fake_sender.h) that fails, hints or never answers
// on command.
#ifndef V6SCOPE_PROBE_UPLINK_RUN_SENDER_H_
#define V6SCOPE_PROBE_UPLINK_RUN_SENDER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/results.pb.h"

namespace v6scope::probe::uplink {

struct UploadResult {
  uint64_t last_stored_seq_before = 0;  // From the collector's Welcome.
  uint64_t acked_through = 0;           // Highest acknowledged sequence.
  uint64_t stored = 0;                  // New runs (not duplicates).
};

class RunSender {
 public:
  virtual ~RunSender() = default;

  // Delivers runs[i] as sequence first_seq + i and returns once all are
  // acknowledged (durably stored). Blocking; one caller at a time.
  virtual absl::StatusOr<UploadResult> Send(
      uint64_t first_seq, const std::vector<v6scope::v1::Run>& runs,
      uint64_t dropped_runs) = 0;

  // The largest back-off a collector asked for during the last Send.
  virtual absl::Duration back_off_hint() const = 0;

  // No Send follows soon: let go of idle connections.
  virtual void CloseChannels() = 0;

  // Thread-safe, for shutdown: a Send in flight returns soon (CANCELLED)
  // and every later one fails at once. Permanent.
  virtual void Cancel() = 0;
};

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_RUN_SENDER_H_
