#include "bench/aggregates/report.h"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "bench/aggregates/runner.h"
#include "bench/aggregates/workload.h"
#include "collector/aggregate/aggregator.h"
#include "collector/aggregate/window.h"

namespace v6scope::bench::aggregates {
namespace {

std::string Verdict(bool ok) { return ok ? "PASS" : "MISS"; }

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_sec, t, absl::UTCTimeZone());
}

}  // namespace

void PrintFillStart(const collector::sample::SyntheticFleetOptions& fleet,
                    uint64_t expected_runs) {
  std::cout << absl::StrFormat(
      "  filling: %d probes x %d days x %d runs/day = %d runs via "
      "SyntheticFleet::StoreAll (Store::StoreBatches, rollups at ingest, "
      "synchronous=FULL)...\n",
      fleet.probes, fleet.days, fleet.runs_per_day, expected_runs);
  std::cout.flush();
}

void PrintFilled(const FillFigures& fill) {
  std::cout << absl::StrFormat(
      "  filled %d runs in %.1f s (%.0f runs/s; %.1f s of it inside "
      "StoreBatches, %d calls; the rest generates the synthetic runs)\n",
      fill.stored_runs, fill.fill_s, fill.stored_runs / fill.fill_s,
      fill.store_s, fill.calls);
}

void PrintStored(const StoredCounts& s, uint64_t db_bytes) {
  std::cout << absl::StrFormat(
      "  stored: %d runs, %d test results (%.2f per run), %d probes, %d "
      "rollup rows (day+week+month); database %.0f MB (runs' blobs %.0f MB); "
      "counted by parsing every run in %.1f s\n",
      s.runs, s.results,
      static_cast<double>(s.results) / std::max<uint64_t>(s.runs, 1), s.probes,
      s.rollup_rows, db_bytes / 1e6, s.blob_bytes / 1e6, s.count_s);
}

void PrintQueryWindow(const QueryWindow& w, int64_t runs_in_window,
                      const StoredCounts& stored) {
  std::cout << absl::StrFormat(
      "\n  query: window %s [%s, %s) at the fixed clock %s; %d runs (%d test "
      "results) in it; k = %d; no attribution data (no AS names, no "
      "allocations)\n",
      collector::aggregate::WindowKindName(w.kind), Rfc3339(w.start),
      Rfc3339(w.end), Rfc3339(w.at), runs_in_window,
      static_cast<int64_t>(
          std::llround(runs_in_window * static_cast<double>(stored.results) /
                       std::max<uint64_t>(stored.runs, 1))),
      collector::aggregate::kDefaultMinProbes);
}

void PrintRollup(const Query& q, const RollupTiming& t) {
  const Stats& s = t.wall;
  std::cout << absl::StrFormat(
      "  rollups  %-10s AggregateQueries::Aggregates x%d: p50 %7.3f ms  "
      "p99 %7.3f ms  (min %.3f, max %.3f, mean %.3f; CPU p50 %.3f ms); "
      "%d groups\n",
      q.label, s.n, s.p50, s.p99, s.min, s.max, s.mean, t.cpu.p50, t.groups);
}

void PrintListProbeWindows(const ListTiming& t) {
  std::cout << absl::StrFormat(
      "  rollups  of which Store::ListProbeWindows (%d rows) x%d: p50 %.3f "
      "ms  p99 %.3f ms\n",
      t.rows, t.stats.n, t.stats.p50, t.stats.p99);
}

void PrintPlainIntro() {
  PlainVariant shown, shown_max;
  shown.index_clause = shown_max.index_clause = "<index clause>";
  shown_max.bare_max = true;
  std::cout << "\n  plain SQL (its own connection: cache_size 256 MiB, "
               "temp_store MEMORY), e.g. by country:\n"
            << PlainSql(Queries()[0], shown) << "\n  and, for groupby_max:\n"
            << PlainSql(Queries()[0], shown_max) << "\n";
}

void PrintPlain(const Query& q, const PlainResult& r) {
  const Stats& s = r.by_query.back();
  std::cout << absl::StrFormat(
      "  plain    %-10s %-15s x%d: p50 %8.1f ms  (min %.1f, max %.1f; "
      "CPU p50 %.1f ms)  answer %s\n",
      q.label, r.variant->name, s.n, s.p50, s.min, s.max,
      r.by_query_cpu.back().p50,
      r.agrees ? "equal to the rollups'" : "DIFFERENT");
}

void PrintVariant(const PlainResult& r) {
  const PlainVariant* v = r.variant;
  std::cout << absl::StrFormat("           %s: %s", v->name, v->what);
  if (r.index_existed) {
    std::cout << " (index created above)";
  } else if (!v->create_index.empty()) {
    std::cout << absl::StrFormat("; CREATE INDEX %.1f s, +%.0f MB",
                                 r.index_seconds, r.index_bytes / 1e6);
  }
  std::cout << "\n           plan: " << r.plan << "\n";
}

void PrintAgreement(const std::vector<RollupTiming>& rollups,
                    const std::vector<std::string>& disagreements) {
  std::cout << "\n  agreement, per group (probes, runs, measured, capable, "
               "preferred, broken; insufficient data below k):\n";
  for (size_t qi = 0; qi < Queries().size(); ++qi) {
    std::cout << absl::StrFormat("    %s, %d groups:\n", Queries()[qi].label,
                                 rollups[qi].answer.size());
    for (const auto& [key, c] : rollups[qi].answer) {
      std::cout << absl::StrFormat("      %-8s %s\n", key, c.ToString());
    }
  }
  if (disagreements.empty()) {
    std::cout << absl::StrFormat(
        "    every plain variant gives exactly these counts: AGREE\n");
  } else {
    for (const std::string& d : disagreements) {
      std::cout << "    DISAGREE " << d << "\n";
    }
  }
}

void PrintCold(const ColdFigures& cold, const PlainVariant& plain) {
  std::cout << absl::StrFormat(
      "\n  cold (file evicted from the page cache, fresh connection), "
      "by-country once: rollups %.1f ms, plain (%s) %.1f ms\n",
      cold.rollup_ms, plain.name, cold.plain_ms);
}

void PrintRebuild(const RebuildFigures& r) {
  std::cout << absl::StrFormat(
      "\n  RebuildRollups: %d runs scanned, %d rows written in %.1f s "
      "(%.0f runs/s); rows %s the rollups kept at ingest (%d rows "
      "before)\n",
      r.runs, r.rows, r.seconds, r.runs / r.seconds,
      r.identical ? "IDENTICAL to" : "DIFFERENT from", r.rows_before);
}

namespace {

// The three rows of one query; returns the rollups' speed-up over the
// plain baseline and clears `all_pass` if a target is missed.
double PrintQueryRows(const Figures& f, size_t qi, bool& all_pass) {
  const Stats& s = f.rollups[qi].wall;
  const PlainResult& best = *f.best[qi];
  const double plain_p50 = best.by_query[qi].p50;
  const double x = plain_p50 / s.p50;
  const bool p50_ok = s.p50 <= f.target_p50_ms;
  const bool x_ok = x >= f.target_speedup;
  all_pass = all_pass && p50_ok && x_ok;
  std::cout << absl::StrFormat(
      "%-48s %-24s %-14s %s\n",
      absl::StrCat(Queries()[qi].label, " from rollups, p50 / p99"),
      absl::StrFormat("%.3f / %.3f ms", s.p50, s.p99),
      absl::StrFormat("p50 <= %g ms", f.target_p50_ms),
      absl::StrFormat("%.3fx target: %s", s.p50 / f.target_p50_ms,
                      Verdict(p50_ok)));
  std::cout << absl::StrFormat(
      "%-48s %-24s %-14s %s\n",
      absl::StrCat("  baseline: plain SQL (", best.variant->name, "), p50"),
      absl::StrFormat("%.1f ms", plain_p50),
      absl::StrFormat(">= %gx", f.target_speedup),
      absl::StrFormat("rollups %.0fx faster: %s", x, Verdict(x_ok)));
  const double cpu = f.rollups[qi].cpu.p50;
  const double plain_cpu = best.by_query_cpu[qi].p50;
  std::cout << absl::StrFormat(
      "%-48s %-24s %-14s %s\n", "  CPU time p50: rollups / plain",
      absl::StrFormat("%.3f / %.1f ms", cpu, plain_cpu), "",
      absl::StrFormat("%.0fx less CPU", plain_cpu / cpu));
  return x;
}

void PrintResultLine(const Figures& f, const std::vector<double>& speedups) {
  const bool agree = f.disagreements.empty();
  std::cout << absl::StrFormat(
      "RESULT results=%d runs=%d probes=%d fill_s=%.1f db_mb=%.0f "
      "window=%s country_p50_ms=%.3f country_p99_ms=%.3f country_plain_ms=%.1f "
      "country_speedup=%.0f asn_p50_ms=%.3f asn_p99_ms=%.3f "
      "asn_plain_ms=%.1f asn_speedup=%.0f agree=%d rebuild_s=%.1f "
      "rebuild_identical=%d cold_rollup_ms=%.1f cold_plain_ms=%.1f\n",
      f.stored.results, f.stored.runs, f.stored.probes, f.fill.fill_s,
      f.db_bytes / 1e6, collector::aggregate::WindowKindName(f.window),
      f.rollups[0].wall.p50, f.rollups[0].wall.p99, f.best[0]->by_query[0].p50,
      speedups[0], f.rollups[1].wall.p50, f.rollups[1].wall.p99,
      f.best[1]->by_query[1].p50, speedups[1], agree ? 1 : 0, f.rebuild.seconds,
      f.rebuild.identical ? 1 : 0, f.cold.rollup_ms, f.cold.plain_ms);
}

}  // namespace

bool PrintSummary(const Figures& f) {
  std::cout << absl::StrFormat(
      "\n== Summary (%d test results in %d runs, %s window, SQLite %s)\n",
      f.stored.results, f.stored.runs,
      collector::aggregate::WindowKindName(f.window), sqlite3_libversion());
  std::cout << absl::StrFormat("%-48s %-24s %-14s %s\n", "figure", "value",
                               "target", "ratio / verdict");
  if (f.filled) {
    std::cout << absl::StrFormat(
        "%-48s %-24s\n", "fill via StoreBatches (rollups at ingest)",
        absl::StrFormat("%.1f s, %.0f results/s", f.fill.fill_s,
                        f.stored.results / f.fill.fill_s));
  }
  bool all_pass = true;
  std::vector<double> speedups;
  for (size_t qi = 0; qi < Queries().size(); ++qi) {
    speedups.push_back(PrintQueryRows(f, qi, all_pass));
  }
  const bool agree = f.disagreements.empty();
  std::cout << absl::StrFormat("%-48s %-24s %-14s %s\n",
                               "answers agree (rollups vs every plain variant)",
                               agree ? "yes" : "NO", "equal",
                               agree ? "PASS" : "FAIL");
  if (f.rebuild.seconds >= 0) {
    std::cout << absl::StrFormat(
        "%-48s %-24s %-14s %s\n", "RebuildRollups on the big database",
        absl::StrFormat("%.1f s", f.rebuild.seconds), "identical rows",
        f.rebuild.identical ? "PASS" : "FAIL");
  }
  PrintResultLine(f, speedups);
  return all_pass;
}

}  // namespace v6scope::bench::aggregates
