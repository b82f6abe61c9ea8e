// enrich_bench: load time and lookup rate of the collector's attribution
// tables (collector/enrich) on the real CAIDA pfx2as files, with baselines
// measured in the same run:
//   - load: raw read + gunzip of the two files (the floor any loader pays)
//     vs. read + parse + build of the IPv4 and IPv6 prefix-to-AS tables
//     (target ≤ 1.5 s), and the full AttributionIndex (all RIR files and
//     AS names, two loader threads) for reference;
//   - lookups: the flattened-interval LPM (origin ASN only, and the full
//     Attribute() with country, RIR and AS name) on 1 and --threads
//     threads (target ≥ 2 M/s on 2 cores), vs. a per-prefix-length
//     std::map probe and a linear scan of every prefix.
// Prints figures, targets and ratios, then one "RESULT" line for
// bench/enrich/run_enrich_bench.sh. Exits 1 if a target is missed.
//
//   bazel build -c opt //bench/enrich:enrich_bench
//   bazel-bin/bench/enrich/enrich_bench --data_dir=../shared/data
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/numeric/int128.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "collector/enrich/attribution.h"
#include "collector/enrich/data_file.h"
#include "collector/enrich/lpm_table.h"
#include "collector/enrich/prefix_table.h"
#include "common/log/log.h"
#include "tests/data/data_paths.h"

ABSL_FLAG(std::string, data_dir, "",
          "shared data directory (prefix2as/, rir/, asnames/); default: "
          "$V6SCOPE_SHARED_DATA or ../shared/data beside the workspace");
ABSL_FLAG(int, lookups, 4000000, "lookups per rate measurement");
ABSL_FLAG(int, threads, 2, "threads for the multi-threaded lookup rate");
ABSL_FLAG(int, load_runs, 3, "table loads to time (the median is reported)");
ABSL_FLAG(int, repeats, 3,
          "rounds of the lookup-rate measurements (each one's best is kept)");
ABSL_FLAG(int, map_lookups, 200000, "lookups for the std::map baseline");
ABSL_FLAG(int, scan_lookups, 300, "lookups for the linear-scan baseline");
ABSL_FLAG(double, target_load_seconds, 1.5, "load-time target");
ABSL_FLAG(double, target_lookups_per_second, 2e6,
          "lookup-rate target with --threads threads");

namespace v6scope::bench::enrich {
namespace {

// The code measured.
using ::v6scope::collector::enrich::Attribution;
using ::v6scope::collector::enrich::AttributionIndex;
using ::v6scope::collector::enrich::AttributionSources;
using ::v6scope::collector::enrich::DataFile;
using ::v6scope::collector::enrich::KeyTraits;
using ::v6scope::collector::enrich::MalformedLines;
using ::v6scope::collector::enrich::PrefixOrigin;
using ::v6scope::collector::enrich::PrefixTable;
using ::v6scope::collector::enrich::ReadDataFile;
using ::v6scope::collector::enrich::V4Address;
using ::v6scope::collector::enrich::V4Key;
using ::v6scope::collector::enrich::V6Address;
using ::v6scope::collector::enrich::V6Key;

double Seconds(absl::Time start) {
  return absl::ToDoubleSeconds(absl::Now() - start);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct RawPrefix {
  bool v6;
  absl::uint128 start;  // IPv4 in the low 32 bits.
  int length;
  uint32_t asn;  // First ASN of the origin field.
};

std::vector<RawPrefix> ReadRaw(const std::string& path) {
  std::vector<RawPrefix> all;
  absl::StatusOr<DataFile> file = ReadDataFile(path);
  if (!file.ok()) return all;
  for (absl::string_view line : absl::StrSplit(file->contents, '\n')) {
    std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    if (f.size() != 3) continue;
    absl::StatusOr<net::IpAddress> a = net::IpAddress::Parse(f[0]);
    int length = 0;
    uint32_t asn = 0;
    if (!a.ok() || !absl::SimpleAtoi(f[1], &length)) continue;
    absl::SimpleAtoi(f[2].substr(0, f[2].find_first_of("_,")), &asn);
    all.push_back(
        {a->is_v6(), a->is_v6() ? V6Key(*a) : V4Key(*a), length, asn});
  }
  return all;
}

// Half uniform random addresses (IPv4; IPv6 in 2000::/3), half random
// addresses inside random announced prefixes; IPv4 and IPv6 alternate.
std::vector<net::IpAddress> MakeQueries(const std::vector<RawPrefix>& v4,
                                        const std::vector<RawPrefix>& v6,
                                        size_t count) {
  std::mt19937_64 rng(2026);
  std::vector<net::IpAddress> queries;
  queries.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const bool want_v6 = i % 2 == 1;
    const bool inside = i % 4 >= 2;
    const uint64_t hi = rng();
    const uint64_t lo = rng();
    if (!want_v6) {
      uint32_t key = static_cast<uint32_t>(hi);
      if (inside) {
        const RawPrefix& p = v4[rng() % v4.size()];
        const uint32_t host = KeyTraits<uint32_t>::HostMask(p.length);
        key = (static_cast<uint32_t>(p.start) & ~host) | (key & host);
      }
      queries.push_back(V4Address(key));
    } else {
      absl::uint128 key = absl::MakeUint128(
          (hi & ~(uint64_t{7} << 61)) | uint64_t{1} << 61, lo);
      if (inside) {
        const RawPrefix& p = v6[rng() % v6.size()];
        const absl::uint128 host = KeyTraits<absl::uint128>::HostMask(p.length);
        key = (p.start & ~host) | (absl::MakeUint128(hi, lo) & host);
      }
      queries.push_back(V6Address(key));
    }
  }
  return queries;
}

// Runs fn(query) over `queries` split among `threads` threads; returns
// lookups per second. `sink` defeats dead-code elimination.
template <typename Fn>
double RateOnce(const std::vector<net::IpAddress>& queries, int threads, Fn fn,
                std::atomic<uint64_t>* sink) {
  std::vector<std::thread> workers;
  const absl::Time start = absl::Now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      uint64_t local = 0;
      for (size_t i = static_cast<size_t>(t); i < queries.size();
           i += static_cast<size_t>(threads)) {
        local += fn(queries[i]);
      }
      *sink += local;
    });
  }
  for (std::thread& w : workers) w.join();
  return static_cast<double>(queries.size()) / Seconds(start);
}

// Baseline 1: per prefix length, a std::map from network to ASN; a lookup
// probes every length present, longest first.
class MapBaseline {
 public:
  explicit MapBaseline(const std::vector<RawPrefix>& all) {
    for (const RawPrefix& p : all)
      (p.v6 ? v6_ : v4_)[p.length][p.start] = p.asn;
  }
  uint32_t Lookup(const net::IpAddress& a) const {
    const bool v6 = a.is_v6();
    const absl::uint128 key = v6 ? V6Key(a) : absl::uint128(V4Key(a));
    const auto& by_length = v6 ? v6_ : v4_;
    for (auto it = by_length.rbegin(); it != by_length.rend(); ++it) {
      const absl::uint128 host =
          v6 ? KeyTraits<absl::uint128>::HostMask(it->first)
             : absl::uint128(KeyTraits<uint32_t>::HostMask(it->first));
      const auto hit = it->second.find(key & ~host);
      if (hit != it->second.end()) return hit->second;
    }
    return 0;
  }

 private:
  std::map<int, std::map<absl::uint128, uint32_t>> v4_, v6_;
};

// Baseline 2: scan every prefix of the family.
uint32_t LinearScan(const std::vector<RawPrefix>& all,
                    const net::IpAddress& a) {
  const bool v6 = a.is_v6();
  const absl::uint128 key = v6 ? V6Key(a) : absl::uint128(V4Key(a));
  int best = -1;
  uint32_t asn = 0;
  for (const RawPrefix& p : all) {
    if (p.v6 != v6 || p.length <= best) continue;
    const absl::uint128 host =
        v6 ? KeyTraits<absl::uint128>::HostMask(p.length)
           : absl::uint128(KeyTraits<uint32_t>::HostMask(p.length));
    if ((key & ~host) == p.start) {
      best = p.length;
      asn = p.asn;
    }
  }
  return asn;
}

std::vector<net::IpAddress> Head(const std::vector<net::IpAddress>& q,
                                 size_t n) {
  return {q.begin(), q.begin() + static_cast<long>(std::min(n, q.size()))};
}

// The two pfx2as files, in the shared data directory.
struct DataPaths {
  std::string dir, v4, v6;
};

// Empty `dir` if the data set is not there (the message is printed).
DataPaths FindData() {
  DataPaths d;
  d.dir = absl::GetFlag(FLAGS_data_dir);
  std::string tried;
  if (d.dir.empty()) d.dir = tests::data::SharedDataDir(&tried);
  d.v4 = d.dir + "/prefix2as/RouteViewIPv4.pfx2as.gz";
  d.v6 = d.dir + "/prefix2as/RouteViewIPv6.pfx2as.gz";
  if (d.dir.empty() || !ReadDataFile(d.v4).ok()) {
    std::fprintf(stderr,
                 "enrich_bench: real data set not found (tried: %s); pass "
                 "--data_dir=/path/to/shared/data\n",
                 d.dir.empty() ? tried.c_str() : d.dir.c_str());
    d.dir.clear();
  }
  return d;
}

struct LoadFigures {
  int runs = 0;
  double raw_s = 0, load_s = 0, full_load_s = 0;  // Medians; full: once.
  size_t v4_size = 0, v6_size = 0, v4_intervals = 0, v6_intervals = 0,
         memory = 0, raw_bytes = 0;
};

// Load: raw read + gunzip, then the tables, `runs` times each.
LoadFigures TimeLoads(const DataPaths& d, int runs) {
  LoadFigures f;
  f.runs = runs;
  std::vector<double> raw_times, load_times;
  for (int r = 0; r < runs; ++r) {
    absl::Time start = absl::Now();
    f.raw_bytes = ReadDataFile(d.v4)->contents.size() +
                  ReadDataFile(d.v6)->contents.size();
    raw_times.push_back(Seconds(start));
    start = absl::Now();
    PrefixTable::Builder builder;
    for (const std::string& path : {d.v4, d.v6}) {
      absl::StatusOr<DataFile> file = ReadDataFile(path);
      MalformedLines bad(path);
      builder.AddContents(file->contents, &bad);
    }
    PrefixTable table = std::move(builder).Build();
    load_times.push_back(Seconds(start));
    f.v4_size = table.v4_size();
    f.v6_size = table.v6_size();
    f.v4_intervals = table.v4_intervals();
    f.v6_intervals = table.v6_intervals();
    f.memory = table.MemoryBytes();
  }
  f.raw_s = Median(raw_times);
  f.load_s = Median(load_times);
  return f;
}

// The full index, as the collector loads it; sets `full_load_s`.
absl::StatusOr<std::shared_ptr<const AttributionIndex>> LoadIndex(
    const DataPaths& d, LoadFigures& f) {
  AttributionSources sources;
  sources.pfx2as_files = {d.v4, d.v6};
  for (const char* rir : {"rir/2026-05-06/delegated-afrinic-extended-latest",
                          "rir/2024-11-09/delegated-apnic-latest",
                          "rir/2023-03-24/delegated-lacnic-extended-latest",
                          "rir/2019-09-12/delegated-iana-latest"}) {
    sources.rir_files.push_back(absl::StrCat(d.dir, "/", rir));
  }
  sources.as_names_file = d.dir + "/asnames/asn.txt";
  const absl::Time start = absl::Now();
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      AttributionIndex::Load(sources);
  f.full_load_s = Seconds(start);
  return index;
}

// What the lookups are measured on: the query sample and the baselines.
struct LookupSetup {
  std::vector<RawPrefix> raw;  // Every prefix, IPv4 then IPv6.
  std::vector<net::IpAddress> queries, map_queries, scan_queries;
  std::unique_ptr<MapBaseline> map;
  double map_build_s = 0;
  std::string loadavg = "?";
};

LookupSetup SetUpLookups(const DataPaths& d) {
  LookupSetup s;
  s.raw = ReadRaw(d.v4);
  std::vector<RawPrefix> raw6 = ReadRaw(d.v6);
  s.queries = MakeQueries(s.raw, raw6,
                          static_cast<size_t>(absl::GetFlag(FLAGS_lookups)));
  s.raw.insert(s.raw.end(), raw6.begin(), raw6.end());
  if (absl::StatusOr<DataFile> f = ReadDataFile("/proc/loadavg"); f.ok()) {
    s.loadavg = f->contents.substr(0, f->contents.find(' '));
  }
  const absl::Time start = absl::Now();
  s.map = std::make_unique<MapBaseline>(s.raw);
  s.map_build_s = Seconds(start);
  s.map_queries =
      Head(s.queries, static_cast<size_t>(absl::GetFlag(FLAGS_map_lookups)));
  s.scan_queries =
      Head(s.queries, static_cast<size_t>(absl::GetFlag(FLAGS_scan_lookups)));
  return s;
}

struct Rates {
  int threads = 1, repeats = 1;
  double lpm_1 = 0, lpm_n = 0, attr_1 = 0, attr_n = 0, map_1 = 0, scan_1 = 0;
};

// Rounds of every measurement, keeping each one's best: a shared machine's
// noise then hits all of them alike.
Rates MeasureRates(const AttributionIndex& idx, const LookupSetup& s,
                   int threads, std::atomic<uint64_t>* sink) {
  const auto origin = [&](const net::IpAddress& a) -> uint64_t {
    return idx.prefixes().OriginAsn(a);
  };
  const auto attribute = [&](const net::IpAddress& a) -> uint64_t {
    const Attribution at = idx.Attribute(a);
    return at.origin_asn + at.country.size() + at.as_name.size();
  };
  const auto map_lookup = [&](const net::IpAddress& a) -> uint64_t {
    return s.map->Lookup(a);
  };
  const auto scan_lookup = [&](const net::IpAddress& a) -> uint64_t {
    return LinearScan(s.raw, a);
  };
  RateOnce(s.queries, threads, attribute, sink);  // Warm-up: fault in pages.
  Rates r;
  r.threads = threads;
  r.repeats = std::max(1, absl::GetFlag(FLAGS_repeats));
  for (int i = 0; i < r.repeats; ++i) {
    r.lpm_1 = std::max(r.lpm_1, RateOnce(s.queries, 1, origin, sink));
    r.lpm_n = std::max(r.lpm_n, RateOnce(s.queries, threads, origin, sink));
    r.attr_1 = std::max(r.attr_1, RateOnce(s.queries, 1, attribute, sink));
    r.attr_n =
        std::max(r.attr_n, RateOnce(s.queries, threads, attribute, sink));
    r.map_1 = std::max(r.map_1, RateOnce(s.map_queries, 1, map_lookup, sink));
    r.scan_1 =
        std::max(r.scan_1, RateOnce(s.scan_queries, 1, scan_lookup, sink));
  }
  return r;
}

// Agreement of the baseline with the table on the map sample.
size_t Disagreements(const AttributionIndex& idx, const LookupSetup& s) {
  size_t disagree = 0;
  for (const net::IpAddress& a : s.map_queries) {
    std::optional<PrefixOrigin> p = idx.prefixes().Lookup(a);
    const uint32_t first =
        p.has_value() && !p->origins.empty() ? p->origins[0] : 0;
    if (first != s.map->Lookup(a)) ++disagree;
  }
  return disagree;
}

// Coverage on the map sample: what an enriched record would carry.
struct Coverage {
  size_t routed = 0, with_origin = 0, with_name = 0;
  size_t by_source[4] = {0, 0, 0, 0};
  double share(size_t n) const {
    return routed == 0 ? 0.0 : 100.0 * static_cast<double>(n) / routed;
  }
};

Coverage MeasureCoverage(const AttributionIndex& idx, const LookupSetup& s) {
  Coverage c;
  for (const net::IpAddress& a : s.map_queries) {
    const Attribution at = idx.Attribute(a);
    if (!at.prefix.has_value()) continue;
    ++c.routed;
    if (at.origin_asn != 0) ++c.with_origin;
    if (!at.as_name.empty()) ++c.with_name;
    ++c.by_source[static_cast<int>(at.country_source)];
  }
  return c;
}

void PrintLoad(const DataPaths& d, const LookupSetup& s, const Rates& r,
               const LoadFigures& f, double target_load) {
  std::printf("data: %s\n", d.dir.c_str());
  std::printf(
      "machine: %u hardware threads, 1-min load average %s before "
      "this run's lookups (rates: best of %d runs)\n",
      std::thread::hardware_concurrency(), s.loadavg.c_str(), r.repeats);
  std::printf(
      "prefixes: v4 %zu (%zu intervals), v6 %zu (%zu intervals); "
      "table memory %.1f MiB\n",
      f.v4_size, f.v4_intervals, f.v6_size, f.v6_intervals,
      static_cast<double>(f.memory) / (1 << 20));
  std::printf("\nLOAD (median of %d)\n", f.runs);
  std::printf(
      "  raw read + gunzip (baseline)      %7.3f s   (%.1f MB of "
      "text)\n",
      f.raw_s, static_cast<double>(f.raw_bytes) / 1e6);
  std::printf(
      "  pfx2as v4+v6 tables               %7.3f s   target <= %.2f s"
      "   %.2fx of raw read, %.0f%% of target\n",
      f.load_s, target_load, f.load_s / f.raw_s, 100 * f.load_s / target_load);
  std::printf("  full index (+4 RIR files, names)  %7.3f s   (2 threads)\n",
              f.full_load_s);
}

void PrintLookups(const LookupSetup& s, const Rates& r, size_t disagree,
                  double target_rate) {
  std::printf(
      "\nLOOKUPS (%zu queries, half IPv6; half inside announced "
      "prefixes)\n",
      s.queries.size());
  std::printf("  LPM origin ASN, 1 thread          %7.2f M/s\n", r.lpm_1 / 1e6);
  std::printf(
      "  LPM origin ASN, %d threads         %7.2f M/s   target >= "
      "%.2f M/s   %.2fx target\n",
      r.threads, r.lpm_n / 1e6, target_rate / 1e6, r.lpm_n / target_rate);
  std::printf("  Attribute() full, 1 thread        %7.2f M/s\n",
              r.attr_1 / 1e6);
  std::printf(
      "  Attribute() full, %d threads       %7.2f M/s   (%.2fx the "
      "LPM target)\n",
      r.threads, r.attr_n / 1e6, r.attr_n / target_rate);
  std::printf(
      "  baseline std::map per length, 1t  %7.3f M/s   (built in "
      "%.2f s)  LPM is %.1fx faster\n",
      r.map_1 / 1e6, s.map_build_s, r.lpm_1 / r.map_1);
  std::printf(
      "  baseline linear scan, 1 thread    %7.5f M/s   LPM is %.0fx "
      "faster\n",
      r.scan_1 / 1e6, r.lpm_1 / r.scan_1);
  std::printf("  baseline disagreements            %zu of %zu\n", disagree,
              s.map_queries.size());
}

void PrintCoverage(const LookupSetup& s, const Coverage& c) {
  std::printf(
      "\nCOVERAGE (%zu routed of %zu sample queries)\n"
      "  origin AS known %.1f%%, AS name %.1f%%; country from: prefix "
      "delegation %.1f%%, origin ASN delegation %.1f%%, AS-names list "
      "%.1f%%, none %.1f%%\n",
      c.routed, s.map_queries.size(), c.share(c.with_origin),
      c.share(c.with_name), c.share(c.by_source[1]), c.share(c.by_source[2]),
      c.share(c.by_source[3]), c.share(c.by_source[0]));
}

void PrintResult(const LoadFigures& f, const Rates& r, size_t disagree, bool ok,
                 uint64_t sink) {
  std::printf(
      "\nRESULT load_s=%.3f raw_read_s=%.3f full_load_s=%.3f "
      "lpm_1t=%.0f lpm_%dt=%.0f attribute_1t=%.0f attribute_%dt=%.0f "
      "map_1t=%.0f scan_1t=%.0f disagree=%zu ok=%d sink=%llu\n",
      f.load_s, f.raw_s, f.full_load_s, r.lpm_1, r.threads, r.lpm_n, r.attr_1,
      r.threads, r.attr_n, r.map_1, r.scan_1, disagree, ok ? 1 : 0,
      static_cast<unsigned long long>(sink & 1));
}

int Run() {
  const DataPaths d = FindData();
  if (d.dir.empty()) return 2;
  log::SetMinLevel(log::Level::kWarn);
  LoadFigures load = TimeLoads(d, std::max(1, absl::GetFlag(FLAGS_load_runs)));
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> index =
      LoadIndex(d, load);
  if (!index.ok()) {
    std::fprintf(stderr, "enrich_bench: %s\n",
                 index.status().ToString().c_str());
    return 2;
  }
  const AttributionIndex& idx = **index;
  const LookupSetup setup = SetUpLookups(d);
  std::atomic<uint64_t> sink{0};
  const Rates rates = MeasureRates(
      idx, setup, std::max(1, absl::GetFlag(FLAGS_threads)), &sink);
  const size_t disagree = Disagreements(idx, setup);
  const Coverage coverage = MeasureCoverage(idx, setup);

  const double target_load = absl::GetFlag(FLAGS_target_load_seconds);
  const double target_rate = absl::GetFlag(FLAGS_target_lookups_per_second);
  PrintLoad(d, setup, rates, load, target_load);
  PrintLookups(setup, rates, disagree, target_rate);
  PrintCoverage(setup, coverage);
  // The targets are the tables' (load, LPM); Attribute() adds the RIR
  // table, the AS names and building the result, and is shown beside them.
  const bool ok =
      load.load_s <= target_load && rates.lpm_n >= target_rate && disagree == 0;
  PrintResult(load, rates, disagree, ok, sink.load());
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace v6scope::bench::enrich

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return v6scope::bench::enrich::Run();
}
