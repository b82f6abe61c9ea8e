// Internal to //methodology/readiness: which published addresses count as
// a service's IPv4 and IPv6 addresses (docs/methodology.md §13.1), and the
// host of a URL.
#ifndef V6SCOPE_METHODOLOGY_READINESS_ADDRESSES_H_
#define V6SCOPE_METHODOLOGY_READINESS_ADDRESSES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/readiness.pb.h"

namespace v6scope::methodology::readiness {

// A dotted-quad IPv4 literal.
bool IsV4Literal(absl::string_view literal);
// An IPv6 literal that is the host's own IPv6 address: not IPv4-mapped
// (::ffff:0:0/96, an IPv4 address in disguise), not NAT64-synthesized
// (64:ff9b::/96, 64:ff9b:1::/48: a DNS64 resolver made it from an A), and
// not ::, loopback, link-local or multicast (nothing a client elsewhere
// can reach). Documentation and unique-local space count: test beds use
// them, and a published ULA is the operator's real (broken) choice.
bool IsCountedV6(absl::string_view literal);

// The IPv4 literals among `host.a`, in order.
std::vector<std::string> V4Of(const v6scope::v1::NameAddresses& host);
// The counted IPv6 literals among `host.aaaa`, in order.
std::vector<std::string> V6Of(const v6scope::v1::NameAddresses& host);
// The AAAA entries that do not count (IsCountedV6 false), in order.
std::vector<std::string> IgnoredV6Of(const v6scope::v1::NameAddresses& host);
// Some IPv4 literal or counted IPv6 address.
bool HasAddress(const v6scope::v1::NameAddresses& host);

// The lower-case host of an http(s) URL without brackets, port or final
// dot ("https://WWW.Example.gov.:443/x" -> "www.example.gov"); empty when
// there is none.
std::string HostOfUrl(absl::string_view url);

}  // namespace v6scope::methodology::readiness

#endif  // V6SCOPE_METHODOLOGY_READINESS_ADDRESSES_H_
