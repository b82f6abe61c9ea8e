// Daemon: runs the suite on a schedule, spools every run, and drains the
// spool to the collector.
//
// Runs start every `interval`, each at a random offset in [0, spread) after
// its slot so that a fleet started together never fires at once. Each run
// is appended to the crash-safe spool before anything else; the drainer
// sends what is pending and deletes only what the collector acknowledged,
// retrying with jittered exponential backoff while the collector is away.
// Everything happens on the calling thread: measuring, spooling and
// uploading never overlap, so none of it needs locks.
#ifndef V6SCOPE_PROBE_DAEMON_H_
#define V6SCOPE_PROBE_DAEMON_H_

#include <memory>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "probe/spool/spool.h"
#include "probe/state/probe_state.h"
#include "probe/suite/suite.h"
#include "probe/uplink/spool_drainer.h"

namespace v6scope::probe {

struct DaemonOptions {
  absl::Duration interval = absl::Hours(1);
  absl::Duration spread = absl::Minutes(15);
  int max_runs = 0;  // Stop after this many runs; 0: until a signal.
  // After the last run (max_runs), keep draining the spool this long.
  absl::Duration final_drain = absl::Seconds(30);
  // The uplink keeps its connection to the collector between uploads less
  // than this far apart, and closes it before a longer wait.
  absl::Duration keep_connection = absl::Seconds(30);
};

class Daemon {
 public:
  // Pointers must outlive the daemon.
  // `registry` (may be null) receives the probe's metrics; the daemon
  // updates them on its own thread, the scrape reads them from another.
  Daemon(DaemonOptions options, suite::Suite* suite, spool::Spool* spool,
         uplink::SpoolDrainer* drainer, state::ProbeState* state,
         metrics::Registry* registry = nullptr,
         const Clock* clock = RealClock::Get());

  // Blocks until SIGTERM/SIGINT, or max_runs and the final drain; OK on a
  // clean stop. What is still spooled is sent on the next start.
  absl::Status Run();

 private:
  void MeasureOnce();
  void Drain();
  void UpdateSpoolGauges();
  absl::Duration Jitter();

  struct Metrics {
    explicit Metrics(metrics::Registry* r);
    metrics::Value* runs;
    metrics::Family* tests;  // {kind, outcome}
    metrics::Value* upload_failures;
    metrics::Value* last_ack;
    metrics::Value* spool_pending;
    metrics::Value* spool_bytes;
    metrics::Value* spool_dropped;
  };
  std::unique_ptr<Metrics> metrics_;

  DaemonOptions options_;
  suite::Suite* suite_;
  spool::Spool* spool_;
  uplink::SpoolDrainer* drainer_;
  state::ProbeState* state_;
  const Clock* clock_;
  absl::BitGen rng_;
};

// Measures once and appends the run to the spool with a fresh sequence
// number; the run is "taken" once this returns OK. Shared by run-once.
absl::StatusOr<uint64_t> MeasureIntoSpool(suite::Suite& suite,
                                          spool::Spool& spool,
                                          state::ProbeState& state,
                                          v6scope::v1::Run* run_out = nullptr);

}  // namespace v6scope::probe

#endif  // V6SCOPE_PROBE_DAEMON_H_
