#include "collector/aggregate/readiness/consensus.h"

#include <string>
#include <utility>
#include <vector>

#include "collector/aggregate/readiness/rollup.h"
#include "gtest/gtest.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::aggregate::readiness {
namespace {

using v6scope::v1::AAAA_UNREACHABLE;
using v6scope::v1::BROKEN_V4;
using v6scope::v1::NO_AAAA;
using v6scope::v1::SERVICE_STATE_UNSPECIFIED;
using v6scope::v1::ServiceState;
using v6scope::v1::SERVING_V6;

struct Case {
  std::string name;
  std::vector<std::pair<ServiceState, uint64_t>> counts;
  ConsensusKind kind;
  ServiceState state;
  uint64_t votes;
  uint64_t voters;
  uint64_t tested;
};

StateCounts Counts(const std::vector<std::pair<ServiceState, uint64_t>>& in) {
  StateCounts counts = {};
  for (const auto& [state, n] : in) counts[state] += n;
  return counts;
}

TEST(ConsensusTest, Rules) {
  const std::vector<Case> cases = {
      {"nothing measured",
       {},
       ConsensusKind::kUntested,
       SERVICE_STATE_UNSPECIFIED,
       0,
       0,
       0},
      {"not tested is no vote",
       {{SERVICE_STATE_UNSPECIFIED, 5}},
       ConsensusKind::kUntested,
       SERVICE_STATE_UNSPECIFIED,
       0,
       0,
       0},
      {"one probe",
       {{SERVING_V6, 1}},
       ConsensusKind::kState,
       SERVING_V6,
       1,
       1,
       1},
      {"unanimous", {{NO_AAAA, 4}}, ConsensusKind::kState, NO_AAAA, 4, 4, 4},
      {"majority",
       {{SERVING_V6, 3}, {AAAA_UNREACHABLE, 1}},
       ConsensusKind::kState,
       SERVING_V6,
       3,
       4,
       4},
      {"plurality without majority",
       {{SERVING_V6, 3}, {AAAA_UNREACHABLE, 2}, {NO_AAAA, 2}},
       ConsensusKind::kState,
       SERVING_V6,
       3,
       7,
       7},
      {"not tested does not outvote",
       {{SERVICE_STATE_UNSPECIFIED, 9}, {AAAA_UNREACHABLE, 1}},
       ConsensusKind::kState,
       AAAA_UNREACHABLE,
       1,
       1,
       1},
      {"tie is a split",
       {{SERVING_V6, 2}, {AAAA_UNREACHABLE, 2}},
       ConsensusKind::kSplit,
       SERVICE_STATE_UNSPECIFIED,
       2,
       4,
       4},
      {"tie for the most among three",
       {{SERVING_V6, 2}, {AAAA_UNREACHABLE, 2}, {NO_AAAA, 1}},
       ConsensusKind::kSplit,
       SERVICE_STATE_UNSPECIFIED,
       2,
       5,
       5},
      {"tie below the most is no split",
       {{SERVING_V6, 3}, {AAAA_UNREACHABLE, 1}, {NO_AAAA, 1}},
       ConsensusKind::kState,
       SERVING_V6,
       3,
       5,
       5},
      {"broken v4 does not outvote a real state",
       {{BROKEN_V4, 9}, {SERVING_V6, 1}},
       ConsensusKind::kState,
       SERVING_V6,
       1,
       1,
       10},
      {"broken v4 does not split a real state",
       {{BROKEN_V4, 1}, {SERVING_V6, 1}},
       ConsensusKind::kState,
       SERVING_V6,
       1,
       1,
       2},
      {"broken v4 left out of a real tie",
       {{BROKEN_V4, 5}, {SERVING_V6, 1}, {NO_AAAA, 1}},
       ConsensusKind::kSplit,
       SERVICE_STATE_UNSPECIFIED,
       1,
       2,
       7},
      {"broken v4 when all tested saw it",
       {{BROKEN_V4, 3}, {SERVICE_STATE_UNSPECIFIED, 2}},
       ConsensusKind::kState,
       BROKEN_V4,
       3,
       3,
       3},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const Consensus got = ConsensusOf(Counts(c.counts));
    EXPECT_EQ(got.kind, c.kind);
    EXPECT_EQ(got.state, c.state);
    EXPECT_EQ(got.votes, c.votes);
    EXPECT_EQ(got.voters, c.voters);
    EXPECT_EQ(got.tested, c.tested);
    EXPECT_EQ(got.has_state(), c.kind == ConsensusKind::kState);
  }
}

TEST(ConsensusTest, DoesNotDependOnStateOrder) {
  // Every pair of distinct tested states, both ways round, 2 votes to 1.
  for (int a = 1; a < kStateCount; ++a) {
    for (int b = 1; b < kStateCount; ++b) {
      if (a == b) continue;
      StateCounts counts = {};
      counts[a] = 2;
      counts[b] = 1;
      const Consensus got = ConsensusOf(counts);
      SCOPED_TRACE(::testing::Message() << a << " vs " << b);
      ASSERT_TRUE(got.has_state());
      // BROKEN_V4 loses to any real state, whatever the votes.
      const int want = a == BROKEN_V4 ? b : a;
      EXPECT_EQ(got.state, want);
    }
  }
}

}  // namespace
}  // namespace v6scope::collector::aggregate::readiness
