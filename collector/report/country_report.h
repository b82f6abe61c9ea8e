// The national IPv6 progress report of one country, and the summary of a
// region's (docs/reports.md): RIR
// allocations, measured network capability and public-service readiness
// on one page, for one calendar month.
//
// Every figure is taken from the answer of the query the API serves for
// it (query::Queries: ListAllocations, GetAggregates, GetServiceShares,
// GetServiceChanges), never recomputed here, so a report and the API can
// never disagree; only the choice of rows (the largest networks, the
// country's place among its peers) is the report's own.
#ifndef V6SCOPE_COLLECTOR_REPORT_COUNTRY_REPORT_H_
#define V6SCOPE_COLLECTOR_REPORT_COUNTRY_REPORT_H_

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "collector/enrich/attribution.h"
#include "collector/query/queries.h"
#include "collector/store/campaign_store.h"
#include "common/time/clock.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::report {

// At most this many networks in the report's table of largest networks.
inline constexpr int kLargestNetworks = 10;

// "2026-11" → that month. INVALID_ARGUMENT naming the period when it is
// not YYYY-MM or lies after the month of `now` (nothing measured yet).
absl::StatusOr<absl::CivilMonth> ParsePeriod(absl::string_view period,
                                             absl::Time now);

class Reports {
 public:
  // `campaigns` and `attribution` may be null (no readiness section, no
  // allocations and no allocation standing). Everything must outlive this
  // object. Thread-safe.
  Reports(const query::Queries* queries, store::CampaignStore* campaigns,
          const enrich::AttributionHolder* attribution,
          const time::Clock* clock);

  // INVALID_ARGUMENT names the field at fault (country, period); errors of
  // the queries are passed on. `request.lang` and `request.html` are the
  // renderer's (report_html.h) and are ignored here.
  absl::StatusOr<v6scope::v1::CountryReport> Build(
      const v6scope::v1::CountryReportRequest& request) const;

  // The summary of a region's reports (region_report.cc): every member
  // country's network aggregate and allocations of the month, and the
  // region's own aggregate. INVALID_ARGUMENT names the field at fault
  // (region, period).
  absl::StatusOr<v6scope::v1::RegionReport> BuildRegion(
      const v6scope::v1::RegionReportRequest& request) const;

 private:
  absl::Status AddAllocations(v6scope::v1::CountryReport* report) const;
  absl::Status AddNetworks(absl::CivilMonth month,
                           v6scope::v1::CountryReport* report) const;
  absl::Status AddCampaigns(absl::CivilMonth month,
                            v6scope::v1::CountryReport* report) const;
  // The campaign's shares for `country` in its latest round begun by
  // `cutoff` that has rows (round 0 and no cells: none).
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> SharesAsOf(
      const v6scope::v1::Campaign& campaign, const std::string& country,
      absl::Time cutoff) const;
  absl::Status AddStandings(absl::CivilMonth month,
                            v6scope::v1::CountryReport* report) const;

  const query::Queries* const queries_;
  store::CampaignStore* const campaigns_;
  const enrich::AttributionHolder* const attribution_;
  const time::Clock* const clock_;
};

}  // namespace v6scope::collector::report

#endif  // V6SCOPE_COLLECTOR_REPORT_COUNTRY_REPORT_H_
