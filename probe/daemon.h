// Daemon: runs the suite on a schedule and hands each run to the uplink.
//
// Runs start every `interval`, each at a random offset in [0, spread) after
// its slot so that a fleet started together never fires at once. Pending
// runs are kept in memory until acknowledged; the crash-safe spool will
// replace that buffer.
#ifndef V6SCOPE_PROBE_DAEMON_H_
#define V6SCOPE_PROBE_DAEMON_H_

#include <cstdint>
#include <vector>

#include "absl/random/random.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "probe/state/probe_state.h"
#include "probe/suite/suite.h"
#include "probe/uplink/uplink.h"

namespace v6scope::probe {

struct DaemonOptions {
  absl::Duration interval = absl::Hours(1);
  absl::Duration spread = absl::Minutes(15);
  int max_runs = 0;  // Stop after this many runs; 0: until a signal.
  // At most this many runs wait in memory; older ones are dropped and
  // counted when the collector stays away.
  size_t max_pending = 1000;
};

class Daemon {
 public:
  // Pointers must outlive the daemon.
  Daemon(DaemonOptions options, Suite* suite, Uplink* uplink,
         ProbeState* state);

  // Blocks until SIGTERM/SIGINT or max_runs; OK on a clean stop.
  absl::Status Run();

 private:
  void MeasureOnce();
  void Flush();
  absl::Duration NextDelay();

  DaemonOptions options_;
  Suite* suite_;
  Uplink* uplink_;
  ProbeState* state_;
  absl::BitGen rng_;
  uint64_t pending_first_seq_ = 0;
  std::vector<v6scope::v1::Run> pending_;
  uint64_t dropped_ = 0;
};

}  // namespace v6scope::probe

#endif  // V6SCOPE_PROBE_DAEMON_H_
