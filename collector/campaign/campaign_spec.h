// The campaign model's rules that do not need the store: what an admin
// may ask for (name, sector tags, schedule, budget, with the defaults of
// docs/campaigns.md) and the stats of an imported list.
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_CAMPAIGN_SPEC_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_CAMPAIGN_SPEC_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/campaign/domain_list.h"
#include "collector/campaign/import_options.h"
#include "proto/campaign.pb.h"

namespace v6scope::collector::campaign {

// Budget defaults, used for a 0 in a request.
inline constexpr uint32_t kDefaultDomainsPerDay = 5'000;
inline constexpr uint64_t kDefaultBytesPerDay = 500ull << 20;  // 500 MiB
inline constexpr uint32_t kDefaultConcurrency = 4;
// What the planner counts a domain's check as against a byte budget (the
// campaign's bytes_per_day, the host's max_bytes_per_day): the planning
// figure of docs/guides/campaign.md (a home page over https and http,
// both families, plus DNS), not a measurement.
inline constexpr uint64_t kPlannedBytesPerDomain = 512ull << 10;  // 0.5 MiB

// The campaign's own fields checked and completed: name (1..128 bytes of
// UTF-8 without control characters), sector tags made canonical
// (aliases accepted, duplicates dropped), schedule (every_n_days 0..365,
// start defaulting to `now`), budget (defaults for zeros, bounds of
// proto/campaign.proto), created_by (0..64 printable ASCII, default
// "admin"). Everything else (id, state, list, selector...) is left as is.
// INVALID_ARGUMENT naming the field.
absl::StatusOr<v6scope::v1::Campaign> NormalizeCampaign(
    const v6scope::v1::Campaign& campaign, absl::Time now);

// The stats of an imported list; `format` is the importer that read it.
v6scope::v1::CampaignListStats ListStats(const ImportResult& result,
                                         ListFormat format);

// The importer `options` pick for `data`: the named one, or the one
// detected from the file name and the first line that is neither blank
// nor a '#' comment (as ImportDomainList does).
ListFormat EffectiveFormat(const ImportOptions& options,
                           absl::string_view data);

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_CAMPAIGN_SPEC_H_
