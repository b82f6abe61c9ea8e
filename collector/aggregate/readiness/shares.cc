#include "collector/aggregate/readiness/shares.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "collector/aggregate/readiness/consensus.h"
#include "collector/aggregate/wilson.h"

namespace v6scope::collector::aggregate::readiness {
namespace {

// (campaign, round, country, sector).
using CellId = std::tuple<std::string, uint32_t, std::string, std::string>;

// What one cell counts, for all three services.
struct Tally {
  std::vector<uint32_t> asns;  // Sorted, distinct.
  uint64_t domains = 0;
  std::array<uint64_t, kServiceCount> split = {};
  std::array<uint64_t, kServiceCount> untested = {};
  std::array<StateCounts, kServiceCount> consensus = {};  // Per state.

  void Add(const DomainRollup& row) {
    std::vector<uint32_t> united;
    std::set_union(asns.begin(), asns.end(), row.asns.begin(), row.asns.end(),
                   std::back_inserter(united));
    asns = std::move(united);
    ++domains;
    for (int s = 0; s < kServiceCount; ++s) {
      const Consensus c = ConsensusOf(row.counts[s]);
      if (c.kind == ConsensusKind::kSplit) ++split[s];
      if (c.kind == ConsensusKind::kUntested) ++untested[s];
      if (c.has_state()) ++consensus[s][c.state];
    }
  }
};

ShareCell Publish(const CellId& id, const Tally& t, Service service,
                  const Provenance& provenance) {
  ShareCell cell;
  cell.provenance = provenance;
  std::tie(cell.campaign_id, cell.round, cell.country, cell.sector) = id;
  cell.service = service;
  if (!Publishable(t.asns.size(), provenance)) {
    cell.withheld = true;  // And not a single number.
    cell.withheld_reason = WithheldReason(provenance);
    return cell;
  }
  const int s = static_cast<int>(service);
  cell.networks = static_cast<uint32_t>(t.asns.size());
  cell.domains = t.domains;
  cell.split = t.split[s];
  cell.untested = t.untested[s];
  cell.n = t.domains - cell.split - cell.untested;
  for (int i = 1; i < kStateCount; ++i) {
    StateShare share;
    share.state = static_cast<v6scope::v1::ServiceState>(i);
    share.domains = t.consensus[s][i];
    share.value = cell.n == 0 ? 0.0
                              : static_cast<double>(share.domains) /
                                    static_cast<double>(cell.n);
    share.ci = WilsonInterval(share.domains, cell.n);
    cell.shares.push_back(share);
  }
  return cell;
}

std::vector<ShareCell> Shares(absl::Span<const DomainRollup> rows,
                              const Provenance& provenance) {
  std::map<CellId, Tally> tallies;
  for (const DomainRollup& row : rows) {
    if (!Counted(row, provenance)) continue;
    const DomainRollupKey& k = row.key;
    tallies[{k.campaign_id, k.round, k.country, k.sector}].Add(row);
  }
  std::vector<ShareCell> cells;
  cells.reserve(tallies.size() * kServiceCount);
  for (const auto& [id, tally] : tallies) {
    for (Service service : kAllServices) {
      cells.push_back(Publish(id, tally, service, provenance));
    }
  }
  return cells;
}

}  // namespace

absl::StatusOr<std::vector<ShareCell>> ComputeShares(
    absl::Span<const DomainRollup> rows,
    const ReadinessAggregateOptions& options) {
  absl::StatusOr<Provenance> provenance = ProvenanceFor(options);
  if (!provenance.ok()) return provenance.status();
  return Shares(rows, *provenance);
}

absl::StatusOr<std::vector<ShareSeries>> ComputeShareSeries(
    absl::Span<const DomainRollup> rows,
    const ReadinessAggregateOptions& options) {
  absl::StatusOr<Provenance> provenance = ProvenanceFor(options);
  if (!provenance.ok()) return provenance.status();
  // (campaign, country, sector, service); cells arrive by round within it.
  using SeriesId = std::tuple<std::string, std::string, std::string, int>;
  std::map<SeriesId, ShareSeries> series;
  for (ShareCell& cell : Shares(rows, *provenance)) {
    ShareSeries& s = series[{cell.campaign_id, cell.country, cell.sector,
                             static_cast<int>(cell.service)}];
    if (s.points.empty()) {
      s.provenance = *provenance;
      s.campaign_id = cell.campaign_id;
      s.country = cell.country;
      s.sector = cell.sector;
      s.service = cell.service;
    }
    s.points.push_back(std::move(cell));
  }
  std::vector<ShareSeries> out;
  out.reserve(series.size());
  for (auto& [id, s] : series) out.push_back(std::move(s));
  return out;
}

}  // namespace v6scope::collector::aggregate::readiness
