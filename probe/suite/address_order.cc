#include "probe/suite/address_order.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

namespace v6scope::probe::suite {
namespace {

struct Policy {
  const char* prefix;
  int precedence;
  int label;
};

// RFC 6724 section 2.1, the default policy table.
constexpr Policy kPolicies[] = {
    {"::1/128", 50, 0},   {"::/0", 40, 1},      {"::ffff:0:0/96", 35, 4},
    {"2002::/16", 30, 2}, {"2001::/32", 5, 5},  {"fc00::/7", 3, 13},
    {"::/96", 1, 3},      {"fec0::/10", 1, 11}, {"3ffe::/16", 1, 12},
};

// IPv4 addresses are compared in their IPv4-mapped IPv6 form, as the RFC
// does.
net::IpAddress AsV6(const net::IpAddress& a) {
  if (a.is_v6()) return a;
  std::array<uint8_t, 16> b{};
  b[10] = 0xff;
  b[11] = 0xff;
  std::memcpy(&b[12], a.bytes().data(), 4);
  return net::IpAddress::FromV6Bytes(b);
}

const Policy& PolicyFor(const net::IpAddress& a) {
  const net::IpAddress v6 = AsV6(a);
  const Policy* best = &kPolicies[1];  // ::/0
  int best_len = -1;
  for (const Policy& p : kPolicies) {
    auto prefix = net::IpPrefix::Parse(p.prefix);
    if (prefix.ok() && prefix->length() > best_len && prefix->Contains(v6)) {
      best = &p;
      best_len = prefix->length();
    }
  }
  return *best;
}

// RFC 6724 section 3.1 scopes: link-local 2, site-local 5, global 14;
// IPv4 loopback and link-local count as link-local.
int Scope(const net::IpAddress& a) {
  const uint8_t* b = a.bytes().data();
  if (a.is_v4()) {
    if (b[0] == 127 || (b[0] == 169 && b[1] == 254)) return 2;
    return 14;
  }
  if (b[0] == 0xff) return b[1] & 0x0f;  // Multicast carries its scope.
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return 2;
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return 5;
  static const net::IpAddress kLoopback = *net::IpAddress::Parse("::1");
  if (a == kLoopback) return 2;
  return 14;
}

int CommonPrefixLength(const net::IpAddress& a, const net::IpAddress& b) {
  int n = 0;
  for (size_t i = 0; i < 16; ++i) {
    uint8_t x = a.bytes()[i] ^ b.bytes()[i];
    if (x == 0) {
      n += 8;
      continue;
    }
    while ((x & 0x80) == 0) {
      ++n;
      x <<= 1;
    }
    break;
  }
  return n;
}

struct Candidate {
  net::IpAddress dest;
  std::optional<net::IpAddress> source;
};

// True when `a` should come before `b`.
bool Before(const Candidate& a, const Candidate& b) {
  // Rule 1: avoid unusable destinations.
  if (a.source.has_value() != b.source.has_value()) return a.source.has_value();
  if (!a.source.has_value()) return false;
  // Rule 2: prefer matching scope.
  const bool scope_a = Scope(a.dest) == Scope(*a.source);
  const bool scope_b = Scope(b.dest) == Scope(*b.source);
  if (scope_a != scope_b) return scope_a;
  // Rule 5: prefer matching label.
  const bool label_a = PolicyFor(a.dest).label == PolicyFor(*a.source).label;
  const bool label_b = PolicyFor(b.dest).label == PolicyFor(*b.source).label;
  if (label_a != label_b) return label_a;
  // Rule 6: prefer higher precedence.
  const int prec_a = PolicyFor(a.dest).precedence;
  const int prec_b = PolicyFor(b.dest).precedence;
  if (prec_a != prec_b) return prec_a > prec_b;
  // Rule 8: prefer smaller scope.
  if (Scope(a.dest) != Scope(b.dest)) return Scope(a.dest) < Scope(b.dest);
  // Rule 9: longest matching prefix, between IPv6 addresses only.
  if (a.dest.is_v6() && b.dest.is_v6()) {
    return CommonPrefixLength(a.dest, *a.source) >
           CommonPrefixLength(b.dest, *b.source);
  }
  return false;  // Rule 10: keep the resolver's order.
}

}  // namespace

std::optional<net::IpAddress> KernelSourceFor(const net::IpAddress& dest) {
  sockaddr_storage ss{};
  socklen_t len;
  if (dest.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&ss);
    sin->sin_family = AF_INET;
    sin->sin_port = htons(9);  // Any port: nothing is sent.
    std::memcpy(&sin->sin_addr, dest.bytes().data(), 4);
    len = sizeof(sockaddr_in);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&ss);
    sin6->sin6_family = AF_INET6;
    sin6->sin6_port = htons(9);
    std::memcpy(&sin6->sin6_addr, dest.bytes().data(), 16);
    len = sizeof(sockaddr_in6);
  }
  int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  std::optional<net::IpAddress> out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&ss), len) == 0) {
    sockaddr_storage local{};
    socklen_t local_len = sizeof(local);
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) == 0) {
      auto addr =
          net::IpAddress::FromSockaddr(reinterpret_cast<sockaddr*>(&local));
      if (addr.ok()) out = *addr;
    }
  }
  close(fd);
  return out;
}

std::vector<net::IpAddress> SortDestinations(
    std::vector<net::IpAddress> destinations, const SourceLookup& source_for) {
  std::vector<Candidate> c;
  c.reserve(destinations.size());
  for (const net::IpAddress& d : destinations) c.push_back({d, source_for(d)});
  std::stable_sort(c.begin(), c.end(), Before);
  for (size_t i = 0; i < c.size(); ++i) destinations[i] = c[i].dest;
  return destinations;
}

}  // namespace v6scope::probe::suite
