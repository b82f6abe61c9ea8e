#include "collector/ingest/enrich_run.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "common/net/ip_address.h"
#include "common/net/special_purpose.h"

namespace v6scope::collector::ingest {
namespace {

// "ipv6:[::1]:5000" / "ipv4:127.0.0.1:5000" (percent-encoded brackets on
// some gRPC versions) → the address.
std::optional<net::IpAddress> PeerAddress(absl::string_view peer) {
  std::string p(peer);
  for (auto [from, to] :
       {std::pair<const char*, const char*>{"%5B", "["}, {"%5D", "]"}}) {
    for (size_t at; (at = p.find(from)) != std::string::npos;) {
      p.replace(at, 3, to);
    }
  }
  absl::string_view v = p;
  if (absl::ConsumePrefix(&v, "ipv6:[")) {
    v = v.substr(0, v.find(']'));
  } else if (absl::ConsumePrefix(&v, "ipv4:")) {
    v = v.substr(0, v.rfind(':'));
  } else {
    return std::nullopt;
  }
  auto addr = net::IpAddress::Parse(v);
  if (!addr.ok()) return std::nullopt;
  return addr->IsV4Mapped() ? addr->Unmapped() : *addr;
}

void Attribute(const enrich::AttributionIndex* index, const std::string& cidr,
               uint32_t* asn, std::string* country) {
  if (index == nullptr || cidr.empty()) return;
  auto prefix = net::IpPrefix::Parse(cidr);
  if (!prefix.ok()) return;
  enrich::Attribution a = index->Attribute(*prefix);
  *asn = a.origin_asn;
  *country = a.country;
}

}  // namespace

void EnrichRun(const enrich::AttributionIndex* index, const std::string& peer,
               v6scope::v1::Run* run) {
  v6scope::v1::Attribution* at = run->mutable_attribution();
  at->set_v4_prefix(run->public_addresses().v4_prefix());
  at->set_v6_prefix(run->public_addresses().v6_prefix());
  at->set_source("whoami");
  if (at->v4_prefix().empty() && at->v6_prefix().empty()) {
    // No who-am-I result: the connection's address is the best evidence,
    // truncated exactly as the probe would have.
    // A peer in non-public space (::1, a private network behind a proxy)
    // names no network: no prefix rather than ::/48 or 10.0.0.0/24.
    if (auto addr = PeerAddress(peer); addr.has_value()) {
      const net::IpPrefix prefix = net::PublicTruncation(*addr);
      if (net::IsPublicPrefix(prefix)) {
        (addr->is_v4() ? at->mutable_v4_prefix() : at->mutable_v6_prefix())
            ->assign(prefix.ToString());
        at->set_source("peer");
      }
    }
  }
  uint32_t v4_asn = 0, v6_asn = 0;
  std::string v4_cc, v6_cc;
  Attribute(index, at->v4_prefix(), &v4_asn, &v4_cc);
  Attribute(index, at->v6_prefix(), &v6_asn, &v6_cc);
  at->set_v4_asn(v4_asn);
  at->set_v6_asn(v6_asn);
  at->set_v4_country(v4_cc);
  at->set_v6_country(v6_cc);
  at->set_asn(v6_asn != 0 ? v6_asn : v4_asn);
  at->set_country(!v6_cc.empty() ? v6_cc : v4_cc);
  at->set_datasets(index == nullptr ? "none" : index->version());
  if (v4_asn != 0 && v6_asn != 0 && v4_asn != v6_asn) {
    auto* causes = run->mutable_verdict()->mutable_root_causes();
    if (std::find(causes->begin(), causes->end(),
                  v6scope::v1::V4_V6_ASN_MISMATCH) == causes->end()) {
      causes->Add(v6scope::v1::V4_V6_ASN_MISMATCH);
    }
  }
}

}  // namespace v6scope::collector::ingest
