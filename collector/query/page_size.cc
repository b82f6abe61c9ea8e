#include "collector/query/page_size.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace v6scope::collector::query {

absl::StatusOr<uint32_t> PageSize(uint32_t requested) {
  if (requested == 0) return kDefaultPageSize;
  if (requested > kMaxPageSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: at most ", kMaxPageSize));
  }
  return requested;
}

}  // namespace v6scope::collector::query
