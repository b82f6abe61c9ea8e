#include "probe/campaign/progress_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/fs/files.h"
#include "common/log/log.h"
#include "probe/campaign/file_quarantine.h"
#include "probe/spool/crc32c.h"

namespace v6scope::probe::campaign {
namespace {

constexpr size_t kCrcOffset = 20;

// Little-endian fields, byte by byte: the file reads the same anywhere.
void Store(char* p, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
uint64_t Load(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) {
    v |= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
  }
  return v;
}

std::optional<ProgressRecord> Decode(const char* p) {
  if (Load(p + kCrcOffset, 4) != spool::Crc32c(p, kCrcOffset)) {
    return std::nullopt;
  }
  ProgressRecord r;
  r.item = static_cast<uint32_t>(Load(p, 4));
  r.day = static_cast<uint32_t>(Load(p + 4, 4));
  r.bytes = Load(p + 8, 8);
  r.skipped = (Load(p + 16, 4) & 1) != 0;
  return r;
}

std::string DirOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

absl::Status SyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fs::ErrnoError("cannot open", dir);
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok ? absl::OkStatus() : fs::ErrnoError("cannot fsync", dir);
}

// Reads the records of `text`; returns the bytes of good records and says
// why it stopped early (empty: a clean end, or only a torn tail).
size_t ReadRecords(const std::string& text, uint32_t item_count,
                   std::vector<ProgressRecord>* records, std::string* why) {
  size_t off = 0;
  for (; off + kProgressRecordBytes <= text.size();
       off += kProgressRecordBytes) {
    std::optional<ProgressRecord> r = Decode(text.data() + off);
    if (!r.has_value()) {
      *why = absl::StrCat("bad CRC in the record at byte ", off);
      return off;
    }
    if (r->item >= item_count) {
      *why = absl::StrCat("item ", r->item, " at byte ", off, " out of range (",
                          item_count, " items)");
      return off;
    }
    records->push_back(*r);
  }
  return off;
}

}  // namespace

std::string ProgressLog::Encode(const ProgressRecord& r) {
  char buf[kProgressRecordBytes];
  Store(buf, r.item, 4);
  Store(buf + 4, r.day, 4);
  Store(buf + 8, r.bytes, 8);
  Store(buf + 16, r.skipped ? 1 : 0, 4);
  Store(buf + kCrcOffset, spool::Crc32c(buf, kCrcOffset), 4);
  return std::string(buf, sizeof(buf));
}

absl::StatusOr<std::unique_ptr<ProgressLog>> ProgressLog::Open(
    const std::string& path, uint32_t item_count,
    const std::string& quarantine_dir, std::vector<ProgressRecord>* records) {
  absl::StatusOr<std::string> text = fs::ReadFile(path);
  if (!text.ok() && !absl::IsNotFound(text.status())) return text.status();
  if (text.ok()) {
    std::string why;
    const size_t good = ReadRecords(*text, item_count, records, &why);
    if (!why.empty()) {
      absl::Status s = QuarantineFile(path, quarantine_dir, why);
      if (s.ok())
        s = fs::WriteFileAtomically(path, text->substr(0, good), 0600);
      if (!s.ok()) return s;
    } else if (good != text->size()) {
      // A crash inside an append: the torn record never counted.
      log::Warn("campaign.progress_torn_tail",
                {{"file", path}, {"cut_bytes", text->size() - good}});
      if (::truncate(path.c_str(), static_cast<off_t>(good)) != 0) {
        return fs::ErrnoError("cannot truncate", path);
      }
    }
  }
  const int fd =
      ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return fs::ErrnoError("cannot open", path);
  std::unique_ptr<ProgressLog> log(new ProgressLog(path, fd));
  if (!text.ok()) {  // Created: make its name durable too.
    absl::Status s = SyncDir(DirOf(path));
    if (!s.ok()) return s;
  }
  return log;
}

ProgressLog::~ProgressLog() { ::close(fd_); }

absl::Status ProgressLog::Append(const ProgressRecord& record) {
  const std::string bytes = Encode(record);
  const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
  if (n != static_cast<ssize_t>(bytes.size())) {
    const absl::Status s = fs::ErrnoError("cannot append to", path_);
    // Cut a partial record, so the next append starts on a boundary.
    if (n > 0) {
      const off_t end = ::lseek(fd_, 0, SEEK_END);
      if (end >= n) (void)::ftruncate(fd_, end - n);
    }
    return n >= 0 ? absl::ResourceExhaustedError(absl::StrCat(
                        "short append to ", path_, " (disk full?)"))
                  : s;
  }
  if (::fdatasync(fd_) != 0) return fs::ErrnoError("cannot fdatasync", path_);
  return absl::OkStatus();
}

}  // namespace v6scope::probe::campaign
