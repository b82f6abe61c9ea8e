// Appending, reading, acknowledging and the quota. Recovery is in
// spool_recovery.cc.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/fs/files.h"
#include "common/log/log.h"
#include "probe/spool/frame.h"
#include "probe/spool/spool_core.h"

namespace v6scope::probe::spool {

SpoolCore::SpoolCore(SpoolOptions options, std::string noun)
    : options_(std::move(options)),
      noun_(std::move(noun)),
      clock_(options_.clock != nullptr ? options_.clock
                                       : time::RealClock::Get()),
      writer_(options_.writer != nullptr ? options_.writer
                                         : PosixSpoolFileWriter()) {}

SpoolCore::~SpoolCore() {
  absl::MutexLock lock(&mu_);
  absl::Status s = SyncLocked();
  if (!s.ok()) log::Error("spool.sync_failed", {{"status", s}});
  if (active_fd_ >= 0) ::close(active_fd_);
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

size_t SpoolCore::CountAbove(const Segment& segment, uint64_t seq) {
  const auto& e = segment.entries;
  auto it = std::upper_bound(
      e.begin(), e.end(), seq,
      [](uint64_t v, const IndexEntry& entry) { return v < entry.seq; });
  return static_cast<size_t>(e.end() - it);
}

absl::Status SpoolCore::Append(uint64_t seq, absl::string_view payload) {
  absl::MutexLock lock(&mu_);
  if (seq == 0 || seq <= last_seq_) {
    return absl::InvalidArgumentError(
        absl::StrCat("spool ", options_.dir, ": seq ", seq,
                     " is not above the last one taken (", last_seq_, ")"));
  }
  if (payload.size() > kMaxRunBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        noun_, " ", seq, " is ", payload.size(),
        " bytes serialized; the spool takes at most ", kMaxRunBytes));
  }
  const std::string frame = EncodeFrame(seq, payload);
  if (frame.size() > options_.max_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat(noun_, " ", seq, " (", frame.size(),
                     " bytes) exceeds the spool quota of ", options_.max_bytes,
                     " bytes (", options_.dir, ")"));
  }
  if (active_fd_ >= 0 && segments_.back().bytes > 0 &&
      segments_.back().bytes + frame.size() > options_.segment_bytes) {
    absl::Status s = SealActive();
    if (!s.ok()) return s;
  }
  if (active_fd_ < 0) {
    absl::Status s = OpenNewSegment(seq);
    if (!s.ok()) return s;
  }
  absl::Status s = WriteFrame(frame);
  if (!s.ok()) return s;
  Segment& active = segments_.back();
  active.entries.push_back({seq, static_cast<uint32_t>(active.bytes),
                            static_cast<uint32_t>(frame.size())});
  active.bytes += frame.size();
  bytes_on_disk_ += frame.size();
  last_seq_ = seq;
  ++pending_;
  // Dropping after the write keeps a failed Append from costing old runs;
  // the quota is exceeded by at most this one frame in between.
  EnforceQuota();
  return absl::OkStatus();
}

absl::Status SpoolCore::OpenNewSegment(uint64_t seq) {
  const std::string path = absl::StrFormat("%s/%012d.seg", options_.dir, seq);
  // No other segment can have this name: names are first seqs, all below
  // `seq`. A leftover file of that name holds nothing taken.
  const int fd =
      ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return fs::ErrnoError("cannot create", path);
  // The new name must be durable before a record in it counts as taken.
  if (::fsync(dir_fd_) != 0) {
    absl::Status s = fs::ErrnoError("cannot sync directory", options_.dir);
    ::close(fd);
    ::unlink(path.c_str());
    return s;
  }
  Segment segment;
  segment.key = seq;
  segment.path = path;
  segments_.push_back(std::move(segment));
  active_fd_ = fd;
  return absl::OkStatus();
}

absl::Status SpoolCore::SealActive() {
  absl::Status s = SyncLocked();
  if (!s.ok()) return s;
  ::close(active_fd_);
  active_fd_ = -1;
  return absl::OkStatus();
}

absl::Status SpoolCore::WriteFrame(const std::string& frame) {
  Segment& active = segments_.back();
  absl::Status s =
      writer_->WriteAt(active_fd_, frame, active.bytes, active.path);
  const absl::Time now = clock_->Now();
  const bool due = options_.fsync == FsyncPolicy::kEveryRecord ||
                   unsynced_records_ + 1 >= options_.batch_records ||
                   (unsynced_records_ > 0 &&
                    now - first_unsynced_ >= options_.batch_interval);
  if (s.ok() && due) s = writer_->Sync(active_fd_, active.path);
  if (!s.ok()) {
    log::Error(
        "spool.append_failed",
        {{"file", active.path}, {"offset", active.bytes}, {"status", s}});
    UndoWrite();
    return s;
  }
  if (due) {
    unsynced_records_ = 0;
    first_unsynced_ = absl::InfiniteFuture();
  } else if (unsynced_records_++ == 0) {
    first_unsynced_ = now;
  }
  return absl::OkStatus();
}

// Cuts a failed write off the active segment so that nothing follows the
// last taken record; a fresh segment with nothing taken goes entirely.
void SpoolCore::UndoWrite() {
  Segment& active = segments_.back();
  if (active.entries.empty()) {
    ::close(active_fd_);
    active_fd_ = -1;
    ::unlink(active.path.c_str());
    segments_.pop_back();
    return;
  }
  if (::ftruncate(active_fd_, static_cast<off_t>(active.bytes)) != 0) {
    // Recovery cuts the partial frame off later; never append after it.
    log::Error("spool.undo_failed",
               {{"file", active.path},
                {"status", fs::ErrnoError("cannot truncate", active.path)}});
    // Earlier unsynced records stay taken: make them durable before the
    // descriptor goes.
    absl::Status s = SyncLocked();
    if (!s.ok()) log::Error("spool.sync_failed", {{"status", s}});
    ::close(active_fd_);
    active_fd_ = -1;
    unsynced_records_ = 0;
    first_unsynced_ = absl::InfiniteFuture();
  }
}

absl::Status SpoolCore::Sync() {
  absl::MutexLock lock(&mu_);
  return SyncLocked();
}

absl::Status SpoolCore::SyncLocked() {
  if (unsynced_records_ == 0 || active_fd_ < 0) return absl::OkStatus();
  absl::Status s = writer_->Sync(active_fd_, segments_.back().path);
  if (!s.ok()) {
    log::Error("spool.sync_failed", {{"status", s}});
    return s;
  }
  unsynced_records_ = 0;
  first_unsynced_ = absl::InfiniteFuture();
  return absl::OkStatus();
}

absl::Time SpoolCore::SyncDeadline() const {
  absl::MutexLock lock(&mu_);
  if (unsynced_records_ == 0) return absl::InfiniteFuture();
  return first_unsynced_ + options_.batch_interval;
}

void SpoolCore::EnforceQuota() {
  while (bytes_on_disk_ > options_.max_bytes && segments_.size() > 1) {
    absl::Status s = DropOldestSegment();
    if (!s.ok()) {
      // The run was taken; the quota is enforced again on the next Append.
      log::Error("spool.quota_failed", {{"status", s}});
      return;
    }
  }
}

absl::Status SpoolCore::DropOldestSegment() {
  const Segment& oldest = segments_.front();
  const uint64_t dropped = CountAbove(oldest, discard_through());
  if (dropped > 0) {
    // Persisted before the file goes: after a crash in between, recovery
    // finishes the drop instead of delivering and counting the runs.
    PersistentState next = state_;
    next.dropped_through =
        std::max(next.dropped_through, oldest.entries.back().seq);
    next.dropped_total += dropped;
    absl::Status s = SaveState(next);
    if (!s.ok()) return s;
    state_ = next;
    pending_ -= dropped;
    log::Warn("spool.quota_dropped", {{"file", oldest.path},
                                      {"records", dropped},
                                      {"last_seq", oldest.entries.back().seq},
                                      {"dropped_total", state_.dropped_total},
                                      {"max_bytes", options_.max_bytes}});
  }
  return RemoveSegment(0);
}

// Deletes a segment whose records are all acknowledged or dropped.
absl::Status SpoolCore::RemoveSegment(size_t index) {
  Segment& segment = segments_[index];
  if (index + 1 == segments_.size() && active_fd_ >= 0) {
    ::close(active_fd_);
    active_fd_ = -1;
    unsynced_records_ = 0;  // Nothing in it is needed any more.
    first_unsynced_ = absl::InfiniteFuture();
  }
  if (::unlink(segment.path.c_str()) != 0 && errno != ENOENT) {
    return fs::ErrnoError("cannot delete", segment.path);
  }
  log::Debug("spool.segment_deleted", {{"file", segment.path}});
  bytes_on_disk_ -= segment.bytes;
  segments_.erase(segments_.begin() + static_cast<ptrdiff_t>(index));
  return absl::OkStatus();
}

void SpoolCore::RemoveDiscardedSegments() {
  const uint64_t through = discard_through();
  while (!segments_.empty()) {
    const Segment& front = segments_.front();
    if (!front.entries.empty() && front.entries.back().seq > through) return;
    absl::Status s = RemoveSegment(0);
    if (!s.ok()) {
      // Retried on the next Acknowledge, and by recovery.
      log::Warn("spool.delete_failed", {{"status", s}});
      return;
    }
  }
}

absl::Status SpoolCore::Acknowledge(uint64_t through_seq,
                                    uint64_t dropped_reported) {
  absl::MutexLock lock(&mu_);
  if (through_seq > last_seq_) {
    return absl::InvalidArgumentError(absl::StrCat(
        "spool ", options_.dir, ": acknowledgement through seq ", through_seq,
        " is above the last seq taken (", last_seq_, ")"));
  }
  PersistentState next = state_;
  next.acked_through = std::max(next.acked_through, through_seq);
  const uint64_t unreported = next.dropped_total - next.dropped_reported;
  next.dropped_reported += std::min(dropped_reported, unreported);
  if (next.acked_through != state_.acked_through ||
      next.dropped_reported != state_.dropped_reported) {
    absl::Status s = SaveState(next);
    if (!s.ok()) return s;
    const uint64_t before = discard_through();
    state_ = next;
    for (const Segment& segment : segments_) {
      pending_ -=
          CountAbove(segment, before) - CountAbove(segment, discard_through());
    }
  }
  RemoveDiscardedSegments();
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> SpoolCore::DropRefused(uint64_t through_seq) {
  absl::MutexLock lock(&mu_);
  if (through_seq > last_seq_) {
    return absl::InvalidArgumentError(
        absl::StrCat("spool ", options_.dir, ": refused seq ", through_seq,
                     " is above the last seq taken (", last_seq_, ")"));
  }
  const uint64_t before = discard_through();
  if (through_seq <= before) return 0;  // A quota drop came first.
  uint64_t dropped = 0;
  for (const Segment& segment : segments_) {
    dropped += CountAbove(segment, before) - CountAbove(segment, through_seq);
  }
  // Persisted before the file goes, as for a quota drop: after a crash in
  // between, recovery finishes the drop instead of resending the run.
  PersistentState next = state_;
  next.dropped_through = through_seq;
  next.dropped_total += dropped;
  absl::Status s = SaveState(next);
  if (!s.ok()) return s;
  state_ = next;
  pending_ -= dropped;
  RemoveDiscardedSegments();
  return dropped;
}

absl::Status SpoolCore::ReadPending(size_t max_records, size_t max_bytes,
                                    TakeRecord take) {
  absl::MutexLock lock(&mu_);
  size_t taken = 0;
  // A pass that meets damage returns fewer records; another pass makes
  // sure a damaged first record cannot hide the ones behind it.
  while (max_records > 0 && taken == 0 && pending_ > 0) {
    const uint64_t damaged_before = corrupt_skipped_;
    const uint64_t from = discard_through();
    uint64_t bytes = 0;
    bool full = false;
    for (size_t i = 0; i < segments_.size() && !full; ++i) {
      const Segment& segment = segments_[i];
      const size_t first = segment.entries.size() - CountAbove(segment, from);
      size_t count = 0;
      for (size_t k = first; k < segment.entries.size(); ++k) {
        const uint64_t run_bytes = segment.entries[k].size - kFrameOverhead;
        const bool first_of_all = taken == 0 && count == 0;
        if (taken + count >= max_records ||
            (!first_of_all && bytes + run_bytes > max_bytes)) {
          full = true;
          break;
        }
        bytes += run_bytes;
        ++count;
      }
      if (count == 0) continue;
      absl::Status s = ReadRecords(i, first, count, take, &taken);
      if (!s.ok()) return s;
    }
    if (corrupt_skipped_ == damaged_before) break;
  }
  return absl::OkStatus();
}

// Reads entries [first, first + count) of one segment with one pread and
// hands the good ones to `take`; damaged ones leave the index.
absl::Status SpoolCore::ReadRecords(size_t segment_index, size_t first,
                                    size_t count, TakeRecord take,
                                    size_t* taken) {
  Segment& segment = segments_[segment_index];
  const bool active = segment_index + 1 == segments_.size() && active_fd_ >= 0;
  const int fd =
      active ? active_fd_ : ::open(segment.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return fs::ErrnoError("cannot open", segment.path);
  const IndexEntry& last = segment.entries[first + count - 1];
  const uint64_t begin = segment.entries[first].offset;
  std::string buf(last.offset + last.size - begin, '\0');
  size_t got = 0;
  absl::Status read_status;
  while (got < buf.size()) {
    ssize_t n = ::pread(fd, buf.data() + got, buf.size() - got,
                        static_cast<off_t>(begin + got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) read_status = fs::ErrnoError("cannot read", segment.path);
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  if (!active) ::close(fd);
  if (!read_status.ok()) return read_status;
  buf.resize(got);  // A short file: the missing records count as damaged.
  std::vector<size_t> damaged;
  for (size_t k = first; k < first + count; ++k) {
    const IndexEntry& e = segment.entries[k];
    Frame frame;
    const uint64_t at = e.offset - begin;
    if (at + e.size > buf.size() ||
        !DecodeFrame(absl::string_view(buf).substr(at, e.size), &frame) ||
        frame.seq != e.seq || !take(e.seq, frame.run_bytes)) {
      log::Error("spool.corrupt_skipped", {{"file", segment.path},
                                           {"offset", e.offset},
                                           {"bytes", e.size},
                                           {"seq", e.seq},
                                           {"found", "while reading"}});
      damaged.push_back(k);
      continue;
    }
    ++*taken;
  }
  for (auto it = damaged.rbegin(); it != damaged.rend(); ++it) {
    segment.entries.erase(segment.entries.begin() +
                          static_cast<ptrdiff_t>(*it));
  }
  corrupt_skipped_ += damaged.size();
  pending_ -= damaged.size();
  return absl::OkStatus();
}

SpoolStats SpoolCore::stats() const {
  absl::MutexLock lock(&mu_);
  SpoolStats s;
  s.pending_records = pending_;
  s.bytes_on_disk = bytes_on_disk_;
  s.segments = segments_.size();
  s.last_seq = last_seq_;
  s.acked_through = state_.acked_through;
  s.dropped_records = state_.dropped_total;
  s.unreported_dropped = state_.dropped_total - state_.dropped_reported;
  s.corrupt_skipped = corrupt_skipped_;
  s.truncated_bytes = truncated_bytes_;
  return s;
}

}  // namespace v6scope::probe::spool
