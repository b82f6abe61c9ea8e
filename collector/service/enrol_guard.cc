#include "collector/service/enrol_guard.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"

namespace v6scope::collector::service {

std::string PeerHost(absl::string_view grpc_peer) {
  std::string peer = absl::StrReplaceAll(
      grpc_peer, {{"%5B", "["}, {"%5D", "]"}, {"%5b", "["}, {"%5d", "]"}});
  absl::string_view rest = peer;
  if (!absl::ConsumePrefix(&rest, "ipv4:") &&
      !absl::ConsumePrefix(&rest, "ipv6:")) {
    return peer;
  }
  if (absl::ConsumePrefix(&rest, "[")) {
    return std::string(rest.substr(0, rest.find(']')));
  }
  return std::string(rest.substr(0, rest.rfind(':')));
}

EnrolGuard::EnrolGuard(const time::Clock* clock, int failures_per_minute)
    : failures_(clock, failures_per_minute / 60.0, failures_per_minute) {}

absl::Status EnrolGuard::Admit(grpc::CallbackServerContext& context) const {
  const absl::Duration wait = failures_.Peek(PeerHost(context.peer()), 1);
  if (wait <= absl::ZeroDuration()) return absl::OkStatus();
  const int64_t seconds =
      static_cast<int64_t>(std::ceil(absl::ToDoubleSeconds(wait)));
  context.AddTrailingMetadata("retry-after", absl::StrCat(seconds));
  return absl::ResourceExhaustedError(absl::StrCat(
      "too many failed enrolments from this address; retry in ", seconds, "s"));
}

void EnrolGuard::Record(const grpc::CallbackServerContext& context,
                        const absl::Status& outcome) {
  if (outcome.ok() || absl::IsUnavailable(outcome) ||
      absl::IsInternal(outcome) || absl::IsDataLoss(outcome) ||
      absl::IsResourceExhausted(outcome)) {
    return;
  }
  failures_.Take(PeerHost(context.peer()), 1);
}

}  // namespace v6scope::collector::service
