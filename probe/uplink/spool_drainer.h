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
//
// A run the collector refuses for good (INVALID_ARGUMENT naming runs[i] of
// a batch; see refusal.h) never blocks the spool: the runs before it are
// sent, it goes to the quarantine (spool/quarantine.h) and leaves the spool
// counted as dropped (reported in the next batch's dropped_runs), it is
// logged (drain.run_refused, at error) and counted
// (v6scope_probe_runs_refused_total), and the runs after it go on at once.
// A refusal that names no run is narrowed down by sending the batch's runs
// one at a time. A refusal naming a field of the batch (first_seq,
// dropped_runs), and every other final error (UNAUTHENTICATED: a revoked
// probe, FAILED_PRECONDITION), is no run's fault: the attempt fails and is
// retried later, as for an outage.
//
// Campaign work (issue 16) rides on the same attempt and, when it can, the
// same Upload stream (RunSender::BeginAttempt): runs first, then readiness
// results (ResultDrainer, from the readiness spool), then a WorkPoll if
// the work book's NextPollAt has passed, whose WorkOffer goes to
// WorkBook::ApplyOffer. Without a readiness spool and a work book the
// drainer is exactly the run drainer. A collector without campaigns
// (UNIMPLEMENTED from the sender) is no failure: results stay spooled and
// no poll is made for `no_campaigns_pause`.
// Owned by the probe's uplink thread (UplinkWorker) or, for run-once, by
// the main thread; the spool it drains is shared with the measuring thread
// (Spool is thread-safe). Cancel() alone may come from another thread.
#ifndef V6SCOPE_PROBE_UPLINK_SPOOL_DRAINER_H_
#define V6SCOPE_PROBE_UPLINK_SPOOL_DRAINER_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "probe/campaign/work_book.h"
#include "probe/spool/domain_spool.h"
#include "probe/spool/quarantine.h"
#include "probe/spool/spool.h"
#include "probe/uplink/backoff.h"
#include "probe/uplink/result_drainer.h"
#include "probe/uplink/run_sender.h"

namespace v6scope::probe::uplink {

class SpoolDrainer {
 public:
  struct Options {
    size_t max_runs_per_attempt = 200;
    size_t max_bytes_per_attempt = 3 << 20;  // Under the 4 MiB message cap.
    // Where refused runs go; nullptr: they are dropped with only the log
    // line (tests, run-once without a state directory).
    spool::Quarantine* quarantine = nullptr;
    // For v6scope_probe_runs_refused_total; nullptr: not exported.
    metrics::Registry* registry = nullptr;

    // Campaign work; each nullptr: none.
    spool::DomainSpool* domain_spool = nullptr;
    spool::Quarantine* result_quarantine = nullptr;
    campaign::WorkBook* work_book = nullptr;
    size_t max_results_per_attempt = 200;
    // Polls are at least this far apart, whatever the work book says.
    absl::Duration min_poll_interval = absl::Seconds(30);
    // How long campaign work waits after a collector without campaigns.
    absl::Duration no_campaigns_pause = absl::Hours(1);
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

  // Runs wait in the spool.
  bool has_pending() const { return spool_->stats().pending_records > 0; }
  // When the next attempt is due: next_attempt() while runs or (outside a
  // pause for a collector without campaigns) results wait; a due poll
  // (the work book's NextPollAt, min_poll_interval after the last one);
  // InfiniteFuture if nothing is to be done.
  absl::Time NextDue() const;
  // No attempt follows soon: let go of the connection to the collector.
  void CloseConnections() { uplink_->CloseChannels(); }
  // Earliest time the next attempt should be made.
  absl::Time next_attempt() const { return next_attempt_; }
  // Thread-safe, for shutdown: abandons an attempt in flight (it fails
  // with CANCELLED, acknowledging nothing more) and every later one.
  void Cancel() { uplink_->Cancel(); }

 private:
  absl::Status SendPending();
  // The campaign part of an attempt: results, then a due poll.
  absl::Status SendCampaignWork();
  absl::Status PollIfDue();
  absl::Time PollDue() const;
  // UNIMPLEMENTED (no collector takes campaign work) starts a pause and
  // counts as done; other statuses come back as they are.
  absl::Status NoteCampaignStatus(absl::Status s);
  // One batch, runs[begin, end), acknowledged in the spool when stored.
  absl::Status SendBatch(const std::vector<spool::SpooledRun>& runs,
                         size_t begin, size_t end);
  // Quarantines `run`, drops it from the spool and counts it.
  absl::Status PutAside(const spool::SpooledRun& run,
                        const absl::Status& refusal);

  spool::Spool* const spool_;
  RunSender* const uplink_;
  Backoff* const backoff_;
  const time::Clock* const clock_;
  const Options options_;
  absl::Time next_attempt_ = absl::InfinitePast();
  metrics::Value* refused_ = nullptr;
  std::unique_ptr<ResultDrainer> results_;  // With a readiness spool.
  absl::Time last_poll_ = absl::InfinitePast();
  absl::Time campaigns_paused_until_ = absl::InfinitePast();
};

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_SPOOL_DRAINER_H_
