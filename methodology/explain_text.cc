#include "methodology/explain_text.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "methodology/kinds/registry.h"
#include "methodology/run_view.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {
namespace {

using v6scope::v1::TestResult;

// The longest address literal (IPv6 with an embedded IPv4 and a zone).
constexpr size_t kMaxAddress = 64;

// The words for an outcome: what happened to the test.
std::string Phrase(const TestResult& test) {
  switch (test.outcome()) {
    case v6scope::v1::TIMEOUT:
      return "timed out";
    case v6scope::v1::STALLED:
      return "stalled (no byte within the stall window)";
    case v6scope::v1::CONNECTION_REFUSED:
      return "was refused (TCP reset)";
    case v6scope::v1::NETWORK_UNREACHABLE:
      return "got network unreachable";
    case v6scope::v1::HOST_UNREACHABLE:
      return "got host unreachable";
    case v6scope::v1::ADMIN_PROHIBITED:
      return "got administratively prohibited";
    case v6scope::v1::DNS_NXDOMAIN:
      return "found no such name (DNS_NXDOMAIN)";
    case v6scope::v1::DNS_NODATA:
      return "found no address record (DNS_NODATA)";
    case v6scope::v1::DNS_SERVFAIL:
      return "got a resolver failure (DNS_SERVFAIL)";
    case v6scope::v1::DNS_REFUSED:
      return "was refused by the resolver (DNS_REFUSED)";
    case v6scope::v1::DNS_ERROR:
      return "failed to resolve (DNS_ERROR)";
    case v6scope::v1::TLS_ERROR:
      return "failed the TLS handshake";
    case v6scope::v1::HTTP_STATUS:
      return absl::StrCat("got HTTP status ", test.http_status());
    case v6scope::v1::TRUNCATED_BODY:
      return "ended before the whole body (TRUNCATED_BODY)";
    case v6scope::v1::NO_ADDRESS:
      return "had no address of its family (NO_ADDRESS)";
    case v6scope::v1::SKIPPED:
      return "was skipped";
    default:
      return absl::StrCat("failed (outcome ", static_cast<int>(test.outcome()),
                          ")");
  }
}

std::string Family(v6scope::v1::AddressFamily family) {
  return family == v6scope::v1::IPV4   ? "IPv4"
         : family == v6scope::v1::IPV6 ? "IPv6"
                                       : "an unknown family";
}

}  // namespace

std::string Seconds(absl::Duration d) {
  const double s = absl::ToDoubleSeconds(d);
  return s < 1.0 ? absl::StrFormat("%.3f s", s) : absl::StrFormat("%.1f s", s);
}

std::string SecondsFromMicros(uint64_t us) {
  return Seconds(absl::Microseconds(static_cast<int64_t>(us)));
}

std::string DescribeTest(const TestResult* test, v6scope::v1::TestKind kind) {
  const std::string name = kinds::KindName(kind);
  if (test == nullptr) return absl::StrCat(name, " was not run");
  const std::string address = Clean(test->used_address(), kMaxAddress);
  const uint32_t total = test->timings().total_us();
  if (test->outcome() == v6scope::v1::OK) {
    std::string s =
        absl::StrCat(name, " fetched over ",
                     Family(test->used_family() != 0 ? test->used_family()
                                                     : test->family()));
    if (!address.empty()) absl::StrAppend(&s, " from ", address);
    if (total > 0) absl::StrAppend(&s, " in ", SecondsFromMicros(total));
    return s;
  }
  std::string s = absl::StrCat(name, " ", Phrase(*test));
  if (total > 0) absl::StrAppend(&s, " after ", SecondsFromMicros(total));
  if (test->bytes_received() > 0) {
    absl::StrAppend(&s, " with ", test->bytes_received(), " bytes received");
  }
  if (!address.empty()) absl::StrAppend(&s, " (", address, ")");
  return s;
}

std::string DescribeV6Addresses(const v6scope::v1::AddressInventory& inv) {
  std::vector<std::string> parts;
  if (inv.v6_global_native() > 0) {
    parts.push_back(absl::StrCat(inv.v6_global_native(), " global"));
  }
  if (inv.v6_6to4() > 0) parts.push_back(absl::StrCat(inv.v6_6to4(), " 6to4"));
  if (inv.v6_teredo() > 0) {
    parts.push_back(absl::StrCat(inv.v6_teredo(), " Teredo"));
  }
  if (inv.v6_ula() > 0) {
    parts.push_back(absl::StrCat(inv.v6_ula(), " unique-local"));
  }
  if (parts.empty()) return "no IPv6 address beyond link-local";
  const uint32_t n =
      inv.v6_global_native() + inv.v6_6to4() + inv.v6_teredo() + inv.v6_ula();
  return absl::StrCat(absl::StrJoin(parts, ", "), " IPv6 address",
                      n == 1 ? "" : "es");
}

std::string DescribeV6Host(const v6scope::v1::AddressInventory& inv) {
  return absl::StrCat(DescribeV6Addresses(inv),
                      inv.v6_default_route() ? " and an IPv6 default route"
                                             : " but no IPv6 default route");
}

std::string DescribeV4Host(const v6scope::v1::AddressInventory& inv) {
  std::vector<std::string> parts;
  if (inv.v4_public() > 0)
    parts.push_back(absl::StrCat(inv.v4_public(), " public"));
  if (inv.v4_private() > 0) {
    parts.push_back(absl::StrCat(inv.v4_private(), " private"));
  }
  if (inv.v4_shared() > 0) {
    parts.push_back(absl::StrCat(inv.v4_shared(), " shared (CGNAT)"));
  }
  const uint32_t n = inv.v4_public() + inv.v4_private() + inv.v4_shared();
  const std::string addresses =
      parts.empty() ? "no IPv4 address"
                    : absl::StrCat(absl::StrJoin(parts, ", "), " IPv4 ",
                                   n == 1 ? "address" : "addresses");
  return absl::StrCat(addresses, inv.v4_default_route()
                                     ? " and an IPv4 default route"
                                     : " and no IPv4 default route");
}

std::string DescribeRole(const RunTests& tests, kinds::Role role) {
  const v6scope::v1::TestKind kind = kinds::SoleKindWith(role);
  return DescribeTest(tests.Get(kind), kind);
}

}  // namespace v6scope::methodology
