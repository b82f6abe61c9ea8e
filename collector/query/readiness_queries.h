// The public-service readiness queries (docs/methodology.md §14), shared by
// the gRPC QueryService and the HTTP JSON API so both answer alike: the
// rows come from the store's readiness rollups (never the raw results)
// through store::ReadinessRollupStore, the numbers from
// collector/aggregate/readiness, and every answer and record carries its
// provenance (methodology, aggregation and dataset versions, k).
#ifndef V6SCOPE_COLLECTOR_QUERY_READINESS_QUERIES_H_
#define V6SCOPE_COLLECTOR_QUERY_READINESS_QUERIES_H_

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "collector/aggregate/readiness/options.h"
#include "collector/store/campaign_store.h"
#include "collector/store/readiness_rollup_store.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::query {

class ReadinessQueries {
 public:
  // `store` may be null (a store that keeps no readiness rollups): every
  // query is then UNAVAILABLE. `dataset_version` names the data of an
  // answer (read once per query). `min_networks` is k; a request may ask
  // for a larger k, never a smaller one. `store` must outlive this
  // object. Thread-safe.
  // `campaigns` (may be null: no campaign is listed) names the campaigns.
  ReadinessQueries(
      store::ReadinessRollupStore* store,
      std::function<std::string()> dataset_version,
      uint32_t min_networks = aggregate::readiness::kDefaultMinNetworks,
      store::CampaignStore* campaigns = nullptr);

  // INVALID_ARGUMENT names the field at fault (campaign_id, country,
  // service, methodology, min_networks, from_round, page_size,
  // page_token).
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> Shares(
      const v6scope::v1::ServiceSharesRequest& request) const;
  // Shares of a request without a round, answered from the latest round
  // up to `up_to_round` (>= 1) that has rows: what Shares with that round
  // set answers. For a report of an earlier month (its round is the one
  // begun by the month's end).
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> SharesUpTo(
      const v6scope::v1::ServiceSharesRequest& request,
      uint32_t up_to_round) const;
  absl::StatusOr<v6scope::v1::ServiceSeriesResponse> Series(
      const v6scope::v1::ServiceSeriesRequest& request) const;
  absl::StatusOr<v6scope::v1::DomainReadinessResponse> Domains(
      const v6scope::v1::DomainReadinessRequest& request) const;
  absl::StatusOr<v6scope::v1::ServiceChangesResponse> Changes(
      const v6scope::v1::ServiceChangesRequest& request) const;

  // Every campaign, by id, as researchers see it.
  absl::StatusOr<v6scope::v1::ListServiceCampaignsResponse> Campaigns() const;

  uint32_t min_networks() const { return min_networks_; }

 private:
  // Shares; with `before` (> 0) and no round asked, of the latest round
  // before it that has rows.
  absl::StatusOr<v6scope::v1::ServiceSharesResponse> SharesBefore(
      const v6scope::v1::ServiceSharesRequest& request, uint32_t before) const;

  store::ReadinessRollupStore* const store_;
  const std::function<std::string()> dataset_version_;
  const uint32_t min_networks_;
  store::CampaignStore* const campaigns_;
};

// The message of the UNAVAILABLE answer without a rollup store.
inline constexpr char kNoReadinessRollups[] =
    "readiness rollups not kept by this store";

}  // namespace v6scope::collector::query

#endif  // V6SCOPE_COLLECTOR_QUERY_READINESS_QUERIES_H_
