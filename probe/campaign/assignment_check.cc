#include "probe/campaign/assignment_check.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/text/text_rules.h"
#include "probe/campaign/participation.h"

namespace v6scope::probe::campaign {
namespace {

bool IsPrefixedHex(absl::string_view s, absl::string_view prefix,
                   size_t digits) {
  if (s.size() != prefix.size() + digits || !absl::StartsWith(s, prefix)) {
    return false;
  }
  for (char c : s.substr(prefix.size())) {
    if (!absl::ascii_isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool IsLabel(absl::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' &&
        c != '_') {
      return false;
    }
  }
  return true;
}

// Quoted for a reason line: escaped and short enough to leave room.
std::string Quote(absl::string_view s) {
  std::string q = text::Printable(s.substr(0, 64));
  if (s.size() > 64) absl::StrAppend(&q, "...");
  return absl::StrCat("\"", q, "\"");
}

absl::Status CheckDomains(const v6scope::v1::Assignment& a) {
  if (a.domains_size() == 0) {
    return absl::InvalidArgumentError("no domains");
  }
  if (static_cast<size_t>(a.domains_size()) > kMaxAssignmentDomains) {
    return absl::InvalidArgumentError(absl::StrCat(
        a.domains_size(), " domains, more than ", kMaxAssignmentDomains));
  }
  for (int i = 0; i < a.domains_size(); ++i) {
    const v6scope::v1::AssignedDomain& d = a.domains(i);
    if (!IsHostName(d.name())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "domains[", i, "]: ", Quote(d.name()), " is not a host name"));
    }
    if (!d.sector().empty() && !IsSectorName(d.sector())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "domains[", i, "]: ", Quote(d.sector()), " is not a sector name"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckBudget(const v6scope::v1::CampaignBudget& b) {
  // The ranges of proto/campaign.proto CampaignBudget.
  if (b.domains_per_day() < 1 || b.domains_per_day() > 1000000) {
    return absl::InvalidArgumentError(absl::StrCat(
        "budget.domains_per_day ", b.domains_per_day(), " outside 1..1000000"));
  }
  if (b.bytes_per_day() < (uint64_t{1} << 20) ||
      b.bytes_per_day() > (uint64_t{100} << 30)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "budget.bytes_per_day ", b.bytes_per_day(), " outside 1 MiB..100 GiB"));
  }
  if (b.concurrency() < 1 || b.concurrency() > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("budget.concurrency ", b.concurrency(), " outside 1..64"));
  }
  return absl::OkStatus();
}

absl::Status CheckExpiry(const v6scope::v1::Assignment& a, absl::Time now) {
  const google::protobuf::Timestamp& t = a.expires_at();
  if (!a.has_expires_at() || t.nanos() < 0 || t.nanos() > 999999999 ||
      t.seconds() <= 0 || t.seconds() > 253402300799) {
    return absl::InvalidArgumentError("expires_at missing or invalid");
  }
  const absl::Time expires =
      absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
  if (expires <= now) {
    return absl::InvalidArgumentError(
        absl::StrCat("already expired (",
                     absl::FormatTime(expires, absl::UTCTimeZone()), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

bool IsAssignmentId(absl::string_view id) {
  return IsPrefixedHex(id, "a-", 16);
}

bool IsHostName(absl::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (absl::string_view label : absl::StrSplit(name, '.')) {
    if (!IsLabel(label)) return false;
  }
  return true;
}

std::string RefusalLine(absl::string_view reason) {
  std::string line(reason.substr(0, kMaxReasonBytes));
  for (char& c : line) {
    if (c < 0x20 || c > 0x7e) c = '?';  // One printable line, whatever came.
  }
  return line;
}

namespace {

absl::Status CheckIds(const v6scope::v1::Assignment& a) {
  if (!IsAssignmentId(a.assignment_id())) {
    return absl::InvalidArgumentError(
        absl::StrCat("assignment_id ", Quote(a.assignment_id()),
                     " is not \"a-\" and 16 hex digits"));
  }
  if (!IsPrefixedHex(a.campaign_id(), "c-", 8)) {
    return absl::InvalidArgumentError(
        absl::StrCat("campaign_id ", Quote(a.campaign_id()),
                     " is not \"c-\" and 8 hex digits"));
  }
  if (a.round() == 0) return absl::InvalidArgumentError("round 0 (from 1)");
  return absl::OkStatus();
}

}  // namespace

absl::Status CheckAssignment(const v6scope::v1::Assignment& a, absl::Time now) {
  absl::Status s = CheckIds(a);
  if (s.ok()) s = CheckDomains(a);
  if (s.ok()) s = CheckBudget(a.budget());
  if (s.ok()) s = CheckExpiry(a, now);
  if (s.ok()) return s;
  return absl::InvalidArgumentError(RefusalLine(s.message()));
}

}  // namespace v6scope::probe::campaign
