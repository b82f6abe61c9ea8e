#include "probe/readiness/nat64_path.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <utility>

#include "absl/strings/str_replace.h"
#include "probe/dns/nat64.h"

namespace v6scope::probe::readiness {
namespace {

namespace v1 = ::v6scope::v1;

// Byte offset of the reserved "u" octet (bits 64..71, RFC 6052 §2.2).
constexpr int kUOctet = 8;

// The byte positions of the embedded IPv4 address for a prefix of
// `length` bits: right after the prefix, skipping the u octet.
std::array<int, 4> V4Positions(int length) {
  std::array<int, 4> positions{};
  int byte = length / 8;
  for (int& p : positions) {
    if (byte == kUOctet && length < 96) ++byte;
    p = byte++;
  }
  return positions;
}

}  // namespace

net::IpAddress MapIntoNat64(const net::IpPrefix& prefix,
                            const net::IpAddress& v4) {
  std::array<uint8_t, net::IpAddress::kV6Size> bytes{};
  const auto& p = prefix.address().bytes();
  for (int i = 0; i < prefix.length() / 8; ++i) bytes[i] = p[i];
  const std::array<int, 4> positions = V4Positions(prefix.length());
  const net::IpAddress plain = v4.Unmapped();
  for (size_t i = 0; i < positions.size(); ++i) {
    bytes[positions[i]] = plain.bytes()[i];
  }
  return net::IpAddress::FromV6Bytes(bytes);
}

std::optional<net::IpAddress> ExtractFromNat64(const net::IpPrefix& prefix,
                                               const net::IpAddress& v6) {
  if (!v6.is_v6() || !prefix.Contains(v6)) return std::nullopt;
  const std::array<int, 4> positions = V4Positions(prefix.length());
  const auto& b = v6.bytes();
  if (prefix.length() < 96 && b[kUOctet] != 0) return std::nullopt;
  for (int i = positions.back() + 1; i < static_cast<int>(b.size()); ++i) {
    if (b[i] != 0) return std::nullopt;
  }
  std::array<uint8_t, net::IpAddress::kV4Size> v4{};
  for (size_t i = 0; i < positions.size(); ++i) v4[i] = b[positions[i]];
  return net::IpAddress::FromV4Bytes(v4);
}

void MoveSynthesizedAaaa(const net::IpPrefix& prefix, v1::NameAddresses* name) {
  std::vector<std::string> kept;
  for (const std::string& literal : name->aaaa()) {
    bool synthesized = false;
    const absl::StatusOr<net::IpAddress> a = net::IpAddress::Parse(literal);
    const std::optional<net::IpAddress> v4 =
        a.ok() ? ExtractFromNat64(prefix, *a) : std::nullopt;
    if (v4.has_value()) {
      const std::string embedded = v4->ToString();
      for (const std::string& record : name->a()) {
        synthesized = synthesized || record == embedded;
      }
    }
    if (synthesized) {
      name->add_aaaa_synthesized(literal);
    } else {
      kept.push_back(literal);
    }
  }
  name->clear_aaaa();
  for (std::string& literal : kept) name->add_aaaa(std::move(literal));
}

bool HostHasIpv4Route() {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(53);
  // 11.0.0.1: public space, routed only by a default route. connect() on
  // UDP sends nothing; it fails (ENETUNREACH) without a route.
  to.sin_addr.s_addr = htonl(0x0b000001);
  const bool routed =
      connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof(to)) == 0;
  close(fd);
  return routed;
}

bool HostHasIpv6Route() {
  const int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in6 to{};
  to.sin6_family = AF_INET6;
  to.sin6_port = htons(53);
  // 2600::1: global unicast, routed only by a default route (or a route
  // to 2000::/3), as 11.0.0.1 above.
  to.sin6_addr.s6_addr[0] = 0x26;
  to.sin6_addr.s6_addr[15] = 0x01;
  const bool routed =
      connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof(to)) == 0;
  close(fd);
  return routed;
}

// --- discovery ---------------------------------------------------------------

struct Nat64Discovery::State {
  std::shared_ptr<const Nat64Vantage> known;
  bool asking = false;
  std::vector<Ready> waiting;
  std::optional<bool> has_own_ipv4;
  std::optional<bool> has_own_ipv6;
};

Nat64Discovery::Nat64Discovery(loop::EventLoop* loop, DnsLookup* dns,
                               std::optional<net::IpPrefix> configured_prefix,
                               std::optional<bool> has_own_ipv4,
                               std::optional<bool> has_own_ipv6,
                               absl::Duration timeout, int tries)
    : loop_(loop),
      dns_(dns),
      timeout_(timeout),
      tries_(tries),
      state_(std::make_shared<State>()) {
  state_->has_own_ipv4 = has_own_ipv4;
  state_->has_own_ipv6 = has_own_ipv6;
  if (configured_prefix.has_value()) {
    auto vantage = std::make_shared<Nat64Vantage>();
    vantage->prefix = configured_prefix;
    vantage->has_own_ipv4 = has_own_ipv4.value_or(HostHasIpv4Route());
    vantage->has_own_ipv6 = has_own_ipv6.value_or(HostHasIpv6Route());
    state_->known = std::move(vantage);
  }
}

void Nat64Discovery::WhenKnown(Ready ready) {
  if (state_->known != nullptr) {
    loop_->RunAfter(
        absl::ZeroDuration(),
        [ready = std::move(ready), known = state_->known] { ready(known); });
    return;
  }
  state_->waiting.push_back(std::move(ready));
  if (state_->asking) return;
  state_->asking = true;
  LookupRequest request;
  request.name = dns::kIpv4OnlyArpa;
  request.qtype = kTypeAaaa;
  request.timeout = timeout_;
  request.tries = tries_;
  std::weak_ptr<State> weak = state_;
  dns_->Lookup(std::move(request), [weak](LookupResult r) {
    std::shared_ptr<State> state = weak.lock();
    if (state == nullptr) return;
    auto vantage = std::make_shared<Nat64Vantage>();
    if (r.outcome == v1::OK) {
      vantage->prefix = dns::Nat64PrefixFromAaaa(r.response.addresses);
    }
    vantage->has_own_ipv4 = state->has_own_ipv4.value_or(HostHasIpv4Route());
    vantage->has_own_ipv6 = state->has_own_ipv6.value_or(HostHasIpv6Route());
    state->known = std::move(vantage);
    std::vector<Ready> waiting = std::move(state->waiting);
    for (Ready& ready : waiting) ready(state->known);  // On the loop already.
  });
}

// --- the IPv4 fetch through NAT64
// ------------------------------------------------

// AAAA questions asked as A, the answers mapped into the prefix: a
// redirect to another host is followed to that host's IPv4 through NAT64,
// never to its own IPv6 (this is the IPv4 half of the comparison).
class Nat64Web::MappedALookup : public DnsLookup {
 public:
  MappedALookup(DnsLookup* inner, net::IpPrefix prefix)
      : inner_(inner), prefix_(std::move(prefix)) {}

  void Lookup(LookupRequest request,
              std::function<void(LookupResult)> done) override {
    if (request.qtype != kTypeAaaa) {
      return inner_->Lookup(std::move(request), std::move(done));
    }
    request.qtype = kTypeA;
    // Captures no `this`: the answer may come after the fetch is gone.
    inner_->Lookup(std::move(request),
                   [prefix = prefix_, done = std::move(done)](LookupResult r) {
                     for (net::IpAddress& a : r.response.addresses) {
                       if (a.Unmapped().is_v4()) a = MapIntoNat64(prefix, a);
                     }
                     done(std::move(r));
                   });
  }

 private:
  DnsLookup* const inner_;
  const net::IpPrefix prefix_;
};

// A redirect host's AAAA inside the prefix dropped: the IPv6 fetch follows
// only the host's own IPv6.
class Nat64Web::UnsynthesizedLookup : public DnsLookup {
 public:
  UnsynthesizedLookup(DnsLookup* inner, net::IpPrefix prefix)
      : inner_(inner), prefix_(std::move(prefix)) {}

  void Lookup(LookupRequest request,
              std::function<void(LookupResult)> done) override {
    if (request.qtype != kTypeAaaa) {
      return inner_->Lookup(std::move(request), std::move(done));
    }
    inner_->Lookup(std::move(request),
                   [prefix = prefix_, done = std::move(done)](LookupResult r) {
                     std::vector<net::IpAddress> kept;
                     for (const net::IpAddress& a : r.response.addresses) {
                       if (!prefix.Contains(a)) kept.push_back(a);
                     }
                     if (kept.empty() && r.outcome == v1::OK)
                       r.outcome = v1::DNS_NODATA;
                     r.response.addresses = std::move(kept);
                     done(std::move(r));
                   });
  }

 private:
  DnsLookup* const inner_;
  const net::IpPrefix prefix_;
};

Nat64Web::Nat64Web(const WebContext& base, net::IpPrefix prefix)
    : mapped_(std::make_unique<MappedALookup>(base.dns, prefix)),
      unsynthesized_(std::make_unique<UnsynthesizedLookup>(base.dns, prefix)),
      v4_context_(base),
      v6_context_(base),
      prefix_(std::move(prefix)) {
  v4_context_.dns = mapped_.get();
  v6_context_.dns = unsynthesized_.get();
}

Nat64Web::~Nat64Web() = default;

std::shared_ptr<HomePageFetch> Nat64Web::StartV6(std::string url,
                                                 std::vector<net::IpAddress> v6,
                                                 absl::Duration deadline,
                                                 HomePageFetch::Done done) {
  return HomePageFetch::Start(v6_context_, std::move(url), v1::IPV6,
                              std::move(v6), deadline, std::move(done));
}

std::shared_ptr<HomePageFetch> Nat64Web::StartV4ViaNat64(
    std::string url, const std::vector<net::IpAddress>& v4,
    absl::Duration deadline, HomePageFetch::Done done) {
  std::vector<net::IpAddress> mapped;
  for (const net::IpAddress& a : v4) mapped.push_back(MapIntoNat64(prefix_, a));
  return HomePageFetch::Start(v4_context_, std::move(url), v1::IPV6,
                              std::move(mapped), deadline,
                              [done = std::move(done)](v1::WebFetch fetch) {
                                RecordAsNat64(&fetch);
                                done(std::move(fetch));
                              });
}

void RecordAsNat64(v1::WebFetch* fetch) {
  fetch->set_family(v1::IPV4);
  fetch->set_via_nat64(true);
  if (fetch->outcome() == v1::NO_ADDRESS) {
    fetch->set_error_detail(
        absl::StrReplaceAll(fetch->error_detail(), {{"no AAAA ", "no A "}}));
  }
}

}  // namespace v6scope::probe::readiness
