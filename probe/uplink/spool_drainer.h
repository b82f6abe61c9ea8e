// SpoolDrainer: moves runs from the probe's spool to a collector.
//
// Each attempt reads the oldest pending runs from disk (bounded), sends
// them as batches of contiguous sequence numbers (a record skipped as
// corrupt leaves a gap; the batch splits there), and acknowledges in the
// spool only what the collector acknowledged — so a crash or an outage at
// any point loses nothing and at worst resends what the collector will
// recognise as duplicates. Spool quota drops are reported once, on the
// first batch of an attempt, and marked reported only when acknowledged.
// After a failure the next attempt waits per Backoff (with the collector's
// hint as a floor); after a success it may go on at once.
// Owned by the probe's uplink thread (UplinkWorker) or, for run-once, by
// the main thread; the spool it drains is shared with the measuring thread
// (Spool is thread-safe). Cancel() alone may come from another thread.
#ifndef V6SCOPE_PROBE_UPLINK_SPOOL_DRAINER_H_
#define V6SCOPE_PROBE_UPLINK_SPOOL_DRAINER_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/time/clock.h"
#include "probe/spool/spool.h"
#include "probe/uplink/backoff.h"
#include "probe/uplink/run_sender.h"

namespace v6scope::probe::uplink {

class SpoolDrainer {
 public:
  struct Options {
    size_t max_runs_per_attempt = 200;
    size_t max_bytes_per_attempt = 3 << 20;  // Under the 4 MiB message cap.
  };

  // Pointers must outlive the drainer.
  SpoolDrainer(spool::Spool* spool, RunSender* uplink, Backoff* backoff,
               const time::Clock* clock, Options options);
  SpoolDrainer(spool::Spool* spool, RunSender* uplink, Backoff* backoff,
               const time::Clock* clock)
      : SpoolDrainer(spool, uplink, backoff, clock, Options()) {}

  // One attempt: sends up to one read's worth of pending runs. OK when
  // all of it was acknowledged (or nothing was pending).
  absl::Status DrainOnce();

  bool has_pending() const { return spool_->stats().pending_records > 0; }
  // No attempt follows soon: let go of the connection to the collector.
  void CloseConnections() { uplink_->CloseChannels(); }
  // Earliest time the next attempt should be made.
  absl::Time next_attempt() const { return next_attempt_; }
  // Thread-safe, for shutdown: abandons an attempt in flight (it fails
  // with CANCELLED, acknowledging nothing more) and every later one.
  void Cancel() { uplink_->Cancel(); }

 private:
  absl::Status SendPending();
  absl::Status SendContiguous(const std::vector<spool::SpooledRun>& runs,
                              size_t begin, size_t end, uint64_t dropped);

  spool::Spool* const spool_;
  RunSender* const uplink_;
  Backoff* const backoff_;
  const time::Clock* const clock_;
  const Options options_;
  absl::Time next_attempt_ = absl::InfinitePast();
};

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_SPOOL_DRAINER_H_
