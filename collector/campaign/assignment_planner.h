// AssignmentPlanner: the collector's side of campaign work (issue 16,
// docs/campaigns.md "Work"). Given a probe's WorkPoll (its whole campaign
// state) it records what the poll says (held, done, refused, opted out),
// repairs what was lost (an offer re-sent once, then ended), cancels what
// must stop, and offers the next slices of every active campaign that
// selects the probe, within the day's budget and the probe's free slots.
// Pure logic over the store roles, with time and ids injected, so the
// exchange is idempotent and testable without a network.
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_ASSIGNMENT_PLANNER_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_ASSIGNMENT_PLANNER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "collector/store/campaign_store.h"
#include "collector/store/readiness_store.h"
#include "common/time/clock.h"
#include "proto/probe_service.pb.h"

namespace v6scope::collector::campaign {

inline constexpr uint32_t kMaxAssignmentDomains = 1000;
inline constexpr uint32_t kMaxFreeSlots = 4;
inline constexpr int kMaxRefusals = 64;
inline constexpr size_t kMaxRefusalBytes = 255;

struct PlannerOptions {
  // poll_after_seconds while the probe holds work or can get more today
  // (collector config campaign_poll_seconds). Below 60 only in tests.
  uint32_t poll_seconds = 300;
};

// A new assignment id, "a-" and 16 hex digits.
using AssignmentIdSource = std::function<absl::StatusOr<std::string>()>;

// "a-" and 16 random hex digits (common/crypto): the production source.
absl::StatusOr<std::string> RandomAssignmentId();

class AssignmentPlanner {
 public:
  // The stores and the clock must outlive the planner. Thread-safe as far
  // as the stores are; two polls of one probe at once (two streams) may
  // both offer, which the probe's slots bound.
  AssignmentPlanner(store::CampaignStore* campaigns,
                    store::ReadinessStore* work, const time::Clock* clock,
                    AssignmentIdSource ids, PlannerOptions options = {});

  // The reply to `poll` from `probe_id`, with the store updated to match.
  // INVALID_ARGUMENT for a poll outside the proto's limits (more than 4
  // free slots, 64 refusals, a reason over 255 bytes); a store error as
  // the store gave it (nothing to tell the probe but "retry").
  absl::StatusOr<v6scope::v1::WorkOffer> Plan(
      const std::string& probe_id, const v6scope::v1::WorkPoll& poll) const;

  // The assignment ids named in `batch` (from `probe_id`) whose campaign
  // is paused or deleted, each once, in the order first named.
  absl::StatusOr<std::vector<std::string>> CancelledFor(
      const std::string& probe_id, const v6scope::v1::DomainBatch& batch) const;

 private:
  friend class PlanRun;

  store::CampaignStore* const campaigns_;
  store::ReadinessStore* const work_;
  const time::Clock* const clock_;
  const AssignmentIdSource ids_;
  const PlannerOptions options_;
};

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_ASSIGNMENT_PLANNER_H_
