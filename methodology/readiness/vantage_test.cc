// Tests of readiness 1 for the checks the readiness bed's truth table
// decides (tests/readiness/cases.py: a lame delegation, an undelegated
// name, an MX host without any address, a site down over both families)
// and for the IPv6-only + NAT64 vantage (docs/methodology.md §13.1 A2,
// §13.7): synthesized AAAA are no AAAA, and IPv4 reached through NAT64 is
// still the IPv4 control, so each domain gets the same verdict as from a
// dual-stack vantage.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "methodology/readiness/readiness.h"
#include "methodology/readiness/testing/domain_builder.h"
#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::readiness {
namespace {

using testing::DomainBuilder;
using testing::FetchBuilder;
using testing::kHttpsUrl;
using testing::kHttpUrl;
using testing::kMx;
using testing::kMxV4;
using testing::kMxV6;
using testing::kNs1;
using testing::kNs1V4;
using testing::kNs1V6;
using testing::kNs2;
using testing::kNs2V4;
using testing::kWwwV4;
using testing::kWwwV6;

constexpr char kPrefix[] = "64:ff9b::/96";
// kWwwV4 (192.0.2.80), kNs1V4 (192.0.2.53), kNs2V4 (198.51.100.53) and
// kMxV4 (192.0.2.25) mapped into kPrefix.
constexpr char kWwwMapped[] = "64:ff9b::c000:250";
constexpr char kNs1Mapped[] = "64:ff9b::c000:235";
constexpr char kNs2Mapped[] = "64:ff9b::c633:6435";
constexpr char kMxMapped[] = "64:ff9b::c000:219";

std::string Text(const v1::ReadinessVerdict& v, int i) {
  return v.explanations(i).text();
}

// The domain's names all fail to resolve (SERVFAIL), as through a resolver
// when every name server refuses the zone.
DomainBuilder Lame() {
  DomainBuilder b;
  b.NameServers(v1::DNS_SERVFAIL).MailSet(v1::DNS_SERVFAIL);
  b.NoFetches(v1::IPV4).NoFetches(v1::IPV6);
  b.Www({}, {}).Apex({}, {});
  return b;
}

// --- the bed's cases ------------------------------------------------------

TEST(BedCasesTest, LameDelegationIsBrokenForEveryService) {
  v1::DomainCheck check = Lame().Build();
  for (v1::NameAddresses* n : {check.mutable_www(), check.mutable_apex()}) {
    n->set_a_outcome(v1::DNS_SERVFAIL);
    n->set_aaaa_outcome(v1::DNS_SERVFAIL);
  }
  const v1::ReadinessVerdict v = ComputeReadiness(check);
  EXPECT_EQ(v1::ServiceState_Name(v.web()), "BROKEN_V4") << Text(v, 0);
  EXPECT_EQ(v1::ServiceState_Name(v.dns()), "BROKEN_V4") << Text(v, 1);
  EXPECT_EQ(v1::ServiceState_Name(v.mail()), "BROKEN_V4") << Text(v, 2);
  EXPECT_TRUE(absl::StrContains(Text(v, 0), "do not resolve over IPv4"))
      << Text(v, 0);
  EXPECT_TRUE(absl::StrContains(Text(v, 1), "a lame delegation")) << Text(v, 1);
}

TEST(BedCasesTest, UndelegatedNameHasNoServiceAtAll) {
  v1::DomainCheck check = Lame().Build();
  check.set_ns_outcome(v1::DNS_NXDOMAIN);
  check.set_mx_outcome(v1::DNS_NXDOMAIN);
  for (v1::NameAddresses* n : {check.mutable_www(), check.mutable_apex()}) {
    n->set_a_outcome(v1::DNS_NXDOMAIN);
    n->set_aaaa_outcome(v1::DNS_NXDOMAIN);
  }
  const v1::ReadinessVerdict v = ComputeReadiness(check);
  EXPECT_EQ(v1::ServiceState_Name(v.web()), "NO_SERVICE") << Text(v, 0);
  EXPECT_EQ(v1::ServiceState_Name(v.dns()), "NO_SERVICE") << Text(v, 1);
  EXPECT_EQ(v1::ServiceState_Name(v.mail()), "NO_SERVICE") << Text(v, 2);
  EXPECT_TRUE(absl::StrContains(Text(v, 1), "not delegated")) << Text(v, 1);
}

TEST(BedCasesTest, NoWebHostThatResolvesIsNoService) {
  // no_web: the names resolve (NODATA / NXDOMAIN), without an address.
  v1::DomainCheck check = DomainBuilder().Www({}, {}).Apex({}, {}).Build();
  check.mutable_www()->set_a_outcome(v1::DNS_NXDOMAIN);
  check.clear_web();
  EXPECT_EQ(ComputeReadiness(check).web(), v1::NO_SERVICE);
}

TEST(BedCasesTest, MxHostWithoutAnyAddressIsBroken) {
  v1::DomainCheck check =
      DomainBuilder().MailSet(v1::OK).Mail(10, kMx, {}, {}).Build();
  check.mutable_mail(0)->mutable_host()->set_a_outcome(v1::DNS_NXDOMAIN);
  check.mutable_mail(0)->mutable_host()->set_aaaa_outcome(v1::DNS_NXDOMAIN);
  const v1::ReadinessVerdict v = ComputeReadiness(check);
  EXPECT_EQ(v1::ServiceState_Name(v.mail()), "BROKEN_V4") << Text(v, 2);
  EXPECT_TRUE(absl::StrContains(Text(v, 2), "10 mail.example.gov (no address)"))
      << Text(v, 2);
}

TEST(BedCasesTest, MxHostWithoutAnyAddressIsNotCountedAgainstIpv6) {
  const v1::ReadinessVerdict v =
      ComputeReadiness(DomainBuilder()
                           .MailSet(v1::OK)
                           .Mail(10, kMx, {kMxV4}, {kMxV6})
                           .Mail(20, "gone.example.net", {}, {})
                           .Build());
  EXPECT_EQ(v1::ServiceState_Name(v.mail()), "SERVING_V6") << Text(v, 2);
  EXPECT_TRUE(absl::StrContains(Text(v, 2), "without any address not counted"))
      << Text(v, 2);
}

TEST(BedCasesTest, SiteDownOverBothFamiliesIsBroken) {
  for (v1::Outcome o : {v1::TIMEOUT, v1::HTTP_STATUS}) {
    DomainBuilder b;
    for (v1::AddressFamily f : {v1::IPV4, v1::IPV6}) {
      for (const char* url : {kHttpsUrl, kHttpUrl}) {
        FetchBuilder fetch(url, f);
        if (o == v1::TIMEOUT) {
          fetch.Fail(v1::TIMEOUT);
        } else {
          fetch.Hop(url, 503, f == v1::IPV4 ? kWwwV4 : kWwwV6).Body();
        }
        b.Fetch(fetch.Build());
      }
    }
    EXPECT_EQ(ComputeReadiness(b.Build()).web(), v1::BROKEN_V4)
        << v1::Outcome_Name(o);
  }
}

// --- an IPv6-only vantage behind NAT64 -------------------------------------

// What a probe behind DNS64 + NAT64 records of the reference domain when
// the domain itself has no IPv6 anywhere: every AAAA is synthesized (moved
// to aaaa_synthesized), the IPv4 fetches and SOA questions went through
// NAT64 to the mapped addresses.
DomainBuilder V4OnlyDomainSeenThroughNat64() {
  DomainBuilder b;
  b.Www({kWwwV4}, {});
  b.NoFetches(v1::IPV6).NoFetches(v1::IPV4);
  for (const char* url : {kHttpsUrl, kHttpUrl}) {
    v1::WebFetch f = FetchBuilder(url, v1::IPV4)
                         .Hop(kHttpsUrl, 200, kWwwMapped)
                         .Body()
                         .Build();
    f.set_via_nat64(true);
    b.Fetch(f);
  }
  b.NameServers(v1::OK)
      .NameServer(kNs1, {kNs1V4}, {}, {{kNs1Mapped, v1::OK}})
      .NameServer(kNs2, {kNs2V4}, {}, {{kNs2Mapped, v1::OK}});
  b.MailSet(v1::OK).Mail(10, kMx, {kMxV4}, {});
  return b;
}

v1::DomainCheck Synthesized(v1::DomainCheck check) {
  check.set_nat64_prefix(kPrefix);
  check.mutable_www()->add_aaaa_synthesized(kWwwMapped);
  for (v1::NameServerCheck& ns : *check.mutable_name_servers()) {
    for (v1::AddressProbe& p : *ns.mutable_soa()) {
      p.set_family(v1::IPV4);  // Asked through NAT64: still IPv4.
      ns.mutable_host()->add_aaaa_synthesized(p.address());
    }
  }
  check.mutable_mail(0)->mutable_host()->add_aaaa_synthesized(kMxMapped);
  return check;
}

TEST(Nat64VantageTest, SynthesizedAaaaIsNoAaaa) {
  const v1::ReadinessVerdict v =
      ComputeReadiness(Synthesized(V4OnlyDomainSeenThroughNat64().Build()));
  EXPECT_EQ(v1::ServiceState_Name(v.web()), "NO_AAAA") << Text(v, 0);
  EXPECT_EQ(v1::ServiceState_Name(v.dns()), "NO_AAAA") << Text(v, 1);
  EXPECT_EQ(v1::ServiceState_Name(v.mail()), "NO_AAAA") << Text(v, 2);
  EXPECT_TRUE(absl::StrContains(Text(v, 0), "AAAA not counted: 64:ff9b::"))
      << Text(v, 0);
}

TEST(Nat64VantageTest, SameVerdictAsDualStackForAWorkingDomain) {
  // The reference domain, seen from behind NAT64: IPv4 fetches through
  // the mapped address, IPv6 fetches direct.
  DomainBuilder b;
  for (const char* url : {kHttpsUrl, kHttpUrl}) {
    v1::WebFetch f = FetchBuilder(url, v1::IPV4)
                         .Hop(kHttpsUrl, 200, kWwwMapped)
                         .Body()
                         .Build();
    f.set_via_nat64(true);
    b.Fetch(f);
  }
  v1::DomainCheck check = b.Build();
  check.set_nat64_prefix(kPrefix);
  const v1::ReadinessVerdict dual = ComputeReadiness(DomainBuilder().Build());
  const v1::ReadinessVerdict v6only = ComputeReadiness(check);
  EXPECT_EQ(v6only.web(), dual.web());
  EXPECT_EQ(v6only.dns(), dual.dns());
  EXPECT_EQ(v6only.mail(), dual.mail());
  EXPECT_TRUE(absl::StrContains(Text(v6only, 0),
                                "(200 from 64:ff9b::c000:250 through NAT64)"))
      << Text(v6only, 0);
}

TEST(Nat64VantageTest, IpV4ThroughNat64IsTheControlForADeadSite) {
  // down_dead: both families time out; the IPv4 half went through NAT64.
  DomainBuilder b;
  for (const char* url : {kHttpsUrl, kHttpUrl}) {
    for (v1::AddressFamily f : {v1::IPV4, v1::IPV6}) {
      v1::WebFetch fetch = FetchBuilder(url, f).Fail(v1::TIMEOUT).Build();
      fetch.set_via_nat64(f == v1::IPV4);
      b.Fetch(fetch);
    }
  }
  const v1::ReadinessVerdict v = ComputeReadiness(b.Build());
  EXPECT_EQ(v1::ServiceState_Name(v.web()), "BROKEN_V4") << Text(v, 0);
}

TEST(Nat64VantageTest, SoaThroughNat64CountsAsIpv4NotIpv6) {
  // A lame server asked through NAT64 fails over IPv4: the zone is broken,
  // not unreachable over IPv6, and the mapped address is no IPv6 answer.
  const v1::DomainCheck lame = DomainBuilder()
                                   .NameServers(v1::OK)
                                   .NameServer(kNs1, {kNs1V4}, {kNs1V6},
                                               {{kNs1Mapped, v1::DNS_REFUSED},
                                                {kNs1V6, v1::DNS_REFUSED}})
                                   .Build();
  v1::DomainCheck check = lame;
  check.mutable_name_servers(0)->mutable_soa(0)->set_family(v1::IPV4);
  EXPECT_EQ(v1::ServiceState_Name(ComputeReadiness(check).dns()), "BROKEN_V4");
  // A network-specific prefix (outside 64:ff9b::/96) asked as IPv4 is
  // still IPv4: it never makes a name server "serve over IPv6".
  check =
      DomainBuilder()
          .NameServers(v1::OK)
          .NameServer(kNs1, {kNs1V4}, {}, {{"2001:db8:64::c000:235", v1::OK}})
          .Build();
  check.mutable_name_servers(0)->mutable_soa(0)->set_family(v1::IPV4);
  check.mutable_name_servers(0)->mutable_host()->add_aaaa_synthesized(
      "2001:db8:64::c000:235");
  EXPECT_EQ(v1::ServiceState_Name(ComputeReadiness(check).dns()), "NO_AAAA");
}

}  // namespace
}  // namespace v6scope::methodology::readiness
