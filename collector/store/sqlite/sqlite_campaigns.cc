// SqliteStore's CampaignStore role: the campaigns and campaign_domains
// tables (schema version 6). A campaign row keeps the serialized
// v6scope.v1.Campaign; its state column is the one that counts.
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "collector/campaign/sector.h"
#include "collector/store/sqlite/sqlite_db.h"
#include "collector/store/sqlite/sqlite_store.h"

namespace v6scope::collector::store::sqlite {
namespace {

using v6scope::v1::Campaign;

constexpr char kInsertCampaign[] =
    "INSERT INTO campaigns (campaign_id, state, created_at, campaign) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING";
constexpr char kInsertDomain[] =
    "INSERT INTO campaign_domains (campaign_id, position, name, sector, line) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr char kCampaignColumns[] = "SELECT campaign, state FROM campaigns ";
constexpr char kSetState[] =
    "UPDATE campaigns SET state = ?2 WHERE campaign_id = ?1";
constexpr char kDropDomains[] =
    "DELETE FROM campaign_domains WHERE campaign_id = ?1";
constexpr char kReadDomains[] =
    "SELECT name, sector, line FROM campaign_domains WHERE campaign_id = ?1 "
    "AND position > ?2 ORDER BY position LIMIT ?3";
// The newest run of each probe by arrival (the rowid), through the
// runs_probe_id index: one index probe a probe, not a scan of runs.
constexpr char kVantages[] =
    "SELECT p.probe_id, p.revoked, r.asn, r.country, p.collector_vantage "
    "FROM probes p LEFT JOIN runs r ON r.id = (SELECT id FROM runs WHERE "
    "probe_id = "
    "p.probe_id ORDER BY id DESC LIMIT 1) ORDER BY p.probe_id";

absl::StatusOr<Campaign> CampaignRow(const SqliteStmt& row) {
  Campaign c;
  if (!c.ParseFromString(row.Blob(0))) {
    return absl::DataLossError("a stored campaign does not parse");
  }
  c.set_state(static_cast<v6scope::v1::CampaignState>(row.Int(1)));
  return c;
}

absl::StatusOr<Campaign> SelectCampaign(SqliteDb& db, const std::string& id) {
  absl::StatusOr<SqliteStmt> select =
      db.Prepare(absl::StrCat(kCampaignColumns, "WHERE campaign_id = ?1"));
  if (!select.ok()) return select.status();
  select->BindText(1, id);
  absl::StatusOr<bool> row = select->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::NotFoundError(absl::StrCat("no campaign ", id));
  return CampaignRow(*select);
}

absl::Status InsertDomains(SqliteDb& db, const std::string& id,
                           const campaign::DomainList& list) {
  absl::StatusOr<SqliteStmt> insert = db.Prepare(kInsertDomain);
  if (!insert.ok()) return insert.status();
  int64_t position = 0;
  for (const campaign::DomainEntry& e : list.entries()) {
    insert->Reset();
    insert->BindText(1, id);
    insert->BindInt(2, ++position);
    insert->BindText(3, e.name);
    insert->BindText(4, campaign::SectorName(e.sector));
    insert->BindInt(5, e.line);
    absl::Status s = insert->Run();
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SqliteStore::CreateCampaign(const Campaign& campaign,
                                         const campaign::DomainList& list) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteTransaction> txn = SqliteTransaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  {
    absl::StatusOr<SqliteStmt> insert = db_->Prepare(kInsertCampaign);
    if (!insert.ok()) return insert.status();
    insert->BindText(1, campaign.id());
    insert->BindInt(2, campaign.state());
    insert->BindInt(3, campaign.created_at().seconds() * 1'000'000 +
                           campaign.created_at().nanos() / 1000);
    insert->BindBlob(4, campaign.SerializeAsString());
    absl::Status s = insert->Run();
    if (!s.ok()) return s;
    if (db_->Changes() == 0) {
      return absl::AlreadyExistsError(
          absl::StrCat("campaign ", campaign.id(), " already exists"));
    }
  }
  absl::Status s = InsertDomains(*db_, campaign.id(), list);
  if (!s.ok()) return s;  // txn rolls back: no campaign, no names.
  return txn->Commit();
}

absl::StatusOr<Campaign> SqliteStore::GetCampaign(
    const std::string& campaign_id) {
  absl::MutexLock lock(&read_mu_);
  return SelectCampaign(*read_db_, campaign_id);
}

absl::StatusOr<std::vector<Campaign>> SqliteStore::ListCampaigns(
    bool include_deleted) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(
      absl::StrCat(kCampaignColumns, "WHERE state != ?1 ORDER BY campaign_id"));
  if (!select.ok()) return select.status();
  // State 0 is never stored, so it excludes nothing.
  select->BindInt(1, include_deleted ? 0 : v6scope::v1::CAMPAIGN_DELETED);
  std::vector<Campaign> campaigns;
  for (;;) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    absl::StatusOr<Campaign> c = CampaignRow(*select);
    if (!c.ok()) return c.status();
    campaigns.push_back(*std::move(c));
  }
  return campaigns;
}

absl::StatusOr<Campaign> SqliteStore::SetCampaignState(
    const std::string& campaign_id, v6scope::v1::CampaignState state) {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<SqliteTransaction> txn = SqliteTransaction::Begin(*db_);
  if (!txn.ok()) return txn.status();
  absl::StatusOr<Campaign> c = SelectCampaign(*db_, campaign_id);
  if (!c.ok()) return c.status();
  absl::Status s = CheckCampaignTransition(c->state(), state);
  if (!s.ok()) return s;
  for (const char* sql : {kSetState, kDropDomains}) {
    if (sql == kDropDomains && state != v6scope::v1::CAMPAIGN_DELETED) break;
    absl::StatusOr<SqliteStmt> stmt = db_->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    stmt->BindText(1, campaign_id);
    if (sql == kSetState) stmt->BindInt(2, state);
    s = stmt->Run();
    if (!s.ok()) return s;
  }
  s = txn->Commit();
  if (!s.ok()) return s;
  c->set_state(state);
  return c;
}

absl::StatusOr<std::vector<campaign::DomainEntry>>
SqliteStore::ReadCampaignDomains(const std::string& campaign_id, int64_t after,
                                 int limit) {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<Campaign> c = SelectCampaign(*read_db_, campaign_id);
  if (!c.ok()) return c.status();
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kReadDomains);
  if (!select.ok()) return select.status();
  select->BindText(1, campaign_id);
  select->BindInt(2, after);
  select->BindInt(3, limit);
  std::vector<campaign::DomainEntry> entries;
  for (;;) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    campaign::DomainEntry e;
    e.name = select->Text(0);
    e.sector = campaign::ParseSector(select->Text(1))
                   .value_or(campaign::Sector::kOther);
    e.line = select->Int(2);
    entries.push_back(std::move(e));
  }
  return entries;
}

absl::StatusOr<std::vector<campaign::ProbeVantage>>
SqliteStore::ListProbeVantages() {
  absl::MutexLock lock(&read_mu_);
  absl::StatusOr<SqliteStmt> select = read_db_->Prepare(kVantages);
  if (!select.ok()) return select.status();
  std::vector<campaign::ProbeVantage> probes;
  for (;;) {
    absl::StatusOr<bool> row = select->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    campaign::ProbeVantage p;
    p.probe_id = select->Text(0);
    p.revoked = select->Int(1) != 0;
    p.has_runs = !select->IsNull(2);
    p.asn = static_cast<uint32_t>(select->Int(2));
    p.country = select->Text(3);
    p.collector_vantage = select->Int(4) != 0;
    probes.push_back(std::move(p));
  }
  return probes;
}

}  // namespace v6scope::collector::store::sqlite
