#include "probe/state/probe_state.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/fs/files.h"

namespace v6scope::probe::state {
namespace {

constexpr char kIdentityFile[] = "identity";
constexpr char kNextSeqFile[] = "next_seq";
constexpr char kNextDomainSeqFile[] = "next_domain_seq";
constexpr char kScheduleFile[] = "schedule";

absl::Status CheckSchedule(const StoredSchedule& s) {
  if (s.interval_seconds < 30 || s.interval_seconds > 86400) {
    return absl::InvalidArgumentError(
        absl::StrCat("interval ", s.interval_seconds, " s outside 30..86400"));
  }
  if (s.spread_seconds > s.interval_seconds) {
    return absl::InvalidArgumentError(absl::StrCat("spread ", s.spread_seconds,
                                                   " s above the interval ",
                                                   s.interval_seconds, " s"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ProbeState> ProbeState::Open(const std::string& dir) {
  absl::Status s = fs::MakeDirs(dir, 0700);
  if (!s.ok()) {
    return absl::Status(
        s.code(), absl::StrCat("state directory unusable: ", s.message()));
  }
  return ProbeState(dir);
}

absl::StatusOr<Identity> ProbeState::LoadIdentity() const {
  const std::string path = absl::StrCat(dir_, "/", kIdentityFile);
  absl::StatusOr<std::string> text = fs::ReadFile(path);
  if (absl::IsNotFound(text.status())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "not enrolled (no ", path, "): run `v6scope-probe enrol` first"));
  }
  if (!text.ok()) return text.status();
  Identity id;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    std::pair<std::string, std::string> kv = absl::StrSplit(line, '=');
    if (kv.first == "probe_id") id.probe_id = kv.second;
    if (kv.first == "credential") id.credential = kv.second;
    if (kv.first == "collector") id.collector = kv.second;
  }
  if (id.probe_id.empty() || id.credential.empty()) {
    return absl::DataLossError(absl::StrCat("identity file is corrupt: ", path,
                                            " (enrol again with a new token)"));
  }
  return id;
}

absl::Status ProbeState::SaveIdentity(const Identity& identity) {
  return fs::WriteFileAtomically(
      absl::StrCat(dir_, "/", kIdentityFile),
      absl::StrCat("probe_id=", identity.probe_id,
                   "\ncredential=", identity.credential,
                   "\ncollector=", identity.collector, "\n"),
      0600);
}

absl::Status ProbeState::SaveSchedule(const StoredSchedule& schedule) {
  absl::Status valid = CheckSchedule(schedule);
  if (!valid.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("schedule from the collector: ", valid.message()));
  }
  return fs::WriteFileAtomically(
      absl::StrCat(dir_, "/", kScheduleFile),
      absl::StrCat("interval_seconds=", schedule.interval_seconds,
                   "\nspread_seconds=", schedule.spread_seconds, "\n"),
      0600);
}

absl::StatusOr<StoredSchedule> ProbeState::LoadSchedule() const {
  const std::string path = absl::StrCat(dir_, "/", kScheduleFile);
  absl::StatusOr<std::string> text = fs::ReadFile(path);
  if (!text.ok()) return text.status();  // NOT_FOUND names the path.
  StoredSchedule schedule;
  bool has_interval = false, has_spread = false;
  for (absl::string_view line :
       absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(line, absl::MaxSplits('=', 1));
    if (kv.first == "interval_seconds") {
      has_interval = absl::SimpleAtoi(kv.second, &schedule.interval_seconds);
    } else if (kv.first == "spread_seconds") {
      has_spread = absl::SimpleAtoi(kv.second, &schedule.spread_seconds);
    }
  }
  absl::Status valid = has_interval && has_spread
                           ? CheckSchedule(schedule)
                           : absl::InvalidArgumentError("missing a field");
  if (!valid.ok()) {
    return absl::DataLossError(
        absl::StrCat("schedule file is corrupt: ", path, " (", valid.message(),
                     "; delete it to use the default, or enrol again)"));
  }
  return schedule;
}

absl::StatusOr<uint64_t> ProbeState::ReserveSeq(uint64_t count) {
  return Reserve(kNextSeqFile, count);
}

absl::StatusOr<uint64_t> ProbeState::ReserveDomainSeq(uint64_t count) {
  return Reserve(kNextDomainSeqFile, count);
}

absl::StatusOr<uint64_t> ProbeState::Reserve(const char* file, uint64_t count) {
  const std::string path = absl::StrCat(dir_, "/", file);
  uint64_t next = 1;
  absl::StatusOr<std::string> text = fs::ReadFile(path);
  if (text.ok()) {
    if (!absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &next) ||
        next == 0) {
      return absl::DataLossError(
          absl::StrCat("sequence file is corrupt: ", path));
    }
  } else if (!absl::IsNotFound(text.status())) {
    return text.status();
  }
  absl::Status s =
      fs::WriteFileAtomically(path, absl::StrCat(next + count, "\n"), 0600);
  if (!s.ok()) return s;
  return next;
}

}  // namespace v6scope::probe::state
