#include "collector/service/campaign_creation.h"

#include <istream>
#include <streambuf>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/campaign/campaign_spec.h"
#include "collector/campaign/list_import.h"
#include "collector/campaign/probe_selector.h"
#include "collector/campaign/sector.h"
#include "common/crypto/secrets.h"
#include "common/log/error_id.h"
#include "common/log/log.h"
#include "common/text/text_rules.h"
#include "google/protobuf/util/time_util.h"

namespace v6scope::collector::service {
namespace {

using google::protobuf::util::TimeUtil;
using v6scope::v1::Campaign;
using v6scope::v1::CampaignSpec;

absl::Status Internal(const absl::Status& detail) {
  return log::PublicError(absl::StatusCode::kUnavailable,
                          "the collector could not complete the request",
                          detail, "grpc.error", "CreateCampaign");
}

// Reads the uploaded bytes in place: a 64 MiB list is not copied.
class ViewBuf : public std::streambuf {
 public:
  explicit ViewBuf(const std::string& s) {
    char* p = const_cast<char*>(s.data());  // Only ever read.
    setg(p, p, p + s.size());
  }
};

absl::StatusOr<campaign::ImportOptions> Options(const CampaignSpec& spec) {
  campaign::ImportOptions o;
  const std::string format = spec.format().empty() ? "auto" : spec.format();
  std::optional<campaign::ListFormat> f = campaign::ParseListFormat(format);
  if (!f) {
    return absl::InvalidArgumentError(
        absl::StrCat("format: \"", text::Printable(format),
                     "\" is not one of auto, text, csv, dotgov, tranco, toml"));
  }
  o.format = *f;
  if (!spec.default_sector().empty()) {
    std::optional<campaign::Sector> s =
        campaign::ParseSector(spec.default_sector());
    if (!s) {
      return absl::InvalidArgumentError(absl::StrCat(
          "default_sector: \"", text::Printable(spec.default_sector()),
          "\" is not a sector; one of: ", campaign::SectorList()));
    }
    o.default_sector = *s;
  }
  o.file_name = spec.file_name();
  o.name_column = spec.name_column();
  o.sector_column = spec.sector_column();
  o.limits.skip_invalid_names = spec.skip_invalid_names();
  return o;
}

absl::StatusOr<campaign::ImportResult> Import(
    const campaign::ImportOptions& options, const std::string& data) {
  ViewBuf buf(data);
  std::istream in(&buf);
  absl::StatusOr<campaign::ImportResult> r =
      campaign::ImportDomainList(in, options);
  if (r.ok() || options.file_name.empty()) return r;
  return absl::Status(r.status().code(),
                      absl::StrCat(text::Printable(options.file_name), ": ",
                                   r.status().message()));
}

// The campaign checked, with its selected probes counted; before the
// list is read, so a wrong selector costs no import. `warning`: that the
// collector is included but has no vantage probe yet ("" if not so).
absl::StatusOr<Campaign> Prepare(const CampaignSpec& spec,
                                 store::CampaignStore& campaigns,
                                 absl::Time now, std::string& warning) {
  absl::StatusOr<Campaign> c =
      campaign::NormalizeCampaign(spec.campaign(), now);
  if (!c.ok()) return c.status();
  absl::StatusOr<v6scope::v1::ProbeSelector> selector =
      campaign::NormalizeSelector(c->selector());
  if (!selector.ok()) return selector.status();
  *c->mutable_selector() = *selector;
  absl::StatusOr<std::vector<campaign::ProbeVantage>> probes =
      campaigns.ListProbeVantages();
  if (!probes.ok()) return Internal(probes.status());
  absl::StatusOr<std::vector<std::string>> selected =
      campaign::SelectProbes(*selector, *probes);
  if (!selected.ok()) return selected.status();
  warning = campaign::CollectorVantageWarning(*selector, *probes);
  c->set_selected_probes(static_cast<uint32_t>(selected->size()));
  c->set_state(v6scope::v1::CAMPAIGN_ACTIVE);
  *c->mutable_created_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  absl::StatusOr<std::string> id = crypto::RandomHex(4);
  if (!id.ok()) return Internal(id.status());
  c->set_id(absl::StrCat("c-", *id));
  return c;
}

}  // namespace

absl::StatusOr<v6scope::v1::CreateCampaignResponse> CreateCampaignFrom(
    const CampaignSpec& spec, const std::string& data,
    store::CampaignStore& campaigns, const time::Clock& clock) {
  absl::StatusOr<campaign::ImportOptions> options = Options(spec);
  if (!options.ok()) return options.status();
  std::string vantage_warning;
  absl::StatusOr<Campaign> c =
      Prepare(spec, campaigns, clock.Now(), vantage_warning);
  if (!c.ok()) return c.status();
  absl::StatusOr<campaign::ImportResult> list = Import(*options, data);
  if (!list.ok()) return list.status();
  *c->mutable_list() =
      campaign::ListStats(*list, campaign::EffectiveFormat(*options, data));
  if (c->sectors().empty()) {  // The list's own sectors.
    for (const v6scope::v1::SectorCount& s : c->list().sectors()) {
      c->add_sectors(s.sector());
    }
  }
  absl::Status stored = campaigns.CreateCampaign(*c, list->list);
  if (!stored.ok()) return Internal(stored);
  log::Info("campaign.created",
            {{"campaign", c->id()},
             {"names", absl::StrCat(c->list().names())},
             {"probes", absl::StrCat(c->selected_probes())}});
  v6scope::v1::CreateCampaignResponse resp;
  *resp.mutable_campaign() = *std::move(c);
  if (!vantage_warning.empty()) resp.add_warnings(std::move(vantage_warning));
  for (std::string& w : list->warnings) resp.add_warnings(std::move(w));
  resp.set_warnings_dropped(list->warnings_dropped);
  return resp;
}

}  // namespace v6scope::collector::service
