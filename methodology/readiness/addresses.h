// Internal to //methodology/readiness: which published addresses count as
// a service's IPv4 and IPv6 addresses (docs/methodology.md §13.1), and the
// host of a URL.
#ifndef V6SCOPE_METHODOLOGY_READINESS_ADDRESSES_H_
#define V6SCOPE_METHODOLOGY_READINESS_ADDRESSES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::readiness {

// What an address literal is, from one parse: an IPv4 address, an IPv6
// address that counts (IsCountedV6), one that does not, or no address.
enum class LiteralKind { kNone, kV4, kCountedV6, kIgnoredV6 };
LiteralKind KindOfLiteral(absl::string_view literal);

// A dotted-quad IPv4 literal.
bool IsV4Literal(absl::string_view literal);
// An IPv6 literal that is the host's own IPv6 address: not IPv4-mapped
// (::ffff:0:0/96, an IPv4 address in disguise), not NAT64-synthesized
// (64:ff9b::/96, 64:ff9b:1::/48: a DNS64 resolver made it from an A), and
// not ::, loopback, link-local or multicast (nothing a client elsewhere
// can reach). Documentation and unique-local space count: test beds use
// them, and a published ULA is the operator's real (broken) choice.
bool IsCountedV6(absl::string_view literal);

// Addresses of a host, viewing the check's own strings (valid while the
// check is): the verdict is computed for every result the collector
// ingests, and copying each literal cost a heap allocation apiece.
using AddressList = std::vector<absl::string_view>;

// The IPv4 literals among `host.a`, in order.
AddressList V4Of(const v6scope::v1::NameAddresses& host);
// The counted IPv6 literals among `host.aaaa`, in order.
AddressList V6Of(const v6scope::v1::NameAddresses& host);
// The AAAA entries that do not count (IsCountedV6 false), then those the
// probe recorded as synthesized by DNS64 (`aaaa_synthesized`, never
// counted: the vantage's resolver made them from an A), in order.
AddressList IgnoredV6Of(const v6scope::v1::NameAddresses& host);
// Some IPv4 literal or counted IPv6 address.
bool HasAddress(const v6scope::v1::NameAddresses& host);

// Whether a lookup's outcome says the name was resolved: OK, or an answer
// that the name has no such record (DNS_NODATA, DNS_NXDOMAIN). Anything
// else that ran (DNS_SERVFAIL, DNS_REFUSED, TIMEOUT, ...) is a resolution
// failure: the name's zone does not answer, over IPv4 either.
bool ResolutionFailed(v6scope::v1::Outcome outcome);

// The lower-case host of an http(s) URL without brackets, port or final
// dot ("https://WWW.Example.gov.:443/x" -> "www.example.gov"); empty when
// there is none.
std::string HostOfUrl(absl::string_view url);

}  // namespace v6scope::methodology::readiness

#endif  // V6SCOPE_METHODOLOGY_READINESS_ADDRESSES_H_
