// Query parameters (HTTP query strings, CLI flags) to request messages, one
// parser for both so the HTTP API and the CLI accept exactly the same
// words. Errors name the parameter and say what is expected.
//
//   group_by  country | asn | rir | itu_region (itu) | dev_group (dev) |
//             global                                  (default country)
//   window    day | week | month                      (default day)
//   at        RFC 3339 time or YYYY-MM-DD (UTC)       (default now)
//   windows   1..366: time series ending with `at`'s window
//   since, until   RFC 3339 or YYYY-MM-DD: runs started in [since, until)
//   country   ISO 3166-1 alpha-2;  asn  number (AS prefix allowed)
//   region    a group slug: africa, europe, ldc, sids, ripencc, ...
//   methodology  a verdict methodology version (1, 2): only probes whose
//             latest verdict in the window has it     (default every one)
//   probe_id, page_size, page_token, format (csv | jsonl)
#ifndef V6SCOPE_API_REQUEST_PARAMS_H_
#define V6SCOPE_API_REQUEST_PARAMS_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "proto/query_service.pb.h"

namespace v6scope::api {

using Params = std::map<std::string, std::string>;

// Parameters other than these are INVALID_ARGUMENT ("unknown parameter").
// `format` is accepted (and ignored) by both: exports take it.
absl::StatusOr<v6scope::v1::AggregatesRequest> ParseAggregatesRequest(
    const Params& params);
absl::StatusOr<v6scope::v1::ExportRunsRequest> ParseExportRunsRequest(
    const Params& params);

// "2026-11-29" (midnight UTC) or RFC 3339 ("2026-11-29T10:00:00Z").
absl::StatusOr<absl::Time> ParseTimeParam(absl::string_view name,
                                          absl::string_view value);

// Canonical names as the parser accepts them ("country", "day").
std::string GroupByName(v6scope::v1::GroupBy group_by);
std::string WindowName(v6scope::v1::WindowKind window);

}  // namespace v6scope::api

#endif  // V6SCOPE_API_REQUEST_PARAMS_H_
