#include "probe/inventory/inventory.h"

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <net/route.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/net/special_purpose.h"

namespace v6scope::probe::inventory {
namespace {

// Field counts of one route line; the kernel's format is a stable ABI.
constexpr size_t kV4RouteFields = 11;
constexpr size_t kV6RouteFields = 10;

// Bound on a routing-table file read into memory. A host with a full BGP
// table in its main table would exceed it; a probe host never does.
constexpr size_t kMaxProcFileBytes = size_t{64} << 20;

// Parses exactly `digits` hex digits (no prefix, sign or space).
bool ParseFixedHex(absl::string_view text, size_t digits, uint32_t* value) {
  if (text.size() != digits || digits > 8) return false;
  uint32_t result = 0;
  for (char c : text) {
    if (!absl::ascii_isxdigit(c)) return false;
    const char lower = absl::ascii_tolower(c);
    result = (result << 4) | static_cast<uint32_t>(
                                 lower <= '9' ? lower - '0' : lower - 'a' + 10);
  }
  *value = result;
  return true;
}

// A 128-bit address as the kernel prints it: 32 hex digits. Only whether it
// is all zero matters here, so the value itself is never materialised.
bool ParseV6Hex(absl::string_view text, bool* all_zero) {
  if (text.size() != 32 || !std::all_of(text.begin(), text.end(), [](char c) {
        return absl::ascii_isxdigit(c);
      })) {
    return false;
  }
  *all_zero = text.find_first_not_of('0') == absl::string_view::npos;
  return true;
}

bool IsUsableRoute(uint32_t flags) {
  return (flags & RTF_UP) != 0 && (flags & RTF_REJECT) == 0;
}

std::vector<absl::string_view> SplitFields(absl::string_view line) {
  return absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
}

// Error messages name the line and the field, never the field's text: route
// lines carry the host's own addresses.
absl::Status LineError(size_t line_number, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("line ", line_number, ": ", what));
}

// One line of /proc/net/route: whether it is a usable default route.
absl::StatusOr<bool> IsV4DefaultRouteLine(absl::string_view line,
                                          size_t line_number) {
  const std::vector<absl::string_view> fields = SplitFields(line);
  if (fields.size() != kV4RouteFields) {
    return LineError(line_number, absl::StrCat("want ", kV4RouteFields,
                                               " fields, got ", fields.size()));
  }
  uint32_t destination = 0;
  uint32_t flags = 0;
  uint32_t mask = 0;
  if (!ParseFixedHex(fields[1], 8, &destination)) {
    return LineError(line_number, "Destination is not 8 hex digits");
  }
  if (!ParseFixedHex(fields[3], 4, &flags)) {
    return LineError(line_number, "Flags is not 4 hex digits");
  }
  if (!ParseFixedHex(fields[7], 8, &mask)) {
    return LineError(line_number, "Mask is not 8 hex digits");
  }
  return destination == 0 && mask == 0 && IsUsableRoute(flags);
}

// One line of /proc/net/ipv6_route: whether it is a usable default route.
absl::StatusOr<bool> IsV6DefaultRouteLine(absl::string_view line,
                                          size_t line_number) {
  const std::vector<absl::string_view> fields = SplitFields(line);
  if (fields.size() != kV6RouteFields) {
    return LineError(line_number, absl::StrCat("want ", kV6RouteFields,
                                               " fields, got ", fields.size()));
  }
  bool destination_zero = false;
  uint32_t prefix_length = 0;
  uint32_t flags = 0;
  if (!ParseV6Hex(fields[0], &destination_zero)) {
    return LineError(line_number, "destination is not 32 hex digits");
  }
  if (!ParseFixedHex(fields[1], 2, &prefix_length) || prefix_length > 128) {
    return LineError(line_number, "destination prefix length is not 00..80");
  }
  if (!ParseFixedHex(fields[8], 8, &flags)) {
    return LineError(line_number, "flags is not 8 hex digits");
  }
  return destination_zero && prefix_length == 0 && IsUsableRoute(flags);
}

// Reads a whole file; nullopt if it does not exist.
absl::StatusOr<std::optional<std::string>> ReadOptionalFile(
    const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT) return std::optional<std::string>();
    return absl::ErrnoToStatus(error, absl::StrCat("open ", path));
  }
  // /proc files report size 0: read until end of file.
  std::string contents;
  char buffer[16384];
  absl::Status status;
  while (true) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n == 0) break;
    if (n < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      status = absl::ErrnoToStatus(error, absl::StrCat("read ", path));
      break;
    }
    contents.append(buffer, static_cast<size_t>(n));
    if (contents.size() > kMaxProcFileBytes) {
      status = absl::ResourceExhaustedError(
          absl::StrCat(path, " is larger than ", kMaxProcFileBytes, " bytes"));
      break;
    }
  }
  close(fd);
  if (!status.ok()) return status;
  return std::optional<std::string>(std::move(contents));
}

// Whether the routing table at `path` has a default route, by `parse`; a
// missing file has none.
absl::StatusOr<bool> DefaultRouteFromFile(
    const std::string& path, absl::StatusOr<bool> (*parse)(absl::string_view)) {
  absl::StatusOr<std::optional<std::string>> contents = ReadOptionalFile(path);
  if (!contents.ok()) return contents.status();
  if (!contents->has_value()) return false;
  absl::StatusOr<bool> found = parse(**contents);
  if (!found.ok()) {
    return absl::Status(found.status().code(),
                        absl::StrCat(path, ": ", found.status().message()));
  }
  return found;
}

// Addresses of every interface that is up; AF_PACKET and other non-IP
// entries are skipped.
absl::StatusOr<std::vector<net::IpAddress>> ReadUpInterfaceAddresses() {
  ifaddrs* raw = nullptr;
  if (getifaddrs(&raw) != 0) {
    const int error = errno;
    return absl::ErrnoToStatus(error, "getifaddrs");
  }
  const std::unique_ptr<ifaddrs, void (*)(ifaddrs*)> list(raw, freeifaddrs);
  std::vector<net::IpAddress> addrs;
  for (const ifaddrs* ifa = list.get(); ifa != nullptr; ifa = ifa->ifa_next) {
    if (ifa->ifa_addr == nullptr || (ifa->ifa_flags & IFF_UP) == 0) continue;
    const int family = ifa->ifa_addr->sa_family;
    if (family != AF_INET && family != AF_INET6) continue;
    absl::StatusOr<net::IpAddress> address =
        net::IpAddress::FromSockaddr(ifa->ifa_addr);
    if (address.ok()) addrs.push_back(*address);
  }
  return addrs;
}

// The classes that keep their own count whether or not they are public:
// private/shared/ULA/link-local (never public) and the tunnels (public by
// exception, special_purpose.h).
bool CountOwnClass(net::AddressClass address_class,
                   v1::AddressInventory* inventory) {
  switch (address_class) {
    case net::AddressClass::kV4Private:
      inventory->set_v4_private(inventory->v4_private() + 1);
      return true;
    case net::AddressClass::kV4Shared:
      inventory->set_v4_shared(inventory->v4_shared() + 1);
      return true;
    case net::AddressClass::kV6Sixto4:
      inventory->set_v6_6to4(inventory->v6_6to4() + 1);
      return true;
    case net::AddressClass::kV6Teredo:
      inventory->set_v6_teredo(inventory->v6_teredo() + 1);
      return true;
    case net::AddressClass::kV6Ula:
      inventory->set_v6_ula(inventory->v6_ula() + 1);
      return true;
    case net::AddressClass::kV6LinkLocal:
      inventory->set_v6_link_local(inventory->v6_link_local() + 1);
      return true;
    default:
      return false;
  }
}

// Every other address: public (v4_public, v6_global_native) only if no
// special-purpose block says otherwise; a non-public one (documentation,
// benchmarking, loopback, ...) is v4_special / v6_special. A public address
// outside the global unicast classes (64:ff9b::/96 on an interface) has no
// field.
void Count(const net::IpAddress& address, v1::AddressInventory* inventory) {
  const net::AddressClass address_class = net::Classify(address);
  if (CountOwnClass(address_class, inventory)) return;
  if (!net::IsPublicAddress(address)) {
    if (address.is_v4()) {
      inventory->set_v4_special(inventory->v4_special() + 1);
    } else {
      inventory->set_v6_special(inventory->v6_special() + 1);
    }
  } else if (address_class == net::AddressClass::kV4Public) {
    inventory->set_v4_public(inventory->v4_public() + 1);
  } else if (address_class == net::AddressClass::kV6GlobalNative) {
    inventory->set_v6_global_native(inventory->v6_global_native() + 1);
  }
}

}  // namespace

v1::AddressInventory ClassifyAddresses(
    const std::vector<net::IpAddress>& addrs) {
  std::vector<net::IpAddress> distinct = addrs;
  std::sort(distinct.begin(), distinct.end());
  distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
  v1::AddressInventory inventory;
  for (const net::IpAddress& address : distinct) {
    Count(address, &inventory);
  }
  return inventory;
}

absl::StatusOr<bool> HasV4DefaultRoute(
    absl::string_view proc_net_route_contents) {
  const std::vector<absl::string_view> lines =
      absl::StrSplit(proc_net_route_contents, '\n');
  const std::vector<absl::string_view> header = SplitFields(lines[0]);
  if (header.empty() || header[0] != "Iface") {
    return LineError(1, "missing the \"Iface Destination ...\" header");
  }
  bool found = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (absl::StripAsciiWhitespace(lines[i]).empty()) continue;
    absl::StatusOr<bool> is_default = IsV4DefaultRouteLine(lines[i], i + 1);
    if (!is_default.ok()) return is_default.status();
    found = found || *is_default;
  }
  return found;
}

absl::StatusOr<bool> HasV6DefaultRoute(
    absl::string_view proc_net_ipv6_route_contents) {
  const std::vector<absl::string_view> lines =
      absl::StrSplit(proc_net_ipv6_route_contents, '\n');
  bool found = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (absl::StripAsciiWhitespace(lines[i]).empty()) continue;
    absl::StatusOr<bool> is_default = IsV6DefaultRouteLine(lines[i], i + 1);
    if (!is_default.ok()) return is_default.status();
    found = found || *is_default;
  }
  return found;
}

absl::StatusOr<v1::AddressInventory> ReadLocalInventory(
    const InventorySources& sources) {
  absl::StatusOr<std::vector<net::IpAddress>> addrs =
      ReadUpInterfaceAddresses();
  if (!addrs.ok()) return addrs.status();
  v1::AddressInventory inventory = ClassifyAddresses(*addrs);

  absl::StatusOr<bool> v4_default =
      DefaultRouteFromFile(sources.proc_net_route, HasV4DefaultRoute);
  if (!v4_default.ok()) return v4_default.status();
  absl::StatusOr<bool> v6_default =
      DefaultRouteFromFile(sources.proc_net_ipv6_route, HasV6DefaultRoute);
  if (!v6_default.ok()) return v6_default.status();

  inventory.set_v4_default_route(*v4_default);
  inventory.set_v6_default_route(*v6_default);
  return inventory;
}

absl::StatusOr<v1::AddressInventory> ReadLocalInventory() {
  return ReadLocalInventory(InventorySources());
}

}  // namespace v6scope::probe::inventory
