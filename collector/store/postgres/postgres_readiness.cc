// PostgresStore's ReadinessStore role: the domain_results, assignments
// and probe_work tables (schema version 7), the same rows as the SQLite
// store. A batch of results is one pipelined INSERT per row in one
// transaction (one round trip's worth of latency, not one per row); with
// ON CONFLICT DO NOTHING over both unique keys, two collectors storing the
// same result store it once (the second waits for the first's commit).
#include <google/protobuf/util/time_util.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "collector/aggregate/readiness/result.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/store/check_blob.h"
#include "collector/store/postgres/pg_conn.h"
#include "collector/store/postgres/pg_pool.h"
#include "collector/store/postgres/postgres_readiness_rollups.h"
#include "collector/store/postgres/postgres_store.h"
#include "collector/store/readiness_rows.h"
#include "collector/store/store_encoding.h"

namespace v6scope::collector::store::postgres {
namespace {

using ::google::protobuf::util::TimeUtil;

constexpr char kInsertResult[] =
    "INSERT INTO domain_results (probe_id, seq, assignment_id, item, "
    "campaign_id, round, list_index, domain, sector, probe_asn, "
    "probe_country, received_at, web_state, dns_state, mail_state, "
    "web_v4_asn, web_v6_asn, check_blob, methodology_version) VALUES ($1, "
    "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
    "$18, $19) "
    "ON CONFLICT DO NOTHING";
constexpr char kLastDomainSeq[] =
    "SELECT MAX(seq) FROM domain_results WHERE probe_id = $1";
constexpr char kReadResults[] =
    "SELECT probe_id, round, list_index, sector, probe_asn, probe_country, "
    "received_at, check_blob FROM domain_results WHERE campaign_id = $1 "
    "AND ($2::bigint = 0 OR round = $2) AND ($3::text = '' OR probe_id = $3) "
    "AND (round, probe_id, list_index) > ($4::bigint, $5::text, $6::bigint) "
    "ORDER BY round, probe_id, list_index LIMIT $7";
constexpr char kCountResults[] =
    "SELECT probe_id, round, COUNT(*) FROM domain_results "
    "WHERE campaign_id = $1 GROUP BY probe_id, round ORDER BY probe_id, round";
constexpr char kPutAssignment[] =
    "INSERT INTO assignments (assignment_id, campaign_id, probe_id, round, "
    "first_index, count, state, done, refusal, offered_at, expires_at, "
    "offers) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
    "ON CONFLICT (assignment_id) DO UPDATE SET campaign_id = "
    "excluded.campaign_id, probe_id = excluded.probe_id, round = "
    "excluded.round, first_index = excluded.first_index, count = "
    "excluded.count, state = excluded.state, done = excluded.done, refusal = "
    "excluded.refusal, offered_at = excluded.offered_at, expires_at = "
    "excluded.expires_at, offers = excluded.offers";
constexpr char kAssignmentColumns[] =
    "SELECT assignment_id, campaign_id, probe_id, round, first_index, count, "
    "state, done, refusal, offered_at, expires_at, offers FROM assignments ";
constexpr char kNextListIndex[] =
    "SELECT MAX(first_index + count) FROM assignments WHERE campaign_id = $1 "
    "AND probe_id = $2 AND round = $3";
constexpr char kPutWork[] =
    "INSERT INTO probe_work (probe_id, last_poll, opted_out, "
    "opted_out_sectors) VALUES ($1, $2, $3::bigint <> 0, $4) "
    "ON CONFLICT (probe_id) DO UPDATE SET last_poll = excluded.last_poll, "
    "opted_out = excluded.opted_out, "
    "opted_out_sectors = excluded.opted_out_sectors";
constexpr char kGetWork[] =
    "SELECT last_poll, opted_out, opted_out_sectors FROM probe_work "
    "WHERE probe_id = $1";
constexpr char kVantage[] =
    "SELECT p.revoked, r.asn, r.country, p.collector_vantage FROM probes p "
    "LEFT JOIN LATERAL (SELECT asn, country FROM runs WHERE probe_id = "
    "p.probe_id ORDER BY id "
    "DESC LIMIT 1) r ON true WHERE p.probe_id = $1";

PgParams RowParams(const std::string& probe_id, const DomainResultRow& r,
                   const SerializedCheck& check) {
  PgParams p;
  p.Text(probe_id)
      .Int(static_cast<int64_t>(r.seq))
      .Text(r.assignment_id)
      .Int(r.item)
      .Text(r.campaign_id)
      .Int(r.round)
      .Int(static_cast<int64_t>(r.list_index))
      .Text(r.domain)
      .Text(r.sector)
      .Int(r.probe_asn)
      .Text(r.probe_country)
      .Int(Micros(r.received_at));
  p.Int(check.web_state)
      .Int(check.dns_state)
      .Int(check.mail_state)
      .Int(check.web_v4_asn)
      .Int(check.web_v6_asn)
      .Bytes(check.blob)
      .Text(check.methodology_version);
  return p;
}

absl::StatusOr<v6scope::v1::StoredDomainResult> ResultRow(const PgResult& rows,
                                                          int i) {
  v6scope::v1::StoredDomainResult r;
  r.set_probe_id(rows.Bytes(i, 0));
  r.set_round(static_cast<uint32_t>(rows.Int(i, 1)));
  r.set_list_index(static_cast<uint64_t>(rows.Int(i, 2)));
  r.set_sector(rows.Bytes(i, 3));
  r.set_probe_asn(static_cast<uint32_t>(rows.Int(i, 4)));
  r.set_probe_country(rows.Bytes(i, 5));
  *r.mutable_received_at() = TimeUtil::MicrosecondsToTimestamp(rows.Int(i, 6));
  absl::Status parsed = ParseStoredCheck(rows.Bytes(i, 7), r.mutable_check());
  if (!parsed.ok()) return parsed;
  return r;
}

std::vector<AssignmentRecord> AssignmentRows(const PgResult& rows) {
  std::vector<AssignmentRecord> list;
  for (int i = 0; i < rows.Rows(); ++i) {
    AssignmentRecord a;
    a.assignment_id = rows.Bytes(i, 0);
    a.campaign_id = rows.Bytes(i, 1);
    a.probe_id = rows.Bytes(i, 2);
    a.round = static_cast<uint32_t>(rows.Int(i, 3));
    a.first_index = static_cast<uint64_t>(rows.Int(i, 4));
    a.count = static_cast<uint32_t>(rows.Int(i, 5));
    a.state = static_cast<AssignmentState>(rows.Int(i, 6));
    a.done = static_cast<uint32_t>(rows.Int(i, 7));
    a.refusal = rows.Bytes(i, 8);
    a.offered_at = absl::FromUnixMicros(rows.Int(i, 9));
    a.expires_at = absl::FromUnixMicros(rows.Int(i, 10));
    a.offers = static_cast<int>(rows.Int(i, 11));
    list.push_back(std::move(a));
  }
  return list;
}

}  // namespace

absl::StatusOr<uint64_t> PostgresStore::LastStoredDomainSeq(
    const std::string& probe_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows =
      (*conn)->Query(kLastDomainSeq, PgParams().Text(probe_id));
  if (!rows.ok()) return rows.status();
  return static_cast<uint64_t>(rows->Int(0, 0));  // NULL is 0.
}

absl::StatusOr<std::vector<StoredDomainBatch>>
PostgresStore::StoreDomainBatches(absl::Span<const DomainBatchRows> batches) {
  absl::Status valid = ValidateDomainBatches(batches);
  if (!valid.ok()) return valid;
  std::vector<StoredDomainBatch> out;
  if (batches.empty()) return out;
  std::vector<PgParams> executions;
  // What the readiness rollups count of each row, should it be new.
  std::vector<aggregate::readiness::ReadinessResult> results;
  SerializedCheck scratch;
  for (const DomainBatchRows& batch : batches) {
    for (const DomainResultRow& r : batch.rows) {
      const SerializedCheck& check = StoredCheck(r, &scratch);
      executions.push_back(RowParams(batch.probe_id, r, check));
      results.push_back(ResultOfRow(batch.probe_id, r, check));
    }
  }
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  // One transaction for every batch: one commit, all or nothing.
  absl::StatusOr<PgTransaction> txn = PgTransaction::Begin(**conn);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<std::vector<int64_t>> affected =
      (*conn)->ExecPipelined(kInsertResult, executions);
  if (!affected.ok()) return affected.status();
  aggregate::readiness::ReadinessRollupDeltas rollups;
  size_t next = 0;  // Rows are in batch order: each batch's slice.
  for (const DomainBatchRows& batch : batches) {
    StoredDomainBatch stored{batch.first_seq,
                             batch.first_seq + batch.rows.size() - 1, 0};
    for (size_t i = 0; i < batch.rows.size(); ++i, ++next) {
      if ((*affected)[next] == 0) continue;  // A duplicate.
      ++stored.stored;
      rollups.Add(results[next]);
    }
    out.push_back(stored);
  }
  // In step with the rows, in the same transaction; key order.
  absl::Status merged = WriteReadinessRollups(**conn, rollups.Take());
  if (!merged.ok()) return merged;
  absl::Status committed = txn->Commit();
  if (!committed.ok()) return committed;
  return out;
}

absl::StatusOr<std::vector<aggregate::readiness::DomainRollup>>
PostgresStore::ListReadinessRollups(const ReadinessRollupQuery& query) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return SelectReadinessRollups(**conn, query);
}

absl::StatusOr<std::vector<uint32_t>> PostgresStore::ListReadinessRounds(
    const std::string& campaign_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return SelectReadinessRounds(**conn, campaign_id);
}

absl::StatusOr<ReadinessRebuildReport>
PostgresStore::RebuildReadinessRollups() {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return RebuildPostgresReadinessRollups(**conn);
}

absl::StatusOr<std::vector<v6scope::v1::StoredDomainResult>>
PostgresStore::ReadDomainResults(const DomainResultQuery& query) {
  const DomainResultCursor after = StartAfter(query);
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Query(
      kReadResults, PgParams()
                        .Text(query.campaign_id)
                        .Int(query.round)
                        .Text(query.probe_id)
                        .Int(after.round)
                        .Text(after.probe_id)
                        .Int(static_cast<int64_t>(after.list_index))
                        .Int(query.limit));
  if (!rows.ok()) return rows.status();
  std::vector<v6scope::v1::StoredDomainResult> page;
  for (int i = 0; i < rows->Rows(); ++i) {
    absl::StatusOr<v6scope::v1::StoredDomainResult> r = ResultRow(*rows, i);
    if (!r.ok()) return r.status();
    page.push_back(*std::move(r));
  }
  return page;
}

absl::StatusOr<std::vector<ReadinessStore::ResultCount>>
PostgresStore::CountDomainResults(const std::string& campaign_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows =
      (*conn)->Query(kCountResults, PgParams().Text(campaign_id));
  if (!rows.ok()) return rows.status();
  std::vector<RoundCount> counts;
  for (int i = 0; i < rows->Rows(); ++i) {
    counts.push_back({rows->Bytes(i, 0), static_cast<uint32_t>(rows->Int(i, 1)),
                      static_cast<uint64_t>(rows->Int(i, 2))});
  }
  return FoldRoundCounts(counts);
}

absl::Status PostgresStore::PutAssignment(const AssignmentRecord& a) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Query(kPutAssignment, PgParams()
                                  .Text(a.assignment_id)
                                  .Text(a.campaign_id)
                                  .Text(a.probe_id)
                                  .Int(a.round)
                                  .Int(static_cast<int64_t>(a.first_index))
                                  .Int(a.count)
                                  .Int(static_cast<int>(a.state))
                                  .Int(a.done)
                                  .Text(a.refusal)
                                  .Int(Micros(a.offered_at))
                                  .Int(Micros(a.expires_at))
                                  .Int(a.offers))
      .status();
}

absl::StatusOr<AssignmentRecord> PostgresStore::GetAssignment(
    const std::string& assignment_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Query(
      absl::StrCat(kAssignmentColumns, "WHERE assignment_id = $1"),
      PgParams().Text(assignment_id));
  if (!rows.ok()) return rows.status();
  if (rows->Rows() == 0) {
    return absl::NotFoundError(absl::StrCat("no assignment ", assignment_id));
  }
  return AssignmentRows(*rows)[0];
}

absl::StatusOr<std::vector<AssignmentRecord>>
PostgresStore::ListProbeAssignments(const std::string& probe_id,
                                    absl::Time offered_since) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Query(
      absl::StrCat(kAssignmentColumns,
                   "WHERE probe_id = $1 AND (state IN (1, 2) OR offered_at >= "
                   "$2) ORDER BY offered_at, assignment_id"),
      PgParams().Text(probe_id).Int(Micros(offered_since)));
  if (!rows.ok()) return rows.status();
  return AssignmentRows(*rows);
}

absl::StatusOr<std::vector<AssignmentRecord>>
PostgresStore::ListCampaignAssignments(const std::string& campaign_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Query(
      absl::StrCat(kAssignmentColumns,
                   "WHERE campaign_id = $1 "
                   "ORDER BY probe_id, offered_at, assignment_id"),
      PgParams().Text(campaign_id));
  if (!rows.ok()) return rows.status();
  return AssignmentRows(*rows);
}

absl::StatusOr<uint64_t> PostgresStore::NextListIndex(
    const std::string& campaign_id, const std::string& probe_id,
    uint32_t round) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Query(
      kNextListIndex, PgParams().Text(campaign_id).Text(probe_id).Int(round));
  if (!rows.ok()) return rows.status();
  return static_cast<uint64_t>(rows->Int(0, 0));  // NULL is 0.
}

absl::Status PostgresStore::PutProbeWorkState(const ProbeWorkState& state) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return (*conn)
      ->Query(kPutWork, PgParams()
                            .Text(state.probe_id)
                            .Int(Micros(state.last_poll))
                            .Int(state.opted_out ? 1 : 0)
                            .Text(JoinSectors(state.opted_out_sectors)))
      .status();
}

absl::StatusOr<ProbeWorkState> PostgresStore::GetProbeWorkState(
    const std::string& probe_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows =
      (*conn)->Query(kGetWork, PgParams().Text(probe_id));
  if (!rows.ok()) return rows.status();
  if (rows->Rows() == 0) {
    return absl::NotFoundError(
        absl::StrCat("probe ", probe_id, " never polled for work"));
  }
  return ProbeWorkState{probe_id, absl::FromUnixMicros(rows->Int(0, 0)),
                        rows->Bool(0, 1), SplitSectors(rows->Bytes(0, 2))};
}

absl::StatusOr<campaign::ProbeVantage> PostgresStore::GetProbeVantage(
    const std::string& probe_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows =
      (*conn)->Query(kVantage, PgParams().Text(probe_id));
  if (!rows.ok()) return rows.status();
  if (rows->Rows() == 0) {
    return absl::NotFoundError(absl::StrCat("no probe ", probe_id));
  }
  campaign::ProbeVantage p;
  p.probe_id = probe_id;
  p.revoked = rows->Bool(0, 0);
  p.has_runs = !rows->IsNull(0, 1);
  p.asn = static_cast<uint32_t>(rows->Int(0, 1));
  p.country = rows->Bytes(0, 2);
  p.collector_vantage = rows->Bool(0, 3);
  return p;
}

}  // namespace v6scope::collector::store::postgres
