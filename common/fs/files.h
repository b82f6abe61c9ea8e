// Small file helpers with errors that name the path and the reason.
#ifndef V6SCOPE_COMMON_FS_FILES_H_
#define V6SCOPE_COMMON_FS_FILES_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace v6scope::fs {

// Whole file. NOT_FOUND if it does not exist.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Replaces `path` atomically (temp file, fsync, rename, fsync of the
// directory) so a crash leaves either the old or the new contents.
absl::Status WriteFileAtomically(const std::string& path,
                                 const std::string& contents, mode_t mode);

// Creates `path` and missing parents with `mode`; fine if it exists as a
// directory. The error names the path and why (e.g. "Permission denied").
absl::Status MakeDirs(const std::string& path, mode_t mode);

// Error for a failed system call on `path`, from errno.
absl::Status ErrnoError(const std::string& what, const std::string& path);

}  // namespace v6scope::fs

#endif  // V6SCOPE_COMMON_FS_FILES_H_
