// SqliteStore: the embedded default Store, one SQLite file per collector.
//
// One connection, guarded by a mutex: SQLite serialises writers anyway, and
// group commit (StoreBatches takes many batches at once) is what keeps
// ingest fast, not parallel connections. WAL mode with synchronous=FULL:
// every write is on disk before the method returns. Thread-safe.
#ifndef V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_STORE_H_
#define V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "collector/store/store.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::store::sqlite {

class SqliteDb;
class SqliteStmt;

class SqliteStore : public Store {
 public:
  // Opens or creates the database at `path` and brings its schema up to
  // date. Errors name the path and give SQLite's reason;
  // FAILED_PRECONDITION if the file's schema is newer than this binary.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& path);

  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;
  ~SqliteStore() override;

  absl::Status AddEnrolmentToken(const EnrolmentTokenRecord& token) override;
  absl::StatusOr<ProbeRecord> ConsumeEnrolmentToken(
      const std::string& token_hash, absl::Time now,
      ProbeRecord probe) override;
  absl::StatusOr<ProbeRecord> GetProbe(const std::string& probe_id) override;
  absl::Status RevokeProbe(const std::string& probe_id) override;
  absl::Status CheckWritable() override;

  absl::Status AddReadKey(const ReadKeyRecord& key) override;
  absl::StatusOr<ReadKeyRecord> FindReadKey(
      const std::string& key_hash) override;
  absl::StatusOr<std::vector<ReadKeyRecord>> ListReadKeys() override;
  absl::Status RevokeReadKey(const std::string& key_id) override;

  // Campaigns (sqlite_campaigns.cc).
  absl::Status CreateCampaign(const v6scope::v1::Campaign& campaign,
                              const campaign::DomainList& list) override;
  absl::StatusOr<v6scope::v1::Campaign> GetCampaign(
      const std::string& campaign_id) override;
  absl::StatusOr<std::vector<v6scope::v1::Campaign>> ListCampaigns(
      bool include_deleted) override;
  absl::StatusOr<v6scope::v1::Campaign> SetCampaignState(
      const std::string& campaign_id,
      v6scope::v1::CampaignState state) override;
  absl::StatusOr<std::vector<campaign::DomainEntry>> ReadCampaignDomains(
      const std::string& campaign_id, int64_t after, int limit) override;
  absl::StatusOr<std::vector<campaign::ProbeVantage>> ListProbeVantages()
      override;

  // Campaign work and readiness results (sqlite_readiness.cc).
  absl::StatusOr<uint64_t> LastStoredDomainSeq(
      const std::string& probe_id) override;
  absl::StatusOr<std::vector<StoredDomainBatch>> StoreDomainBatches(
      absl::Span<const DomainBatchRows> batches) override;
  absl::StatusOr<std::vector<v6scope::v1::StoredDomainResult>>
  ReadDomainResults(const DomainResultQuery& query) override;
  absl::StatusOr<std::vector<ResultCount>> CountDomainResults(
      const std::string& campaign_id) override;
  absl::Status PutAssignment(const AssignmentRecord& assignment) override;
  absl::StatusOr<AssignmentRecord> GetAssignment(
      const std::string& assignment_id) override;
  absl::StatusOr<std::vector<AssignmentRecord>> ListProbeAssignments(
      const std::string& probe_id, absl::Time offered_since) override;
  absl::StatusOr<std::vector<AssignmentRecord>> ListCampaignAssignments(
      const std::string& campaign_id) override;
  absl::StatusOr<uint64_t> NextListIndex(const std::string& campaign_id,
                                         const std::string& probe_id,
                                         uint32_t round) override;
  absl::Status PutProbeWorkState(const ProbeWorkState& state) override;
  absl::StatusOr<ProbeWorkState> GetProbeWorkState(
      const std::string& probe_id) override;
  absl::StatusOr<campaign::ProbeVantage> GetProbeVantage(
      const std::string& probe_id) override;

  // Readiness rollups (sqlite_readiness.cc, sqlite_readiness_rollups.cc).
  absl::StatusOr<std::vector<aggregate::readiness::DomainRollup>>
  ListReadinessRollups(const ReadinessRollupQuery& query) override;
  absl::StatusOr<std::vector<uint32_t>> ListReadinessRounds(
      const std::string& campaign_id) override;
  absl::StatusOr<ReadinessRebuildReport> RebuildReadinessRollups() override;

  absl::StatusOr<std::vector<BatchOutcome>> StoreBatches(
      const std::vector<RunBatch>& batches) override;
  absl::StatusOr<uint64_t> LastStoredSeq(const std::string& probe_id) override;
  absl::StatusOr<uint64_t> DroppedRuns(const std::string& probe_id) override;
  absl::StatusOr<RunPage> ListRuns(const RunFilter& filter, uint32_t page_size,
                                   const std::string& page_token) override;
  absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>> ListProbes() override;

  absl::StatusOr<std::vector<aggregate::ProbeWindow>> ListProbeWindows(
      const ProbeWindowQuery& query) override;
  absl::StatusOr<RebuildReport> RebuildRollups() override;
  absl::StatusOr<ExportPage> ExportRuns(const ExportFilter& filter,
                                        int64_t after, uint32_t limit) override;

 private:
  SqliteStore(std::unique_ptr<SqliteDb> db, std::unique_ptr<SqliteDb> reader);

  absl::StatusOr<ProbeRecord> ConsumeLocked(const std::string& token_hash,
                                            absl::Time now, ProbeRecord probe)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Inserts the batch's runs (none if the probe is revoked); adds the
  // stored ones to `rollups`.
  absl::StatusOr<BatchOutcome> StoreBatchLocked(
      const RunBatch& batch, aggregate::RollupDeltas& rollups)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Whether the probe is marked revoked (false for an unknown probe).
  absl::StatusOr<bool> IsRevokedLocked(const std::string& probe_id)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Writes (and the rebuild) on one connection, reads on another.
  absl::Mutex mu_;
  const std::unique_ptr<SqliteDb> db_ ABSL_PT_GUARDED_BY(mu_);
  absl::Mutex read_mu_;
  const std::unique_ptr<SqliteDb> read_db_ ABSL_PT_GUARDED_BY(read_mu_);
};

}  // namespace v6scope::collector::store::sqlite

#endif  // V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_STORE_H_
