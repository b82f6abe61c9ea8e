#include "probe/readiness/udp_dns_lookup.h"

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/net/ip_address.h"
#include "gtest/gtest.h"
#include "probe/dns/testing/scripted_dns_server.h"
#include "probe/loop/event_loop.h"

namespace v6scope::probe::readiness {
namespace {

using dns::testing::DnsTransport;
using dns::testing::ScriptedDnsServer;
using dns::testing::ScriptedReply;

net::IpAddress Ip(const char* text) { return *net::IpAddress::Parse(text); }

class UdpDnsLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop.ok());
    loop_ = *std::move(loop);
    auto server = ScriptedDnsServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    UdpDnsOptions options;
    options.resolvers = {
        DnsServer{Ip("127.0.0.1"), static_cast<uint16_t>(server_->port())}};
    auto lookup = UdpDnsLookup::Create(loop_.get(), options);
    ASSERT_TRUE(lookup.ok());
    lookup_ = *std::move(lookup);
  }

  LookupResult Ask(LookupRequest request) {
    std::optional<LookupResult> got;
    lookup_->Lookup(std::move(request),
                    [&](LookupResult r) { got = std::move(r); });
    EXPECT_TRUE(
        loop_->RunUntil([&] { return got.has_value(); }, absl::Seconds(10)));
    return got.value_or(LookupResult{});
  }

  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<ScriptedDnsServer> server_;
  std::unique_ptr<UdpDnsLookup> lookup_;
};

TEST_F(UdpDnsLookupTest, AnswersAddressesThroughTheResolver) {
  server_->SetAddresses("www.example.test", {Ip("11.0.0.1"), Ip("3ffe::1")});
  LookupRequest request;
  request.name = "www.example.test";
  request.qtype = kTypeAaaa;
  LookupResult r = Ask(request);
  EXPECT_EQ(r.outcome, v6scope::v1::OK) << r.detail;
  ASSERT_EQ(r.response.addresses.size(), 1u);
  EXPECT_EQ(r.response.addresses[0].ToString(), "3ffe::1");
  EXPECT_EQ(r.server, "127.0.0.1");
  EXPECT_EQ(r.rcode, 0);
  EXPECT_EQ(lookup_->in_flight(), 0u);
}

TEST_F(UdpDnsLookupTest, NegativeAnswersAreClassified) {
  server_->SetAddresses("v4only.example.test", {Ip("11.0.0.2")});
  server_->SetReply("broken.example.test", dns::testing::kDnsTypeA,
                    ScriptedReply::ServFail());
  LookupRequest request;
  request.name = "v4only.example.test";
  request.qtype = kTypeAaaa;
  EXPECT_EQ(Ask(request).outcome, v6scope::v1::DNS_NODATA);
  request.name = "missing.example.test";
  EXPECT_EQ(Ask(request).outcome, v6scope::v1::DNS_NXDOMAIN);
  request.name = "broken.example.test";
  request.qtype = kTypeA;
  EXPECT_EQ(Ask(request).outcome, v6scope::v1::DNS_SERVFAIL);
}

TEST_F(UdpDnsLookupTest, SilentServerTimesOutWithinTriesTimesTimeout) {
  server_->SetReply("silent.example.test", dns::testing::kDnsTypeA,
                    ScriptedReply::NeverAnswer());
  LookupRequest request;
  request.name = "silent.example.test";
  request.timeout = absl::Milliseconds(100);
  request.tries = 2;
  LookupResult r = Ask(request);
  EXPECT_EQ(r.outcome, v6scope::v1::TIMEOUT);
  EXPECT_GE(r.elapsed, absl::Milliseconds(200));
  EXPECT_LT(r.elapsed, absl::Seconds(2));
  EXPECT_EQ(server_->QueryCount("silent.example.test", dns::testing::kDnsTypeA,
                                DnsTransport::kUdp),
            2);
}

TEST_F(UdpDnsLookupTest, DirectQuestionGoesToTheGivenServer) {
  // The "host resolver" is a port where nothing answers; the question
  // asked of the scripted server directly still gets its answer.
  UdpDnsOptions options;
  options.resolvers = {DnsServer{Ip("127.0.0.2"), 9}};
  auto lookup = UdpDnsLookup::Create(loop_.get(), options);
  ASSERT_TRUE(lookup.ok());
  lookup_ = *std::move(lookup);
  server_->SetAddresses("ns1.example.test", {Ip("11.0.0.53")});
  LookupRequest request;
  request.name = "ns1.example.test";
  request.server =
      DnsServer{Ip("127.0.0.1"), static_cast<uint16_t>(server_->port())};
  request.tries = 1;
  EXPECT_EQ(Ask(request).outcome, v6scope::v1::OK);
}

TEST_F(UdpDnsLookupTest, BadNameIsAnErrorNotACrash) {
  LookupRequest request;
  request.name = "a..test";
  LookupResult r = Ask(request);
  EXPECT_EQ(r.outcome, v6scope::v1::DNS_ERROR);
  EXPECT_FALSE(r.detail.empty());
}

TEST_F(UdpDnsLookupTest, DestroyingDropsCallbacksAndSockets) {
  server_->SetReply("silent.example.test", dns::testing::kDnsTypeA,
                    ScriptedReply::NeverAnswer());
  bool called = false;
  LookupRequest request;
  request.name = "silent.example.test";
  lookup_->Lookup(request, [&](LookupResult) { called = true; });
  EXPECT_EQ(loop_->watched_fds(), 1u);
  lookup_.reset();
  EXPECT_EQ(loop_->watched_fds(), 0u);
  loop_->RunUntil([] { return false; }, absl::Milliseconds(50));
  EXPECT_FALSE(called);
}

// Questions share sockets (kQuestionsPerSocket each), and a spent socket
// closes with its last question: sockets follow the questions in flight.
TEST_F(UdpDnsLookupTest, ManyQuestionsShareAFewSockets) {
  constexpr int kQuestions = 3 * kQuestionsPerSocket + 5;
  for (int i = 0; i < kQuestions; ++i) {
    server_->SetAddresses(absl::StrCat("h", i, ".example.test"),
                          {Ip("11.0.0.1")});
  }
  int ok = 0, answered = 0;
  for (int i = 0; i < kQuestions; ++i) {
    LookupRequest request;
    request.name = absl::StrCat("h", i, ".example.test");
    lookup_->Lookup(request, [&](LookupResult r) {
      ++answered;
      ok += r.outcome == v6scope::v1::OK && r.response.addresses.size() == 1;
    });
  }
  EXPECT_EQ(lookup_->open_sockets(), 4u);
  EXPECT_TRUE(loop_->RunUntil([&] { return answered == kQuestions; },
                              absl::Seconds(10)));
  EXPECT_EQ(ok, kQuestions);
  EXPECT_EQ(lookup_->open_sockets(), 1u);  // The one not yet spent.
  EXPECT_EQ(loop_->watched_fds(), 1u);
}

// Ids are unique among a socket's questions in flight: a generator that
// repeats itself still gets every question answered by its own reply.
TEST_F(UdpDnsLookupTest, RepeatedIdsAreRedrawnPerSocket) {
  UdpDnsOptions options;
  options.resolvers = {
      DnsServer{Ip("127.0.0.1"), static_cast<uint16_t>(server_->port())}};
  auto n = std::make_shared<uint16_t>(0);
  options.random_id = [n] { return static_cast<uint16_t>((*n)++ % 3); };
  auto lookup = UdpDnsLookup::Create(loop_.get(), options);
  ASSERT_TRUE(lookup.ok());
  lookup_ = *std::move(lookup);
  server_->SetAddresses("a.example.test", {Ip("11.0.0.1")});
  server_->SetAddresses("b.example.test", {Ip("11.0.0.2")});
  server_->SetAddresses("c.example.test", {Ip("11.0.0.3")});
  std::map<std::string, std::string> got;
  for (const char* name : {"a", "b", "c"}) {
    LookupRequest request;
    request.name = absl::StrCat(name, ".example.test");
    lookup_->Lookup(request, [&got, name](LookupResult r) {
      got[name] = r.response.addresses.empty()
                      ? r.detail
                      : r.response.addresses[0].ToString();
    });
  }
  EXPECT_TRUE(
      loop_->RunUntil([&] { return got.size() == 3; }, absl::Seconds(10)));
  EXPECT_EQ(got["a"], "11.0.0.1");
  EXPECT_EQ(got["b"], "11.0.0.2");
  EXPECT_EQ(got["c"], "11.0.0.3");
}

// At most max_resolver_in_flight tries go to the resolvers at once; the
// rest wait, and each try's timeout runs from its sending.
TEST_F(UdpDnsLookupTest, ResolverTriesInFlightAreBounded) {
  UdpDnsOptions options;
  options.resolvers = {
      DnsServer{Ip("127.0.0.1"), static_cast<uint16_t>(server_->port())}};
  options.max_resolver_in_flight = 2;
  auto lookup = UdpDnsLookup::Create(loop_.get(), options);
  ASSERT_TRUE(lookup.ok());
  lookup_ = *std::move(lookup);
  server_->SetReply("silent.example.test", dns::testing::kDnsTypeA,
                    ScriptedReply::NeverAnswer());
  std::vector<LookupResult> got;
  // Timed from before the first ask, not by each result's own `elapsed`:
  // the fifth lookup starts after the first try's timer is armed, so its
  // own elapsed time can be a little under three rounds (seen under ASan).
  const absl::Duration start = loop::EventLoop::MonotonicNow();
  for (int i = 0; i < 5; ++i) {
    LookupRequest request;
    request.name = "silent.example.test";
    request.timeout = absl::Milliseconds(100);
    request.tries = 1;
    lookup_->Lookup(request, [&](LookupResult r) { got.push_back(r); });
  }
  ASSERT_TRUE(
      loop_->RunUntil([&] { return got.size() == 5; }, absl::Seconds(10)));
  const absl::Duration took = loop::EventLoop::MonotonicNow() - start;
  for (const LookupResult& r : got) {
    EXPECT_EQ(r.outcome, v6scope::v1::TIMEOUT);
  }
  EXPECT_GE(took, absl::Milliseconds(300));  // Three rounds of two.
  EXPECT_EQ(server_->QueryCount("silent.example.test", dns::testing::kDnsTypeA,
                                DnsTransport::kUdp),
            5);
}

// At most max_server_in_flight tries go to one server asked directly; the
// rest wait there, in order.
TEST_F(UdpDnsLookupTest, DirectTriesInFlightAreBoundedPerServer) {
  UdpDnsOptions options;
  options.resolvers = {DnsServer{Ip("127.0.0.2"), 9}};
  options.max_server_in_flight = 2;
  auto lookup = UdpDnsLookup::Create(loop_.get(), options);
  ASSERT_TRUE(lookup.ok());
  lookup_ = *std::move(lookup);
  server_->SetReply("silent.example.test", dns::testing::kDnsTypeA,
                    ScriptedReply::NeverAnswer());
  std::vector<LookupResult> got;
  // Timed from before the first ask, not by each result's own `elapsed`:
  // the fifth lookup starts after the first try's timer is armed, so its
  // own elapsed time can be a little under three rounds (seen under ASan).
  const absl::Duration start = loop::EventLoop::MonotonicNow();
  for (int i = 0; i < 5; ++i) {
    LookupRequest request;
    request.name = "silent.example.test";
    request.server =
        DnsServer{Ip("127.0.0.1"), static_cast<uint16_t>(server_->port())};
    request.timeout = absl::Milliseconds(100);
    request.tries = 1;
    lookup_->Lookup(request, [&](LookupResult r) { got.push_back(r); });
  }
  ASSERT_TRUE(
      loop_->RunUntil([&] { return got.size() == 5; }, absl::Seconds(10)));
  const absl::Duration took = loop::EventLoop::MonotonicNow() - start;
  for (const LookupResult& r : got) {
    EXPECT_EQ(r.outcome, v6scope::v1::TIMEOUT);
  }
  EXPECT_GE(took, absl::Milliseconds(300));  // Three rounds of two.
  EXPECT_EQ(server_->QueryCount("silent.example.test", dns::testing::kDnsTypeA,
                                DnsTransport::kUdp),
            5);
  EXPECT_EQ(lookup_->stats().tries_queued, 3u);
}

// The bound is per server: a busy server does not hold another's questions.
TEST_F(UdpDnsLookupTest, OneServersBoundDoesNotHoldAnother) {
  auto other = ScriptedDnsServer::Start();
  ASSERT_TRUE(other.ok()) << other.status();
  UdpDnsOptions options;
  options.resolvers = {DnsServer{Ip("127.0.0.2"), 9}};
  options.max_server_in_flight = 1;
  auto lookup = UdpDnsLookup::Create(loop_.get(), options);
  ASSERT_TRUE(lookup.ok());
  lookup_ = *std::move(lookup);
  server_->SetReply("silent.example.test", dns::testing::kDnsTypeA,
                    ScriptedReply::NeverAnswer());
  (*other)->SetAddresses("ns1.example.test", {Ip("11.0.0.53")});
  std::vector<LookupResult> silent;
  for (int i = 0; i < 2; ++i) {
    LookupRequest request;
    request.name = "silent.example.test";
    request.server =
        DnsServer{Ip("127.0.0.1"), static_cast<uint16_t>(server_->port())};
    request.timeout = absl::Seconds(30);
    request.tries = 1;
    lookup_->Lookup(request, [&](LookupResult r) { silent.push_back(r); });
  }
  LookupRequest request;
  request.name = "ns1.example.test";
  request.server =
      DnsServer{Ip("127.0.0.1"), static_cast<uint16_t>((*other)->port())};
  request.tries = 1;
  LookupResult r = Ask(request);
  EXPECT_EQ(r.outcome, v6scope::v1::OK) << r.detail;
  EXPECT_TRUE(silent.empty());
  EXPECT_EQ(lookup_->stats().tries_queued, 1u);  // The silent server's 2nd.
  EXPECT_EQ(lookup_->in_flight(), 2u);
}

// Replies that are all waiting when the loop wakes are read a batch at a
// time (recvmmsg) and every one reaches its own question.
TEST_F(UdpDnsLookupTest, ManyRepliesReadyAtOnceAreAllDelivered) {
  constexpr int kQuestions = kQuestionsPerSocket;
  UdpDnsOptions options;
  options.resolvers = {
      DnsServer{Ip("127.0.0.1"), static_cast<uint16_t>(server_->port())}};
  ScriptedDnsServer* server = server_.get();
  // After the batch goes out, hold the loop until the server has every
  // question and time to answer: the replies then wait in the socket.
  options.send_batch = [server](int fd, mmsghdr* messages, unsigned count) {
    const int sent = sendmmsg(fd, messages, count, 0);
    const absl::Time give_up = absl::Now() + absl::Seconds(5);
    while (server->TotalQueryCount() < kQuestions && absl::Now() < give_up) {
      absl::SleepFor(absl::Milliseconds(1));
    }
    absl::SleepFor(absl::Milliseconds(200));
    return sent;
  };
  auto lookup = UdpDnsLookup::Create(loop_.get(), options);
  ASSERT_TRUE(lookup.ok());
  lookup_ = *std::move(lookup);
  std::map<std::string, std::string> got;
  for (int i = 0; i < kQuestions; ++i) {
    const std::string name = absl::StrCat("r", i, ".example.test");
    server_->SetAddresses(name, {Ip(absl::StrCat("11.0.1.", i + 1).c_str())});
    LookupRequest request;
    request.name = name;
    lookup_->Lookup(request, [&got, name](LookupResult r) {
      got[name] = r.response.addresses.empty()
                      ? r.detail
                      : r.response.addresses[0].ToString();
    });
  }
  ASSERT_TRUE(loop_->RunUntil(
      [&] { return got.size() == static_cast<size_t>(kQuestions); },
      absl::Seconds(10)));
  for (int i = 0; i < kQuestions; ++i) {
    EXPECT_EQ(got[absl::StrCat("r", i, ".example.test")],
              absl::StrCat("11.0.1.", i + 1));
  }
  EXPECT_EQ(lookup_->stats().send_calls, 1u);
  EXPECT_EQ(lookup_->stats().replies_read, static_cast<uint64_t>(kQuestions));
  // One read in practice; two if the server thread was slow to answer.
  EXPECT_LE(lookup_->stats().reply_reads, 2u);
}

// A sendmmsg that sends part of the batch is called again for the rest.
TEST_F(UdpDnsLookupTest, PartialSendIsCompleted) {
  constexpr int kQuestions = 20;
  UdpDnsOptions options;
  options.resolvers = {
      DnsServer{Ip("127.0.0.1"), static_cast<uint16_t>(server_->port())}};
  options.send_batch = [](int fd, mmsghdr* messages, unsigned count) {
    return sendmmsg(fd, messages, std::min(count, 3u), 0);
  };
  auto lookup = UdpDnsLookup::Create(loop_.get(), options);
  ASSERT_TRUE(lookup.ok());
  lookup_ = *std::move(lookup);
  int ok = 0, answered = 0;
  for (int i = 0; i < kQuestions; ++i) {
    const std::string name = absl::StrCat("p", i, ".example.test");
    server_->SetAddresses(name, {Ip("11.0.0.1")});
    LookupRequest request;
    request.name = name;
    request.tries = 1;
    lookup_->Lookup(request, [&](LookupResult r) {
      ++answered;
      ok += r.outcome == v6scope::v1::OK;
    });
  }
  ASSERT_TRUE(loop_->RunUntil([&] { return answered == kQuestions; },
                              absl::Seconds(10)));
  EXPECT_EQ(ok, kQuestions);
  EXPECT_EQ(server_->TotalQueryCount(), kQuestions);
  EXPECT_EQ(lookup_->stats().send_calls, 7u);  // 20 = 6 x 3 + 2.
  EXPECT_EQ(lookup_->stats().tries_sent, static_cast<uint64_t>(kQuestions));
}

// A datagram the kernel refuses fails its own try only: the batch's other
// datagrams still go out, and the failed question tries again.
TEST_F(UdpDnsLookupTest, FailedSendFailsOnlyThatTry) {
  UdpDnsOptions options;
  options.resolvers = {
      DnsServer{Ip("127.0.0.1"), static_cast<uint16_t>(server_->port())}};
  auto calls = std::make_shared<int>(0);
  options.send_batch = [calls](int fd, mmsghdr* messages, unsigned count) {
    if ((*calls)++ == 0) {
      errno = ENETUNREACH;
      return -1;
    }
    return sendmmsg(fd, messages, count, 0);
  };
  auto lookup = UdpDnsLookup::Create(loop_.get(), options);
  ASSERT_TRUE(lookup.ok());
  lookup_ = *std::move(lookup);
  std::map<std::string, LookupResult> got;
  for (const char* name : {"a", "b", "c"}) {
    server_->SetAddresses(absl::StrCat(name, ".example.test"),
                          {Ip("11.0.0.1")});
    LookupRequest request;
    request.name = absl::StrCat(name, ".example.test");
    request.tries = 2;
    lookup_->Lookup(request,
                    [&got, name](LookupResult r) { got[name] = std::move(r); });
  }
  ASSERT_TRUE(
      loop_->RunUntil([&] { return got.size() == 3; }, absl::Seconds(10)));
  for (const char* name : {"a", "b", "c"}) {
    EXPECT_EQ(got[name].outcome, v6scope::v1::OK) << name << got[name].detail;
  }
  EXPECT_EQ(server_->TotalQueryCount(), 3);
  EXPECT_EQ(lookup_->stats().tries_sent, 3u);
  EXPECT_EQ(lookup_->stats().tries_timed_out, 0u);  // Never on the wire.
}

// A question whose every send fails ends as an error saying why.
TEST_F(UdpDnsLookupTest, UnsendableQuestionIsAnError) {
  UdpDnsOptions options;
  options.resolvers = {
      DnsServer{Ip("127.0.0.1"), static_cast<uint16_t>(server_->port())}};
  options.send_batch = [](int, mmsghdr*, unsigned) {
    errno = ENETUNREACH;
    return -1;
  };
  auto lookup = UdpDnsLookup::Create(loop_.get(), options);
  ASSERT_TRUE(lookup.ok());
  lookup_ = *std::move(lookup);
  LookupRequest request;
  request.name = "www.example.test";
  request.tries = 2;
  LookupResult r = Ask(request);
  EXPECT_EQ(r.outcome, v6scope::v1::DNS_ERROR);
  EXPECT_NE(r.detail.find("sending to 127.0.0.1"), std::string::npos)
      << r.detail;
  EXPECT_EQ(lookup_->in_flight(), 0u);
}

TEST(UdpDnsLookupCreateTest, NeedsResolvers) {
  auto loop = loop::EventLoop::Create();
  ASSERT_TRUE(loop.ok());
  EXPECT_FALSE(UdpDnsLookup::Create(loop->get(), UdpDnsOptions{}).ok());
}

}  // namespace
}  // namespace v6scope::probe::readiness
