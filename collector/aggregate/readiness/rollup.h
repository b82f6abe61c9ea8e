// Readiness rollups maintained at ingest: one row per (campaign, round,
// vantage country, sector, domain, methodology version) holding, per
// service, how many results saw each ServiceState, and the distinct probe
// networks (ASNs) they came from. The aggregates (consensus, shares,
// disagreements, changes) read these rows, never the raw results;
// RebuildReadinessRollups recomputes them from the raw results with the
// same merge, so both give identical rows (docs/methodology.md §14).
//
// Why per country and domain rather than per probe (the capability
// rollups keep one row per probe): a probe measures each domain once a
// round (the planner offers it every domain once; the store's keys make a
// repeat a duplicate), so there is no "latest result" to pick, and state
// counts add up. The caller folds each stored result exactly once (ingest
// folds the rows the store reports new; the rebuild folds every row once).
// The table grows with domains x countries x rounds, never with probes.
//
// The methodology version is part of the key so that results judged by
// different readiness rules are never counted together.
#ifndef V6SCOPE_COLLECTOR_AGGREGATE_READINESS_ROLLUP_H_
#define V6SCOPE_COLLECTOR_AGGREGATE_READINESS_ROLLUP_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/types/span.h"
#include "collector/aggregate/readiness/result.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::aggregate::readiness {

// Results per ServiceState value (index = the enum's number).
using StateCounts = std::array<uint64_t, kStateCount>;

struct DomainRollupKey {
  std::string campaign_id;
  uint32_t round = 0;
  std::string country;  // The probes' country; empty: not attributed.
  std::string sector;
  std::string domain;
  std::string methodology_version;

  auto Tie() const {
    return std::tie(campaign_id, round, country, sector, domain,
                    methodology_version);
  }
  friend bool operator<(const DomainRollupKey& a, const DomainRollupKey& b) {
    return a.Tie() < b.Tie();
  }
  friend bool operator==(const DomainRollupKey& a, const DomainRollupKey& b) {
    return a.Tie() == b.Tie();
  }
};

struct DomainRollup {
  DomainRollupKey key;
  uint64_t results = 0;  // Results folded in (one per probe).
  std::array<StateCounts, kServiceCount> counts = {};
  // Distinct non-zero ASNs of the probes, ascending (an unattributed probe
  // is no known network: it adds to no ASN count, docs §14.4).
  std::vector<uint32_t> asns;

  const StateCounts& of(Service service) const {
    return counts[static_cast<int>(service)];
  }

  friend bool operator==(const DomainRollup& a, const DomainRollup& b) {
    return a.key == b.key && a.results == b.results && a.counts == b.counts &&
           a.asns == b.asns;
  }
};

// The key `result` is counted under.
DomainRollupKey KeyOf(const ReadinessResult& result);

// Counts `result` into `into` (whose key must be KeyOf(result)): one per
// service state, its ASN into the set. O(1) but for the ASN set insertion
// (O(networks of the country)).
void FoldResult(const ReadinessResult& result, DomainRollup* into);

// Adds `delta` (same key) into `into`: counts add up, ASN sets unite.
// Associative and commutative, so the order and batching of results do
// not matter.
void MergeDomainRollup(const DomainRollup& delta, DomainRollup* into);

// Collects the rollup changes of a set of newly stored results, merged per
// key, for one write per row.
class ReadinessRollupDeltas {
 public:
  void Add(const ReadinessResult& result);
  bool empty() const { return rows_.empty(); }
  // Rows in key order: the order stores lock them in, so concurrent
  // writers cannot deadlock.
  std::vector<DomainRollup> Take();

 private:
  // Orders keys and finds a result's row without building its key (a
  // result's key fields are copied only when its row is new).
  struct KeyLess {
    using is_transparent = void;
    bool operator()(const DomainRollupKey& a, const DomainRollupKey& b) const;
    bool operator()(const DomainRollupKey& a, const ReadinessResult& b) const;
    bool operator()(const ReadinessResult& a, const DomainRollupKey& b) const;
  };
  std::map<DomainRollupKey, DomainRollup, KeyLess> rows_;
};

// Merges `rows` into `table` as a store does (MergeDomainRollup per key).
void MergeInto(absl::Span<const DomainRollup> rows,
               std::map<DomainRollupKey, DomainRollup>* table);

// The whole table from raw results, in key order: what the rollups kept at
// ingest must equal.
std::vector<DomainRollup> RebuildReadinessRollups(
    absl::Span<const ReadinessResult> results);

}  // namespace v6scope::collector::aggregate::readiness

#endif  // V6SCOPE_COLLECTOR_AGGREGATE_READINESS_ROLLUP_H_
