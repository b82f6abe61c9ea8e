// The ingest benchmark's workload: what every simulated probe uploads (its
// runs, made by methodology/synthetic/run_generator.h, cut into batches and
// serialized before anything is timed) and the order the collector's
// ingest writer commits them in.
#ifndef V6SCOPE_BENCH_INGEST_WORKLOAD_H_
#define V6SCOPE_BENCH_INGEST_WORKLOAD_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "proto/results.pb.h"

namespace v6scope::bench::ingest {

struct Workload {
  int probes = 0;
  int runs_per_probe = 0;
  int batch_runs = 0;
  int tests_per_run = 0;
  int batches_per_probe = 0;
  // requests[p][b]: the serialized UploadRequest of probe p's batch b.
  std::vector<std::vector<std::string>> requests;
  uint64_t bytes = 0;  // Of all requests.

  uint64_t total_runs() const {
    return static_cast<uint64_t>(probes) *
           static_cast<uint64_t>(runs_per_probe);
  }
  uint64_t total_results() const {
    return total_runs() * static_cast<uint64_t>(tests_per_run);
  }
  uint64_t FirstSeq(int b) const {
    return static_cast<uint64_t>(b) * static_cast<uint64_t>(batch_runs) + 1;
  }
  int RunsIn(int b) const {
    return std::min(batch_runs, runs_per_probe - b * batch_runs);
  }
};

// Built before anything is timed; started_at values end a minute before
// now, one run a minute (well inside the collector's accepted window).
Workload BuildWorkload(int probes, int runs_per_probe, int batch_runs,
                       int tests_per_run);

// The run `seq` of `probe`, as uploaded (exposed for size checks).
v6scope::v1::Run WorkloadRun(int probe, uint64_t seq, absl::Time started,
                             int tests);

// The collector's arrival order: batch 0 of every probe, then batch 1, ...,
// cut into commits of at most `commit_runs` runs as the ingest writer cuts
// its queue. Each entry: (probe, batch).
std::vector<std::vector<std::pair<int, int>>> CommitGroups(const Workload& w,
                                                           int commit_runs);

}  // namespace v6scope::bench::ingest

#endif  // V6SCOPE_BENCH_INGEST_WORKLOAD_H_
