// Query parameters (HTTP query strings, CLI flags) to the readiness
// requests of QueryService, one parser for both so the HTTP API and
// `v6scope services` accept the same words (docs/api.md). Errors name the
// parameter and say what is expected.
//
//   campaign_id   required
//   round         shares, domains: a round number (0 or absent: latest)
//   from_round, to_round   changes (absent: the latest two rounds)
//   country       ISO 3166-1 alpha-2;  sector  a canonical sector
//   service       web | dns | mail  (shares, series, changes)
//   domain        domains: one domain
//   methodology   a readiness methodology version ("readiness 1")
//   min_networks  k, at least the collector's
//   page_size, page_token   domains
//   format        accepted and ignored here (the adapters read it)
#ifndef V6SCOPE_API_READINESS_PARAMS_H_
#define V6SCOPE_API_READINESS_PARAMS_H_

#include "absl/status/statusor.h"
#include "api/request_params.h"
#include "proto/query_service.pb.h"

namespace v6scope::api {

// Parameters other than a request's are INVALID_ARGUMENT ("unknown
// parameter 'x'").
absl::StatusOr<v6scope::v1::ServiceSharesRequest> ParseServiceSharesRequest(
    const Params& params);
absl::StatusOr<v6scope::v1::ServiceSeriesRequest> ParseServiceSeriesRequest(
    const Params& params);
absl::StatusOr<v6scope::v1::DomainReadinessRequest> ParseDomainReadinessRequest(
    const Params& params);
absl::StatusOr<v6scope::v1::ServiceChangesRequest> ParseServiceChangesRequest(
    const Params& params);

}  // namespace v6scope::api

#endif  // V6SCOPE_API_READINESS_PARAMS_H_
