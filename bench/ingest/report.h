// The ingest benchmark's figures and how they are printed: per-round
// lines as the rounds go, then the summary with targets and ratios that
// run_ingest_bench.sh and docs/benchmarks.md quote.
#ifndef V6SCOPE_BENCH_INGEST_REPORT_H_
#define V6SCOPE_BENCH_INGEST_REPORT_H_

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "bench/ingest/workload.h"

namespace v6scope::bench::ingest {

// Machine-wide busy and total CPU time (/proc/stat, all CPUs), seconds.
struct MachineCpu {
  double busy = 0;
  double total = 0;
};

// What the collector's upload streams do to each batch besides gRPC, per
// run, in microseconds: where its CPU goes.
struct StageCosts {
  double parse_us = 0, validate_us = 0, enrich_us = 0, prepare_us = 0;
};

struct UploadResult {
  double seconds = 0;       // First stream start → last Ack.
  double send_seconds = 0;  // First batch sent → last Ack.
  double stream_setup_ms_p50 = 0;
  std::vector<double> ack_ms;
  double collector_cpu = 0;  // Seconds, during the window.
  double client_cpu = 0;
  double postgres_cpu = 0;  // The PostgreSQL server's processes.
  MachineCpu machine;       // Busy/total during the window.
  std::map<std::string, double> metrics_before, metrics_after;
  uint64_t acked_runs = 0, stored_runs = 0;
};

struct CeilingResult {
  double seconds = 0;  // Sum over commits, preparation excluded.
  int commits = 0;
};

// One round of one store: the collector's rate and each ceiling's, in
// results/s.
struct Round {
  double rate = 0;
  std::vector<double> ceilings;  // In Figure::ceiling_names order.
  double best_ceiling() const {
    return ceilings.empty()
               ? 0
               : *std::max_element(ceilings.begin(), ceilings.end());
  }
};

struct Figure {
  std::string name;
  std::vector<std::string> ceiling_names;
  std::vector<Round> rounds;
  std::string skip_reason;  // Non-empty: not measured.
};

// 1234567 -> "1,234,567".
std::string Thousands(double v);
// Nearest-rank percentile, p in [0, 1]; 0 for no values.
double Percentile(std::vector<double> v, double p);
double Median(std::vector<double> v);
std::string LoadAverage();
std::string DescribeFilesystem(const std::string& path);

// The workload line printed first (sizes, build time, attribution).
void PrintWorkload(const Workload& w, double build_seconds,
                   const std::string& attribution, int cpus,
                   const std::string& work, const std::string& connections);
void PrintStageCosts(const StageCosts& c);
// The upload phase of a round: rate, latencies, group commits, CPU.
void PrintUpload(const Workload& w, const UploadResult& u, int cpus);
void PrintCeiling(const char* name, const Workload& w, const CeilingResult& c,
                  double collector_rate);
// Prints the summary rows of one store; returns false if a target is missed.
bool PrintSummary(const Figure& f, double target, double target_ratio);

}  // namespace v6scope::bench::ingest

#endif  // V6SCOPE_BENCH_INGEST_REPORT_H_
