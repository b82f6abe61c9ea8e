#include "tests/integration/testing/v6scope_processes.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "collector/store/sqlite/sqlite_store.h"
#include "common/fs/files.h"
#include "common/rpc/channel.h"
#include "common/rpc/status.h"
#include "grpcpp/client_context.h"
#include "httplib.h"
#include "probe/state/probe_state.h"
#include "proto/admin_service.grpc.pb.h"

namespace v6scope::tests::integration::testing {
namespace {

constexpr absl::Duration kStartTimeout = absl::Seconds(30);
constexpr uint32_t kPageSize = 1000;  // ListRuns' largest page.

// The port a collector wrote to `path`, 0 until it has.
int PortIn(const std::string& path) {
  absl::StatusOr<std::string> text = fs::ReadFile(path);
  int port = 0;
  if (!text.ok() ||
      !absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &port)) {
    return 0;
  }
  return port;
}

// A fresh enrolment token from the collector's admin service, with the
// admin secret from its data directory.
absl::StatusOr<std::string> NewToken(const std::string& address,
                                     const std::string& data_dir) {
  auto channel = rpc::MakeChannel(address, {});
  if (!channel.ok()) return channel.status();
  auto secret = fs::ReadFile(data_dir + "/admin.secret");
  if (!secret.ok()) return secret.status();
  auto stub = v6scope::v1::AdminService::NewStub(*channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(absl::ToChronoTime(absl::Now() + kStartTimeout));
  ctx.AddMetadata("authorization",
                  absl::StrCat("Bearer ", absl::StripAsciiWhitespace(*secret)));
  v6scope::v1::CreateEnrolmentTokenRequest req;
  req.set_org("delivery");
  v6scope::v1::CreateEnrolmentTokenResponse resp;
  absl::Status s = rpc::FromGrpc(stub->CreateEnrolmentToken(&ctx, req, &resp));
  if (!s.ok()) return s;
  return resp.token();
}

absl::StatusOr<std::unique_ptr<collector::store::sqlite::SqliteStore>>
OpenStore(const std::string& data_dir) {
  return collector::store::sqlite::SqliteStore::Open(data_dir + "/v6scope.db");
}

}  // namespace

absl::StatusOr<CollectorProcess> CollectorProcess::Start(
    const std::string& work_dir, const std::string& name,
    const std::string& data_dir, int grpc_port,
    const std::vector<std::string>& flags) {
  const std::string base = absl::StrCat(work_dir, "/", name);
  // Stale port files from an earlier start would be read as ready.
  std::remove((base + ".port").c_str());
  std::remove((base + ".http").c_str());
  std::vector<std::string> argv = {
      RunfilePath("collector/v6scope-collector"),
      absl::StrCat("--grpc_listen=[::1]:", grpc_port),
      "--data_dir=" + data_dir,
      "--port_file=" + base + ".port",
      "--http_listen=[::1]:0",
      "--http_port_file=" + base + ".http"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  absl::StatusOr<Subprocess> process = Subprocess::Start(argv, base + ".log");
  if (!process.ok()) return process.status();
  CollectorProcess c(*std::move(process), data_dir, EventLog(base + ".log"));
  const bool up = PollUntil(kStartTimeout, [&] {
    c.grpc_port_ = PortIn(base + ".port");
    c.http_port_ = PortIn(base + ".http");
    return c.grpc_port_ > 0 && c.http_port_ > 0;
  });
  if (!up) {
    return absl::DeadlineExceededError(
        absl::StrCat("collector ", name, " did not start:\n", c.log_.Tail()));
  }
  return c;
}

std::string CollectorProcess::grpc_address() const {
  return absl::StrCat("[::1]:", grpc_port_);
}

absl::StatusOr<std::string> EnrolProbe(const CollectorProcess& collector,
                                       const std::string& state_dir,
                                       const std::string& log_path) {
  auto token = NewToken(collector.grpc_address(), collector.data_dir());
  if (!token.ok()) return token.status();
  absl::StatusOr<Subprocess> enrol = Subprocess::Start(
      {RunfilePath("probe/v6scope-probe"), "enrol", "--state_dir=" + state_dir,
       "--collector=" + collector.grpc_address(), "--token=" + *token},
      log_path);
  if (!enrol.ok()) return enrol.status();
  absl::StatusOr<int> code = enrol->Wait(kStartTimeout);
  if (!code.ok()) return code.status();
  if (*code != 0) {
    return absl::InternalError(absl::StrCat("probe enrol exited ", *code, ":\n",
                                            EventLog(log_path).Tail()));
  }
  absl::StatusOr<probe::state::ProbeState> state =
      probe::state::ProbeState::Open(state_dir);
  if (!state.ok()) return state.status();
  absl::StatusOr<probe::state::Identity> identity = state->LoadIdentity();
  if (!identity.ok()) return identity.status();
  return identity->probe_id;
}

absl::StatusOr<Subprocess> StartProbeDaemon(
    const std::string& state_dir, const std::vector<std::string>& flags,
    const std::string& log_path) {
  std::vector<std::string> argv = {RunfilePath("probe/v6scope-probe"), "daemon",
                                   "--state_dir=" + state_dir};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return Subprocess::Start(argv, log_path);
}

absl::StatusOr<std::vector<uint64_t>> StoredSeqs(const std::string& data_dir,
                                                 const std::string& probe_id) {
  auto store = OpenStore(data_dir);
  if (!store.ok()) return store.status();
  std::vector<uint64_t> seqs;
  std::string page_token;
  do {
    auto page = (*store)->ListRuns({probe_id}, kPageSize, page_token);
    if (!page.ok()) return page.status();
    for (const v6scope::v1::StoredRun& run : page->runs) {
      seqs.push_back(run.seq());
    }
    page_token = page->next_page_token;
  } while (!page_token.empty());
  std::sort(seqs.begin(), seqs.end());
  return seqs;
}

absl::StatusOr<uint64_t> StoredDroppedRuns(const std::string& data_dir,
                                           const std::string& probe_id) {
  auto store = OpenStore(data_dir);
  if (!store.ok()) return store.status();
  return (*store)->DroppedRuns(probe_id);
}

absl::StatusOr<double> ScrapeMetric(const std::string& host, int port,
                                    const std::string& series) {
  httplib::Client client(host, port);
  httplib::Result res = client.Get("/metrics");
  if (!res || res->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("GET http://", host, ":", port, "/metrics failed"));
  }
  for (absl::string_view line : absl::StrSplit(res->body, '\n')) {
    if (!absl::ConsumePrefix(&line, series + " ")) continue;
    double value = 0;
    if (absl::SimpleAtod(line, &value)) return value;
  }
  return absl::NotFoundError(absl::StrCat(series, " not in /metrics"));
}

}  // namespace v6scope::tests::integration::testing
