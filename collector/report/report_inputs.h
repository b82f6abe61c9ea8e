// What both report builders (country_report.cc, region_report.cc) need
// from the queries and the calendar: every page of an aggregates answer,
// and the month as timestamps.
#ifndef V6SCOPE_COLLECTOR_REPORT_REPORT_INPUTS_H_
#define V6SCOPE_COLLECTOR_REPORT_REPORT_INPUTS_H_

#include <google/protobuf/timestamp.pb.h>

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "collector/query/aggregate_queries.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::report {

// Every group of `request`, page after page (1,000 a page). With `meta`,
// also the answer's other fields (k, methodology, datasets: the same on
// every page), its groups left empty.
absl::StatusOr<std::vector<v6scope::v1::GroupAggregate>> AllGroups(
    const query::AggregateQueries& aggregates,
    v6scope::v1::AggregatesRequest request,
    v6scope::v1::AggregatesResponse* meta = nullptr);

// Midnight UTC of the first day of `month`.
absl::Time MonthStart(absl::CivilMonth month);

google::protobuf::Timestamp TimestampOf(absl::Time t);

}  // namespace v6scope::collector::report

#endif  // V6SCOPE_COLLECTOR_REPORT_REPORT_INPUTS_H_
