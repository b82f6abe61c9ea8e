// A campaign's rounds (docs/campaigns.md): round r (from 1) starts at
// schedule.start + (r-1) * every_n_days days (start unset: created_at);
// every_n_days 0 means one round only. Pure functions of the campaign.
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_ROUNDS_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_ROUNDS_H_

#include <cstdint>

#include "absl/time/time.h"
#include "proto/campaign.pb.h"

namespace v6scope::collector::campaign {

// When round `round` (>= 1) starts.
absl::Time RoundStart(const v6scope::v1::Campaign& campaign, uint32_t round);

// The largest round whose start is at or before `now`; 0 before the first.
uint32_t CurrentRound(const v6scope::v1::Campaign& campaign, absl::Time now);

// When the round after `round` starts; InfiniteFuture for a one-round
// campaign.
absl::Time NextRoundStart(const v6scope::v1::Campaign& campaign,
                          uint32_t round);

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_ROUNDS_H_
