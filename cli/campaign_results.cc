#include "cli/campaign_results.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "api/api_json.h"
#include "common/rpc/status.h"
#include "proto/admin_service.grpc.pb.h"

namespace v6scope::cli {
namespace {

using v6scope::v1::StoredDomainResult;

// "serving_v6", ...; "" when not tested.
std::string State(v6scope::v1::ServiceState s) {
  if (s == v6scope::v1::SERVICE_STATE_UNSPECIFIED) return "";
  return absl::AsciiStrToLower(v6scope::v1::ServiceState_Name(s));
}

std::string When(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "never";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                          absl::FromUnixSeconds(ts.seconds()),
                          absl::UTCTimeZone());
}

}  // namespace

Table ProgressTable(const v6scope::v1::CampaignProgressResponse& progress) {
  Table t({"probe", "vantage", "round", "offered", "stored", "outstanding",
           "refused", "opted_out", "last_poll", "last_refusal"});
  for (const v6scope::v1::ProbeProgress& p : progress.probes()) {
    t.AddRow({p.probe_id(), p.collector_vantage() ? "collector" : "probe",
              absl::StrCat(p.round()), absl::StrCat(p.offered()),
              absl::StrCat(p.stored()), absl::StrCat(p.outstanding()),
              absl::StrCat(p.refused()), p.opted_out() ? "yes" : "no",
              When(p.last_poll()), p.last_refusal()});
  }
  t.SetEmptyText(absl::StrCat("campaign ", progress.campaign().id(),
                              ": no probe selected and no result stored"));
  t.AddNote(absl::StrCat(progress.results_stored(), " results stored"));
  return t;
}

absl::StatusOr<Table> CampaignProgress(std::shared_ptr<grpc::Channel> channel,
                                       const std::string& admin_secret,
                                       const std::string& campaign_id) {
  auto stub = v6scope::v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", admin_secret));
  v6scope::v1::CampaignIdRequest req;
  req.set_campaign_id(campaign_id);
  v6scope::v1::CampaignProgressResponse resp;
  absl::Status s = rpc::FromGrpc(stub->GetCampaignProgress(&ctx, req, &resp));
  if (!s.ok()) return s;
  return ProgressTable(resp);
}

std::string CampaignResultsCsvHeader() {
  return "domain,sector,probe,probe_asn,probe_country,round,web,dns,mail,"
         "web_v4_asn,web_v6_asn\n";
}

std::string CampaignResultLine(const StoredDomainResult& r,
                               api::ExportFormat format) {
  if (format == api::ExportFormat::kJsonLines) {
    return absl::StrCat(api::ToJson(r), "\n");
  }
  const v6scope::v1::DomainCheck& c = r.check();
  const std::vector<std::string> cells = {
      api::CsvField(c.domain()),        api::CsvField(r.sector()),
      api::CsvField(r.probe_id()),      absl::StrCat(r.probe_asn()),
      api::CsvField(r.probe_country()), absl::StrCat(r.round()),
      State(c.verdict().web()),         State(c.verdict().dns()),
      State(c.verdict().mail()),        absl::StrCat(c.web_v4_asn()),
      absl::StrCat(c.web_v6_asn())};
  return absl::StrCat(absl::StrJoin(cells, ","), "\n");
}

absl::StatusOr<uint64_t> ExportCampaignResults(
    std::shared_ptr<grpc::Channel> channel, const std::string& admin_secret,
    const v6scope::v1::ExportCampaignResultsRequest& request,
    api::ExportFormat format, std::ostream& out) {
  auto stub = v6scope::v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;  // No deadline: a large export takes its time.
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", admin_secret));
  auto reader = stub->ExportCampaignResults(&ctx, request);
  if (format == api::ExportFormat::kCsv) out << CampaignResultsCsvHeader();
  uint64_t n = 0;
  v6scope::v1::ExportCampaignResultsResponse page;
  while (reader->Read(&page)) {
    for (const StoredDomainResult& r : page.results()) {
      out << CampaignResultLine(r, format);
      ++n;
    }
    if (!out) {
      ctx.TryCancel();
      reader->Finish();
      return absl::UnavailableError("cannot write the output");
    }
  }
  absl::Status s = rpc::FromGrpc(reader->Finish());
  if (!s.ok()) return s;
  return n;
}

}  // namespace v6scope::cli
