#include "probe/http/http_fetcher.h"

#include <cstdlib>
#include <fstream>
#include <optional>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/net/ip_address.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "probe/http/testing/scripted_http_server.h"
#include "probe/loop/event_loop.h"

namespace v6scope::probe::http {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::v6scope::probe::http::testing::Behaviour;
using ::v6scope::probe::http::testing::NeverAcceptingListener;
using ::v6scope::probe::http::testing::RefusingPort;
using ::v6scope::probe::http::testing::ScriptedHttpServer;

// Generous: only a hung test should ever hit it.
constexpr absl::Duration kTestDeadline = absl::Seconds(30);

net::IpAddress Ip(absl::string_view literal) {
  absl::StatusOr<net::IpAddress> ip = net::IpAddress::Parse(literal);
  EXPECT_TRUE(ip.ok()) << ip.status();
  return ip.value_or(net::IpAddress());
}

void ExpectOrderedTimings(const v1::Timings& t) {
  EXPECT_LE(t.dns_us(), t.connect_us());
  EXPECT_GT(t.connect_us(), 0u);
  EXPECT_LE(t.connect_us(), t.first_byte_us());
  EXPECT_LE(t.first_byte_us(), t.total_us());
}

class HttpFetcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop.ok()) << loop.status();
    loop_ = std::move(*loop);
    auto fetcher = HttpFetcher::Create(loop_.get());
    ASSERT_TRUE(fetcher.ok()) << fetcher.status();
    fetcher_ = std::move(*fetcher);
    auto v4 = ScriptedHttpServer::Start("127.0.0.1");
    ASSERT_TRUE(v4.ok()) << v4.status();
    v4_ = std::move(*v4);
    v4_->Handle("/hello", Behaviour::Normal(200, "hello world"));
    auto v6 = ScriptedHttpServer::Start("::1");
    if (v6.ok()) {
      v6_ = std::move(*v6);
      v6_->Handle("/hello", Behaviour::Normal(200, "hello world"));
    } else {
      v6_unavailable_ =
          absl::StrCat("no IPv6 loopback: ", v6.status().ToString());
    }
  }

  // A request with short timeouts: loopback answers in microseconds.
  static HttpRequest Request(std::string url) {
    HttpRequest request;
    request.url = std::move(url);
    request.timeout = absl::Seconds(5);
    request.connect_timeout = absl::Seconds(5);
    return request;
  }

  // Runs one fetch to completion on the loop.
  HttpResult FetchOne(HttpRequest request) {
    std::optional<HttpResult> result;
    fetcher_->Fetch(std::move(request),
                    [&](HttpResult r) { result = std::move(r); });
    EXPECT_TRUE(
        loop_->RunUntil([&] { return result.has_value(); }, kTestDeadline));
    return result.value_or(HttpResult());
  }

  // Runs the loop until `condition`, which watches another thread (the
  // server's), holds: a 5 ms tick wakes the loop to look again.
  bool RunUntilObserved(const std::function<bool()>& condition) {
    loop::EventLoop::TimerId tick_id = 0;
    std::function<void()> tick = [&] {
      tick_id = loop_->RunAfter(absl::Milliseconds(5), tick);
    };
    tick();
    const bool ok = loop_->RunUntil(condition, kTestDeadline);
    loop_->CancelTimer(tick_id);
    return ok;
  }

  // A second server on ::1 with the IPv4 server's port number, so a name
  // pinned to {::1, 127.0.0.1} reaches a server on either family.
  std::unique_ptr<ScriptedHttpServer> V6TwinOfV4() {
    ScriptedHttpServer::Options options;
    options.port = v4_->port();
    auto twin = ScriptedHttpServer::Start("::1", options);
    if (!twin.ok()) return nullptr;
    (*twin)->Handle("/who", Behaviour::WhoAmI());
    v4_->Handle("/who", Behaviour::WhoAmI());
    return std::move(*twin);
  }

  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<HttpFetcher> fetcher_;
  std::unique_ptr<ScriptedHttpServer> v4_;
  std::unique_ptr<ScriptedHttpServer> v6_;  // Null if ::1 is unavailable.
  std::string v6_unavailable_;
};

TEST_F(HttpFetcherTest, OkOverIpv4LiteralWithOrderedTimings) {
  HttpResult r = FetchOne(Request(v4_->Url("/hello")));
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.http_status, 200u);
  EXPECT_EQ(r.bytes_received, 11u);
  EXPECT_THAT(r.body, IsEmpty());  // keep_body_bytes = 0.
  EXPECT_THAT(r.error_detail, IsEmpty());
  EXPECT_EQ(r.used_address, "127.0.0.1");
  EXPECT_EQ(r.used_family, v1::IPV4);
  ExpectOrderedTimings(r.timings);
  EXPECT_EQ(r.timings.tls_us(), 0u);
  EXPECT_EQ(v4_->RequestCount("/hello"), 1);
}

TEST_F(HttpFetcherTest, SendsProbeUserAgentOverHttp11) {
  ASSERT_EQ(FetchOne(Request(v4_->Url("/hello"))).outcome, v1::OK);
  const std::string head = v4_->LastRequestHead("/hello");
  EXPECT_THAT(head, HasSubstr("GET /hello HTTP/1.1\r\n"));
  EXPECT_THAT(head, HasSubstr("User-Agent: v6scope-probe/"));
}

TEST_F(HttpFetcherTest, PinnedIpv4NameUsesResolvedAddress) {
  HttpRequest request = Request(v4_->UrlWithHost("v4.test", "/hello"));
  request.family = v1::IPV4;
  request.resolve_to = {Ip("127.0.0.1")};
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.used_address, "127.0.0.1");
  EXPECT_EQ(r.used_family, v1::IPV4);
  EXPECT_THAT(v4_->LastRequestHead("/hello"), HasSubstr("Host: v4.test:"));
}

TEST_F(HttpFetcherTest, PinnedIpv6NameUsesResolvedAddress) {
  if (v6_ == nullptr) GTEST_SKIP() << v6_unavailable_;
  HttpRequest request = Request(v6_->UrlWithHost("v6.test", "/hello"));
  request.family = v1::IPV6;
  request.resolve_to = {Ip("::1")};
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.used_address, "::1");
  EXPECT_EQ(r.used_family, v1::IPV6);
  ExpectOrderedTimings(r.timings);
}

TEST_F(HttpFetcherTest, Ipv6LiteralUrl) {
  if (v6_ == nullptr) GTEST_SKIP() << v6_unavailable_;
  HttpRequest request = Request(v6_->Url("/hello"));
  request.family = v1::IPV6;
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.used_address, "::1");
  EXPECT_EQ(r.used_family, v1::IPV6);
}

TEST_F(HttpFetcherTest, PinnedNameWithoutAddressesIsResolvedByCurl) {
  HttpRequest request = Request(v4_->UrlWithHost("localhost", "/hello"));
  request.family = v1::IPV4;
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.used_address, "127.0.0.1");
  ExpectOrderedTimings(r.timings);
}

TEST_F(HttpFetcherTest, PinnedFamilyUsesOnlyThatFamilysAddresses) {
  HttpRequest request = Request(v4_->UrlWithHost("ds.test", "/hello"));
  request.family = v1::IPV4;
  request.resolve_to = {Ip("::1"), Ip("127.0.0.1")};
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.used_family, v1::IPV4);
}

TEST_F(HttpFetcherTest, DualStackRaceReportsWinnerV6First) {
  if (v6_ == nullptr) GTEST_SKIP() << v6_unavailable_;
  std::unique_ptr<ScriptedHttpServer> twin = V6TwinOfV4();
  if (twin == nullptr) GTEST_SKIP() << "port " << v4_->port() << " busy on ::1";
  HttpRequest request = Request(v4_->UrlWithHost("ds.test", "/who"));
  request.resolve_to = {Ip("::1"), Ip("127.0.0.1")};
  request.keep_body_bytes = 64;
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  // Both families work on loopback; curl starts with the first address's
  // family and that connect wins at once.
  EXPECT_EQ(r.used_family, v1::IPV6);
  EXPECT_EQ(r.used_address, "::1");
  EXPECT_EQ(r.body, "::1");  // The server saw the same family.
  EXPECT_GT(r.timings.connect_us(), 0u);
}

TEST_F(HttpFetcherTest, DualStackRaceReportsWinnerV4First) {
  if (v6_ == nullptr) GTEST_SKIP() << v6_unavailable_;
  std::unique_ptr<ScriptedHttpServer> twin = V6TwinOfV4();
  if (twin == nullptr) GTEST_SKIP() << "port " << v4_->port() << " busy on ::1";
  HttpRequest request = Request(v4_->UrlWithHost("ds.test", "/who"));
  request.resolve_to = {Ip("127.0.0.1"), Ip("::1")};
  request.keep_body_bytes = 64;
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.used_family, v1::IPV4);
  EXPECT_EQ(r.body, "127.0.0.1");
}

TEST_F(HttpFetcherTest, DualStackRaceFallsBackToV4WhenV6Refused) {
  if (v6_ == nullptr) GTEST_SKIP() << v6_unavailable_;
  std::unique_ptr<ScriptedHttpServer> twin = V6TwinOfV4();
  if (twin == nullptr) GTEST_SKIP() << "port " << v4_->port() << " busy on ::1";
  twin.reset();  // ::1 now refuses on this port.
  HttpRequest request = Request(v4_->UrlWithHost("ds.test", "/who"));
  request.resolve_to = {Ip("::1"), Ip("127.0.0.1")};
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.used_family, v1::IPV4);
  EXPECT_EQ(r.used_address, "127.0.0.1");
}

TEST_F(HttpFetcherTest, NotFoundIsHttpStatus) {
  HttpResult r = FetchOne(Request(v4_->Url("/missing")));
  EXPECT_EQ(r.outcome, v1::HTTP_STATUS);
  EXPECT_EQ(r.http_status, 404u);
  EXPECT_EQ(r.error_detail, "HTTP status 404");
  EXPECT_GT(r.bytes_received, 0u);  // The error page still counts.
  EXPECT_EQ(r.used_family, v1::IPV4);
}

TEST_F(HttpFetcherTest, ServerErrorIsHttpStatus) {
  v4_->Handle("/boom", Behaviour::Normal(500, "boom"));
  HttpResult r = FetchOne(Request(v4_->Url("/boom")));
  EXPECT_EQ(r.outcome, v1::HTTP_STATUS);
  EXPECT_EQ(r.http_status, 500u);
}

TEST_F(HttpFetcherTest, ConnectionRefused) {
  absl::StatusOr<uint16_t> port = RefusingPort("127.0.0.1");
  ASSERT_TRUE(port.ok()) << port.status();
  HttpResult r =
      FetchOne(Request(absl::StrCat("http://127.0.0.1:", *port, "/")));
  EXPECT_EQ(r.outcome, v1::CONNECTION_REFUSED) << r.error_detail;
  EXPECT_THAT(r.error_detail, HasSubstr("Connection refused"));
  // No connection, but the address that refused is recorded.
  EXPECT_EQ(r.used_address, "127.0.0.1");
  EXPECT_EQ(r.used_family, v1::IPV4);
  EXPECT_EQ(r.timings.connect_us(), 0u);
  EXPECT_EQ(r.http_status, 0u);
}

TEST_F(HttpFetcherTest, ConnectionRefusedOverIpv6) {
  if (v6_ == nullptr) GTEST_SKIP() << v6_unavailable_;
  absl::StatusOr<uint16_t> port = RefusingPort("::1");
  ASSERT_TRUE(port.ok()) << port.status();
  HttpRequest request = Request(absl::StrCat("http://[::1]:", *port, "/"));
  request.family = v1::IPV6;
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::CONNECTION_REFUSED);
  EXPECT_EQ(r.used_address, "::1");
  EXPECT_EQ(r.used_family, v1::IPV6);
}

TEST_F(HttpFetcherTest, ServerThatNeverRespondsTimesOut) {
  v4_->Handle("/silent", Behaviour::NeverRespond());
  HttpRequest request = Request(v4_->Url("/silent"));
  request.timeout = absl::Milliseconds(300);
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::TIMEOUT) << r.error_detail;
  EXPECT_GT(r.timings.connect_us(), 0u);  // Connected, then silence.
  EXPECT_EQ(r.timings.first_byte_us(), 0u);
  EXPECT_GE(r.timings.total_us(), 250'000u);
  EXPECT_EQ(r.http_status, 0u);
  EXPECT_EQ(r.bytes_received, 0u);
  EXPECT_EQ(r.used_address, "127.0.0.1");
}

TEST_F(HttpFetcherTest, NeverAcceptingListenerTimesOut) {
  auto listener = NeverAcceptingListener::Start("127.0.0.1");
  ASSERT_TRUE(listener.ok()) << listener.status();
  // Two at once: one fits the accept queue (backlog 0 admits one) and
  // connects, the other's SYN is dropped. Both time out.
  std::vector<HttpResult> results;
  for (int i = 0; i < 2; ++i) {
    HttpRequest request =
        Request(absl::StrCat("http://127.0.0.1:", (*listener)->port(), "/"));
    request.timeout = absl::Milliseconds(300);
    request.connect_timeout = absl::Milliseconds(300);
    fetcher_->Fetch(request,
                    [&](HttpResult r) { results.push_back(std::move(r)); });
  }
  ASSERT_TRUE(
      loop_->RunUntil([&] { return results.size() == 2; }, kTestDeadline));
  int connected = 0;
  for (const HttpResult& r : results) {
    EXPECT_EQ(r.outcome, v1::TIMEOUT) << r.error_detail;
    if (r.timings.connect_us() > 0) ++connected;
  }
  EXPECT_EQ(connected, 1);
}

TEST_F(HttpFetcherTest, StallMidBodyTimesOutWithPartialBytes) {
  constexpr size_t kAnnounced = 100'000;
  v4_->Handle("/stall", Behaviour::StallMidBody(kAnnounced));
  HttpRequest request = Request(v4_->Url("/stall"));
  request.timeout = absl::Milliseconds(300);
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::TIMEOUT) << r.error_detail;
  EXPECT_EQ(r.http_status, 200u);
  EXPECT_GT(r.bytes_received, 0u);
  EXPECT_LT(r.bytes_received, kAnnounced);
  ExpectOrderedTimings(r.timings);
}

// Stall windows here are 100-300 ms against transfer timeouts of 5 s:
// STALLED can only come from the stall timer, and a steady trickle sends
// a byte six times per window.
TEST_F(HttpFetcherTest, ConnectedThenSilentIsStalled) {
  v4_->Handle("/silent", Behaviour::NeverRespond());
  HttpRequest request = Request(v4_->Url("/silent"));
  request.stall_timeout = absl::Milliseconds(200);
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::STALLED) << r.error_detail;
  EXPECT_THAT(r.error_detail, HasSubstr("after connecting (0 bytes received)"));
  EXPECT_THAT(r.error_detail, HasSubstr("no byte for 0.2 s"));
  EXPECT_GT(r.timings.connect_us(), 0u);
  EXPECT_EQ(r.timings.first_byte_us(), 0u);
  EXPECT_GE(r.timings.total_us(), 200'000u);
  EXPECT_LT(r.timings.total_us(), 5'000'000u);
  EXPECT_EQ(r.used_address, "127.0.0.1");
  EXPECT_EQ(r.used_family, v1::IPV4);
}

TEST_F(HttpFetcherTest, HeadersThenSilenceIsStalled) {
  v4_->Handle("/headers", Behaviour::HeadersThenStall(10'000));
  HttpRequest request = Request(v4_->Url("/headers"));
  request.stall_timeout = absl::Milliseconds(200);
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::STALLED) << r.error_detail;
  EXPECT_EQ(r.http_status, 200u);
  EXPECT_EQ(r.bytes_received, 0u);
  // The header bytes count as received.
  EXPECT_THAT(r.error_detail, Not(HasSubstr("(0 bytes received)")));
  EXPECT_GT(r.timings.first_byte_us(), 0u);
}

TEST_F(HttpFetcherTest, StallMidBodyIsStalledWithPartialBytes) {
  constexpr size_t kAnnounced = 100'000;
  v4_->Handle("/stall", Behaviour::StallMidBody(kAnnounced));
  HttpRequest request = Request(v4_->Url("/stall"));
  request.stall_timeout = absl::Milliseconds(200);
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::STALLED) << r.error_detail;
  EXPECT_EQ(r.bytes_received, kAnnounced / 2);
  EXPECT_THAT(r.error_detail, HasSubstr("bytes received)"));
  ExpectOrderedTimings(r.timings);
}

TEST_F(HttpFetcherTest, SteadyTrickleUnderTheStallWindowIsOk) {
  // 20 chunks 50 ms apart: about 1 s in all, four stall windows long.
  v4_->Handle("/trickle",
              Behaviour::Trickle(20'000, 1'000, absl::Milliseconds(50)));
  HttpRequest request = Request(v4_->Url("/trickle"));
  request.stall_timeout = absl::Milliseconds(300);
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.bytes_received, 20'000u);
  EXPECT_GE(r.timings.total_us(), 300'000u);
}

// The stall window opens at the connect: a connect that never completes
// is the connect timeout's, not a stall.
TEST_F(HttpFetcherTest, StallWindowOpensOnlyAfterTheConnect) {
  auto listener = NeverAcceptingListener::Start("127.0.0.1");
  ASSERT_TRUE(listener.ok()) << listener.status();
  std::vector<HttpResult> results;
  for (int i = 0; i < 2; ++i) {
    HttpRequest request =
        Request(absl::StrCat("http://127.0.0.1:", (*listener)->port(), "/"));
    request.connect_timeout = absl::Milliseconds(600);
    request.stall_timeout = absl::Milliseconds(100);
    fetcher_->Fetch(request,
                    [&](HttpResult r) { results.push_back(std::move(r)); });
  }
  ASSERT_TRUE(
      loop_->RunUntil([&] { return results.size() == 2; }, kTestDeadline));
  std::vector<v1::Outcome> outcomes;
  for (const HttpResult& r : results) {
    outcomes.push_back(r.outcome);
    EXPECT_EQ(r.used_address, "127.0.0.1") << r.error_detail;
    if (r.outcome == v1::TIMEOUT) {
      EXPECT_EQ(r.timings.connect_us(), 0u);
    }
  }
  EXPECT_THAT(outcomes,
              ::testing::UnorderedElementsAre(v1::STALLED, v1::TIMEOUT));
}

TEST_F(HttpFetcherTest, ReadLimitAsksForARangeAndAcceptsThe206) {
  v4_->Handle("/large", Behaviour::Ranged(1'000'000));
  HttpRequest request = Request(v4_->Url("/large"));
  request.body_limit = 262'144;
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.http_status, 206u);
  EXPECT_EQ(r.bytes_received, 262'144u);
  EXPECT_THAT(v4_->LastRequestHead("/large"),
              HasSubstr("\r\nRange: bytes=0-262143"));
}

TEST_F(HttpFetcherTest, ReadLimitStopsAServerIgnoringTheRange) {
  v4_->Handle("/large", Behaviour::Large(1'000'000));
  HttpRequest request = Request(v4_->Url("/large"));
  request.body_limit = 262'144;
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.http_status, 200u);
  EXPECT_EQ(r.bytes_received, 262'144u);
  EXPECT_THAT(r.error_detail, IsEmpty());
}

// The sink sees every body byte up to the limit, none kept in the result.
TEST_F(HttpFetcherTest, BodySinkGetsTheBodyUpToTheLimitWithoutKeepingIt) {
  v4_->Handle("/large", Behaviour::Large(1'000'000));
  HttpRequest request = Request(v4_->Url("/large"));
  request.body_limit = 262'144;
  request.range_request = false;
  uint64_t sunk = 0;
  int pieces = 0;
  request.body_sink = [&](absl::string_view piece) {
    sunk += piece.size();
    ++pieces;
  };
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(sunk, 262'144u);
  EXPECT_EQ(r.bytes_received, sunk);
  EXPECT_GT(pieces, 1);  // As it arrives, not at the end.
  EXPECT_THAT(r.body, IsEmpty());
}

TEST_F(HttpFetcherTest, ReadLimitAboveTheBodyIsTheWholeBody) {
  v4_->Handle("/large", Behaviour::Large(1'000));
  HttpRequest request = Request(v4_->Url("/large"));
  request.body_limit = 262'144;
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.bytes_received, 1'000u);
}

TEST_F(HttpFetcherTest, TruncatedBody) {
  v4_->Handle("/short", Behaviour::Truncate(1000, 400));
  HttpResult r = FetchOne(Request(v4_->Url("/short")));
  EXPECT_EQ(r.outcome, v1::TRUNCATED_BODY) << r.error_detail;
  EXPECT_EQ(r.http_status, 200u);
  EXPECT_EQ(r.bytes_received, 400u);
  EXPECT_THAT(r.error_detail, Not(IsEmpty()));
}

TEST_F(HttpFetcherTest, SlowServerIsOkAndFirstByteShowsTheDelay) {
  v4_->Handle("/slow", Behaviour::Slow(absl::Milliseconds(150)));
  HttpResult r = FetchOne(Request(v4_->Url("/slow")));
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_GE(r.timings.first_byte_us(), 150'000u);
  EXPECT_LT(r.timings.connect_us(), 150'000u);
}

TEST_F(HttpFetcherTest, PinnedIpv6WithOnlyIpv4AddressesIsNoAddress) {
  HttpRequest request = Request(v4_->UrlWithHost("v6.test", "/hello"));
  request.family = v1::IPV6;
  request.resolve_to = {Ip("127.0.0.1"), Ip("::ffff:127.0.0.2")};
  std::optional<HttpResult> result;
  fetcher_->Fetch(request, [&](HttpResult r) { result = std::move(r); });
  EXPECT_FALSE(result.has_value()) << "done ran inline from Fetch";
  EXPECT_EQ(fetcher_->in_flight(), 1u);
  ASSERT_TRUE(
      loop_->RunUntil([&] { return result.has_value(); }, kTestDeadline));
  EXPECT_EQ(result->outcome, v1::NO_ADDRESS);
  EXPECT_THAT(result->error_detail, HasSubstr("no IPv6 address"));
  EXPECT_EQ(result->timings.total_us(), 0u);
  EXPECT_EQ(result->used_family, v1::ADDRESS_FAMILY_UNSPECIFIED);
  EXPECT_EQ(fetcher_->in_flight(), 0u);
  EXPECT_EQ(v4_->TotalRequests(), 0);
}

TEST_F(HttpFetcherTest, PinnedFamilyAgainstLiteralOfOtherFamilyIsNoAddress) {
  HttpRequest request = Request(v4_->Url("/hello"));
  request.family = v1::IPV6;
  EXPECT_EQ(FetchOne(request).outcome, v1::NO_ADDRESS);
  request = Request("http://[::1]:1/");
  request.family = v1::IPV4;
  EXPECT_EQ(FetchOne(request).outcome, v1::NO_ADDRESS);
  EXPECT_EQ(v4_->TotalRequests(), 0);
}

TEST_F(HttpFetcherTest, MalformedOrUnsupportedUrlIsOtherError) {
  HttpResult r = FetchOne(Request("not a url"));
  EXPECT_EQ(r.outcome, v1::OTHER_ERROR);
  EXPECT_THAT(r.error_detail, HasSubstr("URL"));
  EXPECT_EQ(
      FetchOne(Request(absl::StrCat("ftp://127.0.0.1:", v4_->port(), "/")))
          .outcome,
      v1::OTHER_ERROR);
  EXPECT_EQ(v4_->TotalRequests(), 0);
}

TEST_F(HttpFetcherTest, WhoAmIKeepsBodyOverIpv4) {
  v4_->Handle("/whoami", Behaviour::WhoAmI());
  HttpRequest request = Request(v4_->Url("/whoami"));
  request.keep_body_bytes = 64;
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.body, "127.0.0.1");
  EXPECT_EQ(r.bytes_received, 9u);
}

TEST_F(HttpFetcherTest, WhoAmIKeepsBodyOverIpv6) {
  if (v6_ == nullptr) GTEST_SKIP() << v6_unavailable_;
  v6_->Handle("/whoami", Behaviour::WhoAmI());
  HttpRequest request = Request(v6_->Url("/whoami"));
  request.keep_body_bytes = 64;
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.body, "::1");
}

TEST_F(HttpFetcherTest, LargeBodyIsCountedButOnlyThePrefixKept) {
  constexpr size_t kSize = 4 << 20;
  v4_->Handle("/large", Behaviour::Large(kSize));
  HttpRequest request = Request(v4_->Url("/large"));
  request.keep_body_bytes = 16;
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.bytes_received, kSize);
  EXPECT_EQ(r.body, std::string(16, 'x'));
}

TEST_F(HttpFetcherTest, TwoHundredConcurrentFetchesOnOneThread) {
  constexpr int kFetches = 200;
  // Each response waits 200 ms: one after another they would take 40 s.
  v4_->Handle("/c", Behaviour::Slow(absl::Milliseconds(200), "x"));
  const std::thread::id loop_thread = std::this_thread::get_id();
  std::vector<v1::Outcome> outcomes;
  int off_thread = 0;
  const absl::Time start = absl::Now();
  for (int i = 0; i < kFetches; ++i) {
    fetcher_->Fetch(Request(v4_->Url("/c")), [&](HttpResult r) {
      if (std::this_thread::get_id() != loop_thread) ++off_thread;
      outcomes.push_back(r.outcome);
    });
  }
  EXPECT_EQ(fetcher_->in_flight(), static_cast<size_t>(kFetches));
  ASSERT_TRUE(loop_->RunUntil(
      [&] { return outcomes.size() == static_cast<size_t>(kFetches); },
      kTestDeadline));
  EXPECT_LT(absl::Now() - start, absl::Seconds(15));
  EXPECT_EQ(off_thread, 0);
  for (v1::Outcome o : outcomes) EXPECT_EQ(o, v1::OK);
  EXPECT_EQ(v4_->RequestCount("/c"), kFetches);
  EXPECT_EQ(fetcher_->in_flight(), 0u);
  EXPECT_EQ(loop_->watched_fds(), 0u);
}

TEST_F(HttpFetcherTest, DoneMayStartTheNextFetch) {
  int completed = 0;
  std::function<void(HttpResult)> next = [&](HttpResult r) {
    EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
    if (++completed < 3) fetcher_->Fetch(Request(v4_->Url("/hello")), next);
  };
  fetcher_->Fetch(Request(v4_->Url("/hello")), next);
  ASSERT_TRUE(loop_->RunUntil([&] { return completed == 3; }, kTestDeadline));
  EXPECT_EQ(v4_->RequestCount("/hello"), 3);
}

TEST_F(HttpFetcherTest, DestroyingWithTransfersInFlightCallsNoCallback) {
  v4_->Handle("/silent", Behaviour::NeverRespond());
  v4_->Handle("/stall", Behaviour::StallMidBody(100'000));
  int called = 0;
  auto count = [&](HttpResult) { ++called; };
  for (int i = 0; i < 10; ++i) {
    fetcher_->Fetch(Request(v4_->Url("/silent")), count);
    fetcher_->Fetch(Request(v4_->Url("/stall")), count);
  }
  HttpRequest no_address = Request(v4_->UrlWithHost("v6.test", "/hello"));
  no_address.family = v1::IPV6;
  no_address.resolve_to = {Ip("127.0.0.1")};
  fetcher_->Fetch(no_address, count);  // Completion still to be delivered.
  // Let every connection reach the server, with data mid-flight.
  ASSERT_TRUE(RunUntilObserved([&] {
    return v4_->RequestCount("/silent") == 10 &&
           v4_->RequestCount("/stall") == 10;
  }));
  EXPECT_EQ(called, 1);  // Only the NO_ADDRESS one could have finished.
  called = 0;
  fetcher_->Fetch(no_address, count);  // Deferred, never delivered.
  fetcher_.reset();
  EXPECT_EQ(loop_->watched_fds(), 0u);
  EXPECT_EQ(loop_->pending_timers(), 0u);
  loop_->RunUntil([] { return false; }, absl::Milliseconds(50));
  EXPECT_EQ(called, 0);
}

TEST_F(HttpFetcherTest, DoneMayDestroyTheFetcher) {
  v4_->Handle("/silent", Behaviour::NeverRespond());
  int silent_called = 0;
  bool destroyed = false;
  fetcher_->Fetch(Request(v4_->Url("/silent")),
                  [&](HttpResult) { ++silent_called; });
  fetcher_->Fetch(Request(v4_->Url("/hello")), [&](HttpResult r) {
    EXPECT_EQ(r.outcome, v1::OK);
    fetcher_.reset();
    destroyed = true;
  });
  ASSERT_TRUE(loop_->RunUntil([&] { return destroyed; }, kTestDeadline));
  EXPECT_EQ(loop_->watched_fds(), 0u);
  EXPECT_EQ(loop_->pending_timers(), 0u);
  EXPECT_EQ(silent_called, 0);
}

class HttpFetcherTlsTest : public HttpFetcherTest {
 protected:
  void SetUp() override {
    HttpFetcherTest::SetUp();
    ScriptedHttpServer::Options options;
    options.tls = true;
    options.tls_dns_names = {"tls.test"};
    auto server = ScriptedHttpServer::Start("127.0.0.1", options);
    ASSERT_TRUE(server.ok()) << server.status();
    tls_ = std::move(*server);
    tls_->Handle("/hello", Behaviour::Normal(200, "secret"));
    const char* tmp = std::getenv("TEST_TMPDIR");
    ca_file_ = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/v6scope-ca.pem");
    std::ofstream(ca_file_) << tls_->cert_pem();
  }

  HttpRequest TlsRequest() {
    HttpRequest request = Request(tls_->UrlWithHost("tls.test", "/hello"));
    request.family = v1::IPV4;
    request.resolve_to = {Ip("127.0.0.1")};
    return request;
  }

  std::unique_ptr<ScriptedHttpServer> tls_;
  std::string ca_file_;
};

TEST_F(HttpFetcherTlsTest, TrustedCertificateIsOkWithTlsTiming) {
  HttpRequest request = TlsRequest();
  request.ca_file = ca_file_;
  request.keep_body_bytes = 64;
  HttpResult r = FetchOne(request);
  EXPECT_EQ(r.outcome, v1::OK) << r.error_detail;
  EXPECT_EQ(r.body, "secret");
  ExpectOrderedTimings(r.timings);
  EXPECT_GE(r.timings.tls_us(), r.timings.connect_us());
  EXPECT_LE(r.timings.tls_us(), r.timings.first_byte_us());
}

TEST_F(HttpFetcherTlsTest, UntrustedCertificateIsTlsError) {
  HttpResult r = FetchOne(TlsRequest());  // System store: not trusted.
  EXPECT_EQ(r.outcome, v1::TLS_ERROR) << r.error_detail;
  EXPECT_THAT(r.error_detail, Not(IsEmpty()));
  EXPECT_EQ(r.http_status, 0u);
  EXPECT_EQ(tls_->TotalRequests(), 0);
}

TEST_F(HttpFetcherTlsTest, HttpsToPlainHttpServerIsTlsError) {
  HttpResult r = FetchOne(
      Request(absl::StrCat("https://127.0.0.1:", v4_->port(), "/hello")));
  EXPECT_EQ(r.outcome, v1::TLS_ERROR) << r.error_detail;
}

}  // namespace
}  // namespace v6scope::probe::http
