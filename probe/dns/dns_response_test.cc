#include "probe/dns/dns_response.h"

#include <ares.h>

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace v6scope::probe::dns {
namespace {

// A response to one question (example.test, `qtype`, IN) with `answers`
// of the same type, each `rdata`.
std::string Response(uint16_t qtype, const std::string& rdata, int answers,
                     uint8_t rcode = 0) {
  std::string m = {0x12, 0x34, char(0x81), char(0x80 | rcode),
                   0,    1,    0,          char(answers),
                   0,    0,    0,          0};
  m += std::string(
           "\x07"
           "example"
           "\x04"
           "test",
           13) +
       '\0';
  m += {char(qtype >> 8), char(qtype & 0xff), 0, 1};
  for (int i = 0; i < answers; ++i) {
    m +=
        {char(0xc0), 0x0c, char(qtype >> 8),  char(qtype & 0xff), 0, 1, 0, 0, 1,
         0x2c,       0,    char(rdata.size())};
    m += rdata;
  }
  return m;
}

DnsAnswer Answer(DnsType type, int status, const std::string& wire) {
  return AnswerFromResponse(type, status,
                            reinterpret_cast<const unsigned char*>(wire.data()),
                            static_cast<int>(wire.size()));
}

TEST(DnsResponseTest, AddressesOfTheAskedType) {
  const DnsAnswer a =
      Answer(DnsType::kA, ARES_SUCCESS,
             Response(1, std::string("\xc0\x00\x02\x01", 4), 2));
  EXPECT_EQ(a.outcome, v6scope::v1::OK);
  EXPECT_EQ(a.rcode, 0);
  ASSERT_EQ(a.addresses.size(), 2u);
  EXPECT_EQ(a.addresses[0].ToString(), "192.0.2.1");
}

TEST(DnsResponseTest, NoAnswersIsNodata) {
  const DnsAnswer a = Answer(DnsType::kAAAA, ARES_SUCCESS, Response(28, "", 0));
  EXPECT_EQ(a.outcome, v6scope::v1::DNS_NODATA);
  EXPECT_TRUE(a.addresses.empty());
}

TEST(DnsResponseTest, GarbageIsAnErrorAndStatusesMapToOutcomes) {
  EXPECT_EQ(Answer(DnsType::kA, ARES_SUCCESS, "\x12\x34\x81").outcome,
            v6scope::v1::DNS_ERROR);
  EXPECT_EQ(AnswerFromResponse(DnsType::kA, ARES_SUCCESS, nullptr, 0).outcome,
            v6scope::v1::DNS_ERROR);
  const DnsAnswer nx =
      Answer(DnsType::kA, ARES_ENOTFOUND, Response(1, "", 0, /*rcode=*/3));
  EXPECT_EQ(nx.outcome, v6scope::v1::DNS_NXDOMAIN);
  EXPECT_EQ(nx.rcode, 3);
  EXPECT_EQ(AnswerFromResponse(DnsType::kA, ARES_ETIMEOUT, nullptr, 0).outcome,
            v6scope::v1::TIMEOUT);
}

}  // namespace
}  // namespace v6scope::probe::dns
