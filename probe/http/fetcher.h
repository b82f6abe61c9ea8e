// Fetcher: what the capability suite needs from an HTTP client: fetches
// started on the loop thread and completed later on it, each ending in a
// classified Outcome. HttpFetcher (http_fetcher.h, libcurl) is the probe's;
// tests give fakes (e.g. a network on a fake clock).
#ifndef V6SCOPE_PROBE_HTTP_FETCHER_H_
#define V6SCOPE_PROBE_HTTP_FETCHER_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/net/ip_address.h"
#include "proto/results.pb.h"

namespace v6scope::probe::http {

struct HttpRequest {
  // http(s)://host[:port]/path; host may be a name or a literal ([v6]).
  std::string url;
  // IPV4/IPV6 pin the connection to that family (CURLOPT_IPRESOLVE);
  // UNSPECIFIED lets curl race the families (happy eyeballs).
  v6scope::v1::AddressFamily family = v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED;
  // Addresses the probe resolved itself (c-ares), in the order to try them.
  // Given to curl as CURLOPT_RESOLVE "host:port:addr1,addr2" so DNS is
  // measured apart and curl does no lookup. When `family` is pinned, only
  // addresses of that family are used. IPv4-mapped IPv6 addresses count as
  // the IPv4 address they carry. Empty: no pinning (a literal URL, or curl
  // resolves the name itself and dns_us includes that lookup).
  std::vector<net::IpAddress> resolve_to;
  absl::Duration timeout = absl::Seconds(10);  // Whole transfer.
  absl::Duration connect_timeout = absl::Seconds(5);
  // Once connected, a fetch that receives no byte (TLS, headers or body)
  // for this long ends STALLED. Zero: no stall detection (only `timeout`).
  absl::Duration stall_timeout = absl::ZeroDuration();
  // Body bytes to read at most; 0: the whole body. The request asks for
  // "Range: bytes=0-(limit-1)", and a server that ignores the range is cut
  // off at the limit: reaching it is OK (status 206 or 200), with
  // bytes_received = the limit.
  uint64_t body_limit = 0;
  // CA bundle (PEM) for https; empty: the system store.
  std::string ca_file;
  // Keep up to this many body bytes in HttpResult::body (who-am-I); the
  // rest is counted, not kept.
  size_t keep_body_bytes = 0;
  // If set, given the body as it arrives (within body_limit), piece by
  // piece, on the loop thread, before `done`: a caller digests the body
  // without it being kept (the readiness check's title and SimHash). It
  // runs from inside the HTTP client: it must not call the fetcher.
  std::function<void(absl::string_view)> body_sink;
  // User-Agent sent; empty: "v6scope-probe/<version>".
  std::string user_agent;
  // With body_limit: false sends no Range header, so the server answers
  // as to a browser and the write callback alone cuts the body at the
  // limit (the readiness check's home-page fetch).
  bool range_request = true;
};

struct HttpResult {
  v6scope::v1::Outcome outcome = v6scope::v1::OUTCOME_UNSPECIFIED;
  // curl's message (with the errno text for socket errors), or the stall
  // ("no byte for 2.0 s after connecting (412 bytes received)"), at most
  // 255 bytes; empty for OK.
  std::string error_detail;
  // From curl's CURLINFO_*_TIME_T, in µs from the start of the transfer;
  // 0 for a phase that did not happen.
  v6scope::v1::Timings timings;
  uint32_t http_status = 0;  // 0 if no response.
  // Body bytes received, including partial bodies of failed fetches.
  uint64_t bytes_received = 0;
  // CURLINFO_PRIMARY_IP: the address of the connection or, when none was
  // established, the last address a connect was tried to (so a failed
  // fetch says which address failed); "" if none was tried.
  std::string used_address;
  // Family of used_address; UNSPECIFIED if "".
  v6scope::v1::AddressFamily used_family =
      v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED;
  // The first keep_body_bytes bytes of the body.
  std::string body;
  // Where a 3xx response points (CURLINFO_REDIRECT_URL: absolute, as curl
  // would follow it; redirects themselves are never followed); "" if none.
  std::string redirect_url;
};

class Fetcher {
 public:
  virtual ~Fetcher() = default;

  // Starts a fetch. `done` is called exactly once, on the loop thread,
  // never inline from Fetch. It may call Fetch again. A failed fetch is
  // data: it completes with a classified Outcome, never with an error.
  virtual void Fetch(HttpRequest request,
                     std::function<void(HttpResult)> done) = 0;
};

}  // namespace v6scope::probe::http

#endif  // V6SCOPE_PROBE_HTTP_FETCHER_H_
