#include "probe/campaign/file_quarantine.h"

#include <sys/stat.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "common/fs/files.h"
#include "common/log/log.h"

namespace v6scope::probe::campaign {

absl::Status QuarantineFile(const std::string& path,
                            const std::string& quarantine_dir,
                            absl::string_view reason) {
  absl::Status s = fs::MakeDirs(quarantine_dir, 0700);
  if (!s.ok()) return s;
  const size_t slash = path.rfind('/');
  const std::string base =
      slash == std::string::npos ? path : path.substr(slash + 1);
  std::string target = absl::StrCat(quarantine_dir, "/", base);
  struct stat st;
  for (int n = 1; ::stat(target.c_str(), &st) == 0; ++n) {
    target = absl::StrCat(quarantine_dir, "/", base, ".", n);
  }
  if (std::rename(path.c_str(), target.c_str()) != 0) {
    return fs::ErrnoError("cannot quarantine", path);
  }
  log::Error("campaign.file_quarantined",
             {{"file", path}, {"moved_to", target}, {"reason", reason}});
  return absl::OkStatus();
}

}  // namespace v6scope::probe::campaign
