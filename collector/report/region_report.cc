// Reports::BuildRegion: the summary page of a region's national reports.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "collector/query/attribution_data.h"
#include "collector/report/country_report.h"
#include "collector/report/report_inputs.h"
#include "common/geo/countries.h"

namespace v6scope::collector::report {
namespace {

// How aggregates group the region as one: by its kind of slug.
std::optional<v6scope::v1::GroupBy> GroupByOf(absl::string_view slug) {
  if (slug == "global") return v6scope::v1::GLOBAL;
  if (slug == "ldc" || slug == "lldc" || slug == "sids") {
    return v6scope::v1::DEV_GROUP;
  }
  if (geo::ParseItuRegion(slug).has_value()) return v6scope::v1::ITU_REGION;
  if (geo::ParseRir(slug).has_value()) return v6scope::v1::RIR;
  return std::nullopt;
}

}  // namespace

absl::StatusOr<v6scope::v1::RegionReport> Reports::BuildRegion(
    const v6scope::v1::RegionReportRequest& request) const {
  const std::string slug = absl::AsciiStrToLower(request.region());
  const std::optional<v6scope::v1::GroupBy> group_by = GroupByOf(slug);
  if (!group_by.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "region: expected an ITU region (africa, americas, arab-states, "
        "asia-pacific, cis, europe), ldc, lldc, sids, an RIR or global, "
        "got '",
        request.region(), "'"));
  }
  const absl::Time now = clock_->Now();
  absl::StatusOr<absl::CivilMonth> month = ParsePeriod(request.period(), now);
  if (!month.ok()) return month.status();

  v6scope::v1::RegionReport report;
  report.set_region(slug);
  report.set_period(absl::FormatCivilTime(*month));
  *report.mutable_period_start() = TimestampOf(MonthStart(*month));
  *report.mutable_period_end() = TimestampOf(MonthStart(*month + 1));
  *report.mutable_generated_at() = TimestampOf(now);

  v6scope::v1::AggregatesRequest aggregates;
  aggregates.set_window(v6scope::v1::MONTH);
  *aggregates.mutable_at() = TimestampOf(MonthStart(*month));
  aggregates.set_region(slug);
  aggregates.set_group_by(*group_by);
  absl::StatusOr<std::vector<v6scope::v1::GroupAggregate>> whole =
      AllGroups(queries_->aggregates(), aggregates);
  if (!whole.ok()) return whole.status();
  for (v6scope::v1::GroupAggregate& g : *whole) {
    if (g.key() == slug) *report.mutable_network() = std::move(g);
  }

  aggregates.set_group_by(v6scope::v1::COUNTRY);
  v6scope::v1::AggregatesResponse meta;
  absl::StatusOr<std::vector<v6scope::v1::GroupAggregate>> countries =
      AllGroups(queries_->aggregates(), aggregates, &meta);
  if (!countries.ok()) return countries.status();
  report.set_min_probes(meta.min_probes());
  report.set_methodology_version(meta.methodology_version());
  std::map<std::string, v6scope::v1::GroupAggregate> by_country;
  for (v6scope::v1::GroupAggregate& g : *countries) {
    by_country[g.key()] = std::move(g);
  }

  absl::StatusOr<v6scope::v1::ListAllocationsResponse> allocations =
      queries_->aggregates().Allocations({});
  if (!allocations.ok()) return allocations.status();
  report.set_datasets(allocations->datasets());
  std::map<std::string, const v6scope::v1::CountryAllocations*> allocated;
  for (const auto& a : allocations->allocations()) allocated[a.country()] = &a;

  std::shared_ptr<const enrich::AttributionIndex> index =
      attribution_ == nullptr ? nullptr : attribution_->Current();
  for (const geo::CountryInfo& country : geo::AllCountries()) {
    if (!geo::CountryInGroup(country, slug)) continue;
    v6scope::v1::RegionCountryRow* row = report.add_countries();
    row->set_country(std::string(country.code));
    row->set_country_name(std::string(country.name));
    auto measured = by_country.find(row->country());
    if (measured != by_country.end()) {
      *row->mutable_network() = std::move(measured->second);
      row->mutable_network()->clear_allocations();
      row->mutable_network()->clear_allocations_note();
    }
    auto a = allocated.find(row->country());
    if (a != allocated.end()) *row->mutable_allocations() = *a->second;
    row->set_allocations_note(
        query::MissingRegistryNote(index.get(), row->country()));
  }
  return report;
}

}  // namespace v6scope::collector::report
