// IP addresses and prefixes shared by the probe and the collector: parsing,
// global-scope classification, and the privacy truncation that decides what
// of a probe's public address may ever leave the probe host.
//
// Everything here is a value type or a pure function: thread-compatible, no
// I/O, no allocation beyond the returned strings.
#ifndef V6SCOPE_COMMON_NET_IP_ADDRESS_H_
#define V6SCOPE_COMMON_NET_IP_ADDRESS_H_

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace v6scope::net {

enum class IpFamily { kV4, kV6 };

// An IPv4 or IPv6 address (no zone/scope id, no port).
//
// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) stay IPv6 addresses: they are
// what a dual-stack socket reports, and callers that mean the embedded IPv4
// address say so with Unmapped().
class IpAddress {
 public:
  static constexpr size_t kV4Size = 4;
  static constexpr size_t kV6Size = 16;

  // 0.0.0.0; exists so that IpAddress can be a plain member and map key.
  IpAddress();

  static IpAddress FromV4Bytes(const std::array<uint8_t, kV4Size>& bytes);
  static IpAddress FromV6Bytes(const std::array<uint8_t, kV6Size>& bytes);

  // Parses a dotted-quad IPv4 or an RFC 4291 IPv6 literal (including the
  // mixed form "::ffff:192.0.2.1"). No brackets, zone ids, ports or
  // surrounding whitespace. The error quotes the offending text.
  static absl::StatusOr<IpAddress> Parse(absl::string_view literal);
  // Parse without the error: for callers that only ask "is it one?" (the
  // ingest checks several addresses per result), no message is built.
  static std::optional<IpAddress> TryParse(absl::string_view literal);

  // Address of an AF_INET or AF_INET6 sockaddr (the scope id is dropped);
  // InvalidArgument for null or any other family.
  static absl::StatusOr<IpAddress> FromSockaddr(const sockaddr* addr);

  IpFamily family() const { return family_; }
  bool is_v4() const { return family_ == IpFamily::kV4; }
  bool is_v6() const { return family_ == IpFamily::kV6; }

  // Network-order bytes. An IPv4 address occupies the first 4 bytes and the
  // rest are zero; size() says how many bytes are meaningful.
  const std::array<uint8_t, kV6Size>& bytes() const { return bytes_; }
  size_t size() const { return is_v4() ? kV4Size : kV6Size; }
  int bit_length() const { return static_cast<int>(size() * 8); }

  // True for ::ffff:0:0/96.
  bool IsV4Mapped() const;
  // The embedded IPv4 address if IsV4Mapped(), otherwise *this.
  IpAddress Unmapped() const;

  // Canonical text (inet_ntop): "192.0.2.1", "2001:db8::1".
  std::string ToString() const;

  // This address with every bit after the first `prefix_len` set to zero.
  // `prefix_len` is clamped to [0, bit_length()].
  IpAddress Truncate(int prefix_len) const;

  // Total order: every IPv4 address sorts before every IPv6 address, then
  // by bytes (numeric order).
  friend bool operator==(const IpAddress& a, const IpAddress& b) {
    return a.family_ == b.family_ && a.bytes_ == b.bytes_;
  }
  friend bool operator!=(const IpAddress& a, const IpAddress& b) {
    return !(a == b);
  }
  friend bool operator<(const IpAddress& a, const IpAddress& b) {
    if (a.family_ != b.family_) return a.family_ < b.family_;
    return a.bytes_ < b.bytes_;
  }
  friend bool operator>(const IpAddress& a, const IpAddress& b) {
    return b < a;
  }
  friend bool operator<=(const IpAddress& a, const IpAddress& b) {
    return !(b < a);
  }
  friend bool operator>=(const IpAddress& a, const IpAddress& b) {
    return !(a < b);
  }

  template <typename H>
  friend H AbslHashValue(H h, const IpAddress& a) {
    return H::combine(std::move(h), a.family_, a.bytes_);
  }

 private:
  IpAddress(IpFamily family, const std::array<uint8_t, kV6Size>& bytes)
      : family_(family), bytes_(bytes) {}

  IpFamily family_;
  std::array<uint8_t, kV6Size> bytes_;
};

// Global-scope class of an address, as the measurement model needs it
// (docs: DESIGN.md, "Measurement model"; proto: v1.AddressInventory). A
// coarse kind of space by the first 32 bits: whether an address is public
// is net::IsPublicAddress (special_purpose.h), which also knows the small
// blocks (2001:2::/48 benchmarking, 192.0.0.9/32) this does not.
enum class AddressClass {
  kV4Public,        // Any other IPv4 (see special_purpose.h for "public").
  kV4Private,       // RFC 1918: 10/8, 172.16/12, 192.168/16.
  kV4Shared,        // RFC 6598: 100.64/10 (carrier-grade NAT).
  kV4Loopback,      // 127/8.
  kV4LinkLocal,     // 169.254/16.
  kV4Other,         // 0/8, 192.0.0/24, documentation, 198.18/15,
                    // multicast, 240/4.
  kV6GlobalNative,  // 2000::/3 minus 6to4, Teredo and documentation.
  kV6Sixto4,        // 2002::/16.
  kV6Teredo,        // 2001::/32.
  kV6Ula,           // fc00::/7.
  kV6LinkLocal,     // fe80::/10.
  kV6Loopback,      // ::1.
  kV6Other,         // ::, IPv4-mapped, multicast, NAT64 64:ff9b::/96,
                    // documentation (2001:db8::/32, 3fff::/20), ...
};

AddressClass Classify(const IpAddress& address);

// Stable snake_case name ("v4_shared", "v6_6to4"), matching the
// v1.AddressInventory field names where one exists; for logs and tests.
absl::string_view AddressClassName(AddressClass address_class);

// A CIDR prefix whose host bits are zero.
class IpPrefix {
 public:
  // 0.0.0.0/0.
  IpPrefix() = default;

  // Parses "192.0.2.0/24" or "2001:db8:1::/48". Rejects a missing or
  // out-of-range length and set host bits ("192.0.2.1/24"): a prefix with
  // host bits set usually means the writer truncated nothing.
  static absl::StatusOr<IpPrefix> Parse(absl::string_view cidr);

  // The prefix of `address` of length `length` (clamped to the family's
  // range); host bits are cleared, never rejected.
  static IpPrefix FromAddress(const IpAddress& address, int length);

  const IpAddress& address() const { return address_; }
  int length() const { return length_; }

  // "192.0.2.0/24", "2001:db8:1::/48".
  std::string ToString() const;

  // True if `address` has this prefix's family and lies inside it.
  bool Contains(const IpAddress& address) const;

  friend bool operator==(const IpPrefix& a, const IpPrefix& b) {
    return a.address_ == b.address_ && a.length_ == b.length_;
  }
  friend bool operator!=(const IpPrefix& a, const IpPrefix& b) {
    return !(a == b);
  }

 private:
  IpPrefix(const IpAddress& address, int length)
      : address_(address), length_(length) {}

  IpAddress address_;
  int length_ = 0;
};

// Prefix lengths to which a probe's public address is truncated.
inline constexpr int kPublicV4PrefixLength = 24;
inline constexpr int kPublicV6PrefixLength = 48;

// The only form in which a probe's public address ever leaves the probe
// host: its /24 (IPv4) or /48 (IPv6). An IPv4-mapped IPv6 address is
// treated as the IPv4 address it carries, so it yields that address's /24
// rather than a meaningless ::/48.
IpPrefix PublicTruncation(const IpAddress& address);

// OK only if `cidr` is a well-formed prefix of the family asked for, of
// exactly /24 (IPv4) or /48 (IPv6), with host bits zero. The collector uses
// this to refuse anything that could carry more than the truncated address.
absl::Status ValidateTruncatedPrefix(absl::string_view cidr, bool want_v6);

// True if `host_port` names a loopback endpoint: "127.x.y.z", "[::1]",
// "::1" or "localhost" (any case), each but the bare "::1" optionally
// followed by ":port" (0..65535). An IPv4-mapped ::ffff:127.x.y.z counts
// too: a dual-stack socket sends it to 127.x.y.z.
// Anything else, including gRPC URI forms ("dns:///...", "unix:..."), is
// false: callers use this to allow plaintext gRPC, so doubt means no.
bool IsLoopbackHostPort(absl::string_view host_port);

}  // namespace v6scope::net

#endif  // V6SCOPE_COMMON_NET_IP_ADDRESS_H_
