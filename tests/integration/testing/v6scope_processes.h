// Test helper: the real v6scope binaries (collector, probe) as child
// processes on loopback, and what they leave behind to assert on: the
// collector's SQLite store and the /metrics both serve. For tests that
// crash and restart components, which an in-process server cannot show.
#ifndef V6SCOPE_TESTS_INTEGRATION_TESTING_V6SCOPE_PROCESSES_H_
#define V6SCOPE_TESTS_INTEGRATION_TESTING_V6SCOPE_PROCESSES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "tests/integration/testing/event_log.h"
#include "tests/integration/testing/subprocess.h"

namespace v6scope::tests::integration::testing {

// v6scope-collector on [::1] with a SQLite store in `data_dir`.
class CollectorProcess {
 public:
  // Starts it (gRPC on `grpc_port`, 0: any; HTTP on any port) and waits
  // until both ports are listening. `name` names its files in `work_dir`;
  // `flags` are added to the command line.
  static absl::StatusOr<CollectorProcess> Start(
      const std::string& work_dir, const std::string& name,
      const std::string& data_dir, int grpc_port = 0,
      const std::vector<std::string>& flags = {});

  // SIGKILL: a crash, nothing flushed or closed.
  void Kill() { process_.Kill(); }
  std::string grpc_address() const;  // "[::1]:PORT"
  int grpc_port() const { return grpc_port_; }
  int http_port() const { return http_port_; }
  const std::string& data_dir() const { return data_dir_; }
  const EventLog& log() const { return log_; }

 private:
  CollectorProcess(Subprocess process, std::string data_dir, EventLog log)
      : process_(std::move(process)),
        data_dir_(std::move(data_dir)),
        log_(std::move(log)) {}
  Subprocess process_;
  std::string data_dir_;
  EventLog log_;
  int grpc_port_ = 0;
  int http_port_ = 0;
};

// Runs `v6scope-probe enrol` with a fresh token from `collector` (which
// must be running); returns the probe id saved in `state_dir`.
absl::StatusOr<std::string> EnrolProbe(const CollectorProcess& collector,
                                       const std::string& state_dir,
                                       const std::string& log_path);

// Starts `v6scope-probe daemon --state_dir=STATE_DIR FLAGS...`.
absl::StatusOr<Subprocess> StartProbeDaemon(
    const std::string& state_dir, const std::vector<std::string>& flags,
    const std::string& log_path);

// The sequence numbers stored for `probe_id` in the SQLite store of a
// collector's `data_dir`, ascending, a duplicate (there must be none)
// kept. Reads through SqliteStore, opened for this call only.
absl::StatusOr<std::vector<uint64_t>> StoredSeqs(const std::string& data_dir,
                                                 const std::string& probe_id);

// The spool drops the store has counted for `probe_id`.
absl::StatusOr<uint64_t> StoredDroppedRuns(const std::string& data_dir,
                                           const std::string& probe_id);

// The value of the sample `series` (name plus labels, exactly as exposed)
// on http://HOST:PORT/metrics; NOT_FOUND if it is not there.
absl::StatusOr<double> ScrapeMetric(const std::string& host, int port,
                                    const std::string& series);

}  // namespace v6scope::tests::integration::testing

#endif  // V6SCOPE_TESTS_INTEGRATION_TESTING_V6SCOPE_PROCESSES_H_
