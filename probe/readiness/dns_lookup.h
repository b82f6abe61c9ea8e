// DnsLookup: the questions a readiness check asks, of any type, either of
// the host's resolvers (recursion desired) or directly of one server (a
// domain's name server, recursion off). UdpDnsLookup is the probe's;
// tests script a fake (testing/scripted_lookup.h).
//
// The probe's DnsResolver (probe/dns) asks only A and AAAA and does not
// expose the CNAME chain or let a question go to a chosen server, so the
// readiness check has this small interface of its own.
//
// Threading: loop thread only; `done` runs on it, never inline.
#ifndef V6SCOPE_PROBE_READINESS_DNS_LOOKUP_H_
#define V6SCOPE_PROBE_READINESS_DNS_LOOKUP_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/net/ip_address.h"
#include "probe/readiness/dns_message.h"
#include "proto/results.pb.h"

namespace v6scope::probe::readiness {

struct DnsServer {
  net::IpAddress address;
  uint16_t port = 53;
};

struct LookupRequest {
  std::string name;
  uint16_t qtype = kTypeA;
  // Ask this server directly with recursion off; none: the host's
  // resolvers, recursion desired.
  std::optional<DnsServer> server;
  absl::Duration timeout = absl::Seconds(2);  // Per try.
  int tries = 2;                              // Per server.
};

struct LookupResult {
  // OK (records of the asked type at the end of the CNAME chain),
  // DNS_NODATA, DNS_NXDOMAIN, DNS_SERVFAIL, DNS_REFUSED, TIMEOUT, DNS_ERROR
  // (other RCODE, malformed, truncated, unreachable server).
  v6scope::v1::Outcome outcome = v6scope::v1::OUTCOME_UNSPECIFIED;
  int rcode = -1;  // -1: no response.
  DnsResponse response;
  std::string server;  // Address literal that answered; "" if none.
  absl::Duration elapsed;
  std::string detail;  // UTF-8 line, at most 255 bytes; "" when OK.
};

class DnsLookup {
 public:
  virtual ~DnsLookup() = default;
  // Calls `done` exactly once, later, on the loop thread (unless the
  // lookup is destroyed first: then never).
  virtual void Lookup(LookupRequest request,
                      std::function<void(LookupResult)> done) = 0;
};

// The outcome a parsed response amounts to for its question.
v6scope::v1::Outcome OutcomeOf(const DnsResponse& response, uint16_t qtype);

}  // namespace v6scope::probe::readiness

#endif  // V6SCOPE_PROBE_READINESS_DNS_LOOKUP_H_
