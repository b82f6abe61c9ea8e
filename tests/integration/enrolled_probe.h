// Test helper: a channel to a started CollectorServer and a probe enrolled
// through it with a fresh token, the steps nearly every collector test
// begins with.
#ifndef V6SCOPE_TESTS_INTEGRATION_ENROLLED_PROBE_H_
#define V6SCOPE_TESTS_INTEGRATION_ENROLLED_PROBE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/server.h"
#include "grpcpp/channel.h"

namespace v6scope::tests::integration {

struct EnrolledProbe {
  std::shared_ptr<grpc::Channel> channel;  // Plaintext, to [::1]:port.
  std::string admin_secret;
  std::string probe_id;
  std::string credential;
};

// A new enrolment token for `org`, made with the admin secret.
absl::StatusOr<std::string> CreateToken(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::string& admin_secret, absl::Duration lifetime = absl::Hours(1),
    const std::string& org = "test");

// The collector's admin secret, read from its data directory.
absl::StatusOr<std::string> AdminSecret(
    const collector::CollectorServer& server);

// Connects to `server` (listening on [::1]) and enrols one probe.
absl::StatusOr<EnrolledProbe> EnrolProbe(
    const collector::CollectorServer& server);

}  // namespace v6scope::tests::integration

#endif  // V6SCOPE_TESTS_INTEGRATION_ENROLLED_PROBE_H_
