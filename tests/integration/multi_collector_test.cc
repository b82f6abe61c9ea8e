// Several collectors, one PostgreSQL database: two CollectorServers share a
// real PostgreSQL server; probes enrolled through either upload to both
// concurrently (overlapping resends included); each run is stored exactly
// once and both collectors give the same answers.
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "cli/commands.h"
#include "collector/server.h"
#include "collector/store/postgres/testing/postgres_server.h"
#include "common/fs/files.h"
#include "common/rpc/channel.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "probe/uplink/collector_client.h"
#include "tests/integration/enrolled_probe.h"

namespace v6scope::tests::integration {
namespace {

using ::v6scope::collector::ApplyDefaultsAndValidate;
using ::v6scope::collector::CollectorOptions;
using ::v6scope::collector::CollectorServer;
using ::v6scope::collector::store::RunBatch;

constexpr int kProbes = 8;
constexpr int kRunsPerProbe = 120;

class MultiCollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string why =
        collector::store::postgres::testing::PostgresServer::WhyUnavailable();
    if (!why.empty()) GTEST_SKIP() << why;
    auto pg = collector::store::postgres::testing::PostgresServer::Start();
    ASSERT_TRUE(pg.ok()) << pg.status();
    pg_ = std::move(*pg);
    auto db = pg_->CreateDatabase();
    ASSERT_TRUE(db.ok()) << db.status();
    for (int i = 0; i < 2; ++i) {
      CollectorOptions o;
      o.config.set_grpc_listen("[::1]:0");
      o.config.set_data_dir(
          absl::StrCat(::testing::TempDir(), "/multi_collector_", i));
      o.config.set_postgres(pg_->ConnInfo(*db));
      auto server = CollectorServer::Start(o);
      ASSERT_TRUE(server.ok()) << server.status();
      auto channel =
          rpc::MakeChannel(absl::StrCat("[::1]:", (*server)->grpc_port()), {});
      ASSERT_TRUE(channel.ok());
      servers_.push_back(std::move(*server));
      channels_.push_back(*channel);
    }
  }

  std::string Token() {
    auto secret = AdminSecret(*servers_[0]);
    EXPECT_TRUE(secret.ok());
    auto token = CreateToken(channels_[0], *secret, absl::Hours(1), "multi");
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }

  std::unique_ptr<collector::store::postgres::testing::PostgresServer> pg_;
  std::vector<std::unique_ptr<CollectorServer>> servers_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
};

TEST_F(MultiCollectorTest, TwoCollectorsStoreOnceAndAnswerAlike) {
  // Enrol half the probes through each collector (tokens are shared).
  std::vector<std::string> credentials;
  for (int p = 0; p < kProbes; ++p) {
    probe::uplink::CollectorClient client(channels_[p % 2], absl::Seconds(30));
    auto enrol = client.Enrol(Token(), "test");
    ASSERT_TRUE(enrol.ok()) << enrol.status();
    credentials.push_back(enrol->credential());
  }
  // Each probe uploads batches of 20 alternately to both collectors, each
  // batch overlapping the previous one by 10 (a resend after a lost ack).
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int p = 0; p < kProbes; ++p) {
    threads.emplace_back([&, p] {
      v6scope::v1::Run run;
      run.mutable_started_at()->set_seconds(absl::ToUnixSeconds(absl::Now()));
      std::vector<v6scope::v1::Run> batch(20, run);
      for (int first = 1, i = 0; first + 19 <= kRunsPerProbe;
           first += 10, ++i) {
        probe::uplink::CollectorClient client(channels_[(p + i) % 2],
                                              absl::Seconds(30));
        if (!client.Upload(credentials[p], first, batch).ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);

  std::vector<std::string> answers;
  for (auto& channel : channels_) {
    auto runs = cli::ListRuns(channel, {"", 100000});
    ASSERT_TRUE(runs.ok()) << runs.status();
    EXPECT_EQ(runs->rows(), static_cast<size_t>(kProbes * kRunsPerProbe));
    auto probes = cli::ListProbes(channel);
    ASSERT_TRUE(probes.ok());
    answers.push_back(runs->Render(cli::OutputFormat::kCsv) +
                      probes->Render(cli::OutputFormat::kCsv));
  }
  EXPECT_EQ(answers[0], answers[1]);
}

}  // namespace
}  // namespace v6scope::tests::integration
