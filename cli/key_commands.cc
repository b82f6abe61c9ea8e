#include "cli/key_commands.h"

#include "absl/strings/str_cat.h"
#include "common/rpc/status.h"
#include "google/protobuf/util/time_util.h"
#include "grpcpp/client_context.h"
#include "proto/admin_service.grpc.pb.h"

namespace v6scope::cli {
namespace {

using google::protobuf::util::TimeUtil;

// An admin call's context: deadline and the admin secret.
void Prepare(grpc::ClientContext& ctx, const std::string& admin_secret) {
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(30)));
  ctx.AddMetadata("authorization", absl::StrCat("Bearer ", admin_secret));
}

std::string Time(const google::protobuf::Timestamp& ts) {
  google::protobuf::Timestamp s;
  s.set_seconds(ts.seconds());  // Seconds are enough on a terminal.
  return TimeUtil::ToString(s);
}

}  // namespace

absl::StatusOr<Table> CreateReadKey(std::shared_ptr<grpc::Channel> channel,
                                    const std::string& admin_secret,
                                    const std::string& name,
                                    const std::string& org,
                                    absl::Duration lifetime) {
  if (lifetime <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("--expires must be a positive duration");
  }
  auto stub = v6scope::v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  Prepare(ctx, admin_secret);
  v6scope::v1::CreateReadKeyRequest req;
  req.set_name(name);
  req.set_org(org);
  *req.mutable_expires_at() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(absl::Now() + lifetime));
  v6scope::v1::CreateReadKeyResponse resp;
  absl::Status s = rpc::FromGrpc(stub->CreateReadKey(&ctx, req, &resp));
  if (!s.ok()) return s;
  Table table({"key", "key_id", "name", "org", "expires"});
  table.AddRow({resp.key(), resp.key_id(), name, org, Time(resp.expires_at())});
  return table;
}

absl::StatusOr<Table> ListReadKeys(std::shared_ptr<grpc::Channel> channel,
                                   const std::string& admin_secret) {
  auto stub = v6scope::v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  Prepare(ctx, admin_secret);
  v6scope::v1::ListReadKeysResponse resp;
  absl::Status s = rpc::FromGrpc(
      stub->ListReadKeys(&ctx, v6scope::v1::ListReadKeysRequest(), &resp));
  if (!s.ok()) return s;
  Table table({"key_id", "name", "org", "created", "expires", "revoked"});
  for (const v6scope::v1::ReadKeyInfo& k : resp.keys()) {
    table.AddRow({k.key_id(), k.name(), k.org(), Time(k.created_at()),
                  Time(k.expires_at()), k.revoked() ? "yes" : "no"});
  }
  return table;
}

absl::Status RevokeReadKey(std::shared_ptr<grpc::Channel> channel,
                           const std::string& admin_secret,
                           const std::string& key_id) {
  auto stub = v6scope::v1::AdminService::NewStub(channel);
  grpc::ClientContext ctx;
  Prepare(ctx, admin_secret);
  v6scope::v1::RevokeReadKeyRequest req;
  req.set_key_id(key_id);
  v6scope::v1::RevokeReadKeyResponse resp;
  return rpc::FromGrpc(stub->RevokeReadKey(&ctx, req, &resp));
}

}  // namespace v6scope::cli
