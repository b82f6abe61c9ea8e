// CaresResolver against the scripted DNS server on loopback, on a real
// EventLoop driven by the test thread.
#include "probe/dns/cares_resolver.h"

#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "probe/dns/testing/scripted_dns_server.h"

namespace v6scope::probe::dns {
namespace {

using testing::DnsTransport;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::kDnsTypeA;
using testing::kDnsTypeAAAA;
using ::testing::Not;
using testing::ScriptedDnsServer;
using testing::ScriptedReply;
using v6scope::v1::Outcome;

constexpr absl::Duration kWait = absl::Seconds(20);

net::IpAddress Addr(const std::string& literal) {
  return *net::IpAddress::Parse(literal);
}

std::vector<std::string> Texts(const std::vector<net::IpAddress>& addresses) {
  std::vector<std::string> out;
  for (const net::IpAddress& a : addresses) out.push_back(a.ToString());
  return out;
}

class CaresResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto loop = loop::EventLoop::Create();
    ASSERT_TRUE(loop.ok()) << loop.status();
    loop_ = std::move(*loop);
    auto server = ScriptedDnsServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  CaresOptions Options(absl::Duration timeout = absl::Seconds(5),
                       int tries = 1) {
    CaresOptions options;
    options.server = server_->address();
    options.timeout = timeout;
    options.tries = tries;
    options.use_hosts_file = false;
    return options;
  }

  std::unique_ptr<CaresResolver> NewResolver(const CaresOptions& options) {
    auto resolver = CaresResolver::Create(loop_.get(), options);
    EXPECT_TRUE(resolver.ok()) << resolver.status();
    return resolver.ok() ? std::move(*resolver) : nullptr;
  }

  std::unique_ptr<CaresResolver> NewResolver() {
    return NewResolver(Options());
  }

  DnsAnswer Resolve(DnsResolver* resolver, const std::string& name,
                    DnsType type) {
    std::optional<DnsAnswer> answer;
    resolver->Resolve(name, type, [&](DnsAnswer a) { answer = std::move(a); });
    EXPECT_TRUE(loop_->RunUntil([&] { return answer.has_value(); }, kWait))
        << name;
    return answer.value_or(DnsAnswer());
  }

  // True once the resolver left nothing on the loop.
  bool LoopIsIdle() const {
    return loop_->watched_fds() == 0 && loop_->pending_timers() == 0;
  }

  std::unique_ptr<loop::EventLoop> loop_;
  std::unique_ptr<ScriptedDnsServer> server_;
};

TEST_F(CaresResolverTest, AAnswer) {
  server_->SetReply(
      "a.test", kDnsTypeA,
      ScriptedReply::Records({Addr("192.0.2.1"), Addr("192.0.2.2")}));
  auto resolver = NewResolver();
  ASSERT_NE(resolver, nullptr);
  DnsAnswer a = Resolve(resolver.get(), "a.test", DnsType::kA);
  EXPECT_EQ(a.outcome, v6scope::v1::OK);
  EXPECT_THAT(Texts(a.addresses), ElementsAre("192.0.2.1", "192.0.2.2"));
  EXPECT_EQ(a.rcode, 0);
  EXPECT_EQ(a.server, "127.0.0.1");
  EXPECT_FALSE(a.from_hosts_file);
  EXPECT_GT(a.elapsed, absl::ZeroDuration());
  EXPECT_THAT(a.error_detail, IsEmpty());
  EXPECT_EQ(server_->QueryCount("a.test", kDnsTypeA, DnsTransport::kUdp), 1);
}

TEST_F(CaresResolverTest, AaaaAnswer) {
  server_->SetAddresses(
      "ds.test", {Addr("192.0.2.1"), Addr("2001:db8::1"), Addr("2001:db8::2")});
  auto resolver = NewResolver();
  ASSERT_NE(resolver, nullptr);
  DnsAnswer a = Resolve(resolver.get(), "ds.test", DnsType::kAAAA);
  EXPECT_EQ(a.outcome, v6scope::v1::OK);
  EXPECT_THAT(Texts(a.addresses), ElementsAre("2001:db8::1", "2001:db8::2"));
  EXPECT_EQ(a.rcode, 0);
  EXPECT_EQ(a.server, "127.0.0.1");
}

TEST_F(CaresResolverTest, NoData) {
  server_->SetAddresses("v4only.test", {Addr("192.0.2.1")});
  auto resolver = NewResolver();
  ASSERT_NE(resolver, nullptr);
  DnsAnswer a = Resolve(resolver.get(), "v4only.test", DnsType::kAAAA);
  EXPECT_EQ(a.outcome, v6scope::v1::DNS_NODATA);
  EXPECT_EQ(a.rcode, 0);
  EXPECT_EQ(a.server, "127.0.0.1");
  EXPECT_THAT(a.addresses, IsEmpty());
  EXPECT_THAT(a.error_detail, Not(IsEmpty()));
}

TEST_F(CaresResolverTest, NxDomainIsTheDefault) {
  auto resolver = NewResolver();
  ASSERT_NE(resolver, nullptr);
  DnsAnswer a = Resolve(resolver.get(), "missing.test", DnsType::kA);
  EXPECT_EQ(a.outcome, v6scope::v1::DNS_NXDOMAIN);
  EXPECT_EQ(a.rcode, 3);
  EXPECT_EQ(CaresResolver::RcodeName(a.rcode), "NXDOMAIN");
  EXPECT_EQ(a.server, "127.0.0.1");
}

TEST_F(CaresResolverTest, ServFailIsRecordedNotRetried) {
  server_->SetReply("sf.test", kDnsTypeA, ScriptedReply::ServFail());
  auto resolver = NewResolver(Options(absl::Seconds(5), /*tries=*/3));
  ASSERT_NE(resolver, nullptr);
  DnsAnswer a = Resolve(resolver.get(), "sf.test", DnsType::kA);
  EXPECT_EQ(a.outcome, v6scope::v1::DNS_SERVFAIL);
  EXPECT_EQ(a.rcode, 2);
  EXPECT_EQ(a.server, "127.0.0.1");
  EXPECT_EQ(server_->QueryCount("sf.test", kDnsTypeA, DnsTransport::kUdp), 1);
}

TEST_F(CaresResolverTest, Refused) {
  server_->SetReply("ref.test", kDnsTypeAAAA, ScriptedReply::Refused());
  auto resolver = NewResolver();
  ASSERT_NE(resolver, nullptr);
  DnsAnswer a = Resolve(resolver.get(), "ref.test", DnsType::kAAAA);
  EXPECT_EQ(a.outcome, v6scope::v1::DNS_REFUSED);
  EXPECT_EQ(a.rcode, 5);
  EXPECT_EQ(a.server, "127.0.0.1");
}

TEST_F(CaresResolverTest, TruncatedAnswerIsRetriedOverTcp) {
  server_->SetReply("tc.test", kDnsTypeAAAA,
                    ScriptedReply::Truncated({Addr("2001:db8::7")}));
  auto resolver = NewResolver();
  ASSERT_NE(resolver, nullptr);
  DnsAnswer a = Resolve(resolver.get(), "tc.test", DnsType::kAAAA);
  EXPECT_EQ(a.outcome, v6scope::v1::OK);
  EXPECT_THAT(Texts(a.addresses), ElementsAre("2001:db8::7"));
  EXPECT_EQ(a.server, "127.0.0.1");
  EXPECT_EQ(server_->QueryCount("tc.test", kDnsTypeAAAA, DnsTransport::kUdp),
            1);
  EXPECT_EQ(server_->QueryCount("tc.test", kDnsTypeAAAA, DnsTransport::kTcp),
            1);
}

TEST_F(CaresResolverTest, NeverAnswerTimesOut) {
  server_->SetReply("drop.test", kDnsTypeA, ScriptedReply::NeverAnswer());
  auto resolver = NewResolver(Options(absl::Milliseconds(200), 1));
  ASSERT_NE(resolver, nullptr);
  const absl::Duration start = loop::EventLoop::MonotonicNow();
  DnsAnswer a = Resolve(resolver.get(), "drop.test", DnsType::kA);
  EXPECT_EQ(a.outcome, v6scope::v1::TIMEOUT);
  EXPECT_EQ(a.rcode, -1);
  EXPECT_EQ(a.server, "");
  EXPECT_THAT(a.error_detail, Not(IsEmpty()));
  EXPECT_LT(loop::EventLoop::MonotonicNow() - start, absl::Seconds(5));
  EXPECT_GE(server_->QueryCount("drop.test", kDnsTypeA, DnsTransport::kUdp), 1);
}

TEST_F(CaresResolverTest, TimeoutTimesTriesBoundsTheLookup) {
  // c-ares alone would wait 200ms + 400ms + 800ms over three tries.
  server_->SetReply("drop.test", kDnsTypeA, ScriptedReply::NeverAnswer());
  auto resolver = NewResolver(Options(absl::Milliseconds(200), 3));
  ASSERT_NE(resolver, nullptr);
  DnsAnswer a = Resolve(resolver.get(), "drop.test", DnsType::kA);
  EXPECT_EQ(a.outcome, v6scope::v1::TIMEOUT);
  EXPECT_GE(a.elapsed, absl::Milliseconds(600));
  EXPECT_LT(a.elapsed, absl::Milliseconds(1300));
  EXPECT_GE(server_->QueryCount("drop.test", kDnsTypeA, DnsTransport::kUdp), 2);
}

TEST_F(CaresResolverTest, DelayedAnswerWithinTimeoutIsOk) {
  server_->SetReply(
      "slow.test", kDnsTypeA,
      ScriptedReply::Delayed(absl::Milliseconds(100),
                             ScriptedReply::Records({Addr("192.0.2.3")})));
  auto resolver = NewResolver();
  ASSERT_NE(resolver, nullptr);
  DnsAnswer a = Resolve(resolver.get(), "slow.test", DnsType::kA);
  EXPECT_EQ(a.outcome, v6scope::v1::OK);
  EXPECT_GE(a.elapsed, absl::Milliseconds(100));
}

TEST_F(CaresResolverTest, ServerThatAnsweredIsRecordedAmongSeveral) {
  ScriptedDnsServer::Options second_options;
  second_options.v4_address = "127.0.0.2";
  auto second = ScriptedDnsServer::Start(second_options);
  if (!second.ok()) {
    GTEST_SKIP() << "cannot listen on 127.0.0.2: " << second.status();
  }
  // The first server never answers: after one timeout c-ares asks the
  // second, whose answer must be attributed to it.
  server_->SetReply("x.test", kDnsTypeA, ScriptedReply::NeverAnswer());
  (*second)->SetReply("x.test", kDnsTypeA,
                      ScriptedReply::Records({Addr("192.0.2.22")}));
  CaresOptions options = Options(absl::Milliseconds(300), 2);
  options.server = absl::StrCat(server_->address(), ",", (*second)->address());
  auto resolver = NewResolver(options);
  ASSERT_NE(resolver, nullptr);
  EXPECT_THAT(resolver->servers(), ElementsAre("127.0.0.1", "127.0.0.2"));
  DnsAnswer a = Resolve(resolver.get(), "x.test", DnsType::kA);
  EXPECT_EQ(a.outcome, v6scope::v1::OK);
  EXPECT_EQ(a.server, "127.0.0.2");
  EXPECT_EQ(server_->QueryCount("x.test", kDnsTypeA, DnsTransport::kUdp), 1);

  // A REFUSED from the first server decides the outcome (NOCHECKRESP).
  server_->SetReply("y.test", kDnsTypeA, ScriptedReply::Refused());
  (*second)->SetReply("y.test", kDnsTypeA,
                      ScriptedReply::Records({Addr("192.0.2.23")}));
  DnsAnswer b = Resolve(resolver.get(), "y.test", DnsType::kA);
  EXPECT_EQ(b.outcome, v6scope::v1::DNS_REFUSED);
  EXPECT_EQ(b.server, "127.0.0.1");
  EXPECT_EQ((*second)->QueryCount("y.test", kDnsTypeA, DnsTransport::kUdp), 0);
}

TEST_F(CaresResolverTest, IPv6ServerWithPort) {
  ScriptedDnsServer::Options v6_options;
  v6_options.listen_ipv6 = true;
  auto v6 = ScriptedDnsServer::Start(v6_options);
  if (!v6.ok()) GTEST_SKIP() << "no IPv6 loopback here: " << v6.status();
  (*v6)->SetReply("six.test", kDnsTypeAAAA,
                  ScriptedReply::Records({Addr("2001:db8::6")}));
  CaresOptions options = Options();
  options.server = (*v6)->address_v6();
  auto resolver = NewResolver(options);
  ASSERT_NE(resolver, nullptr);
  DnsAnswer a = Resolve(resolver.get(), "six.test", DnsType::kAAAA);
  EXPECT_EQ(a.outcome, v6scope::v1::OK);
  EXPECT_EQ(a.server, "::1");
}

TEST_F(CaresResolverTest, TwoHundredLookupsInFlightOnOneThread) {
  constexpr int kLookups = 200;
  for (int i = 0; i < kLookups; ++i) {
    server_->SetReply(absl::StrCat("q", i, ".test"), kDnsTypeA,
                      ScriptedReply::Records({Addr(
                          absl::StrCat("10.0.", i / 256, ".", i % 256))}));
  }
  auto resolver = NewResolver();
  ASSERT_NE(resolver, nullptr);
  const std::thread::id loop_thread = std::this_thread::get_id();
  std::vector<std::optional<DnsAnswer>> answers(kLookups);
  int done = 0;
  bool all_on_loop_thread = true;
  for (int i = 0; i < kLookups; ++i) {
    resolver->Resolve(
        absl::StrCat("q", i, ".test"), DnsType::kA, [&, i](DnsAnswer a) {
          all_on_loop_thread &= std::this_thread::get_id() == loop_thread;
          EXPECT_FALSE(answers[i].has_value()) << "twice: " << i;
          answers[i] = std::move(a);
          ++done;
        });
  }
  EXPECT_EQ(done, 0);
  EXPECT_EQ(resolver->in_flight(), static_cast<size_t>(kLookups));
  ASSERT_TRUE(loop_->RunUntil([&] { return done == kLookups; }, kWait));
  EXPECT_TRUE(all_on_loop_thread);
  for (int i = 0; i < kLookups; ++i) {
    ASSERT_EQ(answers[i]->outcome, v6scope::v1::OK) << i;
    EXPECT_THAT(Texts(answers[i]->addresses),
                ElementsAre(absl::StrCat("10.0.", i / 256, ".", i % 256)));
  }
  EXPECT_EQ(resolver->in_flight(), 0u);
}

// Looks `name` up in /etc/hosts the simple way, for the test's own
// expectation: true if some line maps it to `address`.
bool EtcHostsMaps(const std::string& name, const std::string& address) {
  std::ifstream in("/etc/hosts");
  std::string line;
  while (std::getline(in, line)) {
    line = line.substr(0, line.find('#'));
    std::vector<std::string> fields =
        absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    if (fields.size() < 2 || fields[0] != address) continue;
    for (size_t i = 1; i < fields.size(); ++i) {
      if (absl::EqualsIgnoreCase(fields[i], name)) return true;
    }
  }
  return false;
}

class CaresResolverHostsTest : public CaresResolverTest {
 protected:
  void CheckLocalhost(DnsType type, const std::string& loopback) {
    if (!EtcHostsMaps("localhost", loopback)) {
      GTEST_SKIP() << "/etc/hosts does not map localhost to " << loopback
                   << " on this machine";
    }
    CaresOptions options = Options();
    options.use_hosts_file = true;
    auto resolver = NewResolver(options);
    ASSERT_NE(resolver, nullptr);
    DnsAnswer a = Resolve(resolver.get(), "localhost", type);
    EXPECT_EQ(a.outcome, v6scope::v1::OK);
    EXPECT_TRUE(a.from_hosts_file);
    EXPECT_THAT(Texts(a.addresses), ::testing::Contains(loopback));
    EXPECT_EQ(a.server, "");
    EXPECT_EQ(a.rcode, -1);
    EXPECT_EQ(server_->TotalQueryCount(), 0);
  }
};

TEST_F(CaresResolverHostsTest, LocalhostA) {
  CheckLocalhost(DnsType::kA, "127.0.0.1");
}

TEST_F(CaresResolverHostsTest, LocalhostAaaa) {
  CheckLocalhost(DnsType::kAAAA, "::1");
}

TEST_F(CaresResolverHostsTest, NameNotInHostsFileGoesToDns) {
  server_->SetReply("a.test", kDnsTypeA,
                    ScriptedReply::Records({Addr("192.0.2.1")}));
  CaresOptions options = Options();
  options.use_hosts_file = true;
  auto resolver = NewResolver(options);
  ASSERT_NE(resolver, nullptr);
  DnsAnswer a = Resolve(resolver.get(), "a.test", DnsType::kA);
  EXPECT_EQ(a.outcome, v6scope::v1::OK);
  EXPECT_FALSE(a.from_hosts_file);
  EXPECT_EQ(a.server, "127.0.0.1");
}

TEST_F(CaresResolverHostsTest, HostsFileAnswersOnlyTheFamilyItLists) {
  if (!EtcHostsMaps("localhost", "127.0.0.1") ||
      EtcHostsMaps("localhost", "::1")) {
    GTEST_SKIP() << "needs /etc/hosts to map localhost to 127.0.0.1 only";
  }
  CaresOptions options = Options();
  options.use_hosts_file = true;
  auto resolver = NewResolver(options);
  ASSERT_NE(resolver, nullptr);
  // No ::1 line: the AAAA question goes to DNS (here: NXDOMAIN).
  DnsAnswer a = Resolve(resolver.get(), "localhost", DnsType::kAAAA);
  EXPECT_FALSE(a.from_hosts_file);
  EXPECT_EQ(a.outcome, v6scope::v1::DNS_NXDOMAIN);
  EXPECT_EQ(server_->QueryCount("localhost", kDnsTypeAAAA, DnsTransport::kUdp),
            1);
}

TEST_F(CaresResolverTest, BadServerStringsAreInvalidArgument) {
  for (const std::string bad :
       {"dns.example", "127.0.0.1:99999", "127.0.0.1:", "[::1", "[::1]x",
        "[127.0.0.1]:53", "1.2.3.4,", "::1]:53", "300.1.1.1"}) {
    CaresOptions options = Options();
    options.server = bad;
    auto resolver = CaresResolver::Create(loop_.get(), options);
    ASSERT_FALSE(resolver.ok()) << bad;
    EXPECT_EQ(resolver.status().code(), absl::StatusCode::kInvalidArgument)
        << bad;
    EXPECT_THAT(std::string(resolver.status().message()), HasSubstr(bad));
  }
}

TEST_F(CaresResolverTest, GoodServerStrings) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"192.0.2.53", {"192.0.2.53"}},
      {"192.0.2.53:5353", {"192.0.2.53"}},
      {"2001:db8::53", {"2001:db8::53"}},
      {"[2001:db8::53]:5353", {"2001:db8::53"}},
      {"192.0.2.1, [::1]:53", {"192.0.2.1", "::1"}}};
  for (const auto& [spec, servers] : cases) {
    CaresOptions options = Options();
    options.server = spec;
    auto resolver = CaresResolver::Create(loop_.get(), options);
    ASSERT_TRUE(resolver.ok()) << spec << ": " << resolver.status();
    EXPECT_EQ((*resolver)->servers(), servers) << spec;
  }
}

TEST_F(CaresResolverTest, BadTimeoutOrTriesAreInvalidArgument) {
  CaresOptions options = Options(absl::ZeroDuration(), 1);
  EXPECT_EQ(CaresResolver::Create(loop_.get(), options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options = Options(absl::Seconds(1), 0);
  EXPECT_EQ(CaresResolver::Create(loop_.get(), options).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(CaresResolverTest, SystemResolverConfigurationLoads) {
  CaresOptions options;  // Empty server: /etc/resolv.conf.
  auto resolver = CaresResolver::Create(loop_.get(), options);
  ASSERT_TRUE(resolver.ok()) << resolver.status();
  EXPECT_THAT((*resolver)->servers(), Not(IsEmpty()));
}

TEST_F(CaresResolverTest, DoneIsNeverCalledInline) {
  CaresOptions options = Options();
  options.use_hosts_file = true;
  auto resolver = NewResolver(options);
  ASSERT_NE(resolver, nullptr);
  int calls = 0;
  // A hosts-file hit (if any), a name c-ares refuses to encode, and a
  // plain query: none may call back from inside Resolve.
  resolver->Resolve("localhost", DnsType::kA, [&](DnsAnswer) { ++calls; });
  std::optional<DnsAnswer> bad;
  resolver->Resolve(std::string(300, 'x') + ".test", DnsType::kA,
                    [&](DnsAnswer a) {
                      ++calls;
                      bad = std::move(a);
                    });
  resolver->Resolve("a.test", DnsType::kA, [&](DnsAnswer) { ++calls; });
  EXPECT_EQ(calls, 0);
  ASSERT_TRUE(loop_->RunUntil([&] { return calls == 3; }, kWait));
  EXPECT_EQ(bad->outcome, v6scope::v1::DNS_ERROR);
  EXPECT_THAT(bad->error_detail, Not(IsEmpty()));
}

TEST_F(CaresResolverTest, CancelAllCompletesEachLookupOnceAsTimeout) {
  server_->SetDefaultReply(ScriptedReply::NeverAnswer());
  auto resolver = NewResolver();
  ASSERT_NE(resolver, nullptr);
  std::vector<DnsAnswer> answers;
  for (int i = 0; i < 3; ++i) {
    resolver->Resolve(absl::StrCat("c", i, ".test"), DnsType::kA,
                      [&](DnsAnswer a) { answers.push_back(std::move(a)); });
  }
  resolver->CancelAll();
  EXPECT_THAT(answers, IsEmpty());  // Not inline.
  EXPECT_EQ(resolver->in_flight(), 0u);
  ASSERT_TRUE(loop_->RunUntil([&] { return answers.size() == 3; }, kWait));
  for (const DnsAnswer& a : answers) {
    EXPECT_EQ(a.outcome, v6scope::v1::TIMEOUT);
    EXPECT_EQ(a.error_detail, "cancelled");
    EXPECT_EQ(a.rcode, -1);
  }
  // Nothing left behind: c-ares closed its sockets, no timers remain.
  EXPECT_TRUE(loop_->RunUntil([&] { return LoopIsIdle(); }, kWait));
  EXPECT_EQ(answers.size(), 3u);

  // The resolver still works afterwards.
  server_->SetReply("after.test", kDnsTypeA,
                    ScriptedReply::Records({Addr("192.0.2.4")}));
  EXPECT_EQ(Resolve(resolver.get(), "after.test", DnsType::kA).outcome,
            v6scope::v1::OK);
}

TEST_F(CaresResolverTest, DestroyWithLookupsInFlightCallsNothingAfter) {
  server_->SetReply(
      "late.test", kDnsTypeA,
      ScriptedReply::Delayed(absl::Milliseconds(500),
                             ScriptedReply::Records({Addr("192.0.2.5")})));
  server_->SetReply("drop.test", kDnsTypeA, ScriptedReply::NeverAnswer());
  server_->SetReply("tc.test", kDnsTypeA,
                    ScriptedReply::Truncated({Addr("192.0.2.6")}));
  auto resolver = NewResolver();
  ASSERT_NE(resolver, nullptr);
  int calls = 0;
  for (const char* name : {"late.test", "drop.test", "tc.test", "nx.test"}) {
    resolver->Resolve(name, DnsType::kA, [&](DnsAnswer) { ++calls; });
  }
  // Run until c-ares opened its TCP socket for the truncated answer, so
  // the resolver dies with UDP and TCP sockets open, one lookup whose
  // answer is still delayed and one that will never be answered.
  ASSERT_TRUE(
      loop_->RunUntil([&] { return loop_->watched_fds() >= 2; }, kWait));
  ASSERT_GE(resolver->in_flight(), 2u);
  const int calls_before = calls;
  resolver.reset();
  EXPECT_TRUE(LoopIsIdle()) << loop_->watched_fds() << " fds, "
                            << loop_->pending_timers() << " timers";
  // Drain anything posted; still nothing may run.
  bool drained = false;
  loop_->Post([&] { drained = true; });
  ASSERT_TRUE(loop_->RunUntil([&] { return drained; }, kWait));
  EXPECT_EQ(calls, calls_before);
}

TEST_F(CaresResolverTest, DestroyFromInsideDoneDropsTheRest) {
  auto resolver = NewResolver();
  ASSERT_NE(resolver, nullptr);
  int calls = 0;
  resolver->Resolve("one.test", DnsType::kA, [&](DnsAnswer) {
    ++calls;
    resolver.reset();
  });
  resolver->Resolve("two.test", DnsType::kA, [&](DnsAnswer) { ++calls; });
  // Decides both now: their deliveries share one batch.
  resolver->CancelAll();
  ASSERT_TRUE(loop_->RunUntil([&] { return calls > 0; }, kWait));
  EXPECT_EQ(resolver, nullptr);
  bool drained = false;
  loop_->Post([&] { drained = true; });
  ASSERT_TRUE(loop_->RunUntil([&] { return drained; }, kWait));
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(LoopIsIdle());
}

TEST_F(CaresResolverTest, ResolveFromInsideDone) {
  server_->SetReply("first.test", kDnsTypeA,
                    ScriptedReply::Records({Addr("192.0.2.1")}));
  server_->SetReply("second.test", kDnsTypeAAAA,
                    ScriptedReply::Records({Addr("2001:db8::2")}));
  auto resolver = NewResolver();
  ASSERT_NE(resolver, nullptr);
  std::optional<DnsAnswer> second;
  resolver->Resolve("first.test", DnsType::kA, [&](DnsAnswer) {
    resolver->Resolve("second.test", DnsType::kAAAA,
                      [&](DnsAnswer a) { second = std::move(a); });
  });
  ASSERT_TRUE(loop_->RunUntil([&] { return second.has_value(); }, kWait));
  EXPECT_EQ(second->outcome, v6scope::v1::OK);
}

TEST(CaresResolverRcodeTest, Names) {
  EXPECT_EQ(CaresResolver::RcodeName(0), "NOERROR");
  EXPECT_EQ(CaresResolver::RcodeName(2), "SERVFAIL");
  EXPECT_EQ(CaresResolver::RcodeName(3), "NXDOMAIN");
  EXPECT_EQ(CaresResolver::RcodeName(5), "REFUSED");
  EXPECT_EQ(CaresResolver::RcodeName(10), "NOTZONE");
  EXPECT_EQ(CaresResolver::RcodeName(-1), "NONE");
  EXPECT_EQ(CaresResolver::RcodeName(11), "RCODE11");
}

}  // namespace
}  // namespace v6scope::probe::dns
