#include "collector/http/targets.h"

#include <algorithm>
#include <array>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "collector/http/byte_range.h"

namespace v6scope::collector::http {
namespace {

using ::v6scope::http::BodyReader;
using ::v6scope::http::Request;
using ::v6scope::http::Response;
using ::v6scope::http::Route;

constexpr size_t kPatternBytes = 64 * 1024;
constexpr char kOctetStream[] = "application/octet-stream";

using Pattern = std::array<char, kPatternBytes>;

// Built once, never freed, shared read-only by every server thread.
const Pattern& ObjectPattern() {
  static const Pattern* const pattern = [] {
    auto* p = new Pattern;
    uint32_t x = 0x76367363;  // xorshift32: any non-zero seed, fixed forever.
    for (char& c : *p) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      c = static_cast<char>(x >> 24);
    }
    return p;
  }();
  return *pattern;
}

Response NoStore() {
  Response response;
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Response ServeWhoAmI(const Request& request) {
  Response response = NoStore();
  response.content_type = "text/plain";
  response.body = request.peer;
  return response;
}

// `length` bytes of the object from `first`, read one piece of the shared
// pattern at a time, so an object costs no memory per request.
std::shared_ptr<BodyReader> ObjectReader(uint64_t first, uint64_t length) {
  auto reader = std::make_shared<BodyReader>();
  reader->size = static_cast<int64_t>(length);
  reader->read = [first, length](uint64_t offset, char* buf,
                                 size_t max) -> absl::StatusOr<size_t> {
    const uint64_t at = first + offset;
    const size_t start = static_cast<size_t>(at % kPatternBytes);
    const size_t n = static_cast<size_t>(
        std::min<uint64_t>({length - offset, max, kPatternBytes - start}));
    std::copy_n(ObjectPattern().data() + start, n, buf);
    return n;
  };
  return reader;
}

// The object of `size` bytes, whole or the one range asked for.
Response ServeObject(const Request& request, uint64_t size) {
  Response response = NoStore();
  response.content_type = kOctetStream;
  response.headers.emplace_back("Accept-Ranges", "bytes");
  const ByteRange range = ParseByteRange(request.Header("Range"), size);
  switch (range.kind) {
    case ByteRange::Kind::kWhole:
      response.stream = ObjectReader(0, size);
      break;
    case ByteRange::Kind::kPartial:
      response.status = 206;
      response.headers.emplace_back("Content-Range", ContentRange(range, size));
      response.stream = ObjectReader(range.first, range.length);
      break;
    case ByteRange::Kind::kUnsatisfiable:
      response.status = 416;
      response.headers.emplace_back("Content-Range", ContentRange(range, size));
      break;
  }
  return response;
}

}  // namespace

std::string ObjectBytes(uint64_t offset, size_t length) {
  const Pattern& pattern = ObjectPattern();
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    const size_t start = (offset + out.size()) % kPatternBytes;
    const size_t n = std::min(length - out.size(), kPatternBytes - start);
    out.append(pattern.data() + start, n);
  }
  return out;
}

std::vector<Route> TargetRoutes(const TargetOptions& options) {
  const uint64_t large_bytes = options.large_object_bytes;
  return {
      Route{kWhoAmIPath, {"GET"}, ServeWhoAmI},
      Route{kSmallPath,
            {"GET"},
            [](const Request& r) { return ServeObject(r, kSmallObjectBytes); }},
      Route{kLargePath,
            {"GET"},
            [large_bytes](const Request& r) {
              return ServeObject(r, large_bytes);
            }},
  };
}

}  // namespace v6scope::collector::http
