#include "probe/uplink/spool_drainer.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "probe/uplink/refusal.h"

namespace v6scope::probe::uplink {

SpoolDrainer::SpoolDrainer(spool::Spool* spool, RunSender* uplink,
                           Backoff* backoff, const time::Clock* clock,
                           Options options)
    : spool_(spool),
      uplink_(uplink),
      backoff_(backoff),
      clock_(clock),
      options_(options) {
  if (options_.registry == nullptr) return;
  refused_ = options_.registry
                 ->Counter("v6scope_probe_runs_refused_total",
                           "Runs the collector refused for good: put in the "
                           "quarantine and reported as dropped.")
                 ->Get();
}

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
  size_t begin = 0;
  for (size_t i = 1; i <= pending->size(); ++i) {
    const bool gap =
        i == pending->size() || (*pending)[i].seq != (*pending)[i - 1].seq + 1;
    if (!gap) continue;
    absl::Status s = SendRange(*pending, begin, i);
    if (!s.ok()) return s;
    begin = i;
  }
  return absl::OkStatus();
}

absl::Status SpoolDrainer::SendRange(const std::vector<spool::SpooledRun>& runs,
                                     size_t begin, size_t end) {
  bool singly = false;  // Narrowing down a refusal that named no run.
  while (begin < end) {
    const size_t stop = singly ? begin + 1 : end;
    absl::Status s = SendBatch(runs, begin, stop);
    if (s.ok()) {
      begin = stop;
      continue;
    }
    if (!absl::IsInvalidArgument(s) || NamesBatchField(s.message())) return s;
    std::optional<size_t> blamed = Blamed(s, begin, stop);
    if (!blamed.has_value() && stop - begin > 1) {
      log::Warn(
          "drain.refusal_unnamed",
          {{"seq", absl::StrCat(runs[begin].seq, "..", runs[stop - 1].seq)},
           {"reason", s.message()}});
      singly = true;
      continue;
    }
    const size_t bad = begin + blamed.value_or(0);
    // The runs before it first, so that it is the spool's oldest pending
    // run when it is dropped; they may hold a refused run of their own.
    absl::Status before = SendRange(runs, begin, bad);
    if (!before.ok()) return before;
    absl::Status aside = PutAside(runs[bad], s);
    if (!aside.ok()) return aside;
    begin = bad + 1;
  }
  return absl::OkStatus();
}

std::optional<size_t> SpoolDrainer::Blamed(const absl::Status& refusal,
                                           size_t begin, size_t end) {
  std::optional<size_t> i = RefusedRunIndex(refusal.message());
  if (i.has_value() && *i >= end - begin) return std::nullopt;
  return i;
}

absl::Status SpoolDrainer::SendBatch(const std::vector<spool::SpooledRun>& runs,
                                     size_t begin, size_t end) {
  if (begin == end) return absl::OkStatus();
  std::vector<v6scope::v1::Run> batch;
  batch.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) batch.push_back(runs[i].run);
  // Read per batch: drops (quota or refused) since the last acknowledged
  // report, which the spool marks reported only once this batch is stored.
  const uint64_t dropped = spool_->unreported_dropped();
  absl::StatusOr<UploadResult> result =
      uplink_->Send(runs[begin].seq, batch, dropped);
  if (!result.ok()) return result.status();
  // Everything up to the last run of this batch is at the collector,
  // including a gap before it (records that were lost as corrupt).
  return spool_->Acknowledge(result->acked_through, dropped);
}

absl::Status SpoolDrainer::PutAside(const spool::SpooledRun& run,
                                    const absl::Status& refusal) {
  std::string file = "-";
  if (options_.quarantine != nullptr) {
    absl::StatusOr<std::string> put = options_.quarantine->Put(
        run.seq, run.run, refusal.message(), clock_->Now());
    // Dropped even so: the collector will never take this run, and keeping
    // it would block every run behind it. The log line keeps the reason.
    if (put.ok()) file = *put;
    if (!put.ok())
      log::Error("drain.quarantine_failed", {{"status", put.status()}});
  }
  absl::StatusOr<uint64_t> dropped = spool_->DropRefused(run.seq);
  if (!dropped.ok()) return dropped.status();
  if (refused_ != nullptr) refused_->Add(1);
  log::Error(
      "drain.run_refused",
      {{"seq", run.seq}, {"reason", refusal.message()}, {"quarantined", file}});
  return absl::OkStatus();
}

}  // namespace v6scope::probe::uplink
