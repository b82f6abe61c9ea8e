// Rollups maintained at ingest: one row per (window, probe) holding the
// probe's run count and its latest observation in that window. Queries
// aggregate these rows, never the raw runs; RebuildRollups recomputes them
// from the raw runs with the same merge, so both give identical rows.
//
// Why per probe rather than per group: one vote per probe per window needs
// to know, for each probe, which of its runs is the latest (a probe whose
// verdict or network changes within the window must move its single vote),
// and medians are not additive. The table grows with probes x windows,
// never with runs. See docs/aggregation.md.
#ifndef V6SCOPE_COLLECTOR_AGGREGATE_ROLLUP_H_
#define V6SCOPE_COLLECTOR_AGGREGATE_ROLLUP_H_

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/time/time.h"
#include "collector/aggregate/window.h"
#include "methodology/observation.h"
#include "proto/results.pb.h"

namespace v6scope::collector::aggregate {

struct ProbeWindow {
  WindowKind kind = WindowKind::kDay;
  int64_t window_start_us = 0;  // Unix microseconds, a window start.
  std::string probe_id;
  int64_t runs = 0;  // Runs of the probe in the window.
  // The latest run: greatest (run time, seq).
  int64_t latest_time_us = 0;
  int64_t latest_seq = 0;
  methodology::Observation latest;

  friend bool operator==(const ProbeWindow& a, const ProbeWindow& b) {
    return a.kind == b.kind && a.window_start_us == b.window_start_us &&
           a.probe_id == b.probe_id && a.runs == b.runs &&
           a.latest_time_us == b.latest_time_us &&
           a.latest_seq == b.latest_seq && a.latest == b.latest;
  }
};

// The time a run counts at: when it started (the probe's clock, bounded by
// the collector's clock-skew check), else when the collector received it.
absl::Time RunTime(const v6scope::v1::Run& run, absl::Time received_at);

// Adds `delta` (same kind, window and probe) into `into`: runs add up, the
// later of the two latest observations wins. Associative and commutative,
// so the order runs arrive in does not matter.
void MergeProbeWindow(const ProbeWindow& delta, ProbeWindow* into);

// Collects the rollup changes of a set of newly stored runs, merged per
// (kind, window, probe), for one write per row.
class RollupDeltas {
 public:
  void Add(const std::string& probe_id, uint64_t seq,
           const v6scope::v1::Run& run, absl::Time received_at);
  // The same for a run already reduced to its observation, counted at `at`
  // (its RunTime).
  void Add(const std::string& probe_id, uint64_t seq,
           const methodology::Observation& observation, absl::Time at);
  bool empty() const { return rows_.empty(); }
  // Rows in (kind, window start, probe id) order: the order stores lock
  // them in, so concurrent writers cannot deadlock.
  std::vector<ProbeWindow> Take();

 private:
  using Key = std::tuple<int, int64_t, std::string>;
  std::map<Key, ProbeWindow> rows_;
};

}  // namespace v6scope::collector::aggregate

#endif  // V6SCOPE_COLLECTOR_AGGREGATE_ROLLUP_H_
