// Daemon: runs the suite on a schedule, spools every run, and has the
// uplink thread send the spool to the collectors.
//
// Two threads, so that measuring never waits on uploading:
//   - the measuring thread (the caller of Run) measures when RunSchedule
//     says (interval + random offset per slot), appends each run to the
//     crash-safe spool — a run is "taken" once spooled — and notifies the
//     uplink; between runs it waits on its Waiter (in the probe, the event
//     loop the suite measures on: a timer for the next slot, a signalfd for
//     SIGTERM/SIGINT, a post from the uplink thread);
//   - the uplink thread (uplink::UplinkWorker) drains the spool, deleting
//     only what a collector acknowledged, with back-off and failover. A dead
//     or black-holed collector holds up only this thread.
// The spool is the only thing both touch; it is thread-safe. Metrics are
// atomic. ProbeState (sequence numbers) is the measuring thread's alone.
//
// Campaign work (optional, issue 16): the checks run on the same event
// loop while the measuring thread waits there between runs. Before each
// capability run the daemon pauses them and waits (the loop dispatching,
// at most campaign_pause_limit) until those in flight have finished, so
// campaign traffic never overlaps a measurement; after the run it resumes
// them.
//
// Stopping: on SIGTERM/SIGINT no new run starts (a run in progress is
// finished and spooled); with max_runs, after the last run the daemon
// waits until the spool is empty or final_drain has passed. Then the uplink
// gets `shutdown_grace` to finish an upload in flight, which is abandoned
// after that; what is still spooled is sent on the next start.
#ifndef V6SCOPE_PROBE_DAEMON_H_
#define V6SCOPE_PROBE_DAEMON_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "probe/campaign/pausable.h"
#include "probe/run_schedule.h"
#include "probe/spool/spool.h"
#include "probe/state/probe_state.h"
#include "probe/suite/suite.h"
#include "probe/uplink/uplink_worker.h"
#include "probe/waiter.h"

namespace v6scope::probe {

struct DaemonOptions {
  absl::Duration interval = absl::Hours(1);
  absl::Duration spread = absl::Minutes(15);
  int max_runs = 0;  // Stop after this many runs; 0: until a signal.
  // After the last run (max_runs), keep draining the spool this long.
  absl::Duration final_drain = absl::Seconds(30);
  // At the stop, how long an upload in flight may still take.
  absl::Duration shutdown_grace = absl::Seconds(5);
  // Before a run, how long checks in flight may take to finish (a check
  // is bounded by its 20 s budget).
  absl::Duration campaign_pause_limit = absl::Seconds(25);
};

// What the daemon works with; pointers must outlive it.
struct DaemonDeps {
  suite::Suite* suite = nullptr;
  spool::Spool* spool = nullptr;
  state::ProbeState* state = nullptr;
  // Not yet started: Run starts it and stops it.
  uplink::UplinkWorker* uplink = nullptr;
  Waiter* waiter = nullptr;
  // May be null (no campaign work: the daemon behaves as without). Runs
  // on the loop `waiter` dispatches (campaign::CampaignRunner).
  campaign::Pausable* campaign = nullptr;
  // May be null. Gets the run and spool metrics; its scrapes read the
  // spool, so the spool must outlive them.
  metrics::Registry* registry = nullptr;
  const time::Clock* clock = time::RealClock::Get();
  // Uniform in [0, 1) for the spread; null: an absl::BitGen.
  RunSchedule::Uniform uniform;
};

class Daemon {
 public:
  Daemon(DaemonOptions options, DaemonDeps deps);

  // Blocks until SIGTERM/SIGINT, or max_runs and the final drain; OK on a
  // clean stop (the spool synced).
  absl::Status Run();

 private:
  // Measures and waits per `schedule` until it is time to stop.
  void Loop(RunSchedule& schedule);
  void MeasureOnce();
  // Pauses campaign work and waits until none is in flight (or the
  // limit); false if a signal came meanwhile.
  bool QuietCampaign();
  void CountRun(const v6scope::v1::Run& run);
  ScheduleOptions Schedule() const;

  DaemonOptions options_;
  DaemonDeps deps_;
  metrics::Value* runs_ = nullptr;
  metrics::Family* tests_ = nullptr;  // {kind, outcome}
};

// Measures once and appends the run to the spool with a fresh sequence
// number; the run is "taken" once this returns OK. Shared by run-once.
absl::StatusOr<uint64_t> MeasureIntoSpool(suite::Suite& suite,
                                          spool::Spool& spool,
                                          state::ProbeState& state,
                                          v6scope::v1::Run* run_out = nullptr);

}  // namespace v6scope::probe

#endif  // V6SCOPE_PROBE_DAEMON_H_
