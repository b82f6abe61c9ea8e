// UplinkWorker: the probe's uplink thread, so that measuring never waits
// on uploading.
//
// The measuring thread appends each run (or readiness result) to its
// spool and calls Notify(); this thread drains the spools to the
// collectors (SpoolDrainer: batches, failover, back-off, deleting only
// what was acknowledged), and polls for campaign work when the work book
// says a poll is due (SpoolDrainer::NextDue is one of its wake times). A
// collector that is down or black-holed holds up this thread for as long as its
// call timeout, never the next measurement.
//
// Between attempts the thread waits for Notify(), for the back-off to
// pass, or for Stop(); when nothing is due within `keep_connection` it
// closes its connections first (no idle connection held for an hour).
// Times are read from the injected Clock; the waits themselves are real
// (a test with a fake clock calls Notify() after moving the time).
//
// Thread-safety: Notify and Stop may be called from any thread; the
// drainer, its uplink and its back-off are touched only by this thread
// (except SpoolDrainer::Cancel, which is thread-safe). Metrics are atomic.
#ifndef V6SCOPE_PROBE_UPLINK_UPLINK_WORKER_H_
#define V6SCOPE_PROBE_UPLINK_UPLINK_WORKER_H_

#include <functional>
#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/metrics/metrics.h"
#include "common/time/clock.h"
#include "probe/uplink/spool_drainer.h"

namespace v6scope::probe::uplink {

class UplinkWorker {
 public:
  struct Options {
    // The connection to a collector is kept while uploads follow within
    // this, and closed before a longer wait.
    absl::Duration keep_connection = absl::Seconds(30);
  };

  // Pointers must outlive the worker. `registry` (may be null) gets the
  // upload metrics.
  UplinkWorker(SpoolDrainer* drainer, const time::Clock* clock, Options options,
               metrics::Registry* registry = nullptr);
  // Stops the thread (no grace) if it still runs.
  ~UplinkWorker();
  UplinkWorker(const UplinkWorker&) = delete;
  UplinkWorker& operator=(const UplinkWorker&) = delete;

  // Called on the uplink thread after every attempt, e.g. to wake a daemon
  // waiting for the spool to empty. Set before Start().
  void OnProgress(std::function<void()> progress) {
    progress_ = std::move(progress);
  }

  void Start();
  // Runs were appended (or time moved): look again at once. Thread-safe.
  void Notify();
  // No attempt starts after this; one in flight gets `grace` to finish
  // and is then cancelled. Returns once the thread has ended.
  void Stop(absl::Duration grace);

 private:
  enum class Woken { kStop, kNotified, kTime };

  void Loop();
  void Attempt();
  // Waits until `deadline` (by clock_), Notify() or Stop().
  Woken WaitUntil(absl::Time deadline);
  // Waits for the next attempt (at `due`), closing connections first when
  // that is further away than keep_connection. False when stopping.
  bool WaitForWork(absl::Time due);

  SpoolDrainer* const drainer_;
  const time::Clock* const clock_;
  const Options options_;
  metrics::Value* upload_failures_ = nullptr;
  metrics::Value* last_ack_ = nullptr;
  std::function<void()> progress_;
  std::thread thread_;

  absl::Mutex mu_;
  bool notified_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool in_flight_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace v6scope::probe::uplink

#endif  // V6SCOPE_PROBE_UPLINK_UPLINK_WORKER_H_
