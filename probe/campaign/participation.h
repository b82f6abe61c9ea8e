// Participation: what the probe's host allows of campaign work
// (ProbeConfig.campaigns, proto/config.proto), validated and with the
// defaults filled in. Every cap only narrows what a campaign's budget
// allows; docs/guides/probe-host.md explains each field to hosts.
#ifndef V6SCOPE_PROBE_CAMPAIGN_PARTICIPATION_H_
#define V6SCOPE_PROBE_CAMPAIGN_PARTICIPATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "proto/config.pb.h"

namespace v6scope::probe::campaign {

// Defaults for a cap left at 0 in the config.
inline constexpr uint32_t kDefaultMaxDomainsPerDay = 2000;
inline constexpr uint64_t kDefaultMaxBytesPerDay = uint64_t{200} << 20;
inline constexpr uint32_t kDefaultMaxConcurrency = 8;

struct Participation {
  bool opt_out = false;
  std::vector<std::string> opt_out_sectors;  // Canonical, sorted, unique.
  uint32_t max_domains_per_day = kDefaultMaxDomainsPerDay;
  uint64_t max_bytes_per_day = kDefaultMaxBytesPerDay;
  uint32_t max_concurrency = kDefaultMaxConcurrency;

  // True if the host refuses this sector ("" reads as "other").
  bool RefusesSector(absl::string_view sector) const;
};

// The config's campaigns block checked: INVALID_ARGUMENT with one line
// naming the field ("campaigns.max_concurrency: 100 outside 1..64 (0: the
// default 8)", "campaigns.opt_out_sectors[1]: \"bank\" is not a sector
// name (government, ...)").
absl::StatusOr<Participation> ParseParticipation(
    const v6scope::v1::CampaignParticipation& config);

// The canonical sector names, as in proto/campaign.proto SectorCount.
bool IsSectorName(absl::string_view name);
std::string SectorNames();  // "government, education, ..., other".

}  // namespace v6scope::probe::campaign

#endif  // V6SCOPE_PROBE_CAMPAIGN_PARTICIPATION_H_
