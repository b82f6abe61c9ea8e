#include "collector/report/report_inputs.h"

#include <google/protobuf/util/time_util.h>

#include <utility>

namespace v6scope::collector::report {

absl::StatusOr<std::vector<v6scope::v1::GroupAggregate>> AllGroups(
    const query::AggregateQueries& aggregates,
    v6scope::v1::AggregatesRequest request,
    v6scope::v1::AggregatesResponse* meta) {
  std::vector<v6scope::v1::GroupAggregate> groups;
  request.set_page_size(1000);
  for (;;) {
    absl::StatusOr<v6scope::v1::AggregatesResponse> page =
        aggregates.Aggregates(request);
    if (!page.ok()) return page.status();
    for (v6scope::v1::GroupAggregate& g : *page->mutable_groups()) {
      groups.push_back(std::move(g));
    }
    if (page->next_page_token().empty()) {
      if (meta != nullptr) {
        page->clear_groups();
        *meta = *std::move(page);
      }
      return groups;
    }
    request.set_page_token(page->next_page_token());
  }
}

absl::Time MonthStart(absl::CivilMonth month) {
  return absl::FromCivil(absl::CivilSecond(month), absl::UTCTimeZone());
}

google::protobuf::Timestamp TimestampOf(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(t));
}

}  // namespace v6scope::collector::report
