// ProbeState: what a probe keeps in its state directory between runs.
//
//   identity   probe id and credential from enrolment (mode 0600)
//   next_seq   the next result sequence number to assign
//   next_domain_seq  the next readiness result (DomainBatch) sequence
//              number: campaign results have their own sequence space
//
// Files are replaced atomically, so a crash leaves the old or new value.
// Not thread-safe: owned by the probe's main thread.
#ifndef V6SCOPE_PROBE_STATE_PROBE_STATE_H_
#define V6SCOPE_PROBE_STATE_PROBE_STATE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace v6scope::probe::state {

struct Identity {
  std::string probe_id;
  std::string credential;  // "<probe_id>.<secret>", sent as a bearer token.
  std::string collector;   // Address the probe enrolled with.
};

// The measurement schedule the collector gave at enrolment.
struct StoredSchedule {
  uint32_t interval_seconds = 0;  // 30..86400.
  uint32_t spread_seconds = 0;    // 0..interval_seconds.
};

class ProbeState {
 public:
  // Creates the directory (mode 0700) if needed; the error names the path.
  static absl::StatusOr<ProbeState> Open(const std::string& dir);

  // FAILED_PRECONDITION "not enrolled" if there is no identity yet.
  absl::StatusOr<Identity> LoadIdentity() const;
  absl::Status SaveIdentity(const Identity& identity);

  // INVALID_ARGUMENT (nothing written) if out of the ranges above.
  absl::Status SaveSchedule(const StoredSchedule& schedule);
  // NOT_FOUND if none was saved (the collector sent none, or the probe
  // enrolled before schedules were kept); DATA_LOSS naming the file if it
  // is corrupt or out of range.
  absl::StatusOr<StoredSchedule> LoadSchedule() const;

  // Reserves `count` sequence numbers and returns the first. Persisted
  // before returning, so a number is never handed out twice.
  absl::StatusOr<uint64_t> ReserveSeq(uint64_t count);
  // The same for readiness results (campaign work, issue 16): numbers
  // from 1, independent of the runs'.
  absl::StatusOr<uint64_t> ReserveDomainSeq(uint64_t count);

  const std::string& dir() const { return dir_; }

 private:
  explicit ProbeState(std::string dir) : dir_(std::move(dir)) {}
  absl::StatusOr<uint64_t> Reserve(const char* file, uint64_t count);
  std::string dir_;
};

}  // namespace v6scope::probe::state

#endif  // V6SCOPE_PROBE_STATE_PROBE_STATE_H_
