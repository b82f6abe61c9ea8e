// RunReader: the store's role on the read path for raw runs: listing them
// page by page and exporting them in bounded slices.
#ifndef V6SCOPE_COLLECTOR_STORE_RUN_READER_H_
#define V6SCOPE_COLLECTOR_STORE_RUN_READER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::store {

struct RunFilter {
  std::string probe_id;  // Empty: all probes.
};

// A page of runs, newest first (by received order).
struct RunPage {
  std::vector<v6scope::v1::StoredRun> runs;
  std::string next_page_token;  // Empty on the last page.
};

// Which raw runs to export. A run's time is RunTime() (started, else
// received).
struct ExportFilter {
  absl::Time since = absl::InfinitePast();    // Inclusive.
  absl::Time until = absl::InfiniteFuture();  // Exclusive.
  std::string probe_id;                       // Empty: all.
  std::string country;                        // Attributed country; empty: all.
  uint32_t asn = 0;                           // Attributed ASN; 0: all.
};

// One slice of an export, in arrival order.
struct ExportPage {
  std::vector<v6scope::v1::StoredRun> runs;
  // Pass as `after` for the next slice; meaningless when `done`.
  int64_t cursor = 0;
  bool done = false;
};

// Thread-safe (as every role of store.h).
class RunReader {
 public:
  virtual ~RunReader() = default;

  // page_size 1..1000; page_token from a previous page or empty.
  // INVALID_ARGUMENT for a malformed page token.
  virtual absl::StatusOr<RunPage> ListRuns(const RunFilter& filter,
                                           uint32_t page_size,
                                           const std::string& page_token) = 0;

  // Up to `limit` (1..10000) runs matching `filter` with arrival position
  // after `after` (0: from the start), oldest first. Memory is bounded by
  // `limit` whatever the size of the store.
  virtual absl::StatusOr<ExportPage> ExportRuns(const ExportFilter& filter,
                                                int64_t after,
                                                uint32_t limit) = 0;
};

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_RUN_READER_H_
