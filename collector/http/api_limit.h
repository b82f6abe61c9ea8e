// ApiRateLimit: a token bucket per client on the HTTP /api/, so that one
// client cannot take the store's read capacity from everybody else. A
// client is an IPv4 address or an IPv6 /64 (one subscriber's usual
// allocation: per address, one host could be a million clients). Each
// request costs one token; buckets hold `burst` and refill at `rate` per
// second. Memory is bounded: at most `max_clients` buckets (see
// ingest::RateLimiter). Loopback is limited too, with defaults high enough
// for the dashboard. Thread-safe.
#ifndef V6SCOPE_COLLECTOR_HTTP_API_LIMIT_H_
#define V6SCOPE_COLLECTOR_HTTP_API_LIMIT_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/ingest/rate_limiter.h"
#include "common/time/clock.h"

namespace v6scope::collector::http {

inline constexpr double kDefaultApiRequestsPerSecond = 20;
inline constexpr uint32_t kDefaultApiBurst = 40;
inline constexpr size_t kMaxApiClients = 65536;

// The bucket key of a peer address literal ("192.0.2.1", "2001:db8::1",
// "::ffff:192.0.2.1"): the IPv4 address, or the IPv6 address's /64; the
// literal itself when it does not parse.
std::string ApiClientKey(absl::string_view peer);

class ApiRateLimit {
 public:
  // `clock` must outlive the limit.
  ApiRateLimit(const time::Clock* clock, double requests_per_second,
               uint32_t burst, size_t max_clients = kMaxApiClients);

  // Zero when `peer` may make a request now (a token is taken), else how
  // long until it may.
  absl::Duration Take(absl::string_view peer);

 private:
  ingest::RateLimiter buckets_;
};

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_API_LIMIT_H_
