#include "collector/aggregate/readiness/changes.h"

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "collector/aggregate/readiness/consensus.h"
#include "collector/aggregate/readiness/domain_views.h"

namespace v6scope::collector::aggregate::readiness {
namespace {

using v6scope::v1::BROKEN_V4;
using v6scope::v1::SERVING_V6;

// (sector, domain) -> view, of one campaign, round and country.
using RoundViews =
    std::map<std::pair<std::string, std::string>, const DomainView*>;
// (campaign, country) -> round -> views.
using AllViews = std::map<std::pair<std::string, std::string>,
                          std::map<uint32_t, RoundViews>>;

// The consensus state of `view` on `service` if it can be compared.
bool Comparable(const DomainView* view, Service service,
                v6scope::v1::ServiceState* state) {
  if (view == nullptr || view->withheld) return false;
  const Consensus& c = view->of(service);
  if (!c.has_state() || c.state == BROKEN_V4) return false;
  *state = c.state;
  return true;
}

void Compare(const RoundViews& now, const RoundViews* before,
             ServiceChanges* out) {
  for (const auto& [id, view] : now) {
    v6scope::v1::ServiceState after;
    v6scope::v1::ServiceState previous;
    const DomainView* old = nullptr;
    if (before != nullptr) {
      auto it = before->find(id);
      if (it != before->end()) old = it->second;
    }
    if (!Comparable(view, out->service, &after) ||
        !Comparable(old, out->service, &previous)) {
      ++out->not_compared;
      continue;
    }
    ++out->compared;
    DomainChange change{id.first, id.second, previous, after};
    if (previous != SERVING_V6 && after == SERVING_V6) {
      out->gained.push_back(std::move(change));
    } else if (previous == SERVING_V6 && after != SERVING_V6) {
      out->lost.push_back(std::move(change));
    }
  }
}

}  // namespace

absl::StatusOr<std::vector<ServiceChanges>> ComputeChanges(
    absl::Span<const DomainRollup> rows,
    const ReadinessAggregateOptions& options) {
  absl::StatusOr<Provenance> provenance = ProvenanceFor(options);
  if (!provenance.ok()) return provenance.status();
  const std::vector<DomainView> views = DomainViews(rows, *provenance);
  AllViews all;
  for (const DomainView& v : views) {
    all[{v.key.campaign_id, v.key.country}][v.key.round]
       [{v.key.sector, v.key.domain}] = &v;
  }
  // Ordered (campaign, round, country): collect, then sort by that key.
  std::map<std::tuple<std::string, uint32_t, std::string>,
           std::vector<ServiceChanges>>
      ordered;
  for (const auto& [campaign_country, rounds] : all) {
    const RoundViews* before = nullptr;
    uint32_t previous_round = 0;
    for (const auto& [round, now] : rounds) {
      auto& records =
          ordered[{campaign_country.first, round, campaign_country.second}];
      for (Service service : kAllServices) {
        ServiceChanges c;
        c.provenance = *provenance;
        c.campaign_id = campaign_country.first;
        c.round = round;
        c.previous_round = previous_round;
        c.country = campaign_country.second;
        c.service = service;
        Compare(now, before, &c);
        records.push_back(std::move(c));
      }
      before = &now;
      previous_round = round;
    }
  }
  std::vector<ServiceChanges> out;
  for (auto& [key, records] : ordered) {
    for (ServiceChanges& c : records) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace v6scope::collector::aggregate::readiness
