// SpoolCore: the spool of spool.h on serialized payloads. BasicSpool<>
// (spool.h) wraps it for one protobuf message type; the format, recovery,
// quota and threading described there are all this class's.
#ifndef V6SCOPE_PROBE_SPOOL_SPOOL_CORE_H_
#define V6SCOPE_PROBE_SPOOL_SPOOL_CORE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/time/clock.h"
#include "probe/spool/file_writer.h"

namespace v6scope::probe::spool {

enum class FsyncPolicy {
  // Append returns after fdatasync: a taken run survives a power cut.
  kEveryRecord,
  // Append syncs only once `batch_records` records or `batch_interval` of
  // time are unsynced (and Sync() syncs on demand): a taken run survives a
  // crash of the probe, but a power cut can lose the unsynced ones.
  kBatched,
};

struct SpoolOptions {
  std::string dir;  // Created (mode 0700) if missing.
  // Quota on the segment files' total size. An Append that takes the
  // spool past it then drops the oldest whole segment(s), so the spool
  // holds between max_bytes - segment_bytes and max_bytes (the write comes
  // first: a failed Append never costs old runs). Unacknowledged runs in a
  // dropped segment are counted, even if they are in a batch the collector
  // acknowledges later. At least 2 * segment_bytes.
  uint64_t max_bytes = 64 << 20;
  // A segment is closed once the next record would take it past this
  // (a record larger than a segment gets a segment of its own).
  // 256 bytes .. 1 GiB.
  uint64_t segment_bytes = 4 << 20;
  FsyncPolicy fsync = FsyncPolicy::kEveryRecord;
  uint32_t batch_records = 64;                       // kBatched only.
  absl::Duration batch_interval = absl::Seconds(1);  // kBatched only.
  time::Clock* clock = nullptr;                      // nullptr: the real clock.
  SpoolFileWriter* writer = nullptr;  // nullptr: PosixSpoolFileWriter().
};

struct SpoolStats {
  uint64_t pending_records = 0;  // Taken, neither acknowledged nor dropped.
  uint64_t bytes_on_disk = 0;    // Segment files.
  uint64_t segments = 0;
  uint64_t last_seq = 0;            // Highest seq appended (or acknowledged).
  uint64_t acked_through = 0;       // Every seq <= this was acknowledged.
  uint64_t dropped_records = 0;     // Quota drops and refused, ever.
  uint64_t unreported_dropped = 0;  // Not yet acknowledged as reported.
  uint64_t corrupt_skipped = 0;     // Damaged records skipped since Open.
  uint64_t truncated_bytes = 0;     // Torn tails cut off by Open.
};

class SpoolCore {
 public:
  // Opens (or creates) the spool in options.dir and recovers it as
  // described above. INVALID_ARGUMENT for bad options, FAILED_PRECONDITION
  // if the directory is in use, DATA_LOSS if the state file is unreadable,
  // and errors naming the file for I/O failures.
  static absl::StatusOr<std::unique_ptr<SpoolCore>> Open(SpoolOptions options,
                                                         std::string noun);

  // Syncs unsynced records (kBatched) and closes; failures are logged.
  ~SpoolCore();
  SpoolCore(const SpoolCore&) = delete;
  SpoolCore& operator=(const SpoolCore&) = delete;

  // Takes `payload` (a serialized message) as record `seq`: written (and
  // synced per the policy)
  // before OK is returned. `seq` must be above every seq appended or
  // acknowledged before (INVALID_ARGUMENT otherwise), and the serialized
  // run at most 1 MiB. May drop the oldest segments to stay within the
  // quota (counted in dropped_records()). A failed Append leaves the spool
  // as it was: RESOURCE_EXHAUSTED naming the file when the disk is full,
  // and the run is not taken.
  absl::Status Append(uint64_t seq, absl::string_view payload);

  // kBatched: makes every taken record durable now. The owner calls it
  // when SyncDeadline() passes and before waiting for a long time.
  absl::Status Sync();
  // When the oldest unsynced record reaches batch_interval; InfiniteFuture
  // if nothing is unsynced (always, with kEveryRecord).
  absl::Time SyncDeadline() const;

  // The oldest pending records in seq order, read from disk: at most
  // `max_records`, and serialized runs of at most `max_bytes` in total,
  // except that the first pending record is always returned, whatever its
  // size (max_records == 0 returns none). Does not consume: until
  // Acknowledge, the same records come back. Sequence numbers increase but
  // may have gaps (drops, damage, seqs never appended); a Batch must be
  // contiguous, so the uplink splits at gaps. A record found damaged here
  // is skipped, logged and counted, and not returned again.
  // Each record read is handed to `take`, which returns false when the
  // payload does not parse: that record then counts as damaged.
  using TakeRecord = absl::FunctionRef<bool(uint64_t, absl::string_view)>;
  absl::Status ReadPending(size_t max_records, size_t max_bytes,
                           TakeRecord take);

  // The collector holds every seq <= through_seq: those records are
  // deleted (segments with nothing else are removed) and never read again,
  // even after a restart. `dropped_reported` is the dropped_runs count the
  // acknowledged batch carried (unreported_dropped() when it was built): it
  // stops being unreported. INVALID_ARGUMENT if through_seq is above
  // last_seq. The state file is written before anything is deleted.
  absl::Status Acknowledge(uint64_t through_seq, uint64_t dropped_reported = 0);

  // The collector refused record `seq` for good (INVALID_ARGUMENT naming
  // it) and the caller has put it aside (Quarantine): every record
  // <= through_seq is gone, as with Acknowledge, but the pending ones among
  // them are counted as dropped, like a quota drop, so the collector learns
  // of them through Batch.dropped_runs. The caller acknowledges the runs
  // before the refused one first, so only that one is counted. Returns how
  // many were counted; INVALID_ARGUMENT if through_seq is above last_seq.
  absl::StatusOr<uint64_t> DropRefused(uint64_t through_seq);

  // Records dropped by the quota or refused, ever (persisted across
  // restarts).
  uint64_t dropped_records() const {
    absl::MutexLock lock(&mu_);
    return state_.dropped_total;
  }
  // Dropped records the collector has not yet acknowledged a report of:
  // the value for the next Batch.dropped_runs.
  uint64_t unreported_dropped() const {
    absl::MutexLock lock(&mu_);
    return state_.dropped_total - state_.dropped_reported;
  }

  SpoolStats stats() const;
  const std::string& dir() const { return options_.dir; }

 private:
  struct IndexEntry {
    uint64_t seq;
    uint32_t offset;
    uint32_t size;  // Whole frame.
  };
  struct Segment {
    uint64_t key = 0;  // From the file name.
    std::string path;
    uint64_t bytes = 0;  // Valid length of the file.
    std::vector<IndexEntry> entries;
  };
  // What the state file holds.
  struct PersistentState {
    uint64_t acked_through = 0;
    uint64_t dropped_through = 0;  // Every seq <= this is dropped or acked.
    uint64_t dropped_total = 0;
    uint64_t dropped_reported = 0;
  };

  SpoolCore(SpoolOptions options, std::string noun);

  // Recovery (spool_recovery.cc).
  absl::Status Recover();
  absl::Status LockDirectory();
  absl::Status LoadState();
  absl::Status SaveState(const PersistentState& next);
  absl::Status RecoverSegment(uint64_t key, const std::string& path, bool last);
  absl::StatusOr<uint64_t> ScanSegment(int fd, uint64_t size, Segment* segment);
  absl::Status DeleteRecoveredSegment(const std::string& path,
                                      uint64_t valid_records);

  // Appending and removing (spool.cc).
  absl::Status OpenNewSegment(uint64_t seq);
  absl::Status SealActive();
  absl::Status SyncLocked();
  absl::Status WriteFrame(const std::string& frame);
  void UndoWrite();
  void EnforceQuota();
  absl::Status DropOldestSegment();
  absl::Status RemoveSegment(size_t index);
  void RemoveDiscardedSegments();
  absl::Status ReadRecords(size_t segment, size_t first, size_t count,
                           TakeRecord take, size_t* taken);

  uint64_t discard_through() const {
    return std::max(state_.acked_through, state_.dropped_through);
  }
  // How many index entries of `segment` have a seq above `seq`.
  static size_t CountAbove(const Segment& segment, uint64_t seq);

  // Guards everything below it (see Threading above). Private methods
  // expect it held; Open holds it while recovering.
  mutable absl::Mutex mu_;
  SpoolOptions options_;
  const std::string noun_;  // "run", "result": in error messages.
  time::Clock* clock_;
  SpoolFileWriter* writer_;
  int dir_fd_ = -1;  // Holds the flock.
  PersistentState state_;
  std::deque<Segment> segments_;  // In seq order.
  int active_fd_ = -1;            // segments_.back(), open for writing.
  uint64_t bytes_on_disk_ = 0;
  uint64_t last_seq_ = 0;
  uint64_t pending_ = 0;
  uint64_t corrupt_skipped_ = 0;
  uint64_t truncated_bytes_ = 0;
  uint32_t unsynced_records_ = 0;
  absl::Time first_unsynced_ = absl::InfiniteFuture();
};

}  // namespace v6scope::probe::spool

#endif  // V6SCOPE_PROBE_SPOOL_SPOOL_CORE_H_
