// Decorators that let a sweep benchmark see exactly what the readiness
// check asked and fetched, so the baseline clients (dnsperf, curl) can be
// given the same work: every question to the host's resolver and every
// HTTP request, written out as they are made (streamed, never kept), plus
// counts and the peak number in flight.
//
// Threading: loop thread only, as the objects they wrap.
#ifndef V6SCOPE_BENCH_SWEEP_RECORDING_H_
#define V6SCOPE_BENCH_SWEEP_RECORDING_H_

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <functional>
#include <map>
#include <string>

#include "absl/time/time.h"
#include "bench/sweep/histogram.h"
#include "probe/http/fetcher.h"
#include "probe/readiness/dns_lookup.h"

namespace v6scope::bench::sweep {

// "A", "AAAA", "NS", "MX", "SOA", else "TYPE<n>" (dnsperf's spelling).
std::string TypeName(uint16_t qtype);

// Upper bounds of the question-latency histogram's buckets.
inline constexpr int kLatencyBoundsMs[] = {1,   2,   5,   10,   20,  50,
                                           100, 200, 500, 1000, 2500};

class RecordingLookup : public probe::readiness::DnsLookup {
 public:
  // `questions`: if open, one "name TYPE" line per question to the
  // resolver (dnsperf's input format).
  RecordingLookup(probe::readiness::DnsLookup* inner, std::ofstream* questions)
      : inner_(inner), questions_(questions) {}

  void Lookup(
      probe::readiness::LookupRequest request,
      std::function<void(probe::readiness::LookupResult)> done) override;

  uint64_t to_resolver() const { return to_resolver_; }
  uint64_t to_servers() const { return to_servers_; }
  uint64_t timeouts() const { return resolver_timeouts_ + server_timeouts_; }
  uint64_t resolver_timeouts() const { return resolver_timeouts_; }
  uint64_t server_timeouts() const { return server_timeouts_; }
  // Resolver questions answered only after a first try timed out (a
  // question the resolver dropped): each cost a whole try's timeout.
  uint64_t resolver_retried() const { return resolver_retried_; }
  size_t max_in_flight() const { return max_in_flight_; }
  size_t max_resolver_in_flight() const { return max_resolver_in_flight_; }
  // Questions in flight at one name server (asked directly) at most, as
  // the checker asked them (UdpDnsLookup may have held some back).
  size_t max_server_in_flight() const { return max_server_in_flight_; }
  // Per question kind ("A", ..., "SOA@v4", "SOA@v6"): how many, how many
  // timed out, and a latency histogram (lookup start to result, queueing
  // in the lookup included), one line each -- where a sweep's time goes.
  std::string LatencyTable() const;

 private:
  struct Kind {
    uint64_t count = 0;
    uint64_t timeouts = 0;
    absl::Duration total;
    MsHistogram latency{kLatencyBoundsMs};
  };
  void Tally(const std::string& kind, const probe::readiness::LookupResult& r);

  probe::readiness::DnsLookup* const inner_;
  std::ofstream* const questions_;
  uint64_t to_resolver_ = 0;
  uint64_t to_servers_ = 0;
  uint64_t resolver_timeouts_ = 0;
  uint64_t server_timeouts_ = 0;
  uint64_t resolver_retried_ = 0;
  size_t in_flight_ = 0;
  size_t max_in_flight_ = 0;
  size_t resolver_in_flight_ = 0;
  size_t max_resolver_in_flight_ = 0;
  std::map<std::string, Kind> kinds_;
  std::map<std::string, size_t> server_in_flight_;  // By address bytes.
  size_t max_server_in_flight_ = 0;
};

class RecordingFetcher : public probe::http::Fetcher {
 public:
  // `curl_config`: if open, one curl config block per request (URL,
  // --connect-to its pinned address, -4/-6, output /dev/null, next).
  RecordingFetcher(probe::http::Fetcher* inner, std::ofstream* curl_config)
      : inner_(inner), curl_config_(curl_config) {}

  void Fetch(probe::http::HttpRequest request,
             std::function<void(probe::http::HttpResult)> done) override;

  uint64_t fetches() const { return fetches_; }
  uint64_t responses() const { return responses_; }  // An HTTP status.
  uint64_t body_bytes() const { return body_bytes_; }
  size_t max_in_flight() const { return max_in_flight_; }

 private:
  void WriteCurl(const probe::http::HttpRequest& request);

  probe::http::Fetcher* const inner_;
  std::ofstream* const curl_config_;
  uint64_t fetches_ = 0;
  uint64_t responses_ = 0;
  uint64_t body_bytes_ = 0;
  size_t in_flight_ = 0;
  size_t max_in_flight_ = 0;
};

// VmHWM of this process in KiB (/proc/self/status), or -1.
int64_t PeakRssKib();

// User + system CPU seconds of this process.
double CpuSeconds();

}  // namespace v6scope::bench::sweep

#endif  // V6SCOPE_BENCH_SWEEP_RECORDING_H_
