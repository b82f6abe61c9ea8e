// One WorkPoll being planned (assignment_planner.h): the state shared by
// its steps. Internal to the planner: plan_run.cc reconciles what the poll
// says with the store, plan_offers.cc offers new slices.
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_PLAN_RUN_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_PLAN_RUN_H_

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/campaign/assignment_planner.h"
#include "collector/campaign/probe_selector.h"
#include "collector/store/readiness_store.h"
#include "proto/campaign.pb.h"
#include "proto/probe_service.pb.h"

namespace v6scope::collector::campaign {

class PlanRun {
 public:
  PlanRun(const AssignmentPlanner& planner, const std::string& probe_id,
          const v6scope::v1::WorkPoll& poll);

  absl::StatusOr<v6scope::v1::WorkOffer> Run();

  // A campaign by id, cached for the run; nullptr if the store has none.
  absl::StatusOr<const v6scope::v1::Campaign*> FindCampaign(
      const std::string& campaign_id);

 private:
  // plan_run.cc: what the poll says.
  absl::Status RecordState();
  absl::Status LoadRecords();
  absl::StatusOr<store::AssignmentRecord*> Find(const std::string& id);
  absl::Status Put(store::AssignmentRecord& record);
  absl::Status RecordRefusals();
  absl::Status ReconcileHeld();
  absl::Status ReconcileHeldOne(const v6scope::v1::HeldAssignment& held);
  absl::Status ReconcileAbsent();
  absl::Status ReconcileAbsentOne(store::AssignmentRecord& record);
  absl::Status Resend(store::AssignmentRecord& record,
                      const v6scope::v1::Campaign& campaign);
  uint32_t PollAfterSeconds() const;

  // plan_offers.cc: new slices.
  absl::Status OfferNew();
  absl::StatusOr<bool> Selects(const v6scope::v1::Campaign& campaign);
  bool OptedOutOfAll(const v6scope::v1::Campaign& campaign) const;
  absl::Status OfferFrom(const v6scope::v1::Campaign& campaign);
  uint32_t DailyLimit(const v6scope::v1::Campaign& campaign) const;
  uint64_t OfferedToday(const std::string& campaign_id,
                        absl::Time* oldest) const;
  absl::StatusOr<uint64_t> OfferSlice(const v6scope::v1::Campaign& campaign,
                                      uint32_t round, uint64_t next,
                                      uint32_t limit);
  absl::Status AddOffer(const v6scope::v1::Campaign& campaign,
                        store::AssignmentRecord record,
                        const std::vector<DomainEntry>& run);
  bool OptedOut(Sector sector) const;

  const AssignmentPlanner& planner_;
  const std::string probe_id_;
  const v6scope::v1::WorkPoll& poll_;
  const absl::Time now_;
  // The probe's open assignments and those of the last 24 h; a deque so
  // pointers stay valid as new ones are appended.
  std::deque<store::AssignmentRecord> records_;
  absl::flat_hash_map<std::string, store::AssignmentRecord*> by_id_;
  absl::flat_hash_map<std::string, v6scope::v1::Campaign> campaigns_;
  absl::flat_hash_set<std::string> unknown_campaigns_;
  absl::flat_hash_set<std::string> held_ids_;
  absl::flat_hash_set<std::string> refused_ids_;
  absl::flat_hash_set<Sector> opted_out_sectors_;
  v6scope::v1::WorkOffer offer_;
  uint32_t slots_ = 0;
  bool holds_work_ = false;  // Something held stays held.
  bool more_today_ = false;  // Work was left for lack of a slot.
  absl::Time wake_ = absl::InfiniteFuture();  // When more work can come.
};

// The Assignment message for `record` over its domains.
v6scope::v1::Assignment ToAssignment(const store::AssignmentRecord& record,
                                     const v6scope::v1::Campaign& campaign,
                                     const std::vector<DomainEntry>& domains);

}  // namespace v6scope::collector::campaign

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_PLAN_RUN_H_
