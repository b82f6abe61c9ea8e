#include "collector/http/api_limit.h"

#include "common/net/ip_address.h"

namespace v6scope::collector::http {

std::string ApiClientKey(absl::string_view peer) {
  absl::StatusOr<net::IpAddress> ip = net::IpAddress::Parse(peer);
  if (!ip.ok()) return std::string(peer);
  const net::IpAddress unmapped = ip->Unmapped();
  if (unmapped.is_v4()) return unmapped.ToString();
  return unmapped.Truncate(64).ToString() + "/64";
}

ApiRateLimit::ApiRateLimit(const time::Clock* clock, double requests_per_second,
                           uint32_t burst, size_t max_clients)
    : buckets_(clock, requests_per_second, burst, max_clients) {}

absl::Duration ApiRateLimit::Take(absl::string_view peer) {
  return buckets_.Take(ApiClientKey(peer), 1);
}

}  // namespace v6scope::collector::http
