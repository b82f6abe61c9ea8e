// EnrolGuard: a limit on failed enrolments per client address, so nobody
// can try enrolment tokens at the collector's pace. After `burst` failures
// from one address, that address gets RESOURCE_EXHAUSTED with a retry hint
// (the "retry-after" trailer, in seconds, and the message) until its
// bucket refills at `burst` per minute. Successful enrolments cost
// nothing, so a whole office enrolling behind one NAT is not held up.
// Thread-safe.
#ifndef V6SCOPE_COLLECTOR_SERVICE_ENROL_GUARD_H_
#define V6SCOPE_COLLECTOR_SERVICE_ENROL_GUARD_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "collector/ingest/rate_limiter.h"
#include "common/time/clock.h"
#include "grpcpp/server_context.h"

namespace v6scope::collector::service {

// The host part of a gRPC peer ("ipv6:[2001:db8::1]:5000" -> "2001:db8::1",
// URI-escaped brackets too); the whole string for forms it does not know.
std::string PeerHost(absl::string_view grpc_peer);

class EnrolGuard {
 public:
  static constexpr int kDefaultFailuresPerMinute = 10;

  // `clock` must outlive the guard.
  explicit EnrolGuard(const time::Clock* clock,
                      int failures_per_minute = kDefaultFailuresPerMinute);

  // OK, or RESOURCE_EXHAUSTED (and the retry-after trailer on `context`)
  // while the peer's address has used up its failures.
  absl::Status Admit(grpc::CallbackServerContext& context) const;

  // Charges a failed enrolment to the peer's address; store trouble
  // (UNAVAILABLE, INTERNAL, DATA_LOSS) is not the caller's fault and is
  // not charged.
  void Record(const grpc::CallbackServerContext& context,
              const absl::Status& outcome);

 private:
  ingest::RateLimiter failures_;
};

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_ENROL_GUARD_H_
