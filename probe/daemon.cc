#include "probe/daemon.h"

#include "common/cli/shutdown.h"
#include "common/log/log.h"

namespace v6scope::probe {

Daemon::Daemon(DaemonOptions options, Suite* suite, Uplink* uplink,
               ProbeState* state)
    : options_(options), suite_(suite), uplink_(uplink), state_(state) {}

absl::Duration Daemon::NextDelay() {
  if (options_.spread <= absl::ZeroDuration()) return options_.interval;
  const double spread_s = absl::ToDoubleSeconds(options_.spread);
  return options_.interval + absl::Seconds(absl::Uniform(rng_, 0.0, spread_s));
}

void Daemon::MeasureOnce() {
  absl::StatusOr<v6scope::v1::Run> run = suite_->RunOnce();
  if (!run.ok()) {
    log::Error("run.failed", {{"status", run.status()}});
    return;
  }
  absl::StatusOr<uint64_t> seq = state_->ReserveSeq(1);
  if (!seq.ok()) {
    log::Error("run.not_kept", {{"status", seq.status()}});
    return;
  }
  // Sequence numbers are reserved in order, so pending stays contiguous
  // unless a reservation failed above; then start a new range.
  if (pending_.empty() || pending_first_seq_ + pending_.size() != *seq) {
    dropped_ += pending_.size();
    pending_.clear();
    pending_first_seq_ = *seq;
  }
  pending_.push_back(*std::move(run));
  if (pending_.size() > options_.max_pending) {
    pending_.erase(pending_.begin());
    ++pending_first_seq_;
    ++dropped_;
    log::Warn("run.dropped",
              {{"reason", "pending buffer full"}, {"dropped_total", dropped_}});
  }
  log::Info("run.done", {{"seq", *seq}, {"pending", pending_.size()}});
}

void Daemon::Flush() {
  if (pending_.empty()) return;
  absl::StatusOr<UploadResult> result =
      uplink_->Send(pending_first_seq_, pending_, dropped_);
  if (!result.ok()) return;  // Logged by the uplink; kept for next time.
  pending_.clear();
  dropped_ = 0;
}

absl::Status Daemon::Run() {
  log::Info("daemon.started",
            {{"interval", absl::FormatDuration(options_.interval)},
             {"spread", absl::FormatDuration(options_.spread)},
             {"max_runs", options_.max_runs}});
  int runs = 0;
  for (;;) {
    MeasureOnce();
    Flush();
    ++runs;
    if (options_.max_runs > 0 && runs >= options_.max_runs) break;
    const std::string signal = cli::WaitForShutdownSignalFor(NextDelay());
    if (!signal.empty()) {
      log::Info("daemon.stopping", {{"signal", signal}});
      break;
    }
  }
  if (!pending_.empty()) {
    log::Warn("daemon.unsent_runs", {{"count", pending_.size()}});
  }
  log::Info("daemon.stopped", {{"runs", runs}});
  return absl::OkStatus();
}

}  // namespace v6scope::probe
