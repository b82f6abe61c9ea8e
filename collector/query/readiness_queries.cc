#include "collector/query/readiness_queries.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "collector/aggregate/readiness/changes.h"
#include "collector/aggregate/readiness/domain_views.h"
#include "collector/aggregate/readiness/shares.h"
#include "collector/campaign/sector.h"
#include "collector/query/page_size.h"
#include "collector/query/readiness_records.h"

namespace v6scope::collector::query {
namespace {

namespace readiness = ::v6scope::collector::aggregate::readiness;
using readiness::DomainRollup;

constexpr char kPageTokenPrefix[] = "d1:";

std::string EncodePageToken(size_t offset) {
  return absl::WebSafeBase64Escape(absl::StrCat(kPageTokenPrefix, offset));
}

absl::StatusOr<size_t> DecodePageToken(const std::string& token) {
  if (token.empty()) return 0;
  std::string decoded;
  size_t offset = 0;
  if (absl::WebSafeBase64Unescape(token, &decoded)) {
    absl::string_view rest = decoded;
    if (absl::ConsumePrefix(&rest, kPageTokenPrefix) &&
        absl::SimpleAtoi(rest, &offset)) {
      return offset;
    }
  }
  return absl::InvalidArgumentError("page_token: malformed");
}

// The filters every readiness query takes, as the request gives them.
struct RawFilters {
  std::string campaign_id;
  std::string country;
  std::string sector;
  std::string service;
  std::string methodology;
  uint32_t min_networks = 0;
};

// The same, checked, with what the aggregates run under.
struct Filters {
  std::string campaign_id;
  std::string country;  // Upper case; empty: all.
  std::string sector;   // Canonical; empty: all.
  std::string service;  // "web", "dns", "mail"; empty: all.
  readiness::ReadinessAggregateOptions options;
  readiness::Provenance provenance;

  bool Wants(readiness::Service s) const {
    return service.empty() || readiness::ServiceName(s) == service;
  }
};

absl::StatusOr<Filters> Check(const RawFilters& raw, uint32_t k,
                              std::string dataset_version) {
  if (raw.campaign_id.empty()) {
    return absl::InvalidArgumentError("campaign_id: required");
  }
  Filters f;
  f.campaign_id = raw.campaign_id;
  f.country = absl::AsciiStrToUpper(raw.country);
  if (!f.country.empty() && f.country.size() != 2) {
    return absl::InvalidArgumentError(
        "country: an ISO 3166-1 alpha-2 code such as KE");
  }
  if (!raw.sector.empty()) {
    // Aliases ("bank", "Top sites") read as the canonical name the rows
    // carry.
    std::optional<campaign::Sector> sector = campaign::ParseSector(raw.sector);
    if (!sector.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("sector: unknown sector '", raw.sector,
                       "' (one of: ", campaign::SectorList(), ")"));
    }
    f.sector = std::string(campaign::SectorName(*sector));
  }
  f.service = absl::AsciiStrToLower(raw.service);
  if (!f.service.empty() && f.service != "web" && f.service != "dns" &&
      f.service != "mail") {
    return absl::InvalidArgumentError(absl::StrCat(
        "service: expected web, dns or mail, got '", raw.service, "'"));
  }
  if (raw.min_networks != 0 && raw.min_networks < k) {
    // Lowering k would publish what the threshold withholds (§14.4).
    return absl::InvalidArgumentError(absl::StrCat(
        "min_networks: at least the collector's k = ", k, " (0: k)"));
  }
  f.options.methodology_version = raw.methodology;
  f.options.min_networks = raw.min_networks == 0 ? k : raw.min_networks;
  f.options.dataset_version = std::move(dataset_version);
  absl::StatusOr<readiness::Provenance> provenance =
      readiness::ProvenanceFor(f.options);
  if (!provenance.ok()) return provenance.status();
  f.provenance = *std::move(provenance);
  return f;
}

template <typename Request>
RawFilters RawOf(const Request& r, std::string service) {
  RawFilters raw;
  raw.campaign_id = r.campaign_id();
  raw.country = r.country();
  raw.sector = r.sector();
  raw.service = std::move(service);
  raw.methodology = r.methodology();
  raw.min_networks = r.min_networks();
  return raw;
}

// The four provenance fields every response has.
template <typename Response>
void SetProvenance(const readiness::Provenance& p, Response& response) {
  response.set_methodology_version(p.methodology_version);
  response.set_aggregation_version(p.aggregation_version);
  response.set_dataset_version(p.dataset_version);
  response.set_min_networks(p.min_networks);
}

store::ReadinessRollupQuery QueryOf(const Filters& f, uint32_t round) {
  store::ReadinessRollupQuery query;
  query.campaign_id = f.campaign_id;
  query.round = round;
  query.country = f.country;
  query.sector = f.sector;
  return query;
}

// The counted rows (methodology, known country) of the query.
absl::StatusOr<std::vector<DomainRollup>> ReadRows(
    store::ReadinessRollupStore* store, store::ReadinessRollupQuery query,
    const readiness::Provenance& provenance) {
  if (store == nullptr) return absl::UnavailableError(kNoReadinessRollups);
  absl::StatusOr<std::vector<DomainRollup>> rows =
      store->ListReadinessRollups(query);
  if (!rows.ok()) return rows.status();
  std::vector<DomainRollup> counted;
  for (DomainRollup& row : *rows) {
    if (readiness::Counted(row, provenance)) counted.push_back(std::move(row));
  }
  return counted;
}

// The counted rows of the newest round of `query`'s campaign before
// `before` (0: any round) that has counted rows, found round by round
// from the newest: the store lists the rounds cheaply, and reading every
// round's rows to pick one grew with each round. `round` is set to the
// round read (0: none).
absl::StatusOr<std::vector<DomainRollup>> ReadNewestRound(
    store::ReadinessRollupStore* store, store::ReadinessRollupQuery query,
    const readiness::Provenance& provenance, uint32_t before, uint32_t& round) {
  round = 0;
  if (store == nullptr) return absl::UnavailableError(kNoReadinessRollups);
  absl::StatusOr<std::vector<uint32_t>> rounds =
      store->ListReadinessRounds(query.campaign_id);
  if (!rounds.ok()) return rounds.status();
  for (uint32_t r : *rounds) {
    if (before != 0 && r >= before) continue;
    query.round = r;
    absl::StatusOr<std::vector<DomainRollup>> rows =
        ReadRows(store, query, provenance);
    if (!rows.ok() || !rows->empty()) {
      if (rows.ok()) round = r;
      return rows;
    }
  }
  return std::vector<DomainRollup>();
}

// The counted rows of `query` in its round, or with round 0 in the
// latest round that has any; `round` is set to the round read.
absl::StatusOr<std::vector<DomainRollup>> ReadRound(
    store::ReadinessRollupStore* store,
    const store::ReadinessRollupQuery& query,
    const readiness::Provenance& provenance, uint32_t& round) {
  if (query.round == 0) {
    return ReadNewestRound(store, query, provenance, /*before=*/0, round);
  }
  round = query.round;
  return ReadRows(store, query, provenance);
}

using DomainKey = std::pair<std::string, std::string>;  // Sector, domain.

// The domains of `rows` with every country's view and the disagreements;
// with `country`, only the domains that country saw, its view alone and
// the disagreements it is part of.
absl::StatusOr<std::map<DomainKey, v6scope::v1::DomainReadiness>> DomainsOf(
    const std::vector<DomainRollup>& rows, const Filters& f) {
  std::map<DomainKey, v6scope::v1::DomainReadiness> domains;
  for (const readiness::DomainView& view :
       readiness::DomainViews(rows, f.provenance)) {
    if (!f.country.empty() && view.key.country != f.country) continue;
    v6scope::v1::DomainReadiness& d =
        domains[{view.key.sector, view.key.domain}];
    d.set_campaign_id(view.key.campaign_id);
    d.set_round(view.key.round);
    d.set_sector(view.key.sector);
    d.set_domain(view.key.domain);
    *d.add_countries() = ToProto(view);
    *d.mutable_provenance() = ToProto(view.provenance);
  }
  absl::StatusOr<std::vector<readiness::Disagreement>> disagreements =
      readiness::FindDisagreements(rows, f.options);
  if (!disagreements.ok()) return disagreements.status();
  for (const readiness::Disagreement& dis : *disagreements) {
    auto it = domains.find({dis.sector, dis.domain});
    if (it == domains.end()) continue;
    const bool involved =
        f.country.empty() ||
        std::any_of(dis.countries.begin(), dis.countries.end(),
                    [&f](const readiness::CountryState& c) {
                      return c.country == f.country;
                    });
    if (involved) *it->second.add_disagreements() = ToProto(dis);
  }
  return domains;
}

}  // namespace

ReadinessQueries::ReadinessQueries(store::ReadinessRollupStore* store,
                                   std::function<std::string()> dataset_version,
                                   uint32_t min_networks,
                                   store::CampaignStore* campaigns)
    : store_(store),
      dataset_version_(std::move(dataset_version)),
      min_networks_(std::max<uint32_t>(min_networks, 1)),
      campaigns_(campaigns) {}

absl::StatusOr<v6scope::v1::ListServiceCampaignsResponse>
ReadinessQueries::Campaigns() const {
  v6scope::v1::ListServiceCampaignsResponse response;
  if (campaigns_ == nullptr) return response;
  absl::StatusOr<std::vector<v6scope::v1::Campaign>> all =
      campaigns_->ListCampaigns(/*include_deleted=*/true);
  if (!all.ok()) return all.status();
  for (const v6scope::v1::Campaign& c : *all) {
    v6scope::v1::ServiceCampaign* out = response.add_campaigns();
    out->set_campaign_id(c.id());
    out->set_name(c.name());
    *out->mutable_sectors() = c.sectors();
    out->set_domains(static_cast<uint32_t>(c.list().names()));
    switch (c.state()) {
      case v6scope::v1::CAMPAIGN_PAUSED:
        out->set_state("paused");
        break;
      case v6scope::v1::CAMPAIGN_DELETED:
        out->set_state("deleted");
        break;
      default:
        out->set_state("active");
    }
    *out->mutable_created_at() = c.created_at();
  }
  return response;
}

absl::StatusOr<v6scope::v1::ServiceSharesResponse> ReadinessQueries::Shares(
    const v6scope::v1::ServiceSharesRequest& request) const {
  return SharesBefore(request, /*before=*/0);
}

absl::StatusOr<v6scope::v1::ServiceSharesResponse> ReadinessQueries::SharesUpTo(
    const v6scope::v1::ServiceSharesRequest& request,
    uint32_t up_to_round) const {
  if (request.round() != 0 || up_to_round == 0) {
    return absl::InvalidArgumentError(
        "SharesUpTo: a request without a round, and a round from 1");
  }
  return SharesBefore(request, up_to_round + 1);
}

absl::StatusOr<v6scope::v1::ServiceSharesResponse>
ReadinessQueries::SharesBefore(const v6scope::v1::ServiceSharesRequest& request,
                               uint32_t before) const {
  absl::StatusOr<Filters> f = Check(RawOf(request, request.service()),
                                    min_networks_, dataset_version_());
  if (!f.ok()) return f.status();
  uint32_t round = 0;
  absl::StatusOr<std::vector<DomainRollup>> rows =
      before == 0 ? ReadRound(store_, QueryOf(*f, request.round()),
                              f->provenance, round)
                  : ReadNewestRound(store_, QueryOf(*f, 0), f->provenance,
                                    before, round);
  if (!rows.ok()) return rows.status();
  v6scope::v1::ServiceSharesResponse response;
  response.set_round(round);
  SetProvenance(f->provenance, response);
  absl::StatusOr<std::vector<readiness::ShareCell>> cells =
      readiness::ComputeShares(*rows, f->options);
  if (!cells.ok()) return cells.status();
  for (const readiness::ShareCell& cell : *cells) {
    if (f->Wants(cell.service)) *response.add_cells() = ToProto(cell);
  }
  return response;
}

absl::StatusOr<v6scope::v1::ServiceSeriesResponse> ReadinessQueries::Series(
    const v6scope::v1::ServiceSeriesRequest& request) const {
  absl::StatusOr<Filters> f = Check(RawOf(request, request.service()),
                                    min_networks_, dataset_version_());
  if (!f.ok()) return f.status();
  absl::StatusOr<std::vector<DomainRollup>> rows =
      ReadRows(store_, QueryOf(*f, /*round=*/0), f->provenance);
  if (!rows.ok()) return rows.status();
  absl::StatusOr<std::vector<readiness::ShareSeries>> series =
      readiness::ComputeShareSeries(*rows, f->options);
  if (!series.ok()) return series.status();
  v6scope::v1::ServiceSeriesResponse response;
  SetProvenance(f->provenance, response);
  for (const readiness::ShareSeries& s : *series) {
    if (f->Wants(s.service)) *response.add_series() = ToProto(s);
  }
  return response;
}

absl::StatusOr<v6scope::v1::DomainReadinessResponse> ReadinessQueries::Domains(
    const v6scope::v1::DomainReadinessRequest& request) const {
  absl::StatusOr<Filters> f =
      Check(RawOf(request, ""), min_networks_, dataset_version_());
  if (!f.ok()) return f.status();
  absl::StatusOr<uint32_t> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<size_t> offset = DecodePageToken(request.page_token());
  if (!offset.ok()) return offset.status();
  // Every country's rows: a disagreement needs the others' views.
  store::ReadinessRollupQuery query = QueryOf(*f, request.round());
  query.country.clear();
  query.domain = absl::AsciiStrToLower(request.domain());
  uint32_t round = 0;
  absl::StatusOr<std::vector<DomainRollup>> rows =
      ReadRound(store_, query, f->provenance, round);
  if (!rows.ok()) return rows.status();
  v6scope::v1::DomainReadinessResponse response;
  response.set_round(round);
  SetProvenance(f->provenance, response);
  absl::StatusOr<std::map<DomainKey, v6scope::v1::DomainReadiness>> domains =
      DomainsOf(*rows, *f);
  if (!domains.ok()) return domains.status();
  size_t i = 0;
  const size_t end = *offset + *page_size;
  for (auto& [key, domain] : *domains) {
    if (i >= *offset && i < end) *response.add_domains() = std::move(domain);
    ++i;
  }
  if (end < domains->size()) response.set_next_page_token(EncodePageToken(end));
  return response;
}

absl::StatusOr<v6scope::v1::ServiceChangesResponse> ReadinessQueries::Changes(
    const v6scope::v1::ServiceChangesRequest& request) const {
  absl::StatusOr<Filters> f = Check(RawOf(request, request.service()),
                                    min_networks_, dataset_version_());
  if (!f.ok()) return f.status();
  if (request.from_round() != 0 && request.to_round() != 0 &&
      request.from_round() >= request.to_round()) {
    return absl::InvalidArgumentError("from_round: must be before to_round");
  }
  // Only the two rounds are read: ComputeChanges compares each country's
  // round with its previous one among them.
  uint32_t to = 0;
  absl::StatusOr<std::vector<DomainRollup>> to_rows =
      ReadRound(store_, QueryOf(*f, request.to_round()), f->provenance, to);
  if (!to_rows.ok()) return to_rows.status();
  uint32_t from = request.from_round();
  absl::StatusOr<std::vector<DomainRollup>> rows = std::vector<DomainRollup>();
  if (from != 0) {
    rows = ReadRows(store_, QueryOf(*f, from), f->provenance);
  } else if (to != 0) {
    rows = ReadNewestRound(store_, QueryOf(*f, 0), f->provenance, to, from);
  }
  if (!rows.ok()) return rows.status();
  rows->insert(rows->end(), std::make_move_iterator(to_rows->begin()),
               std::make_move_iterator(to_rows->end()));
  // Key order (round first), as the store lists rows.
  std::sort(rows->begin(), rows->end(),
            [](const DomainRollup& a, const DomainRollup& b) {
              return a.key < b.key;
            });
  v6scope::v1::ServiceChangesResponse response;
  response.set_from_round(from);
  response.set_to_round(to);
  SetProvenance(f->provenance, response);
  absl::StatusOr<std::vector<readiness::ServiceChanges>> changes =
      readiness::ComputeChanges(*rows, f->options);
  if (!changes.ok()) return changes.status();
  for (const readiness::ServiceChanges& c : *changes) {
    if (c.round == to && f->Wants(c.service)) {
      *response.add_changes() = ToProto(c);
    }
  }
  return response;
}

}  // namespace v6scope::collector::query
