// Creating a campaign from its spec and the uploaded list: the model's
// checks, the probe selection, the import, one store transaction. Kept
// apart from the gRPC stream (admin_campaigns.cc) so it is tested as is.
#ifndef V6SCOPE_COLLECTOR_SERVICE_CAMPAIGN_CREATION_H_
#define V6SCOPE_COLLECTOR_SERVICE_CAMPAIGN_CREATION_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "collector/store/campaign_store.h"
#include "common/time/clock.h"
#include "proto/admin_service.pb.h"

namespace v6scope::collector::service {

// The largest list CreateCampaign takes, in bytes (a million names of a
// CSV with a few columns; the Tranco top 1M is 22 MiB).
inline constexpr size_t kMaxCampaignListBytes = 64u << 20;

// Creates the campaign `spec` describes from the list's bytes `data`.
// Errors, with nothing stored: INVALID_ARGUMENT naming the field, or the
// importer's "line N[, column C]: ..." prefixed with the file name;
// FAILED_PRECONDITION when the selector selects no probe (and the
// collector is not included); UNAVAILABLE (with an error id) for a store
// failure.
absl::StatusOr<v6scope::v1::CreateCampaignResponse> CreateCampaignFrom(
    const v6scope::v1::CampaignSpec& spec, const std::string& data,
    store::CampaignStore& campaigns, const time::Clock& clock);

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_CAMPAIGN_CREATION_H_
