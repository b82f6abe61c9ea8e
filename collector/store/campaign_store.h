// CampaignStore: the store's role as the keeper of campaigns and their
// domain lists (docs/campaigns.md), and the view of enrolled probes a
// campaign's selector needs. The admin service needs only this.
#ifndef V6SCOPE_COLLECTOR_STORE_CAMPAIGN_STORE_H_
#define V6SCOPE_COLLECTOR_STORE_CAMPAIGN_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "collector/campaign/domain_list.h"
#include "collector/campaign/probe_selector.h"
#include "proto/campaign.pb.h"

namespace v6scope::collector::store {

// Thread-safe; writes return once durable (as every role of store.h).
class CampaignStore {
 public:
  virtual ~CampaignStore() = default;

  // Stores `campaign` (every field as given, its id the key) and `list`
  // in one transaction: on any error nothing of either is left.
  // ALREADY_EXISTS if the id is taken. A million names take a few seconds
  // (docs/campaigns.md gives the measured times); other writes wait.
  virtual absl::Status CreateCampaign(const v6scope::v1::Campaign& campaign,
                                      const campaign::DomainList& list) = 0;

  // NOT_FOUND if there is no such campaign.
  virtual absl::StatusOr<v6scope::v1::Campaign> GetCampaign(
      const std::string& campaign_id) = 0;

  // By id (byte-wise); deleted campaigns only if `include_deleted`.
  virtual absl::StatusOr<std::vector<v6scope::v1::Campaign>> ListCampaigns(
      bool include_deleted) = 0;

  // Moves the campaign to `state` and returns it as stored after.
  // NOT_FOUND for an unknown id; FAILED_PRECONDITION to leave the deleted
  // state (CheckCampaignTransition). Deleting drops the domain list (the
  // campaign row, with its stats, stays); doing it twice is fine.
  virtual absl::StatusOr<v6scope::v1::Campaign> SetCampaignState(
      const std::string& campaign_id, v6scope::v1::CampaignState state) = 0;

  // Up to `limit` entries of the list in list order, starting after the
  // first `after` of them. NOT_FOUND for an unknown campaign; empty once
  // it is deleted.
  virtual absl::StatusOr<std::vector<campaign::DomainEntry>>
  ReadCampaignDomains(const std::string& campaign_id, int64_t after,
                      int limit) = 0;

  // Every enrolled probe, by probe id, with the attribution (ASN,
  // country) of its newest stored run.
  virtual absl::StatusOr<std::vector<campaign::ProbeVantage>>
  ListProbeVantages() = 0;
};

// The state machine both backends apply: active <-> paused, either ->
// deleted, nothing out of deleted; the same state again is fine.
inline absl::Status CheckCampaignTransition(v6scope::v1::CampaignState from,
                                            v6scope::v1::CampaignState to) {
  if (to != v6scope::v1::CAMPAIGN_ACTIVE &&
      to != v6scope::v1::CAMPAIGN_PAUSED &&
      to != v6scope::v1::CAMPAIGN_DELETED) {
    return absl::InvalidArgumentError("not a campaign state");
  }
  if (from == v6scope::v1::CAMPAIGN_DELETED &&
      to != v6scope::v1::CAMPAIGN_DELETED) {
    return absl::FailedPreconditionError(
        "the campaign is deleted: create a new one");
  }
  return absl::OkStatus();
}

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_CAMPAIGN_STORE_H_
