#include "methodology/synthetic/run_generator.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::synthetic {
namespace {

using ::v6scope::v1::Capability;

const absl::Time kStart = absl::FromUnixSeconds(1'790'000'000);

bool HasCause(const v1::Run& run, v1::RootCause cause) {
  const auto& causes = run.verdict().root_causes();
  return std::find(causes.begin(), causes.end(), cause) != causes.end();
}

constexpr Capability kCapabilities[] = {
    v1::V6_PREFERRED, v1::V6_CAPABLE,    v1::V6_BROKEN, v1::V4_ONLY,
    v1::V6_ONLY,      v1::V6_ONLY_NAT64, v1::V4_BROKEN};

// The outcomes made for each capability are what the methodology reads as
// that capability, whatever the jitter.
TEST(RunGeneratorTest, VerdictIsTheProfilesCapability) {
  RunGenerator generator(7);
  for (Capability c : kCapabilities) {
    for (int i = 0; i < 50; ++i) {
      NetworkProfile network;
      network.capability = c;
      const v1::Run run = generator.Generate(network, kStart);
      EXPECT_EQ(run.verdict().capability(), c)
          << v1::Capability_Name(c) << " run " << i << ": "
          << run.DebugString();
      EXPECT_EQ(run.tests_size(), 12);
      EXPECT_EQ(run.verdict().methodology_version(), "2");
    }
  }
}

TEST(RunGeneratorTest, BlackHoleAndResolverShowAsRootCauses) {
  RunGenerator generator(1);
  NetworkProfile network;
  network.pmtu_black_hole = true;
  network.resolver_no_v6 = true;
  const v1::Run run = generator.Generate(network, kStart);
  EXPECT_TRUE(HasCause(run, v1::PMTU_BLACKHOLE)) << run.DebugString();
  EXPECT_TRUE(HasCause(run, v1::RESOLVER_NO_V6)) << run.DebugString();
}

TEST(RunGeneratorTest, DeterministicForASeed) {
  NetworkProfile network;
  network.v4_public_prefix = "11.51.100.0/24";
  RunGenerator a(42), b(42), c(43);
  const v1::Run first = a.Generate(network, kStart);
  EXPECT_EQ(first.SerializeAsString(),
            b.Generate(network, kStart).SerializeAsString());
  EXPECT_NE(first.SerializeAsString(),
            c.Generate(network, kStart).SerializeAsString());
  EXPECT_EQ(first.public_addresses().v4_prefix(), "11.51.100.0/24");
}

TEST(RunGeneratorTest, ShapeCyclesTheSuite) {
  RunGenerator generator(3);
  RunShape shape;
  shape.tests = 13;
  shape.target_set = "synthetic";
  const v1::Run run = generator.Generate(NetworkProfile(), kStart, shape);
  ASSERT_EQ(run.tests_size(), 13);
  EXPECT_EQ(run.tests(11).kind(), v1::HTTP_NAT64);
  EXPECT_EQ(run.tests(12).kind(), v1::DNS_A);
  EXPECT_EQ(run.target_set(), "synthetic");
}

// Leaving detail out keeps what the verdict is computed from: a lean run
// reads as the same capability as a full one.
TEST(RunGeneratorTest, LeanRunsKeepTheirVerdict) {
  RunShape lean;
  lean.tls_timings = false;
  lean.dns_detail = false;
  lean.used_address = false;
  lean.error_detail = false;
  for (Capability c : kCapabilities) {
    NetworkProfile network;
    network.capability = c;
    network.pmtu_black_hole = c == v1::V6_PREFERRED;
    RunGenerator full_generator(5), lean_generator(5);
    const v1::Run full = full_generator.Generate(network, kStart);
    const v1::Run run = lean_generator.Generate(network, kStart, lean);
    EXPECT_EQ(run.verdict().capability(), c) << run.DebugString();
    EXPECT_LT(run.ByteSizeLong(), full.ByteSizeLong());
    for (const v1::TestResult& t : run.tests()) {
      EXPECT_EQ(t.timings().tls_us(), 0u);
      EXPECT_EQ(t.dns_server(), "");
      EXPECT_EQ(t.used_address(), "");
      EXPECT_EQ(t.error_detail(), "");
    }
  }
}

TEST(RunGeneratorTest, FullRunsResolveEveryFetchAndCarryTheQuery) {
  RunShape shape;
  shape.http_resolution = true;
  shape.target_query = "?probe=7";
  RunGenerator generator(9);
  const v1::Run run = generator.Generate(NetworkProfile(), kStart, shape);
  const v1::TestResult& fetch = run.tests(4);  // HTTP_V4_ONLY.
  ASSERT_EQ(fetch.kind(), v1::HTTP_V4_ONLY);
  EXPECT_EQ(fetch.target(),
            "https://v4.targets.v6scope.example.net/small?probe=7&test=4");
  EXPECT_NE(fetch.dns_server(), "");
  EXPECT_EQ(fetch.resolved_addresses_size(), 2);
  EXPECT_EQ(run.verdict().capability(), v1::V6_PREFERRED);
}

std::vector<std::string> Causes(const v1::Run& run) {
  std::vector<std::string> names;
  for (int c : run.verdict().root_causes()) {
    names.push_back(v1::RootCause_Name(static_cast<v1::RootCause>(c)));
  }
  return names;
}

// Each named profile gives the verdict its test-bed topology must give
// (docs/methodology.md §7), whatever the jitter.
TEST(RunGeneratorTest, NamedProfilesGiveTheirReferenceVerdicts) {
  struct Expected {
    std::string name;
    Capability capability;
    std::vector<std::string> causes;
    uint32_t score;
  };
  const Expected kExpected[] = {
      {"dual-stack", v1::V6_PREFERRED, {}, 10},
      {"v4-only", v1::V4_ONLY, {}, 3},
      {"v6-only", v1::V6_ONLY, {}, 4},
      {"nat64", v1::V6_ONLY_NAT64, {"NAT64"}, 10},
      {"broken-v6", v1::V6_BROKEN, {"V6_BLACKHOLE"}, 3},
      {"pmtu-blackhole", v1::V6_PREFERRED, {"PMTU_BLACKHOLE"}, 1},
      {"resolver-no-v6", v1::V6_PREFERRED, {"RESOLVER_NO_V6"}, 9},
      {"nat64-broken", v1::V6_ONLY, {"NAT64_BROKEN"}, 4},
      {"v4-broken", v1::V4_BROKEN, {"V4_PATH_BROKEN"}, 4},
      {"v6-unreachable", v1::V6_BROKEN, {"V6_UNREACHABLE"}, 3},
  };
  ASSERT_EQ(NamedProfiles().size(), std::size(kExpected));
  RunGenerator generator(11);
  for (size_t i = 0; i < std::size(kExpected); ++i) {
    const Expected& e = kExpected[i];
    EXPECT_EQ(NamedProfiles()[i].name, e.name);
    for (int j = 0; j < 20; ++j) {
      const v1::Run run = generator.Generate(ProfileNamed(e.name), kStart);
      EXPECT_EQ(run.verdict().capability(), e.capability) << e.name;
      EXPECT_EQ(Causes(run), e.causes) << e.name;
      EXPECT_EQ(run.verdict().score(), e.score) << e.name;
    }
  }
  EXPECT_EQ(ProfileNamed("no-such-network").capability, v1::V6_PREFERRED);
}

// Every address that plays a public one is in the public test space
// (11.0.0.0/8, 3ffe::/16) or is NAT64-synthesized (64:ff9b::/96).
bool InPublicTestSpace(const std::string& address) {
  return absl::StartsWith(address, "11.") ||
         absl::StartsWith(address, "3ffe:") ||
         absl::StartsWith(address, "64:ff9b::");
}

TEST(RunGeneratorTest, AddressesAreInThePublicTestSpace) {
  RunShape shape;
  shape.http_resolution = true;
  RunGenerator generator(13);
  for (const NamedProfile& named : NamedProfiles()) {
    for (int j = 0; j < 5; ++j) {
      const v1::Run run = generator.Generate(named.profile, kStart, shape);
      for (const v1::TestResult& t : run.tests()) {
        for (const std::string& a : t.resolved_addresses()) {
          EXPECT_TRUE(InPublicTestSpace(a)) << named.name << ": " << a;
        }
        if (!t.used_address().empty()) {
          EXPECT_TRUE(InPublicTestSpace(t.used_address()))
              << named.name << ": " << t.used_address();
        }
        if (!t.dns_server().empty()) {
          EXPECT_TRUE(InPublicTestSpace(t.dns_server())) << t.dns_server();
        }
        EXPECT_FALSE(absl::StrContains(t.target(), "2001:db8")) << t.target();
      }
    }
  }
}

// With the methodology 2 timeouts every run ends within 6 s, after its
// slowest test.
TEST(RunGeneratorTest, RunsEndAfterTheirSlowestTestWithinSixSeconds) {
  using ::google::protobuf::util::TimeUtil;
  RunGenerator generator(17);
  for (const NamedProfile& named : NamedProfiles()) {
    const v1::Run run = generator.Generate(named.profile, kStart);
    const int64_t run_us =
        TimeUtil::DurationToMicroseconds(run.finished_at() - run.started_at());
    EXPECT_LE(run_us, 6'000'000) << named.name;
    for (const v1::TestResult& t : run.tests()) {
      EXPECT_LE(t.timings().total_us(), run_us) << named.name;
    }
  }
}

}  // namespace
}  // namespace v6scope::methodology::synthetic
