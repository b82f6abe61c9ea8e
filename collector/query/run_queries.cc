#include "collector/query/run_queries.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "collector/query/page_size.h"

namespace v6scope::collector::query {
namespace {

// Without TimestampToMicroseconds, whose arithmetic overflows for a
// client's out-of-range Timestamp: absl::Time saturates instead, and an
// export bound past either end just includes or excludes everything.
absl::Time FromProto(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

store::ExportFilter ToExportFilter(
    const v6scope::v1::ExportRunsRequest& request) {
  store::ExportFilter filter;
  if (request.has_since()) filter.since = FromProto(request.since());
  if (request.has_until()) filter.until = FromProto(request.until());
  filter.probe_id = request.probe_id();
  filter.country = request.country();
  filter.asn = request.asn();
  return filter;
}

// How many of `runs` (from the first) fit kMaxPageBytes; at least one, so
// a listing always moves on.
size_t RunsThatFit(const std::vector<v6scope::v1::StoredRun>& runs) {
  size_t bytes = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    bytes += runs[i].ByteSizeLong() + 4;  // 4: field tag and length.
    if (bytes > kMaxPageBytes) return i == 0 ? 1 : i;
  }
  return runs.size();
}

}  // namespace

absl::StatusOr<std::vector<v6scope::v1::StoredRun>> RunExport::Next() {
  if (done_) return std::vector<v6scope::v1::StoredRun>();
  absl::StatusOr<store::ExportPage> page =
      store_->ExportRuns(filter_, after_, kExportSlice);
  if (!page.ok()) return page.status();
  after_ = page->cursor;
  // An empty slice ends the export even if the store did not say so.
  done_ = page->done || page->runs.empty();
  return std::move(page->runs);
}

absl::StatusOr<v6scope::v1::ListRunsResponse> RunQueries::ListRuns(
    const v6scope::v1::ListRunsRequest& request) const {
  absl::StatusOr<uint32_t> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  store::RunFilter filter;
  filter.probe_id = request.probe_id();
  absl::StatusOr<store::RunPage> page =
      store_->ListRuns(filter, *page_size, request.page_token());
  // A page over kMaxPageBytes is read again with fewer runs, so the store
  // makes the token that continues after the last one kept. The size
  // shrinks each time, so this ends (at one run, which always fits).
  for (size_t fit;
       page.ok() && (fit = RunsThatFit(page->runs)) < page->runs.size();) {
    page = store_->ListRuns(filter, static_cast<uint32_t>(fit),
                            request.page_token());
  }
  if (absl::IsInvalidArgument(page.status())) {
    // The store rejects only what the caller controls beyond page_size.
    return absl::InvalidArgumentError(
        absl::StrCat("page_token: ", page.status().message()));
  }
  if (!page.ok()) return page.status();
  v6scope::v1::ListRunsResponse response;
  for (v6scope::v1::StoredRun& run : page->runs) {
    *response.add_runs() = std::move(run);
  }
  response.set_next_page_token(page->next_page_token);
  return response;
}

RunExport RunQueries::Export(
    const v6scope::v1::ExportRunsRequest& request) const {
  return RunExport(store_, ToExportFilter(request));
}

}  // namespace v6scope::collector::query
