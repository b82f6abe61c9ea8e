// FakeWorkStore: campaigns, their lists, probe vantages, assignments,
// probe work state and readiness results in memory, behind the
// CampaignStore and ReadinessStore roles, for the planner's and the
// services' tests (the backends have their own conformance suite).
#ifndef V6SCOPE_COLLECTOR_CAMPAIGN_TESTING_FAKE_WORK_STORE_H_
#define V6SCOPE_COLLECTOR_CAMPAIGN_TESTING_FAKE_WORK_STORE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "collector/store/campaign_store.h"
#include "collector/store/readiness_store.h"

namespace v6scope::collector::campaign::testing {

class FakeWorkStore : public store::CampaignStore,
                      public store::ReadinessStore {
 public:
  // ----- set-up and inspection (tests) ------------------------------------
  void AddCampaign(const v6scope::v1::Campaign& campaign,
                   std::vector<DomainEntry> list);
  void AddVantage(const ProbeVantage& vantage);
  void AddResult(const v6scope::v1::StoredDomainResult& result,
                 const std::string& campaign_id);
  void SetLastDomainSeq(const std::string& probe_id, uint64_t seq);
  // Every later call fails with `status` (OkStatus: none).
  void FailWith(absl::Status status);
  std::vector<store::AssignmentRecord> Assignments() const;
  int puts() const;

  // ----- CampaignStore ----------------------------------------------------
  absl::Status CreateCampaign(const v6scope::v1::Campaign& campaign,
                              const DomainList& list) override;
  absl::StatusOr<v6scope::v1::Campaign> GetCampaign(
      const std::string& campaign_id) override;
  absl::StatusOr<std::vector<v6scope::v1::Campaign>> ListCampaigns(
      bool include_deleted) override;
  absl::StatusOr<v6scope::v1::Campaign> SetCampaignState(
      const std::string& campaign_id,
      v6scope::v1::CampaignState state) override;
  absl::StatusOr<std::vector<DomainEntry>> ReadCampaignDomains(
      const std::string& campaign_id, int64_t after, int limit) override;
  absl::StatusOr<std::vector<ProbeVantage>> ListProbeVantages() override;

  // ----- ReadinessStore ---------------------------------------------------
  absl::StatusOr<uint64_t> LastStoredDomainSeq(
      const std::string& probe_id) override;
  // Each batch as StoreDomainResults (a fake: not one transaction).
  absl::StatusOr<std::vector<store::StoredDomainBatch>> StoreDomainBatches(
      absl::Span<const store::DomainBatchRows> batches) override;
  absl::StatusOr<store::StoredDomainBatch> StoreDomainResults(
      const std::string& probe_id, uint64_t first_seq,
      absl::Span<const store::DomainResultRow> rows) override;
  absl::StatusOr<std::vector<v6scope::v1::StoredDomainResult>>
  ReadDomainResults(const store::DomainResultQuery& query) override;
  absl::StatusOr<std::vector<ResultCount>> CountDomainResults(
      const std::string& campaign_id) override;
  absl::Status PutAssignment(const store::AssignmentRecord& a) override;
  absl::StatusOr<store::AssignmentRecord> GetAssignment(
      const std::string& assignment_id) override;
  absl::StatusOr<std::vector<store::AssignmentRecord>> ListProbeAssignments(
      const std::string& probe_id, absl::Time offered_since) override;
  absl::StatusOr<std::vector<store::AssignmentRecord>> ListCampaignAssignments(
      const std::string& campaign_id) override;
  absl::StatusOr<uint64_t> NextListIndex(const std::string& campaign_id,
                                         const std::string& probe_id,
                                         uint32_t round) override;
  absl::Status PutProbeWorkState(const store::ProbeWorkState& state) override;
  absl::StatusOr<store::ProbeWorkState> GetProbeWorkState(
      const std::string& probe_id) override;
  absl::StatusOr<ProbeVantage> GetProbeVantage(
      const std::string& probe_id) override;

 private:
  struct Result {
    std::string campaign_id;
    v6scope::v1::StoredDomainResult stored;
  };

  mutable absl::Mutex mu_;
  absl::Status fail_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, v6scope::v1::Campaign> campaigns_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, std::vector<DomainEntry>> lists_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, ProbeVantage> vantages_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, store::AssignmentRecord> assignments_
      ABSL_GUARDED_BY(mu_);
  std::map<std::string, store::ProbeWorkState> states_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, uint64_t> last_seq_ ABSL_GUARDED_BY(mu_);
  std::vector<Result> results_ ABSL_GUARDED_BY(mu_);
  int puts_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace v6scope::collector::campaign::testing

#endif  // V6SCOPE_COLLECTOR_CAMPAIGN_TESTING_FAKE_WORK_STORE_H_
