// The one page-size rule of the read path, shared by every listing so the
// gRPC QueryService and the HTTP API accept exactly the same pages.
#ifndef V6SCOPE_COLLECTOR_QUERY_PAGE_SIZE_H_
#define V6SCOPE_COLLECTOR_QUERY_PAGE_SIZE_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace v6scope::collector::query {

inline constexpr uint32_t kDefaultPageSize = 100;
inline constexpr uint32_t kMaxPageSize = 1000;

// 0 means kDefaultPageSize; above kMaxPageSize is INVALID_ARGUMENT
// ("page_size: at most 1000").
absl::StatusOr<uint32_t> PageSize(uint32_t requested);

}  // namespace v6scope::collector::query

#endif  // V6SCOPE_COLLECTOR_QUERY_PAGE_SIZE_H_
