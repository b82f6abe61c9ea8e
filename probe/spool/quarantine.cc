#include "probe/spool/quarantine.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/fs/files.h"
#include "common/log/log.h"
#include "common/text/text_rules.h"
#include "google/protobuf/text_format.h"

namespace v6scope::probe::spool {
namespace {

// Every quarantined file ends so (.run.txt, .result.txt).
constexpr char kSuffix[] = ".txt";

struct Entry {
  std::string name;
  uint64_t bytes = 0;
};

// The quarantine's files, oldest (lowest seq) first.
std::vector<Entry> ListFiles(const std::string& dir) {
  std::vector<Entry> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (const struct dirent* e = ::readdir(d)) {
    if (!absl::EndsWith(e->d_name, kSuffix)) continue;
    struct stat st;
    const std::string path = absl::StrCat(dir, "/", e->d_name);
    if (::stat(path.c_str(), &st) != 0) continue;
    out.push_back({e->d_name, static_cast<uint64_t>(st.st_size)});
  }
  ::closedir(d);
  std::sort(out.begin(), out.end(),
            [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return out;
}

std::string Contents(absl::string_view noun, absl::string_view counter,
                     uint64_t seq, const google::protobuf::Message& record,
                     absl::string_view reason, absl::Time now) {
  std::string body;
  google::protobuf::TextFormat::Printer printer;
  // Strings stay escaped (the default): the record may hold the very bytes
  // the collector refused, which must not reach a terminal raw.
  printer.PrintToString(record, &body);
  return absl::StrCat(
      "# v6scope ", noun,
      " refused by the collector; not delivered (counted in the batch's ",
      counter, ").\n# seq: ", seq,
      "\n# quarantined_at: ", absl::FormatTime(now, absl::UTCTimeZone()),
      "\n# reason: ", text::Printable(reason), "\n", body);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Quarantine>> Quarantine::Open(
    QuarantineOptions options) {
  if (options.dir.empty()) {
    return absl::InvalidArgumentError("quarantine: no directory");
  }
  absl::Status s = fs::MakeDirs(options.dir, 0700);
  if (!s.ok()) return s;
  return std::unique_ptr<Quarantine>(new Quarantine(std::move(options)));
}

absl::StatusOr<std::string> Quarantine::Put(uint64_t seq,
                                            const v6scope::v1::Run& run,
                                            absl::string_view reason,
                                            absl::Time now) {
  return PutRecord({"run", "dropped_runs", ".run.txt"}, seq, run, reason, now);
}

absl::StatusOr<std::string> Quarantine::Put(
    uint64_t seq, const v6scope::v1::DomainResult& result,
    absl::string_view reason, absl::Time now) {
  return PutRecord({"readiness result", "dropped_results", ".result.txt"}, seq,
                   result, reason, now);
}

absl::StatusOr<std::string> Quarantine::PutRecord(
    const Kind& kind, uint64_t seq, const google::protobuf::Message& record,
    absl::string_view reason, absl::Time now) {
  const std::string path =
      absl::StrFormat("%s/%020u%s", options_.dir, seq, kind.suffix);
  absl::Status s = fs::WriteFileAtomically(
      path, Contents(kind.noun, kind.counter, seq, record, reason, now), 0600);
  if (!s.ok()) return s;
  EnforceBounds();
  return path;
}

void Quarantine::EnforceBounds() {
  std::vector<Entry> files = ListFiles(options_.dir);
  uint64_t bytes = 0;
  for (const Entry& e : files) bytes += e.bytes;
  size_t count = files.size();
  for (const Entry& e : files) {
    if (count <= 1) break;  // The newest stays, whatever its size.
    if (count <= options_.max_files && bytes <= options_.max_bytes) break;
    const std::string path = absl::StrCat(options_.dir, "/", e.name);
    if (::unlink(path.c_str()) != 0) {
      log::Warn("quarantine.delete_failed",
                {{"status", fs::ErrnoError("cannot delete", path)}});
      return;
    }
    log::Warn("quarantine.dropped_oldest", {{"file", path}});
    --count;
    bytes -= e.bytes;
  }
}

}  // namespace v6scope::probe::spool
