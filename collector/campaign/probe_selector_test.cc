#include "collector/campaign/probe_selector.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace v6scope::collector::campaign {
namespace {

using v6scope::v1::ProbeSelector;

ProbeVantage P(const std::string& id, const std::string& country, uint32_t asn,
               bool revoked = false) {
  ProbeVantage p;
  p.probe_id = id;
  p.country = country;
  p.asn = asn;
  p.has_runs = !country.empty() || asn != 0;
  p.revoked = revoked;
  return p;
}

const std::vector<ProbeVantage> kFleet = {
    P("p-ke1", "KE", 33771),
    P("p-ke2", "KE", 36866),
    P("p-de", "DE", 3320),
    P("p-eg", "EG", 8452),
    P("p-old", "KE", 33771, /*revoked=*/true),
    P("p-new", "", 0),  // Enrolled, no run yet.
};

std::vector<std::string> Select(const ProbeSelector& in) {
  absl::StatusOr<ProbeSelector> s = NormalizeSelector(in);
  EXPECT_TRUE(s.ok()) << s.status();
  absl::StatusOr<std::vector<std::string>> got = SelectProbes(*s, kFleet);
  EXPECT_TRUE(got.ok()) << got.status();
  return got.ok() ? *got : std::vector<std::string>{};
}

TEST(ProbeSelectorTest, CountryAndAsnIntersect) {
  ProbeSelector s;
  s.add_countries("ke");
  EXPECT_EQ(Select(s), (std::vector<std::string>{"p-ke1", "p-ke2"}));
  s.add_asns(33771);
  EXPECT_EQ(Select(s), (std::vector<std::string>{"p-ke1"}));
}

TEST(ProbeSelectorTest, RegionsUseCommonGeo) {
  ProbeSelector s;
  s.add_regions("Arab-States");
  EXPECT_EQ(Select(s), (std::vector<std::string>{"p-eg"}));
  ProbeSelector afrinic;
  afrinic.add_regions("afrinic");
  EXPECT_EQ(Select(afrinic),
            (std::vector<std::string>{"p-eg", "p-ke1", "p-ke2"}));
  ProbeSelector global;
  global.add_regions("global");
  EXPECT_EQ(Select(global).size(), 4u);  // Not revoked, not without runs.
}

TEST(ProbeSelectorTest, ExplicitIdsAddToTheFilter) {
  ProbeSelector s;
  s.add_countries("DE");
  s.add_probe_ids("p-new");
  s.add_probe_ids("p-new");
  EXPECT_EQ(Select(s), (std::vector<std::string>{"p-de", "p-new"}));
}

TEST(ProbeSelectorTest, UnknownOrRevokedIdIsNamed) {
  ProbeSelector s;
  s.add_probe_ids("p-nope");
  absl::StatusOr<std::vector<std::string>> got = SelectProbes(s, kFleet);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(got.status().message().find("p-nope"), std::string::npos);
  ProbeSelector r;
  r.add_probe_ids("p-old");
  got = SelectProbes(r, kFleet);
  EXPECT_NE(got.status().message().find("revoked"), std::string::npos);
}

TEST(ProbeSelectorTest, NothingSelectedSaysSo) {
  ProbeSelector s;
  s.add_countries("FR");
  absl::StatusOr<std::vector<std::string>> got = SelectProbes(s, kFleet);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(got.status().message().find("countries FR"), std::string::npos)
      << got.status();
  s.set_include_collector(true);
  got = SelectProbes(s, kFleet);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->empty());
}

ProbeVantage Own(const std::string& id, const std::string& country,
                 bool revoked = false) {
  ProbeVantage p = P(id, country, country.empty() ? 0 : 64500, revoked);
  p.collector_vantage = true;
  return p;
}

// The fleet above plus the collector's vantage probes: one with runs in
// KE, one without runs yet, one revoked.
std::vector<ProbeVantage> FleetWithVantages() {
  std::vector<ProbeVantage> fleet = kFleet;
  fleet.push_back(Own("p-own-ke", "KE"));
  fleet.push_back(Own("p-own-new", ""));
  fleet.push_back(Own("p-own-old", "KE", /*revoked=*/true));
  return fleet;
}

TEST(ProbeSelectorTest, IncludeCollectorAddsEveryUnrevokedVantageProbe) {
  const std::vector<ProbeVantage> fleet = FleetWithVantages();
  ProbeSelector s;
  s.add_countries("DE");
  s.set_include_collector(true);
  absl::StatusOr<std::vector<std::string>> got = SelectProbes(s, fleet);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, (std::vector<std::string>{"p-de", "p-own-ke", "p-own-new"}));
  ProbeSelector only;  // The collector alone: its vantage, wherever it is.
  only.set_include_collector(true);
  got = SelectProbes(*NormalizeSelector(only), fleet);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, (std::vector<std::string>{"p-own-ke", "p-own-new"}));
  EXPECT_EQ(CollectorVantageWarning(only, fleet), "");
  for (const ProbeVantage& p : fleet) {
    EXPECT_EQ(SelectsProbe(only, p),
              p.probe_id == "p-own-ke" || p.probe_id == "p-own-new")
        << p.probe_id;
  }
}

TEST(ProbeSelectorTest, WithoutIncludeCollectorVantageProbesAreLikeAnyOther) {
  const std::vector<ProbeVantage> fleet = FleetWithVantages();
  ProbeSelector ke;
  ke.add_countries("KE");
  absl::StatusOr<std::vector<std::string>> got = SelectProbes(ke, fleet);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, (std::vector<std::string>{"p-ke1", "p-ke2", "p-own-ke"}));
  ProbeSelector de;
  de.add_countries("DE");
  de.add_probe_ids("p-own-new");
  got = SelectProbes(de, fleet);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, (std::vector<std::string>{"p-de", "p-own-new"}));
  for (const ProbeVantage& p : fleet) {
    EXPECT_EQ(SelectsProbe(de, p),
              p.probe_id == "p-de" || p.probe_id == "p-own-new")
        << p.probe_id;
  }
}

TEST(ProbeSelectorTest, IncludeCollectorWithoutAVantageProbeWarns) {
  ProbeSelector s;
  s.set_include_collector(true);
  absl::StatusOr<std::vector<std::string>> got = SelectProbes(s, kFleet);
  ASSERT_TRUE(got.ok()) << got.status();  // Created all the same.
  EXPECT_TRUE(got->empty());
  const std::string warning = CollectorVantageWarning(s, kFleet);
  EXPECT_NE(warning.find("no collector vantage probe is enrolled"),
            std::string::npos)
      << warning;
  EXPECT_NE(warning.find("v6scope-collector vantage-token"), std::string::npos)
      << warning;
  // A revoked vantage probe is no vantage.
  std::vector<ProbeVantage> revoked = kFleet;
  revoked.push_back(Own("p-own-old", "KE", /*revoked=*/true));
  EXPECT_NE(CollectorVantageWarning(s, revoked), "");
  s.set_include_collector(false);
  EXPECT_EQ(CollectorVantageWarning(s, kFleet), "");
}

TEST(ProbeSelectorTest, BadSelectorsAreNamed) {
  ProbeSelector country;
  country.add_countries("XX");
  EXPECT_NE(NormalizeSelector(country).status().message().find(
                "selector.countries: \"XX\""),
            std::string::npos);
  ProbeSelector region;
  region.add_regions("mars");
  EXPECT_NE(NormalizeSelector(region).status().message().find("mars"),
            std::string::npos);
  ProbeSelector asn;
  asn.add_asns(0);
  EXPECT_FALSE(NormalizeSelector(asn).ok());
  EXPECT_EQ(NormalizeSelector(ProbeSelector()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace v6scope::collector::campaign
