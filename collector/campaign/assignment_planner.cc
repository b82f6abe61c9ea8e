#include "collector/campaign/assignment_planner.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "collector/campaign/plan_run.h"
#include "common/crypto/secrets.h"

namespace v6scope::collector::campaign {

absl::StatusOr<std::string> RandomAssignmentId() {
  absl::StatusOr<std::string> hex = crypto::RandomHex(8);
  if (!hex.ok()) return hex.status();
  return absl::StrCat("a-", *hex);
}

AssignmentPlanner::AssignmentPlanner(store::CampaignStore* campaigns,
                                     store::ReadinessStore* work,
                                     const time::Clock* clock,
                                     AssignmentIdSource ids,
                                     PlannerOptions options)
    : campaigns_(campaigns),
      work_(work),
      clock_(clock),
      ids_(std::move(ids)),
      options_(options) {}

absl::StatusOr<v6scope::v1::WorkOffer> AssignmentPlanner::Plan(
    const std::string& probe_id, const v6scope::v1::WorkPoll& poll) const {
  return PlanRun(*this, probe_id, poll).Run();
}

absl::StatusOr<std::vector<std::string>> AssignmentPlanner::CancelledFor(
    const std::string& probe_id, const v6scope::v1::DomainBatch& batch) const {
  absl::flat_hash_set<std::string> seen;
  std::vector<std::string> cancelled;
  PlanRun lookups(*this, probe_id, v6scope::v1::WorkPoll::default_instance());
  for (const v6scope::v1::DomainResult& r : batch.results()) {
    if (!seen.insert(r.assignment_id()).second) continue;
    absl::StatusOr<store::AssignmentRecord> a =
        work_->GetAssignment(r.assignment_id());
    if (absl::IsNotFound(a.status())) continue;  // The ingest refuses it.
    if (!a.ok()) return a.status();
    if (a->probe_id != probe_id) continue;
    absl::StatusOr<const v6scope::v1::Campaign*> c =
        lookups.FindCampaign(a->campaign_id);
    if (!c.ok()) return c.status();
    if (*c == nullptr || (*c)->state() == v6scope::v1::CAMPAIGN_PAUSED ||
        (*c)->state() == v6scope::v1::CAMPAIGN_DELETED) {
      cancelled.push_back(r.assignment_id());
    }
  }
  return cancelled;
}

}  // namespace v6scope::collector::campaign
