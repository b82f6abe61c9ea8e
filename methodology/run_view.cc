#include "methodology/run_view.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "methodology/kinds/registry.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {

using kinds::Role;
using v6scope::v1::AddressFamily;
using v6scope::v1::Outcome;
using v6scope::v1::TestKind;
using v6scope::v1::TestResult;

RunTests::RunTests(const v6scope::v1::Run& run) {
  for (const TestResult& test : run.tests()) {
    const int kind = test.kind();
    if (kind > 0 && kind < kSlots && slots_[kind] == nullptr) {
      slots_[kind] = &test;
    }
  }
}

const TestResult* RunTests::Get(TestKind kind) const {
  const int k = kind;
  return k > 0 && k < kSlots ? slots_[k] : nullptr;
}

const TestResult* RunTests::Get(Role role) const {
  return Get(kinds::SoleKindWith(role));
}

bool IsOutcome(const TestResult* test, Outcome outcome) {
  return test != nullptr && test->outcome() == outcome;
}

// Values newer than this code are real attempts too (E2).
bool Ran(const TestResult* test) {
  return test != nullptr && test->outcome() != v6scope::v1::SKIPPED &&
         test->outcome() != v6scope::v1::OUTCOME_UNSPECIFIED;
}

AddressFamily UsedFamilyOf(const TestResult& test) {
  return test.used_family() != v6scope::v1::ADDRESS_FAMILY_UNSPECIFIED
             ? test.used_family()
             : test.family();
}

bool OkOver(const TestResult* test, AddressFamily family) {
  return IsOutcome(test, v6scope::v1::OK) && UsedFamilyOf(*test) == family;
}

bool IsNoAddress(Outcome outcome) {
  switch (outcome) {
    case v6scope::v1::DNS_NXDOMAIN:
    case v6scope::v1::DNS_NODATA:
    case v6scope::v1::DNS_SERVFAIL:
    case v6scope::v1::DNS_REFUSED:
    case v6scope::v1::DNS_ERROR:
    case v6scope::v1::NO_ADDRESS:
      return true;
    default:
      return false;
  }
}

namespace {

// The prefix of `address` cut to `bits` (a multiple of 8), as text.
std::string PrefixText(const in6_addr& address, int bits) {
  in6_addr prefix{};
  std::memcpy(prefix.s6_addr, address.s6_addr, bits / 8);
  char text[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &prefix, text, sizeof(text));
  return absl::StrCat(text, "/", bits);
}

}  // namespace

// 192.0.0.170 or .171 (RFC 7050 §3) at an RFC 6052 §2.2 position; byte 8
// (the "u" octet) is skipped and must be zero below /96. Anything else (a
// resolver synthesizing for everything, an IPv4-mapped address) is not
// DNS64.
std::optional<std::string> Nat64PrefixOf(const std::string& literal) {
  in6_addr address;
  if (inet_pton(AF_INET6, literal.c_str(), &address) != 1) return std::nullopt;
  if (IN6_IS_ADDR_V4MAPPED(&address)) return std::nullopt;
  const uint8_t* b = address.s6_addr;
  struct Position {
    int bits;
    int at[4];
  };
  static constexpr Position kPositions[] = {
      {32, {4, 5, 6, 7}},   {40, {5, 6, 7, 9}},    {48, {6, 7, 9, 10}},
      {56, {7, 9, 10, 11}}, {64, {9, 10, 11, 12}}, {96, {12, 13, 14, 15}}};
  for (const Position& p : kPositions) {
    if (p.bits < 96 && b[8] != 0) continue;
    if (b[p.at[0]] == 192 && b[p.at[1]] == 0 && b[p.at[2]] == 0 &&
        (b[p.at[3]] == 170 || b[p.at[3]] == 171)) {
      return PrefixText(address, p.bits);
    }
  }
  return std::nullopt;
}

std::optional<std::string> Nat64PrefixFound(const TestResult* nat64) {
  if (!IsOutcome(nat64, v6scope::v1::OK)) return std::nullopt;
  for (const std::string& address : nat64->resolved_addresses()) {
    std::optional<std::string> prefix = Nat64PrefixOf(address);
    if (prefix.has_value()) return prefix;
  }
  return std::nullopt;
}

namespace {

// E8: connect_us includes name resolution done inside the test;
// subtracting keeps resolver speed out of the comparison.
absl::Duration Handshake(const TestResult& test) {
  const uint32_t connect = test.timings().connect_us();
  const uint32_t dns = test.timings().dns_us();
  return absl::Microseconds(connect >= dns ? connect - dns : connect);
}

// Comparable only when the v4 fetch went over IPv4 and the v6 fetch over
// IPv6, each with a measured connect time: a fetch through NAT64 gives no
// IPv4 baseline.
std::optional<HandshakePairTimes> Pair(const TestResult* v4,
                                       const TestResult* v6) {
  if (!OkOver(v4, v6scope::v1::IPV4) || !OkOver(v6, v6scope::v1::IPV6)) {
    return std::nullopt;
  }
  if (v4->timings().connect_us() == 0 || v6->timings().connect_us() == 0) {
    return std::nullopt;
  }
  return HandshakePairTimes{Handshake(*v4), Handshake(*v6), v4->kind(),
                            v6->kind()};
}

}  // namespace

// The small v4-only/v6-only pair; when it cannot be compared (e.g. the
// v4-only name went through NAT64), the who-am-I pair.
std::optional<HandshakePairTimes> HandshakePair(const RunTests& tests) {
  std::optional<HandshakePairTimes> small =
      Pair(tests.Get(Role::kV4Content), tests.Get(Role::kV6ByName));
  if (small.has_value()) return small;
  return Pair(tests.Get(Role::kPublicAddressV4),
              tests.Get(Role::kPublicAddressV6));
}

}  // namespace v6scope::methodology
