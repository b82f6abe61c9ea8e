// Issue #14, problem 9 over the real binary: when the store fails under a
// running collector (its PostgreSQL server stopped), clients get no SQL,
// table names, file paths or library messages, but an error id; the
// collector's log has that id with the detail.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/store/postgres/testing/postgres_server.h"
#include "common/fs/files.h"
#include "common/rpc/channel.h"
#include "grpcpp/client_context.h"
#include "gtest/gtest.h"
// clang-format off
// Before httplib.h: its <netdb.h> defines NO_ADDRESS, an Outcome value.
#include "proto/probe_service.grpc.pb.h"
#include "proto/query_service.grpc.pb.h"
// clang-format on
#include "httplib.h"
#include "tests/integration/testing/v6scope_processes.h"

namespace v6scope::tests::integration {
namespace {

using collector::store::postgres::testing::PostgresServer;
using testing::CollectorProcess;

// What must never reach a client: SQL, table names, paths, libpq's words.
void ExpectNoInternals(const std::string& what, const std::string& text) {
  const std::string lower = absl::AsciiStrToLower(text);
  for (const char* leak :
       {"select", "insert", "update ", " from ", "where", "probes ", "runs ",
        "table", "relation", "postgres", "libpq", "pgsql", "/tmp", "socket",
        "server closed", "connection to server", "sql"}) {
    EXPECT_FALSE(absl::StrContains(lower, leak))
        << what << " leaks '" << leak << "': " << text;
  }
}

// The id in an error answer: "... (error id 0123456789ab)" or
// "error_id":"0123456789ab".
std::string IdIn(const std::string& text) {
  for (const char* marker : {"error id ", "\"error_id\":\""}) {
    const size_t at = text.find(marker);
    if (at != std::string::npos) {
      return text.substr(at + strlen(marker), 12);
    }
  }
  return "";
}

class LeakProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string why = PostgresServer::WhyUnavailable();
    if (!why.empty()) GTEST_SKIP() << why;
    auto pg = PostgresServer::Start();
    ASSERT_TRUE(pg.ok()) << pg.status();
    pg_ = *std::move(pg);
    auto db = pg_->CreateDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    dir_ = absl::StrCat(::testing::TempDir(), "/leak");
    ASSERT_TRUE(fs::MakeDirs(dir_, 0700).ok());
    auto collector =
        CollectorProcess::Start(dir_, "collector", dir_ + "/data", 0,
                                {"--postgres=" + pg_->ConnInfo(*db)});
    ASSERT_TRUE(collector.ok()) << collector.status();
    collector_ = std::make_unique<CollectorProcess>(*std::move(collector));
    auto channel = rpc::MakeChannel(collector_->grpc_address(), {});
    ASSERT_TRUE(channel.ok()) << channel.status();
    channel_ = *channel;
  }

  // The id is in the collector's log, on a line with the detail.
  void ExpectLogged(const std::string& what, const std::string& id) {
    ASSERT_EQ(id.size(), 12u) << what;
    std::vector<testing::LogFields> lines;
    for (const char* event : {"http.error", "grpc.error"}) {
      for (const auto& line : collector_->log().Events(event, {{"id", id}})) {
        lines.push_back(line);
      }
    }
    ASSERT_EQ(lines.size(), 1u) << what << ": id " << id << " not logged\n"
                                << collector_->log().Tail();
    auto detail = lines[0].find("detail");
    ASSERT_NE(detail, lines[0].end()) << what;
    EXPECT_GT(detail->second.size(), 10u) << what;
  }

  std::unique_ptr<PostgresServer> pg_;
  std::string dir_;
  std::unique_ptr<CollectorProcess> collector_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(LeakProcessTest, StoppedDatabaseLeaksNothingToClients) {
  pg_.reset();  // Stops the server: every store call fails from now on.

  httplib::Client http("::1", collector_->http_port());
  http.set_read_timeout(30, 0);
  for (const char* path : {"/api/v1/probes", "/api/v1/runs"}) {
    httplib::Result res = http.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_GE(res->status, 500) << path << ": " << res->body;
    EXPECT_TRUE(absl::StrContains(res->body, "\"error_id\"")) << res->body;
    ExpectNoInternals(path, res->body);
    ExpectLogged(path, IdIn(res->body));
  }
  httplib::Result ready = http.Get("/readyz");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 503);
  ExpectNoInternals("/readyz", ready->body);

  auto query = v6scope::v1::QueryService::NewStub(channel_);
  grpc::ClientContext list_context;
  v6scope::v1::ListRunsResponse runs;
  const grpc::Status listed =
      query->ListRuns(&list_context, v6scope::v1::ListRunsRequest(), &runs);
  EXPECT_FALSE(listed.ok());
  ExpectNoInternals("ListRuns", listed.error_message());
  ExpectLogged("ListRuns", IdIn(listed.error_message()));

  auto probe = v6scope::v1::ProbeService::NewStub(channel_);
  grpc::ClientContext enrol_context;
  v6scope::v1::EnrolRequest enrol;
  enrol.set_token("no-such-token");
  v6scope::v1::EnrolResponse enrolled;
  const grpc::Status refused = probe->Enrol(&enrol_context, enrol, &enrolled);
  EXPECT_FALSE(refused.ok());
  ExpectNoInternals("Enrol", refused.error_message());
  ExpectLogged("Enrol", IdIn(refused.error_message()));

  grpc::ClientContext upload_context;
  upload_context.AddMetadata("authorization",
                             "Bearer p-0000000000000000.bogus");
  auto upload = probe->Upload(&upload_context);
  v6scope::v1::UploadResponse response;
  EXPECT_FALSE(upload->Read(&response));
  const grpc::Status upload_status = upload->Finish();
  EXPECT_FALSE(upload_status.ok());
  ExpectNoInternals("Upload", upload_status.error_message());
  ExpectLogged("Upload", IdIn(upload_status.error_message()));
}

}  // namespace
}  // namespace v6scope::tests::integration
