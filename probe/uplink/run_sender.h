// RunSender: what the spool drainer needs from the way to the collectors.
// Uplink implements it over gRPC; tests give the drainer and the uplink
// worker a fake (testing/fake_sender.h) that fails, hints or never answers
// on command.
#ifndef V6SCOPE_PROBE_UPLINK_RUN_SENDER_H_
#define V6SCOPE_PROBE_UPLINK_RUN_SENDER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/probe_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::probe::uplink {

struct UploadResult {
  uint64_t last_stored_seq_before = 0;  // From the collector's Welcome.
  uint64_t acked_through = 0;           // Highest acknowledged sequence.
  uint64_t stored = 0;                  // New runs (not duplicates).
};

struct DomainUploadResult {
  uint64_t last_stored_seq_before = 0;  // Welcome.last_stored_domain_seq.
  uint64_t acked_through = 0;           // Highest acknowledged sequence.
  uint64_t stored = 0;                  // New results (not duplicates).
  // Assignments the collector stopped (DomainAck.cancelled), in order.
  std::vector<std::string> cancelled;
};

// What SendResults and Poll return when no collector takes campaign work
// (one from before issue 16, or a sender without it): UNIMPLEMENTED.
inline bool IsNoCampaigns(const absl::Status& s) {
  return absl::IsUnimplemented(s);
}

class RunSender {
 public:
  virtual ~RunSender() = default;

  // Delivers runs[i] as sequence first_seq + i and returns once all are
  // acknowledged (durably stored). Blocking; one caller at a time.
  virtual absl::StatusOr<UploadResult> Send(
      uint64_t first_seq, const std::vector<v6scope::v1::Run>& runs,
      uint64_t dropped_runs) = 0;

  // Campaign work (issue 16) on the same Upload stream. results[i] has
  // readiness sequence first_seq + i; returns once all are acknowledged.
  // The defaults are a sender without campaigns (UNIMPLEMENTED).
  virtual absl::StatusOr<DomainUploadResult> SendResults(
      uint64_t first_seq, const std::vector<v6scope::v1::DomainResult>& results,
      uint64_t dropped_results) {
    (void)first_seq;
    (void)results;
    (void)dropped_results;
    return absl::UnimplementedError("this sender carries no campaign work");
  }
  // One WorkPoll, answered by one WorkOffer.
  virtual absl::StatusOr<v6scope::v1::WorkOffer> Poll(
      const v6scope::v1::WorkPoll& poll) {
    (void)poll;
    return absl::UnimplementedError("this sender carries no campaign work");
  }

  // An attempt's exchanges between these two share one Upload stream when
  // they can (a sender may keep it open in between); outside them each
  // call has a stream of its own. One attempt at a time.
  virtual void BeginAttempt() {}
  virtual void EndAttempt() {}

  // The largest back-off a collector asked for during the last call.
  virtual absl::Duration back_off_hint() const = 0;

  // No Send follows soon: let go of idle connections.
  virtual void CloseChannels() = 0;

  // Thread-safe, for shutdown: a Send in flight returns soon (CANCELLED)
  // and every later one fails at once. Permanent.
  virtual void Cancel() = 0;
};

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_RUN_SENDER_H_
