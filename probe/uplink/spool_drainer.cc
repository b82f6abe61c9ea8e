#include "probe/uplink/spool_drainer.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/log/log.h"
#include "probe/uplink/refusal.h"
#include "probe/uplink/send_ranges.h"

namespace v6scope::probe::uplink {

SpoolDrainer::SpoolDrainer(spool::Spool* spool, RunSender* uplink,
                           Backoff* backoff, const time::Clock* clock,
                           Options options)
    : spool_(spool),
      uplink_(uplink),
      backoff_(backoff),
      clock_(clock),
      options_(options) {
  if (options_.domain_spool != nullptr) {
    ResultDrainer::Options ro;
    ro.max_results_per_attempt = options_.max_results_per_attempt;
    ro.max_bytes_per_attempt = options_.max_bytes_per_attempt;
    ro.quarantine = options_.result_quarantine;
    ro.work_book = options_.work_book;
    ro.registry = options_.registry;
    results_ = std::make_unique<ResultDrainer>(options_.domain_spool, uplink,
                                               clock, ro);
  }
  if (options_.registry == nullptr) return;
  refused_ = options_.registry
                 ->Counter("v6scope_probe_runs_refused_total",
                           "Runs the collector refused for good: put in the "
                           "quarantine and reported as dropped.")
                 ->Get();
}

absl::Status SpoolDrainer::DrainOnce() {
  uplink_->BeginAttempt();
  absl::Status s = SendPending();
  if (s.ok()) s = SendCampaignWork();
  uplink_->EndAttempt();
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

absl::Time SpoolDrainer::NextDue() const {
  absl::Time due = absl::InfiniteFuture();
  if (has_pending()) due = next_attempt_;
  if (results_ != nullptr && results_->has_pending()) {
    due = std::min(due, std::max(next_attempt_, campaigns_paused_until_));
  }
  return std::min(due, PollDue());
}

absl::Time SpoolDrainer::PollDue() const {
  if (options_.work_book == nullptr) return absl::InfiniteFuture();
  const absl::Time at = options_.work_book->NextPollAt();
  if (at == absl::InfiniteFuture()) return at;
  return std::max({at, last_poll_ + options_.min_poll_interval,
                   campaigns_paused_until_, next_attempt_});
}

absl::Status SpoolDrainer::SendCampaignWork() {
  if (clock_->Now() < campaigns_paused_until_) return absl::OkStatus();
  if (results_ != nullptr && results_->has_pending()) {
    absl::Status s = NoteCampaignStatus(results_->SendPending());
    if (!s.ok() || clock_->Now() < campaigns_paused_until_) return s;
  }
  return NoteCampaignStatus(PollIfDue());
}

absl::Status SpoolDrainer::NoteCampaignStatus(absl::Status s) {
  if (!IsNoCampaigns(s)) return s;
  campaigns_paused_until_ = clock_->Now() + options_.no_campaigns_pause;
  log::Info("drain.no_campaigns",
            {{"until", absl::FormatTime(campaigns_paused_until_)},
             {"reason", s.message()}});
  return absl::OkStatus();
}

absl::Status SpoolDrainer::PollIfDue() {
  // The attempt itself is due now, so only the poll's own times count.
  if (options_.work_book == nullptr ||
      clock_->Now() < std::max(options_.work_book->NextPollAt(),
                               last_poll_ + options_.min_poll_interval)) {
    return absl::OkStatus();
  }
  const v6scope::v1::WorkPoll poll = options_.work_book->BuildPoll();
  last_poll_ = clock_->Now();
  absl::StatusOr<v6scope::v1::WorkOffer> offer = uplink_->Poll(poll);
  if (!offer.ok()) return offer.status();
  absl::Status s = options_.work_book->ApplyOffer(poll, *offer);
  // The state directory failed: the next poll says the same again (it is
  // the probe's whole state), so uploads need not back off for it.
  if (!s.ok()) log::Error("drain.offer_not_applied", {{"status", s}});
  log::Info("drain.polled", {{"offered", offer->assignments_size()},
                             {"cancelled", offer->cancelled_size()}});
  return absl::OkStatus();
}

absl::Status SpoolDrainer::SendPending() {
  absl::StatusOr<std::vector<spool::SpooledRun>> pending = spool_->ReadPending(
      options_.max_runs_per_attempt, options_.max_bytes_per_attempt);
  if (!pending.ok()) return pending.status();
  const std::vector<spool::SpooledRun>& runs = *pending;
  RangeSender sender;
  sender.send = [&](size_t begin, size_t end) {
    return SendBatch(runs, begin, end);
  };
  sender.read = [](const absl::Status& s) {
    if (!absl::IsInvalidArgument(s) || NamesBatchField(s.message())) {
      return SendFailure{s, {}};
    }
    return SendFailure{absl::OkStatus(), RefusedRunIndex(s.message())};
  };
  sender.put_aside = [&](size_t i, const absl::Status& refusal) {
    return PutAside(runs[i], refusal);
  };
  sender.seq = [&](size_t i) { return runs[i].seq; };
  sender.unnamed_event = "drain.refusal_unnamed";
  return SendContiguous(sender, runs.size());
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
