// The readiness aggregates' input: one stored readiness result reduced to
// what the aggregates count (who measured, from where, which domain, and
// the collector's verdict per service). The store's DomainResultRow and
// the export's StoredDomainResult both reduce to it. docs/methodology.md
// §14.
#ifndef V6SCOPE_COLLECTOR_AGGREGATE_READINESS_RESULT_H_
#define V6SCOPE_COLLECTOR_AGGREGATE_READINESS_RESULT_H_

#include <array>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "proto/admin_service.pb.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::aggregate::readiness {

// The three services of a verdict. Values index arrays: never renumber.
enum class Service { kWeb = 0, kDns = 1, kMail = 2 };
inline constexpr int kServiceCount = 3;
inline constexpr Service kAllServices[] = {Service::kWeb, Service::kDns,
                                           Service::kMail};

// "web", "dns", "mail" (the verdict's explanation labels).
absl::string_view ServiceName(Service service);

// ServiceState values 0 (not tested) .. BROKEN_V4; a value beyond (a
// future state) is folded as not tested, since this code cannot rank it.
inline constexpr int kStateCount = v6scope::v1::BROKEN_V4 + 1;

struct ReadinessResult {
  std::string campaign_id;
  uint32_t round = 0;
  std::string probe_id;
  uint32_t probe_asn = 0;     // 0: not attributed.
  std::string probe_country;  // ISO 3166 alpha-2; empty: not attributed.
  std::string domain;
  std::string sector;
  // The verdict's methodology_version ("readiness 1").
  std::string methodology_version;
  std::array<v6scope::v1::ServiceState, kServiceCount> states = {};

  v6scope::v1::ServiceState state(Service service) const {
    return states[static_cast<int>(service)];
  }
};

// The result of `check` (its verdict, domain) measured by a probe of
// `probe_asn` in `probe_country` for `campaign_id`'s round `round`.
ReadinessResult FromCheck(const std::string& campaign_id, uint32_t round,
                          const std::string& probe_id, uint32_t probe_asn,
                          const std::string& probe_country,
                          const std::string& sector,
                          const v6scope::v1::DomainCheck& check);

// The same for an exported result (StoredDomainResult has no campaign id:
// the export is per campaign).
ReadinessResult FromStoredResult(const std::string& campaign_id,
                                 const v6scope::v1::StoredDomainResult& stored);

}  // namespace v6scope::collector::aggregate::readiness

#endif  // V6SCOPE_COLLECTOR_AGGREGATE_READINESS_RESULT_H_
