// Fuzzes the who-am-I body handling: whatever a server answers, the run
// records at most a /24 or /48 of the asked family, never more, and only a
// public one.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/net/ip_address.h"
#include "common/net/special_purpose.h"
#include "probe/suite/whoami.h"

namespace v6scope::probe::suite::fuzz {
namespace {

// A recorded prefix must be a prefix of the asked family, truncated to the
// public length: the probe never uploads a full address.
void CheckPrefix(const std::string& prefix, bool want_v6) {
  if (prefix.empty()) return;
  absl::StatusOr<net::IpPrefix> parsed = net::IpPrefix::Parse(prefix);
  if (!parsed.ok()) __builtin_trap();
  if (parsed->address().is_v6() != want_v6) __builtin_trap();
  if (parsed->length() != (want_v6 ? 48 : 24)) __builtin_trap();
  if (!net::IsPublicPrefix(*parsed)) __builtin_trap();
}

void FuzzWhoami(const uint8_t* data, size_t size) {
  const std::string body(reinterpret_cast<const char*>(data), size);
  CheckPrefix(WhoamiPublicPrefix(body, false), false);
  CheckPrefix(WhoamiPublicPrefix(body, true), true);
}

}  // namespace
}  // namespace v6scope::probe::suite::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  v6scope::probe::suite::fuzz::FuzzWhoami(data, size);
  return 0;
}
