#include "methodology/testing/run_generator.h"

#include <algorithm>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::testing {
namespace {

using ::v6scope::v1::Capability;

const absl::Time kStart = absl::FromUnixSeconds(1'790'000'000);

bool HasCause(const v1::Run& run, v1::RootCause cause) {
  const auto& causes = run.verdict().root_causes();
  return std::find(causes.begin(), causes.end(), cause) != causes.end();
}

// The outcomes made for each capability are what the methodology reads as
// that capability, whatever the jitter.
TEST(RunGeneratorTest, VerdictIsTheProfilesCapability) {
  RunGenerator generator(7);
  for (Capability c : {v1::V6_PREFERRED, v1::V6_CAPABLE, v1::V6_BROKEN,
                       v1::V4_ONLY, v1::V6_ONLY_NAT64}) {
    for (int i = 0; i < 50; ++i) {
      NetworkProfile network;
      network.capability = c;
      const v1::Run run = generator.Generate(network, kStart);
      EXPECT_EQ(run.verdict().capability(), c)
          << v1::Capability_Name(c) << " run " << i << ": "
          << run.DebugString();
      EXPECT_EQ(run.tests_size(), 11);
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
  network.v4_public_prefix = "198.51.100.0/24";
  RunGenerator a(42), b(42), c(43);
  const v1::Run first = a.Generate(network, kStart);
  EXPECT_EQ(first.SerializeAsString(),
            b.Generate(network, kStart).SerializeAsString());
  EXPECT_NE(first.SerializeAsString(),
            c.Generate(network, kStart).SerializeAsString());
  EXPECT_EQ(first.public_addresses().v4_prefix(), "198.51.100.0/24");
}

TEST(RunGeneratorTest, ShapeCyclesTheSuite) {
  RunGenerator generator(3);
  RunShape shape;
  shape.tests = 12;
  shape.target_set = "synthetic";
  const v1::Run run = generator.Generate(NetworkProfile(), kStart, shape);
  ASSERT_EQ(run.tests_size(), 12);
  EXPECT_EQ(run.tests(11).kind(), v1::DNS_A);
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
  for (Capability c : {v1::V6_PREFERRED, v1::V6_CAPABLE, v1::V6_BROKEN,
                       v1::V4_ONLY, v1::V6_ONLY_NAT64}) {
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

}  // namespace
}  // namespace v6scope::methodology::testing
