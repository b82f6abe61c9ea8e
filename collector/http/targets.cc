#include "collector/http/targets.h"

#include <algorithm>
#include <array>

#include "common/http/http_server.h"

namespace v6scope::collector::http {
namespace {

constexpr size_t kPatternBytes = 64 * 1024;
constexpr char kOctetStream[] = "application/octet-stream";

using Pattern = std::array<char, kPatternBytes>;

// Built once, never freed, shared read-only by every worker thread.
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

void SetNoStore(httplib::Response& response) {
  response.set_header("Cache-Control", "no-store");
}

void ServeWhoAmI(const httplib::Request& request, httplib::Response& response) {
  SetNoStore(response);
  response.set_content(v6scope::http::PeerAddress(request.remote_addr),
                       "text/plain");
}

void ServeHealth(const httplib::Request&, httplib::Response& response) {
  SetNoStore(response);
  response.set_content("ok", "text/plain");
}

void ServeSmall(const httplib::Request&, httplib::Response& response) {
  static const std::string* const body =
      new std::string(ObjectBytes(0, kSmallObjectBytes));
  SetNoStore(response);
  response.set_content(*body, kOctetStream);
}

// httplib calls this until `length` bytes from `offset` are written (also
// for Range requests), one piece of the shared pattern at a time, so a
// large object costs no memory per request.
bool WriteObjectPiece(size_t offset, size_t length, httplib::DataSink& sink) {
  const size_t start = offset % kPatternBytes;
  const size_t n = std::min(length, kPatternBytes - start);
  return sink.write(ObjectPattern().data() + start, n);
}

void ServeLarge(uint64_t size, httplib::Response& response) {
  SetNoStore(response);
  response.set_content_provider(static_cast<size_t>(size), kOctetStream,
                                WriteObjectPiece);
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

void RegisterTargets(const TargetOptions& options, httplib::Server& server) {
  const uint64_t large_bytes = options.large_object_bytes;
  server.Get(kWhoAmIPath, ServeWhoAmI);
  server.Get(kSmallPath, ServeSmall);
  server.Get(kLargePath,
             [large_bytes](const httplib::Request&, httplib::Response& res) {
               ServeLarge(large_bytes, res);
             });
  server.Get(kHealthPath, ServeHealth);
}

}  // namespace v6scope::collector::http
