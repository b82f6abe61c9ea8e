#include "collector/query/readiness_records.h"

#include <string>

namespace v6scope::collector::query {
namespace {

namespace readiness = ::v6scope::collector::aggregate::readiness;

std::string Name(readiness::Service service) {
  return std::string(readiness::ServiceName(service));
}

v6scope::v1::ServiceConsensus ToProto(readiness::Service service,
                                      const readiness::Consensus& consensus,
                                      const readiness::StateCounts& counts) {
  v6scope::v1::ServiceConsensus out;
  out.set_service(Name(service));
  out.set_kind(ConsensusKindName(consensus.kind));
  out.set_state(consensus.state);
  out.set_votes(consensus.votes);
  out.set_voters(consensus.voters);
  out.set_tested(consensus.tested);
  for (uint64_t count : counts) out.add_state_counts(count);
  return out;
}

v6scope::v1::ReadinessDomainChange ToProto(
    const readiness::DomainChange& change) {
  v6scope::v1::ReadinessDomainChange out;
  out.set_sector(change.sector);
  out.set_domain(change.domain);
  out.set_before(change.before);
  out.set_after(change.after);
  return out;
}

}  // namespace

v6scope::v1::ReadinessProvenance ToProto(
    const readiness::Provenance& provenance) {
  v6scope::v1::ReadinessProvenance out;
  out.set_methodology_version(provenance.methodology_version);
  out.set_aggregation_version(provenance.aggregation_version);
  out.set_dataset_version(provenance.dataset_version);
  out.set_min_networks(provenance.min_networks);
  return out;
}

v6scope::v1::ServiceShareCell ToProto(const readiness::ShareCell& cell) {
  v6scope::v1::ServiceShareCell out;
  out.set_campaign_id(cell.campaign_id);
  out.set_round(cell.round);
  out.set_country(cell.country);
  out.set_sector(cell.sector);
  out.set_service(Name(cell.service));
  *out.mutable_provenance() = ToProto(cell.provenance);
  if (cell.withheld) {
    // Not even the network count (§14.4).
    out.set_withheld(true);
    out.set_withheld_reason(cell.withheld_reason);
    return out;
  }
  out.set_networks(cell.networks);
  out.set_domains(cell.domains);
  out.set_n(cell.n);
  out.set_split(cell.split);
  out.set_untested(cell.untested);
  for (const readiness::StateShare& s : cell.shares) {
    v6scope::v1::ServiceStateShare* share = out.add_shares();
    share->set_state(s.state);
    share->set_domains(s.domains);
    share->set_value(s.value);
    share->set_ci_low(s.ci.low);
    share->set_ci_high(s.ci.high);
  }
  return out;
}

v6scope::v1::ServiceShareSeries ToProto(const readiness::ShareSeries& series) {
  v6scope::v1::ServiceShareSeries out;
  out.set_campaign_id(series.campaign_id);
  out.set_country(series.country);
  out.set_sector(series.sector);
  out.set_service(Name(series.service));
  for (const readiness::ShareCell& point : series.points) {
    *out.add_points() = ToProto(point);
  }
  *out.mutable_provenance() = ToProto(series.provenance);
  return out;
}

v6scope::v1::ServiceChangeRecord ToProto(
    const readiness::ServiceChanges& changes) {
  v6scope::v1::ServiceChangeRecord out;
  out.set_campaign_id(changes.campaign_id);
  out.set_round(changes.round);
  out.set_previous_round(changes.previous_round);
  out.set_country(changes.country);
  out.set_service(Name(changes.service));
  out.set_compared(changes.compared);
  out.set_not_compared(changes.not_compared);
  for (const readiness::DomainChange& c : changes.gained) {
    *out.add_gained() = ToProto(c);
  }
  for (const readiness::DomainChange& c : changes.lost) {
    *out.add_lost() = ToProto(c);
  }
  *out.mutable_provenance() = ToProto(changes.provenance);
  return out;
}

const char* ConsensusKindName(readiness::ConsensusKind kind) {
  switch (kind) {
    case readiness::ConsensusKind::kState:
      return "state";
    case readiness::ConsensusKind::kSplit:
      return "split";
    case readiness::ConsensusKind::kUntested:
      break;
  }
  return "untested";
}

v6scope::v1::CountryReadinessView ToProto(const readiness::DomainView& view) {
  v6scope::v1::CountryReadinessView out;
  out.set_country(view.key.country);
  if (view.withheld) {
    out.set_withheld(true);
    out.set_withheld_reason(view.withheld_reason);
    return out;
  }
  out.set_results(view.results);
  out.set_networks(view.networks);
  for (readiness::Service service : readiness::kAllServices) {
    const int i = static_cast<int>(service);
    *out.add_services() = ToProto(service, view.consensus[i], view.counts[i]);
  }
  return out;
}

v6scope::v1::ReadinessDisagreement ToProto(
    const readiness::Disagreement& disagreement) {
  v6scope::v1::ReadinessDisagreement out;
  out.set_service(Name(disagreement.service));
  for (const readiness::CountryState& c : disagreement.countries) {
    v6scope::v1::CountryConsensus* country = out.add_countries();
    country->set_country(c.country);
    country->set_kind(ConsensusKindName(c.consensus.kind));
    country->set_state(c.consensus.state);
    country->set_votes(c.consensus.votes);
    country->set_voters(c.consensus.voters);
    country->set_tested(c.consensus.tested);
    country->set_networks(c.networks);
  }
  out.set_withheld_countries(disagreement.withheld_countries);
  return out;
}

}  // namespace v6scope::collector::query
