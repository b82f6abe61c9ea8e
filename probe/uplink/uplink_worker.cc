#include "probe/uplink/uplink_worker.h"

#include "common/log/log.h"

namespace v6scope::probe::uplink {

UplinkWorker::UplinkWorker(SpoolDrainer* drainer, const time::Clock* clock,
                           Options options, metrics::Registry* registry)
    : drainer_(drainer), clock_(clock), options_(options) {
  if (registry == nullptr) return;
  upload_failures_ = registry
                         ->Counter("v6scope_probe_upload_failures_total",
                                   "Upload attempts that failed (retried).")
                         ->Get();
  last_ack_ = registry
                  ->Gauge("v6scope_probe_last_ack_timestamp_seconds",
                          "When the collector last acknowledged runs (Unix "
                          "time); upload lag = now - this while runs wait.")
                  ->Get();
}

UplinkWorker::~UplinkWorker() { Stop(absl::ZeroDuration()); }

void UplinkWorker::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void UplinkWorker::Notify() {
  absl::MutexLock lock(&mu_);
  notified_ = true;
}

void UplinkWorker::Stop(absl::Duration grace) {
  if (!thread_.joinable()) return;
  bool abandon = false;
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    auto idle = [this]()
                    ABSL_SHARED_LOCKS_REQUIRED(mu_) { return !in_flight_; };
    abandon = !mu_.AwaitWithTimeout(absl::Condition(&idle), grace);
  }
  if (abandon) {
    // The collector did not answer in time: give up the call rather than
    // hold the probe's exit for the full call timeout. Nothing is lost;
    // what was not acknowledged stays spooled for the next start.
    log::Warn("uplink.abandoned", {{"grace", absl::FormatDuration(grace)}});
    drainer_->Cancel();
  }
  thread_.join();
}

UplinkWorker::Woken UplinkWorker::WaitUntil(absl::Time deadline) {
  absl::MutexLock lock(&mu_);
  auto woken = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return notified_ || stopping_;
  };
  mu_.AwaitWithTimeout(absl::Condition(&woken), deadline - clock_->Now());
  if (stopping_) return Woken::kStop;
  if (!notified_) return Woken::kTime;
  notified_ = false;
  return Woken::kNotified;
}

bool UplinkWorker::WaitForWork(absl::Time due) {
  const absl::Time close_at = clock_->Now() + options_.keep_connection;
  if (due > close_at) {
    const Woken w = WaitUntil(close_at);
    if (w == Woken::kStop) return false;
    if (w == Woken::kNotified) return true;
    drainer_->CloseConnections();
  }
  return WaitUntil(due) != Woken::kStop;
}

void UplinkWorker::Attempt() {
  {
    absl::MutexLock lock(&mu_);
    in_flight_ = true;
  }
  const absl::Status s = drainer_->DrainOnce();  // Logged by the drainer.
  if (s.ok() && last_ack_ != nullptr) {
    last_ack_->SetTime(clock_->Now());
  } else if (!s.ok() && upload_failures_ != nullptr) {
    upload_failures_->Add(1);
  }
  {
    absl::MutexLock lock(&mu_);
    in_flight_ = false;
  }
  if (progress_) progress_();
}

void UplinkWorker::Loop() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      notified_ = false;  // What it announced is about to be looked at.
    }
    // Runs or results waiting, or a work poll due (campaigns).
    const absl::Time due = drainer_->NextDue();
    if (clock_->Now() >= due) {
      Attempt();
      continue;  // Go on at once after a success; the back-off says when.
    }
    if (!WaitForWork(due)) return;
  }
}

}  // namespace v6scope::probe::uplink
