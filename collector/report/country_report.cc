#include "collector/report/country_report.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "collector/campaign/rounds.h"
#include "collector/enrich/allocation_history.h"
#include "collector/report/report_inputs.h"
#include "common/geo/countries.h"
#include "common/geo/standing.h"

namespace v6scope::collector::report {
namespace {

using v6scope::v1::CountryReport;
using v6scope::v1::GroupAggregate;

uint32_t AsnOf(const GroupAggregate& g) {
  uint32_t asn = 0;
  return absl::SimpleAtoi(g.key(), &asn) ? asn : 0;
}

void AddStanding(absl::string_view cc, absl::string_view metric,
                 const geo::CountryValues& values, CountryReport* report) {
  v6scope::v1::ReportStanding* out = report->add_standings();
  out->set_metric(std::string(metric));
  const std::optional<geo::CountryStanding> standing =
      geo::StandingOf(cc, values);
  if (!standing.has_value()) return;
  out->set_value(standing->value);
  for (const geo::GroupStanding& g : standing->groups) {
    v6scope::v1::ReportGroupStanding* group = out->add_groups();
    group->set_group(g.group);
    group->set_rank(static_cast<uint32_t>(g.rank));
    group->set_members(static_cast<uint32_t>(g.members));
    group->set_median(g.median);
  }
}

}  // namespace

absl::StatusOr<absl::CivilMonth> ParsePeriod(absl::string_view period,
                                             absl::Time now) {
  const absl::CivilMonth this_month =
      absl::ToCivilMonth(now, absl::UTCTimeZone());
  if (period.empty()) return this_month;
  absl::CivilMonth month;
  if (period.size() != 7 || period[4] != '-' ||
      !absl::ParseCivilTime(period, &month)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "period: expected a month as YYYY-MM, got '", period, "'"));
  }
  if (month > this_month) {
    return absl::InvalidArgumentError(
        absl::StrCat("period: ", period, " has not begun (this month is ",
                     absl::FormatCivilTime(this_month), ")"));
  }
  return month;
}

Reports::Reports(const query::Queries* queries, store::CampaignStore* campaigns,
                 const enrich::AttributionHolder* attribution,
                 const time::Clock* clock)
    : queries_(queries),
      campaigns_(campaigns),
      attribution_(attribution),
      clock_(clock) {}

absl::StatusOr<CountryReport> Reports::Build(
    const v6scope::v1::CountryReportRequest& request) const {
  const std::string cc = absl::AsciiStrToUpper(request.country());
  const geo::CountryInfo* country = geo::FindCountry(cc);
  if (country == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("country: expected an ISO 3166-1 alpha-2 code, got '",
                     request.country(), "'"));
  }
  const absl::Time now = clock_->Now();
  absl::StatusOr<absl::CivilMonth> month = ParsePeriod(request.period(), now);
  if (!month.ok()) return month.status();

  CountryReport report;
  report.set_country(cc);
  report.set_country_name(std::string(country->name));
  if (country->itu != geo::ItuRegion::kUnknown) {
    report.set_itu_region(std::string(geo::ItuRegionName(country->itu)));
  }
  for (const char* group : {"ldc", "lldc", "sids"}) {
    if (geo::CountryInGroup(*country, group)) report.add_groups(group);
  }
  report.set_period(absl::FormatCivilTime(*month));
  *report.mutable_period_start() = TimestampOf(MonthStart(*month));
  *report.mutable_period_end() = TimestampOf(MonthStart(*month + 1));
  *report.mutable_generated_at() = TimestampOf(now);

  if (absl::Status s = AddAllocations(&report); !s.ok()) return s;
  if (absl::Status s = AddNetworks(*month, &report); !s.ok()) return s;
  if (absl::Status s = AddCampaigns(*month, &report); !s.ok()) return s;
  if (absl::Status s = AddStandings(*month, &report); !s.ok()) return s;
  return report;
}

absl::Status Reports::AddAllocations(CountryReport* report) const {
  v6scope::v1::ListAllocationsRequest request;
  request.set_country(report->country());
  request.set_history(true);
  absl::StatusOr<v6scope::v1::ListAllocationsResponse> answer =
      queries_->aggregates().Allocations(request);
  if (!answer.ok()) return answer.status();
  if (answer->allocations_size() > 0) {
    *report->mutable_allocations() = answer->allocations(0);
  }
  if (answer->series_size() > 0) {
    *report->mutable_allocation_series() = answer->series(0);
  }
  for (const std::string& note : answer->notes()) {
    report->add_allocation_notes(note);
  }
  report->set_datasets(answer->datasets());
  *report->mutable_attribution_data() = answer->attribution_data();
  return absl::OkStatus();
}

absl::Status Reports::AddNetworks(absl::CivilMonth month,
                                  CountryReport* report) const {
  v6scope::v1::AggregatesRequest request;
  request.set_group_by(v6scope::v1::COUNTRY);
  request.set_window(v6scope::v1::MONTH);
  *request.mutable_at() = TimestampOf(MonthStart(month));
  request.set_windows(2);
  request.set_country(report->country());
  absl::StatusOr<v6scope::v1::AggregatesResponse> country =
      queries_->aggregates().Aggregates(request);
  if (!country.ok()) return country.status();
  const int64_t start = absl::ToUnixSeconds(MonthStart(month));
  for (const GroupAggregate& g : country->groups()) {
    if (g.key() != report->country()) continue;
    if (g.window_start().seconds() == start) {
      *report->mutable_network() = g;
    } else {
      *report->mutable_previous_network() = g;
    }
  }
  report->set_min_probes(country->min_probes());
  report->set_methodology_version(country->methodology_version());

  request.set_group_by(v6scope::v1::ASN);
  request.set_windows(1);
  absl::StatusOr<std::vector<GroupAggregate>> networks =
      AllGroups(queries_->aggregates(), request);
  if (!networks.ok()) return networks.status();
  report->set_networks_measured(static_cast<uint32_t>(networks->size()));
  std::sort(networks->begin(), networks->end(),
            [](const GroupAggregate& a, const GroupAggregate& b) {
              if (a.probes() != b.probes()) return a.probes() > b.probes();
              return AsnOf(a) < AsnOf(b);
            });
  if (networks->size() > static_cast<size_t>(kLargestNetworks)) {
    networks->resize(kLargestNetworks);
  }
  for (GroupAggregate& g : *networks) {
    *report->add_largest_networks() = std::move(g);
  }
  return absl::OkStatus();
}

absl::StatusOr<v6scope::v1::ServiceSharesResponse> Reports::SharesAsOf(
    const v6scope::v1::Campaign& campaign, const std::string& country,
    absl::Time cutoff) const {
  const uint32_t begun = campaign::CurrentRound(campaign, cutoff);
  if (begun == 0) return v6scope::v1::ServiceSharesResponse();  // Round 0.
  v6scope::v1::ServiceSharesRequest request;
  request.set_campaign_id(campaign.id());
  request.set_country(country);
  return queries_->readiness().SharesUpTo(request, begun);
}

absl::Status Reports::AddCampaigns(absl::CivilMonth month,
                                   CountryReport* report) const {
  report->set_min_networks(queries_->readiness().min_networks());
  if (campaigns_ == nullptr) return absl::OkStatus();
  // Deleted campaigns too: deleting stops the work, the results stay.
  absl::StatusOr<std::vector<v6scope::v1::Campaign>> campaigns =
      campaigns_->ListCampaigns(/*include_deleted=*/true);
  if (!campaigns.ok()) return campaigns.status();
  // A report of a month shows each campaign's latest round begun by the
  // month's end (the current month: by now), not a later one.
  const absl::Time cutoff =
      std::min(MonthStart(month + 1), clock_->Now()) - absl::Nanoseconds(1);
  for (const v6scope::v1::Campaign& campaign : *campaigns) {
    absl::StatusOr<v6scope::v1::ServiceSharesResponse> shares =
        SharesAsOf(campaign, report->country(), cutoff);
    if (absl::IsUnavailable(shares.status())) return absl::OkStatus();
    if (!shares.ok()) return shares.status();
    if (shares->round() == 0 || shares->cells_size() == 0) continue;
    report->set_readiness_methodology_version(shares->methodology_version());
    v6scope::v1::ReportCampaign* out = report->add_campaigns();
    out->set_campaign_id(campaign.id());
    out->set_name(campaign.name());
    out->set_round(shares->round());
    for (v6scope::v1::ServiceShareCell& cell : *shares->mutable_cells()) {
      *out->add_cells() = std::move(cell);
    }
    v6scope::v1::ServiceChangesRequest changes_request;
    changes_request.set_campaign_id(campaign.id());
    changes_request.set_to_round(out->round());
    changes_request.set_country(report->country());
    absl::StatusOr<v6scope::v1::ServiceChangesResponse> changes =
        queries_->readiness().Changes(changes_request);
    if (!changes.ok()) return changes.status();
    for (const v6scope::v1::ServiceChangeRecord& r : changes->changes()) {
      if (r.country() != report->country()) continue;
      v6scope::v1::ReportServiceChange* change = out->add_changes();
      change->set_service(r.service());
      change->set_previous_round(r.previous_round());
      change->set_compared(r.compared());
      change->set_gained(static_cast<uint32_t>(r.gained_size()));
      change->set_lost(static_cast<uint32_t>(r.lost_size()));
    }
  }
  return absl::OkStatus();
}

absl::Status Reports::AddStandings(absl::CivilMonth month,
                                   CountryReport* report) const {
  // IPv6-capable share: published countries only (a withheld country is
  // unknown, not zero).
  v6scope::v1::AggregatesRequest request;
  request.set_group_by(v6scope::v1::COUNTRY);
  request.set_window(v6scope::v1::MONTH);
  *request.mutable_at() = TimestampOf(MonthStart(month));
  absl::StatusOr<std::vector<GroupAggregate>> countries =
      AllGroups(queries_->aggregates(), request);
  if (!countries.ok()) return countries.status();
  geo::CountryValues capable;
  for (const GroupAggregate& g : *countries) {
    if (g.insufficient_data() || g.measured_probes() == 0) continue;
    capable[g.key()] = g.v6_capable().value();
  }
  AddStanding(report->country(), "v6_capable", capable, report);

  std::shared_ptr<const enrich::AttributionIndex> index =
      attribution_ == nullptr ? nullptr : attribution_->Current();
  geo::CountryValues space;
  if (index != nullptr) {
    space = enrich::AllocationMetricValues(
        index->allocation_history(),
        enrich::AllocationMetric::kV6Slash32Equivalents);
  }
  AddStanding(report->country(), "slash32_equivalents", space, report);
  return absl::OkStatus();
}

}  // namespace v6scope::collector::report
