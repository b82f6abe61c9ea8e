// Fuzzes the probe's handling of DNS responses: raw wire bytes through
// c-ares' A/AAAA reply parsers and our conversion to a DnsAnswer
// (AnswerFromResponse), then NAT64 prefix discovery over the addresses,
// which is what the suite does with an ipv4only.arpa AAAA answer.
//
// Input byte 0: bit 0 picks A or AAAA; the next bits pick c-ares' final
// status (mostly success, so the response is parsed). The rest is the
// response as it came off the wire.
#include <cstddef>
#include <cstdint>

#include "probe/dns/dns_response.h"
#include "probe/dns/nat64.h"

namespace v6scope::probe::dns::fuzz {
namespace {

// c-ares' final status: mostly ARES_SUCCESS (0), so the response is
// parsed; else any of its error codes (1..25 in ares.h). Numbers, not
// ares.h's macros: <ares.h> brings <netdb.h>, whose NO_ADDRESS macro
// breaks the generated Outcome enum.
int StatusOf(uint8_t selector) {
  const int index = selector & 63;
  return index < 32 ? 0 : index - 31;
}

void FuzzResponse(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const DnsType type = (data[0] & 1) ? DnsType::kAAAA : DnsType::kA;
  const int status = StatusOf(data[0] >> 1);
  const DnsAnswer answer = AnswerFromResponse(
      type, status, size > 1 ? data + 1 : nullptr, static_cast<int>(size - 1));
  if (answer.outcome == v6scope::v1::OK && answer.addresses.empty()) {
    __builtin_trap();  // OK promises at least one address.
  }
  if (answer.error_detail.size() > 255) __builtin_trap();
  if (type == DnsType::kAAAA) {
    (void)Nat64PrefixesFromAaaa(answer.addresses);
    (void)Nat64PrefixFromAaaa(answer.addresses);
  }
}

}  // namespace
}  // namespace v6scope::probe::dns::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v6scope::probe::dns::fuzz::FuzzResponse(data, size);
  return 0;
}
