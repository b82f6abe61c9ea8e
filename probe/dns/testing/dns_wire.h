// DNS wire format for ScriptedDnsServer (RFC 1035): parsing the one
// question of a query and encoding the scripted reply. Internal to the
// fake; written by hand on purpose (see scripted_dns_server.h).
//
// Pure functions: thread-safe.
#ifndef V6SCOPE_PROBE_DNS_TESTING_DNS_WIRE_H_
#define V6SCOPE_PROBE_DNS_TESTING_DNS_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/net/ip_address.h"
#include "probe/dns/testing/scripted_dns_server.h"

namespace v6scope::probe::dns::testing::wire {

inline constexpr uint8_t kRcodeFormErr = 1;
inline constexpr uint8_t kRcodeNotImp = 4;

// The parts of a query a reply needs.
struct Query {
  uint16_t id = 0;
  uint8_t opcode = 0;
  bool rd = false;
  std::string name;  // Normalised (lower case, no trailing dot).
  uint16_t qtype = 0;
  std::string question;        // Raw question section, echoed back.
  size_t first_label_len = 0;  // 0 for the root name.
};

// kDrop: not a query (too short, or a response). kFormErr/kNotImp: reply
// with that RCODE and no question (id and opcode are filled in).
enum class Parse { kOk, kDrop, kFormErr, kNotImp };

Parse ParseQuery(const std::string& message, Query* query);

// Lower case without a trailing dot; "." for the root.
std::string NormalizeName(absl::string_view name);

// A header-only reply with `rcode` to a query ParseQuery could not use.
std::string HeaderOnlyReply(const Query& query, uint8_t rcode);

// The reply `reply` scripts for `query` over `transport`.
std::string EncodeReply(const Query& query, const ScriptedReply& reply,
                        DnsTransport transport);

// The addresses of `reply` that answer `qtype` (IPv4 for A, IPv6 for AAAA).
std::vector<net::IpAddress> OfQueriedFamily(const ScriptedReply& reply,
                                            uint16_t qtype);

// Big-endian 16-bit helpers (TCP framing uses them too).
void PutU16(std::string* out, uint16_t value);
uint16_t GetU16(const std::string& in, size_t pos);

}  // namespace v6scope::probe::dns::testing::wire

#endif  // V6SCOPE_PROBE_DNS_TESTING_DNS_WIRE_H_
