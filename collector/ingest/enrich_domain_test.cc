#include "collector/ingest/enrich_domain.h"

#include <memory>
#include <utility>

#include "collector/enrich/attribution.h"
#include "collector/enrich/prefix_table.h"
#include "common/net/ip_address.h"
#include "gtest/gtest.h"

namespace v6scope::collector::ingest {
namespace {

std::shared_ptr<const enrich::AttributionIndex> Index() {
  enrich::PrefixTable::Builder prefixes;
  for (auto [cidr, asn] :
       {std::pair<const char*, const char*>{"192.0.2.0/24", "3320"},
        {"198.51.100.0/24", "33771"},
        {"2001:db8::/32", "6939"},
        {"64:ff9b::/96", "13335"}}) {
    EXPECT_TRUE(prefixes.Add(*net::IpPrefix::Parse(cidr), asn).ok());
  }
  return enrich::AttributionIndex::FromTables(std::move(prefixes).Build(),
                                              enrich::RirTables(),
                                              enrich::AsNames(), {}, {});
}

v6scope::v1::DomainCheck Check() {
  v6scope::v1::DomainCheck c;
  c.set_domain("example.gov");
  c.mutable_apex()->add_a("198.51.100.1");
  c.mutable_www()->add_a("192.0.2.80");
  c.mutable_www()->add_a("198.51.100.80");
  c.mutable_www()->add_aaaa("2001:db8::80");
  c.set_web_v4_asn(1);  // What a probe sent is overwritten.
  c.set_web_v6_asn(1);
  return c;
}

TEST(EnrichDomainCheckTest, WwwFirstAddresses) {
  v6scope::v1::DomainCheck c = Check();
  EnrichDomainCheck(Index().get(), &c);
  EXPECT_EQ(c.web_v4_asn(), 3320u);
  EXPECT_EQ(c.web_v6_asn(), 6939u);
}

TEST(EnrichDomainCheckTest, ApexWhenWwwHasNoAddress) {
  v6scope::v1::DomainCheck c = Check();
  c.clear_www();
  c.mutable_www()->add_aaaa_synthesized("64:ff9b::c000:250");
  EnrichDomainCheck(Index().get(), &c);
  EXPECT_EQ(c.web_v4_asn(), 33771u);
  EXPECT_EQ(c.web_v6_asn(), 0u);
}

TEST(EnrichDomainCheckTest, SynthesizedAaaaNeverCounts) {
  v6scope::v1::DomainCheck c = Check();
  c.mutable_www()->clear_aaaa();
  c.mutable_www()->add_aaaa("64:ff9b::c000:250");  // Misfiled by a probe.
  c.mutable_www()->add_aaaa_synthesized("64:ff9b::c000:251");
  EnrichDomainCheck(Index().get(), &c);
  EXPECT_EQ(c.web_v4_asn(), 3320u);
  EXPECT_EQ(c.web_v6_asn(), 0u);
}

TEST(EnrichDomainCheckTest, NoIndexMeansUnknown) {
  v6scope::v1::DomainCheck c = Check();
  EnrichDomainCheck(nullptr, &c);
  EXPECT_EQ(c.web_v4_asn(), 0u);
  EXPECT_EQ(c.web_v6_asn(), 0u);
}

}  // namespace
}  // namespace v6scope::collector::ingest
