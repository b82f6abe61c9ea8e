#include "collector/store/sqlite/sqlite_file_modes.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/log/log.h"

namespace v6scope::collector::store::sqlite {
namespace {

absl::Status Errno(absl::string_view what, const std::string& path) {
  return absl::PermissionDeniedError(
      absl::StrCat(what, " ", path, ": ", strerror(errno)));
}

// Drops group and other bits from an existing file; absent files are fine.
absl::Status OwnerOnly(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    return errno == ENOENT ? absl::OkStatus() : Errno("cannot stat", path);
  }
  const mode_t mode = st.st_mode & 07777;
  if ((mode & 077) == 0) return absl::OkStatus();
  if (chmod(path.c_str(), mode & ~static_cast<mode_t>(077)) != 0) {
    return Errno("cannot chmod", path);
  }
  log::Warn("file_mode.tightened",
            {{"path", path},
             {"from", absl::StrFormat("%04o", mode)},
             {"to", absl::StrFormat("%04o", mode & ~077)}});
  return absl::OkStatus();
}

}  // namespace

absl::Status SecureDatabaseFiles(const std::string& path) {
  if (path.empty() || path == ":memory:" || absl::StartsWith(path, "file:")) {
    return absl::OkStatus();
  }
  // O_EXCL: only a new file gets created here, never a symlink followed.
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                      S_IRUSR | S_IWUSR);
  if (fd >= 0) {
    close(fd);
  } else if (errno != EEXIST) {
    // SQLite's own open fails next and says why, as it always has.
    return absl::OkStatus();
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    absl::Status s = OwnerOnly(absl::StrCat(path, suffix));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace v6scope::collector::store::sqlite
