// Spool: the probe's crash-safe, bounded on-disk queue of runs waiting for
// the collector ("never lose a result"). BasicSpool<Record> is the same
// queue for any protobuf payload: Spool holds runs (<state>/spool), and
// DomainSpool (domain_spool.h) readiness results (<state>/readiness-spool)
// in exactly this format, with `run` standing for the payload message.
// The work is SpoolCore's (spool_core.h, on serialized bytes); this
// wrapper only serializes and parses.
//
// A run counts as taken once Append returns OK: from then on it survives a
// crash of the probe (kill -9) and, with FsyncPolicy::kEveryRecord, a power
// cut; it leaves the spool only when the collector has acknowledged it
// (Acknowledge) or when the byte quota forces the oldest runs out, which is
// counted and reported (Batch.dropped_runs), never silent.
//
// Threading: thread-safe. The daemon's measuring thread appends while its
// uplink thread reads, acknowledges and reports drops; every public method
// takes one mutex, so each sees the index, the state file and the active
// segment as a whole. The lock is held only for the disk work of one call
// (an Append's write and fsync, a ReadPending's preads), never across an
// upload: the drainer reads, lets go, sends, then acknowledges, and runs
// appended meanwhile have higher sequence numbers than anything it
// acknowledges. A directory is used by one Spool at a time (an flock(2) on the
// directory itself, so a second process, or a second Open in this one, gets
// FAILED_PRECONDITION).
//
// On disk, in `SpoolOptions::dir`:
//   000000000042.seg   segment files, append-only; named after the sequence
//                      number of the first record written to them, so name
//                      order is record order. Only the last one is written.
//   state              acknowledged and dropped sequence numbers and the
//                      drop counters, replaced atomically (temp file, fsync,
//                      rename, fsync of the directory).
//
// A segment is a sequence of records, each one frame:
//
//   offset  size  field
//   0       3     magic   F6 53 50 (0xF6 never occurs in UTF-8 text)
//   3       1     version 01
//   4       4     length  u32 little-endian: payload bytes = 8 + n,
//                         at most 8 + 1 MiB
//   8       4     crc     u32 LE: CRC-32C (Castagnoli) of bytes 0..7 and
//                         then of the payload
//   12      8     seq     u64 LE  \ payload
//   20      n     run     v6scope.v1.Run in protobuf binary format  /
//
// The CRC covers the length, so a damaged length cannot pass for a valid
// one. There is no padding and no segment header: a segment is valid from
// byte 0 and a reader needs nothing but the frames.
//
// Recovery (Open) reads every segment and checks every frame:
//   - bytes after the last valid frame of a segment (a write cut short by
//     a crash, or garbage) are cut off (ftruncate), logged as
//     `spool.tail_truncated` with the file, offset and byte count;
//   - a damaged record between valid ones is skipped: the scan
//     resynchronises on the next offset where a whole frame with the right
//     magic, length and CRC starts; logged as `spool.corrupt_skipped` with
//     the file, offset and byte count, and counted (stats().corrupt_skipped,
//     per Open: the damage stays in the file until its segment goes);
//   - a valid record whose seq is not above the one before it cannot come
//     from Append; it is skipped, logged and counted the same way;
//   - records at or below the acknowledged or dropped point are gone (this
//     completes an Acknowledge or a quota drop cut short by a crash, whose
//     state was written before its files were deleted).
// Memory: an index of 16 bytes per record (seq, offset, size), about
// 0.5 MiB for a full 64 MiB spool of 2 KB runs; payloads stay on disk.
#ifndef V6SCOPE_PROBE_SPOOL_SPOOL_H_
#define V6SCOPE_PROBE_SPOOL_SPOOL_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "probe/spool/spool_core.h"
#include "proto/results.pb.h"

namespace v6scope::probe::spool {

// A run read back from the spool. A Record type for BasicSpool names its
// Payload message, a noun for error messages and where the payload is.
struct SpooledRun {
  using Payload = v6scope::v1::Run;
  static constexpr char kNoun[] = "run";
  static Payload& PayloadOf(SpooledRun& r) { return r.run; }

  uint64_t seq = 0;
  v6scope::v1::Run run;
};

template <typename Record>
class BasicSpool {
 public:
  using Payload = typename Record::Payload;

  // Opens (or creates) the spool in options.dir and recovers it as
  // described above. INVALID_ARGUMENT for bad options, FAILED_PRECONDITION
  // if the directory is in use, DATA_LOSS if the state file is unreadable,
  // and errors naming the file for I/O failures.
  static absl::StatusOr<std::unique_ptr<BasicSpool>> Open(
      SpoolOptions options) {
    absl::StatusOr<std::unique_ptr<SpoolCore>> core =
        SpoolCore::Open(std::move(options), Record::kNoun);
    if (!core.ok()) return core.status();
    return std::unique_ptr<BasicSpool>(new BasicSpool(*std::move(core)));
  }

  // Takes `payload` as record `seq`: written (and synced per the policy)
  // before OK is returned. `seq` must be above every seq appended or
  // acknowledged before (INVALID_ARGUMENT otherwise), and the serialized
  // payload at most 1 MiB. May drop the oldest segments to stay within the
  // quota (counted in dropped_records()). A failed Append leaves the spool
  // as it was: RESOURCE_EXHAUSTED naming the file when the disk is full,
  // and the payload is not taken.
  absl::Status Append(uint64_t seq, const Payload& payload) {
    std::string bytes;
    if (!payload.SerializeToString(&bytes)) {
      return absl::InternalError(
          absl::StrCat("cannot serialize ", Record::kNoun, " ", seq));
    }
    return core_->Append(seq, bytes);
  }

  // kBatched: makes every taken record durable now. The owner calls it
  // when SyncDeadline() passes and before waiting for a long time.
  absl::Status Sync() { return core_->Sync(); }
  // When the oldest unsynced record reaches batch_interval; InfiniteFuture
  // if nothing is unsynced (always, with kEveryRecord).
  absl::Time SyncDeadline() const { return core_->SyncDeadline(); }

  // The oldest pending records in seq order, read from disk: at most
  // `max_records`, and serialized payloads of at most `max_bytes` in
  // total, except that the first pending record is always returned,
  // whatever its size (max_records == 0 returns none). Does not consume:
  // until Acknowledge, the same records come back. Sequence numbers
  // increase but may have gaps (drops, damage, seqs never appended); a
  // batch must be contiguous, so the uplink splits at gaps. A record found
  // damaged here (or whose payload does not parse) is skipped, logged and
  // counted, and not returned again.
  absl::StatusOr<std::vector<Record>> ReadPending(size_t max_records,
                                                  size_t max_bytes) {
    std::vector<Record> out;
    absl::Status s = core_->ReadPending(
        max_records, max_bytes, [&out](uint64_t seq, absl::string_view bytes) {
          Record r;
          r.seq = seq;
          if (!Record::PayloadOf(r).ParseFromArray(
                  bytes.data(), static_cast<int>(bytes.size()))) {
            return false;
          }
          out.push_back(std::move(r));
          return true;
        });
    if (!s.ok()) return s;
    return out;
  }

  // The collector holds every seq <= through_seq: those records are
  // deleted (segments with nothing else are removed) and never read again,
  // even after a restart. `dropped_reported` is the dropped count the
  // acknowledged batch carried (unreported_dropped() when it was built): it
  // stops being unreported. INVALID_ARGUMENT if through_seq is above
  // last_seq. The state file is written before anything is deleted.
  absl::Status Acknowledge(uint64_t through_seq,
                           uint64_t dropped_reported = 0) {
    return core_->Acknowledge(through_seq, dropped_reported);
  }

  // The collector refused record `seq` for good (INVALID_ARGUMENT naming
  // it) and the caller has put it aside (Quarantine): every record
  // <= through_seq is gone, as with Acknowledge, but the pending ones among
  // them are counted as dropped, like a quota drop, so the collector learns
  // of them through the batch's dropped count. The caller acknowledges the
  // records before the refused one first, so only that one is counted.
  // Returns how many were counted; INVALID_ARGUMENT if through_seq is
  // above last_seq.
  absl::StatusOr<uint64_t> DropRefused(uint64_t through_seq) {
    return core_->DropRefused(through_seq);
  }

  // Records dropped by the quota or refused, ever (persisted across
  // restarts).
  uint64_t dropped_records() const { return core_->dropped_records(); }
  // Dropped records the collector has not yet acknowledged a report of:
  // the value for the next batch's dropped count.
  uint64_t unreported_dropped() const { return core_->unreported_dropped(); }

  SpoolStats stats() const { return core_->stats(); }
  const std::string& dir() const { return core_->dir(); }

 private:
  explicit BasicSpool(std::unique_ptr<SpoolCore> core)
      : core_(std::move(core)) {}

  const std::unique_ptr<SpoolCore> core_;
};

// The run spool (<state>/spool).
using Spool = BasicSpool<SpooledRun>;

}  // namespace v6scope::probe::spool

#endif  // V6SCOPE_PROBE_SPOOL_SPOOL_H_
