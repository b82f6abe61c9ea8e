// The few DNS messages a readiness check needs, on the wire (RFC 1035):
// one question out (with an EDNS0 OPT record so answers up to 1232 bytes
// fit in UDP), and from the response only what DomainCheck records: the
// RCODE and AA bit, the CNAME chain from the asked name, and the records
// of the asked type at the end of that chain (addresses, NS targets, MX
// exchanges, whether an SOA for the name is in the answer).
//
// Pure functions (names decompressed with c-ares' ares_expand_name), so
// hostile responses can be tested on bytes.
#ifndef V6SCOPE_PROBE_READINESS_DNS_MESSAGE_H_
#define V6SCOPE_PROBE_READINESS_DNS_MESSAGE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/net/ip_address.h"

namespace v6scope::probe::readiness {

// DNS TYPE values asked (RFC 1035, 3596).
inline constexpr uint16_t kTypeA = 1;
inline constexpr uint16_t kTypeNs = 2;
inline constexpr uint16_t kTypeCname = 5;
inline constexpr uint16_t kTypeSoa = 6;
inline constexpr uint16_t kTypeMx = 15;
inline constexpr uint16_t kTypeAaaa = 28;

// The CNAME chain is cut at this many targets (DomainCheck's limit).
inline constexpr size_t kMaxCnameChain = 8;

struct MailHost {
  uint16_t preference = 0;
  std::string host;
};

struct DnsResponse {
  uint16_t id = 0;
  int rcode = 0;
  bool authoritative = false;  // AA bit.
  bool truncated = false;      // TC bit.
  // CNAME targets followed from the asked name, in order.
  std::vector<std::string> cname_chain;
  // Records of the asked type owned by the end of the chain.
  std::vector<net::IpAddress> addresses;  // A / AAAA.
  std::vector<std::string> name_servers;  // NS targets.
  std::vector<MailHost> mail_hosts;       // MX.
  bool has_soa = false;                   // SOA.
};

// Lower case, no final dot; "" for the root.
std::string NormalizeDnsName(absl::string_view name);

// A query for (name, qtype, class IN) with id and RD as given, plus an
// EDNS0 OPT record. INVALID_ARGUMENT for a name that cannot be encoded
// (empty label, label over 63 bytes, name over 253 bytes).
absl::StatusOr<std::string> EncodeQuery(uint16_t id, absl::string_view name,
                                        uint16_t qtype, bool recursion);

// Parses a response to (name, qtype). INVALID_ARGUMENT for anything
// malformed or for a message that is not a response to that question.
absl::StatusOr<DnsResponse> ParseResponse(absl::string_view message,
                                          absl::string_view name,
                                          uint16_t qtype);

}  // namespace v6scope::probe::readiness

#endif  // V6SCOPE_PROBE_READINESS_DNS_MESSAGE_H_
