#include "probe/dns/nat64.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace v6scope::probe::dns {
namespace {

using Bytes = std::array<uint8_t, net::IpAddress::kV6Size>;

// Byte offset of the reserved "u" octet (bits 64..71, RFC 6052 sec. 2.2).
constexpr int kUOctet = 8;

// The four byte positions of the embedded IPv4 address for a prefix of
// `length` bits: the prefix, then the IPv4 address, skipping the u octet.
std::array<int, 4> V4Positions(int length) {
  std::array<int, 4> positions{};
  int byte = length / 8;
  for (int& p : positions) {
    if (byte == kUOctet && length < 96) ++byte;
    p = byte++;
  }
  return positions;
}

bool IsWellKnownV4(const std::array<uint8_t, 4>& v4) {
  // 192.0.0.170 and 192.0.0.171 (RFC 7050 sec. 2.2).
  return v4[0] == 192 && v4[1] == 0 && v4[2] == 0 &&
         (v4[3] == 170 || v4[3] == 171);
}

// True when `bytes` carries a well-known IPv4 address at the RFC 6052
// position for `length`, with the u octet and the suffix zero.
bool EmbedsWellKnownAt(const Bytes& bytes, int length) {
  const std::array<int, 4> positions = V4Positions(length);
  std::array<uint8_t, 4> v4{};
  for (size_t i = 0; i < positions.size(); ++i) v4[i] = bytes[positions[i]];
  if (!IsWellKnownV4(v4)) return false;
  if (length < 96 && bytes[kUOctet] != 0) return false;
  for (int i = positions.back() + 1; i < static_cast<int>(bytes.size()); ++i) {
    if (bytes[i] != 0) return false;
  }
  return true;
}

// ::/96 (IPv4-compatible) and ::ffff:0:0/96 (IPv4-mapped) carry IPv4
// addresses at the /96 position too, but are not NAT64 prefixes.
bool IsNonNat64Range(const net::IpPrefix& prefix) {
  if (prefix.length() != 96) return false;
  const Bytes& b = prefix.address().bytes();
  for (int i = 0; i < 10; ++i) {
    if (b[i] != 0) return false;
  }
  return (b[10] == 0 && b[11] == 0) || (b[10] == 0xff && b[11] == 0xff);
}

std::optional<net::IpPrefix> PrefixOf(const net::IpAddress& address) {
  if (!address.is_v6()) return std::nullopt;
  for (int length : {32, 40, 48, 56, 64, 96}) {
    if (!EmbedsWellKnownAt(address.bytes(), length)) continue;
    net::IpPrefix prefix = net::IpPrefix::FromAddress(address, length);
    if (IsNonNat64Range(prefix)) return std::nullopt;
    return prefix;
  }
  return std::nullopt;
}

}  // namespace

std::vector<net::IpPrefix> Nat64PrefixesFromAaaa(
    const std::vector<net::IpAddress>& ipv4only_arpa_aaaa) {
  std::vector<net::IpPrefix> prefixes;
  for (const net::IpAddress& address : ipv4only_arpa_aaaa) {
    std::optional<net::IpPrefix> prefix = PrefixOf(address);
    if (!prefix.has_value()) continue;
    if (std::find(prefixes.begin(), prefixes.end(), *prefix) ==
        prefixes.end()) {
      prefixes.push_back(*prefix);
    }
  }
  return prefixes;
}

std::optional<net::IpPrefix> Nat64PrefixFromAaaa(
    const std::vector<net::IpAddress>& ipv4only_arpa_aaaa) {
  std::vector<net::IpPrefix> prefixes =
      Nat64PrefixesFromAaaa(ipv4only_arpa_aaaa);
  if (prefixes.empty()) return std::nullopt;
  return prefixes.front();
}

}  // namespace v6scope::probe::dns
