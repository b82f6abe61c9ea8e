#include "probe/daemon.h"

#include <algorithm>

#include "common/cli/shutdown.h"
#include "common/log/log.h"

namespace v6scope::probe {

absl::StatusOr<uint64_t> MeasureIntoSpool(suite::Suite& suite,
                                          spool::Spool& spool,
                                          state::ProbeState& state,
                                          v6scope::v1::Run* run_out) {
  absl::StatusOr<v6scope::v1::Run> run = suite.RunOnce();
  if (!run.ok()) return run.status();
  absl::StatusOr<uint64_t> seq = state.ReserveSeq(1);
  if (!seq.ok()) return seq.status();
  absl::Status s = spool.Append(*seq, *run);
  if (!s.ok()) return s;
  if (run_out != nullptr) *run_out = *std::move(run);
  return *seq;
}

Daemon::Metrics::Metrics(metrics::Registry* r)
    : runs(r->Counter("v6scope_probe_runs_total", "Capability runs spooled.")
               ->Get()),
      tests(r->Counter("v6scope_probe_tests_total",
                       "Tests by kind and outcome (failures by class).",
                       {"kind", "outcome"})),
      upload_failures(r->Counter("v6scope_probe_upload_failures_total",
                                 "Upload attempts that failed (retried).")
                          ->Get()),
      last_ack(r->Gauge("v6scope_probe_last_ack_timestamp_seconds",
                        "When the collector last acknowledged runs (Unix "
                        "time); upload lag = now - this while runs wait.")
                   ->Get()),
      spool_pending(r->Gauge("v6scope_probe_spool_pending_runs",
                             "Runs in the spool not yet acknowledged.")
                        ->Get()),
      spool_bytes(
          r->Gauge("v6scope_probe_spool_bytes", "Spool bytes on disk.")->Get()),
      spool_dropped(r->Gauge("v6scope_probe_spool_dropped_runs_total",
                             "Runs dropped by the spool quota, ever.")
                        ->Get()) {}

Daemon::Daemon(DaemonOptions options, suite::Suite* suite, spool::Spool* spool,
               uplink::SpoolDrainer* drainer, state::ProbeState* state,
               metrics::Registry* registry, const Clock* clock)
    : options_(options),
      suite_(suite),
      spool_(spool),
      drainer_(drainer),
      state_(state),
      clock_(clock) {
  if (registry != nullptr) metrics_ = std::make_unique<Metrics>(registry);
  UpdateSpoolGauges();
}

void Daemon::UpdateSpoolGauges() {
  if (metrics_ == nullptr) return;
  const spool::SpoolStats st = spool_->stats();
  metrics_->spool_pending->Set(static_cast<double>(st.pending_records));
  metrics_->spool_bytes->Set(static_cast<double>(st.bytes_on_disk));
  metrics_->spool_dropped->Set(static_cast<double>(st.dropped_records));
}

void Daemon::Drain() {
  absl::Status s = drainer_->DrainOnce();  // Logged; retried per backoff.
  if (metrics_ != nullptr) {
    if (s.ok()) {
      metrics_->last_ack->Set(
          absl::ToDoubleSeconds(clock_->Now() - absl::UnixEpoch()));
    } else {
      metrics_->upload_failures->Add(1);
    }
  }
  UpdateSpoolGauges();
}

absl::Duration Daemon::Jitter() {
  if (options_.spread <= absl::ZeroDuration()) return absl::ZeroDuration();
  return absl::Seconds(
      absl::Uniform(rng_, 0.0, absl::ToDoubleSeconds(options_.spread)));
}

void Daemon::MeasureOnce() {
  v6scope::v1::Run run;
  absl::StatusOr<uint64_t> seq =
      MeasureIntoSpool(*suite_, *spool_, *state_, &run);
  if (!seq.ok()) {
    // Not taken: nothing to lose later, but say it loudly.
    log::Error("run.not_taken", {{"status", seq.status()}});
    return;
  }
  if (metrics_ != nullptr) {
    metrics_->runs->Add(1);
    for (const v6scope::v1::TestResult& t : run.tests()) {
      metrics_->tests
          ->With({v6scope::v1::TestKind_Name(t.kind()),
                  v6scope::v1::Outcome_Name(t.outcome())})
          ->Add(1);
    }
  }
  UpdateSpoolGauges();
  const spool::SpoolStats st = spool_->stats();
  log::Info("run.spooled", {{"seq", *seq},
                            {"pending", st.pending_records},
                            {"spool_bytes", st.bytes_on_disk},
                            {"dropped_total", st.dropped_records}});
}

absl::Status Daemon::Run() {
  log::Info("daemon.started",
            {{"interval", absl::FormatDuration(options_.interval)},
             {"spread", absl::FormatDuration(options_.spread)},
             {"max_runs", options_.max_runs},
             {"pending", spool_->stats().pending_records}});
  int runs = 0;
  absl::Time slot = clock_->Now();
  absl::Time next_run = slot;  // The first run starts at once.
  absl::Time stop_at = absl::InfiniteFuture();
  for (;;) {
    const absl::Time now = clock_->Now();
    const bool measuring = options_.max_runs == 0 || runs < options_.max_runs;
    if (measuring && now >= next_run) {
      MeasureOnce();
      ++runs;
      slot += options_.interval;
      next_run = std::max(slot, clock_->Now()) + Jitter();
      if (options_.max_runs > 0 && runs >= options_.max_runs) {
        stop_at = clock_->Now() + options_.final_drain;
      }
    }
    if (drainer_->has_pending() && clock_->Now() >= drainer_->next_attempt()) {
      Drain();
      continue;  // Go on draining at once after a success.
    }
    const bool done_measuring =
        options_.max_runs > 0 && runs >= options_.max_runs;
    if (done_measuring &&
        (!drainer_->has_pending() || clock_->Now() >= stop_at)) {
      break;
    }
    absl::Time wake = done_measuring ? stop_at : next_run;
    if (drainer_->has_pending())
      wake = std::min(wake, drainer_->next_attempt());
    if (wake - clock_->Now() >= options_.keep_connection) {
      drainer_->CloseConnections();
    }
    const std::string signal = cli::WaitForShutdownSignalFor(
        std::max(wake - clock_->Now(), absl::Milliseconds(1)));
    if (!signal.empty()) {
      log::Info("daemon.stopping", {{"signal", signal}});
      break;
    }
  }
  absl::Status synced = spool_->Sync();
  log::Info("daemon.stopped", {{"runs", runs},
                               {"pending", spool_->stats().pending_records},
                               {"sync", synced}});
  return synced;
}

}  // namespace v6scope::probe
