#include "collector/query/attribution_data.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/data/data_paths.h"

namespace v6scope::collector::query {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using tests::data::FixturePath;

std::shared_ptr<const enrich::AttributionIndex> Load(bool with_afrinic,
                                                     bool partial) {
  enrich::AttributionSources s;
  s.rir_files = {FixturePath("delegated-apnic-test")};
  if (with_afrinic) {
    s.rir_files.push_back(FixturePath("delegated-afrinic-extended-test"));
  }
  if (partial) s.pfx2as_files = {FixturePath("pfx2as_cut.txt")};
  s.allow_partial = partial;
  absl::StatusOr<std::shared_ptr<const enrich::AttributionIndex>> index =
      enrich::AttributionIndex::Load(s);
  EXPECT_TRUE(index.ok()) << index.status();
  return index.ok() ? *index : nullptr;
}

TEST(AttributionDataTest, NamesTheMissingRegistryOfACountry) {
  const auto apnic_only = Load(false, false);
  EXPECT_EQ(MissingRegistryNote(apnic_only.get(), "KE"),
            "no AFRINIC data loaded");
  EXPECT_EQ(MissingRegistryNote(apnic_only.get(), "DE"),
            "no RIPE NCC data loaded");
  EXPECT_EQ(MissingRegistryNote(apnic_only.get(), "CN"), "");
  EXPECT_EQ(MissingRegistryNote(apnic_only.get(), "EU"), "");
  EXPECT_EQ(MissingRegistryNote(nullptr, "KE"), "no AFRINIC data loaded");
  const auto both = Load(true, false);
  EXPECT_EQ(MissingRegistryNote(both.get(), "KE"), "");
}

TEST(AttributionDataTest, AllocationNotes) {
  const auto apnic_only = Load(false, false);
  EXPECT_THAT(AllocationNotes(apnic_only.get(), "KE"),
              ElementsAre("no AFRINIC data loaded"));
  EXPECT_THAT(AllocationNotes(apnic_only.get(), "CN"), IsEmpty());
  EXPECT_THAT(AllocationNotes(apnic_only.get(), ""),
              ElementsAre("no AFRINIC, ARIN, LACNIC, RIPE NCC data loaded"));
  const auto partial = Load(true, true);
  EXPECT_THAT(AllocationNotes(partial.get(), "KE"),
              ElementsAre("attribution data incomplete"));
}

TEST(AttributionDataTest, DescribesRegistriesAndPartialFiles) {
  EXPECT_EQ(DescribeAttributionData(nullptr).registries_size(), 0);
  const v6scope::v1::AttributionData data =
      DescribeAttributionData(Load(true, true).get());
  EXPECT_THAT(data.registries(), ElementsAre("afrinic", "apnic"));
  EXPECT_TRUE(data.partial());
  EXPECT_THAT(data.partial_files(), ElementsAre("pfx2as_cut.txt"));
}

}  // namespace
}  // namespace v6scope::collector::query
