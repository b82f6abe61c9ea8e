// A Store that forwards to another, timing StoreBatches: lets the fill
// report progress and split its time between generating the synthetic runs
// and storing them, without changing what StoreAll does.
#ifndef V6SCOPE_BENCH_AGGREGATES_TIMED_STORE_H_
#define V6SCOPE_BENCH_AGGREGATES_TIMED_STORE_H_

#include <cstdint>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "collector/aggregate/rollup.h"
#include "collector/store/store.h"

namespace v6scope::bench::aggregates {

double NowMs();  // runner.h

class TimedStore : public collector::store::Store {
 public:
  TimedStore(Store* inner, uint64_t expected_runs)
      : inner_(inner), expected_runs_(expected_runs) {}

  double store_ms() const { return store_ms_; }
  uint64_t calls() const { return calls_; }

  absl::StatusOr<std::vector<collector::store::BatchOutcome>> StoreBatches(
      const std::vector<collector::store::RunBatch>& batches) override {
    const double start = NowMs();
    auto out = inner_->StoreBatches(batches);
    store_ms_ += NowMs() - start;
    ++calls_;
    for (const auto& b : batches) runs_ += b.runs.size();
    if (runs_ >= next_report_) {
      std::cerr << absl::StrFormat(
          "  fill: %d of %d runs (%.0f%%), %.0f s\n", runs_, expected_runs_,
          100.0 * runs_ / expected_runs_, (NowMs() - began_) / 1000);
      next_report_ += expected_runs_ / 10;
    }
    return out;
  }

  absl::Status AddEnrolmentToken(
      const collector::store::EnrolmentTokenRecord& t) override {
    return inner_->AddEnrolmentToken(t);
  }
  absl::StatusOr<collector::store::ProbeRecord> ConsumeEnrolmentToken(
      const std::string& h, absl::Time now,
      collector::store::ProbeRecord p) override {
    return inner_->ConsumeEnrolmentToken(h, now, std::move(p));
  }
  absl::StatusOr<collector::store::ProbeRecord> GetProbe(
      const std::string& id) override {
    return inner_->GetProbe(id);
  }
  absl::Status RevokeProbe(const std::string& id) override {
    return inner_->RevokeProbe(id);
  }
  absl::Status AddReadKey(const collector::store::ReadKeyRecord& k) override {
    return inner_->AddReadKey(k);
  }
  absl::StatusOr<collector::store::ReadKeyRecord> FindReadKey(
      const std::string& hash) override {
    return inner_->FindReadKey(hash);
  }
  absl::StatusOr<std::vector<collector::store::ReadKeyRecord>> ListReadKeys()
      override {
    return inner_->ListReadKeys();
  }
  absl::Status RevokeReadKey(const std::string& id) override {
    return inner_->RevokeReadKey(id);
  }
  absl::Status CheckWritable() override { return inner_->CheckWritable(); }
  absl::Status CreateCampaign(
      const v6scope::v1::Campaign& c,
      const collector::campaign::DomainList& list) override {
    return inner_->CreateCampaign(c, list);
  }
  absl::StatusOr<v6scope::v1::Campaign> GetCampaign(
      const std::string& id) override {
    return inner_->GetCampaign(id);
  }
  absl::StatusOr<std::vector<v6scope::v1::Campaign>> ListCampaigns(
      bool include_deleted) override {
    return inner_->ListCampaigns(include_deleted);
  }
  absl::StatusOr<v6scope::v1::Campaign> SetCampaignState(
      const std::string& id, v6scope::v1::CampaignState state) override {
    return inner_->SetCampaignState(id, state);
  }
  absl::StatusOr<std::vector<collector::campaign::DomainEntry>>
  ReadCampaignDomains(const std::string& id, int64_t after,
                      int limit) override {
    return inner_->ReadCampaignDomains(id, after, limit);
  }
  absl::StatusOr<std::vector<collector::campaign::ProbeVantage>>
  ListProbeVantages() override {
    return inner_->ListProbeVantages();
  }
  // Campaign work (not timed: the aggregates benchmark stores none).
  absl::StatusOr<uint64_t> LastStoredDomainSeq(const std::string& id) override {
    return inner_->LastStoredDomainSeq(id);
  }
  absl::StatusOr<std::vector<collector::store::StoredDomainBatch>>
  StoreDomainBatches(
      absl::Span<const collector::store::DomainBatchRows> batches) override {
    return inner_->StoreDomainBatches(batches);
  }
  absl::StatusOr<collector::store::StoredDomainBatch> StoreDomainResults(
      const std::string& id, uint64_t first_seq,
      absl::Span<const collector::store::DomainResultRow> rows) override {
    return inner_->StoreDomainResults(id, first_seq, rows);
  }
  absl::StatusOr<std::vector<v6scope::v1::StoredDomainResult>>
  ReadDomainResults(const collector::store::DomainResultQuery& q) override {
    return inner_->ReadDomainResults(q);
  }
  absl::StatusOr<std::vector<ResultCount>> CountDomainResults(
      const std::string& id) override {
    return inner_->CountDomainResults(id);
  }
  absl::Status PutAssignment(
      const collector::store::AssignmentRecord& a) override {
    return inner_->PutAssignment(a);
  }
  absl::StatusOr<collector::store::AssignmentRecord> GetAssignment(
      const std::string& id) override {
    return inner_->GetAssignment(id);
  }
  absl::StatusOr<std::vector<collector::store::AssignmentRecord>>
  ListProbeAssignments(const std::string& id, absl::Time since) override {
    return inner_->ListProbeAssignments(id, since);
  }
  absl::StatusOr<std::vector<collector::store::AssignmentRecord>>
  ListCampaignAssignments(const std::string& id) override {
    return inner_->ListCampaignAssignments(id);
  }
  absl::StatusOr<uint64_t> NextListIndex(const std::string& campaign,
                                         const std::string& probe,
                                         uint32_t round) override {
    return inner_->NextListIndex(campaign, probe, round);
  }
  absl::Status PutProbeWorkState(
      const collector::store::ProbeWorkState& state) override {
    return inner_->PutProbeWorkState(state);
  }
  absl::StatusOr<collector::store::ProbeWorkState> GetProbeWorkState(
      const std::string& id) override {
    return inner_->GetProbeWorkState(id);
  }
  absl::StatusOr<collector::campaign::ProbeVantage> GetProbeVantage(
      const std::string& id) override {
    return inner_->GetProbeVantage(id);
  }
  absl::StatusOr<uint64_t> LastStoredSeq(const std::string& id) override {
    return inner_->LastStoredSeq(id);
  }
  absl::StatusOr<uint64_t> DroppedRuns(const std::string& id) override {
    return inner_->DroppedRuns(id);
  }
  absl::StatusOr<collector::store::RunPage> ListRuns(
      const collector::store::RunFilter& f, uint32_t n,
      const std::string& token) override {
    return inner_->ListRuns(f, n, token);
  }
  absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>> ListProbes() override {
    return inner_->ListProbes();
  }
  absl::StatusOr<std::vector<collector::aggregate::ProbeWindow>>
  ListProbeWindows(const collector::store::ProbeWindowQuery& q) override {
    return inner_->ListProbeWindows(q);
  }
  absl::StatusOr<collector::store::RebuildReport> RebuildRollups() override {
    return inner_->RebuildRollups();
  }
  absl::StatusOr<std::vector<collector::aggregate::readiness::DomainRollup>>
  ListReadinessRollups(
      const collector::store::ReadinessRollupQuery& q) override {
    return inner_->ListReadinessRollups(q);
  }
  absl::StatusOr<std::vector<uint32_t>> ListReadinessRounds(
      const std::string& campaign_id) override {
    return inner_->ListReadinessRounds(campaign_id);
  }
  absl::StatusOr<collector::store::ReadinessRebuildReport>
  RebuildReadinessRollups() override {
    return inner_->RebuildReadinessRollups();
  }
  absl::StatusOr<collector::store::ExportPage> ExportRuns(
      const collector::store::ExportFilter& f, int64_t after,
      uint32_t limit) override {
    return inner_->ExportRuns(f, after, limit);
  }

 private:
  Store* const inner_;
  const uint64_t expected_runs_;
  const double began_ = NowMs();
  double store_ms_ = 0;
  uint64_t calls_ = 0;
  uint64_t runs_ = 0;
  uint64_t next_report_ = 0;
};

}  // namespace v6scope::bench::aggregates

#endif  // V6SCOPE_BENCH_AGGREGATES_TIMED_STORE_H_
