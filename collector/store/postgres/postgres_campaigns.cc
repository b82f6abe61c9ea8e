// PostgresStore's CampaignStore role: the campaigns and campaign_domains
// tables (schema version 6), the same rows as the SQLite store. A list is
// written as multi-row INSERTs of kRowsPerInsert names, pipelined, in the
// campaign's transaction: a million names in a few round trips' worth of
// latency instead of a million.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "collector/campaign/sector.h"
#include "collector/store/postgres/pg_conn.h"
#include "collector/store/postgres/pg_pool.h"
#include "collector/store/postgres/postgres_store.h"

namespace v6scope::collector::store::postgres {
namespace {

using v6scope::v1::Campaign;

constexpr size_t kRowsPerInsert = 1000;     // 5,000 parameters.
constexpr size_t kInsertsPerPipeline = 50;  // Bounds the parameters held.

constexpr char kInsertCampaign[] =
    "INSERT INTO campaigns (campaign_id, state, created_at, campaign) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
constexpr char kCampaignColumns[] = "SELECT campaign, state FROM campaigns ";
constexpr char kSetState[] =
    "UPDATE campaigns SET state = $2 WHERE campaign_id = $1";
constexpr char kDropDomains[] =
    "DELETE FROM campaign_domains WHERE campaign_id = $1";
constexpr char kReadDomains[] =
    "SELECT name, sector, line FROM campaign_domains WHERE campaign_id = $1 "
    "AND position > $2 ORDER BY position LIMIT $3";
// Each probe's newest run by arrival, one index probe a probe
// (runs_probe_id is on (probe_id, id)).
constexpr char kVantages[] =
    "SELECT p.probe_id, p.revoked, r.asn, r.country, p.collector_vantage "
    "FROM probes p LEFT JOIN LATERAL (SELECT asn, country FROM runs WHERE "
    "probe_id = "
    "p.probe_id ORDER BY id DESC LIMIT 1) r ON true ORDER BY p.probe_id";

std::string InsertDomainsSql(size_t rows) {
  std::string sql =
      "INSERT INTO campaign_domains (campaign_id, position, name, sector, "
      "line) VALUES ";
  for (size_t i = 0; i < rows; ++i) {
    const size_t p = i * 5;
    absl::StrAppend(&sql, i == 0 ? "" : ",", "($", p + 1, ",$", p + 2, ",$",
                    p + 3, ",$", p + 4, ",$", p + 5, ")");
  }
  return sql;
}

absl::StatusOr<Campaign> CampaignRow(const PgResult& rows, int row) {
  Campaign c;
  if (!c.ParseFromString(rows.Bytes(row, 0))) {
    return absl::DataLossError("a stored campaign does not parse");
  }
  c.set_state(static_cast<v6scope::v1::CampaignState>(rows.Int(row, 1)));
  return c;
}

absl::StatusOr<Campaign> SelectCampaign(PgConn& conn, const std::string& id,
                                        absl::string_view lock = "") {
  absl::StatusOr<PgResult> rows =
      conn.Query(absl::StrCat(kCampaignColumns, "WHERE campaign_id = $1", lock),
                 PgParams().Text(id));
  if (!rows.ok()) return rows.status();
  if (rows->Rows() == 0) {
    return absl::NotFoundError(absl::StrCat("no campaign ", id));
  }
  return CampaignRow(*rows, 0);
}

// Rows [begin, end) of the list, kRowsPerInsert to an execution.
absl::Status InsertSlice(PgConn& conn, const std::string& id,
                         const std::vector<campaign::DomainEntry>& entries,
                         size_t begin, size_t end) {
  std::vector<PgParams> executions;
  for (size_t i = begin; i < end; i += kRowsPerInsert) {
    PgParams params;
    for (size_t k = i; k < std::min(end, i + kRowsPerInsert); ++k) {
      params.Text(id)
          .Int(static_cast<int64_t>(k) + 1)
          .Text(entries[k].name)
          .Text(campaign::SectorName(entries[k].sector))
          .Int(entries[k].line);
    }
    executions.push_back(std::move(params));
  }
  const size_t rows = std::min(end - begin, kRowsPerInsert);
  return conn.ExecPipelined(InsertDomainsSql(rows), executions).status();
}

absl::Status InsertDomains(PgConn& conn, const std::string& id,
                           const campaign::DomainList& list) {
  const std::vector<campaign::DomainEntry>& entries = list.entries();
  const size_t full = entries.size() / kRowsPerInsert * kRowsPerInsert;
  const size_t step = kRowsPerInsert * kInsertsPerPipeline;
  for (size_t begin = 0; begin < full; begin += step) {
    absl::Status s =
        InsertSlice(conn, id, entries, begin, std::min(full, begin + step));
    if (!s.ok()) return s;
  }
  if (full == entries.size()) return absl::OkStatus();
  return InsertSlice(conn, id, entries, full, entries.size());
}

}  // namespace

absl::Status PostgresStore::CreateCampaign(const Campaign& campaign,
                                           const campaign::DomainList& list) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgTransaction> txn = PgTransaction::Begin(**conn);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<PgResult> inserted = (*conn)->Query(
      kInsertCampaign, PgParams()
                           .Text(campaign.id())
                           .Int(campaign.state())
                           .Int(campaign.created_at().seconds() * 1'000'000 +
                                campaign.created_at().nanos() / 1000)
                           .Bytes(campaign.SerializeAsString()));
  if (!inserted.ok()) return inserted.status();
  if (inserted->Affected() == 0) {
    return absl::AlreadyExistsError(
        absl::StrCat("campaign ", campaign.id(), " already exists"));
  }
  absl::Status s = InsertDomains(**conn, campaign.id(), list);
  if (!s.ok()) return s;  // txn rolls back: no campaign, no names.
  return txn->Commit();
}

absl::StatusOr<Campaign> PostgresStore::GetCampaign(
    const std::string& campaign_id) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  return SelectCampaign(**conn, campaign_id);
}

absl::StatusOr<std::vector<Campaign>> PostgresStore::ListCampaigns(
    bool include_deleted) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  // State 0 is never stored, so it excludes nothing.
  absl::StatusOr<PgResult> rows = (*conn)->Query(
      absl::StrCat(kCampaignColumns, "WHERE state <> $1 ORDER BY campaign_id"),
      PgParams().Int(include_deleted ? 0 : v6scope::v1::CAMPAIGN_DELETED));
  if (!rows.ok()) return rows.status();
  std::vector<Campaign> campaigns;
  for (int i = 0; i < rows->Rows(); ++i) {
    absl::StatusOr<Campaign> c = CampaignRow(*rows, i);
    if (!c.ok()) return c.status();
    campaigns.push_back(*std::move(c));
  }
  return campaigns;
}

absl::StatusOr<Campaign> PostgresStore::SetCampaignState(
    const std::string& campaign_id, v6scope::v1::CampaignState state) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgTransaction> txn = PgTransaction::Begin(**conn);
  if (!txn.ok()) return txn.status();
  // FOR UPDATE: another collector's change to the same campaign waits.
  absl::StatusOr<Campaign> c =
      SelectCampaign(**conn, campaign_id, " FOR UPDATE");
  if (!c.ok()) return c.status();
  absl::Status s = CheckCampaignTransition(c->state(), state);
  if (!s.ok()) return s;
  absl::StatusOr<PgResult> done =
      (*conn)->Query(kSetState, PgParams().Text(campaign_id).Int(state));
  if (done.ok() && state == v6scope::v1::CAMPAIGN_DELETED) {
    done = (*conn)->Query(kDropDomains, PgParams().Text(campaign_id));
  }
  if (!done.ok()) return done.status();
  s = txn->Commit();
  if (!s.ok()) return s;
  c->set_state(state);
  return c;
}

absl::StatusOr<std::vector<campaign::DomainEntry>>
PostgresStore::ReadCampaignDomains(const std::string& campaign_id,
                                   int64_t after, int limit) {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<Campaign> c = SelectCampaign(**conn, campaign_id);
  if (!c.ok()) return c.status();
  absl::StatusOr<PgResult> rows = (*conn)->Query(
      kReadDomains, PgParams().Text(campaign_id).Int(after).Int(limit));
  if (!rows.ok()) return rows.status();
  std::vector<campaign::DomainEntry> entries;
  for (int i = 0; i < rows->Rows(); ++i) {
    campaign::DomainEntry e;
    e.name = rows->Bytes(i, 0);
    e.sector = campaign::ParseSector(rows->Bytes(i, 1))
                   .value_or(campaign::Sector::kOther);
    e.line = rows->Int(i, 2);
    entries.push_back(std::move(e));
  }
  return entries;
}

absl::StatusOr<std::vector<campaign::ProbeVantage>>
PostgresStore::ListProbeVantages() {
  absl::StatusOr<PgPool::Lease> conn = pool_->Acquire();
  if (!conn.ok()) return conn.status();
  absl::StatusOr<PgResult> rows = (*conn)->Query(kVantages, PgParams());
  if (!rows.ok()) return rows.status();
  std::vector<campaign::ProbeVantage> probes;
  for (int i = 0; i < rows->Rows(); ++i) {
    campaign::ProbeVantage p;
    p.probe_id = rows->Bytes(i, 0);
    p.revoked = rows->Bool(i, 1);
    p.has_runs = !rows->IsNull(i, 2);
    p.asn = static_cast<uint32_t>(rows->Int(i, 2));
    p.country = rows->Bytes(i, 3);
    p.collector_vantage = rows->Bool(i, 4);
    probes.push_back(std::move(p));
  }
  return probes;
}

}  // namespace v6scope::collector::store::postgres
