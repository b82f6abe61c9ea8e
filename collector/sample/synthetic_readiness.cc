#include "collector/sample/synthetic_readiness.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "collector/campaign/domain_list.h"
#include "collector/campaign/sector.h"
#include "methodology/readiness/readiness.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::sample {
namespace {

using v6scope::v1::ServiceState;

struct SectorShape {
  campaign::Sector sector;
  const char* slug;    // Canonical sector name.
  const char* suffix;  // Of the invented names.
  double v6;           // Base share of domains serving over IPv6.
};

constexpr SectorShape kSectors[] = {
    {campaign::Sector::kGovernment, "government", "gov.example", 0.35},
    {campaign::Sector::kEducation, "education", "edu.example", 0.45},
    {campaign::Sector::kHealth, "health", "health.example", 0.25},
    {campaign::Sector::kBanking, "banking", "bank.example", 0.20},
    {campaign::Sector::kTopSites, "top-sites", "top.example", 0.70},
};

// A uniform draw in [0, 1) from the key.
template <typename... Key>
double Draw(const Key&... key) {
  return static_cast<double>(absl::HashOf(key...) % 1000003) / 1000003.0;
}

// The web state of `domain` from `country` in `round` (from 1).
ServiceState WebState(const std::string& domain, const std::string& country,
                      int round, double base, const std::string& probe) {
  // Each round some more domains serve over IPv6 (gained, never lost).
  const double share = std::min(0.95, base + 0.05 * (round - 1));
  const double d = Draw(domain, 0);
  if (d < 0.03) return v6scope::v1::BROKEN_V4;
  if (d > share + 0.03) return v6scope::v1::NO_AAAA;
  if (d > share) return v6scope::v1::AAAA_UNREACHABLE;
  // Served over IPv6 — except from a few countries' networks, where a
  // path or filter breaks it (a finding: ready from one country only).
  if (Draw(domain, country) < 0.06) return v6scope::v1::NOT_SERVING_V6;
  if (Draw(domain, probe, round) < 0.01) return v6scope::v1::TLS_FAILS_V6;
  return v6scope::v1::SERVING_V6;
}

ServiceState DnsState(const std::string& domain) {
  const double d = Draw(domain, 1);
  if (d < 0.55) return v6scope::v1::SERVING_V6;
  if (d < 0.75) return v6scope::v1::PARTIAL_V6;
  return v6scope::v1::NO_AAAA;
}

ServiceState MailState(const std::string& domain) {
  const double d = Draw(domain, 2);
  if (d < 0.15) return v6scope::v1::NO_SERVICE;
  if (d < 0.45) return v6scope::v1::SERVING_V6;
  return v6scope::v1::NO_AAAA;
}

}  // namespace

absl::StatusOr<uint64_t> StoreSyntheticCampaign(
    store::Store& store, const SyntheticFleet& fleet,
    const SyntheticCampaignOptions& options) {
  std::vector<campaign::DomainEntry> entries;
  for (int i = 0; i < options.domains; ++i) {
    const SectorShape& s = kSectors[i % std::size(kSectors)];
    entries.push_back({absl::StrFormat("site-%04d.%s", i, s.suffix), s.sector,
                       static_cast<int64_t>(i + 1)});
  }
  v6scope::v1::Campaign campaign;
  campaign.set_id(options.campaign_id);
  campaign.set_name(options.name);
  campaign.set_state(v6scope::v1::CAMPAIGN_ACTIVE);
  for (const SectorShape& s : kSectors) campaign.add_sectors(s.slug);
  // A round a day, the last starting a little before the fleet's end: the
  // schedule the results below are stored under (reports pick a month's
  // round by it, collector/campaign/rounds.h).
  const absl::Time first_round = fleet.options().end - absl::Minutes(10) -
                                 absl::Hours(24) * (options.rounds - 1);
  campaign.mutable_schedule()->set_every_n_days(1);
  campaign.mutable_schedule()->mutable_start()->set_seconds(
      absl::ToUnixSeconds(first_round));
  *campaign.mutable_created_at() = campaign.schedule().start();
  campaign.mutable_list()->set_names(entries.size());
  absl::Status created =
      store.CreateCampaign(campaign, campaign::DomainList(entries));
  if (!created.ok()) return created;

  const int probes = options.probes > 0
                         ? std::min(options.probes, fleet.probes())
                         : fleet.probes();
  const absl::Time end = fleet.options().end;
  uint64_t stored = 0;
  for (int p = 0; p < probes; ++p) {
    const SyntheticNetwork& net = fleet.NetworkOf(p);
    const std::string probe = fleet.ProbeId(p);
    std::vector<store::DomainResultRow> rows;
    for (int round = 1; round <= options.rounds; ++round) {
      const absl::Time at = end - absl::Hours(24) * (options.rounds - round);
      const std::string assignment =
          absl::StrFormat("a-5eed%04x%08x", round, p);
      for (size_t i = 0; i < entries.size(); ++i) {
        const SectorShape& s = kSectors[i % std::size(kSectors)];
        store::DomainResultRow row;
        row.seq = rows.size() + 1;
        row.assignment_id = assignment;
        row.item = static_cast<uint32_t>(i);
        row.campaign_id = options.campaign_id;
        row.round = static_cast<uint32_t>(round);
        row.list_index = i;
        row.domain = entries[i].name;
        row.sector = s.slug;
        row.probe_asn = net.asn;
        row.probe_country = net.country;
        row.received_at = at;
        v6scope::v1::DomainCheck& check = row.check;
        check.set_domain(row.domain);
        *check.mutable_started_at() =
            google::protobuf::util::TimeUtil::SecondsToTimestamp(
                absl::ToUnixSeconds(at));
        v6scope::v1::ReadinessVerdict* v = check.mutable_verdict();
        v->set_web(WebState(row.domain, net.country, round, s.v6, probe));
        v->set_dns(DnsState(row.domain));
        v->set_mail(MailState(row.domain));
        v->set_methodology_version(
            methodology::readiness::kReadinessMethodologyVersion);
        rows.push_back(std::move(row));
      }
    }
    store::DomainBatchRows batch{probe, 1, rows};
    absl::StatusOr<std::vector<store::StoredDomainBatch>> done =
        store.StoreDomainBatches({batch});
    if (!done.ok()) return done.status();
    for (const auto& b : *done) stored += b.stored;
  }
  return stored;
}

}  // namespace v6scope::collector::sample
