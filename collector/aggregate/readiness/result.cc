#include "collector/aggregate/readiness/result.h"

#include <string>

#include "absl/strings/string_view.h"

namespace v6scope::collector::aggregate::readiness {

absl::string_view ServiceName(Service service) {
  switch (service) {
    case Service::kWeb:
      return "web";
    case Service::kDns:
      return "dns";
    case Service::kMail:
      return "mail";
  }
  return "";
}

ReadinessResult FromCheck(const std::string& campaign_id, uint32_t round,
                          const std::string& probe_id, uint32_t probe_asn,
                          const std::string& probe_country,
                          const std::string& sector,
                          const v6scope::v1::DomainCheck& check) {
  ReadinessResult r;
  r.campaign_id = campaign_id;
  r.round = round;
  r.probe_id = probe_id;
  r.probe_asn = probe_asn;
  r.probe_country = probe_country;
  r.domain = check.domain();
  r.sector = sector;
  const v6scope::v1::ReadinessVerdict& v = check.verdict();
  r.methodology_version = v.methodology_version();
  r.states = {v.web(), v.dns(), v.mail()};
  return r;
}

ReadinessResult FromStoredResult(
    const std::string& campaign_id,
    const v6scope::v1::StoredDomainResult& stored) {
  return FromCheck(campaign_id, stored.round(), stored.probe_id(),
                   stored.probe_asn(), stored.probe_country(), stored.sector(),
                   stored.check());
}

}  // namespace v6scope::collector::aggregate::readiness
