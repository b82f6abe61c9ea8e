#include "probe/campaign/participation.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/text/text_rules.h"

namespace v6scope::probe::campaign {
namespace {

// The closed set of collector/campaign/sector.h, repeated here because the
// probe may not depend on the collector; the names are the wire contract.
constexpr absl::string_view kSectors[] = {
    "government", "education", "health",    "banking",
    "telecom",    "transport", "top-sites", "other"};

// Range check of an optional cap (0 means the default).
template <typename T>
absl::Status CheckCap(absl::string_view field, T value, T lo, T hi,
                      absl::string_view unit, T default_value) {
  if (value == 0 || (value >= lo && value <= hi)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("campaigns.", field, ": ", value, " outside ", lo, "..", hi,
                   unit, " (0: the default ", default_value, ")"));
}

}  // namespace

bool IsSectorName(absl::string_view name) {
  return std::find(std::begin(kSectors), std::end(kSectors), name) !=
         std::end(kSectors);
}

std::string SectorNames() { return absl::StrJoin(kSectors, ", "); }

bool Participation::RefusesSector(absl::string_view sector) const {
  if (sector.empty()) sector = "other";
  return std::binary_search(opt_out_sectors.begin(), opt_out_sectors.end(),
                            sector);
}

absl::StatusOr<Participation> ParseParticipation(
    const v6scope::v1::CampaignParticipation& config) {
  Participation p;
  p.opt_out = config.opt_out();
  for (int i = 0; i < config.opt_out_sectors_size(); ++i) {
    const std::string& name = config.opt_out_sectors(i);
    if (!IsSectorName(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "campaigns.opt_out_sectors[", i, "]: \"", text::Printable(name),
          "\" is not a sector name (", SectorNames(), ")"));
    }
    p.opt_out_sectors.push_back(name);
  }
  std::sort(p.opt_out_sectors.begin(), p.opt_out_sectors.end());
  p.opt_out_sectors.erase(
      std::unique(p.opt_out_sectors.begin(), p.opt_out_sectors.end()),
      p.opt_out_sectors.end());
  // The ranges of CampaignBudget (proto/campaign.proto): a host cap above
  // what any campaign may ask is a typo, not a wish.
  absl::Status s =
      CheckCap<uint32_t>("max_domains_per_day", config.max_domains_per_day(), 1,
                         1000000, "", kDefaultMaxDomainsPerDay);
  if (s.ok()) {
    s = CheckCap<uint64_t>("max_bytes_per_day", config.max_bytes_per_day(),
                           uint64_t{1} << 20, uint64_t{100} << 30, " bytes",
                           kDefaultMaxBytesPerDay);
  }
  if (s.ok()) {
    s = CheckCap<uint32_t>("max_concurrency", config.max_concurrency(), 1, 64,
                           "", kDefaultMaxConcurrency);
  }
  if (!s.ok()) return s;
  if (config.max_domains_per_day() != 0) {
    p.max_domains_per_day = config.max_domains_per_day();
  }
  if (config.max_bytes_per_day() != 0) {
    p.max_bytes_per_day = config.max_bytes_per_day();
  }
  if (config.max_concurrency() != 0) {
    p.max_concurrency = config.max_concurrency();
  }
  return p;
}

}  // namespace v6scope::probe::campaign
