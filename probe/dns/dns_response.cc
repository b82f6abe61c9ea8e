#include "probe/dns/dns_response.h"

#include <ares.h>
#include <netdb.h>
#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/strings/string_view.h"
#include "common/text/text_rules.h"

namespace v6scope::probe::dns {
namespace {

using v6scope::v1::Outcome;

constexpr size_t kMaxDetail = 255;

// Uploaded as error_detail: valid UTF-8 without control characters, cut
// on a character boundary (common/text, the collector's own rule).
std::string Detail(absl::string_view text) {
  return text::CleanUtf8Line(text, kMaxDetail);
}

// Fills outcome and addresses from a NOERROR response with answers.
void ParseAddresses(DnsType type, const unsigned char* abuf, int alen,
                    DnsAnswer* answer) {
  hostent* host = nullptr;
  const int rc =
      type == DnsType::kA
          ? ares_parse_a_reply(abuf, alen, &host, nullptr, nullptr)
          : ares_parse_aaaa_reply(abuf, alen, &host, nullptr, nullptr);
  if (rc == ARES_SUCCESS) answer->addresses = AddressesOf(host, type);
  if (host != nullptr) ares_free_hostent(host);
  if (rc == ARES_SUCCESS && !answer->addresses.empty()) {
    answer->outcome = v6scope::v1::OK;
  } else if (rc == ARES_SUCCESS || rc == ARES_ENODATA) {
    // Answers, but none of the asked type (e.g. only a CNAME).
    answer->outcome = v6scope::v1::DNS_NODATA;
    answer->error_detail = ares_strerror(ARES_ENODATA);
  } else {
    answer->outcome = v6scope::v1::DNS_ERROR;
    answer->error_detail = Detail(ares_strerror(rc));
  }
}

Outcome OutcomeOfStatus(int status) {
  switch (status) {
    case ARES_ENODATA:
      return v6scope::v1::DNS_NODATA;
    case ARES_ENOTFOUND:
      return v6scope::v1::DNS_NXDOMAIN;
    case ARES_ESERVFAIL:
      return v6scope::v1::DNS_SERVFAIL;
    case ARES_EREFUSED:
      return v6scope::v1::DNS_REFUSED;
    case ARES_ETIMEOUT:
      return v6scope::v1::TIMEOUT;
    default:  // FORMERR, NOTIMP, EBADRESP, ECONNREFUSED, EBADNAME, ...
      return v6scope::v1::DNS_ERROR;
  }
}

}  // namespace

// Addresses of `type`'s family in a hostent (answer or hosts file).
std::vector<net::IpAddress> AddressesOf(const hostent* host, DnsType type) {
  std::vector<net::IpAddress> out;
  const int family = type == DnsType::kA ? AF_INET : AF_INET6;
  if (host == nullptr || host->h_addrtype != family) return out;
  for (char** p = host->h_addr_list; p != nullptr && *p != nullptr; ++p) {
    if (family == AF_INET) {
      std::array<uint8_t, net::IpAddress::kV4Size> bytes;
      std::memcpy(bytes.data(), *p, bytes.size());
      out.push_back(net::IpAddress::FromV4Bytes(bytes));
    } else {
      std::array<uint8_t, net::IpAddress::kV6Size> bytes;
      std::memcpy(bytes.data(), *p, bytes.size());
      out.push_back(net::IpAddress::FromV6Bytes(bytes));
    }
  }
  return out;
}

// The answer c-ares' final status and response (if any) amount to.
DnsAnswer AnswerFromResponse(DnsType type, int status,
                             const unsigned char* abuf, int alen) {
  DnsAnswer answer;
  if (abuf != nullptr && alen >= 4) answer.rcode = abuf[3] & 0x0f;
  if (status == ARES_SUCCESS) {
    ParseAddresses(type, abuf, alen, &answer);
  } else {
    answer.outcome = OutcomeOfStatus(status);
    answer.error_detail = Detail(ares_strerror(status));
  }
  return answer;
}

}  // namespace v6scope::probe::dns
