// SpoolFileWriter: the only way the spool writes record bytes to disk.
//
// An interface so that tests can make a write or a sync fail at an exact
// point (disk full, I/O error), which a real file system does not do on
// demand. The spool passes its own open descriptor; implementations must
// not keep it. PosixSpoolFileWriter() is the real one (pwrite, fdatasync).
#ifndef V6SCOPE_PROBE_SPOOL_FILE_WRITER_H_
#define V6SCOPE_PROBE_SPOOL_FILE_WRITER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace v6scope::probe::spool {

class SpoolFileWriter {
 public:
  virtual ~SpoolFileWriter() = default;

  // Writes all of `data` at `offset` of `fd`, the open file `path`. On
  // error the file may hold any prefix of `data` (the spool cuts it off
  // again); the status names `path`, RESOURCE_EXHAUSTED for a full disk
  // or quota (ENOSPC, EDQUOT).
  virtual absl::Status WriteAt(int fd, absl::string_view data, uint64_t offset,
                               const std::string& path) = 0;

  // Makes the written data durable (fdatasync).
  virtual absl::Status Sync(int fd, const std::string& path) = 0;
};

// Stateless and shared; thread-safe.
SpoolFileWriter* PosixSpoolFileWriter();

}  // namespace v6scope::probe::spool

#endif  // V6SCOPE_PROBE_SPOOL_FILE_WRITER_H_
