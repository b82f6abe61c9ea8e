#include "collector/query/aggregate_queries.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "collector/aggregate/aggregator.h"
#include "collector/aggregate/window.h"
#include "collector/enrich/allocation_history.h"
#include "collector/query/attribution_data.h"
#include "collector/query/page_size.h"
#include "methodology/observation.h"

namespace v6scope::collector::query {
namespace {

using ::google::protobuf::util::TimeUtil;

constexpr uint32_t kMaxWindows = 366;
constexpr char kPageTokenPrefix[] = "g1:";

std::string EncodePageToken(size_t offset) {
  return absl::WebSafeBase64Escape(absl::StrCat(kPageTokenPrefix, offset));
}

absl::StatusOr<size_t> DecodePageToken(const std::string& token) {
  if (token.empty()) return 0;
  std::string decoded;
  absl::string_view rest;
  size_t offset = 0;
  if (absl::WebSafeBase64Unescape(token, &decoded)) {
    rest = decoded;
    if (absl::ConsumePrefix(&rest, kPageTokenPrefix) &&
        absl::SimpleAtoi(rest, &offset)) {
      return offset;
    }
  }
  return absl::InvalidArgumentError("page_token: malformed");
}

std::string IsoDate(int32_t yyyymmdd) {
  if (yyyymmdd <= 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", yyyymmdd / 10000,
                         yyyymmdd / 100 % 100, yyyymmdd % 100);
}

v6scope::v1::AllocationSeries SeriesProto(
    const enrich::CountryAllocationHistory& h) {
  v6scope::v1::AllocationSeries series;
  series.set_country(h.cc);
  series.set_v6_undated(static_cast<uint32_t>(h.v6_undated));
  for (const enrich::AllocationPeriod& p : h.by_year) {
    v6scope::v1::AllocationYear* year = series.add_years();
    year->set_year(p.period);
    year->set_v6_delegations(static_cast<uint32_t>(p.v6_delegations));
    year->set_slash32_equivalents(p.v6_space.Slash32Equivalents());
    year->set_v6_delegations_total(
        static_cast<uint32_t>(p.v6_delegations_total));
    year->set_slash32_equivalents_total(p.v6_space_total.Slash32Equivalents());
    year->set_asn_delegations(static_cast<uint32_t>(p.asn_delegations));
    year->set_asn_delegations_total(
        static_cast<uint32_t>(p.asn_delegations_total));
  }
  return series;
}

v6scope::v1::CountryAllocations ToProto(const enrich::AllocationContext& a) {
  v6scope::v1::CountryAllocations p;
  p.set_country(a.cc);
  p.set_delegations(a.delegations);
  p.set_slash32_equivalents(a.slash32_equivalents);
  p.set_first_date(IsoDate(a.first_date));
  p.set_latest_date(IsoDate(a.latest_date));
  return p;
}

aggregate::WindowKind FromProto(v6scope::v1::WindowKind kind) {
  switch (kind) {
    case v6scope::v1::WEEK:
      return aggregate::WindowKind::kWeek;
    case v6scope::v1::MONTH:
      return aggregate::WindowKind::kMonth;
    default:
      return aggregate::WindowKind::kDay;
  }
}

// What Aggregates takes from a request once its fields are checked.
struct CheckedRequest {
  uint32_t windows = 1;
  uint32_t page_size = kDefaultPageSize;
  size_t offset = 0;
  std::string country;  // Upper case; empty: all.
  uint32_t asn = 0;
};

absl::StatusOr<CheckedRequest> Check(
    const v6scope::v1::AggregatesRequest& request) {
  if (!v6scope::v1::GroupBy_IsValid(request.group_by())) {
    return absl::InvalidArgumentError("group_by: unknown value");
  }
  if (!v6scope::v1::WindowKind_IsValid(request.window())) {
    return absl::InvalidArgumentError("window: unknown value");
  }
  // `at` becomes microseconds and window bounds in Timestamps: outside
  // the Timestamp range (0001-01-01..9999-12-31) that would overflow.
  if (request.has_at() &&
      (request.at().seconds() < TimeUtil::kTimestampMinSeconds ||
       request.at().seconds() > TimeUtil::kTimestampMaxSeconds ||
       request.at().nanos() < 0 || request.at().nanos() > 999'999'999)) {
    return absl::InvalidArgumentError(
        "at: must be a time between 0001-01-01 and 9999-12-31");
  }
  CheckedRequest checked;
  checked.windows = request.windows() == 0 ? 1 : request.windows();
  if (checked.windows > kMaxWindows) {
    return absl::InvalidArgumentError(
        absl::StrCat("windows: at most ", kMaxWindows));
  }
  absl::StatusOr<uint32_t> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  checked.page_size = *page_size;
  absl::StatusOr<size_t> offset = DecodePageToken(request.page_token());
  if (!offset.ok()) return offset.status();
  checked.offset = *offset;
  checked.country = absl::AsciiStrToUpper(request.country());
  if (!checked.country.empty() && checked.country.size() != 2) {
    return absl::InvalidArgumentError(
        "country: an ISO 3166-1 alpha-2 code such as KE");
  }
  checked.asn = request.asn();
  return checked;
}

// The aggregation of a checked request; AS names and allocation context
// come from `index` when there is one.
aggregate::AggregateOptions Options(
    const v6scope::v1::AggregatesRequest& request,
    const std::shared_ptr<const enrich::AttributionIndex>& index,
    uint32_t min_probes) {
  aggregate::AggregateOptions options;
  options.group_by = request.group_by() == v6scope::v1::GROUP_BY_UNSPECIFIED
                         ? v6scope::v1::COUNTRY
                         : request.group_by();
  options.window = FromProto(request.window());
  options.min_probes = min_probes;
  options.region = absl::AsciiStrToLower(request.region());
  options.methodology = request.methodology();
  if (index != nullptr) {
    options.as_name = [index](uint32_t asn) { return index->AsName(asn); };
    options.allocations = [index](const std::string& cc)
        -> std::optional<v6scope::v1::CountryAllocations> {
      std::optional<enrich::AllocationContext> a = index->Allocation(cc);
      if (!a.has_value()) return std::nullopt;
      return ToProto(*a);
    };
  }
  return options;
}

// The rollup rows of the `windows` windows of `kind` ending with the one
// that holds `at`.
store::ProbeWindowQuery RollupQuery(const CheckedRequest& checked,
                                    aggregate::WindowKind kind, absl::Time at) {
  const absl::Time last = aggregate::WindowStart(kind, at);
  absl::Time first = last;
  for (uint32_t i = 1; i < checked.windows; ++i) {
    first = aggregate::PreviousWindowStart(kind, first);
  }
  store::ProbeWindowQuery query;
  query.kind = kind;
  query.from = first;
  query.to = aggregate::WindowEnd(kind, last);
  query.country = checked.country;
  query.asn = checked.asn;
  return query;
}

// What the registry says beside the rollups: which probes are sample
// data, and the newest run of any probe.
struct ProbeMarks {
  absl::flat_hash_set<std::string> synthetic;
  std::optional<absl::Time> latest_run_at;
};

absl::StatusOr<ProbeMarks> ReadProbeMarks(store::ProbeRegistry& registry) {
  absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>> probes =
      registry.ListProbes();
  if (!probes.ok()) return probes.status();
  ProbeMarks marks;
  for (const v6scope::v1::ProbeSummary& p : *probes) {
    if (p.synthetic()) marks.synthetic.insert(p.probe_id());
    if (!p.has_last_run_at()) continue;
    const absl::Time last = absl::FromUnixMicros(
        TimeUtil::TimestampToMicroseconds(p.last_run_at()));
    if (!marks.latest_run_at.has_value() || last > *marks.latest_run_at) {
      marks.latest_run_at = last;
    }
  }
  return marks;
}

// Groups [offset, offset + page_size) into `response`, with the token of
// the next page when there is one.
void AddPage(std::vector<v6scope::v1::GroupAggregate> groups, size_t offset,
             uint32_t page_size, v6scope::v1::AggregatesResponse& response) {
  const size_t begin = std::min(offset, groups.size());
  const size_t end = std::min(groups.size(), begin + page_size);
  for (size_t i = begin; i < end; ++i) {
    *response.add_groups() = std::move(groups[i]);
  }
  if (end < groups.size()) response.set_next_page_token(EncodePageToken(end));
}

}  // namespace

std::string MethodologyVersion() {
  // The newest verdict version the collector aggregates; older ones are
  // counted as they were stored (never recomputed), which the sentence
  // says and methodology_versions quantifies per group.
  const std::vector<std::string>& known =
      methodology::KnownMethodologyVersions();
  const std::vector<std::string> older(known.begin(), known.end() - 1);
  std::string version = absl::StrCat("verdict ", known.back());
  if (!older.empty()) {
    absl::StrAppend(&version, " (counted probes may carry older verdicts: ",
                    absl::StrJoin(older, ", "), "; see methodology_versions)");
  }
  absl::StrAppend(&version, ", aggregation ", aggregate::kAggregationVersion);
  return version;
}

AggregateQueries::AggregateQueries(store::RollupStore* store,
                                   store::ProbeRegistry* registry,
                                   const enrich::AttributionHolder* attribution,
                                   const time::Clock* clock,
                                   uint32_t min_probes)
    : store_(store),
      registry_(registry),
      attribution_(attribution),
      clock_(clock),
      min_probes_(min_probes) {}

std::string AggregateQueries::datasets() const {
  if (attribution_ == nullptr) return "none";
  return attribution_->Current()->version();
}

absl::StatusOr<v6scope::v1::AggregatesResponse> AggregateQueries::Aggregates(
    const v6scope::v1::AggregatesRequest& request) const {
  absl::StatusOr<CheckedRequest> checked = Check(request);
  if (!checked.ok()) return checked.status();
  std::shared_ptr<const enrich::AttributionIndex> index =
      attribution_ == nullptr ? nullptr : attribution_->Current();
  absl::StatusOr<ProbeMarks> marks = ReadProbeMarks(*registry_);
  if (!marks.ok()) return marks.status();
  aggregate::AggregateOptions options = Options(request, index, min_probes_);
  if (!marks->synthetic.empty()) {
    options.synthetic = [&marks](const std::string& probe_id) {
      return marks->synthetic.contains(probe_id);
    };
  }
  const absl::Time at =
      request.has_at() ? absl::FromUnixMicros(
                             TimeUtil::TimestampToMicroseconds(request.at()))
                       : clock_->Now();
  absl::StatusOr<std::vector<aggregate::ProbeWindow>> rows =
      store_->ListProbeWindows(RollupQuery(*checked, options.window, at));
  if (!rows.ok()) return rows.status();
  absl::StatusOr<std::vector<v6scope::v1::GroupAggregate>> groups =
      aggregate::Aggregate(*rows, options);
  if (!groups.ok()) return groups.status();

  v6scope::v1::AggregatesResponse response;
  response.set_min_probes(min_probes_);
  response.set_methodology_version(MethodologyVersion());
  response.set_datasets(index == nullptr ? "none" : index->version());
  *response.mutable_attribution_data() = DescribeAttributionData(index.get());
  if (marks->latest_run_at.has_value()) {
    *response.mutable_latest_run_at() = TimeUtil::MicrosecondsToTimestamp(
        absl::ToUnixMicros(*marks->latest_run_at));
  }
  if (options.group_by == v6scope::v1::COUNTRY) {
    for (v6scope::v1::GroupAggregate& group : *groups) {
      group.set_allocations_note(MissingRegistryNote(index.get(), group.key()));
    }
  }
  AddPage(*std::move(groups), checked->offset, checked->page_size, response);
  return response;
}

absl::StatusOr<v6scope::v1::ListAllocationsResponse>
AggregateQueries::Allocations(
    const v6scope::v1::ListAllocationsRequest& request) const {
  v6scope::v1::ListAllocationsResponse response;
  std::shared_ptr<const enrich::AttributionIndex> index =
      attribution_ == nullptr ? nullptr : attribution_->Current();
  response.set_datasets(index == nullptr ? "none" : index->version());
  *response.mutable_attribution_data() = DescribeAttributionData(index.get());
  const std::string country = absl::AsciiStrToUpper(request.country());
  for (std::string& note : AllocationNotes(index.get(), country)) {
    response.add_notes(std::move(note));
  }
  if (index == nullptr) return response;
  for (const enrich::AllocationContext& a : index->allocations()) {
    if (!country.empty() && a.cc != country) continue;
    *response.add_allocations() = ToProto(a);
  }
  if (!request.history()) return response;
  for (const enrich::CountryAllocationHistory& h :
       index->allocation_history().countries) {
    if (!country.empty() && h.cc != country) continue;
    *response.add_series() = SeriesProto(h);
  }
  return response;
}

}  // namespace v6scope::collector::query
