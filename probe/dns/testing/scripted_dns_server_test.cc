// Checks the fake's wire format with a hand-written client, independent of
// c-ares, so resolver tests can trust what the fake sends.
#include "probe/dns/testing/scripted_dns_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::probe::dns::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

net::IpAddress Addr(const std::string& literal) {
  return *net::IpAddress::Parse(literal);
}

uint16_t U16(const std::string& s, size_t pos) {
  return static_cast<uint16_t>((static_cast<uint8_t>(s[pos]) << 8) |
                               static_cast<uint8_t>(s[pos + 1]));
}

uint32_t U32(const std::string& s, size_t pos) {
  return (static_cast<uint32_t>(U16(s, pos)) << 16) | U16(s, pos + 2);
}

std::string Query(uint16_t id, const std::string& name, uint16_t qtype,
                  uint16_t qdcount = 1) {
  std::string q;
  q += static_cast<char>(id >> 8);
  q += static_cast<char>(id & 0xff);
  q += '\x01';  // RD.
  q += '\x00';
  q += '\x00';
  q += static_cast<char>(qdcount);
  q += std::string(6, '\0');
  for (absl::string_view label : absl::StrSplit(name, '.', absl::SkipEmpty())) {
    q += static_cast<char>(label.size());
    q.append(label.data(), label.size());
  }
  q += '\0';
  q += static_cast<char>(qtype >> 8);
  q += static_cast<char>(qtype & 0xff);
  q += std::string("\x00\x01", 2);
  return q;
}

// A decoded response: header fields and the answer section's addresses.
struct Response {
  uint16_t id = 0;
  bool qr = false, aa = false, tc = false, rd = false, ra = false;
  int rcode = -1;
  uint16_t qdcount = 0, ancount = 0, nscount = 0;
  std::string question;
  std::vector<std::string> addresses;
  std::vector<uint32_t> ttls;
  std::vector<uint16_t> answer_name_pointers;
  std::string soa_owner;  // Dotted, "." for the root.
};

// Reads a (possibly compressed) name at `pos`; advances `pos` past it.
std::string ReadName(const std::string& msg, size_t* pos) {
  std::string out;
  size_t p = *pos;
  bool jumped = false;
  while (p < msg.size()) {
    const uint8_t len = static_cast<uint8_t>(msg[p]);
    if (len == 0) {
      if (!jumped) *pos = p + 1;
      break;
    }
    if ((len & 0xc0) == 0xc0) {
      if (!jumped) *pos = p + 2;
      jumped = true;
      p = U16(msg, p) & 0x3fff;
      continue;
    }
    if (!out.empty()) out += '.';
    out += msg.substr(p + 1, len);
    p += 1 + len;
  }
  return out.empty() ? "." : out;
}

Response Decode(const std::string& msg) {
  Response r;
  if (msg.size() < 12) return r;
  r.id = U16(msg, 0);
  const uint8_t f1 = static_cast<uint8_t>(msg[2]);
  const uint8_t f2 = static_cast<uint8_t>(msg[3]);
  r.qr = f1 & 0x80;
  r.aa = f1 & 0x04;
  r.tc = f1 & 0x02;
  r.rd = f1 & 0x01;
  r.ra = f2 & 0x80;
  r.rcode = f2 & 0x0f;
  r.qdcount = U16(msg, 4);
  r.ancount = U16(msg, 6);
  r.nscount = U16(msg, 8);
  size_t pos = 12;
  if (r.qdcount == 1) {
    ReadName(msg, &pos);
    pos += 4;
    r.question = msg.substr(12, pos - 12);
  }
  for (int i = 0; i < r.ancount + r.nscount; ++i) {
    const bool answer = i < r.ancount;
    if (answer) r.answer_name_pointers.push_back(U16(msg, pos));
    std::string owner = ReadName(msg, &pos);
    const uint16_t type = U16(msg, pos);
    const uint32_t ttl = U32(msg, pos + 4);
    const uint16_t rdlen = U16(msg, pos + 8);
    pos += 10;
    if (answer && (type == 1 || type == 28)) {
      char text[INET6_ADDRSTRLEN];
      inet_ntop(type == 1 ? AF_INET : AF_INET6, msg.data() + pos, text,
                sizeof(text));
      r.addresses.push_back(text);
      r.ttls.push_back(ttl);
    }
    if (!answer && type == 6) r.soa_owner = owner;
    pos += rdlen;
  }
  return r;
}

bool WaitReadable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, timeout_ms) == 1;
}

sockaddr_in Loopback(int port) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(static_cast<uint16_t>(port));
  sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return sin;
}

// Sends `query` over UDP; the reply, or nullopt if none within the wait.
std::optional<std::string> Udp(int port, const std::string& query,
                               int wait_ms = 5000) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in to = Loopback(port);
  sendto(fd, query.data(), query.size(), 0, reinterpret_cast<sockaddr*>(&to),
         sizeof(to));
  std::optional<std::string> reply;
  if (WaitReadable(fd, wait_ms)) {
    std::string buf(65535, '\0');
    const ssize_t n = recv(fd, buf.data(), buf.size(), 0);
    if (n >= 0) reply = buf.substr(0, static_cast<size_t>(n));
  }
  close(fd);
  return reply;
}

bool ReadExactly(int fd, size_t n, std::string* out) {
  while (out->size() < n) {
    if (!WaitReadable(fd, 5000)) return false;
    char buf[4096];
    const ssize_t got =
        recv(fd, buf, std::min(sizeof(buf), n - out->size()), 0);
    if (got <= 0) return false;
    out->append(buf, static_cast<size_t>(got));
  }
  return true;
}

std::optional<std::string> Tcp(int port, const std::string& query) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in to = Loopback(port);
  std::optional<std::string> reply;
  if (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)) == 0) {
    std::string framed;
    framed += static_cast<char>(query.size() >> 8);
    framed += static_cast<char>(query.size() & 0xff);
    framed += query;
    std::string len, body;
    if (send(fd, framed.data(), framed.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(framed.size()) &&
        ReadExactly(fd, 2, &len) && ReadExactly(fd, U16(len, 0), &body)) {
      reply = body;
    }
  }
  close(fd);
  return reply;
}

std::unique_ptr<ScriptedDnsServer> StartServer() {
  auto server = ScriptedDnsServer::Start();
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? std::move(*server) : nullptr;
}

TEST(ScriptedDnsServerTest, AnswersARecordsOverUdp) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  server->SetReply(
      "www.Example.test", kDnsTypeA,
      ScriptedReply::Records(
          {Addr("192.0.2.1"), Addr("192.0.2.2"), Addr("2001:db8::1")}, 123));
  const std::string query = Query(0x1234, "WWW.example.TEST.", kDnsTypeA);
  std::optional<std::string> reply = Udp(server->port(), query);
  ASSERT_TRUE(reply.has_value());
  Response r = Decode(*reply);
  EXPECT_EQ(r.id, 0x1234);
  EXPECT_TRUE(r.qr && r.aa && r.rd && r.ra);
  EXPECT_FALSE(r.tc);
  EXPECT_EQ(r.rcode, 0);
  EXPECT_EQ(r.qdcount, 1);
  EXPECT_EQ(r.question, query.substr(12));  // Echoed, case preserved.
  EXPECT_THAT(r.addresses, ElementsAre("192.0.2.1", "192.0.2.2"));
  EXPECT_THAT(r.ttls, ElementsAre(123u, 123u));
  EXPECT_THAT(r.answer_name_pointers, ElementsAre(0xc00c, 0xc00c));
  EXPECT_EQ(
      server->QueryCount("www.example.test", kDnsTypeA, DnsTransport::kUdp), 1);
  EXPECT_EQ(
      server->QueryCount("www.example.test", kDnsTypeA, DnsTransport::kTcp), 0);
}

TEST(ScriptedDnsServerTest, AnswersAaaaOverTcp) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  server->SetAddresses("v6.test", {Addr("2001:db8::5"), Addr("192.0.2.5")});
  std::optional<std::string> reply =
      Tcp(server->port(), Query(7, "v6.test", kDnsTypeAAAA));
  ASSERT_TRUE(reply.has_value());
  Response r = Decode(*reply);
  EXPECT_EQ(r.rcode, 0);
  EXPECT_THAT(r.addresses, ElementsAre("2001:db8::5"));
  EXPECT_EQ(server->QueryCount("v6.test", kDnsTypeAAAA, DnsTransport::kTcp), 1);
}

TEST(ScriptedDnsServerTest, NegativeAnswersCarrySoaOfTheParent) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  server->SetReply("nodata.zone.test", kDnsTypeAAAA, ScriptedReply::NoData());
  Response nodata =
      Decode(*Udp(server->port(), Query(1, "nodata.zone.test", kDnsTypeAAAA)));
  EXPECT_EQ(nodata.rcode, 0);
  EXPECT_EQ(nodata.ancount, 0);
  EXPECT_EQ(nodata.nscount, 1);
  EXPECT_EQ(nodata.soa_owner, "zone.test");

  // Unscripted: NXDOMAIN by default.
  Response nx = Decode(*Udp(server->port(), Query(2, "nx.test", kDnsTypeA)));
  EXPECT_EQ(nx.rcode, 3);
  EXPECT_EQ(nx.ancount, 0);
  EXPECT_EQ(nx.nscount, 1);
  EXPECT_EQ(nx.soa_owner, "test");

  Response single =
      Decode(*Udp(server->port(), Query(3, "localdomain", kDnsTypeA)));
  EXPECT_EQ(single.soa_owner, ".");
}

TEST(ScriptedDnsServerTest, ServfailRefusedAndDefaultReply) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  server->SetReply("sf.test", kDnsTypeA, ScriptedReply::ServFail());
  server->SetReply("ref.test", kDnsTypeA, ScriptedReply::Refused());
  EXPECT_EQ(Decode(*Udp(server->port(), Query(1, "sf.test", kDnsTypeA))).rcode,
            2);
  EXPECT_EQ(Decode(*Udp(server->port(), Query(2, "ref.test", kDnsTypeA))).rcode,
            5);
  server->SetDefaultReply(ScriptedReply::Refused());
  EXPECT_EQ(
      Decode(*Udp(server->port(), Query(3, "other.test", kDnsTypeA))).rcode, 5);
}

TEST(ScriptedDnsServerTest, TruncatedOverUdpRecordsOverTcp) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  server->SetReply("tc.test", kDnsTypeA,
                   ScriptedReply::Truncated({Addr("192.0.2.9")}));
  Response udp = Decode(*Udp(server->port(), Query(1, "tc.test", kDnsTypeA)));
  EXPECT_TRUE(udp.tc);
  EXPECT_EQ(udp.ancount, 0);
  Response tcp = Decode(*Tcp(server->port(), Query(2, "tc.test", kDnsTypeA)));
  EXPECT_FALSE(tcp.tc);
  EXPECT_THAT(tcp.addresses, ElementsAre("192.0.2.9"));
  EXPECT_EQ(server->QueryCount("tc.test", kDnsTypeA, DnsTransport::kUdp), 1);
  EXPECT_EQ(server->QueryCount("tc.test", kDnsTypeA, DnsTransport::kTcp), 1);
}

TEST(ScriptedDnsServerTest, OversizedUdpAnswerIsTruncated) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  std::vector<net::IpAddress> many;
  for (int i = 1; i <= 40; ++i) {
    many.push_back(Addr("192.0.2." + std::to_string(i)));
  }
  server->SetReply("big.test", kDnsTypeA, ScriptedReply::Records(many));
  std::string udp_bytes = *Udp(server->port(), Query(1, "big.test", kDnsTypeA));
  EXPECT_LE(udp_bytes.size(), 512u);
  EXPECT_TRUE(Decode(udp_bytes).tc);
  EXPECT_EQ(Decode(*Tcp(server->port(), Query(2, "big.test", kDnsTypeA)))
                .addresses.size(),
            40u);
}

TEST(ScriptedDnsServerTest, NeverAnswerDropsButCounts) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  server->SetReply("drop.test", kDnsTypeA, ScriptedReply::NeverAnswer());
  EXPECT_FALSE(
      Udp(server->port(), Query(1, "drop.test", kDnsTypeA), 200).has_value());
  EXPECT_EQ(server->QueryCount("drop.test", kDnsTypeA, DnsTransport::kUdp), 1);
}

TEST(ScriptedDnsServerTest, DelayedReplyDoesNotBlockOthers) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  server->SetReply(
      "slow.test", kDnsTypeA,
      ScriptedReply::Delayed(absl::Milliseconds(300),
                             ScriptedReply::Records({Addr("192.0.2.1")})));
  server->SetReply("fast.test", kDnsTypeA,
                   ScriptedReply::Records({Addr("192.0.2.2")}));
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in to = Loopback(server->port());
  const absl::Time start = absl::Now();
  for (const std::string& q :
       {Query(1, "slow.test", kDnsTypeA), Query(2, "fast.test", kDnsTypeA)}) {
    sendto(fd, q.data(), q.size(), 0, reinterpret_cast<sockaddr*>(&to),
           sizeof(to));
  }
  std::vector<uint16_t> order;
  std::string buf(65535, '\0');
  while (order.size() < 2 && WaitReadable(fd, 5000)) {
    const ssize_t n = recv(fd, buf.data(), buf.size(), 0);
    ASSERT_GT(n, 0);
    order.push_back(Decode(buf.substr(0, static_cast<size_t>(n))).id);
  }
  close(fd);
  EXPECT_THAT(order, ElementsAre(2, 1));
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(300));
}

TEST(ScriptedDnsServerTest, MalformedQueries) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  // Too short for a header: dropped.
  EXPECT_FALSE(Udp(server->port(), "abc", 200).has_value());
  // Two questions: FORMERR, header only.
  Response formerr =
      Decode(*Udp(server->port(), Query(9, "a.test", kDnsTypeA, 2)));
  EXPECT_EQ(formerr.id, 9);
  EXPECT_EQ(formerr.rcode, 1);
  EXPECT_EQ(formerr.qdcount, 0);
  EXPECT_EQ(server->TotalQueryCount(), 2);
}

TEST(ScriptedDnsServerTest, SetAddressesGivesNoDataForMissingFamily) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  server->SetAddresses("v4only.test", {Addr("192.0.2.7")});
  Response a = Decode(*Udp(server->port(), Query(1, "v4only.test", 1)));
  EXPECT_THAT(a.addresses, ElementsAre("192.0.2.7"));
  Response aaaa = Decode(*Udp(server->port(), Query(2, "v4only.test", 28)));
  EXPECT_EQ(aaaa.rcode, 0);
  EXPECT_THAT(aaaa.addresses, IsEmpty());
  EXPECT_EQ(aaaa.nscount, 1);
}

TEST(ScriptedDnsServerTest, ListensOnIpv6LoopbackToo) {
  ScriptedDnsServer::Options options;
  options.listen_ipv6 = true;
  auto server = ScriptedDnsServer::Start(options);
  if (!server.ok()) {
    GTEST_SKIP() << "no IPv6 loopback here: " << server.status();
  }
  EXPECT_EQ((*server)->address_v6(),
            "[::1]:" + std::to_string((*server)->port()));
  (*server)->SetReply("six.test", kDnsTypeA,
                      ScriptedReply::Records({Addr("192.0.2.6")}));
  const int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in6 to{};
  to.sin6_family = AF_INET6;
  to.sin6_port = htons(static_cast<uint16_t>((*server)->port()));
  to.sin6_addr = in6addr_loopback;
  const std::string q = Query(1, "six.test", kDnsTypeA);
  sendto(fd, q.data(), q.size(), 0, reinterpret_cast<sockaddr*>(&to),
         sizeof(to));
  ASSERT_TRUE(WaitReadable(fd, 5000));
  std::string buf(65535, '\0');
  const ssize_t n = recv(fd, buf.data(), buf.size(), 0);
  close(fd);
  ASSERT_GT(n, 0);
  EXPECT_THAT(Decode(buf.substr(0, static_cast<size_t>(n))).addresses,
              ElementsAre("192.0.2.6"));
}

TEST(ScriptedDnsServerTest, StopIsIdempotentAndStopsAnswering) {
  auto server = StartServer();
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->address(), "127.0.0.1:" + std::to_string(server->port()));
  server->Stop();
  server->Stop();
  EXPECT_FALSE(
      Udp(server->port(), Query(1, "a.test", kDnsTypeA), 200).has_value());
}

}  // namespace
}  // namespace v6scope::probe::dns::testing
