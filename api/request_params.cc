#include "api/request_params.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"

namespace v6scope::api {
namespace {

using ::google::protobuf::util::TimeUtil;

absl::Status CheckKnown(const Params& params,
                        const std::set<std::string>& known) {
  for (const auto& [name, value] : params) {
    if (known.count(name) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown parameter '", name, "'"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<uint32_t> ParseUint(const std::string& name,
                                   absl::string_view value) {
  uint32_t n = 0;
  if (!absl::SimpleAtoi(value, &n)) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, ": expected a non-negative number, got '", value, "'"));
  }
  return n;
}

absl::StatusOr<uint32_t> ParseAsn(absl::string_view value) {
  absl::string_view digits = value;
  if (!absl::ConsumePrefix(&digits, "AS")) absl::ConsumePrefix(&digits, "as");
  uint32_t asn = 0;
  if (!absl::SimpleAtoi(digits, &asn) || asn == 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "asn: expected an AS number such as 13335, got '", value, "'"));
  }
  return asn;
}

absl::StatusOr<std::string> ParseCountry(absl::string_view value) {
  const std::string upper = absl::AsciiStrToUpper(value);
  if (upper.size() != 2 || !absl::ascii_isalpha(upper[0]) ||
      !absl::ascii_isalpha(upper[1])) {
    return absl::InvalidArgumentError(absl::StrCat(
        "country: expected an ISO 3166-1 alpha-2 code such as KE, got '", value,
        "'"));
  }
  return upper;
}

// The country and asn filters, common to both requests.
template <typename Request>
absl::Status SetNetworkFilter(const std::string& name, absl::string_view value,
                              Request* request) {
  if (name == "country") {
    absl::StatusOr<std::string> country = ParseCountry(value);
    if (!country.ok()) return country.status();
    request->set_country(*country);
    return absl::OkStatus();
  }
  absl::StatusOr<uint32_t> asn = ParseAsn(value);
  if (!asn.ok()) return asn.status();
  request->set_asn(*asn);
  return absl::OkStatus();
}

// A methodology version as verdicts carry it: a decimal number without a
// leading zero ("1", "2"); empty for every version. Which numbers exist is
// the collector's to say (it answers INVALID_ARGUMENT for an unknown one).
absl::StatusOr<std::string> ParseMethodology(absl::string_view value) {
  const bool number = !value.empty() && value.size() <= 16 && value[0] != '0' &&
                      std::all_of(value.begin(), value.end(), [](char c) {
                        return absl::ascii_isdigit(c);
                      });
  if (!value.empty() && !number) {
    return absl::InvalidArgumentError(absl::StrCat(
        "methodology: expected a methodology version such as 2 (empty for "
        "every version), got '",
        value, "'"));
  }
  return std::string(value);
}

google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

}  // namespace

absl::StatusOr<absl::Time> ParseTimeParam(absl::string_view name,
                                          absl::string_view value) {
  absl::Time t;
  std::string error;
  if (absl::ParseTime("%Y-%m-%d", value, absl::UTCTimeZone(), &t, &error) ||
      absl::ParseTime(absl::RFC3339_full, value, absl::UTCTimeZone(), &t,
                      &error)) {
    // Every time parameter becomes a google.protobuf.Timestamp, whose range
    // is 0001-01-01..9999-12-31: outside it the conversion would abort.
    if (t < absl::FromUnixSeconds(TimeUtil::kTimestampMinSeconds) ||
        t > absl::FromUnixSeconds(TimeUtil::kTimestampMaxSeconds)) {
      return absl::InvalidArgumentError(absl::StrCat(
          name, ": must be between 0001-01-01 and 9999-12-31, got '", value,
          "'"));
    }
    return t;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      name, ": expected YYYY-MM-DD or an RFC 3339 time, got '", value, "'"));
}

std::string GroupByName(v6scope::v1::GroupBy group_by) {
  if (group_by == v6scope::v1::GROUP_BY_UNSPECIFIED) return "country";
  return absl::AsciiStrToLower(v6scope::v1::GroupBy_Name(group_by));
}

std::string WindowName(v6scope::v1::WindowKind window) {
  if (window == v6scope::v1::WINDOW_KIND_UNSPECIFIED) return "day";
  return absl::AsciiStrToLower(v6scope::v1::WindowKind_Name(window));
}

absl::StatusOr<v6scope::v1::AggregatesRequest> ParseAggregatesRequest(
    const Params& params) {
  absl::Status known = CheckKnown(
      params, {"group_by", "window", "at", "windows", "country", "asn",
               "region", "methodology", "page_size", "page_token", "format"});
  if (!known.ok()) return known;
  v6scope::v1::AggregatesRequest request;
  for (const auto& [name, value] : params) {
    if (name == "group_by") {
      std::string upper = absl::AsciiStrToUpper(value);
      if (upper == "ITU") upper = "ITU_REGION";
      if (upper == "DEV") upper = "DEV_GROUP";
      v6scope::v1::GroupBy group_by;
      if (!v6scope::v1::GroupBy_Parse(upper, &group_by) ||
          group_by == v6scope::v1::GROUP_BY_UNSPECIFIED) {
        return absl::InvalidArgumentError(absl::StrCat(
            "group_by: expected country, asn, rir, itu_region, dev_group or "
            "global, got '",
            value, "'"));
      }
      request.set_group_by(group_by);
    } else if (name == "window") {
      v6scope::v1::WindowKind window;
      if (!v6scope::v1::WindowKind_Parse(absl::AsciiStrToUpper(value),
                                         &window) ||
          window == v6scope::v1::WINDOW_KIND_UNSPECIFIED) {
        return absl::InvalidArgumentError(absl::StrCat(
            "window: expected day, week or month, got '", value, "'"));
      }
      request.set_window(window);
    } else if (name == "at") {
      absl::StatusOr<absl::Time> at = ParseTimeParam(name, value);
      if (!at.ok()) return at.status();
      *request.mutable_at() = ToTimestamp(*at);
    } else if (name == "windows" || name == "page_size") {
      absl::StatusOr<uint32_t> n = ParseUint(name, value);
      if (!n.ok()) return n.status();
      name == "windows" ? request.set_windows(*n) : request.set_page_size(*n);
    } else if (name == "country" || name == "asn") {
      absl::Status set = SetNetworkFilter(name, value, &request);
      if (!set.ok()) return set;
    } else if (name == "region") {
      request.set_region(absl::AsciiStrToLower(value));
    } else if (name == "methodology") {
      absl::StatusOr<std::string> methodology = ParseMethodology(value);
      if (!methodology.ok()) return methodology.status();
      request.set_methodology(*methodology);
    } else if (name == "page_token") {
      request.set_page_token(value);
    }
  }
  return request;
}

absl::StatusOr<v6scope::v1::ExportRunsRequest> ParseExportRunsRequest(
    const Params& params) {
  absl::Status known = CheckKnown(
      params, {"since", "until", "country", "asn", "probe_id", "format"});
  if (!known.ok()) return known;
  v6scope::v1::ExportRunsRequest request;
  for (const auto& [name, value] : params) {
    if (name == "since" || name == "until") {
      absl::StatusOr<absl::Time> t = ParseTimeParam(name, value);
      if (!t.ok()) return t.status();
      *(name == "since" ? request.mutable_since() : request.mutable_until()) =
          ToTimestamp(*t);
    } else if (name == "country" || name == "asn") {
      absl::Status set = SetNetworkFilter(name, value, &request);
      if (!set.ok()) return set;
    } else if (name == "probe_id") {
      request.set_probe_id(value);
    }
  }
  return request;
}

}  // namespace v6scope::api
