// How the resolver turns what c-ares returns into a DnsAnswer: c-ares'
// status and the raw DNS response (parsed with ares_parse_a_reply /
// ares_parse_aaaa_reply), or a hosts-file hostent. Pure functions, apart
// from CaresResolver's event-loop plumbing, so the response handling can be
// tested and fuzzed on bytes (probe/dns/fuzz).
#ifndef V6SCOPE_PROBE_DNS_DNS_RESPONSE_H_
#define V6SCOPE_PROBE_DNS_DNS_RESPONSE_H_

#include <vector>

#include "common/net/ip_address.h"
#include "probe/dns/dns_resolver.h"

// <netdb.h> is not included here: it defines NO_ADDRESS, a macro that
// breaks the generated Outcome enum (proto/results.pb.h) included after it.
struct hostent;

namespace v6scope::probe::dns {

// Addresses of `type`'s family in a hostent (answer or hosts file), in
// order; none if `host` is null or of the other family.
std::vector<net::IpAddress> AddressesOf(const hostent* host, DnsType type);

// The answer c-ares' final status and response (`abuf` of `alen` bytes,
// may be null) amount to: rcode from the header, the outcome, and on
// success the addresses of the asked type.
DnsAnswer AnswerFromResponse(DnsType type, int status,
                             const unsigned char* abuf, int alen);

}  // namespace v6scope::probe::dns

#endif  // V6SCOPE_PROBE_DNS_DNS_RESPONSE_H_
