#include "probe/uplink/spool_drainer.h"

#include <vector>

#include "common/log/log.h"

namespace v6scope::probe::uplink {

SpoolDrainer::SpoolDrainer(spool::Spool* spool, RunSender* uplink,
                           Backoff* backoff, const time::Clock* clock,
                           Options options)
    : spool_(spool),
      uplink_(uplink),
      backoff_(backoff),
      clock_(clock),
      options_(options) {}

absl::Status SpoolDrainer::DrainOnce() {
  absl::Status s = SendPending();
  if (!s.ok()) {
    backoff_->Hint(uplink_->back_off_hint());
    const absl::Duration delay = backoff_->NextDelay();
    next_attempt_ = clock_->Now() + delay;
    log::Warn("drain.retry_later",
              {{"in", absl::FormatDuration(delay)},
               {"attempt", backoff_->attempts()},
               {"pending", spool_->stats().pending_records},
               {"status", s}});
    return s;
  }
  backoff_->Reset();
  next_attempt_ = clock_->Now();
  return absl::OkStatus();
}

absl::Status SpoolDrainer::SendPending() {
  absl::StatusOr<std::vector<spool::SpooledRun>> pending = spool_->ReadPending(
      options_.max_runs_per_attempt, options_.max_bytes_per_attempt);
  if (!pending.ok()) return pending.status();
  uint64_t dropped = spool_->unreported_dropped();
  size_t begin = 0;
  for (size_t i = 1; i <= pending->size(); ++i) {
    const bool gap =
        i == pending->size() || (*pending)[i].seq != (*pending)[i - 1].seq + 1;
    if (!gap) continue;
    absl::Status s = SendContiguous(*pending, begin, i, dropped);
    if (!s.ok()) return s;
    dropped = 0;  // Reported with the first acknowledged batch.
    begin = i;
  }
  return absl::OkStatus();
}

absl::Status SpoolDrainer::SendContiguous(
    const std::vector<spool::SpooledRun>& runs, size_t begin, size_t end,
    uint64_t dropped) {
  std::vector<v6scope::v1::Run> batch;
  batch.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) batch.push_back(runs[i].run);
  absl::StatusOr<UploadResult> result =
      uplink_->Send(runs[begin].seq, batch, dropped);
  if (!result.ok()) return result.status();
  // Everything up to the last run of this batch is at the collector,
  // including a gap before it (records that were lost as corrupt).
  return spool_->Acknowledge(result->acked_through, dropped);
}

}  // namespace v6scope::probe::uplink
