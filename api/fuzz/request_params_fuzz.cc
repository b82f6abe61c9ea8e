// Fuzzes the researchers' query parameters: the input is a query string
// ("group_by=asn&window=week&at=2026-11-29"), split into the key=value map
// the HTTP layer hands over, then parsed as both request kinds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "api/request_params.h"

namespace v6scope::api::fuzz {
namespace {

Params Split(absl::string_view query) {
  Params params;
  for (absl::string_view pair : absl::StrSplit(query, '&')) {
    std::pair<std::string, std::string> kv =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    params.insert(std::move(kv));  // The first of a repeated key wins.
  }
  return params;
}

void FuzzParams(const uint8_t* data, size_t size) {
  const absl::string_view query(reinterpret_cast<const char*>(data), size);
  const Params params = Split(query);
  absl::StatusOr<v6scope::v1::AggregatesRequest> aggregates =
      ParseAggregatesRequest(params);
  if (aggregates.ok()) {
    (void)GroupByName(aggregates->group_by());
    (void)WindowName(aggregates->window());
  }
  (void)ParseExportRunsRequest(params);
  (void)ParseTimeParam("at", query);
}

}  // namespace
}  // namespace v6scope::api::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v6scope::api::fuzz::FuzzParams(data, size);
  return 0;
}
