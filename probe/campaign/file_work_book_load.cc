// FileWorkBook: opening the state directory and recovering it.
#include <dirent.h>
#include <unistd.h>

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/fs/files.h"
#include "common/log/log.h"
#include "probe/campaign/assignment_check.h"
#include "probe/campaign/assignment_file.h"
#include "probe/campaign/file_quarantine.h"
#include "probe/campaign/file_work_book.h"

namespace v6scope::probe::campaign {
namespace {

constexpr char kAssignmentExt[] = ".assignment";
constexpr char kProgressExt[] = ".progress";

absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return fs::ErrnoError("cannot list", dir);
  std::vector<std::string> names;
  while (const dirent* e = ::readdir(d)) names.emplace_back(e->d_name);
  ::closedir(d);
  return names;
}

absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

}  // namespace

FileWorkBook::FileWorkBook(BookOptions options)
    : options_(std::move(options)),
      quarantine_dir_(absl::StrCat(options_.dir, "/quarantine")) {}

FileWorkBook::~FileWorkBook() = default;

std::string FileWorkBook::PathOf(const std::string& id, const char* ext) const {
  return absl::StrCat(options_.dir, "/", id, ext);
}

absl::StatusOr<std::unique_ptr<FileWorkBook>> FileWorkBook::Open(
    BookOptions options) {
  absl::Status s = fs::MakeDirs(options.dir, 0700);
  if (!s.ok()) return s;
  std::unique_ptr<FileWorkBook> book(new FileWorkBook(std::move(options)));
  s = book->Load();
  if (!s.ok()) return s;
  return book;
}

absl::Status FileWorkBook::Load() {
  absl::StatusOr<std::vector<std::string>> names = ListDir(options_.dir);
  if (!names.ok()) return names.status();
  LoadUsage();
  for (const std::string& name : *names) {
    absl::string_view id = name;
    if (absl::StrContains(name, ".tmp.")) {  // An atomic write cut short.
      ::unlink(absl::StrCat(options_.dir, "/", name).c_str());
    } else if (absl::ConsumeSuffix(&id, kAssignmentExt)) {
      absl::Status s = LoadAssignment(std::string(id));
      if (!s.ok()) return s;
    }
  }
  absl::MutexLock lock(&mu_);
  for (const std::string& name : *names) {  // Progress of nothing held.
    absl::string_view id = name;
    if (absl::ConsumeSuffix(&id, kProgressExt) &&
        held_.count(std::string(id)) == 0) {
      ::unlink(absl::StrCat(options_.dir, "/", name).c_str());
    }
  }
  DropExpiredLocked();
  log::Info("campaign.book_opened",
            {{"dir", options_.dir}, {"held", held_.size()}});
  return absl::OkStatus();
}

void FileWorkBook::LoadUsage() {
  const std::string path = absl::StrCat(options_.dir, "/usage");
  absl::StatusOr<DayUsage> usage = ReadUsageFile(path);
  absl::MutexLock lock(&mu_);
  if (usage.ok()) {
    carried_ = *std::move(usage);
  } else if (!absl::IsNotFound(usage.status())) {
    // Losing it only forgets part of today's usage.
    (void)QuarantineFile(path, quarantine_dir_, usage.status().message());
  }
}

// A damaged file is quarantined (with its progress): the probe no longer
// holds it, and the collector re-offers it or ends it.
absl::Status FileWorkBook::LoadAssignment(const std::string& id) {
  const std::string path = PathOf(id, kAssignmentExt);
  absl::StatusOr<v6scope::v1::Assignment> a = ReadAssignmentFile(path);
  if (a.ok() && (a->assignment_id() != id || !IsAssignmentId(id))) {
    a = absl::DataLossError("assignment id does not match the file name");
  }
  if (!a.ok()) {
    if (!absl::IsDataLoss(a.status())) return a.status();
    absl::Status s =
        QuarantineFile(path, quarantine_dir_, a.status().message());
    const std::string progress = PathOf(id, kProgressExt);
    if (s.ok() && ::access(progress.c_str(), F_OK) == 0) {
      s = QuarantineFile(progress, quarantine_dir_,
                         "its assignment is damaged");
    }
    return s;
  }
  auto h = std::make_unique<Held>();
  const uint32_t count = static_cast<uint32_t>(a->domains_size());
  std::vector<ProgressRecord> records;
  absl::StatusOr<std::unique_ptr<ProgressLog>> log = ProgressLog::Open(
      PathOf(id, kProgressExt), count, quarantine_dir_, &records);
  if (!log.ok()) return log.status();
  h->log = *std::move(log);
  h->expires = ToTime(a->expires_at());
  h->assignment = *std::move(a);
  h->done.assign(count, false);
  h->in_flight.assign(count, false);
  const uint32_t today = Today();
  h->usage_day = today;
  for (const ProgressRecord& r : records) {
    if (h->done[r.item]) continue;
    h->done[r.item] = true;
    ++h->done_count;
    if (r.day == today && !r.skipped) {
      h->usage.domains += 1;
      h->usage.bytes += r.bytes;
    }
  }
  absl::MutexLock lock(&mu_);
  held_[id] = std::move(h);
  return absl::OkStatus();
}

void FileWorkBook::DropLocked(const std::string& id, const char* why) {
  auto it = held_.find(id);
  if (it == held_.end()) return;
  Held& h = *it->second;
  const uint32_t today = Today();
  if (h.usage_day == today && (h.usage.domains > 0 || h.usage.bytes > 0)) {
    if (carried_.day != today) carried_ = DayUsage{today, {}};
    Usage& u = carried_.by_campaign[h.assignment.campaign_id()];
    u.domains += h.usage.domains;
    u.bytes += h.usage.bytes;
    // Before the files go: a crash between the two counts it twice
    // (the safe side of a budget), never not at all.
    absl::Status s =
        WriteUsageFile(absl::StrCat(options_.dir, "/usage"), carried_);
    if (!s.ok()) log::Error("campaign.usage_not_saved", {{"status", s}});
  }
  log::Info("campaign.assignment_dropped",
            {{"assignment", id},
             {"why", why},
             {"done", h.done_count},
             {"items", h.assignment.domains_size()}});
  held_.erase(it);  // Closes the progress log.
  ::unlink(PathOf(id, kAssignmentExt).c_str());
  ::unlink(PathOf(id, kProgressExt).c_str());
}

void FileWorkBook::DropExpiredLocked() {
  const absl::Time now = options_.clock->Now();
  std::vector<std::string> expired;
  for (const auto& [id, h] : held_) {
    if (h->expires <= now) expired.push_back(id);
  }
  for (const std::string& id : expired) DropLocked(id, "expired");
}

}  // namespace v6scope::probe::campaign
