#include "collector/aggregate/readiness/rollup.h"

#include <map>
#include <vector>

#include "collector/aggregate/readiness/result.h"
#include "collector/aggregate/readiness/test_results.h"
#include "gtest/gtest.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::aggregate::readiness {
namespace {

using v6scope::v1::AAAA_UNREACHABLE;
using v6scope::v1::NO_AAAA;
using v6scope::v1::NO_SERVICE;
using v6scope::v1::SERVICE_STATE_UNSPECIFIED;
using v6scope::v1::SERVING_V6;

TEST(ReadinessRollupTest, KeyIsCampaignRoundCountrySectorDomainMethodology) {
  const ReadinessResult r = MakeResult(2, "KE", 64500, "a.go.ke", SERVING_V6);
  const DomainRollupKey key = KeyOf(r);
  EXPECT_EQ(key.campaign_id, "c-1");
  EXPECT_EQ(key.round, 2u);
  EXPECT_EQ(key.country, "KE");
  EXPECT_EQ(key.sector, "government");
  EXPECT_EQ(key.domain, "a.go.ke");
  EXPECT_EQ(key.methodology_version, "readiness 1");
}

TEST(ReadinessRollupTest, FoldCountsEachServiceStateAndDistinctAsns) {
  DomainRollup row;
  row.key = KeyOf(MakeResult(1, "KE", 64500, "a.go.ke", SERVING_V6));
  FoldResult(
      MakeResult(1, "KE", 64501, "a.go.ke", SERVING_V6, NO_AAAA, NO_SERVICE),
      &row);
  FoldResult(MakeResult(1, "KE", 64500, "a.go.ke", AAAA_UNREACHABLE, NO_AAAA),
             &row);
  FoldResult(MakeResult(1, "KE", 64501, "a.go.ke", SERVING_V6), &row);
  FoldResult(MakeResult(1, "KE", 0, "a.go.ke", SERVING_V6), &row);
  EXPECT_EQ(row.results, 4u);
  EXPECT_EQ(row.of(Service::kWeb)[SERVING_V6], 3u);
  EXPECT_EQ(row.of(Service::kWeb)[AAAA_UNREACHABLE], 1u);
  EXPECT_EQ(row.of(Service::kDns)[NO_AAAA], 2u);
  EXPECT_EQ(row.of(Service::kDns)[SERVICE_STATE_UNSPECIFIED], 2u);
  EXPECT_EQ(row.of(Service::kMail)[NO_SERVICE], 1u);
  EXPECT_EQ(row.of(Service::kMail)[SERVICE_STATE_UNSPECIFIED], 3u);
  // Unattributed probes (ASN 0) are no network.
  EXPECT_EQ(row.asns, (std::vector<uint32_t>{64500, 64501}));
}

TEST(ReadinessRollupTest, UnknownStateValueCountsAsNotTested) {
  DomainRollup row;
  ReadinessResult r = MakeResult(1, "KE", 64500, "a.go.ke", SERVING_V6);
  r.states[0] = static_cast<v6scope::v1::ServiceState>(42);
  row.key = KeyOf(r);
  FoldResult(r, &row);
  EXPECT_EQ(row.of(Service::kWeb)[SERVICE_STATE_UNSPECIFIED], 1u);
}

TEST(ReadinessRollupTest, MergeAddsCountsAndUnitesAsns) {
  DomainRollup a;
  DomainRollup b;
  a.key = b.key = KeyOf(MakeResult(1, "KE", 1, "a.go.ke", SERVING_V6));
  FoldResult(MakeResult(1, "KE", 3, "a.go.ke", SERVING_V6), &a);
  FoldResult(MakeResult(1, "KE", 1, "a.go.ke", NO_AAAA), &a);
  FoldResult(MakeResult(1, "KE", 2, "a.go.ke", SERVING_V6), &b);
  FoldResult(MakeResult(1, "KE", 3, "a.go.ke", SERVING_V6), &b);
  DomainRollup ab = a;
  MergeDomainRollup(b, &ab);
  DomainRollup ba = b;
  MergeDomainRollup(a, &ba);
  EXPECT_EQ(ab, ba);
  EXPECT_EQ(ab.results, 4u);
  EXPECT_EQ(ab.of(Service::kWeb)[SERVING_V6], 3u);
  EXPECT_EQ(ab.asns, (std::vector<uint32_t>{1, 2, 3}));
}

TEST(ReadinessRollupTest, DeltasMergePerKeyInKeyOrder) {
  ReadinessRollupDeltas deltas;
  EXPECT_TRUE(deltas.empty());
  deltas.Add(MakeResult(2, "KE", 1, "b.go.ke", SERVING_V6));
  deltas.Add(MakeResult(1, "KE", 1, "b.go.ke", SERVING_V6));
  deltas.Add(MakeResult(1, "FR", 1, "b.go.ke", SERVING_V6));
  deltas.Add(MakeResult(1, "KE", 2, "b.go.ke", NO_AAAA));
  const std::vector<DomainRollup> rows = deltas.Take();
  EXPECT_TRUE(deltas.empty());
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].key.country, "FR");
  EXPECT_EQ(rows[1].key.country, "KE");
  EXPECT_EQ(rows[1].key.round, 1u);
  EXPECT_EQ(rows[1].results, 2u);
  EXPECT_EQ(rows[2].key.round, 2u);
}

TEST(ReadinessRollupTest, MethodologyVersionsAreSeparateRows) {
  ReadinessResult old = MakeResult(1, "KE", 1, "a.go.ke", SERVING_V6);
  old.methodology_version = "readiness 0";
  const std::vector<DomainRollup> rows = RebuildReadinessRollups(
      {old, MakeResult(1, "KE", 1, "a.go.ke", SERVING_V6)});
  EXPECT_EQ(rows.size(), 2u);
}

TEST(ReadinessRollupTest, MergeIntoAddsNewRowsAndMergesKnownOnes) {
  std::map<DomainRollupKey, DomainRollup> table;
  MergeInto(
      RebuildReadinessRollups({MakeResult(1, "KE", 1, "a.go.ke", SERVING_V6)}),
      &table);
  MergeInto(
      RebuildReadinessRollups({MakeResult(1, "KE", 2, "a.go.ke", SERVING_V6),
                               MakeResult(1, "KE", 2, "b.go.ke", SERVING_V6)}),
      &table);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table.begin()->second.results, 2u);
  EXPECT_EQ(table.begin()->second.asns, (std::vector<uint32_t>{1, 2}));
}

}  // namespace
}  // namespace v6scope::collector::aggregate::readiness
