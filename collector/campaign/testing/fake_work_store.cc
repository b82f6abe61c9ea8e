#include "collector/campaign/testing/fake_work_store.h"

#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace v6scope::collector::campaign::testing {

using store::AssignmentRecord;

#define V6SCOPE_FAKE_FAIL()   \
  absl::MutexLock lock(&mu_); \
  if (!fail_.ok()) return fail_

void FakeWorkStore::AddCampaign(const v6scope::v1::Campaign& campaign,
                                std::vector<DomainEntry> list) {
  absl::MutexLock lock(&mu_);
  campaigns_[campaign.id()] = campaign;
  lists_[campaign.id()] = std::move(list);
}

void FakeWorkStore::AddVantage(const ProbeVantage& vantage) {
  absl::MutexLock lock(&mu_);
  vantages_[vantage.probe_id] = vantage;
}

void FakeWorkStore::AddResult(const v6scope::v1::StoredDomainResult& result,
                              const std::string& campaign_id) {
  absl::MutexLock lock(&mu_);
  results_.push_back({campaign_id, result});
}

void FakeWorkStore::SetLastDomainSeq(const std::string& probe_id,
                                     uint64_t seq) {
  absl::MutexLock lock(&mu_);
  last_seq_[probe_id] = seq;
}

void FakeWorkStore::FailWith(absl::Status status) {
  absl::MutexLock lock(&mu_);
  fail_ = std::move(status);
}

std::vector<AssignmentRecord> FakeWorkStore::Assignments() const {
  absl::MutexLock lock(&mu_);
  std::vector<AssignmentRecord> all;
  for (const auto& [id, a] : assignments_) all.push_back(a);
  return all;
}

int FakeWorkStore::puts() const {
  absl::MutexLock lock(&mu_);
  return puts_;
}

absl::Status FakeWorkStore::CreateCampaign(const v6scope::v1::Campaign& c,
                                           const DomainList& list) {
  V6SCOPE_FAKE_FAIL();
  if (campaigns_.count(c.id()) > 0) return absl::AlreadyExistsError(c.id());
  campaigns_[c.id()] = c;
  lists_[c.id()] = list.entries();
  return absl::OkStatus();
}

absl::StatusOr<v6scope::v1::Campaign> FakeWorkStore::GetCampaign(
    const std::string& id) {
  V6SCOPE_FAKE_FAIL();
  auto it = campaigns_.find(id);
  if (it == campaigns_.end()) return absl::NotFoundError("no campaign " + id);
  return it->second;
}

absl::StatusOr<std::vector<v6scope::v1::Campaign>> FakeWorkStore::ListCampaigns(
    bool include_deleted) {
  V6SCOPE_FAKE_FAIL();
  std::vector<v6scope::v1::Campaign> all;
  for (const auto& [id, c] : campaigns_) {
    if (include_deleted || c.state() != v6scope::v1::CAMPAIGN_DELETED) {
      all.push_back(c);
    }
  }
  return all;
}

absl::StatusOr<v6scope::v1::Campaign> FakeWorkStore::SetCampaignState(
    const std::string& id, v6scope::v1::CampaignState state) {
  V6SCOPE_FAKE_FAIL();
  auto it = campaigns_.find(id);
  if (it == campaigns_.end()) return absl::NotFoundError("no campaign " + id);
  absl::Status s = store::CheckCampaignTransition(it->second.state(), state);
  if (!s.ok()) return s;
  it->second.set_state(state);
  if (state == v6scope::v1::CAMPAIGN_DELETED) lists_[id].clear();
  return it->second;
}

absl::StatusOr<std::vector<DomainEntry>> FakeWorkStore::ReadCampaignDomains(
    const std::string& id, int64_t after, int limit) {
  V6SCOPE_FAKE_FAIL();
  auto it = lists_.find(id);
  if (it == lists_.end()) return absl::NotFoundError("no campaign " + id);
  const auto& list = it->second;
  const size_t from = std::min<size_t>(after, list.size());
  const size_t to = std::min<size_t>(from + limit, list.size());
  return std::vector<DomainEntry>(list.begin() + from, list.begin() + to);
}

absl::StatusOr<std::vector<ProbeVantage>> FakeWorkStore::ListProbeVantages() {
  V6SCOPE_FAKE_FAIL();
  std::vector<ProbeVantage> all;
  for (const auto& [id, v] : vantages_) all.push_back(v);
  return all;
}

absl::StatusOr<uint64_t> FakeWorkStore::LastStoredDomainSeq(
    const std::string& probe_id) {
  V6SCOPE_FAKE_FAIL();
  auto it = last_seq_.find(probe_id);
  return it == last_seq_.end() ? 0 : it->second;
}

absl::StatusOr<std::vector<store::StoredDomainBatch>>
FakeWorkStore::StoreDomainBatches(
    absl::Span<const store::DomainBatchRows> batches) {
  std::vector<store::StoredDomainBatch> out;
  for (const store::DomainBatchRows& b : batches) {
    absl::StatusOr<store::StoredDomainBatch> stored =
        StoreDomainResults(b.probe_id, b.first_seq, b.rows);
    if (!stored.ok()) return stored.status();
    out.push_back(*stored);
  }
  return out;
}

absl::StatusOr<store::StoredDomainBatch> FakeWorkStore::StoreDomainResults(
    const std::string& probe_id, uint64_t first_seq,
    absl::Span<const store::DomainResultRow> rows) {
  V6SCOPE_FAKE_FAIL();
  store::StoredDomainBatch out;
  out.first_seq = first_seq;
  out.last_seq = first_seq + rows.size() - 1;
  uint64_t& last = last_seq_[probe_id];
  for (const store::DomainResultRow& row : rows) {
    if (row.seq <= last) continue;
    last = row.seq;
    v6scope::v1::StoredDomainResult r;
    r.set_probe_id(probe_id);
    r.set_round(row.round);
    r.set_list_index(row.list_index);
    r.set_sector(row.sector);
    r.set_probe_asn(row.probe_asn);
    r.set_probe_country(row.probe_country);
    if (row.serialized.has_value()) {
      if (!r.mutable_check()->ParseFromString(row.serialized->blob)) {
        return absl::InvalidArgumentError("a serialized check does not parse");
      }
    } else {
      *r.mutable_check() = row.check;
    }
    results_.push_back({row.campaign_id, std::move(r)});
    ++out.stored;
  }
  return out;
}

namespace {
auto Key(const v6scope::v1::StoredDomainResult& r) {
  return std::make_tuple(r.round(), r.probe_id(), r.list_index());
}
}  // namespace

absl::StatusOr<std::vector<v6scope::v1::StoredDomainResult>>
FakeWorkStore::ReadDomainResults(const store::DomainResultQuery& q) {
  V6SCOPE_FAKE_FAIL();
  std::vector<v6scope::v1::StoredDomainResult> match;
  const auto after =
      std::make_tuple(q.after.round, q.after.probe_id, q.after.list_index);
  for (const Result& r : results_) {
    if (r.campaign_id != q.campaign_id) continue;
    if (q.round != 0 && r.stored.round() != q.round) continue;
    if (!q.probe_id.empty() && r.stored.probe_id() != q.probe_id) continue;
    if (q.after.started && !(Key(r.stored) > after)) continue;
    match.push_back(r.stored);
  }
  std::sort(match.begin(), match.end(),
            [](const auto& a, const auto& b) { return Key(a) < Key(b); });
  if (match.size() > static_cast<size_t>(q.limit)) match.resize(q.limit);
  return match;
}

absl::StatusOr<std::vector<store::ReadinessStore::ResultCount>>
FakeWorkStore::CountDomainResults(const std::string& campaign_id) {
  V6SCOPE_FAKE_FAIL();
  std::map<std::string, ResultCount> by_probe;
  for (const Result& r : results_) {
    if (r.campaign_id != campaign_id) continue;
    ResultCount& c = by_probe[r.stored.probe_id()];
    c.probe_id = r.stored.probe_id();
    ++c.all_rounds;
    if (r.stored.round() > c.round) {
      c.round = r.stored.round();
      c.in_round = 0;
    }
    if (r.stored.round() == c.round) ++c.in_round;
  }
  std::vector<ResultCount> all;
  for (auto& [id, c] : by_probe) all.push_back(c);
  return all;
}

absl::Status FakeWorkStore::PutAssignment(const AssignmentRecord& a) {
  V6SCOPE_FAKE_FAIL();
  assignments_[a.assignment_id] = a;
  ++puts_;
  return absl::OkStatus();
}

absl::StatusOr<AssignmentRecord> FakeWorkStore::GetAssignment(
    const std::string& id) {
  V6SCOPE_FAKE_FAIL();
  auto it = assignments_.find(id);
  if (it == assignments_.end()) return absl::NotFoundError("no assignment");
  return it->second;
}

namespace {
bool ByOffer(const AssignmentRecord& a, const AssignmentRecord& b) {
  return std::tie(a.offered_at, a.assignment_id) <
         std::tie(b.offered_at, b.assignment_id);
}
}  // namespace

absl::StatusOr<std::vector<AssignmentRecord>>
FakeWorkStore::ListProbeAssignments(const std::string& probe_id,
                                    absl::Time offered_since) {
  V6SCOPE_FAKE_FAIL();
  std::vector<AssignmentRecord> out;
  for (const auto& [id, a] : assignments_) {
    const bool open = a.state == store::AssignmentState::kOffered ||
                      a.state == store::AssignmentState::kHeld;
    if (a.probe_id == probe_id && (open || a.offered_at >= offered_since)) {
      out.push_back(a);
    }
  }
  std::sort(out.begin(), out.end(), ByOffer);
  return out;
}

absl::StatusOr<std::vector<AssignmentRecord>>
FakeWorkStore::ListCampaignAssignments(const std::string& campaign_id) {
  V6SCOPE_FAKE_FAIL();
  std::vector<AssignmentRecord> out;
  for (const auto& [id, a] : assignments_) {
    if (a.campaign_id == campaign_id) out.push_back(a);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.probe_id, a.offered_at) <
           std::tie(b.probe_id, b.offered_at);
  });
  return out;
}

absl::StatusOr<uint64_t> FakeWorkStore::NextListIndex(
    const std::string& campaign_id, const std::string& probe_id,
    uint32_t round) {
  V6SCOPE_FAKE_FAIL();
  uint64_t end = 0;
  for (const auto& [id, a] : assignments_) {
    if (a.campaign_id == campaign_id && a.probe_id == probe_id &&
        a.round == round) {
      end = std::max<uint64_t>(end, a.first_index + a.count);
    }
  }
  return end;
}

absl::Status FakeWorkStore::PutProbeWorkState(
    const store::ProbeWorkState& state) {
  V6SCOPE_FAKE_FAIL();
  states_[state.probe_id] = state;
  return absl::OkStatus();
}

absl::StatusOr<store::ProbeWorkState> FakeWorkStore::GetProbeWorkState(
    const std::string& probe_id) {
  V6SCOPE_FAKE_FAIL();
  auto it = states_.find(probe_id);
  if (it == states_.end()) return absl::NotFoundError("never polled");
  return it->second;
}

absl::StatusOr<ProbeVantage> FakeWorkStore::GetProbeVantage(
    const std::string& probe_id) {
  V6SCOPE_FAKE_FAIL();
  auto it = vantages_.find(probe_id);
  if (it == vantages_.end()) return absl::NotFoundError("no probe");
  return it->second;
}

}  // namespace v6scope::collector::campaign::testing
