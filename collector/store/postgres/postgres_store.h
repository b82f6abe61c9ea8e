// PostgresStore: the Store for several collectors sharing one PostgreSQL
// database (behind a load balancer), through libpq.
//
// Threads: thread-safe. A small pool of connections (PgPool) lends one
// connection to each call, so queries from gRPC threads do not queue
// behind the ingest writer's group commit; a call waits only when every
// connection is lent.
//
// Across collectors: exactly-once storage holds because (probe_id, seq) is
// a unique key and runs are inserted with ON CONFLICT DO NOTHING: when two
// collectors insert the same run, the second waits for the first to commit
// and then counts a duplicate. Each StoreBatches call inserts in
// (probe_id, seq) order so concurrent group commits cannot deadlock.
// Enrolment tokens are consumed under a row lock (SELECT ... FOR UPDATE):
// of two collectors consuming one token, exactly one succeeds.
//
// Durability: every write commits with synchronous_commit on (forced if
// the server or database says off), so a method returns only once its
// write is on disk (and, with synchronous replication, on the standby).
// See docs/storage.md.
#ifndef V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_STORE_H_
#define V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "collector/store/store.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::store::postgres {

class PgPool;

struct PostgresStoreOptions {
  // Connections the store opens at most (1 is valid: calls then take
  // turns, as with SQLite). Each is a server process; mind the server's
  // max_connections times the number of collectors.
  int max_connections = 4;
};

class PostgresStore : public Store {
 public:
  // Connects with `conninfo` (a libpq connection string or URI, e.g.
  // "host=db.example port=5432 dbname=v6scope user=collector" or
  // "postgresql://collector@db.example/v6scope"; libpq's PG* environment
  // variables and ~/.pgpass apply) and brings the schema up to date.
  // Errors name the target (database, host, port, user; never the
  // password): UNAVAILABLE if the server cannot be reached or refuses the
  // login, INVALID_ARGUMENT for a malformed string, FAILED_PRECONDITION if
  // the database's schema is newer than this binary.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      const std::string& conninfo,
      const PostgresStoreOptions& options = PostgresStoreOptions());

  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;
  ~PostgresStore() override;

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

  // Campaigns (postgres_campaigns.cc).
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

  // Campaign work and readiness results (postgres_readiness.cc).
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

  // Readiness rollups (postgres_readiness.cc, postgres_readiness_rollups.cc).
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
  PostgresStore(std::string target, std::unique_ptr<PgPool> pool);

  const std::string target_;  // For messages; no password.
  const std::unique_ptr<PgPool> pool_;
};

}  // namespace v6scope::collector::store::postgres

#endif  // V6SCOPE_COLLECTOR_STORE_POSTGRES_POSTGRES_STORE_H_
