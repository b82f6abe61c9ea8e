#include "common/net/ip_address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace v6scope::net {
namespace {

// Error messages quote the offending input, but inputs come from config
// files and the network: escape them and bound their length.
constexpr size_t kMaxQuotedLength = 64;

std::string Quote(absl::string_view text) {
  if (text.size() > kMaxQuotedLength) {
    return absl::StrCat(
        "\"", absl::CHexEscape(text.substr(0, kMaxQuotedLength)), "...\"");
  }
  return absl::StrCat("\"", absl::CHexEscape(text), "\"");
}

// A block of the address space, by the first 32 bits of the address (all
// the IPv4 address; enough of an IPv6 address for every block below).
struct Block {
  uint32_t base;
  int length;  // 0..32
  AddressClass address_class;
};

constexpr uint32_t V4(uint32_t a, uint32_t b, uint32_t c, uint32_t d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

bool InBlock(uint32_t value, const Block& block) {
  const uint32_t mask =
      block.length == 0 ? 0 : ~uint32_t{0} << (32 - block.length);
  return (value & mask) == block.base;
}

// The first block that matches wins, so more specific blocks come first.
//
// These are the kinds of space the measurement model names; whether an
// address is public at all is special_purpose.h's question (IsPublicAddress,
// the full IANA registries), which callers that count public addresses ask
// too. The documentation ranges are "other" here: never a host's public
// address (test beds use 11.0.0.0/8 and 3ffe::/16 for that).
constexpr Block kV4Blocks[] = {
    {V4(0, 0, 0, 0), 8, AddressClass::kV4Other},           // "This network".
    {V4(10, 0, 0, 0), 8, AddressClass::kV4Private},        // RFC 1918.
    {V4(100, 64, 0, 0), 10, AddressClass::kV4Shared},      // RFC 6598 CGNAT.
    {V4(127, 0, 0, 0), 8, AddressClass::kV4Loopback},      // RFC 1122.
    {V4(169, 254, 0, 0), 16, AddressClass::kV4LinkLocal},  // RFC 3927.
    {V4(172, 16, 0, 0), 12, AddressClass::kV4Private},     // RFC 1918.
    {V4(192, 0, 0, 0), 24, AddressClass::kV4Other},        // IETF protocol.
    {V4(192, 0, 2, 0), 24, AddressClass::kV4Other},        // TEST-NET-1.
    {V4(192, 168, 0, 0), 16, AddressClass::kV4Private},    // RFC 1918.
    {V4(198, 18, 0, 0), 15, AddressClass::kV4Other},       // Benchmarking.
    {V4(198, 51, 100, 0), 24, AddressClass::kV4Other},     // TEST-NET-2.
    {V4(203, 0, 113, 0), 24, AddressClass::kV4Other},      // TEST-NET-3.
    {V4(224, 0, 0, 0), 4, AddressClass::kV4Other},         // Multicast.
    {V4(240, 0, 0, 0), 4, AddressClass::kV4Other},  // Reserved, broadcast.
};

// By the first 32 bits; ::, ::1 and IPv4-mapped are handled before these.
constexpr Block kV6Blocks[] = {
    {0xFE800000, 10, AddressClass::kV6LinkLocal},  // RFC 4291.
    {0xFC000000, 7, AddressClass::kV6Ula},         // RFC 4193.
    {0x20020000, 16, AddressClass::kV6Sixto4},     // RFC 3056.
    {0x20010DB8, 32, AddressClass::kV6Other},      // Documentation.
    {0x20010000, 32, AddressClass::kV6Teredo},     // RFC 4380.
    {0x3FFF0000, 20, AddressClass::kV6Other},      // Documentation (RFC 9637).
    {0x20000000, 3, AddressClass::kV6GlobalNative},  // Global unicast.
};

template <size_t N>
AddressClass FirstMatch(uint32_t value, const Block (&blocks)[N],
                        AddressClass fallback) {
  for (const Block& block : blocks) {
    if (InBlock(value, block)) return block.address_class;
  }
  return fallback;
}

uint32_t First32Bits(const IpAddress& address) {
  const auto& b = address.bytes();
  return V4(b[0], b[1], b[2], b[3]);
}

AddressClass ClassifyV6(const IpAddress& address) {
  if (address == IpAddress::FromV6Bytes({})) return AddressClass::kV6Other;
  std::array<uint8_t, IpAddress::kV6Size> loopback{};
  loopback[15] = 1;
  if (address == IpAddress::FromV6Bytes(loopback)) {
    return AddressClass::kV6Loopback;
  }
  if (address.IsV4Mapped()) return AddressClass::kV6Other;
  return FirstMatch(First32Bits(address), kV6Blocks, AddressClass::kV6Other);
}

// Strict decimal: 1-3 digits, no sign, no leading zero (so the text of a
// valid prefix is unambiguous).
absl::StatusOr<int> ParsePrefixLength(absl::string_view text,
                                      absl::string_view cidr, int max_length) {
  const bool digits_only =
      !text.empty() && text.size() <= 3 &&
      std::all_of(text.begin(), text.end(),
                  [](char c) { return absl::ascii_isdigit(c); }) &&
      (text.size() == 1 || text[0] != '0');
  int length = 0;
  if (!digits_only || !absl::SimpleAtoi(text, &length) || length > max_length) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad prefix length ", Quote(text), " in ", Quote(cidr),
                     ": want a decimal number from 0 to ", max_length));
  }
  return length;
}

bool IsValidPort(absl::string_view port) {
  uint32_t value = 0;
  return !port.empty() && port.size() <= 5 &&
         std::all_of(port.begin(), port.end(),
                     [](char c) { return absl::ascii_isdigit(c); }) &&
         absl::SimpleAtoi(port, &value) && value <= 65535;
}

// The longest IPv6 text inet_pton accepts is 45 characters
// ("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"); anything longer is
// not an address, so a fixed buffer with room for the NUL is enough.
constexpr size_t kMaxV6LiteralSize = 64;

// inet_pton(AF_INET)'s grammar exactly (glibc, POSIX): four decimal parts
// of one to three digits, each at most 255, no leading zero, nothing
// else. By hand because inet_pton needs a NUL-terminated copy and is the
// larger part of parsing an address at ingest; ip_address_test checks the
// two agree.
bool ParseDottedQuad(absl::string_view text, uint8_t* out) {
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= text.size() || text[i] != '.') return false;
      ++i;
    }
    const size_t start = i;
    unsigned value = 0;
    while (i < text.size() && i - start < 4 && absl::ascii_isdigit(text[i])) {
      value = value * 10 + static_cast<unsigned>(text[i] - '0');
      ++i;
    }
    const size_t digits = i - start;
    if (digits == 0 || digits > 3 || value > 255) return false;
    if (digits > 1 && text[start] == '0') return false;
    out[part] = static_cast<uint8_t>(value);
  }
  return i == text.size();
}

bool IsLoopbackHost(absl::string_view host) {
  if (absl::EqualsIgnoreCase(host, "localhost")) return true;
  absl::StatusOr<IpAddress> address = IpAddress::Parse(host);
  if (!address.ok()) return false;
  const AddressClass address_class = Classify(address->Unmapped());
  return address_class == AddressClass::kV4Loopback ||
         address_class == AddressClass::kV6Loopback;
}

}  // namespace

IpAddress::IpAddress() : family_(IpFamily::kV4), bytes_{} {}

IpAddress IpAddress::FromV4Bytes(const std::array<uint8_t, kV4Size>& bytes) {
  std::array<uint8_t, kV6Size> all{};
  std::copy(bytes.begin(), bytes.end(), all.begin());
  return IpAddress(IpFamily::kV4, all);
}

IpAddress IpAddress::FromV6Bytes(const std::array<uint8_t, kV6Size>& bytes) {
  return IpAddress(IpFamily::kV6, bytes);
}

std::optional<IpAddress> IpAddress::TryParse(absl::string_view literal) {
  std::array<uint8_t, kV6Size> bytes{};
  if (literal.find(':') == absl::string_view::npos) {
    if (ParseDottedQuad(literal, bytes.data())) {
      return IpAddress(IpFamily::kV4, bytes);
    }
  } else if (literal.size() < kMaxV6LiteralSize &&
             literal.find('\0') == absl::string_view::npos) {
    // inet_pton reads a C string: an embedded NUL would silently cut the
    // literal short and accept trailing garbage. A copy on the stack: no
    // allocation per address.
    char text[kMaxV6LiteralSize];
    std::memcpy(text, literal.data(), literal.size());
    text[literal.size()] = '\0';
    if (inet_pton(AF_INET6, text, bytes.data()) == 1) {
      return IpAddress(IpFamily::kV6, bytes);
    }
  }
  return std::nullopt;
}

absl::StatusOr<IpAddress> IpAddress::Parse(absl::string_view literal) {
  std::optional<IpAddress> address = TryParse(literal);
  if (address.has_value()) return *address;
  return absl::InvalidArgumentError(
      absl::StrCat("not an IP address literal: ", Quote(literal)));
}

absl::StatusOr<IpAddress> IpAddress::FromSockaddr(const sockaddr* addr) {
  if (addr == nullptr) {
    return absl::InvalidArgumentError("null sockaddr");
  }
  std::array<uint8_t, kV6Size> bytes{};
  switch (addr->sa_family) {
    case AF_INET: {
      const auto* in = reinterpret_cast<const sockaddr_in*>(addr);
      std::memcpy(bytes.data(), &in->sin_addr, kV4Size);
      return IpAddress(IpFamily::kV4, bytes);
    }
    case AF_INET6: {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(addr);
      std::memcpy(bytes.data(), &in6->sin6_addr, kV6Size);
      return IpAddress(IpFamily::kV6, bytes);
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("not an IP sockaddr: address family ", addr->sa_family));
  }
}

bool IpAddress::IsV4Mapped() const {
  static constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0,    0,
                                                0, 0, 0, 0, 0xFF, 0xFF};
  return is_v6() && std::equal(std::begin(kMappedPrefix),
                               std::end(kMappedPrefix), bytes_.begin());
}

IpAddress IpAddress::Unmapped() const {
  if (!IsV4Mapped()) return *this;
  return FromV4Bytes({bytes_[12], bytes_[13], bytes_[14], bytes_[15]});
}

std::string IpAddress::ToString() const {
  char buffer[INET6_ADDRSTRLEN] = {};
  const int af = is_v4() ? AF_INET : AF_INET6;
  // Cannot fail: the family is valid and the buffer fits any address.
  inet_ntop(af, bytes_.data(), buffer, sizeof(buffer));
  return buffer;
}

IpAddress IpAddress::Truncate(int prefix_len) const {
  const int length = std::clamp(prefix_len, 0, bit_length());
  IpAddress result = *this;
  for (size_t i = 0; i < size(); ++i) {
    const int kept_bits = std::clamp(length - static_cast<int>(i * 8), 0, 8);
    // 0xFF00 >> kept_bits has `kept_bits` ones at the top of its low byte.
    result.bytes_[i] &= static_cast<uint8_t>(0xFF00 >> kept_bits);
  }
  return result;
}

AddressClass Classify(const IpAddress& address) {
  if (address.is_v6()) return ClassifyV6(address);
  return FirstMatch(First32Bits(address), kV4Blocks, AddressClass::kV4Public);
}

absl::string_view AddressClassName(AddressClass address_class) {
  switch (address_class) {
    case AddressClass::kV4Public:
      return "v4_public";
    case AddressClass::kV4Private:
      return "v4_private";
    case AddressClass::kV4Shared:
      return "v4_shared";
    case AddressClass::kV4Loopback:
      return "v4_loopback";
    case AddressClass::kV4LinkLocal:
      return "v4_link_local";
    case AddressClass::kV4Other:
      return "v4_other";
    case AddressClass::kV6GlobalNative:
      return "v6_global_native";
    case AddressClass::kV6Sixto4:
      return "v6_6to4";
    case AddressClass::kV6Teredo:
      return "v6_teredo";
    case AddressClass::kV6Ula:
      return "v6_ula";
    case AddressClass::kV6LinkLocal:
      return "v6_link_local";
    case AddressClass::kV6Loopback:
      return "v6_loopback";
    case AddressClass::kV6Other:
      return "v6_other";
  }
  return "unknown";
}

absl::StatusOr<IpPrefix> IpPrefix::Parse(absl::string_view cidr) {
  const size_t slash = cidr.find('/');
  if (slash == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a CIDR prefix (no \"/length\"): ", Quote(cidr)));
  }
  absl::StatusOr<IpAddress> address = IpAddress::Parse(cidr.substr(0, slash));
  if (!address.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad prefix ", Quote(cidr), ": ", address.status().message()));
  }
  absl::StatusOr<int> length =
      ParsePrefixLength(cidr.substr(slash + 1), cidr, address->bit_length());
  if (!length.ok()) return length.status();
  const IpAddress network = address->Truncate(*length);
  if (network != *address) {
    return absl::InvalidArgumentError(absl::StrCat(
        "host bits are set in prefix ", Quote(cidr), " (its network is ",
        network.ToString(), "/", *length, ")"));
  }
  return IpPrefix(network, *length);
}

IpPrefix IpPrefix::FromAddress(const IpAddress& address, int length) {
  const int clamped = std::clamp(length, 0, address.bit_length());
  return IpPrefix(address.Truncate(clamped), clamped);
}

std::string IpPrefix::ToString() const {
  return absl::StrCat(address_.ToString(), "/", length_);
}

bool IpPrefix::Contains(const IpAddress& address) const {
  return address.family() == address_.family() &&
         address.Truncate(length_) == address_;
}

IpPrefix PublicTruncation(const IpAddress& address) {
  const IpAddress unmapped = address.Unmapped();
  return IpPrefix::FromAddress(unmapped, unmapped.is_v4()
                                             ? kPublicV4PrefixLength
                                             : kPublicV6PrefixLength);
}

absl::Status ValidateTruncatedPrefix(absl::string_view cidr, bool want_v6) {
  absl::StatusOr<IpPrefix> prefix = IpPrefix::Parse(cidr);
  if (!prefix.ok()) return prefix.status();
  const absl::string_view family = want_v6 ? "IPv6" : "IPv4";
  if (prefix->address().is_v6() != want_v6) {
    return absl::InvalidArgumentError(
        absl::StrCat("want an ", family, " prefix, got ", Quote(cidr)));
  }
  const int want_length =
      want_v6 ? kPublicV6PrefixLength : kPublicV4PrefixLength;
  if (prefix->length() != want_length) {
    return absl::InvalidArgumentError(absl::StrCat(
        "prefix ", Quote(cidr), " is a /", prefix->length(), "; a public ",
        family, " address must be truncated to exactly /", want_length));
  }
  return absl::OkStatus();
}

bool IsLoopbackHostPort(absl::string_view host_port) {
  absl::string_view host = host_port;
  absl::string_view port;
  bool has_port = false;
  if (absl::ConsumePrefix(&host, "[")) {
    // "[v6-literal]" or "[v6-literal]:port"; brackets mean IPv6 only.
    const size_t close = host.find(']');
    if (close == absl::string_view::npos) return false;
    absl::string_view rest = host.substr(close + 1);
    host = host.substr(0, close);
    if (!absl::StrContains(host, ':')) return false;
    if (!rest.empty()) {
      if (!absl::ConsumePrefix(&rest, ":")) return false;
      port = rest;
      has_port = true;
    }
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    // "host:port". Two or more colons: a bare IPv6 literal without port.
    const size_t colon = host.find(':');
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
    has_port = true;
  }
  if (has_port && !IsValidPort(port)) return false;
  return IsLoopbackHost(host);
}

}  // namespace v6scope::net
