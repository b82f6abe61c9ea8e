#include "bench/ingest/report.h"

#include <sys/vfs.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace v6scope::bench::ingest {

std::string Thousands(double v) {
  std::string digits = absl::StrFormat("%.0f", v);
  std::string out;
  const size_t n = digits.size();
  for (size_t i = 0; i < n; ++i) {
    out.push_back(digits[i]);
    if (digits[i] != '-' && (n - i - 1) % 3 == 0 && i + 1 < n) out += ',';
  }
  return out;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

double Median(std::vector<double> v) { return Percentile(std::move(v), 0.5); }

std::string LoadAverage() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return absl::StrCat(a, " ", b, " ", c);
}

// --- one store --------------------------------------------------------------

std::string DescribeFilesystem(const std::string& path) {
  struct statfs fs;
  if (statfs(path.c_str(), &fs) != 0) return "unknown filesystem";
  switch (fs.f_type) {
    case 0x01021994:
      return "tmpfs (fsync costs nothing: not representative)";
    case 0xEF53:
      return "ext4";
    case 0x58465342:
      return "xfs";
    case 0x9123683E:
      return "btrfs";
    case 0x794c7630:
      return "overlayfs";
    default:
      return absl::StrFormat("filesystem type 0x%x", fs.f_type);
  }
}

void PrintWorkload(const Workload& w, double build_seconds,
                   const std::string& attribution, int cpus,
                   const std::string& work, const std::string& connections) {
  std::printf(
      "== ingest_bench: %d probes x %d runs (%d test results each) in "
      "batches of %d = %s runs, %s test results\n",
      w.probes, w.runs_per_probe, w.tests_per_run, w.batch_runs,
      Thousands(static_cast<double>(w.total_runs())).c_str(),
      Thousands(static_cast<double>(w.total_results())).c_str());
  std::printf(
      "   %s bytes of requests (%.0f bytes per run on the wire), built in "
      "%.1f s; %s\n",
      Thousands(static_cast<double>(w.bytes)).c_str(),
      static_cast<double>(w.bytes) / static_cast<double>(w.total_runs()),
      build_seconds, attribution.c_str());
  std::printf("   %d CPUs, load average %s; scratch %s (%s); connections: %s\n",
              cpus, LoadAverage().c_str(), work.c_str(),
              DescribeFilesystem(work).c_str(), connections.c_str());
}

void PrintStageCosts(const StageCosts& c) {
  std::printf(
      "   the collector's work per run besides gRPC and the store (one "
      "thread, us/run): parse %.1f, validate %.1f, attribute %.1f, "
      "serialize for storage %.1f; total %.1f\n",
      c.parse_us, c.validate_us, c.enrich_us, c.prepare_us,
      c.parse_us + c.validate_us + c.enrich_us + c.prepare_us);
}

namespace {

double Metric(const std::map<std::string, double>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

}  // namespace

void PrintUpload(const Workload& w, const UploadResult& u, int cpus) {
  const double results = static_cast<double>(w.total_results());
  const double runs = static_cast<double>(w.total_runs());
  auto delta = [&](const std::string& k) {
    return Metric(u.metrics_after, k) - Metric(u.metrics_before, k);
  };
  const double commits = delta("v6scope_collector_store_commits_total");
  const double commit_s = delta("v6scope_collector_store_commit_seconds_total");
  const double batches = delta("v6scope_collector_batches_stored_total");
  std::printf(
      "    collector over gRPC %12s results/s  (%s runs/s; %s results in "
      "%.2f s, first stream start to last Ack)\n",
      Thousands(results / u.seconds).c_str(),
      Thousands(runs / u.seconds).c_str(), Thousands(results).c_str(),
      u.seconds);
  std::printf(
      "        streams: %d, first batch sent %.0f ms after its stream started "
      "(p50); first send to last Ack %.2f s\n",
      w.probes, u.stream_setup_ms_p50, u.send_seconds);
  std::printf(
      "        Ack latency per batch: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, "
      "max %.1f ms\n",
      Percentile(u.ack_ms, 0.5), Percentile(u.ack_ms, 0.9),
      Percentile(u.ack_ms, 0.99), Percentile(u.ack_ms, 1.0));
  std::printf(
      "        ingest writer: %.0f group commits, %.1f batches = %.0f runs per "
      "commit on average, %.2f s in StoreBatches (%.0f%% of the wall time)\n",
      commits, commits > 0 ? batches / commits : 0,
      commits > 0 ? runs / commits : 0, commit_s, 100 * commit_s / u.seconds);
  const double capacity = u.seconds * cpus;
  std::string pg;
  if (u.postgres_cpu > 0) {
    pg = absl::StrFormat("PostgreSQL server %.2f s (%.0f%%, %.1f us/run), ",
                         u.postgres_cpu, 100 * u.postgres_cpu / capacity,
                         1e6 * u.postgres_cpu / runs);
  }
  const double others =
      u.machine.busy - u.collector_cpu - u.client_cpu - u.postgres_cpu;
  std::printf(
      "        CPU: collector %.2f s (%.0f%% of %d CPUs, %.1f us/run), %sthis "
      "client %.2f s (%.0f%%); machine busy %.0f%%, other processes ~%.0f%%\n",
      u.collector_cpu, 100 * u.collector_cpu / capacity, cpus,
      1e6 * u.collector_cpu / runs, pg.c_str(), u.client_cpu,
      100 * u.client_cpu / capacity,
      u.machine.total > 0 ? 100 * u.machine.busy / u.machine.total : 0,
      u.machine.total > 0 ? std::max(0.0, 100 * others / u.machine.total) : 0);
}

void PrintCeiling(const char* name, const Workload& w, const CeilingResult& c,
                  double collector_rate) {
  const double results = static_cast<double>(w.total_results());
  const double rate = results / c.seconds;
  std::printf(
      "    %-19s %12s results/s  (%s runs/s; %d commits, %.2f s)   collector "
      "= %.2fx\n",
      name, Thousands(rate).c_str(),
      Thousands(static_cast<double>(w.total_runs()) / c.seconds).c_str(),
      c.commits, c.seconds, collector_rate / rate);
}

bool PrintSummary(const Figure& f, double target, double target_ratio) {
  const std::string rate_name = f.name + ": ingest over gRPC, results/s";
  if (!f.skip_reason.empty()) {
    std::printf("%-42s SKIPPED: %s\n", rate_name.c_str(),
                f.skip_reason.c_str());
    return true;
  }
  std::vector<double> rates, ratios;
  std::string rate_rounds, ratio_rounds;
  for (const Round& r : f.rounds) {
    rates.push_back(r.rate);
    absl::StrAppend(&rate_rounds, rate_rounds.empty() ? "" : " ",
                    Thousands(r.rate));
    if (r.best_ceiling() > 0) {
      ratios.push_back(r.rate / r.best_ceiling());
      absl::StrAppend(&ratio_rounds, ratio_rounds.empty() ? "" : " ",
                      absl::StrFormat("%.2f", ratios.back()));
    }
  }
  const double rate = Median(rates);
  const bool rate_ok = rate >= target;
  std::printf("%-42s %-12s %-22s %.2fx target: %s (rounds: %s)\n",
              rate_name.c_str(), Thousands(rate).c_str(),
              (">= " + Thousands(target)).c_str(), rate / target,
              rate_ok ? "PASS" : "MISS", rate_rounds.c_str());
  if (ratios.empty()) {
    std::printf("  %-40s not measured (--ceilings=false)\n", "ceiling");
    return rate_ok;
  }
  for (size_t i = 0; i < f.ceiling_names.size(); ++i) {
    std::vector<double> v;
    for (const Round& r : f.rounds) v.push_back(r.ceilings[i]);
    std::printf("  %-40s %-12s %-22s collector %.2fx\n",
                ("ceiling: " + f.ceiling_names[i]).c_str(),
                Thousands(Median(v)).c_str(), "", rate / Median(v));
  }
  const double ratio = Median(ratios);
  const bool ratio_ok = ratio >= target_ratio;
  std::printf("  %-40s %-12s %-22s %s (rounds: %s)\n",
              "collector / best ceiling of its round",
              absl::StrFormat("%.2f", ratio).c_str(),
              absl::StrFormat(">= %.2f", target_ratio).c_str(),
              ratio_ok ? "PASS" : "MISS", ratio_rounds.c_str());
  return rate_ok && ratio_ok;
}

}  // namespace v6scope::bench::ingest
