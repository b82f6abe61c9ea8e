#include "collector/service/campaign_progress.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "collector/campaign/probe_selector.h"
#include "google/protobuf/util/time_util.h"

namespace v6scope::collector::service {
namespace {

using store::AssignmentRecord;
using store::AssignmentState;
using v6scope::v1::Campaign;
using v6scope::v1::ProbeProgress;

// Round, offered, outstanding and refusals from the probe's assignments
// (by offered_at, as the store lists them).
void AddAssignment(const AssignmentRecord& a, ProbeProgress& p) {
  if (a.offers > 0 && a.round > p.round()) {
    p.set_round(a.round);
    p.set_offered(0);
  }
  if (a.offers > 0 && a.round == p.round()) {
    p.set_offered(p.offered() + a.count);
  }
  if (a.state == AssignmentState::kOffered ||
      a.state == AssignmentState::kHeld) {
    p.set_outstanding(p.outstanding() + 1);
  }
  if (a.state == AssignmentState::kRefused) {
    p.set_refused(p.refused() + 1);
    p.set_last_refusal(a.refusal);
  }
}

// Whether the host refuses the campaign: all of it, or every sector its
// list has names in.
bool OptedOut(const store::ProbeWorkState& s, const Campaign& c) {
  if (s.opted_out) return true;
  if (s.opted_out_sectors.empty() || c.list().sectors().empty()) return false;
  for (const v6scope::v1::SectorCount& sc : c.list().sectors()) {
    if (sc.names() > 0 &&
        std::find(s.opted_out_sectors.begin(), s.opted_out_sectors.end(),
                  sc.sector()) == s.opted_out_sectors.end()) {
      return false;
    }
  }
  return true;
}

absl::Status AddWorkState(store::ReadinessStore& readiness, const Campaign& c,
                          ProbeProgress& p) {
  absl::StatusOr<store::ProbeWorkState> s =
      readiness.GetProbeWorkState(p.probe_id());
  if (absl::IsNotFound(s.status())) return absl::OkStatus();
  if (!s.ok()) return s.status();
  p.set_opted_out(OptedOut(*s, c));
  *p.mutable_last_poll() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(s->last_poll));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v6scope::v1::CampaignProgressResponse> CampaignProgress(
    const std::string& campaign_id, store::CampaignStore& campaigns,
    store::ReadinessStore& readiness) {
  absl::StatusOr<Campaign> c = campaigns.GetCampaign(campaign_id);
  if (!c.ok()) return c.status();
  absl::StatusOr<std::vector<campaign::ProbeVantage>> vantages =
      campaigns.ListProbeVantages();
  if (!vantages.ok()) return vantages.status();
  absl::StatusOr<std::vector<AssignmentRecord>> assignments =
      readiness.ListCampaignAssignments(campaign_id);
  if (!assignments.ok()) return assignments.status();
  absl::StatusOr<std::vector<store::ReadinessStore::ResultCount>> counts =
      readiness.CountDomainResults(campaign_id);
  if (!counts.ok()) return counts.status();

  std::map<std::string, ProbeProgress> probes;  // By id.
  auto at = [&probes](const std::string& id) -> ProbeProgress& {
    ProbeProgress& p = probes[id];
    p.set_probe_id(id);
    return p;
  };
  // One probe at a time, so that a named probe revoked since creation does
  // not hide the others (SelectProbes refuses it).
  for (const campaign::ProbeVantage& v : *vantages) {
    if (campaign::SelectsProbe(c->selector(), v)) at(v.probe_id);
  }
  for (const AssignmentRecord& a : *assignments)
    AddAssignment(a, at(a.probe_id));
  v6scope::v1::CampaignProgressResponse out;
  for (const store::ReadinessStore::ResultCount& rc : *counts) {
    ProbeProgress& p = at(rc.probe_id);
    if (p.round() == 0) p.set_round(rc.round);
    if (rc.round == p.round()) p.set_stored(rc.in_round);
    out.set_results_stored(out.results_stored() + rc.all_rounds);
  }
  for (const campaign::ProbeVantage& v : *vantages) {
    auto it = probes.find(v.probe_id);
    if (it != probes.end())
      it->second.set_collector_vantage(v.collector_vantage);
  }
  for (auto& [id, p] : probes) {
    if (absl::Status s = AddWorkState(readiness, *c, p); !s.ok()) return s;
    *out.add_probes() = std::move(p);
  }
  *out.mutable_campaign() = *std::move(c);
  return out;
}

}  // namespace v6scope::collector::service
