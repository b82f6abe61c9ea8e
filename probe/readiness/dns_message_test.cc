#include "probe/readiness/dns_message.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace v6scope::probe::readiness {
namespace {

void U16(std::string* out, uint16_t v) {
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xff));
}

std::string Name(const std::string& dotted) {
  std::string out;
  size_t start = 0;
  while (start < dotted.size()) {
    size_t dot = dotted.find('.', start);
    if (dot == std::string::npos) dot = dotted.size();
    out.push_back(static_cast<char>(dot - start));
    out += dotted.substr(start, dot - start);
    start = dot + 1;
  }
  out.push_back('\0');
  return out;
}

// A hand-built response: header, the question, then `answers` (each an
// encoded owner followed by type, class, TTL, RDATA).
class Response {
 public:
  Response(uint16_t id, uint16_t flags, const std::string& qname,
           uint16_t qtype)
      : id_(id), flags_(flags) {
    question_ = Name(qname);
    U16(&question_, qtype);
    U16(&question_, 1);
  }
  Response& Add(const std::string& owner_wire, uint16_t type,
                const std::string& rdata) {
    std::string rr = owner_wire;
    U16(&rr, type);
    U16(&rr, 1);
    rr += std::string("\0\0\x01\x2c", 4);
    U16(&rr, static_cast<uint16_t>(rdata.size()));
    rr += rdata;
    answers_ += rr;
    ++count_;
    return *this;
  }
  std::string Wire() const {
    std::string out;
    U16(&out, id_);
    U16(&out, flags_);
    U16(&out, 1);
    U16(&out, count_);
    U16(&out, 0);
    U16(&out, 0);
    return out + question_ + answers_;
  }

 private:
  uint16_t id_, flags_;
  std::string question_, answers_;
  uint16_t count_ = 0;
};

const std::string kQuestionPtr("\xc0\x0c", 2);  // Points at the question.

TEST(EncodeQueryTest, HeaderQuestionAndOpt) {
  absl::StatusOr<std::string> q =
      EncodeQuery(0x1234, "WWW.Example.Test.", kTypeAaaa, true);
  ASSERT_TRUE(q.ok()) << q.status();
  EXPECT_EQ(q->substr(0, 4), std::string("\x12\x34\x01\x00", 4));  // RD.
  EXPECT_EQ(q->substr(12, 18), Name("www.example.test"));
  EXPECT_EQ(q->substr(30, 4), std::string("\x00\x1c\x00\x01", 4));
  EXPECT_EQ(q->size(), 34u + 11u);  // Plus the OPT record.
  absl::StatusOr<std::string> nr =
      EncodeQuery(1, "example.test", kTypeSoa, false);
  ASSERT_TRUE(nr.ok());
  EXPECT_EQ((*nr)[2], '\0');  // RD clear for a name server.
}

TEST(EncodeQueryTest, RejectsBadNames) {
  EXPECT_FALSE(EncodeQuery(1, "", kTypeA, true).ok());
  EXPECT_FALSE(EncodeQuery(1, "a..test", kTypeA, true).ok());
  EXPECT_FALSE(
      EncodeQuery(1, std::string(64, 'a') + ".test", kTypeA, true).ok());
  EXPECT_FALSE(EncodeQuery(1, std::string(254, 'a'), kTypeA, true).ok());
}

TEST(ParseResponseTest, FollowsTheCnameChain) {
  Response r(7, 0x8180, "www.example.test", kTypeA);
  r.Add(kQuestionPtr, kTypeCname, Name("cdn.example.test"))
      .Add(Name("cdn.example.test"), kTypeCname, Name("edge.cdn.test"))
      .Add(Name("edge.cdn.test"), kTypeA, std::string("\x0b\x00\x00\x01", 4))
      .Add(Name("other.test"), kTypeA, std::string("\x0b\x00\x00\x02", 4));
  absl::StatusOr<DnsResponse> p =
      ParseResponse(r.Wire(), "WWW.example.test.", kTypeA);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->id, 7);
  EXPECT_EQ(p->rcode, 0);
  EXPECT_FALSE(p->authoritative);
  EXPECT_EQ(p->cname_chain,
            (std::vector<std::string>{"cdn.example.test", "edge.cdn.test"}));
  ASSERT_EQ(p->addresses.size(), 1u);  // Not the unrelated owner's.
  EXPECT_EQ(p->addresses[0].ToString(), "11.0.0.1");
}

TEST(ParseResponseTest, CnameLoopIsCut) {
  Response r(1, 0x8180, "a.test", kTypeAaaa);
  r.Add(Name("a.test"), kTypeCname, Name("b.test"))
      .Add(Name("b.test"), kTypeCname, Name("a.test"));
  absl::StatusOr<DnsResponse> p = ParseResponse(r.Wire(), "a.test", kTypeAaaa);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->cname_chain.size(), kMaxCnameChain);
  EXPECT_TRUE(p->addresses.empty());
}

TEST(ParseResponseTest, NameServersMailAndSoa) {
  Response ns(2, 0x8180, "example.test", kTypeNs);
  ns.Add(kQuestionPtr, kTypeNs, Name("ns1.example.test"))
      .Add(kQuestionPtr, kTypeNs, Name("ns2.dns.test"));
  absl::StatusOr<DnsResponse> p =
      ParseResponse(ns.Wire(), "example.test", kTypeNs);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->name_servers,
            (std::vector<std::string>{"ns1.example.test", "ns2.dns.test"}));

  Response mx(3, 0x8180, "example.test", kTypeMx);
  mx.Add(kQuestionPtr, kTypeMx,
         std::string("\x00\x0a", 2) + Name("mx.example.test"));
  p = ParseResponse(mx.Wire(), "example.test", kTypeMx);
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->mail_hosts.size(), 1u);
  EXPECT_EQ(p->mail_hosts[0].preference, 10);
  EXPECT_EQ(p->mail_hosts[0].host, "mx.example.test");

  Response soa(4, 0x8400, "example.test", kTypeSoa);  // AA, no RA.
  soa.Add(kQuestionPtr, kTypeSoa,
          Name("ns1.example.test") + Name("admin.example.test") +
              std::string(20, '\0'));
  p = ParseResponse(soa.Wire(), "example.test", kTypeSoa);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->has_soa);
  EXPECT_TRUE(p->authoritative);
}

TEST(ParseResponseTest, RcodeAndTruncation) {
  Response nx(5, 0x8183, "gone.test", kTypeA);
  absl::StatusOr<DnsResponse> p = ParseResponse(nx.Wire(), "gone.test", kTypeA);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rcode, 3);
  Response tc(6, 0x8380, "big.test", kTypeA);
  p = ParseResponse(tc.Wire(), "big.test", kTypeA);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->truncated);
}

TEST(ParseResponseTest, RejectsMalformedAndForeign) {
  EXPECT_FALSE(ParseResponse("short", "a.test", kTypeA).ok());
  Response query(1, 0x0100, "a.test", kTypeA);  // QR clear.
  EXPECT_FALSE(ParseResponse(query.Wire(), "a.test", kTypeA).ok());
  Response other(1, 0x8180, "b.test", kTypeA);
  EXPECT_FALSE(ParseResponse(other.Wire(), "a.test", kTypeA).ok());
  EXPECT_FALSE(ParseResponse(other.Wire(), "b.test", kTypeAaaa).ok());
  Response cut(1, 0x8180, "a.test", kTypeA);
  cut.Add(kQuestionPtr, kTypeA, std::string("\x0b\x00\x00\x01", 4));
  std::string wire = cut.Wire();
  wire.resize(wire.size() - 2);  // RDATA past the end.
  EXPECT_FALSE(ParseResponse(wire, "a.test", kTypeA).ok());
  std::string loop = Response(1, 0x8180, "a.test", kTypeA)
                         .Add(std::string("\xc0\x18", 2), kTypeA, "")
                         .Wire();  // The owner points at itself.
  EXPECT_FALSE(ParseResponse(loop, "a.test", kTypeA).ok());
}

}  // namespace
}  // namespace v6scope::probe::readiness
