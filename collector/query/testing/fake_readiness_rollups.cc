#include "collector/query/testing/fake_readiness_rollups.h"

#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "methodology/readiness/readiness.h"

namespace v6scope::collector::query::testing {

namespace readiness = ::v6scope::collector::aggregate::readiness;

void FakeReadinessRollups::Add(
    absl::Span<const readiness::ReadinessResult> results) {
  readiness::ReadinessRollupDeltas deltas;
  for (const readiness::ReadinessResult& r : results) deltas.Add(r);
  const std::vector<readiness::DomainRollup> rows = deltas.Take();
  absl::MutexLock lock(&mu_);
  readiness::MergeInto(rows, &rows_);
}

void FakeReadinessRollups::FailWith(absl::Status status) {
  absl::MutexLock lock(&mu_);
  status_ = std::move(status);
}

std::vector<store::ReadinessRollupQuery> FakeReadinessRollups::queries() const {
  absl::MutexLock lock(&mu_);
  return queries_;
}

absl::StatusOr<std::vector<readiness::DomainRollup>>
FakeReadinessRollups::ListReadinessRollups(
    const store::ReadinessRollupQuery& query) {
  absl::MutexLock lock(&mu_);
  queries_.push_back(query);
  if (!status_.ok()) return status_;
  if (query.campaign_id.empty()) {
    return absl::InvalidArgumentError("campaign id required");
  }
  std::vector<readiness::DomainRollup> rows;
  for (const auto& [key, row] : rows_) {
    if (key.campaign_id != query.campaign_id) continue;
    if (query.round != 0 && key.round != query.round) continue;
    if (!query.country.empty() && key.country != query.country) continue;
    if (!query.sector.empty() && key.sector != query.sector) continue;
    if (!query.domain.empty() && key.domain != query.domain) continue;
    rows.push_back(row);
  }
  return rows;
}

absl::StatusOr<std::vector<uint32_t>> FakeReadinessRollups::ListReadinessRounds(
    const std::string& campaign_id) {
  absl::MutexLock lock(&mu_);
  if (!status_.ok()) return status_;
  if (campaign_id.empty()) {
    return absl::InvalidArgumentError("campaign id required");
  }
  std::set<uint32_t> rounds;
  for (const auto& [key, row] : rows_) {
    if (key.campaign_id == campaign_id) rounds.insert(key.round);
  }
  return std::vector<uint32_t>(rounds.rbegin(), rounds.rend());
}

absl::StatusOr<store::ReadinessRebuildReport>
FakeReadinessRollups::RebuildReadinessRollups() {
  absl::MutexLock lock(&mu_);
  store::ReadinessRebuildReport report;
  report.rows_written = rows_.size();
  return report;
}

readiness::ReadinessResult Result(const std::string& campaign, uint32_t round,
                                  const std::string& country, uint32_t asn,
                                  const std::string& sector,
                                  const std::string& domain,
                                  v6scope::v1::ServiceState web,
                                  v6scope::v1::ServiceState dns,
                                  v6scope::v1::ServiceState mail) {
  readiness::ReadinessResult r;
  r.campaign_id = campaign;
  r.round = round;
  r.probe_id = absl::StrCat("p-", country, "-", asn);
  r.probe_asn = asn;
  r.probe_country = country;
  r.domain = domain;
  r.sector = sector;
  r.methodology_version = methodology::readiness::kReadinessMethodologyVersion;
  r.states = {web, dns, mail};
  return r;
}

}  // namespace v6scope::collector::query::testing
