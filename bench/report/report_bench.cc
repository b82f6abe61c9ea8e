// National report benchmark (issue 17): how long one country's report
// takes on a collector holding a 30-country synthetic fleet with >= 10
// million stored test results and a synthetic public-service readiness
// campaign measured from every country, against the one API query it is
// built on (GetAggregates by country for the month), measured in the same
// run; then every report of `v6scope report region global --out=DIR`
// written at once. Target: <= 1 s per country report, figures and page
// (docs/benchmarks.md).
//
//   bench/report/run.sh [--probes=1200] [--days=30] [--runs_per_day=24]
//                       [--countries=30] [--campaign_domains=3000]
//                       [--dir=DIR]
//
// Exit status: 0 target met, 1 missed, 3 the benchmark failed (including
// a report whose readiness section is empty although its country was
// given campaign results: the figure would time nothing).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "collector/query/queries.h"
#include "collector/report/country_report.h"
#include "collector/report/report_answer.h"
#include "collector/report/report_html.h"
#include "collector/sample/synthetic_fleet.h"
#include "collector/sample/synthetic_readiness.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "common/fs/files.h"
#include "common/geo/countries.h"
#include "common/i18n/built_in_messages.h"
#include "common/time/clock.h"

ABSL_FLAG(int, probes, 1200, "probes of the fleet");
ABSL_FLAG(int, days, 30, "days of runs, ending now");
ABSL_FLAG(int, runs_per_day, 24, "runs per probe per day");
ABSL_FLAG(int, countries, 30, "countries (three networks each)");
ABSL_FLAG(int, campaign_domains, 3000,
          "domains of a synthetic readiness campaign, 2 rounds, measured by "
          "one probe in each network (0: no campaign)");
ABSL_FLAG(std::string, dir, "", "store folder (default: a fresh /tmp one)");

namespace v6scope::bench::report {
namespace {

constexpr double kTargetSeconds = 1.0;
// Three networks in each country: the readiness figures are published
// from k = 3 distinct networks (the collector's default), so with fewer
// every readiness cell would be withheld and the bench would time empty
// sections.
constexpr int kNetworksPerCountry = 3;
constexpr int kCampaignRounds = 2;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "report_bench: %s\n", what.c_str());
  std::exit(3);
}

// kNetworksPerCountry invented networks (private-use ASNs) in each of `n`
// countries taken across the table, so every ITU region has some;
// capability mixes vary.
std::vector<collector::sample::SyntheticNetwork> Networks(int n) {
  std::vector<collector::sample::SyntheticNetwork> networks;
  const auto all = geo::AllCountries();
  const size_t step = std::max<size_t>(1, all.size() / static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    const geo::CountryInfo& c =
        all[(static_cast<size_t>(i) * step) % all.size()];
    const double v6 = 0.1 + 0.8 * (i % 10) / 10.0;
    for (int j = 0; j < kNetworksPerCountry; ++j) {
      const int k = kNetworksPerCountry * i + j;
      networks.push_back({4'200'000'000u + static_cast<uint32_t>(k),
                          std::string(c.code), absl::StrCat("BENCH-NET-", k),
                          v6 * 0.7, v6 * 0.2, 0.05, 1.0 - v6 * 0.9 - 0.05,
                          0.0});
    }
  }
  return networks;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

// The distinct networks (ASNs) of each country among the campaign's
// probes: the countries that must have readiness rows in their report,
// published when they reach k.
using CampaignNetworks = std::map<std::string, std::set<uint32_t>>;

// Fails the bench when the country was given campaign results and its
// report has no readiness rows for the campaign's latest round, or none
// published although its networks reach k: otherwise the bench would
// time a report without its readiness section and call it fast. Returns
// the published readiness cells.
size_t CheckReadiness(const v6scope::v1::CountryReport& report,
                      const CampaignNetworks& measured,
                      const std::string& campaign_id) {
  const auto it = measured.find(report.country());
  if (it == measured.end()) return 0;
  const v6scope::v1::ReportCampaign* campaign = nullptr;
  for (const v6scope::v1::ReportCampaign& c : report.campaigns()) {
    if (c.campaign_id() == campaign_id) campaign = &c;
  }
  if (campaign == nullptr || campaign->cells_size() == 0) {
    Fail(absl::StrCat("the report of ", report.country(),
                      " has no readiness rows, though ", it->second.size(),
                      " of its networks measured campaign ", campaign_id));
  }
  if (campaign->round() != static_cast<uint32_t>(kCampaignRounds)) {
    Fail(absl::StrCat("the report of ", report.country(), " shows round ",
                      campaign->round(), " of campaign ", campaign_id,
                      ", not its latest (", kCampaignRounds, ")"));
  }
  if (it->second.size() < report.min_networks()) return 0;
  size_t published = 0;
  for (const v6scope::v1::ServiceShareCell& cell : campaign->cells()) {
    if (!cell.withheld() && cell.domains() > 0) ++published;
  }
  if (published == 0) {
    Fail(absl::StrCat("the report of ", report.country(),
                      " withholds every readiness cell, though ",
                      it->second.size(),
                      " networks (k = ", report.min_networks(),
                      ") measured campaign ", campaign_id));
  }
  if (kCampaignRounds > 1 && campaign->changes_size() == 0) {
    Fail(absl::StrCat("the report of ", report.country(),
                      " has no readiness changes between rounds of campaign ",
                      campaign_id));
  }
  return published;
}

struct Timings {
  std::vector<double> seconds;  // Per report.
  size_t bytes = 0;             // Of the pages.
};

// Every report `v6scope report region global --out=DIR` writes, made as
// the collector answers the CLI's GetRegionReport and GetCountryReport
// (report_answer.h) and written as the CLI writes them (DIR/CC.html,
// then DIR/index.html, each atomically): the same work on one machine
// without the gRPC round trips. Returns the per-country-page timings.
Timings WriteRegion(const collector::report::Reports& reports,
                    const std::string& out, const CampaignNetworks& measured,
                    const std::string& campaign_id, int* countries) {
  if (absl::Status s = fs::MakeDirs(out, 0755); !s.ok()) {
    Fail(std::string(s.message()));
  }
  v6scope::v1::RegionReportRequest request;
  request.set_region("global");
  request.set_html(true);
  request.set_country_link("{cc}.html");
  absl::StatusOr<v6scope::v1::RegionReportResponse> region =
      collector::report::AnswerRegionReport(reports, request);
  if (!region.ok()) Fail(std::string(region.status().message()));
  Timings timings;
  for (const auto& row : region->report().countries()) {
    const absl::Time t0 = absl::Now();
    v6scope::v1::CountryReportRequest country;
    country.set_country(row.country());
    // The month of the summary, even across midnight, as the CLI asks.
    country.set_period(region->report().period());
    country.set_html(true);
    absl::StatusOr<v6scope::v1::CountryReportResponse> answer =
        collector::report::AnswerCountryReport(reports, country);
    if (!answer.ok()) {
      Fail(absl::StrCat(row.country(), ": ", answer.status().message()));
    }
    if (absl::Status s = fs::WriteFileAtomically(
            absl::StrCat(out, "/", row.country(), ".html"), answer->html(),
            0644);
        !s.ok()) {
      Fail(std::string(s.message()));
    }
    timings.seconds.push_back(absl::ToDoubleSeconds(absl::Now() - t0));
    timings.bytes += answer->html().size();
    CheckReadiness(answer->report(), measured, campaign_id);
  }
  if (absl::Status s = fs::WriteFileAtomically(absl::StrCat(out, "/index.html"),
                                               region->html(), 0644);
      !s.ok()) {
    Fail(std::string(s.message()));
  }
  *countries = region->report().countries_size();
  return timings;
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
  const collector::sample::SyntheticFleet synthetic(fleet);
  absl::StatusOr<uint64_t> runs = synthetic.StoreAll(**store);
  if (!runs.ok()) Fail(std::string(runs.status().message()));
  std::printf(
      "store: %llu runs (%llu test results), %d probes, %zu "
      "countries, seeded in %.1f s; store in %s\n",
      static_cast<unsigned long long>(*runs),
      static_cast<unsigned long long>(*runs * 12), fleet.probes,
      fleet.networks.size() / kNetworksPerCountry,
      absl::ToDoubleSeconds(absl::Now() - seed_start), dir.c_str());

  // The campaign as `seed-store --campaign_domains=N` stores it, measured
  // by the fleet's first probes: one in each network (probe i is in
  // network i mod networks), which is what k asks for and keeps the
  // seeding to seconds rather than one result per domain, round and
  // probe of the whole fleet (the figures count networks, not probes).
  collector::sample::SyntheticCampaignOptions campaign;
  campaign.domains = absl::GetFlag(FLAGS_campaign_domains);
  campaign.rounds = kCampaignRounds;
  campaign.probes =
      std::min(fleet.probes, static_cast<int>(fleet.networks.size()));
  CampaignNetworks measured;
  if (campaign.domains > 0) {
    const absl::Time t0 = absl::Now();
    absl::StatusOr<uint64_t> results =
        collector::sample::StoreSyntheticCampaign(**store, synthetic, campaign);
    if (!results.ok()) Fail(std::string(results.status().message()));
    size_t networks = 0;
    for (int p = 0; p < campaign.probes; ++p) {
      const collector::sample::SyntheticNetwork& net = synthetic.NetworkOf(p);
      networks += measured[net.country].insert(net.asn).second ? 1 : 0;
    }
    std::printf(
        "campaign: %d domains x %d rounds, measured by %d probes in %zu "
        "networks of %zu countries: %llu readiness results, seeded in %.1f "
        "s\n",
        campaign.domains, campaign.rounds, campaign.probes, networks,
        measured.size(), static_cast<unsigned long long>(*results),
        absl::ToDoubleSeconds(absl::Now() - t0));
  }

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
  size_t cells = 0;
  const i18n::Lang langs[] = {i18n::Lang::kEn, i18n::Lang::kFr,
                              i18n::Lang::kAr};
  for (size_t i = 0; i < fleet.networks.size(); i += kNetworksPerCountry) {
    v6scope::v1::CountryReportRequest request;
    request.set_country(fleet.networks[i].country);
    const absl::Time t0 = absl::Now();
    auto report = reports.Build(request);
    if (!report.ok()) Fail(std::string(report.status().message()));
    const std::string html = collector::report::RenderCountryReportHtml(
        *report, **messages, langs[(i / kNetworksPerCountry) % 3]);
    seconds.push_back(absl::ToDoubleSeconds(absl::Now() - t0));
    bytes += html.size();
    if (!report->has_network()) {
      Fail(absl::StrCat("no network figures for ", request.country()));
    }
    cells += CheckReadiness(*report, measured, campaign.campaign_id);
  }
  v6scope::v1::RegionReportRequest region;
  region.set_region("global");
  const absl::Time r0 = absl::Now();
  auto global = reports.BuildRegion(region);
  if (!global.ok()) Fail(std::string(global.status().message()));
  const double region_seconds = absl::ToDoubleSeconds(absl::Now() - r0);

  // All reports in one go, as `v6scope report region global --out=DIR`.
  const std::string out = dir + "/region-global";
  int written = 0;
  const absl::Time a0 = absl::Now();
  const Timings all =
      WriteRegion(reports, out, measured, campaign.campaign_id, &written);
  const double all_seconds = absl::ToDoubleSeconds(absl::Now() - a0);

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
      "%zu KiB on average; %.0f published readiness cells a report\n",
      seconds.size(), median * 1e3, p95 * 1e3, max * 1e3, median / base,
      bytes / seconds.size() / 1024,
      static_cast<double>(cells) / static_cast<double>(seconds.size()));
  std::printf("region report (global, %d countries): %.1f ms\n",
              global->countries_size(), region_seconds * 1e3);
  const double all_median = Percentile(all.seconds, 0.5);
  const double all_max = Percentile(all.seconds, 1.0);
  std::printf(
      "all reports (region global --out=DIR): %d country pages + index, "
      "%zu KiB, in %.2f s; per country page (figures + page + file) median "
      "%.1f ms, p95 %.1f ms, max %.1f ms; %.1f x the baseline\n",
      written, all.bytes / 1024, all_seconds, all_median * 1e3,
      Percentile(all.seconds, 0.95) * 1e3, all_max * 1e3, all_median / base);
  const double worst = std::max(max, all_max);
  const bool met = worst <= kTargetSeconds;
  std::printf("target: <= %.1f s per country report: %s (max %.3f s)\n",
              kTargetSeconds, met ? "met" : "MISSED", worst);
  return met ? 0 : 1;
}

}  // namespace
}  // namespace v6scope::bench::report

int main(int argc, char** argv) {
  return v6scope::bench::report::Main(argc, argv);
}
