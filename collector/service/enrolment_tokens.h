// Issuing enrolment tokens: one place for AdminService.CreateEnrolmentToken
// and the collector's local `v6scope-collector vantage-token`, so a token
// is made, checked and stored the same way whichever way it is asked for.
#ifndef V6SCOPE_COLLECTOR_SERVICE_ENROLMENT_TOKENS_H_
#define V6SCOPE_COLLECTOR_SERVICE_ENROLMENT_TOKENS_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/store/probe_registry.h"
#include "proto/admin_service.pb.h"

namespace v6scope::collector::service {

// Makes a one-time token ("et-" and 32 hex digits), stores its hash in
// `registry` (with the request's org, expiry and collector_vantage mark)
// and returns the token and its expiry. INVALID_ARGUMENT naming the field
// for a bad org or expiry; any other error is the store's or the random
// source's, for the caller to report.
absl::StatusOr<v6scope::v1::CreateEnrolmentTokenResponse> IssueEnrolmentToken(
    const v6scope::v1::CreateEnrolmentTokenRequest& request,
    store::ProbeRegistry& registry, absl::Time now);

}  // namespace v6scope::collector::service

#endif  // V6SCOPE_COLLECTOR_SERVICE_ENROLMENT_TOKENS_H_
