#include "probe/readiness/home_page_fetch.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"
#include "probe/http/http_fetcher.h"
#include "probe/http/testing/scripted_http_server.h"
#include "probe/loop/event_loop.h"
#include "probe/readiness/connection_gate.h"
#include "probe/readiness/page_digest.h"
#include "probe/readiness/testing/scripted_lookup.h"

namespace v6scope::probe::readiness {
namespace {

namespace v1 = ::v6scope::v1;
using http::testing::Behaviour;
using http::testing::ScriptedHttpServer;

constexpr char kHost[] = "www.example.test";

class HomePageFetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = *std::move(loop);
    auto fetcher = http::HttpFetcher::Create(loop_.get());
    ASSERT_TRUE(fetcher.ok()) << fetcher.status();
    fetcher_ = *std::move(fetcher);
    dns_ = std::make_unique<testing::ScriptedLookup>(loop_.get());
    gate_ = std::make_unique<ConnectionGate>(
        loop_.get(), time::RealClock::Get(), absl::ZeroDuration());
  }

  void StartServer(ScriptedHttpServer::Options options = {}) {
    auto server = ScriptedHttpServer::Start("127.0.0.1", options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    limits_.http_port = server_->port();
    limits_.https_port = server_->port();
  }

  // `keep_handle` false drops what Start returns, as a fire-and-forget
  // caller (bench/sweep's web_sweep) does: `done` must come all the same.
  v1::WebFetch Fetch(bool https, absl::Duration budget = absl::Seconds(20),
                     bool keep_handle = true) {
    WebContext context{loop_.get(), fetcher_.get(), dns_.get(), gate_.get(),
                       &limits_};
    std::optional<v1::WebFetch> got;
    const absl::Time start = absl::Now();
    auto fetch =
        HomePageFetch::Start(context, HomePageUrl(kHost, https, limits_),
                             v1::IPV4, {*net::IpAddress::Parse("127.0.0.1")},
                             loop::EventLoop::MonotonicNow() + budget,
                             [&](v1::WebFetch f) { got = std::move(f); });
    if (!keep_handle) fetch.reset();
    EXPECT_TRUE(loop_->RunUntil([&] { return got.has_value(); },
                                budget + absl::Seconds(5)));
    elapsed_ = absl::Now() - start;
    return got.value_or(v1::WebFetch());
  }

  WebLimits limits_;
  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<http::HttpFetcher> fetcher_;
  std::unique_ptr<testing::ScriptedLookup> dns_;
  std::unique_ptr<ConnectionGate> gate_;
  std::unique_ptr<ScriptedHttpServer> server_;
  absl::Duration elapsed_;
};

TEST_F(HomePageFetchTest, FollowsRedirectsPinnedAndDigestsTheBody) {
  StartServer();
  server_->Handle("/",
                  Behaviour::Redirect(
                      301, server_->UrlWithHost("next.example.test", "/home")));
  server_->Handle("/home",
                  Behaviour::Normal(200, "<title>Home</title> welcome home"));
  dns_->SetAddresses("next.example.test", {"127.0.0.1"});
  v1::WebFetch f = Fetch(/*https=*/false);
  EXPECT_EQ(f.outcome(), v1::OK) << f.error_detail();
  ASSERT_EQ(f.hops_size(), 2);
  EXPECT_EQ(f.hops(0).status(), 301u);
  EXPECT_EQ(f.hops(0).address(), "127.0.0.1");
  EXPECT_EQ(f.final_url(), server_->UrlWithHost("next.example.test", "/home"));
  EXPECT_EQ(f.status(), 200u);
  EXPECT_EQ(f.title(), "Home");
  EXPECT_EQ(f.body_simhash(), SimHash("<title>Home</title> welcome home"));
  EXPECT_FALSE(f.tls_verified());  // Plain http.
  const std::string head = server_->LastRequestHead("/");
  EXPECT_TRUE(absl::StrContains(head, ReadinessUserAgent())) << head;
  EXPECT_FALSE(absl::StrContains(head, "Range")) << head;
}

TEST_F(HomePageFetchTest, RedirectToANewHostEndsWithoutAHandleKept) {
  StartServer();
  server_->Handle("/",
                  Behaviour::Redirect(
                      301, server_->UrlWithHost("next.example.test", "/home")));
  server_->Handle("/home", Behaviour::Normal(200, "<title>Home</title>"));
  dns_->SetAddresses("next.example.test", {"127.0.0.1"});
  dns_->set_delay(absl::Milliseconds(50));  // The lookup is in flight.
  v1::WebFetch f = Fetch(/*https=*/false, absl::Seconds(5),
                         /*keep_handle=*/false);
  EXPECT_EQ(f.outcome(), v1::OK) << f.error_detail();
  EXPECT_EQ(f.hops_size(), 2);
  EXPECT_EQ(f.title(), "Home");
}

TEST_F(HomePageFetchTest, RedirectToHostWithoutTheFamilyEndsNoAddress) {
  StartServer();
  server_->Handle("/",
                  Behaviour::Redirect(
                      302, server_->UrlWithHost("v6only.example.test", "/")));
  dns_->SetAddresses("v6only.example.test", {"3ffe::80"});
  v1::WebFetch f = Fetch(false);
  EXPECT_EQ(f.outcome(), v1::NO_ADDRESS);
  EXPECT_EQ(f.hops_size(), 1);
  EXPECT_TRUE(absl::StrContains(f.error_detail(), "v6only.example.test"));
}

TEST_F(HomePageFetchTest, HostileEndlessRedirectsStopAtTheHopLimit) {
  StartServer();
  server_->Handle("/",
                  Behaviour::Redirect(302, server_->UrlWithHost(kHost, "/")));
  v1::WebFetch f = Fetch(false);
  EXPECT_EQ(f.outcome(), v1::HTTP_STATUS);
  EXPECT_EQ(f.hops_size(), 10);
  EXPECT_EQ(server_->RequestCount("/"), 10);
  EXPECT_TRUE(absl::StrContains(f.error_detail(), "more than 10"));
}

TEST_F(HomePageFetchTest, HostileHugeBodyIsCutAtTheCap) {
  StartServer();
  server_->Handle("/", Behaviour::Large(size_t{10} << 30));  // 10 GiB.
  v1::WebFetch f = Fetch(false);
  EXPECT_EQ(f.outcome(), v1::OK) << f.error_detail();
  EXPECT_EQ(f.body_bytes(), limits_.body_cap);
  EXPECT_TRUE(f.body_truncated());
  EXPECT_LT(elapsed_, absl::Seconds(5));
}

TEST_F(HomePageFetchTest, HostileTrickleIsCutByTheDeadline) {
  StartServer();
  // One byte every 0.5 s: never stalled (window 2 s), never finished.
  server_->Handle("/", Behaviour::Trickle(1 << 20, 1, absl::Milliseconds(500)));
  v1::WebFetch f = Fetch(false, /*budget=*/absl::Seconds(3));
  EXPECT_EQ(f.outcome(), v1::TIMEOUT) << f.error_detail();
  EXPECT_LT(f.body_bytes(), 10u);
  EXPECT_LT(elapsed_, absl::Seconds(5));
}

TEST_F(HomePageFetchTest, HostileStallIsCutByTheStallWindow) {
  StartServer();
  server_->Handle("/", Behaviour::HeadersThenStall(1000));
  limits_.stall_timeout = absl::Milliseconds(300);
  v1::WebFetch f = Fetch(false);
  EXPECT_EQ(f.outcome(), v1::STALLED) << f.error_detail();
  EXPECT_LT(elapsed_, absl::Seconds(5));
}

TEST_F(HomePageFetchTest, HostileInvalidTlsFailsFastAndUnverified) {
  ScriptedHttpServer::Options options;
  options.tls = true;
  options.tls_dns_names = {kHost};
  StartServer(options);
  server_->Handle("/", Behaviour::Normal(200, "<title>x</title>"));
  v1::WebFetch f = Fetch(/*https=*/true);  // Self-signed: not trusted.
  EXPECT_EQ(f.outcome(), v1::TLS_ERROR) << f.error_detail();
  EXPECT_FALSE(f.tls_verified());
  EXPECT_EQ(f.hops_size(), 0);
  EXPECT_LT(elapsed_, absl::Seconds(5));
}

TEST_F(HomePageFetchTest, ValidTlsIsVerified) {
  ScriptedHttpServer::Options options;
  options.tls = true;
  options.tls_dns_names = {kHost};
  StartServer(options);
  server_->Handle("/", Behaviour::Normal(200, "<title>Secure</title>"));
  const char* tmp = std::getenv("TEST_TMPDIR");
  limits_.ca_file = std::string(tmp != nullptr ? tmp : "/tmp") + "/ca.pem";
  std::ofstream(limits_.ca_file) << server_->cert_pem();
  v1::WebFetch f = Fetch(/*https=*/true);
  EXPECT_EQ(f.outcome(), v1::OK) << f.error_detail();
  EXPECT_TRUE(f.tls_verified());
  EXPECT_EQ(f.title(), "Secure");
}

TEST_F(HomePageFetchTest, RedirectToOtherSchemesIsNotFollowed) {
  StartServer();
  server_->Handle("/", Behaviour::Redirect(301, "ftp://files.example.test/"));
  v1::WebFetch f = Fetch(false);
  EXPECT_EQ(f.outcome(), v1::OTHER_ERROR);
  EXPECT_EQ(f.hops_size(), 1);
}

}  // namespace

// Another domain holds the address (one connection at a time): the wait
// is the probe's politeness, so it moves the deadline instead of
// failing the site.
TEST_F(HomePageFetchTest, QueuedInTheGateTheDeadlineMovesByTheWait) {
  StartServer();
  server_->Handle("/", Behaviour::Normal(200, "<title>Home</title> hi"));
  bool held = false;
  gate_->Acquire("127.0.0.1", [&] { held = true; });
  ASSERT_TRUE(loop_->RunUntil([&] { return held; }, absl::Seconds(5)));
  loop_->RunAfter(absl::Milliseconds(600),
                  [this] { gate_->Release("127.0.0.1"); });
  // Budget 300 ms; queued 600 ms: without the move it would run out.
  v1::WebFetch f = Fetch(/*https=*/false, absl::Milliseconds(300));
  EXPECT_EQ(f.outcome(), v1::OK) << f.error_detail();
  EXPECT_EQ(f.status(), 200u);
  EXPECT_GE(elapsed_, absl::Milliseconds(550));
}

// Queued past max_gate_wait: SKIPPED (not tested), never TIMEOUT (which
// the verdict would read as the site failing), saying why.
TEST_F(HomePageFetchTest, QueuedPastTheMaxGateWaitIsSkippedNotFailed) {
  StartServer();
  server_->Handle("/", Behaviour::Normal(200, "<title>Home</title> hi"));
  limits_.max_gate_wait = absl::Milliseconds(200);
  bool held = false;
  gate_->Acquire("127.0.0.1", [&] { held = true; });
  ASSERT_TRUE(loop_->RunUntil([&] { return held; }, absl::Seconds(5)));
  loop_->RunAfter(absl::Milliseconds(800),
                  [this] { gate_->Release("127.0.0.1"); });
  v1::WebFetch f = Fetch(/*https=*/false, absl::Milliseconds(100));
  EXPECT_EQ(f.outcome(), v1::SKIPPED) << f.error_detail();
  EXPECT_TRUE(absl::StrContains(f.error_detail(), "not fetched: queued"))
      << f.error_detail();
  EXPECT_TRUE(absl::StrContains(f.error_detail(), "127.0.0.1"))
      << f.error_detail();
  EXPECT_EQ(f.hops_size(), 0);
}

// Abandoned (the check's end) while queued: SKIPPED too.
TEST_F(HomePageFetchTest, AbandonedWhileQueuedIsSkipped) {
  StartServer();
  bool held = false;
  gate_->Acquire("127.0.0.1", [&] { held = true; });
  ASSERT_TRUE(loop_->RunUntil([&] { return held; }, absl::Seconds(5)));
  WebContext context{loop_.get(), fetcher_.get(), dns_.get(), gate_.get(),
                     &limits_};
  auto fetch = HomePageFetch::Start(
      context, HomePageUrl(kHost, false, limits_), v1::IPV4,
      {*net::IpAddress::Parse("127.0.0.1")},
      loop::EventLoop::MonotonicNow() + absl::Seconds(20),
      [](v1::WebFetch) { ADD_FAILURE() << "done after Abandon"; });
  // Let the first hop reach the gate, then give up.
  const absl::Duration before = fetch->Deadline();
  loop_->RunUntil([] { return false; }, absl::Milliseconds(100));
  EXPECT_GT(fetch->Deadline(), before);  // The wait so far counts.
  v1::WebFetch f = fetch->Abandon("the domain's 20s ran out");
  EXPECT_EQ(f.outcome(), v1::SKIPPED) << f.error_detail();
  gate_->Release("127.0.0.1");
  loop_->RunUntil([] { return false; }, absl::Milliseconds(50));
}

}  // namespace v6scope::probe::readiness
