// The aggregates benchmark's report: the lines printed as each phase
// finishes, then the summary with targets and ratios and the one "RESULT"
// line that run_aggregates_bench.sh and docs/benchmarks.md quote.
#ifndef V6SCOPE_BENCH_AGGREGATES_REPORT_H_
#define V6SCOPE_BENCH_AGGREGATES_REPORT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "bench/aggregates/runner.h"
#include "bench/aggregates/workload.h"
#include "collector/sample/synthetic_fleet.h"

namespace v6scope::bench::aggregates {

void PrintFillStart(const collector::sample::SyntheticFleetOptions& fleet,
                    uint64_t expected_runs);
void PrintFilled(const FillFigures& fill);
void PrintStored(const StoredCounts& stored, uint64_t db_bytes);
void PrintQueryWindow(const QueryWindow& window, int64_t runs_in_window,
                      const StoredCounts& stored);
void PrintRollup(const Query& q, const RollupTiming& t);
void PrintListProbeWindows(const ListTiming& t);
// The plain connection's settings and the SQL of both query forms.
void PrintPlainIntro();
void PrintPlain(const Query& q, const PlainResult& r);
void PrintVariant(const PlainResult& r);
void PrintAgreement(const std::vector<RollupTiming>& rollups,
                    const std::vector<std::string>& disagreements);
void PrintCold(const ColdFigures& cold, const PlainVariant& plain);
void PrintRebuild(const RebuildFigures& rebuild);

// Everything the summary states.
struct Figures {
  StoredCounts stored;
  uint64_t db_bytes = 0;
  bool filled = false;  // Filled by this run (else reused: fill not timed).
  FillFigures fill;
  collector::aggregate::WindowKind window;
  std::vector<RollupTiming> rollups;       // Per Queries() entry.
  std::vector<const PlainResult*> best;    // Per Queries() entry.
  std::vector<std::string> disagreements;  // Empty: the answers agree.
  ColdFigures cold;
  RebuildFigures rebuild;
  double target_p50_ms = 0, target_speedup = 0;
};

// Prints the summary table and the RESULT line; true if every target is
// met.
bool PrintSummary(const Figures& f);

}  // namespace v6scope::bench::aggregates

#endif  // V6SCOPE_BENCH_AGGREGATES_REPORT_H_
