#include "collector/ingest/enrich_domain.h"

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/net/ip_address.h"

namespace v6scope::collector::ingest {
namespace {

using v6scope::v1::DomainCheck;
using v6scope::v1::NameAddresses;

bool InNat64(const net::IpAddress& a, const std::optional<net::IpPrefix>& own) {
  static const net::IpPrefix kWellKnown = *net::IpPrefix::Parse("64:ff9b::/96");
  static const net::IpPrefix kLocal = *net::IpPrefix::Parse("64:ff9b:1::/48");
  return kWellKnown.Contains(a) || kLocal.Contains(a) ||
         (own.has_value() && own->Contains(a));
}

std::optional<net::IpPrefix> Nat64Prefix(const DomainCheck& c) {
  if (c.nat64_prefix().empty()) return std::nullopt;
  absl::StatusOr<net::IpPrefix> p = net::IpPrefix::Parse(c.nat64_prefix());
  if (!p.ok()) return std::nullopt;
  return *p;
}

std::optional<net::IpAddress> FirstV4(const NameAddresses& host) {
  for (const std::string& literal : host.a()) {
    absl::StatusOr<net::IpAddress> a = net::IpAddress::Parse(literal);
    if (a.ok() && a->is_v4()) return *a;
  }
  return std::nullopt;
}

std::optional<net::IpAddress> FirstOwnV6(
    const NameAddresses& host, const std::optional<net::IpPrefix>& nat64) {
  for (const std::string& literal : host.aaaa()) {
    absl::StatusOr<net::IpAddress> a = net::IpAddress::Parse(literal);
    if (a.ok() && a->is_v6() && !a->IsV4Mapped() && !InNat64(*a, nat64)) {
      return *a;
    }
  }
  return std::nullopt;
}

uint32_t OriginAsn(const enrich::AttributionIndex* index,
                   const std::optional<net::IpAddress>& address) {
  if (index == nullptr || !address.has_value()) return 0;
  return index->Attribute(*address).origin_asn;
}

}  // namespace

const NameAddresses& WebHost(const DomainCheck& c) {
  const std::optional<net::IpPrefix> nat64 = Nat64Prefix(c);
  const bool www_has_address =
      FirstV4(c.www()).has_value() || FirstOwnV6(c.www(), nat64).has_value();
  return www_has_address ? c.www() : c.apex();
}

void EnrichDomainCheck(const enrich::AttributionIndex* index,
                       DomainCheck* check) {
  const std::optional<net::IpPrefix> nat64 = Nat64Prefix(*check);
  const NameAddresses& host = WebHost(*check);
  check->set_web_v4_asn(OriginAsn(index, FirstV4(host)));
  check->set_web_v6_asn(OriginAsn(index, FirstOwnV6(host, nat64)));
}

}  // namespace v6scope::collector::ingest
