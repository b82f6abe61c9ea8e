// The ingest benchmark's runner: for one store, --rounds rounds of the real
// collector process fed by the upload streams, then the store's ceilings on
// the same runs, each on fresh storage.
#ifndef V6SCOPE_BENCH_INGEST_RUNNER_H_
#define V6SCOPE_BENCH_INGEST_RUNNER_H_

#include <string>
#include <vector>

#include "absl/time/time.h"
#include "bench/ingest/report.h"
#include "bench/ingest/workload.h"
#include "collector/enrich/attribution.h"

namespace v6scope::bench::ingest {

// What the flags say about how to run (see ingest_bench.cc for each).
struct RunnerOptions {
  std::string collector;  // The v6scope-collector binary.
  std::string data_dir;   // Attribution data for the collector; may be empty.
  const collector::enrich::AttributionIndex* index = nullptr;  // The same.
  bool keep = false;
  bool ceilings = true;
  int commit_runs = 20000;
  int enrol_threads = 8;
  int connections = 0;
  absl::Duration timeout = absl::Minutes(5);
  int cpus = 1;
  int rounds = 3;
};

// The attribution data files under `data_dir`, as the collector loads them.
std::vector<std::string> RirFiles(const std::string& data_dir);

// The collector's own stages, one thread over the whole workload.
StageCosts MeasureStages(const Workload& w,
                         const collector::enrich::AttributionIndex* index);

Figure RunSqlite(const RunnerOptions& o, const std::string& work,
                 const Workload& w);
Figure RunPostgres(const RunnerOptions& o, const std::string& work,
                   const Workload& w);

}  // namespace v6scope::bench::ingest

#endif  // V6SCOPE_BENCH_INGEST_RUNNER_H_
