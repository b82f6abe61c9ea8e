#include "cli/campaign_commands.h"

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/rpc/status.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "proto/admin_service.grpc.pb.h"

namespace v6scope::cli {
namespace {

using google::protobuf::util::TimeUtil;
using v6scope::v1::Campaign;

constexpr size_t kChunkBytes = 1 << 20;

std::vector<std::string> Items(const std::string& csv) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(csv, ',')) {
    item = absl::StripAsciiWhitespace(item);
    if (!item.empty()) items.emplace_back(item);
  }
  return items;
}

void Prepare(grpc::ClientContext& ctx, const std::string& admin_secret,
             absl::Duration timeout) {
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", admin_secret));
}

absl::StatusOr<uint64_t> ParseBytes(std::string text) {
  uint64_t unit = 1;
  if (!text.empty()) {
    const char s = text.back();
    const std::string units = "KMG";
    const size_t k = units.find(static_cast<char>(toupper(s)));
    if (k != std::string::npos) {
      unit = uint64_t{1} << (10 * (k + 1));
      text.pop_back();
    }
  }
  uint64_t n = 0;
  if (!absl::SimpleAtoi(text, &n) || n > (uint64_t{1} << 40)) {
    return absl::InvalidArgumentError(
        "--bytes_per_day: a byte count, e.g. 500M or 2G");
  }
  return n * unit;
}

absl::Status SetSelector(const CampaignFlags& f,
                         v6scope::v1::ProbeSelector& s) {
  for (const std::string& c : Items(f.countries)) s.add_countries(c);
  for (const std::string& r : Items(f.regions)) s.add_regions(r);
  for (const std::string& p : Items(f.probe_ids)) s.add_probe_ids(p);
  for (std::string a : Items(f.asns)) {
    if (absl::StartsWithIgnoreCase(a, "AS")) a = a.substr(2);
    uint32_t asn = 0;
    if (!absl::SimpleAtoi(a, &asn) || asn == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("--asns: '", a, "' is not an AS number"));
    }
    s.add_asns(asn);
  }
  s.set_include_collector(f.include_collector);
  return absl::OkStatus();
}

absl::Status SetSchedule(const CampaignFlags& f, Campaign& c) {
  if (f.every_days < 0) {
    return absl::InvalidArgumentError("--every_days: 0 (once) or more");
  }
  c.mutable_schedule()->set_every_n_days(f.every_days);
  if (f.start.empty()) return absl::OkStatus();
  absl::Time t;
  std::string err;
  if (!absl::ParseTime("%Y-%m-%d", f.start, &t, &err) &&
      !absl::ParseTime(absl::RFC3339_full, f.start, &t, &err)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--start: '", f.start, "' is not YYYY-MM-DD or an RFC 3339 time"));
  }
  *c.mutable_schedule()->mutable_start() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
  return absl::OkStatus();
}

std::string Day(const google::protobuf::Timestamp& ts) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(ts.seconds()),
                          absl::UTCTimeZone());
}

std::string StateName(v6scope::v1::CampaignState s) {
  switch (s) {
    case v6scope::v1::CAMPAIGN_ACTIVE:
      return "active";
    case v6scope::v1::CAMPAIGN_PAUSED:
      return "paused";
    case v6scope::v1::CAMPAIGN_DELETED:
      return "deleted";
    default:
      return "?";
  }
}

std::string Selector(const v6scope::v1::ProbeSelector& s) {
  std::vector<std::string> parts;
  for (const std::string& c : s.countries()) parts.push_back(c);
  for (const std::string& r : s.regions()) parts.push_back(r);
  for (uint32_t a : s.asns()) parts.push_back(absl::StrCat("AS", a));
  for (const std::string& p : s.probe_ids()) parts.push_back(p);
  if (s.include_collector()) parts.push_back("collector");
  return absl::StrJoin(parts, " ");
}

}  // namespace

absl::StatusOr<v6scope::v1::CampaignSpec> BuildCampaignSpec(
    const CampaignFlags& f) {
  v6scope::v1::CampaignSpec spec;
  Campaign& c = *spec.mutable_campaign();
  c.set_name(f.name);
  for (const std::string& s : Items(f.sectors)) c.add_sectors(s);
  absl::Status s = SetSelector(f, *c.mutable_selector());
  if (s.ok()) s = SetSchedule(f, c);
  if (!s.ok()) return s;
  if (f.domains_per_day < 0 || f.concurrency < 0) {
    return absl::InvalidArgumentError(
        "--domains_per_day and --concurrency: 0 (default) or more");
  }
  c.mutable_budget()->set_domains_per_day(f.domains_per_day);
  c.mutable_budget()->set_concurrency(f.concurrency);
  if (!f.bytes_per_day.empty()) {
    absl::StatusOr<uint64_t> b = ParseBytes(f.bytes_per_day);
    if (!b.ok()) return b.status();
    c.mutable_budget()->set_bytes_per_day(*b);
  }
  c.set_created_by(f.created_by);
  spec.set_format(f.list_format);
  spec.set_file_name(f.list_file == "-" ? "" : f.list_file);
  spec.set_default_sector(f.default_sector);
  spec.set_name_column(f.name_column);
  spec.set_sector_column(f.sector_column);
  spec.set_skip_invalid_names(f.skip_invalid_names);
  return spec;
}

Table CampaignTable(const std::vector<Campaign>& campaigns) {
  Table t({"id", "name", "state", "names", "sectors", "selector", "probes",
           "every_days", "start", "created", "created_by"});
  for (const Campaign& c : campaigns) {
    t.AddRow({c.id(), c.name(), StateName(c.state()),
              absl::StrCat(c.list().names()), absl::StrJoin(c.sectors(), ","),
              Selector(c.selector()), absl::StrCat(c.selected_probes()),
              absl::StrCat(c.schedule().every_n_days()),
              Day(c.schedule().start()), Day(c.created_at()), c.created_by()});
  }
  return t;
}

absl::StatusOr<Table> CreateCampaign(std::shared_ptr<grpc::Channel> channel,
                                     const std::string& admin_secret,
                                     const v6scope::v1::CampaignSpec& spec,
                                     std::istream& list,
                                     std::ostream& warnings) {
  auto stub = v6scope::v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  Prepare(ctx, admin_secret, absl::Minutes(10));  // A 64 MiB upload.
  v6scope::v1::CreateCampaignResponse resp;
  auto writer = stub->CreateCampaign(&ctx, &resp);
  v6scope::v1::CreateCampaignRequest req;
  *req.mutable_spec() = spec;
  bool ok = writer->Write(req);
  std::string chunk(kChunkBytes, '\0');
  while (ok && list) {
    list.read(chunk.data(), chunk.size());
    if (list.gcount() == 0) break;
    req.set_list_chunk(chunk.data(), list.gcount());
    ok = writer->Write(req);
  }
  if (list.bad()) {
    ctx.TryCancel();
    return absl::UnavailableError("cannot read the list file");
  }
  writer->WritesDone();
  absl::Status s = rpc::FromGrpc(writer->Finish());
  if (!s.ok()) return s;
  for (const std::string& w : resp.warnings()) {
    warnings << "warning: " << w << "\n";
  }
  if (resp.warnings_dropped() > 0) {
    warnings << "warning: " << resp.warnings_dropped() << " more warnings\n";
  }
  return CampaignTable({resp.campaign()});
}

absl::StatusOr<Table> ListCampaigns(std::shared_ptr<grpc::Channel> channel,
                                    const std::string& admin_secret,
                                    bool include_deleted) {
  auto stub = v6scope::v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  Prepare(ctx, admin_secret, absl::Seconds(30));
  v6scope::v1::ListCampaignsRequest req;
  req.set_include_deleted(include_deleted);
  v6scope::v1::ListCampaignsResponse resp;
  absl::Status s = rpc::FromGrpc(stub->ListCampaigns(&ctx, req, &resp));
  if (!s.ok()) return s;
  return CampaignTable({resp.campaigns().begin(), resp.campaigns().end()});
}

absl::StatusOr<Table> CampaignVerb(std::shared_ptr<grpc::Channel> channel,
                                   const std::string& admin_secret,
                                   const std::string& verb,
                                   const std::string& campaign_id) {
  auto stub = v6scope::v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  Prepare(ctx, admin_secret, absl::Seconds(60));
  v6scope::v1::CampaignResponse resp;
  v6scope::v1::CampaignIdRequest req;
  req.set_campaign_id(campaign_id);
  grpc::Status g;
  if (verb == "show") {
    v6scope::v1::GetCampaignRequest get;
    get.set_campaign_id(campaign_id);
    g = stub->GetCampaign(&ctx, get, &resp);
  } else if (verb == "pause") {
    g = stub->PauseCampaign(&ctx, req, &resp);
  } else if (verb == "resume") {
    g = stub->ResumeCampaign(&ctx, req, &resp);
  } else if (verb == "delete") {
    g = stub->DeleteCampaign(&ctx, req, &resp);
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unknown verb ", verb));
  }
  absl::Status s = rpc::FromGrpc(g);
  if (!s.ok()) return s;
  return CampaignTable({resp.campaign()});
}

}  // namespace v6scope::cli
