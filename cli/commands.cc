#include "cli/commands.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "cli/read_key.h"
#include "common/rpc/status.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "proto/admin_service.grpc.pb.h"
#include "proto/query_service.grpc.pb.h"

namespace v6scope::cli {
namespace {

using google::protobuf::util::TimeUtil;

constexpr absl::Duration kTimeout = absl::Seconds(30);

void SetDeadline(grpc::ClientContext& ctx) {
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + kTimeout));
}

std::string Time(const google::protobuf::Timestamp& ts) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "-";
  // Seconds are enough on a terminal; exports keep full precision.
  google::protobuf::Timestamp s;
  s.set_seconds(ts.seconds());
  return TimeUtil::ToString(s);
}

std::string Capability(const v6scope::v1::Verdict& v) {
  if (v.capability() == v6scope::v1::CAPABILITY_UNSPECIFIED) return "-";
  const std::string& name = v6scope::v1::Capability_Name(v.capability());
  return name.empty() ? absl::StrCat("unknown(", v.capability(), ")") : name;
}

// Root-cause labels, ';'-separated (no CSV quoting needed), "-" if none.
std::string Causes(const v6scope::v1::Verdict& v) {
  std::vector<std::string> names;
  for (int c : v.root_causes()) {
    const std::string& name =
        v6scope::v1::RootCause_Name(static_cast<v6scope::v1::RootCause>(c));
    names.push_back(name.empty() ? absl::StrCat("unknown(", c, ")") : name);
  }
  return names.empty() ? "-" : absl::StrJoin(names, ";");
}

std::string OrDash(const std::string& s) { return s.empty() ? "-" : s; }

}  // namespace

Table RunsTable() {
  Table table({"probe", "seq", "started", "capability", "causes", "score",
               "tests", "v6_global", "v6_route", "v4_route", "public_v4",
               "public_v6", "asn", "country", "explanations"});
  table.SetLastColumnBelow();
  return table;
}

std::string ExplanationLines(const v6scope::v1::Verdict& verdict) {
  std::vector<std::string> lines;
  for (const v6scope::v1::Explanation& e : verdict.explanations()) {
    lines.push_back(absl::StrCat(e.label(), ": ", e.text()));
  }
  return absl::StrJoin(lines, "\n");
}

void AddRunRow(Table& table, const v6scope::v1::StoredRun& sr) {
  const v6scope::v1::Run& run = sr.run();
  const v6scope::v1::AddressInventory& inv = run.inventory();
  table.AddRow(
      {sr.probe_id(), absl::StrCat(sr.seq()), Time(run.started_at()),
       Capability(run.verdict()), Causes(run.verdict()),
       run.verdict().capability() == 0 ? "-"
                                       : absl::StrCat(run.verdict().score()),
       absl::StrCat(run.tests_size()), absl::StrCat(inv.v6_global_native()),
       inv.v6_default_route() ? "yes" : "no",
       inv.v4_default_route() ? "yes" : "no",
       OrDash(run.public_addresses().v4_prefix()),
       OrDash(run.public_addresses().v6_prefix()),
       run.attribution().asn() == 0 ? "-"
                                    : absl::StrCat(run.attribution().asn()),
       OrDash(run.attribution().country()), ExplanationLines(run.verdict())});
}

absl::StatusOr<Table> ListRuns(std::shared_ptr<grpc::Channel> channel,
                               const RunsOptions& options) {
  if (options.limit < 1 || options.limit > 100000) {
    return absl::InvalidArgumentError("--limit must be 1..100000");
  }
  auto stub = v6scope::v1::QueryService::NewStub(channel);
  Table table = RunsTable();
  std::string page_token;
  do {
    grpc::ClientContext ctx;
    AddReadKey(ctx);
    SetDeadline(ctx);
    v6scope::v1::ListRunsRequest req;
    req.set_probe_id(options.probe_id);
    req.set_page_size(static_cast<uint32_t>(
        std::min<size_t>(1000, options.limit - table.rows())));
    req.set_page_token(page_token);
    v6scope::v1::ListRunsResponse resp;
    absl::Status s = rpc::FromGrpc(stub->ListRuns(&ctx, req, &resp));
    if (!s.ok()) return s;
    for (const auto& sr : resp.runs()) AddRunRow(table, sr);
    page_token = resp.next_page_token();
  } while (!page_token.empty() &&
           table.rows() < static_cast<size_t>(options.limit));
  return table;
}

Table ProbesTable(const v6scope::v1::ListProbesResponse& response) {
  Table table({"probe", "org", "enrolled", "last_run", "runs", "dropped",
               "revoked", "synthetic"});
  table.SetEmptyText("no probe enrolled yet");
  int synthetic = 0;
  for (const auto& p : response.probes()) {
    table.AddRow({p.probe_id(), p.org(), Time(p.enrolled_at()),
                  Time(p.last_run_at()), absl::StrCat(p.runs()),
                  absl::StrCat(p.dropped_runs()), p.revoked() ? "yes" : "no",
                  p.synthetic() ? "yes" : "no"});
    synthetic += p.synthetic();
  }
  if (synthetic > 0) {
    table.AddNote(absl::StrCat("note: includes ", synthetic,
                               " synthetic sample probes (v6scope-collector "
                               "sample-data): not measurements"));
  }
  return table;
}

absl::StatusOr<Table> ListProbes(std::shared_ptr<grpc::Channel> channel,
                                 const std::string& silent_for) {
  auto stub = v6scope::v1::QueryService::NewStub(channel);
  grpc::ClientContext ctx;
  AddReadKey(ctx);
  SetDeadline(ctx);
  v6scope::v1::ListProbesRequest req;
  req.set_silent_for(silent_for);
  v6scope::v1::ListProbesResponse resp;
  absl::Status s = rpc::FromGrpc(stub->ListProbes(&ctx, req, &resp));
  if (!s.ok()) return s;
  return ProbesTable(resp);
}

absl::StatusOr<v6scope::v1::CreateEnrolmentTokenRequest> TokenRequest(
    const std::string& org, absl::Duration lifetime, bool collector_vantage,
    absl::Time now) {
  if (lifetime <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--expires must be a positive duration");
  }
  // A google.protobuf.Timestamp ends at 9999-12-31T23:59:59Z.
  if (now + lifetime > absl::FromUnixSeconds(TimeUtil::kTimestampMaxSeconds)) {
    return absl::InvalidArgumentError(
        "--expires must end before 9999-12-31T23:59:59Z");
  }
  v6scope::v1::CreateEnrolmentTokenRequest req;
  req.set_org(org);
  *req.mutable_expires_at() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now + lifetime));
  req.set_collector_vantage(collector_vantage);
  return req;
}

Table TokenTable(const v6scope::v1::CreateEnrolmentTokenRequest& req,
                 const v6scope::v1::CreateEnrolmentTokenResponse& resp) {
  Table table({"token", "org", "expires", "collector_vantage"});
  table.AddRow({resp.token(), req.org(), Time(resp.expires_at()),
                req.collector_vantage() ? "yes" : "no"});
  if (req.collector_vantage()) {
    table.AddNote(
        "note: a collector vantage token: enrol the v6scope-probe package "
        "on the collector's host with it (docs/campaigns.md, \"The "
        "collector as a vantage point\")");
  }
  return table;
}

absl::StatusOr<Table> CreateToken(std::shared_ptr<grpc::Channel> channel,
                                  const std::string& admin_secret,
                                  const std::string& org,
                                  absl::Duration lifetime,
                                  bool collector_vantage) {
  absl::StatusOr<v6scope::v1::CreateEnrolmentTokenRequest> req =
      TokenRequest(org, lifetime, collector_vantage, absl::Now());
  if (!req.ok()) return req.status();
  auto stub = v6scope::v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", admin_secret));
  v6scope::v1::CreateEnrolmentTokenResponse resp;
  absl::Status s = rpc::FromGrpc(stub->CreateEnrolmentToken(&ctx, *req, &resp));
  if (!s.ok()) return s;
  return TokenTable(*req, resp);
}

absl::Status RevokeProbe(std::shared_ptr<grpc::Channel> channel,
                         const std::string& admin_secret,
                         const std::string& probe_id) {
  auto stub = v6scope::v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  SetDeadline(ctx);
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", admin_secret));
  v6scope::v1::RevokeProbeRequest req;
  req.set_probe_id(probe_id);
  v6scope::v1::RevokeProbeResponse resp;
  return rpc::FromGrpc(stub->RevokeProbe(&ctx, req, &resp));
}

}  // namespace v6scope::cli
