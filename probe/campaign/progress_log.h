// ProgressLog: the finished items of one assignment, one fixed-size record
// appended (and fdatasync'ed) per item, so progress survives a crash at
// any point. Also what the daily budget is rebuilt from: each record
// carries the UTC day it was done on and the bytes it cost.
//
// Record (24 bytes, little-endian): item u32, day u32 (days since the
// Unix epoch, UTC), bytes u64, flags u32 (bit 0: skipped by the host's
// sector opt-out, no check made), CRC-32C of the first 20 bytes.
//
// Recovery on Open: a torn last record (a crash inside an append) is cut
// off; a record failing its CRC, or naming an item out of range, makes the
// file corrupt: it is quarantined (file_quarantine.h) and replaced,
// atomically, by one holding the records read before the bad one (the
// items after it are checked again; the collector drops the duplicates).
#ifndef V6SCOPE_PROBE_CAMPAIGN_PROGRESS_LOG_H_
#define V6SCOPE_PROBE_CAMPAIGN_PROGRESS_LOG_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace v6scope::probe::campaign {

struct ProgressRecord {
  uint32_t item = 0;
  uint32_t day = 0;
  uint64_t bytes = 0;
  bool skipped = false;
};

inline constexpr size_t kProgressRecordBytes = 24;

class ProgressLog {
 public:
  // Opens (or creates) `path` for an assignment of `item_count` items and
  // puts the records found into `records`, in file order.
  static absl::StatusOr<std::unique_ptr<ProgressLog>> Open(
      const std::string& path, uint32_t item_count,
      const std::string& quarantine_dir, std::vector<ProgressRecord>* records);
  ~ProgressLog();
  ProgressLog(const ProgressLog&) = delete;
  ProgressLog& operator=(const ProgressLog&) = delete;

  // Durable when it returns OK.
  absl::Status Append(const ProgressRecord& record);

  static std::string Encode(const ProgressRecord& record);

 private:
  ProgressLog(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  const std::string path_;
  const int fd_;
};

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_PROGRESS_LOG_H_
