// v6scope: the command line for researchers and administrators.
#include <iostream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "cli/commands.h"
#include "common/cli/flags.h"
#include "common/fs/files.h"
#include "common/rpc/channel.h"

ABSL_FLAG(std::string, collector, "localhost:7443", "collector gRPC address");
ABSL_FLAG(std::string, ca_file, "",
          "CA certificate (PEM) for a TLS collector; without it plaintext, "
          "allowed only to loopback");
ABSL_FLAG(std::string, client_cert, "",
          "client certificate (PEM) for a collector that requires mutual TLS");
ABSL_FLAG(std::string, client_key, "", "private key (PEM) of --client_cert");
ABSL_FLAG(bool, insecure_remote, false,
          "allow plaintext to a non-loopback collector (testing only)");
ABSL_FLAG(std::string, format, "table", "output: table, csv or json");
ABSL_FLAG(std::string, probe, "", "runs: only this probe");
ABSL_FLAG(int, limit, 50, "runs: newest N runs");
ABSL_FLAG(std::string, org, "", "admin token create: organisation");
ABSL_FLAG(std::string, expires, "168h",
          "admin token create: lifetime, e.g. 72h or 30m");
ABSL_FLAG(std::string, admin_secret_file, "/var/lib/v6scope/admin.secret",
          "admin commands: file holding the collector's admin secret");

namespace v6scope::cli {
namespace {

constexpr char kUsage[] =
    "v6scope: query and administer a v6scope collector.\n"
    "usage:\n"
    "  v6scope runs [--probe=ID] [--limit=N]      stored runs, newest first\n"
    "  v6scope probes                             enrolled probes\n"
    "  v6scope admin token create --org=ORG [--expires=168h]\n"
    "  v6scope admin probe revoke PROBE_ID";

std::shared_ptr<grpc::Channel> Channel() {
  rpc::ChannelOptions o;
  o.ca_file = absl::GetFlag(FLAGS_ca_file);
  o.client_cert_file = absl::GetFlag(FLAGS_client_cert);
  o.client_key_file = absl::GetFlag(FLAGS_client_key);
  o.allow_insecure_remote = absl::GetFlag(FLAGS_insecure_remote);
  auto channel = rpc::MakeChannel(absl::GetFlag(FLAGS_collector), o);
  if (!channel.ok()) Die(channel.status().message(), 1);
  return *channel;
}

std::string AdminSecret() {
  const std::string path = absl::GetFlag(FLAGS_admin_secret_file);
  absl::StatusOr<std::string> secret = fs::ReadFile(path);
  if (!secret.ok()) Die(secret.status().message(), 1);
  return std::string(absl::StripAsciiWhitespace(*secret));
}

absl::StatusOr<Table> Dispatch(const std::vector<std::string>& args) {
  const std::string cmd = args.empty() ? "" : args[0];
  if (cmd == "runs" && args.size() == 1) {
    return ListRuns(Channel(),
                    {absl::GetFlag(FLAGS_probe), absl::GetFlag(FLAGS_limit)});
  }
  if (cmd == "probes" && args.size() == 1) return ListProbes(Channel());
  if (cmd == "admin" && args.size() == 3 && args[1] == "token" &&
      args[2] == "create") {
    absl::Duration lifetime;
    if (!absl::ParseDuration(absl::GetFlag(FLAGS_expires), &lifetime)) {
      Die(absl::StrCat("--expires: not a duration: '",
                       absl::GetFlag(FLAGS_expires), "'"));
    }
    return CreateToken(Channel(), AdminSecret(), absl::GetFlag(FLAGS_org),
                       lifetime);
  }
  if (cmd == "admin" && args.size() == 4 && args[1] == "probe" &&
      args[2] == "revoke") {
    absl::Status s = RevokeProbe(Channel(), AdminSecret(), args[3]);
    if (!s.ok()) return s;
    Table t({"revoked"});
    t.AddRow({args[3]});
    return t;
  }
  Die(args.empty() ? "no command given (see --help)"
                   : absl::StrCat("unknown command '", absl::StrJoin(args, " "),
                                  "' (see --help)"));
}

int Main(int argc, char** argv) {
  std::vector<std::string> args = ParseFlagsOrExit(argc, argv, kUsage);
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(absl::GetFlag(FLAGS_format));
  if (!format.ok()) Die(format.status().message());
  absl::StatusOr<Table> table = Dispatch(args);
  if (!table.ok()) Die(table.status().ToString(), 1);
  std::cout << table->Render(*format);
  return 0;
}

}  // namespace
}  // namespace v6scope::cli

int main(int argc, char** argv) { return v6scope::cli::Main(argc, argv); }
