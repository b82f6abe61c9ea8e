#include "probe/spool/file_writer.h"

#include <unistd.h>

#include <cerrno>

#include "common/fs/files.h"

namespace v6scope::probe::spool {
namespace {

class PosixWriter : public SpoolFileWriter {
 public:
  absl::Status WriteAt(int fd, absl::string_view data, uint64_t offset,
                       const std::string& path) override {
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::pwrite(fd, p, left, static_cast<off_t>(offset));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return fs::ErrnoError("cannot write", path);
      p += n;
      left -= static_cast<size_t>(n);
      offset += static_cast<uint64_t>(n);
    }
    return absl::OkStatus();
  }

  absl::Status Sync(int fd, const std::string& path) override {
    while (::fdatasync(fd) != 0) {
      if (errno != EINTR) return fs::ErrnoError("cannot sync", path);
    }
    return absl::OkStatus();
  }
};

}  // namespace

SpoolFileWriter* PosixSpoolFileWriter() {
  static PosixWriter* writer = new PosixWriter();
  return writer;
}

}  // namespace v6scope::probe::spool
