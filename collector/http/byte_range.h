// The Range header of the built-in objects (/small, /large), deliberately
// narrow: one range, never a byte beyond the object.
//
//   bytes=a-b, bytes=a-, bytes=-n   one satisfiable range: 206 with
//                                   Content-Range: bytes first-last/SIZE and
//                                   exactly that many bytes (b past the end
//                                   is cut to the end; n past the size is
//                                   the whole object)
//   a at or past the end, -0        416 with Content-Range: bytes */SIZE
//   several ranges ("0-1,5-9")      ignored: 200 with the whole object, so
//                                   100 ranges cost what one fetch does
//                                   (RFC 9110 lets a server ignore Range)
//   anything else (another unit,    ignored as well: 200, whole object
//   b < a, not numbers)
#ifndef V6SCOPE_COLLECTOR_HTTP_BYTE_RANGE_H_
#define V6SCOPE_COLLECTOR_HTTP_BYTE_RANGE_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace v6scope::collector::http {

struct ByteRange {
  enum class Kind { kWhole, kPartial, kUnsatisfiable };
  Kind kind = Kind::kWhole;
  // For kPartial: the first byte and how many (at least 1, first + length
  // at most the object's size).
  uint64_t first = 0;
  uint64_t length = 0;
};

// What to serve of an object of `size` bytes for this Range header value
// (null: no header).
ByteRange ParseByteRange(const std::string* header, uint64_t size);

// "bytes 0-99/1500000" for kPartial, "bytes */1500000" otherwise.
std::string ContentRange(const ByteRange& range, uint64_t size);

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_BYTE_RANGE_H_
