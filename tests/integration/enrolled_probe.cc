#include "tests/integration/enrolled_probe.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "cli/commands.h"
#include "common/fs/files.h"
#include "common/rpc/channel.h"
#include "probe/uplink/collector_client.h"

namespace v6scope::tests::integration {

absl::StatusOr<std::string> CreateToken(
    const std::shared_ptr<grpc::Channel>& channel,
    const std::string& admin_secret, absl::Duration lifetime,
    const std::string& org) {
  auto table = cli::CreateToken(channel, admin_secret, org, lifetime);
  if (!table.ok()) return table.status();
  // Second CSV line, first cell.
  const std::string csv = table->Render(cli::OutputFormat::kCsv);
  const std::string row = csv.substr(csv.find("\r\n") + 2);
  return row.substr(0, row.find(','));
}

absl::StatusOr<std::string> AdminSecret(
    const collector::CollectorServer& server) {
  auto secret = fs::ReadFile(server.admin_secret_file());
  if (!secret.ok()) return secret.status();
  return std::string(absl::StripAsciiWhitespace(*secret));
}

absl::StatusOr<EnrolledProbe> EnrolProbe(
    const collector::CollectorServer& server) {
  EnrolledProbe p;
  auto channel =
      rpc::MakeChannel(absl::StrCat("[::1]:", server.grpc_port()), {});
  if (!channel.ok()) return channel.status();
  p.channel = *channel;
  auto secret = AdminSecret(server);
  if (!secret.ok()) return secret.status();
  p.admin_secret = *secret;
  auto token = CreateToken(p.channel, p.admin_secret);
  if (!token.ok()) return token.status();
  probe::uplink::CollectorClient client(p.channel, absl::Seconds(10));
  auto enrol = client.Enrol(*token, "test");
  if (!enrol.ok()) return enrol.status();
  p.probe_id = enrol->probe_id();
  p.credential = enrol->credential();
  return p;
}

}  // namespace v6scope::tests::integration
