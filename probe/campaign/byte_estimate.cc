#include "probe/campaign/byte_estimate.h"

#include <algorithm>

namespace v6scope::probe::campaign {

uint64_t EstimateBytes(const v6scope::v1::DomainCheck& check) {
  // Apex A + AAAA, www A + AAAA, NS, MX.
  uint64_t questions = 6;
  for (const v6scope::v1::NameServerCheck& ns : check.name_servers()) {
    questions += 2 + static_cast<uint64_t>(ns.soa_size());
  }
  questions += 2 * static_cast<uint64_t>(check.mail_size());
  uint64_t hops = 0, body = 0;
  for (const v6scope::v1::WebFetch& f : check.web()) {
    hops += std::max<uint64_t>(1, static_cast<uint64_t>(f.hops_size()));
    body += f.body_bytes();
  }
  return body + hops * kBytesPerHttpHop + questions * kBytesPerDnsQuestion;
}

}  // namespace v6scope::probe::campaign
