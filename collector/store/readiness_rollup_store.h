// ReadinessRollupStore: the store's role for the readiness rollups
// (collector/aggregate/readiness/rollup.h, docs/methodology.md §14): one
// row per (campaign, round, probe country, sector, domain, readiness
// methodology version) with per-service state counts and the probes'
// distinct ASNs. ReadinessStore::StoreDomainBatches keeps the rows in step
// with the results it stores, in the same transaction (the rows the store
// reports new, folded once: ReadinessRollupDeltas); the readiness
// aggregates (shares, consensus, disagreements, changes, series) are
// computed from these rows, never from the raw results.
#ifndef V6SCOPE_COLLECTOR_STORE_READINESS_ROLLUP_STORE_H_
#define V6SCOPE_COLLECTOR_STORE_READINESS_ROLLUP_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "collector/aggregate/readiness/rollup.h"

namespace v6scope::collector::store {

// Which rows to read. Every field but campaign_id may be left empty/0.
struct ReadinessRollupQuery {
  std::string campaign_id;  // Required.
  uint32_t round = 0;       // 0: every round.
  std::string country;      // Probe country (ISO alpha-2); empty: all.
  std::string sector;       // Canonical sector; empty: all.
  std::string domain;       // Normalized name; empty: all.
};

struct ReadinessRebuildReport {
  uint64_t results_scanned = 0;
  uint64_t rows_written = 0;  // Rollup rows after the rebuild.
  // Results stored before schema step 9 whose check does not parse (so
  // their verdict's methodology version is unknown): left out of the rows,
  // kept in the store, the first one named. A rebuild on open must not
  // keep the collector from starting over one damaged old row.
  uint64_t results_unreadable = 0;
  std::string first_unreadable;  // "probe <id> seq <n>"; empty: none.
};

// Thread-safe (as every role of store.h).
class ReadinessRollupStore {
 public:
  virtual ~ReadinessRollupStore() = default;

  // Rows matching `query` in DomainRollupKey order. INVALID_ARGUMENT
  // without a campaign id; an unknown campaign has no rows (OK, empty).
  virtual absl::StatusOr<std::vector<aggregate::readiness::DomainRollup>>
  ListReadinessRollups(const ReadinessRollupQuery& query) = 0;

  // The rounds of `campaign_id` with any row, newest first: how a query
  // for "the latest round" finds it without reading every round's rows
  // (each round is one key seek). INVALID_ARGUMENT without a campaign id.
  virtual absl::StatusOr<std::vector<uint32_t>> ListReadinessRounds(
      const std::string& campaign_id) = 0;

  // Recomputes every readiness rollup row from the stored results in one
  // transaction (readers see the old rows until it commits); the rows are
  // identical to those ingest kept (RebuildReadinessRollups of rollup.h).
  // An old result that does not parse is counted in the report, not
  // folded.
  virtual absl::StatusOr<ReadinessRebuildReport> RebuildReadinessRollups() = 0;
};

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_READINESS_ROLLUP_STORE_H_
