// A campaign's progress per probe (AdminService.GetCampaignProgress): the
// probes its selector selects now and any other with assignments or
// results, each with its round, what it was offered and stored, what it
// holds, refused and why, and whether its host opted out.
#ifndef V6SCOPE_COLLECTOR_SERVICE_CAMPAIGN_PROGRESS_H_
#define V6SCOPE_COLLECTOR_SERVICE_CAMPAIGN_PROGRESS_H_

#include "absl/status/statusor.h"
#include "collector/store/campaign_store.h"
#include "collector/store/readiness_store.h"
#include "proto/admin_service.pb.h"

namespace v6scope::collector::service {

// NOT_FOUND for an unknown campaign; other errors are the store's.
absl::StatusOr<v6scope::v1::CampaignProgressResponse> CampaignProgress(
    const std::string& campaign_id, store::CampaignStore& campaigns,
    store::ReadinessStore& readiness);

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_CAMPAIGN_PROGRESS_H_
