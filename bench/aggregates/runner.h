// How the aggregates benchmark measures: fills the store through
// Store::StoreBatches, counts what it holds, times the rollup path
// (AggregateQueries) and the plain-SQL variants, compares their answers,
// and optionally times a cold query and RebuildRollups.
#ifndef V6SCOPE_BENCH_AGGREGATES_RUNNER_H_
#define V6SCOPE_BENCH_AGGREGATES_RUNNER_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/aggregates/raw_db.h"
#include "bench/aggregates/workload.h"
#include "collector/aggregate/rollup.h"
#include "collector/query/aggregate_queries.h"
#include "collector/sample/synthetic_fleet.h"
#include "collector/store/store.h"
#include "common/time/clock.h"
#include "proto/query_service.pb.h"

namespace v6scope::bench::aggregates {

// Monotonic wall time, ms.
double NowMs();
// CPU time of the calling thread: SQLite and the aggregation run on it, so
// this is each query's own cost, steadier than wall time on a shared host.
double CpuMs();

struct Stats {
  size_t n = 0;
  double p50 = 0, p99 = 0, min = 0, max = 0, mean = 0;
};

// Nearest-rank percentiles.
Stats Summarize(std::vector<double> ms);

uint64_t FileSize(const std::string& path);
// Drops a file from the page cache (it is clean once synced).
void Evict(const std::string& path);

// --- fill ------------------------------------------------------------------

struct FillFigures {
  double fill_s = 0;   // Wall time of StoreAll.
  double store_s = 0;  // Of which inside StoreBatches.
  uint64_t stored_runs = 0;
  uint64_t calls = 0;  // StoreBatches calls.
};

// Stores the whole fleet, reporting progress on stderr.
FillFigures FillStore(const collector::sample::SyntheticFleet& fleet,
                      collector::store::Store& store, uint64_t expected_runs);

// What the database holds, counted from the data (every run blob parsed).
struct StoredCounts {
  uint64_t runs = 0, results = 0, blob_bytes = 0;
  double count_s = 0;
  int64_t rollup_rows = 0, probes = 0;
};

StoredCounts CountStored(RawDb& raw);

// --- the answers compared ----------------------------------------------------

struct Counts {
  bool insufficient = false;  // Below k: no numbers published.
  uint64_t probes = 0, runs = 0, measured = 0, capable = 0, preferred = 0,
           broken = 0;
  bool operator==(const Counts& o) const {
    return insufficient == o.insufficient && probes == o.probes &&
           runs == o.runs && measured == o.measured && capable == o.capable &&
           preferred == o.preferred && broken == o.broken;
  }
  std::string ToString() const;
};
using Answer = std::map<std::string, Counts>;  // Group key -> counts.

// The whole answer of the real query path (every page; there is one page
// unless there are more than 1000 groups).
std::vector<v6scope::v1::GroupAggregate> RollupQuery(
    const collector::query::AggregateQueries& queries, v6scope::v1::GroupBy by,
    collector::aggregate::WindowKind window);
Answer FromRollups(const std::vector<v6scope::v1::GroupAggregate>& groups);
Answer PlainQuery(RawDb& db, const std::string& sql, int64_t from_us,
                  int64_t to_us, uint32_t min_probes);
std::string QueryPlan(RawDb& db, const std::string& sql);
// Lists every difference; empty if the answers agree.
std::vector<std::string> Differences(const Answer& rollup, const Answer& plain);

// --- the rollup path
// -----------------------------------------------------------

struct ListTiming {
  Stats stats;
  size_t rows = 0;
};

// Store::ListProbeWindows alone: the store's share of a query.
ListTiming TimeListProbeWindows(collector::store::Store& store,
                                const QueryWindow& window, int reps);

struct RollupTiming {
  Stats wall, cpu;
  Answer answer;
  size_t groups = 0;
};

RollupTiming TimeRollupQuery(const collector::query::AggregateQueries& queries,
                             const Query& q, const QueryWindow& window,
                             int reps);

// --- the plain path
// --------------------------------------------------------------

struct PlainResult {
  const PlainVariant* variant = nullptr;
  double index_seconds = 0;         // CREATE INDEX.
  uint64_t index_bytes = 0;         // Growth of the file.
  std::string plan;                 // For the first query.
  std::vector<Stats> by_query;      // Per Queries() entry: wall time.
  std::vector<Stats> by_query_cpu;  // The same: the thread's CPU time.
  bool agrees = true;
  bool index_existed = false;  // Created by an earlier variant.
};

// Creates the variant's index on `raw` (unless an earlier variant did).
PlainResult PrepareVariant(RawDb& raw, const PlainVariant& v);

// Times Queries()[qi] in `r`'s variant on `plain`, compares its answer
// with the rollups', appends what differs to `disagreements`.
void TimePlainQuery(RawDb& plain, size_t qi, const QueryWindow& window,
                    int reps, const Answer& rollup_answer, PlainResult& r,
                    std::vector<std::string>& disagreements);

// The fastest plain variant per query: the baseline of the speed-up.
std::vector<const PlainResult*> Fastest(const std::vector<PlainResult>& all);

// --- cold cache, rebuild
// ------------------------------------------------------------

struct ColdFigures {
  double rollup_ms = -1, plain_ms = -1;
};

// One by-country query of each path on fresh connections with the file out
// of the OS page cache: the first query after a restart on a busy host.
ColdFigures TimeCold(const std::string& path, RawDb& raw,
                     const time::Clock& clock, const QueryWindow& window,
                     const PlainVariant& plain);

struct RebuildFigures {
  double seconds = -1;
  bool identical = true;
  uint64_t runs = 0, rows = 0, rows_before = 0;
};

// RebuildRollups, timed, with every rollup row compared before and after.
RebuildFigures TimeRebuild(collector::store::Store& store);

}  // namespace v6scope::bench::aggregates

#endif  // V6SCOPE_BENCH_AGGREGATES_RUNNER_H_
