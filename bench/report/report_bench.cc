// National report benchmark (issue 17): how long one country's report
// takes on a collector holding a 30-country synthetic fleet with >= 10
// million stored test results, against the one API query it is built on
// (GetAggregates by country for the month), measured in the same run.
// Target: <= 1 s per country report, figures and page (docs/benchmarks.md).
//
//   bench/report/run.sh [--probes=1200] [--days=30] [--runs_per_day=24]
//                       [--countries=30] [--dir=DIR]
//
// Exit status: 0 target met, 1 missed, 3 the benchmark failed.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "collector/query/queries.h"
#include "collector/report/country_report.h"
#include "collector/report/report_html.h"
#include "collector/sample/synthetic_fleet.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "common/geo/countries.h"
#include "common/i18n/built_in_messages.h"
#include "common/time/clock.h"

ABSL_FLAG(int, probes, 1200, "probes of the fleet");
ABSL_FLAG(int, days, 30, "days of runs, ending now");
ABSL_FLAG(int, runs_per_day, 24, "runs per probe per day");
ABSL_FLAG(int, countries, 30, "countries (two networks each)");
ABSL_FLAG(std::string, dir, "", "store folder (default: a fresh /tmp one)");

namespace v6scope::bench::report {
namespace {

constexpr double kTargetSeconds = 1.0;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "report_bench: %s\n", what.c_str());
  std::exit(3);
}

// Two invented networks (private-use ASNs) in each of `n` countries taken
// across the table, so every ITU region has some; capability mixes vary.
std::vector<collector::sample::SyntheticNetwork> Networks(int n) {
  std::vector<collector::sample::SyntheticNetwork> networks;
  const auto all = geo::AllCountries();
  const size_t step = std::max<size_t>(1, all.size() / static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const geo::CountryInfo& c =
        all[(static_cast<size_t>(i) * step) % all.size()];
    const double v6 = 0.1 + 0.8 * (i % 10) / 10.0;
    for (int j = 0; j < 2; ++j) {
      networks.push_back({4'200'000'000u + static_cast<uint32_t>(2 * i + j),
                          std::string(c.code),
                          absl::StrCat("BENCH-NET-", 2 * i + j), v6 * 0.7,
                          v6 * 0.2, 0.05, 1.0 - v6 * 0.9 - 0.05, 0.0});
    }
  }
  return networks;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

int Main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::string dir = absl::GetFlag(FLAGS_dir);
  if (dir.empty()) {
    char tmpl[] = "/tmp/report-bench-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) Fail("cannot make a temporary folder");
    dir = tmpl;
  }
  auto store = collector::store::sqlite::SqliteStore::Open(dir + "/v6scope.db");
  if (!store.ok()) Fail(std::string(store.status().message()));

  collector::sample::SyntheticFleetOptions fleet;
  fleet.probes = absl::GetFlag(FLAGS_probes);
  fleet.days = absl::GetFlag(FLAGS_days);
  fleet.runs_per_day = absl::GetFlag(FLAGS_runs_per_day);
  fleet.end = absl::Now();
  fleet.networks = Networks(absl::GetFlag(FLAGS_countries));
  const absl::Time seed_start = absl::Now();
  absl::StatusOr<uint64_t> runs =
      collector::sample::SyntheticFleet(fleet).StoreAll(**store);
  if (!runs.ok()) Fail(std::string(runs.status().message()));
  std::printf(
      "store: %llu runs (%llu test results), %d probes, %zu "
      "countries, seeded in %.1f s; store in %s\n",
      static_cast<unsigned long long>(*runs),
      static_cast<unsigned long long>(*runs * 12), fleet.probes,
      fleet.networks.size() / 2,
      absl::ToDoubleSeconds(absl::Now() - seed_start), dir.c_str());

  const time::Clock& clock = *time::RealClock::Get();
  collector::query::Queries queries(store->get(), nullptr, &clock,
                                    /*min_probes=*/3, store->get());
  collector::report::Reports reports(&queries, store->get(), nullptr, &clock);
  absl::StatusOr<const i18n::Messages*> messages = i18n::BuiltInMessages();
  if (!messages.ok()) Fail(std::string(messages.status().message()));

  // Baseline: the API query every report builds on, all countries at once.
  std::vector<double> baseline;
  for (int i = 0; i < 5; ++i) {
    v6scope::v1::AggregatesRequest request;
    request.set_group_by(v6scope::v1::COUNTRY);
    request.set_window(v6scope::v1::MONTH);
    const absl::Time t0 = absl::Now();
    auto answer = queries.aggregates().Aggregates(request);
    if (!answer.ok()) Fail(std::string(answer.status().message()));
    baseline.push_back(absl::ToDoubleSeconds(absl::Now() - t0));
  }
  const double base = Percentile(baseline, 0.5);

  std::vector<double> seconds;
  size_t bytes = 0;
  const i18n::Lang langs[] = {i18n::Lang::kEn, i18n::Lang::kFr,
                              i18n::Lang::kAr};
  for (size_t i = 0; i < fleet.networks.size(); i += 2) {
    v6scope::v1::CountryReportRequest request;
    request.set_country(fleet.networks[i].country);
    const absl::Time t0 = absl::Now();
    auto report = reports.Build(request);
    if (!report.ok()) Fail(std::string(report.status().message()));
    const std::string html = collector::report::RenderCountryReportHtml(
        *report, **messages, langs[(i / 2) % 3]);
    seconds.push_back(absl::ToDoubleSeconds(absl::Now() - t0));
    bytes += html.size();
    if (!report->has_network()) {
      Fail(absl::StrCat("no network figures for ", request.country()));
    }
  }
  v6scope::v1::RegionReportRequest region;
  region.set_region("global");
  const absl::Time r0 = absl::Now();
  auto global = reports.BuildRegion(region);
  if (!global.ok()) Fail(std::string(global.status().message()));
  const double region_seconds = absl::ToDoubleSeconds(absl::Now() - r0);

  const double median = Percentile(seconds, 0.5);
  const double p95 = Percentile(seconds, 0.95);
  const double max = Percentile(seconds, 1.0);
  std::printf(
      "baseline: GetAggregates(country, month), all countries: "
      "%.1f ms (median of 5)\n",
      base * 1e3);
  std::printf(
      "country report (figures + page), %zu countries: median %.1f "
      "ms, p95 %.1f ms, max %.1f ms; %.1f x the baseline; pages "
      "%zu KiB on average\n",
      seconds.size(), median * 1e3, p95 * 1e3, max * 1e3, median / base,
      bytes / seconds.size() / 1024);
  std::printf("region report (global, %d countries): %.1f ms\n",
              global->countries_size(), region_seconds * 1e3);
  const bool met = max <= kTargetSeconds;
  std::printf("target: <= %.1f s per country report: %s (max %.3f s)\n",
              kTargetSeconds, met ? "met" : "MISSED", max);
  return met ? 0 : 1;
}

}  // namespace
}  // namespace v6scope::bench::report

int main(int argc, char** argv) {
  return v6scope::bench::report::Main(argc, argv);
}
