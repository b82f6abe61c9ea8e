#include "probe/daemon.h"

#include <utility>

#include "absl/random/random.h"
#include "common/log/log.h"

namespace v6scope::probe {
namespace {

// The spool's figures, read at scrape time (the spool is thread-safe), so
// the gauges never lag behind either thread.
void RegisterSpoolGauges(metrics::Registry* r, spool::Spool* spool) {
  r->GaugeFunction("v6scope_probe_spool_pending_runs",
                   "Runs in the spool not yet acknowledged.", [spool] {
                     return static_cast<double>(spool->stats().pending_records);
                   });
  r->GaugeFunction(
      "v6scope_probe_spool_bytes", "Spool bytes on disk.",
      [spool] { return static_cast<double>(spool->stats().bytes_on_disk); });
  // A count that only grows: a counter, so rate() and increase() apply.
  r->CounterFunction("v6scope_probe_spool_dropped_runs_total",
                     "Runs dropped by the spool quota, ever.", [spool] {
                       return static_cast<double>(spool->dropped_records());
                     });
}

RunSchedule::Uniform DefaultUniform() {
  auto gen = std::make_shared<absl::BitGen>();
  return [gen] { return absl::Uniform(*gen, 0.0, 1.0); };
}

}  // namespace

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

Daemon::Daemon(DaemonOptions options, DaemonDeps deps)
    : options_(options), deps_(std::move(deps)) {
  if (!deps_.uniform) deps_.uniform = DefaultUniform();
  metrics::Registry* r = deps_.registry;
  if (r == nullptr) return;
  runs_ =
      r->Counter("v6scope_probe_runs_total", "Capability runs spooled.")->Get();
  tests_ = r->Counter("v6scope_probe_tests_total",
                      "Tests by kind and outcome (failures by class).",
                      {"kind", "outcome"});
  RegisterSpoolGauges(r, deps_.spool);
}

ScheduleOptions Daemon::Schedule() const {
  ScheduleOptions s;
  s.interval = options_.interval;
  s.spread = options_.spread;
  s.max_runs = options_.max_runs;
  s.final_drain = options_.final_drain;
  return s;
}

void Daemon::CountRun(const v6scope::v1::Run& run) {
  if (runs_ == nullptr) return;
  runs_->Add(1);
  for (const v6scope::v1::TestResult& t : run.tests()) {
    tests_
        ->With({v6scope::v1::TestKind_Name(t.kind()),
                v6scope::v1::Outcome_Name(t.outcome())})
        ->Add(1);
  }
}

void Daemon::MeasureOnce() {
  v6scope::v1::Run run;
  absl::StatusOr<uint64_t> seq =
      MeasureIntoSpool(*deps_.suite, *deps_.spool, *deps_.state, &run);
  if (!seq.ok()) {
    // Not taken: nothing to lose later, but say it loudly.
    log::Error("run.not_taken", {{"status", seq.status()}});
    return;
  }
  deps_.uplink->Notify();  // First: the upload starts while we log.
  CountRun(run);
  const spool::SpoolStats st = deps_.spool->stats();
  log::Info("run.spooled", {{"seq", *seq},
                            {"pending", st.pending_records},
                            {"spool_bytes", st.bytes_on_disk},
                            {"dropped_total", st.dropped_records}});
}

bool Daemon::QuietCampaign() {
  campaign::Pausable* work = deps_.campaign;
  if (work == nullptr) return true;
  work->Pause([w = deps_.waiter] { w->Wake(); });
  const absl::Time limit = deps_.clock->Now() + options_.campaign_pause_limit;
  while (!work->Idle()) {
    if (deps_.clock->Now() >= limit) {
      // Bounded by the checks' own budget; a late one overlaps the run.
      log::Warn(
          "campaign.pause_timed_out",
          {{"limit", absl::FormatDuration(options_.campaign_pause_limit)}});
      return true;
    }
    if (deps_.waiter->WaitUntil(limit) == Waiter::Result::kSignal) {
      return false;
    }
  }
  return true;
}

void Daemon::Loop(RunSchedule& schedule) {
  const time::Clock* clock = deps_.clock;
  for (;;) {
    if (schedule.due(clock->Now())) {
      if (!QuietCampaign()) {
        log::Info("daemon.stopping", {{"signal", deps_.waiter->signal()}});
        return;
      }
      MeasureOnce();
      if (deps_.campaign != nullptr) deps_.campaign->Resume();
      schedule.RunEnded(clock->Now());
      continue;
    }
    if (!schedule.measuring() && (deps_.spool->stats().pending_records == 0 ||
                                  clock->Now() >= schedule.drain_deadline())) {
      return;
    }
    const absl::Time wake =
        schedule.measuring() ? schedule.next_run() : schedule.drain_deadline();
    if (deps_.waiter->WaitUntil(wake) == Waiter::Result::kSignal) {
      log::Info("daemon.stopping", {{"signal", deps_.waiter->signal()}});
      return;
    }
  }
}

absl::Status Daemon::Run() {
  log::Info("daemon.started",
            {{"interval", absl::FormatDuration(options_.interval)},
             {"spread", absl::FormatDuration(options_.spread)},
             {"max_runs", options_.max_runs},
             {"pending", deps_.spool->stats().pending_records}});
  // The uplink wakes this thread after every attempt: the final drain
  // ends as soon as the spool is empty.
  deps_.uplink->OnProgress([w = deps_.waiter] { w->Wake(); });
  deps_.uplink->Start();
  RunSchedule schedule(Schedule(), deps_.clock->Now(), deps_.uniform);
  Loop(schedule);
  // Checks in flight are dropped with the loop; not marked done, they are
  // checked again at the next start.
  if (deps_.campaign != nullptr) deps_.campaign->Pause(nullptr);
  deps_.uplink->Stop(options_.shutdown_grace);
  absl::Status synced = deps_.spool->Sync();
  log::Info("daemon.stopped",
            {{"runs", schedule.runs()},
             {"pending", deps_.spool->stats().pending_records},
             {"sync", synced}});
  return synced;
}

}  // namespace v6scope::probe
