#include "collector/campaign/campaign_spec.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "collector/campaign/list_import.h"
#include "collector/campaign/sector.h"
#include "common/text/text_rules.h"
#include "google/protobuf/util/time_util.h"

namespace v6scope::collector::campaign {
namespace {

using google::protobuf::util::TimeUtil;
using v6scope::v1::Campaign;

constexpr std::array<Sector, 8> kAllSectors = {
    Sector::kGovernment, Sector::kEducation, Sector::kHealth,
    Sector::kBanking,    Sector::kTelecom,   Sector::kTransport,
    Sector::kTopSites,   Sector::kOther,
};

absl::Status CheckName(Campaign& c) {
  if (c.name().empty() || c.name().size() > 128) {
    return absl::InvalidArgumentError("name: must be 1..128 bytes");
  }
  absl::Status s = text::CheckTextRule(c.name(), text::TextRule::kUtf8Line);
  if (!s.ok())
    return absl::InvalidArgumentError(absl::StrCat("name: ", s.message()));
  if (c.created_by().empty()) c.set_created_by("admin");
  if (c.created_by().size() > 64 ||
      !text::CheckTextRule(c.created_by(), text::TextRule::kPrintableAscii)
           .ok()) {
    return absl::InvalidArgumentError(
        "created_by: must be 1..64 printable ASCII characters");
  }
  return absl::OkStatus();
}

absl::Status CheckSectors(Campaign& c) {
  std::vector<Sector> tags;
  for (const std::string& name : c.sectors()) {
    std::optional<Sector> s = ParseSector(name);
    if (!s) {
      return absl::InvalidArgumentError(
          absl::StrCat("sectors: \"", text::Printable(name),
                       "\" is not a sector; one of: ", SectorList()));
    }
    tags.push_back(*s);
  }
  c.clear_sectors();
  for (Sector s : kAllSectors) {  // Canonical order, no duplicates.
    if (std::find(tags.begin(), tags.end(), s) != tags.end()) {
      c.add_sectors(std::string(SectorName(s)));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckSchedule(Campaign& c, absl::Time now) {
  v6scope::v1::CampaignSchedule& s = *c.mutable_schedule();
  if (s.every_n_days() > 365) {
    return absl::InvalidArgumentError(
        "schedule.every_n_days: at most 365 (0 means once)");
  }
  if (!s.has_start()) {
    *s.mutable_start() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  } else if (s.start().seconds() < 0 ||
             s.start().seconds() > TimeUtil::kTimestampMaxSeconds ||
             s.start().nanos() < 0 || s.start().nanos() > 999'999'999) {
    return absl::InvalidArgumentError(
        "schedule.start: not a valid time after 1970");
  }
  return absl::OkStatus();
}

absl::Status CheckBudget(Campaign& c) {
  v6scope::v1::CampaignBudget& b = *c.mutable_budget();
  if (b.domains_per_day() == 0) b.set_domains_per_day(kDefaultDomainsPerDay);
  if (b.bytes_per_day() == 0) b.set_bytes_per_day(kDefaultBytesPerDay);
  if (b.concurrency() == 0) b.set_concurrency(kDefaultConcurrency);
  if (b.domains_per_day() > 1'000'000) {
    return absl::InvalidArgumentError(
        "budget.domains_per_day: at most 1000000");
  }
  if (b.bytes_per_day() < (1ull << 20) || b.bytes_per_day() > (100ull << 30)) {
    return absl::InvalidArgumentError(
        "budget.bytes_per_day: must be 1 MiB..100 GiB");
  }
  if (b.concurrency() > 64) {
    return absl::InvalidArgumentError("budget.concurrency: at most 64");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Campaign> NormalizeCampaign(const Campaign& in, absl::Time now) {
  Campaign c = in;
  absl::Status s = CheckName(c);
  if (s.ok()) s = CheckSectors(c);
  if (s.ok()) s = CheckSchedule(c, now);
  if (s.ok()) s = CheckBudget(c);
  if (!s.ok()) return s;
  return c;
}

v6scope::v1::CampaignListStats ListStats(const ImportResult& result,
                                         ListFormat format) {
  std::array<uint64_t, kAllSectors.size()> counts{};
  for (const DomainEntry& e : result.list.entries()) {
    ++counts[static_cast<size_t>(e.sector)];
  }
  v6scope::v1::CampaignListStats stats;
  stats.set_names(result.list.size());
  for (Sector s : kAllSectors) {
    if (counts[static_cast<size_t>(s)] == 0) continue;
    v6scope::v1::SectorCount* sc = stats.add_sectors();
    sc->set_sector(std::string(SectorName(s)));
    sc->set_names(counts[static_cast<size_t>(s)]);
  }
  stats.set_format(std::string(ListFormatName(format)));
  stats.set_names_read(result.names_read);
  stats.set_warnings(result.warnings.size() + result.warnings_dropped);
  return stats;
}

ListFormat EffectiveFormat(const ImportOptions& options,
                           absl::string_view data) {
  if (options.format != ListFormat::kAuto) return options.format;
  if (absl::StartsWith(data, "\xEF\xBB\xBF")) data.remove_prefix(3);
  for (absl::string_view line : absl::StrSplit(data, '\n')) {
    line = absl::StripTrailingAsciiWhitespace(line);
    absl::string_view t = absl::StripLeadingAsciiWhitespace(line);
    if (t.empty() || absl::StartsWith(t, "#")) continue;
    return DetectListFormat(options.file_name, line);
  }
  return DetectListFormat(options.file_name, "");
}

}  // namespace v6scope::collector::campaign
