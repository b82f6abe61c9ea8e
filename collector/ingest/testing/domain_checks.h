// Realistic DomainChecks for the readiness ingest's tests and benchmark:
// what a probe would record of one domain (apex and www with a CNAME
// chain, two or three name servers with their SOA probes, MX hosts, four
// pinned fetches with redirects and titles), about 1-2 KB serialized, with
// outcomes that vary by `variant` (dual-stack, no AAAA, dead AAAA, TLS
// failing over IPv6, another site over IPv6, IPv4-only name servers, no
// MX, a redirect to an IPv4-only host). Documentation addresses only.
#ifndef V6SCOPE_COLLECTOR_INGEST_TESTING_DOMAIN_CHECKS_H_
#define V6SCOPE_COLLECTOR_INGEST_TESTING_DOMAIN_CHECKS_H_

#include <cstdint>
#include <string>

#include "proto/probe_service.pb.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::ingest::testing {

// Kinds of domain VariedDomainCheck cycles through.
inline constexpr uint64_t kDomainVariants = 8;

v6scope::v1::DomainCheck VariedDomainCheck(const std::string& domain,
                                           uint64_t variant);

// "a-" and 16 hex digits of `n`.
std::string AssignmentId(uint64_t n);

}  // namespace v6scope::collector::ingest::testing

#endif  // V6SCOPE_COLLECTOR_INGEST_TESTING_DOMAIN_CHECKS_H_
