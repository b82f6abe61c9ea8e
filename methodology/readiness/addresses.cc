#include "methodology/readiness/addresses.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "common/net/ip_address.h"
#include "proto/readiness.pb.h"

namespace v6scope::methodology::readiness {
namespace {

using v6scope::net::AddressClass;
using v6scope::net::IpAddress;
using v6scope::net::IpPrefix;

// Space a DNS64 resolver synthesizes AAAA from (RFC 6052 well-known
// prefix, RFC 8215 local-use prefix).
bool IsNat64WellKnown(const IpAddress& address) {
  static const IpPrefix* const kWellKnown =
      new IpPrefix(*IpPrefix::Parse("64:ff9b::/96"));
  static const IpPrefix* const kLocalUse =
      new IpPrefix(*IpPrefix::Parse("64:ff9b:1::/48"));
  return kWellKnown->Contains(address) || kLocalUse->Contains(address);
}

bool IsUnspecifiedOrMulticast(const IpAddress& address) {
  const auto& b = address.bytes();
  if (b[0] == 0xff) return true;
  for (uint8_t byte : b) {
    if (byte != 0) return false;
  }
  return true;
}

}  // namespace

LiteralKind KindOfLiteral(absl::string_view literal) {
  const std::optional<IpAddress> address = IpAddress::TryParse(literal);
  if (!address.has_value()) return LiteralKind::kNone;
  if (address->is_v4()) return LiteralKind::kV4;
  if (address->IsV4Mapped() || IsNat64WellKnown(*address) ||
      IsUnspecifiedOrMulticast(*address)) {
    return LiteralKind::kIgnoredV6;
  }
  const AddressClass c = v6scope::net::Classify(*address);
  return c == AddressClass::kV6Loopback || c == AddressClass::kV6LinkLocal
             ? LiteralKind::kIgnoredV6
             : LiteralKind::kCountedV6;
}

bool IsV4Literal(absl::string_view literal) {
  const std::optional<IpAddress> address = IpAddress::TryParse(literal);
  return address.has_value() && address->is_v4();
}

bool IsCountedV6(absl::string_view literal) {
  return KindOfLiteral(literal) == LiteralKind::kCountedV6;
}

AddressList V4Of(const v6scope::v1::NameAddresses& host) {
  AddressList out;
  for (const std::string& a : host.a()) {
    if (IsV4Literal(a)) out.push_back(a);
  }
  return out;
}

AddressList V6Of(const v6scope::v1::NameAddresses& host) {
  AddressList out;
  for (const std::string& a : host.aaaa()) {
    if (IsCountedV6(a)) out.push_back(a);
  }
  return out;
}

AddressList IgnoredV6Of(const v6scope::v1::NameAddresses& host) {
  AddressList out;
  for (const std::string& a : host.aaaa()) {
    if (!IsCountedV6(a)) out.push_back(a);
  }
  for (const std::string& a : host.aaaa_synthesized()) out.push_back(a);
  return out;
}

bool HasAddress(const v6scope::v1::NameAddresses& host) {
  return absl::c_any_of(host.a(), IsV4Literal) ||
         absl::c_any_of(host.aaaa(), IsCountedV6);
}

bool ResolutionFailed(v6scope::v1::Outcome outcome) {
  switch (outcome) {
    case v6scope::v1::OK:
    case v6scope::v1::DNS_NODATA:
    case v6scope::v1::DNS_NXDOMAIN:
    case v6scope::v1::OUTCOME_UNSPECIFIED:  // Not run: nothing failed.
    case v6scope::v1::SKIPPED:
      return false;
    default:
      return true;
  }
}

std::string HostOfUrl(absl::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == absl::string_view::npos) return "";
  absl::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const size_t at = rest.rfind('@');
  if (at != absl::string_view::npos) rest = rest.substr(at + 1);
  if (absl::StartsWith(rest, "[")) {
    rest = rest.substr(1, rest.find(']') - 1);
  } else {
    rest = rest.substr(0, rest.find(':'));
    if (absl::EndsWith(rest, ".")) rest.remove_suffix(1);
  }
  return absl::AsciiStrToLower(rest);
}

}  // namespace v6scope::methodology::readiness
