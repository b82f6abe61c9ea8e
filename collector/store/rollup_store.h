// RollupStore: the store's role for the aggregation rollups
// (collector/aggregate/rollup.h): reading the per-probe window rows the
// aggregate queries are built from, and recomputing them from the runs.
#ifndef V6SCOPE_COLLECTOR_STORE_ROLLUP_STORE_H_
#define V6SCOPE_COLLECTOR_STORE_ROLLUP_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/aggregate/rollup.h"
#include "collector/aggregate/window.h"

namespace v6scope::collector::store {

// Which rollup rows to read: one window kind, window starts in [from, to).
struct ProbeWindowQuery {
  aggregate::WindowKind kind = aggregate::WindowKind::kDay;
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  std::string country;  // Latest observation's country; empty: all.
  uint32_t asn = 0;     // Latest observation's ASN; 0: all.
};

struct RebuildReport {
  uint64_t runs_scanned = 0;
  uint64_t rows_written = 0;  // probe_windows rows after the rebuild.
  // Runs whose asn/country columns disagreed with the attribution in their
  // stored run and were set from it: runs stored before schema v2 added
  // the columns (their defaults are 0 and '').
  uint64_t columns_backfilled = 0;
};

// Thread-safe (as every role of store.h). RunSink::StoreBatches keeps the
// rows in step with the runs it stores, in the same transaction.
class RollupStore {
 public:
  virtual ~RollupStore() = default;

  // Rollup rows matching `query`, in (window start, probe id) order.
  virtual absl::StatusOr<std::vector<aggregate::ProbeWindow>> ListProbeWindows(
      const ProbeWindowQuery& query) = 0;

  // Recomputes every rollup row from the raw runs, in one transaction
  // (readers see the old rows until it commits). The result is identical
  // to what ingest maintained. DATA_LOSS names a run that does not parse.
  // Both backends run collector/store/rollup_rebuild.h.
  virtual absl::StatusOr<RebuildReport> RebuildRollups() = 0;
};

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_ROLLUP_STORE_H_
