#include "collector/campaign/rounds.h"

#include <limits>

namespace v6scope::collector::campaign {
namespace {

absl::Time FromProto(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

absl::Time FirstStart(const v6scope::v1::Campaign& c) {
  return c.schedule().has_start() ? FromProto(c.schedule().start())
                                  : FromProto(c.created_at());
}

}  // namespace

absl::Time RoundStart(const v6scope::v1::Campaign& c, uint32_t round) {
  const uint32_t every = c.schedule().every_n_days();
  if (round <= 1 || every == 0) return FirstStart(c);
  return FirstStart(c) + absl::Hours(24) * (int64_t{every} * (round - 1));
}

uint32_t CurrentRound(const v6scope::v1::Campaign& c, absl::Time now) {
  const absl::Time first = FirstStart(c);
  if (now < first) return 0;
  const uint32_t every = c.schedule().every_n_days();
  if (every == 0) return 1;
  absl::Duration rest;
  const int64_t elapsed =
      absl::IDivDuration(now - first, absl::Hours(24) * every, &rest);
  if (elapsed >= std::numeric_limits<uint32_t>::max() - 1) {
    return std::numeric_limits<uint32_t>::max() - 1;
  }
  return static_cast<uint32_t>(elapsed) + 1;
}

absl::Time NextRoundStart(const v6scope::v1::Campaign& c, uint32_t round) {
  if (c.schedule().every_n_days() == 0) return absl::InfiniteFuture();
  return RoundStart(c, round + 1);
}

}  // namespace v6scope::collector::campaign
