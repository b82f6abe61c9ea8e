// Tests of the methodology 2 verdict: the fourteen reference networks of
// docs/methodology.md §7 (methodology/testing/reference_networks.h), each
// with its capability, exact causes, score and an explanation naming the
// key fact; then the edge cases the v2 rows decide (E9-E14, C2a, R13-R16,
// K1, K2) and the properties of the explanations.
#include "methodology/verdict.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "methodology/testing/reference_networks.h"
#include "methodology/testing/run_builder.h"
#include "proto/results.pb.h"

namespace v6scope::methodology {
namespace {

using ::testing::ElementsAreArray;
using testing::kNat64Target;
using testing::kV4Target;
using testing::kV6Target;
using testing::ReferenceNetwork;
using testing::ReferenceNetworks;
using testing::RunBuilder;

std::vector<std::string> Names(const std::vector<v1::RootCause>& causes) {
  std::vector<std::string> names;
  for (v1::RootCause c : causes) names.push_back(v1::RootCause_Name(c));
  return names;
}

std::vector<std::string> Causes(const v1::Verdict& verdict) {
  std::vector<std::string> names;
  for (int c : verdict.root_causes()) {
    names.push_back(v1::RootCause_Name(static_cast<v1::RootCause>(c)));
  }
  return names;
}

std::vector<std::string> Labels(const v1::Verdict& verdict) {
  std::vector<std::string> labels;
  for (const v1::Explanation& x : verdict.explanations()) {
    labels.push_back(x.label());
  }
  return labels;
}

std::string TextOf(const v1::Verdict& verdict, const std::string& label) {
  for (const v1::Explanation& x : verdict.explanations()) {
    if (x.label() == label) return x.text();
  }
  return "<no explanation for " + label + ">";
}

ReferenceNetwork Network(const std::string& name) {
  for (ReferenceNetwork& n : ReferenceNetworks()) {
    if (n.name == name) return n;
  }
  ADD_FAILURE() << "no reference network " << name;
  return {};
}

// The fact each label's sentence must name, per network.
const std::map<std::string, std::vector<std::pair<std::string, std::string>>>&
KeyFacts() {
  static const auto* const facts =
      new std::map<std::string,
                   std::vector<std::pair<std::string, std::string>>>{
          {"dual-stack", {{"V6_PREFERRED", "over IPv6 from 3ffe:1::81"}}},
          {"v4-only",
           {{"V4_ONLY", "no IPv6 address beyond link-local"},
            {"V4_ONLY", "over IPv4 from 11.0.0.80"}}},
          {"v6-only",
           {{"V6_ONLY", "HTTP_V4_ONLY got network unreachable"},
            {"V6_ONLY", "no NAT64"}}},
          {"nat64",
           {{"V6_ONLY_NAT64", "64:ff9b::/96"},
            {"V6_ONLY_NAT64", "64:ff9b::b00:50"},
            {"NAT64", "64:ff9b::/96"}}},
          {"broken-v6",
           {{"V6_BROKEN", "HTTP_V6_ONLY timed out after 3.0 s"},
            {"V6_BLACKHOLE", "vanish"},
            {"V6_BLACKHOLE", "(3ffe:1::80)"}}},
          {"pmtu-blackhole",
           {{"V6_PREFERRED", "over IPv6"},
            {"PMTU_BLACKHOLE", "HTTP_V6_LARGE stalled"},
            {"PMTU_BLACKHOLE", "Packet Too Big"}}},
          {"ula-only",
           {{"V6_BROKEN", "1 unique-local IPv6 address"},
            {"ULA_ONLY", "unique-local (fc00::/7"},
            {"V6_BLACKHOLE", "timed out after 3.0 s"}}},
          {"6to4", {{"V6_CAPABLE", "over IPv4"}, {"TUNNEL_6TO4", "6to4"}}},
          {"aaaa-filtered",
           {{"V6_BROKEN", "DNS_NODATA"}, {"AAAA_FILTERED", "DNS_NODATA"}}},
          {"resolver-no-v6", {{"RESOLVER_NO_V6", "DNS_SERVFAIL"}}},
          {"nat64-broken",
           {{"V6_ONLY", "NAT64 path does not work"},
            {"NAT64_BROKEN", "NAT64 prefix 64:ff9b::/96 failed"},
            {"NAT64_BROKEN", "network unreachable"},
            {"NAT64_BROKEN", "nothing routes them"}}},
          {"v4-broken",
           {{"V4_BROKEN", "1 private IPv4 address"},
            {"V4_BROKEN", "timed out after 3.0 s"},
            {"V4_PATH_BROKEN", "(11.0.0.80)"}}},
          {"v6-unreachable",
           {{"V6_BROKEN", "got network unreachable"},
            {"V6_UNREACHABLE", "ICMPv6"},
            {"V6_UNREACHABLE", "network unreachable after 0.002 s"}}},
          {"slow-large", {{"V6_PREFERRED", "3ffe:1::81"}}},
      };
  return *facts;
}

class ReferenceNetworkTest : public ::testing::TestWithParam<ReferenceNetwork> {
};

TEST_P(ReferenceNetworkTest, GivesItsExpectedVerdictAndExplainsIt) {
  const ReferenceNetwork& n = GetParam();
  const v1::Verdict verdict = ComputeVerdict(n.run.Build());
  EXPECT_EQ(v1::Capability_Name(verdict.capability()),
            v1::Capability_Name(n.capability));
  EXPECT_THAT(Causes(verdict), ElementsAreArray(Names(n.causes)));
  EXPECT_EQ(verdict.score(), n.score);
  EXPECT_EQ(verdict.methodology_version(), "2");
  std::vector<std::string> labels = {v1::Capability_Name(n.capability)};
  for (const std::string& cause : Names(n.causes)) labels.push_back(cause);
  EXPECT_THAT(Labels(verdict), ElementsAreArray(labels));
  ASSERT_TRUE(KeyFacts().count(n.name)) << n.name;
  for (const auto& [label, fact] : KeyFacts().at(n.name)) {
    EXPECT_TRUE(absl::StrContains(TextOf(verdict, label), fact))
        << label << ": \"" << TextOf(verdict, label) << "\" lacks \"" << fact
        << "\"";
  }
}

INSTANTIATE_TEST_SUITE_P(
    Section7, ReferenceNetworkTest, ::testing::ValuesIn(ReferenceNetworks()),
    [](const ::testing::TestParamInfo<ReferenceNetwork>& info) {
      std::string name = info.param.name;
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

TEST(ReferenceNetworksTest, AreTheFourteenOfSection7) {
  EXPECT_EQ(ReferenceNetworks().size(), 14u);
  EXPECT_EQ(KeyFacts().size(), 14u);
}

// A crafted variant of a reference network and its expected verdict.
struct Case {
  std::string name;
  v1::Run run;
  v1::Capability capability;
  std::vector<v1::RootCause> causes;
  uint32_t score;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

Case Row(std::string name, const RunBuilder& b, v1::Capability capability,
         std::vector<v1::RootCause> causes, uint32_t score) {
  return {std::move(name), b.Build(), capability, std::move(causes), score};
}

std::vector<Case> Nat64Cases() {
  // A probe older than methodology 2: no HTTP_NAT64 in the run.
  RunBuilder old_nat64 = Network("nat64").run;
  old_nat64.Without(v1::HTTP_NAT64);
  RunBuilder old_broken = Network("nat64-broken").run;
  old_broken.Without(v1::HTTP_NAT64);
  // DNS64 answers for ipv4only.arpa, but the target name has no AAAA:
  // HTTP_NAT64 is not applicable, never NAT64_BROKEN.
  RunBuilder nodata = Network("v6-only").run;
  nodata.Dns(v1::DNS_NAT64, v1::OK, {"64:ff9b::c000:aa"})
      .Http(v1::HTTP_NAT64, v1::DNS_NODATA);
  RunBuilder no_address = nodata;
  no_address.Http(v1::HTTP_NAT64, v1::NO_ADDRESS);
  // The NAT64 fetch works though the unpinned one failed: C2 and no K2.
  RunBuilder path_ok = Network("nat64").run;
  path_ok.Http(v1::HTTP_V4_ONLY, v1::TIMEOUT)
      .Seen(v1::HTTP_V4_ONLY, v1::IPV6, kNat64Target, 3'001'000);
  // Translator down: the synthesized addresses time out.
  RunBuilder translator_down = Network("nat64-broken").run;
  translator_down.Http(v1::HTTP_NAT64, v1::TIMEOUT)
      .Http(v1::HTTP_V4_ONLY, v1::TIMEOUT);
  // DNS64 on a dual-stack network with a dead translator.
  RunBuilder dual_dns64 = Network("dual-stack").run;
  dual_dns64.Dns(v1::DNS_NAT64, v1::OK, {"64:ff9b::c000:aa"})
      .Http(v1::HTTP_NAT64, v1::NETWORK_UNREACHABLE);
  RunBuilder dual_dns64_ok = dual_dns64;
  dual_dns64_ok.Http(v1::HTTP_NAT64, v1::OK, v1::IPV6);
  return {
      Row("AbsentNat64KindWorkingPath", old_nat64, v1::V6_ONLY_NAT64,
          {v1::NAT64}, 10),
      Row("AbsentNat64KindFallsBackToV4Only", old_broken, v1::V6_ONLY,
          {v1::NAT64_BROKEN}, 4),
      Row("Nat64NodataIsNotBroken", nodata, v1::V6_ONLY, {v1::NAT64}, 4),
      Row("Nat64NoAddressIsNotBroken", no_address, v1::V6_ONLY, {v1::NAT64}, 4),
      Row("Nat64FetchOkIsEnoughForC2", path_ok, v1::V6_ONLY_NAT64, {v1::NAT64},
          9),
      Row("Nat64TranslatorSilent", translator_down, v1::V6_ONLY,
          {v1::NAT64_BROKEN}, 4),
      Row("Dns64OnDualStackBrokenTranslator", dual_dns64, v1::V6_PREFERRED,
          {v1::NAT64_BROKEN}, 10),
      Row("Dns64OnDualStackWorking", dual_dns64_ok, v1::V6_PREFERRED,
          {v1::NAT64}, 10),
  };
}

std::vector<Case> PathCases() {
  // Some pinned fetches time out, one gets an ICMPv6 error.
  RunBuilder both = Network("broken-v6").run;
  both.Http(v1::HTTP_WHOAMI_V6, v1::HOST_UNREACHABLE);
  RunBuilder prohibited = Network("v6-unreachable").run;
  prohibited.V6Pinned(v1::ADMIN_PROHIBITED)
      .Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  RunBuilder stalled_silent = Network("broken-v6").run;
  stalled_silent.V6Pinned(v1::STALLED)
      .Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  // Connected and got the headers, then nothing: not a silent path.
  RunBuilder stalled_late = stalled_silent;
  for (v1::TestKind k : {v1::HTTP_V6_ONLY, v1::HTTP_V6_LITERAL,
                         v1::HTTP_V6_LARGE, v1::HTTP_WHOAMI_V6}) {
    stalled_late.Received(k, 40'000, 0);
  }
  RunBuilder refused = Network("broken-v6").run;
  refused.V6Pinned(v1::CONNECTION_REFUSED)
      .Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  // No IPv4 control: neither split cause.
  RunBuilder no_control = Network("broken-v6").run;
  no_control.Http(v1::HTTP_V4_ONLY, v1::TIMEOUT)
      .Http(v1::HTTP_WHOAMI_V4, v1::TIMEOUT)
      .Http(v1::HTTP_DUAL_STACK, v1::TIMEOUT);
  return {
      Row("UnreachableWinsOverSilent", both, v1::V6_BROKEN,
          {v1::V6_UNREACHABLE}, 3),
      Row("AdminProhibitedIsUnreachable", prohibited, v1::V6_BROKEN,
          {v1::V6_UNREACHABLE}, 3),
      Row("StallBeforeAnyByteIsSilent", stalled_silent, v1::V6_BROKEN,
          {v1::V6_BLACKHOLE}, 3),
      Row("StallAfterFirstByteIsNotSilent", stalled_late, v1::V6_BROKEN, {}, 3),
      Row("RefusedIsNeitherSplitCause", refused, v1::V6_BROKEN, {}, 3),
      Row("BothFamiliesFailIsOffline", no_control, v1::OFFLINE, {}, 1),
  };
}

std::vector<Case> LargeObjectCases() {
  // The deadline cut a fetch while bytes flowed: slow, not a black hole.
  RunBuilder slow_cut = Network("slow-large").run;
  slow_cut.Http(v1::HTTP_V6_LARGE, v1::TIMEOUT)
      .Seen(v1::HTTP_V6_LARGE, v1::IPV6, kV6Target, 4'001'000)
      .Received(v1::HTTP_V6_LARGE, 60'000, 180'000);
  RunBuilder truncated = Network("dual-stack").run;
  truncated.Http(v1::HTTP_V6_LARGE, v1::TRUNCATED_BODY)
      .Received(v1::HTTP_V6_LARGE, 60'000, 65'160);
  // The race went to IPv4: users of dual-stack sites do not meet it.
  RunBuilder pmtu_v4_race = Network("pmtu-blackhole").run;
  pmtu_v4_race.Http(v1::HTTP_DUAL_STACK, v1::OK, v1::IPV4);
  RunBuilder stall_late = Network("pmtu-blackhole").run;
  stall_late.Received(v1::HTTP_V6_LARGE, 60'000, 14'400);
  return {
      Row("SlowLargeCutByTimeoutIsNotPmtu", slow_cut, v1::V6_PREFERRED, {}, 9),
      Row("TruncatedBodyIsPmtu", truncated, v1::V6_PREFERRED,
          {v1::PMTU_BLACKHOLE}, 1),
      Row("PmtuWithDualStackOverV4IsNotCapped", pmtu_v4_race, v1::V6_CAPABLE,
          {v1::PMTU_BLACKHOLE}, 7),
      Row("PmtuStallAfterSomeBytes", stall_late, v1::V6_PREFERRED,
          {v1::PMTU_BLACKHOLE}, 1),
  };
}

std::vector<Case> V4Cases() {
  // Only special-purpose IPv4 (e.g. documentation): not configured.
  RunBuilder special = Network("v4-broken").run;
  special.Inventory(
      "v6_global_native: 1 v4_special: 1 v4_default_route: true "
      "v6_default_route: true");
  RunBuilder no_route = Network("v4-broken").run;
  no_route.Inventory(
      "v6_global_native: 1 v4_private: 1 "
      "v6_default_route: true");
  // The IPv4 fetches got an ICMP error (e.g. a rejecting filter).
  RunBuilder icmp = Network("v4-broken").run;
  icmp.Http(v1::HTTP_V4_ONLY, v1::HOST_UNREACHABLE)
      .Http(v1::HTTP_WHOAMI_V4, v1::ADMIN_PROHIBITED);
  // IPv4 refused: the path delivers, the target is down.
  RunBuilder refused = Network("v4-broken").run;
  refused.Http(v1::HTTP_V4_ONLY, v1::CONNECTION_REFUSED)
      .Http(v1::HTTP_WHOAMI_V4, v1::CONNECTION_REFUSED);
  // IPv4 broken on a network that also has working DNS64 + NAT64.
  RunBuilder with_nat64 = Network("nat64").run;
  with_nat64.Inventory(testing::kDualStackHost)
      .Http(v1::HTTP_WHOAMI_V4, v1::TIMEOUT)
      .Seen(v1::HTTP_WHOAMI_V4, v1::IPV4, kV4Target, 3'001'000);
  return {
      Row("SpecialPurposeV4IsNotConfigured", special, v1::V6_ONLY, {}, 4),
      Row("V4WithoutDefaultRouteIsNotConfigured", no_route, v1::V6_ONLY, {}, 4),
      Row("V4IcmpErrorsAreTransportFailures", icmp, v1::V4_BROKEN,
          {v1::V4_PATH_BROKEN}, 4),
      Row("V4RefusedIsNotBroken", refused, v1::V6_ONLY, {}, 4),
      Row("V4BrokenWinsOverNat64", with_nat64, v1::V4_BROKEN,
          {v1::NAT64, v1::V4_PATH_BROKEN}, 10),
  };
}

std::vector<Case> ScoreCases() {
  RunBuilder dual_failed = Network("dual-stack").run;
  dual_failed.Http(v1::HTTP_DUAL_STACK, v1::TIMEOUT);
  RunBuilder dual_skipped = Network("dual-stack").run;
  dual_skipped.Http(v1::HTTP_DUAL_STACK, v1::SKIPPED);
  // Both caps apply: the lowest wins.
  RunBuilder both_caps = Network("v6-only").run;
  both_caps.Http(v1::HTTP_DUAL_STACK, v1::TIMEOUT);
  // Broken IPv6 with working IPv4: Happy Eyeballs hides it, no cap.
  RunBuilder broken = Network("broken-v6").run;
  broken.Http(v1::HTTP_V6_LITERAL, v1::OK, v1::IPV6);
  return {
      Row("K1_DualStackFailed", dual_failed, v1::V6_CAPABLE, {}, 1),
      Row("K1_DualStackSkippedIsNoCap", dual_skipped, v1::V6_CAPABLE, {}, 7),
      Row("K1K2_LowestCapWins", both_caps, v1::V6_ONLY, {}, 1),
      Row("NoCapForV6BrokenWithV4", broken, v1::V6_BROKEN, {}, 4),
  };
}

std::vector<Case> EdgeCases() {
  std::vector<Case> all;
  for (auto* make :
       {Nat64Cases, PathCases, LargeObjectCases, V4Cases, ScoreCases}) {
    for (Case& c : make()) all.push_back(std::move(c));
  }
  return all;
}

// The edge cases and the reference networks.
std::vector<Case> AllCases() {
  std::vector<Case> all = EdgeCases();
  for (ReferenceNetwork& n : ReferenceNetworks()) {
    all.push_back(Row(n.name, n.run, n.capability, n.causes, n.score));
  }
  return all;
}

class VerdictEdgeTest : public ::testing::TestWithParam<Case> {};

TEST_P(VerdictEdgeTest, MatchesDecisionTable) {
  const Case& c = GetParam();
  const v1::Verdict verdict = ComputeVerdict(c.run);
  EXPECT_EQ(v1::Capability_Name(verdict.capability()),
            v1::Capability_Name(c.capability));
  EXPECT_THAT(Causes(verdict), ElementsAreArray(Names(c.causes)));
  EXPECT_EQ(verdict.score(), c.score);
  EXPECT_EQ(verdict.explanations_size(), 1 + verdict.root_causes_size());
}

INSTANTIATE_TEST_SUITE_P(Rules, VerdictEdgeTest,
                         ::testing::ValuesIn(EdgeCases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return info.param.name;
                         });

TEST(VerdictTest, MethodologyVersionIsTwo) {
  EXPECT_STREQ(kMethodologyVersion, "2");
  EXPECT_STREQ(kMethodologyVersionV1, "1");
  EXPECT_EQ(ComputeVerdict(v1::Run()).methodology_version(), "2");
}

TEST(VerdictTest, NeverSetsBrokenV6PathOrAsnMismatch) {
  for (const Case& c : AllCases()) {
    // The verdict is named: a range-for over a temporary's member would
    // read it after the temporary is gone.
    const v1::Verdict verdict = ComputeVerdict(c.run);
    for (int cause : verdict.root_causes()) {
      EXPECT_NE(cause, v1::BROKEN_V6_PATH) << c.name;
      EXPECT_NE(cause, v1::V4_V6_ASN_MISMATCH) << c.name;
    }
  }
}

TEST(VerdictTest, ExplanationsAreBoundedOneLineAndDeterministic) {
  std::vector<v1::Run> runs;
  for (const Case& c : AllCases()) runs.push_back(c.run);
  runs.push_back(v1::Run());
  // Hostile recorded fields: long, with line breaks and non-ASCII bytes.
  RunBuilder hostile = Network("v6-unreachable").run;
  hostile.Seen(v1::HTTP_V6_ONLY, v1::IPV6,
               std::string(300, 'a') + "\n\xff\r" + std::string(300, 'b'),
               4'000'000'000u);
  hostile.Dns(v1::DNS_AAAA, v1::DNS_NODATA);
  runs.push_back(hostile.Build());
  for (const v1::Run& run : runs) {
    const v1::Verdict verdict = ComputeVerdict(run);
    EXPECT_EQ(verdict.SerializeAsString(),
              ComputeVerdict(run).SerializeAsString());
    EXPECT_GE(verdict.explanations_size(), 1);
    for (const v1::Explanation& x : verdict.explanations()) {
      EXPECT_LE(x.text().size(), 400u) << x.label();
      EXPECT_LE(x.label().size(), 32u);
      EXPECT_FALSE(x.text().empty()) << x.label();
      for (char c : x.text()) {
        EXPECT_TRUE(c >= 0x20 && c <= 0x7e) << x.label() << ": " << x.text();
      }
      EXPECT_FALSE(absl::EndsWith(x.text(), ".") &&
                   !absl::EndsWith(x.text(), "..."))
          << x.text();
    }
  }
}

TEST(VerdictTest, ExplanationNamesTheNat64PrefixFound) {
  RunBuilder b = Network("nat64").run;
  b.Dns(v1::DNS_NAT64, v1::OK, {"2001:db8:122:344:c0:0:aa00:0"});
  const v1::Verdict verdict = ComputeVerdict(b.Build());
  EXPECT_THAT(TextOf(verdict, "NAT64"),
              ::testing::HasSubstr("2001:db8:122:344::/64"));
}

TEST(VerdictTest, ExplainsSlowV6WithTheHandshakes) {
  RunBuilder b = Network("dual-stack").run;
  b.Connect(v1::HTTP_V4_ONLY, 1000, 21000)
      .Connect(v1::HTTP_V6_ONLY, 1000, 151000);
  const v1::Verdict verdict = ComputeVerdict(b.Build());
  EXPECT_THAT(Causes(verdict), ElementsAreArray(Names({v1::SLOW_V6})));
  EXPECT_THAT(TextOf(verdict, "SLOW_V6"),
              ::testing::HasSubstr("took 0.150 s against 0.020 s"));
}

TEST(VerdictTest, UlaOnlyWithWorkingFetchesSaysWhyTheyDoNotCount) {
  RunBuilder b = Network("dual-stack").run;
  b.Inventory(
      "v6_ula: 1 v4_private: 1 v4_default_route: true "
      "v6_default_route: true");
  const v1::Verdict verdict = ComputeVerdict(b.Build());
  EXPECT_EQ(verdict.capability(), v1::V6_BROKEN);
  EXPECT_THAT(TextOf(verdict, "ULA_ONLY"),
              ::testing::HasSubstr("IPv6 fetches worked, but"));
  EXPECT_THAT(TextOf(verdict, "V6_BROKEN"),
              ::testing::HasSubstr("do not count"));
}

// The gap the aggregates take medians of is R9's pair, DNS time excluded.
TEST(HandshakeGapTest, IsV6MinusV4OfTheSlowV6Pair) {
  RunBuilder b = testing::DualStack();
  b.Connect(v1::HTTP_V4_ONLY, 1000, 21000)
      .Connect(v1::HTTP_V6_ONLY, 1000, 151000);
  EXPECT_EQ(HandshakeGap(b.Build()), absl::Milliseconds(130));
  EXPECT_EQ(HandshakeGap(v1::Run()), std::nullopt);
  RunBuilder via_nat64 = testing::DualStack();
  via_nat64.Http(v1::HTTP_V4_ONLY, v1::OK, v1::IPV6)
      .Connect(v1::HTTP_WHOAMI_V4, 1000, 21000)
      .Connect(v1::HTTP_WHOAMI_V6, 1000, 301000);
  EXPECT_EQ(HandshakeGap(via_nat64.Build()), absl::Milliseconds(280));
}

TEST(VerdictTest, DependsOnlyOnInventoryAndTests) {
  const v1::Run run = Network("v4-broken").run.Build();
  v1::Run decorated = run;
  decorated.mutable_verdict()->set_capability(v1::V6_PREFERRED);
  decorated.mutable_started_at()->set_seconds(1700000000);
  decorated.mutable_public_addresses()->set_v6_prefix("3ffe:1::/48");
  decorated.set_target_set("other");
  EXPECT_EQ(ComputeVerdict(decorated).SerializeAsString(),
            ComputeVerdict(run).SerializeAsString());
}

}  // namespace
}  // namespace v6scope::methodology
