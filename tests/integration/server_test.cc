// The enrol → upload → ack → store → list path over real loopback gRPC,
// with the real probe client and CLI commands against an in-process
// collector bound to port 0.
#include "collector/server.h"

#include <unistd.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "cli/commands.h"
#include "common/fs/files.h"
#include "common/rpc/channel.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "probe/uplink/collector_client.h"
#include "proto/probe_service.grpc.pb.h"
#include "tests/integration/enrolled_probe.h"

namespace v6scope::tests::integration {
namespace {

using ::v6scope::collector::ApplyDefaultsAndValidate;
using ::v6scope::collector::CollectorOptions;
using ::v6scope::collector::CollectorServer;
using ::v6scope::collector::store::RunBatch;

using ::testing::HasSubstr;

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    data_dir_ =
        absl::StrCat(::testing::TempDir(), "/server_test_", info->name());
    CollectorOptions options;
    options.config.set_grpc_listen("[::1]:0");
    options.config.set_http_listen("[::1]:0");
    options.config.set_large_object_bytes(200000);
    options.config.set_data_dir(data_dir_);
    options.config.set_default_interval_seconds(600);
    options.clock = &clock_;
    auto server = CollectorServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    target_ = absl::StrCat("[::1]:", server_->grpc_port());
    auto channel = rpc::MakeChannel(target_, {});
    ASSERT_TRUE(channel.ok());
    channel_ = *channel;
    auto secret = AdminSecret(*server_);
    ASSERT_TRUE(secret.ok());
    admin_secret_ = *secret;
  }

  std::string NewToken(absl::Duration lifetime = absl::Hours(1)) {
    auto token = CreateToken(channel_, admin_secret_, lifetime, "test-org");
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }

  v6scope::v1::Run SampleRun(int i) {
    v6scope::v1::Run run;
    run.mutable_started_at()->set_seconds(absl::ToUnixSeconds(clock_.Now()) -
                                          i);
    run.mutable_inventory()->set_v6_global_native(1);
    run.mutable_inventory()->set_v4_private(static_cast<uint32_t>(i));
    run.set_probe_version("test");
    return run;
  }

  time::FakeClock clock_{absl::Now()};
  std::string data_dir_;
  std::unique_ptr<CollectorServer> server_;
  std::string target_;
  std::shared_ptr<grpc::Channel> channel_;
  std::string admin_secret_;
};

TEST_F(ServerTest, EnrolUploadAckStoreList) {
  probe::uplink::CollectorClient client(channel_, absl::Seconds(10));
  auto enrol = client.Enrol(NewToken(), "test");
  ASSERT_TRUE(enrol.ok()) << enrol.status();
  EXPECT_THAT(enrol->probe_id(), ::testing::StartsWith("p-"));
  EXPECT_EQ(enrol->schedule().interval_seconds(), 600u);

  std::vector<v6scope::v1::Run> runs;
  for (int i = 0; i < 450; ++i) runs.push_back(SampleRun(i));
  auto up = client.Upload(enrol->credential(), 1, runs);
  ASSERT_TRUE(up.ok()) << up.status();
  EXPECT_EQ(up->last_stored_seq_before, 0u);
  EXPECT_EQ(up->acked_through, 450u);
  EXPECT_EQ(up->stored, 450u);

  // Acknowledged means stored: the store has them before we look.
  auto last = server_->store()->LastStoredSeq(enrol->probe_id());
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, 450u);

  auto table = cli::ListRuns(channel_, {enrol->probe_id(), 1000});
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->rows(), 450u);
  std::string text = table->Render(cli::OutputFormat::kTable);
  EXPECT_THAT(text, HasSubstr(enrol->probe_id()));

  const std::string metrics = server_->metrics().Render();
  EXPECT_THAT(metrics, HasSubstr("v6scope_collector_runs_stored_total 450\n"));
  EXPECT_THAT(metrics, HasSubstr("v6scope_collector_batches_stored_total 3\n"));
  EXPECT_THAT(metrics, HasSubstr("v6scope_collector_upload_streams_total 1\n"));

  auto probes = cli::ListProbes(channel_);
  ASSERT_TRUE(probes.ok());
  EXPECT_THAT(probes->Render(cli::OutputFormat::kCsv),
              HasSubstr(absl::StrCat(enrol->probe_id(), ",test-org,")));
}

TEST_F(ServerTest, ResendAfterLostAckIsStoredOnce) {
  probe::uplink::CollectorClient client(channel_, absl::Seconds(10));
  auto enrol = client.Enrol(NewToken(), "test");
  ASSERT_TRUE(enrol.ok());
  std::vector<v6scope::v1::Run> runs = {SampleRun(1), SampleRun(2)};
  ASSERT_TRUE(client.Upload(enrol->credential(), 1, runs).ok());
  auto again = client.Upload(enrol->credential(), 1, runs);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->last_stored_seq_before, 2u);
  EXPECT_EQ(again->stored, 0u);
  auto table = cli::ListRuns(channel_, {enrol->probe_id(), 100});
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->rows(), 2u);
}

TEST_F(ServerTest, WrongEnrolmentTokenIsUnauthenticatedAndStoresNothing) {
  probe::uplink::CollectorClient client(channel_, absl::Seconds(10));
  auto enrol = client.Enrol("et-not-a-real-token", "test");
  EXPECT_EQ(enrol.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(enrol.status().message(), HasSubstr("unknown enrolment token"));
  auto probes = server_->store()->ListProbes();
  ASSERT_TRUE(probes.ok());
  EXPECT_TRUE(probes->empty());
}

TEST_F(ServerTest, ReusedAndExpiredTokensSayWhich) {
  probe::uplink::CollectorClient client(channel_, absl::Seconds(10));
  const std::string token = NewToken();
  ASSERT_TRUE(client.Enrol(token, "test").ok());
  auto reused = client.Enrol(token, "test");
  EXPECT_EQ(reused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(reused.status().message(), HasSubstr("already used"));

  const std::string short_lived = NewToken(absl::Minutes(5));
  clock_.Advance(absl::Minutes(6));
  auto expired = client.Enrol(short_lived, "test");
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(expired.status().message(), HasSubstr("expired"));
}

TEST_F(ServerTest, WrongOrRevokedCredentialCannotUpload) {
  probe::uplink::CollectorClient client(channel_, absl::Seconds(10));
  auto enrol = client.Enrol(NewToken(), "test");
  ASSERT_TRUE(enrol.ok());
  auto wrong = client.Upload(absl::StrCat(enrol->probe_id(), ".deadbeef"), 1,
                             {SampleRun(1)});
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(wrong.status().message(), HasSubstr("wrong credential"));

  ASSERT_TRUE(
      cli::RevokeProbe(channel_, admin_secret_, enrol->probe_id()).ok());
  auto revoked = client.Upload(enrol->credential(), 1, {SampleRun(1)});
  EXPECT_EQ(revoked.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_THAT(revoked.status().message(), HasSubstr("revoked"));
  EXPECT_EQ(*server_->store()->LastStoredSeq(enrol->probe_id()), 0u);
}

TEST_F(ServerTest, InvalidBatchIsRejectedNamingTheFieldAndStoresNothing) {
  probe::uplink::CollectorClient client(channel_, absl::Seconds(10));
  auto enrol = client.Enrol(NewToken(), "test");
  ASSERT_TRUE(enrol.ok());
  v6scope::v1::Run bad = SampleRun(1);
  bad.mutable_public_addresses()->set_v6_prefix("2001:db8::1/128");
  auto up = client.Upload(enrol->credential(), 1, {SampleRun(0), bad});
  EXPECT_EQ(up.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(up.status().message(),
              HasSubstr("runs[1].public_addresses.v6_prefix"));
  EXPECT_THAT(server_->metrics().Render(),
              HasSubstr("v6scope_collector_uploads_rejected_total{reason="
                        "\"INVALID_ARGUMENT\"} 1\n"));
  EXPECT_EQ(*server_->store()->LastStoredSeq(enrol->probe_id()), 0u);
}

TEST_F(ServerTest, AdminCallsNeedTheAdminSecret) {
  auto table = cli::CreateToken(channel_, "wrong", "org", absl::Hours(1));
  EXPECT_EQ(table.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(ServerTest, HttpListenerServesTheBuiltInTargets) {
  ASSERT_GT(server_->http_port(), 0);
  EXPECT_NE(server_->http_port(), server_->grpc_port());
  httplib::Client http("::1", server_->http_port());
  auto whoami = http.Get("/whoami");
  ASSERT_TRUE(whoami) << httplib::to_string(whoami.error());
  EXPECT_EQ(whoami->status, 200);
  EXPECT_EQ(whoami->body, "::1");
  auto large = http.Head("/large");
  ASSERT_TRUE(large) << httplib::to_string(large.error());
  EXPECT_EQ(large->get_header_value("Content-Length"), "200000");
  auto health = http.Get("/healthz");
  ASSERT_TRUE(health) << httplib::to_string(health.error());
  EXPECT_EQ(health->body, "ok");
}

TEST_F(ServerTest, ShutdownClosesTheHttpListener) {
  const int port = server_->http_port();
  server_->Shutdown(absl::Seconds(1));
  httplib::Client http("::1", port);
  http.set_connection_timeout(2);
  EXPECT_FALSE(http.Get("/healthz"));
}

TEST(ServerStartTest, NoHttpListenerUnlessConfigured) {
  CollectorOptions options;
  options.config.set_grpc_listen("[::1]:0");
  options.config.set_data_dir(
      absl::StrCat(::testing::TempDir(), "/server_test_no_http"));
  auto server = CollectorServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->http_port(), 0);
}

TEST(ServerStartTest, BusyHttpPortFailsStartNamingTheAddress) {
  CollectorOptions options;
  options.config.set_grpc_listen("[::1]:0");
  options.config.set_http_listen("[::1]:0");
  options.config.set_data_dir(
      absl::StrCat(::testing::TempDir(), "/server_test_busy_http"));
  auto first = CollectorServer::Start(options);
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string busy = absl::StrCat("[::1]:", (*first)->http_port());
  options.config.set_http_listen(busy);
  options.config.set_data_dir(
      absl::StrCat(::testing::TempDir(), "/server_test_busy_http2"));
  auto second = CollectorServer::Start(options);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(second.status().message(), HasSubstr(busy));
}

TEST(ApplyDefaultsTest, HttpDefaultsAndLimits) {
  v6scope::v1::CollectorConfig config;
  ASSERT_TRUE(ApplyDefaultsAndValidate(&config).ok());
  EXPECT_EQ(config.http_listen(), "");
  EXPECT_EQ(config.large_object_bytes(), 1500000u);

  config.set_large_object_bytes(64u << 20);
  EXPECT_TRUE(ApplyDefaultsAndValidate(&config).ok());
  config.set_large_object_bytes((64u << 20) + 1);
  absl::Status too_large = ApplyDefaultsAndValidate(&config);
  EXPECT_EQ(too_large.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(too_large.message(), HasSubstr("large_object_bytes"));

  config.set_large_object_bytes(0);
  config.set_http_listen("localhost:8080");
  absl::Status bad_listen = ApplyDefaultsAndValidate(&config);
  EXPECT_EQ(bad_listen.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_listen.message(), HasSubstr("http_listen"));
  EXPECT_THAT(bad_listen.message(), HasSubstr("localhost:8080"));
}

TEST_F(ServerTest, RevokedProbeCannotSendMoreOnAnOpenStream) {
  probe::uplink::CollectorClient client(channel_, absl::Seconds(10));
  auto enrol = client.Enrol(NewToken(), "test");
  ASSERT_TRUE(enrol.ok());
  auto stub = v6scope::v1::ProbeService::NewStub(channel_);
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + enrol->credential());
  auto stream = stub->Upload(&ctx);
  v6scope::v1::UploadResponse resp;
  ASSERT_TRUE(stream->Read(&resp));
  ASSERT_TRUE(resp.has_welcome());
  v6scope::v1::UploadRequest req;
  req.mutable_batch()->set_first_seq(1);
  *req.mutable_batch()->add_runs() = SampleRun(1);
  ASSERT_TRUE(stream->Write(req));
  ASSERT_TRUE(stream->Read(&resp));
  ASSERT_TRUE(resp.has_ack());

  ASSERT_TRUE(
      cli::RevokeProbe(channel_, admin_secret_, enrol->probe_id()).ok());
  req.mutable_batch()->set_first_seq(2);
  stream->Write(req);  // May already fail; the status below tells.
  while (stream->Read(&resp)) {
  }
  grpc::Status status = stream->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(status.error_message(), HasSubstr("revoked"));
  EXPECT_EQ(*server_->store()->LastStoredSeq(enrol->probe_id()), 1u);
}

TEST(ServerBackOffTest, BusyCollectorAsksProbesToBackOffAndStoresNothing) {
  CollectorOptions options;
  options.config.set_grpc_listen("[::1]:0");
  options.config.set_data_dir(
      absl::StrCat(::testing::TempDir(), "/server_test_backoff"));
  options.limits.max_queued_batches = 0;  // Always "behind".
  options.limits.back_off_seconds = 42;
  auto server = CollectorServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto enrol = EnrolProbe(**server);
  ASSERT_TRUE(enrol.ok()) << enrol.status();
  probe::uplink::CollectorClient client(enrol->channel, absl::Seconds(10));
  v6scope::v1::Run run;
  run.mutable_started_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  auto up = client.Upload(enrol->credential, 1, {run});
  EXPECT_EQ(up.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(client.back_off_hint(), absl::Seconds(42));
  EXPECT_EQ(*(*server)->store()->LastStoredSeq(enrol->probe_id), 0u);
}

TEST(ServerRateLimitTest, ProbeOverItsRateIsToldToBackOff) {
  CollectorOptions options;
  options.config.set_grpc_listen("[::1]:0");
  options.config.set_data_dir(
      absl::StrCat(::testing::TempDir(), "/server_test_ratelimit"));
  options.limits.max_runs_per_second_per_probe = 0.5;
  options.limits.max_burst_runs_per_probe = 3;
  time::FakeClock clock(absl::Now());
  options.clock = &clock;
  auto server = CollectorServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto enrol = EnrolProbe(**server);
  ASSERT_TRUE(enrol.ok()) << enrol.status();
  probe::uplink::CollectorClient client(enrol->channel, absl::Seconds(10));
  v6scope::v1::Run run;
  run.mutable_started_at()->set_seconds(absl::ToUnixSeconds(clock.Now()));
  ASSERT_TRUE(client.Upload(enrol->credential, 1, {run, run, run}).ok());
  // The burst is spent: two more runs need 4 s of refill at 0.5/s.
  auto up = client.Upload(enrol->credential, 4, {run, run});
  EXPECT_EQ(up.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(up.status().message(), HasSubstr("rate limit"));
  EXPECT_EQ(client.back_off_hint(), absl::Seconds(4));
  EXPECT_EQ(*(*server)->store()->LastStoredSeq(enrol->probe_id), 3u);
  clock.Advance(absl::Seconds(4));
  EXPECT_TRUE(client.Upload(enrol->credential, 4, {run, run}).ok());
}

TEST(ServerAttributionTest, RunsAreAttributedAtIngestWithDatasetVersions) {
  CollectorOptions options;
  options.config.set_grpc_listen("[::1]:0");
  options.config.set_data_dir(
      absl::StrCat(::testing::TempDir(), "/server_test_attribution"));
  options.attribution.pfx2as_files = {"tests/data/enrich/pfx2as_v4.txt",
                                      "tests/data/enrich/pfx2as_v6.txt.gz"};
  options.attribution.as_names_file = "tests/data/enrich/asnames.txt";
  auto server = CollectorServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto enrol = EnrolProbe(**server);
  ASSERT_TRUE(enrol.ok()) << enrol.status();
  probe::uplink::CollectorClient client(enrol->channel, absl::Seconds(10));

  v6scope::v1::Run whoami;
  whoami.mutable_started_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
  whoami.mutable_public_addresses()->set_v4_prefix("1.0.0.0/24");
  // 2001::/32 is announced by 6939 (first public origin of a MOAS set);
  // 2001:db8:1::/48 in the fixture has a documentation ASN, never used.
  whoami.mutable_public_addresses()->set_v6_prefix("2001:0:1::/48");
  v6scope::v1::Run no_whoami = whoami;
  no_whoami.clear_public_addresses();
  ASSERT_TRUE(client.Upload(enrol->credential, 1, {whoami, no_whoami}).ok());
  ASSERT_TRUE((*server)->ReloadAttribution().ok());  // What SIGHUP does.

  auto page = (*server)->store()->ListRuns({}, 10, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->runs.size(), 2u);
  // Newest first: seq 2 (no who-am-I), then seq 1.
  const v6scope::v1::Attribution& peer = page->runs[0].run().attribution();
  // The probe connected from ::1, which is not public: no prefix from the
  // peer either (never ::/48), and so no network.
  EXPECT_EQ(peer.v4_prefix(), "");
  EXPECT_EQ(peer.v6_prefix(), "");
  EXPECT_EQ(peer.asn(), 0u);
  const v6scope::v1::Attribution& a = page->runs[1].run().attribution();
  EXPECT_EQ(a.source(), "whoami");
  EXPECT_EQ(a.v4_asn(), 13335u);
  EXPECT_EQ(a.v6_asn(), 6939u);
  EXPECT_EQ(a.asn(), 6939u);
  EXPECT_THAT(a.datasets(), HasSubstr("pfx2as="));
  EXPECT_THAT(page->runs[1].run().verdict().root_causes(),
              ::testing::Contains(v6scope::v1::V4_V6_ASN_MISMATCH));

  // Loads (start + SIGHUP) and what the files held are exported.
  const std::string metrics = (*server)->metrics().Render();
  EXPECT_THAT(metrics, HasSubstr("v6scope_collector_attribution_loads_total{"
                                 "result=\"ok\"} 2"));
  EXPECT_THAT(metrics, ::testing::ContainsRegex(
                           "v6scope_collector_attribution_records\\{kind="
                           "\"pfx2as\"\\} [1-9]"));
  EXPECT_THAT(metrics, HasSubstr("v6scope_collector_attribution_malformed_"
                                 "lines{kind=\"pfx2as\"}"));
}

TEST(ServerAttributionTest, FailedReloadKeepsDataAndIsCounted) {
  const std::string pfx2as =
      absl::StrCat(::testing::TempDir(), "/reload_pfx2as.txt");
  auto fixture = fs::ReadFile("tests/data/enrich/pfx2as_v4.txt");
  ASSERT_TRUE(fixture.ok());
  ASSERT_TRUE(fs::WriteFileAtomically(pfx2as, *fixture, 0644).ok());
  CollectorOptions options;
  options.config.set_grpc_listen("[::1]:0");
  options.config.set_data_dir(
      absl::StrCat(::testing::TempDir(), "/server_test_reload"));
  options.attribution.pfx2as_files = {pfx2as};
  auto server = CollectorServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_EQ(unlink(pfx2as.c_str()), 0);
  const absl::Status reloaded = (*server)->ReloadAttribution();
  EXPECT_FALSE(reloaded.ok());
  EXPECT_THAT(reloaded.message(), HasSubstr(pfx2as));
  const std::string metrics = (*server)->metrics().Render();
  EXPECT_THAT(metrics, HasSubstr("v6scope_collector_attribution_loads_total{"
                                 "result=\"ok\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("v6scope_collector_attribution_loads_total{"
                                 "result=\"failed\"} 1"));
}

TEST(ServerStartTest, UnusableDataDirectoryNamesThePathAndWhy) {
  const std::string file = absl::StrCat(::testing::TempDir(), "/a_file");
  ASSERT_TRUE(fs::WriteFileAtomically(file, "x", 0600).ok());
  CollectorOptions options;
  options.config.set_grpc_listen("[::1]:0");
  options.config.set_data_dir(file + "/data");
  auto server = CollectorServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.status().message(), HasSubstr(file));
  EXPECT_THAT(server.status().message(), HasSubstr("data directory unusable"));
}

}  // namespace
}  // namespace v6scope::tests::integration
