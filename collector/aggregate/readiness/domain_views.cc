#include "collector/aggregate/readiness/domain_views.h"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace v6scope::collector::aggregate::readiness {
namespace {

DomainView ViewOf(const DomainRollup& row, const Provenance& provenance) {
  DomainView view;
  view.provenance = provenance;
  view.key = row.key;
  if (!Publishable(row.asns.size(), provenance)) {
    view.withheld = true;
    view.withheld_reason = WithheldReason(provenance);
    return view;
  }
  view.results = row.results;
  view.networks = static_cast<uint32_t>(row.asns.size());
  view.counts = row.counts;
  for (int s = 0; s < kServiceCount; ++s) {
    view.consensus[s] = ConsensusOf(row.counts[s]);
  }
  return view;
}

// The views of one (campaign, round, sector, domain), all countries.
using DomainId = std::tuple<std::string, uint32_t, std::string, std::string>;

DomainId IdOf(const DomainRollupKey& key) {
  return {key.campaign_id, key.round, key.sector, key.domain};
}

// The disagreement on `service` among `views` of one domain, if any.
bool Disagree(const std::vector<const DomainView*>& views, Service service,
              Disagreement* out) {
  std::set<int> states;
  for (const DomainView* view : views) {
    if (view->withheld) {
      ++out->withheld_countries;
      continue;
    }
    const Consensus& c = view->of(service);
    if (c.kind == ConsensusKind::kUntested) continue;
    if (c.has_state()) states.insert(c.state);
    out->countries.push_back({view->key.country, c, view->networks});
  }
  return states.size() >= 2;
}

}  // namespace

std::vector<DomainView> DomainViews(absl::Span<const DomainRollup> rows,
                                    const Provenance& provenance) {
  std::map<DomainRollupKey, const DomainRollup*> ordered;
  for (const DomainRollup& row : rows) {
    if (Counted(row, provenance)) ordered[row.key] = &row;
  }
  std::vector<DomainView> views;
  views.reserve(ordered.size());
  for (const auto& [key, row] : ordered) {
    views.push_back(ViewOf(*row, provenance));
  }
  return views;
}

absl::StatusOr<std::vector<DomainView>> ComputeDomainViews(
    absl::Span<const DomainRollup> rows,
    const ReadinessAggregateOptions& options) {
  absl::StatusOr<Provenance> provenance = ProvenanceFor(options);
  if (!provenance.ok()) return provenance.status();
  return DomainViews(rows, *provenance);
}

absl::StatusOr<std::vector<Disagreement>> FindDisagreements(
    absl::Span<const DomainRollup> rows,
    const ReadinessAggregateOptions& options) {
  absl::StatusOr<Provenance> provenance = ProvenanceFor(options);
  if (!provenance.ok()) return provenance.status();
  const std::vector<DomainView> views = DomainViews(rows, *provenance);
  // Views are in key order, so one domain's countries are grouped only
  // after (campaign, round, country, ...): regroup by domain.
  std::map<DomainId, std::vector<const DomainView*>> by_domain;
  for (const DomainView& view : views) {
    by_domain[IdOf(view.key)].push_back(&view);
  }
  std::vector<Disagreement> found;
  for (const auto& [id, domain_views] : by_domain) {
    for (Service service : kAllServices) {
      Disagreement d;
      d.provenance = *provenance;
      std::tie(d.campaign_id, d.round, d.sector, d.domain) = id;
      d.service = service;
      if (Disagree(domain_views, service, &d)) found.push_back(std::move(d));
    }
  }
  return found;
}

}  // namespace v6scope::collector::aggregate::readiness
