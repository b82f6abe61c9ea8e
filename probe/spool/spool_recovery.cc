// Opening a spool: options, the directory lock, the state file, and the
// scan of every segment (see "Recovery" in spool.h).
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/fs/files.h"
#include "common/log/log.h"
#include "probe/spool/frame.h"
#include "probe/spool/spool_core.h"

namespace v6scope::probe::spool {
namespace {

constexpr char kStateFile[] = "state";
constexpr char kSegmentSuffix[] = ".seg";
constexpr uint64_t kMinSegmentBytes = 256;
constexpr uint64_t kMaxSegmentBytes = uint64_t{1} << 30;

absl::Status ValidateOptions(const SpoolOptions& o) {
  if (o.dir.empty()) return absl::InvalidArgumentError("spool dir is empty");
  if (o.segment_bytes < kMinSegmentBytes ||
      o.segment_bytes > kMaxSegmentBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("spool segment_bytes must be ", kMinSegmentBytes, "..",
                     kMaxSegmentBytes, ", not ", o.segment_bytes));
  }
  if (o.max_bytes / 2 < o.segment_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "spool max_bytes (", o.max_bytes,
        ") must be at least twice segment_bytes (", o.segment_bytes, ")"));
  }
  if (o.fsync == FsyncPolicy::kBatched &&
      (o.batch_records == 0 || o.batch_interval < absl::ZeroDuration())) {
    return absl::InvalidArgumentError(
        "spool batch_records must be at least 1 and batch_interval >= 0");
  }
  return absl::OkStatus();
}

// Segment files in the directory as (key, name), in key order; removes
// leftovers of an interrupted atomic state write.
absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>> ListSegments(
    const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return fs::ErrnoError("cannot list", dir);
  std::vector<std::pair<uint64_t, std::string>> keys;
  const std::string tmp_prefix = absl::StrCat(kStateFile, ".tmp.");
  while (const struct dirent* entry = ::readdir(d)) {
    const absl::string_view name = entry->d_name;
    absl::string_view stem = name;
    uint64_t key = 0;
    if (absl::ConsumeSuffix(&stem, kSegmentSuffix) && !stem.empty() &&
        std::all_of(stem.begin(), stem.end(), absl::ascii_isdigit) &&
        absl::SimpleAtoi(stem, &key)) {
      keys.emplace_back(key, std::string(name));
    } else if (absl::StartsWith(name, tmp_prefix)) {
      ::unlink(absl::StrCat(dir, "/", name).c_str());
    }
  }
  ::closedir(d);
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace

absl::StatusOr<std::unique_ptr<SpoolCore>> SpoolCore::Open(SpoolOptions options,
                                                           std::string noun) {
  absl::Status s = ValidateOptions(options);
  if (!s.ok()) return s;
  std::unique_ptr<SpoolCore> spool(
      new SpoolCore(std::move(options), std::move(noun)));
  {
    absl::MutexLock lock(&spool->mu_);  // Recovery's helpers expect it.
    s = spool->Recover();
  }
  if (!s.ok()) return s;
  return spool;
}

absl::Status SpoolCore::LockDirectory() {
  absl::Status s = fs::MakeDirs(options_.dir, 0700);
  if (!s.ok()) return s;
  dir_fd_ = ::open(options_.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) return fs::ErrnoError("cannot open", options_.dir);
  if (::flock(dir_fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return absl::FailedPreconditionError(
          absl::StrCat("spool directory ", options_.dir,
                       " is in use by another spool (another probe process?)"));
    }
    return fs::ErrnoError("cannot lock", options_.dir);
  }
  return absl::OkStatus();
}

absl::Status SpoolCore::LoadState() {
  const std::string path = absl::StrCat(options_.dir, "/", kStateFile);
  absl::StatusOr<std::string> text = fs::ReadFile(path);
  if (absl::IsNotFound(text.status())) return absl::OkStatus();
  if (!text.ok()) return text.status();
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    if (line.empty()) continue;
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    uint64_t value = 0;
    if (!absl::SimpleAtoi(kv.second, &value)) {
      return absl::DataLossError(absl::StrCat(
          "spool state file is corrupt: ", path, " (line \"", line, "\")"));
    }
    if (kv.first == "acked_through") state_.acked_through = value;
    if (kv.first == "dropped_through") state_.dropped_through = value;
    if (kv.first == "dropped_total") state_.dropped_total = value;
    if (kv.first == "dropped_reported") state_.dropped_reported = value;
  }
  state_.dropped_reported =
      std::min(state_.dropped_reported, state_.dropped_total);
  return absl::OkStatus();
}

absl::Status SpoolCore::SaveState(const PersistentState& next) {
  return fs::WriteFileAtomically(
      absl::StrCat(options_.dir, "/", kStateFile),
      absl::StrCat("acked_through=", next.acked_through, "\ndropped_through=",
                   next.dropped_through, "\ndropped_total=", next.dropped_total,
                   "\ndropped_reported=", next.dropped_reported, "\n"),
      0600);
}

absl::Status SpoolCore::Recover() {
  const absl::Time start = clock_->Now();
  absl::Status s = LockDirectory();
  if (s.ok()) s = LoadState();
  if (!s.ok()) return s;
  absl::StatusOr<std::vector<std::pair<uint64_t, std::string>>> segments =
      ListSegments(options_.dir);
  if (!segments.ok()) return segments.status();
  for (size_t i = 0; i < segments->size(); ++i) {
    const auto& [key, name] = (*segments)[i];
    s = RecoverSegment(key, absl::StrCat(options_.dir, "/", name),
                       i + 1 == segments->size());
    if (!s.ok()) return s;
  }
  last_seq_ = std::max(last_seq_, discard_through());
  log::Info("spool.opened",
            {{"dir", options_.dir},
             {"segments", segments_.size()},
             {"pending", pending_},
             {"bytes", bytes_on_disk_},
             {"last_seq", last_seq_},
             {"acked_through", state_.acked_through},
             {"dropped_total", state_.dropped_total},
             {"corrupt_skipped", corrupt_skipped_},
             {"truncated_bytes", truncated_bytes_},
             {"elapsed", absl::FormatDuration(clock_->Now() - start)}});
  return absl::OkStatus();
}

namespace {

// Opens a segment for recovery and returns its size; refuses a file larger
// than any segment the spool writes (not one of ours, or damaged).
absl::StatusOr<uint64_t> OpenSegment(const std::string& path, int* fd_out) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return fs::ErrnoError("cannot open", path);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    absl::Status s = fs::ErrnoError("cannot stat", path);
    ::close(fd);
    return s;
  }
  if (static_cast<uint64_t>(st.st_size) > UINT32_MAX) {
    ::close(fd);
    return absl::FailedPreconditionError(
        absl::StrCat("spool segment ", path, " is ", st.st_size,
                     " bytes, more than any spool writes; move it away"));
  }
  *fd_out = fd;
  return static_cast<uint64_t>(st.st_size);
}

}  // namespace

// Indexes one segment's records above the discard point, cuts off a bad
// tail, and keeps the file open for appending if it is the last and has
// room. A segment with nothing pending is deleted.
absl::Status SpoolCore::RecoverSegment(uint64_t key, const std::string& path,
                                       bool last) {
  int fd = -1;
  absl::StatusOr<uint64_t> size = OpenSegment(path, &fd);
  if (!size.ok()) return size.status();
  Segment segment;
  segment.key = key;
  segment.path = path;
  absl::StatusOr<uint64_t> valid_records = ScanSegment(fd, *size, &segment);
  if (!valid_records.ok()) {
    ::close(fd);
    return valid_records.status();
  }
  if (segment.entries.empty()) {
    ::close(fd);
    return DeleteRecoveredSegment(path, *valid_records);
  }
  pending_ += segment.entries.size();
  bytes_on_disk_ += segment.bytes;
  segments_.push_back(std::move(segment));
  if (last && segments_.back().bytes < options_.segment_bytes) {
    active_fd_ = fd;
  } else {
    ::close(fd);
  }
  return absl::OkStatus();
}

// Reads the frames of one open segment into `segment` (entries above the
// discard point, and its valid length), truncating a torn tail and
// skipping corrupt or out-of-order frames. Returns how many valid records
// the segment held.
absl::StatusOr<uint64_t> SpoolCore::ScanSegment(int fd, uint64_t size,
                                                Segment* segment) {
  const std::string& path = segment->path;
  uint64_t valid_records = 0;
  FrameScanner scanner(fd, path, 0, size);
  for (;;) {
    absl::StatusOr<FrameScanner::Item> item = scanner.Next();
    if (!item.ok()) return item.status();
    if (item->end) {
      segment->bytes = item->skipped_offset;
      if (item->skipped_bytes == 0) return valid_records;
      log::Warn("spool.tail_truncated", {{"file", path},
                                         {"offset", item->skipped_offset},
                                         {"bytes", item->skipped_bytes},
                                         {"after_seq", last_seq_}});
      if (::ftruncate(fd, static_cast<off_t>(item->skipped_offset)) != 0) {
        return fs::ErrnoError("cannot truncate", path);
      }
      truncated_bytes_ += item->skipped_bytes;
      return valid_records;
    }
    if (item->skipped_bytes > 0) {
      log::Error("spool.corrupt_skipped", {{"file", path},
                                           {"offset", item->skipped_offset},
                                           {"bytes", item->skipped_bytes},
                                           {"after_seq", last_seq_},
                                           {"next_seq", item->frame.seq}});
      ++corrupt_skipped_;
    }
    const uint64_t seq = item->frame.seq;
    if (seq <= last_seq_) {
      log::Error("spool.out_of_order_skipped", {{"file", path},
                                                {"offset", item->offset},
                                                {"seq", seq},
                                                {"after_seq", last_seq_}});
      ++corrupt_skipped_;
      continue;
    }
    last_seq_ = seq;
    ++valid_records;
    if (seq > discard_through()) {
      segment->entries.push_back(
          {seq, static_cast<uint32_t>(item->offset), item->size});
    }
  }
}

// A recovered segment with nothing pending: every record acknowledged or
// dropped, or none valid at all (said louder: data was lost on disk).
absl::Status SpoolCore::DeleteRecoveredSegment(const std::string& path,
                                               uint64_t valid_records) {
  if (valid_records == 0) {
    log::Warn("spool.segment_deleted",
              {{"file", path}, {"reason", "no valid record"}});
  } else {
    log::Info("spool.segment_deleted",
              {{"file", path}, {"reason", "acknowledged or dropped"}});
  }
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return fs::ErrnoError("cannot delete", path);
  }
  return absl::OkStatus();
}

}  // namespace v6scope::probe::spool
