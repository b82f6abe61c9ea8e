#include "methodology/observation.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "methodology/verdict.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {
namespace {

Observation Of(v6scope::v1::Capability capability, uint32_t causes = 0) {
  Observation o;
  o.capability = capability;
  o.root_causes = causes;
  return o;
}

TEST(ObservationTest, CopiesTheStoredVerdictWithItsVersion) {
  // A methodology 1 verdict stays what it was: nothing is recomputed, not
  // even for a run whose tests a later methodology would read otherwise.
  v6scope::v1::Run run;
  run.mutable_verdict()->set_capability(v6scope::v1::V6_ONLY);
  run.mutable_verdict()->add_root_causes(v6scope::v1::NAT64);
  run.mutable_verdict()->add_root_causes(v6scope::v1::BROKEN_V6_PATH);
  run.mutable_verdict()->set_methodology_version("1");
  run.mutable_attribution()->set_asn(64500);
  run.mutable_attribution()->set_country("KE");
  const Observation o = Observe(run);
  EXPECT_EQ(o.capability, v6scope::v1::V6_ONLY);
  EXPECT_TRUE(o.HasCause(v6scope::v1::NAT64));
  EXPECT_TRUE(o.HasCause(v6scope::v1::BROKEN_V6_PATH));
  EXPECT_EQ(o.methodology_version, "1");
  EXPECT_EQ(o.asn, 64500u);
  EXPECT_EQ(o.country, "KE");

  run.mutable_verdict()->set_methodology_version("2");
  run.mutable_verdict()->add_root_causes(v6scope::v1::V4_PATH_BROKEN);
  const Observation v2 = Observe(run);
  EXPECT_EQ(v2.methodology_version, "2");
  EXPECT_TRUE(v2.HasCause(v6scope::v1::V4_PATH_BROKEN));
  EXPECT_FALSE(v2 == o);  // The version is part of the observation.

  EXPECT_EQ(Observe(v6scope::v1::Run()).methodology_version, "");
}

TEST(ObservationTest, ClassesOfEveryCapability) {
  struct Case {
    v6scope::v1::Capability capability;
    bool measured, capable, preferred, v6_broken, v4_broken;
  };
  const std::vector<Case> cases = {
      {v6scope::v1::CAPABILITY_UNSPECIFIED, false, false, false, false, false},
      {v6scope::v1::OFFLINE, false, false, false, false, false},
      {v6scope::v1::V6_PREFERRED, true, true, true, false, false},
      {v6scope::v1::V6_CAPABLE, true, true, false, false, false},
      {v6scope::v1::V6_ONLY, true, true, true, false, false},
      {v6scope::v1::V6_ONLY_NAT64, true, true, true, false, false},
      {v6scope::v1::V6_BROKEN, true, false, false, true, false},
      {v6scope::v1::V4_ONLY, true, false, false, false, false},
      // IPv6 works, so capable; its IPv6 use is forced by the IPv4 fault,
      // not a preference.
      {v6scope::v1::V4_BROKEN, true, true, false, false, true},
  };
  for (const Case& c : cases) {
    const Observation o = Of(c.capability);
    SCOPED_TRACE(v6scope::v1::Capability_Name(c.capability));
    EXPECT_EQ(IsMeasured(o), c.measured);
    EXPECT_EQ(IsV6Capable(o), c.capable);
    EXPECT_EQ(IsV6Preferred(o), c.preferred);
    EXPECT_EQ(IsV6Broken(o), c.v6_broken);
    EXPECT_EQ(IsV4Broken(o), c.v4_broken);
  }
}

TEST(ObservationTest, BehindNat64IncludesABrokenTranslator) {
  EXPECT_TRUE(IsBehindNat64(Of(v6scope::v1::V6_ONLY_NAT64)));
  EXPECT_TRUE(
      IsBehindNat64(Of(v6scope::v1::V6_PREFERRED, 1u << v6scope::v1::NAT64)));
  EXPECT_TRUE(
      IsBehindNat64(Of(v6scope::v1::V6_ONLY, 1u << v6scope::v1::NAT64_BROKEN)));
  EXPECT_FALSE(IsBehindNat64(Of(v6scope::v1::V6_ONLY)));
  EXPECT_FALSE(IsBehindNat64(
      Of(v6scope::v1::V6_BROKEN, 1u << v6scope::v1::V6_UNREACHABLE)));
}

TEST(ObservationTest, PmtuBrokenIsTheCause) {
  EXPECT_TRUE(IsPmtuBroken(
      Of(v6scope::v1::V6_PREFERRED, 1u << v6scope::v1::PMTU_BLACKHOLE)));
  EXPECT_FALSE(IsPmtuBroken(
      Of(v6scope::v1::V6_BROKEN, 1u << v6scope::v1::V6_BLACKHOLE)));
}

TEST(ObservationTest, KnownVersionsAscendAndIncludeTheCurrentOne) {
  const std::vector<std::string>& known = KnownMethodologyVersions();
  ASSERT_FALSE(known.empty());
  EXPECT_EQ(known.front(), "1");
  for (size_t i = 0; i < known.size(); ++i) {
    EXPECT_EQ(known[i], std::to_string(i + 1));
  }
  EXPECT_TRUE(IsKnownMethodologyVersion(kMethodologyVersion));
  EXPECT_TRUE(IsKnownMethodologyVersion("2"));
  EXPECT_FALSE(IsKnownMethodologyVersion(""));
  EXPECT_FALSE(IsKnownMethodologyVersion("3"));
  EXPECT_FALSE(IsKnownMethodologyVersion("02"));
}

}  // namespace
}  // namespace v6scope::methodology
