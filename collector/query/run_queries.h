// The stored runs: paged listings (newest first) and exports read slice by
// slice (oldest first), so no caller ever holds more than a slice.
#ifndef V6SCOPE_COLLECTOR_QUERY_RUN_QUERIES_H_
#define V6SCOPE_COLLECTOR_QUERY_RUN_QUERIES_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "collector/store/run_reader.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::query {

// Runs per store read of an export (and per gRPC message of ExportRuns).
inline constexpr uint32_t kExportSlice = 500;

// A ListRuns page holds at most page_size runs and stops before its runs
// pass this many bytes serialized; next_page_token continues after the
// last run it holds. Why 3 MiB: a response must fit the 4 MiB gRPC message
// limit (common/rpc/channel.h kMaxMessageBytes, the server's send and the
// clients' receive limit). A stored run is at most 64 KiB (ingest's
// kMaxStoredRunBytes) plus its StoredRun envelope (probe_id <= 64 bytes,
// seq, received_at: < 100 bytes) and 4 bytes of field framing, so the page
// is at most 3 MiB + one run (< 3.07 MiB) + the token (< 32 bytes): under
// 4 MiB with room to spare, and it holds at least 47 runs of the largest
// size (3 MiB / 65.6 KiB) or all 1000 of typical 2..3 KiB runs. A run
// stored before the rule (larger than 64 KiB) still comes alone in its own
// page, which fits as long as it is under 4 MiB, the upload limit.
inline constexpr size_t kMaxPageBytes = 3 << 20;

// One export in progress: the request's runs, a slice per Next().
class RunExport {
 public:
  // The next slice, oldest first; empty once done().
  absl::StatusOr<std::vector<v6scope::v1::StoredRun>> Next();
  bool done() const { return done_; }

 private:
  friend class RunQueries;
  RunExport(store::RunReader* store, store::ExportFilter filter)
      : store_(store), filter_(std::move(filter)) {}

  store::RunReader* store_;
  store::ExportFilter filter_;
  int64_t after_ = 0;
  bool done_ = false;
};

class RunQueries {
 public:
  // `store` must outlive this object and every RunExport. Thread-safe.
  explicit RunQueries(store::RunReader* store) : store_(store) {}

  // page_size per PageSize (page_size.h), and at most kMaxPageBytes;
  // INVALID_ARGUMENT names page_size or page_token.
  absl::StatusOr<v6scope::v1::ListRunsResponse> ListRuns(
      const v6scope::v1::ListRunsRequest& request) const;

  RunExport Export(const v6scope::v1::ExportRunsRequest& request) const;

 private:
  store::RunReader* const store_;
};

}  // namespace v6scope::collector::query

#endif  // V6SCOPE_COLLECTOR_QUERY_RUN_QUERIES_H_
