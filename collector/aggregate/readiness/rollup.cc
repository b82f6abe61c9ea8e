#include "collector/aggregate/readiness/rollup.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/types/span.h"

namespace v6scope::collector::aggregate::readiness {
namespace {

// The counted index of a state: a value this code does not know counts as
// not tested (index 0).
int StateIndex(v6scope::v1::ServiceState state) {
  const int value = static_cast<int>(state);
  return value >= 0 && value < kStateCount ? value : 0;
}

void InsertAsn(uint32_t asn, std::vector<uint32_t>* asns) {
  if (asn == 0) return;
  auto it = std::lower_bound(asns->begin(), asns->end(), asn);
  if (it == asns->end() || *it != asn) asns->insert(it, asn);
}

// A result's key fields in DomainRollupKey::Tie's order, by reference.
auto TieOf(const ReadinessResult& r) {
  return std::tie(r.campaign_id, r.round, r.probe_country, r.sector, r.domain,
                  r.methodology_version);
}

}  // namespace

bool ReadinessRollupDeltas::KeyLess::operator()(
    const DomainRollupKey& a, const DomainRollupKey& b) const {
  return a < b;
}

bool ReadinessRollupDeltas::KeyLess::operator()(
    const DomainRollupKey& a, const ReadinessResult& b) const {
  return a.Tie() < TieOf(b);
}

bool ReadinessRollupDeltas::KeyLess::operator()(
    const ReadinessResult& a, const DomainRollupKey& b) const {
  return TieOf(a) < b.Tie();
}

DomainRollupKey KeyOf(const ReadinessResult& result) {
  return {result.campaign_id, result.round,  result.probe_country,
          result.sector,      result.domain, result.methodology_version};
}

void FoldResult(const ReadinessResult& result, DomainRollup* into) {
  ++into->results;
  for (Service service : kAllServices) {
    const int s = static_cast<int>(service);
    ++into->counts[s][StateIndex(result.states[s])];
  }
  InsertAsn(result.probe_asn, &into->asns);
}

void MergeDomainRollup(const DomainRollup& delta, DomainRollup* into) {
  into->results += delta.results;
  for (int s = 0; s < kServiceCount; ++s) {
    for (int i = 0; i < kStateCount; ++i) {
      into->counts[s][i] += delta.counts[s][i];
    }
  }
  std::vector<uint32_t> united;
  united.reserve(into->asns.size() + delta.asns.size());
  std::set_union(into->asns.begin(), into->asns.end(), delta.asns.begin(),
                 delta.asns.end(), std::back_inserter(united));
  into->asns = std::move(united);
}

void ReadinessRollupDeltas::Add(const ReadinessResult& result) {
  auto it = rows_.lower_bound(result);
  if (it == rows_.end() || KeyLess()(result, it->first)) {
    DomainRollup row;
    row.key = KeyOf(result);
    DomainRollupKey key = row.key;
    it = rows_.emplace_hint(it, std::move(key), std::move(row));
  }
  FoldResult(result, &it->second);
}

std::vector<DomainRollup> ReadinessRollupDeltas::Take() {
  std::vector<DomainRollup> rows;
  rows.reserve(rows_.size());
  for (auto& [key, row] : rows_) rows.push_back(std::move(row));
  rows_.clear();
  return rows;
}

void MergeInto(absl::Span<const DomainRollup> rows,
               std::map<DomainRollupKey, DomainRollup>* table) {
  for (const DomainRollup& row : rows) {
    auto [it, inserted] = table->try_emplace(row.key, row);
    if (!inserted) MergeDomainRollup(row, &it->second);
  }
}

std::vector<DomainRollup> RebuildReadinessRollups(
    absl::Span<const ReadinessResult> results) {
  ReadinessRollupDeltas deltas;
  for (const ReadinessResult& result : results) deltas.Add(result);
  return deltas.Take();
}

}  // namespace v6scope::collector::aggregate::readiness
