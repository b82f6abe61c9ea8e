// The collector's built-in test targets: the paths a TargetSet names
// (who-am-I, small and large objects), so a single machine can run probes
// against the collector itself instead of an nginx + nsd deployment.
//
//   GET|HEAD /whoami   200 text/plain: the client's address, nothing else
//   GET|HEAD /small    200 application/octet-stream, kSmallObjectBytes
//   GET|HEAD /large    200 application/octet-stream, large_object_bytes,
//                      streamed from a shared pattern (no per-request copy)
//
// The objects take one Range (collector/http/byte_range.h: 206 or 416,
// several ranges are ignored). Every target response carries
// Cache-Control: no-store: a cache between probe and target would answer
// in its place and falsify the measurement. Object bodies are
// deterministic (see ObjectBytes), typed as octet-stream and never
// compressed: the large object exists to send full-size packets (path-MTU
// black holes). Handlers are thread-safe.
#ifndef V6SCOPE_COLLECTOR_HTTP_TARGETS_H_
#define V6SCOPE_COLLECTOR_HTTP_TARGETS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/http/mhd_server.h"

namespace v6scope::collector::http {

inline constexpr char kWhoAmIPath[] = "/whoami";
inline constexpr char kSmallPath[] = "/small";
inline constexpr char kLargePath[] = "/large";

// Under the 2 KB a TargetSet promises, so it fits one packet on any path.
inline constexpr size_t kSmallObjectBytes = 1024;
// Large enough for a path-MTU black hole to stall the transfer, small
// enough to fetch often (about 1.5 MB, as TargetSet documents).
inline constexpr uint64_t kDefaultLargeObjectBytes = 1'500'000;
inline constexpr uint64_t kMaxLargeObjectBytes = 64ull << 20;

struct TargetOptions {
  // Size of /large, 1..kMaxLargeObjectBytes.
  uint64_t large_object_bytes = kDefaultLargeObjectBytes;
};

// The routes above.
std::vector<v6scope::http::Route> TargetRoutes(const TargetOptions& options);

// `length` bytes of the object content starting at `offset`: /small is
// ObjectBytes(0, kSmallObjectBytes) and /large ObjectBytes(0, size), so a
// client can check what it received. The content is a fixed 64 KiB
// pseudo-random block repeated (not compressible by deflate's window).
std::string ObjectBytes(uint64_t offset, size_t length);

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_TARGETS_H_
