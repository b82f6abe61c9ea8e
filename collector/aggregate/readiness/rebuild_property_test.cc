// Property tests: random results folded at "ingest" in random order and
// random batches give the same table as a rebuild from the raw results,
// and the aggregates read from it keep their invariants.
#include <algorithm>
#include <cstdint>
#include <map>
#include <random>
#include <vector>

#include "collector/aggregate/readiness/changes.h"
#include "collector/aggregate/readiness/domain_views.h"
#include "collector/aggregate/readiness/result.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/aggregate/readiness/shares.h"
#include "collector/aggregate/readiness/test_results.h"
#include "gtest/gtest.h"

namespace v6scope::collector::aggregate::readiness {
namespace {

std::vector<DomainRollup> Rows(
    const std::map<DomainRollupKey, DomainRollup>& table) {
  std::vector<DomainRollup> rows;
  for (const auto& [key, row] : table) rows.push_back(row);
  return rows;
}

// What ingest does: each stored batch's deltas merged into the table.
std::vector<DomainRollup> Incremental(std::vector<ReadinessResult> results,
                                      std::mt19937_64& rng) {
  std::shuffle(results.begin(), results.end(), rng);
  std::map<DomainRollupKey, DomainRollup> table;
  size_t i = 0;
  while (i < results.size()) {
    const size_t batch = std::uniform_int_distribution<size_t>(1, 50)(rng);
    ReadinessRollupDeltas deltas;
    for (size_t end = std::min(results.size(), i + batch); i < end; ++i) {
      deltas.Add(results[i]);
    }
    MergeInto(deltas.Take(), &table);
  }
  return Rows(table);
}

TEST(RebuildPropertyTest, IncrementalEqualsRebuild) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed " << seed);
    std::mt19937_64 rng(seed);
    const std::vector<ReadinessResult> results = RandomResults(rng, 600);
    const std::vector<DomainRollup> rebuilt = RebuildReadinessRollups(results);
    const std::vector<DomainRollup> incremental = Incremental(results, rng);
    ASSERT_EQ(incremental, rebuilt);
    // And so is everything read from them.
    ReadinessAggregateOptions options;
    options.min_networks = 2;
    auto a = ComputeShares(incremental, options);
    auto b = ComputeShares(rebuilt, options);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->size(), b->size());
    for (size_t i = 0; i < a->size(); ++i) {
      EXPECT_EQ((*a)[i].n, (*b)[i].n);
      EXPECT_EQ((*a)[i].withheld, (*b)[i].withheld);
    }
  }
}

TEST(RebuildPropertyTest, FoldingOneByOneEqualsRebuild) {
  std::mt19937_64 rng(99);
  const std::vector<ReadinessResult> results = RandomResults(rng, 400);
  std::map<DomainRollupKey, DomainRollup> table;
  for (const ReadinessResult& r : results) {
    auto [it, inserted] = table.try_emplace(KeyOf(r));
    if (inserted) it->second.key = KeyOf(r);
    FoldResult(r, &it->second);
  }
  EXPECT_EQ(Rows(table), RebuildReadinessRollups(results));
}

TEST(RebuildPropertyTest, SharesKeepTheirInvariants) {
  std::mt19937_64 rng(7);
  const std::vector<DomainRollup> rows =
      RebuildReadinessRollups(RandomResults(rng, 2000));
  ReadinessAggregateOptions options;
  options.min_networks = 1;
  options.dataset_version = "ds-7";
  auto cells = ComputeShares(rows, options);
  ASSERT_TRUE(cells.ok());
  ASSERT_FALSE(cells->empty());
  for (const ShareCell& cell : *cells) {
    EXPECT_EQ(cell.provenance.dataset_version, "ds-7");
    EXPECT_FALSE(cell.country.empty());
    if (cell.withheld) continue;
    EXPECT_EQ(cell.n + cell.split + cell.untested, cell.domains);
    uint64_t domains = 0;
    double sum = 0;
    for (const StateShare& s : cell.shares) {
      domains += s.domains;
      sum += s.value;
      EXPECT_LE(s.ci.low, s.value + 1e-12);
      EXPECT_GE(s.ci.high, s.value - 1e-12);
    }
    EXPECT_EQ(domains, cell.n);
    if (cell.n > 0) {
      EXPECT_NEAR(sum, 1.0, 1e-9);
    }
  }
}

TEST(RebuildPropertyTest, ChangesCountEveryDomainOnce) {
  std::mt19937_64 rng(11);
  const std::vector<DomainRollup> rows =
      RebuildReadinessRollups(RandomResults(rng, 2000));
  ReadinessAggregateOptions options;
  options.min_networks = 1;
  auto views = ComputeDomainViews(rows, options);
  auto changes = ComputeChanges(rows, options);
  ASSERT_TRUE(views.ok() && changes.ok());
  // Per (campaign, round, country): the domains measured.
  std::map<std::tuple<std::string, uint32_t, std::string>, uint64_t> domains;
  for (const DomainView& v : *views) {
    ++domains[{v.key.campaign_id, v.key.round, v.key.country}];
  }
  for (const ServiceChanges& c : *changes) {
    EXPECT_EQ(c.compared + c.not_compared,
              (domains[{c.campaign_id, c.round, c.country}]));
    EXPECT_LE(c.gained.size() + c.lost.size(), c.compared);
    if (c.previous_round == 0) {
      EXPECT_EQ(c.compared, 0u);
    }
    EXPECT_LT(c.previous_round, c.round);
  }
}

}  // namespace
}  // namespace v6scope::collector::aggregate::readiness
