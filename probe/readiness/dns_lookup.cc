#include "probe/readiness/dns_lookup.h"

namespace v6scope::probe::readiness {

v6scope::v1::Outcome OutcomeOf(const DnsResponse& response, uint16_t qtype) {
  switch (response.rcode) {
    case 0:
      break;
    case 2:
      return v6scope::v1::DNS_SERVFAIL;
    case 3:
      return v6scope::v1::DNS_NXDOMAIN;
    case 5:
      return v6scope::v1::DNS_REFUSED;
    default:
      return v6scope::v1::DNS_ERROR;
  }
  if (response.truncated) return v6scope::v1::DNS_ERROR;
  bool has = false;
  switch (qtype) {
    case kTypeA:
    case kTypeAaaa:
      has = !response.addresses.empty();
      break;
    case kTypeNs:
      has = !response.name_servers.empty();
      break;
    case kTypeMx:
      has = !response.mail_hosts.empty();
      break;
    case kTypeSoa:
      has = response.has_soa;
      break;
    default:
      break;
  }
  return has ? v6scope::v1::OK : v6scope::v1::DNS_NODATA;
}

}  // namespace v6scope::probe::readiness
