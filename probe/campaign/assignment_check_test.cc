#include "probe/campaign/assignment_check.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace v6scope::probe::campaign {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

v6scope::v1::Assignment Good() {
  v6scope::v1::Assignment a;
  a.set_assignment_id("a-0123456789abcdef");
  a.set_campaign_id("c-0badcafe");
  a.set_round(1);
  for (const char* name : {"example.gov", "www2.city-hall.example"}) {
    v6scope::v1::AssignedDomain* d = a.add_domains();
    d->set_name(name);
    d->set_sector("government");
  }
  a.mutable_budget()->set_domains_per_day(500);
  a.mutable_budget()->set_bytes_per_day(50 << 20);
  a.mutable_budget()->set_concurrency(4);
  a.mutable_expires_at()->set_seconds(absl::ToUnixSeconds(kNow) + 86400);
  return a;
}

std::string Reason(const v6scope::v1::Assignment& a) {
  absl::Status s = CheckAssignment(a, kNow);
  return s.ok() ? "OK" : std::string(s.message());
}

TEST(AssignmentCheckTest, AGoodOneIsTaken) { EXPECT_EQ(Reason(Good()), "OK"); }

TEST(AssignmentCheckTest, MalformedIds) {
  v6scope::v1::Assignment a = Good();
  a.set_assignment_id("a-../../etc");
  EXPECT_EQ(Reason(a),
            "assignment_id \"a-../../etc\" is not \"a-\" and 16 hex digits");
  a = Good();
  a.set_campaign_id("c-1");
  EXPECT_EQ(Reason(a), "campaign_id \"c-1\" is not \"c-\" and 8 hex digits");
}

TEST(AssignmentCheckTest, InvalidHostNameNamesTheIndex) {
  v6scope::v1::Assignment a = Good();
  for (int i = 0; i < 2; ++i) a.add_domains()->set_name("ok.example");
  a.mutable_domains(3)->set_name("a..b");
  EXPECT_EQ(Reason(a), "domains[3]: \"a..b\" is not a host name");
  a.mutable_domains(3)->set_name("bad\nname.example");
  EXPECT_EQ(Reason(a),
            "domains[3]: \"bad\\x0aname.example\" is not a host name");
  a.mutable_domains(3)->set_name("ok.example");
  a.mutable_domains(3)->set_sector("bank");
  EXPECT_EQ(Reason(a), "domains[3]: \"bank\" is not a sector name");
}

TEST(AssignmentCheckTest, TooManyOrNoDomains) {
  v6scope::v1::Assignment a = Good();
  while (a.domains_size() <= 1000) a.add_domains()->set_name("x.example");
  EXPECT_EQ(Reason(a), "1001 domains, more than 1000");
  a.clear_domains();
  EXPECT_EQ(Reason(a), "no domains");
}

TEST(AssignmentCheckTest, BudgetOutOfRange) {
  v6scope::v1::Assignment a = Good();
  a.mutable_budget()->set_concurrency(65);
  EXPECT_EQ(Reason(a), "budget.concurrency 65 outside 1..64");
  a = Good();
  a.mutable_budget()->set_domains_per_day(0);
  EXPECT_EQ(Reason(a), "budget.domains_per_day 0 outside 1..1000000");
  a = Good();
  a.mutable_budget()->set_bytes_per_day(1000);
  EXPECT_EQ(Reason(a), "budget.bytes_per_day 1000 outside 1 MiB..100 GiB");
}

TEST(AssignmentCheckTest, Expired) {
  v6scope::v1::Assignment a = Good();
  a.mutable_expires_at()->set_seconds(absl::ToUnixSeconds(kNow));
  EXPECT_EQ(Reason(a), "already expired (2027-01-15T08:00:00+00:00)");
  a.clear_expires_at();
  EXPECT_EQ(Reason(a), "expires_at missing or invalid");
}

TEST(AssignmentCheckTest, ReasonsAreOnePrintableLineOfAtMost255Bytes) {
  v6scope::v1::Assignment a = Good();
  a.set_assignment_id(std::string(1000, '\x01'));
  absl::Status s = CheckAssignment(a, kNow);
  ASSERT_FALSE(s.ok());
  EXPECT_LE(s.message().size(), 255u);
  for (char c : s.message()) EXPECT_TRUE(c >= 0x20 && c <= 0x7e);
  EXPECT_EQ(RefusalLine(std::string(300, 'x')).size(), 255u);
}

TEST(AssignmentCheckTest, HostNames) {
  EXPECT_TRUE(IsHostName("example.gov"));
  EXPECT_TRUE(IsHostName("_dmarc.example"));
  EXPECT_FALSE(IsHostName(""));
  EXPECT_FALSE(IsHostName("example.gov."));
  EXPECT_FALSE(IsHostName("-a.example"));
  EXPECT_FALSE(IsHostName(std::string(64, 'a') + ".example"));
  EXPECT_FALSE(IsHostName("a b.example"));
}

}  // namespace
}  // namespace v6scope::probe::campaign
