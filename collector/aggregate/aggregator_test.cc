#include "collector/aggregate/aggregator.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "collector/aggregate/rollup.h"
#include "gtest/gtest.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::aggregate {
namespace {

using ::v6scope::v1::GroupAggregate;

const int64_t kMonday = absl::ToUnixMicros(
    absl::FromCivil(absl::CivilDay(2026, 11, 23), absl::UTCTimeZone()));

ProbeWindow Row(const std::string& probe, v6scope::v1::Capability c,
                const std::string& country = "KE", uint32_t asn = 64500,
                int64_t runs = 1) {
  ProbeWindow row;
  row.kind = WindowKind::kWeek;
  row.window_start_us = kMonday;
  row.probe_id = probe;
  row.runs = runs;
  row.latest.capability = c;
  row.latest.country = country;
  row.latest.asn = asn;
  row.latest.resolver_v6 = methodology::ResolverV6::kYes;
  row.latest.methodology_version = "1";
  return row;
}

AggregateOptions Options(v6scope::v1::GroupBy by) {
  AggregateOptions options;
  options.group_by = by;
  options.window = WindowKind::kWeek;
  return options;
}

std::vector<GroupAggregate> Groups(const std::vector<ProbeWindow>& rows,
                                   const AggregateOptions& options) {
  absl::StatusOr<std::vector<GroupAggregate>> groups = Aggregate(rows, options);
  EXPECT_TRUE(groups.ok()) << groups.status();
  return groups.ok() ? *groups : std::vector<GroupAggregate>();
}

// Ten probes in KE: 8 capable (5 preferred, 3 capable only), 1 broken with
// a PMTU black hole, 1 IPv4-only; one probe ran 50 times.
std::vector<ProbeWindow> Kenya() {
  std::vector<ProbeWindow> rows;
  for (int i = 0; i < 5; ++i) {
    rows.push_back(Row("pref" + std::to_string(i), v6scope::v1::V6_PREFERRED,
                       "KE", 64500, i == 0 ? 50 : 1));
  }
  for (int i = 0; i < 3; ++i) {
    rows.push_back(Row("cap" + std::to_string(i), v6scope::v1::V6_CAPABLE));
  }
  ProbeWindow broken = Row("broken", v6scope::v1::V6_BROKEN);
  broken.latest.root_causes = 1u << v6scope::v1::PMTU_BLACKHOLE;
  broken.latest.resolver_v6 = methodology::ResolverV6::kNo;
  rows.push_back(broken);
  rows.push_back(Row("v4", v6scope::v1::V4_ONLY));
  return rows;
}

TEST(AggregatorTest, SharesCountEachProbeOnceWithWilsonIntervals) {
  const std::vector<GroupAggregate> groups =
      Groups(Kenya(), Options(v6scope::v1::COUNTRY));
  ASSERT_EQ(groups.size(), 1u);
  const GroupAggregate& ke = groups[0];
  EXPECT_EQ(ke.key(), "KE");
  EXPECT_EQ(ke.name(), "Kenya");
  EXPECT_FALSE(ke.insufficient_data());
  EXPECT_EQ(ke.probes(), 10u);
  EXPECT_EQ(ke.runs(), 59u);  // The busy probe's 50 runs are one vote.
  EXPECT_EQ(ke.measured_probes(), 10u);
  EXPECT_EQ(ke.v6_capable().count(), 8u);
  EXPECT_EQ(ke.v6_capable().total(), 10u);
  EXPECT_DOUBLE_EQ(ke.v6_capable().value(), 0.8);
  EXPECT_NEAR(ke.v6_capable().ci_low(), 0.4902, 1e-4);  // Wilson, 8/10.
  EXPECT_NEAR(ke.v6_capable().ci_high(), 0.9433, 1e-4);
  EXPECT_EQ(ke.v6_preferred().count(), 5u);
  EXPECT_NEAR(ke.v6_preferred().ci_low(), 0.2366, 1e-4);  // Wilson, 5/10.
  EXPECT_NEAR(ke.v6_preferred().ci_high(), 0.7634, 1e-4);
  EXPECT_EQ(ke.v6_broken().count(), 1u);
  EXPECT_EQ(ke.pmtu_broken().count(), 1u);
  EXPECT_EQ(ke.nat64().count(), 0u);
  EXPECT_EQ(ke.resolver_v6().count(), 9u);
  ASSERT_EQ(ke.causes_size(), 1);
  EXPECT_EQ(ke.causes(0).cause(), v6scope::v1::PMTU_BLACKHOLE);
  EXPECT_EQ(ke.causes(0).probes(), 1u);
  EXPECT_EQ(ke.causes(0).share().count(), 1u);
  EXPECT_EQ(ke.causes(0).share().total(), 10u);
  EXPECT_DOUBLE_EQ(ke.causes(0).share().value(), 0.1);
  EXPECT_NEAR(ke.causes(0).share().ci_low(), 0.0179, 1e-4);  // Wilson, 1/10.
  EXPECT_NEAR(ke.causes(0).share().ci_high(), 0.4042, 1e-4);
  EXPECT_EQ(ke.v4_broken().count(), 0u);
  EXPECT_EQ(ke.v4_broken().total(), 10u);
  ASSERT_EQ(ke.methodology_versions_size(), 1);
  EXPECT_EQ(ke.methodology_versions(0).version(), "1");
  EXPECT_EQ(ke.methodology_versions(0).probes(), 10u);
  EXPECT_FALSE(ke.has_median_gap_ms());
  EXPECT_EQ(ke.window_end().seconds() - ke.window_start().seconds(), 7 * 86400);
}

TEST(AggregatorTest, BelowKProbesPublishesNoNumber) {
  std::vector<ProbeWindow> rows = {
      Row("a", v6scope::v1::V6_PREFERRED),
      Row("b", v6scope::v1::V6_PREFERRED, "KE", 64500, 100)};
  std::vector<GroupAggregate> groups =
      Groups(rows, Options(v6scope::v1::COUNTRY));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(groups[0].insufficient_data());
  EXPECT_EQ(groups[0].probes(), 0u);
  EXPECT_EQ(groups[0].runs(), 0u);
  EXPECT_FALSE(groups[0].has_v6_capable());
  EXPECT_EQ(groups[0].causes_size(), 0);
  // k is configurable.
  AggregateOptions k2 = Options(v6scope::v1::COUNTRY);
  k2.min_probes = 2;
  groups = Groups(rows, k2);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_FALSE(groups[0].insufficient_data());
  EXPECT_EQ(groups[0].probes(), 2u);
}

TEST(AggregatorTest, OfflineProbesCountButAreNotMeasured) {
  std::vector<ProbeWindow> rows = {Row("a", v6scope::v1::V6_PREFERRED),
                                   Row("b", v6scope::v1::V6_BROKEN),
                                   Row("c", v6scope::v1::OFFLINE)};
  const std::vector<GroupAggregate> groups =
      Groups(rows, Options(v6scope::v1::GLOBAL));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].probes(), 3u);
  EXPECT_EQ(groups[0].measured_probes(), 2u);
  EXPECT_EQ(groups[0].v6_capable().total(), 2u);
  EXPECT_DOUBLE_EQ(groups[0].v6_broken().value(), 0.5);
}

TEST(AggregatorTest, MedianGapOverProbesWithAPair) {
  std::vector<ProbeWindow> rows = Kenya();
  rows[0].latest.gap_us = 4000;
  rows[1].latest.gap_us = -2000;
  rows[2].latest.gap_us = 10000;
  rows[3].latest.gap_us = 1000;
  const std::vector<GroupAggregate> groups =
      Groups(rows, Options(v6scope::v1::COUNTRY));
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].gap_probes(), 4u);
  EXPECT_DOUBLE_EQ(groups[0].median_gap_ms(), 2.5);  // (1 + 4) / 2.
}

TEST(AggregatorTest, MedianOfOddAndEvenCounts) {
  std::vector<int64_t> none;
  EXPECT_EQ(Median(none), std::nullopt);
  std::vector<int64_t> odd = {5, 1, 3};
  EXPECT_EQ(Median(odd), 3.0);
  std::vector<int64_t> even = {8, 2, 6, 4};
  EXPECT_EQ(Median(even), 5.0);
}

TEST(AggregatorTest, GroupsByAsnNumericallyWithUnknownLast) {
  std::vector<ProbeWindow> rows;
  for (const char* p : {"a", "b", "c"}) {
    rows.push_back(
        Row(std::string("x") + p, v6scope::v1::V6_CAPABLE, "KE", 100000));
    rows.push_back(Row(std::string("y") + p, v6scope::v1::V6_CAPABLE, "KE", 9));
    rows.push_back(Row(std::string("z") + p, v6scope::v1::V6_CAPABLE, "", 0));
  }
  AggregateOptions options = Options(v6scope::v1::ASN);
  options.as_name = [](uint32_t asn) {
    return asn == 9 ? std::string("NINE-AS") : std::string();
  };
  const std::vector<GroupAggregate> groups = Groups(rows, options);
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].key(), "9");
  EXPECT_EQ(groups[0].name(), "NINE-AS");
  EXPECT_EQ(groups[1].key(), "100000");
  EXPECT_EQ(groups[2].key(), kUnknownGroup);
}

TEST(AggregatorTest, RegionsAndDevelopmentGroups) {
  std::vector<ProbeWindow> rows;
  for (int i = 0; i < 3; ++i) {
    const std::string n = std::to_string(i);
    rows.push_back(Row("ke" + n, v6scope::v1::V6_CAPABLE, "KE"));
    rows.push_back(Row("et" + n, v6scope::v1::V4_ONLY, "ET"));     // LDC, LLDC.
    rows.push_back(Row("fj" + n, v6scope::v1::V6_CAPABLE, "FJ"));  // SIDS.
    rows.push_back(Row("de" + n, v6scope::v1::V6_PREFERRED, "DE"));
  }
  std::vector<GroupAggregate> itu =
      Groups(rows, Options(v6scope::v1::ITU_REGION));
  ASSERT_EQ(itu.size(), 3u);  // africa, asia-pacific, europe.
  EXPECT_EQ(itu[0].key(), "africa");
  EXPECT_EQ(itu[0].probes(), 6u);
  EXPECT_EQ(itu[0].v6_capable().count(), 3u);
  std::vector<GroupAggregate> dev =
      Groups(rows, Options(v6scope::v1::DEV_GROUP));
  ASSERT_EQ(dev.size(), 3u);
  EXPECT_EQ(dev[0].key(), "ldc");
  EXPECT_EQ(dev[0].probes(), 3u);
  EXPECT_EQ(dev[1].key(), "lldc");
  EXPECT_EQ(dev[2].key(), "sids");
  EXPECT_EQ(dev[2].v6_capable().count(), 3u);
  std::vector<GroupAggregate> rir = Groups(rows, Options(v6scope::v1::RIR));
  ASSERT_EQ(rir.size(), 3u);
  EXPECT_EQ(rir[0].key(), "afrinic");
  EXPECT_EQ(rir[0].name(), "AFRINIC");
  // A region filter keeps only its countries' probes.
  AggregateOptions africa = Options(v6scope::v1::COUNTRY);
  africa.region = "africa";
  std::vector<GroupAggregate> countries = Groups(rows, africa);
  ASSERT_EQ(countries.size(), 2u);
  EXPECT_EQ(countries[0].key(), "ET");
  EXPECT_EQ(countries[1].key(), "KE");
}

TEST(AggregatorTest, UnknownRegionIsInvalidArgument) {
  AggregateOptions options = Options(v6scope::v1::COUNTRY);
  options.region = "atlantis";
  absl::StatusOr<std::vector<GroupAggregate>> groups =
      Aggregate(Kenya(), options);
  EXPECT_EQ(groups.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(groups.status().message().find("atlantis"), std::string::npos);
}

// Methodology 2 probes next to methodology 1 ones: one with broken IPv4
// (capable, not preferred), one behind a NAT64 whose translator is down,
// one with IPv6 answered by ICMPv6 errors.
std::vector<ProbeWindow> MixedVersions() {
  std::vector<ProbeWindow> rows = Kenya();  // Ten methodology 1 probes.
  ProbeWindow v4_broken = Row("v4b", v6scope::v1::V4_BROKEN);
  v4_broken.latest.root_causes = 1u << v6scope::v1::V4_PATH_BROKEN;
  ProbeWindow nat64_broken = Row("n64b", v6scope::v1::V6_ONLY);
  nat64_broken.latest.root_causes = 1u << v6scope::v1::NAT64_BROKEN;
  ProbeWindow unreachable = Row("v6u", v6scope::v1::V6_BROKEN);
  unreachable.latest.root_causes = 1u << v6scope::v1::V6_UNREACHABLE;
  ProbeWindow blackhole = Row("v6b", v6scope::v1::V6_BROKEN);
  blackhole.latest.root_causes = 1u << v6scope::v1::V6_BLACKHOLE;
  for (ProbeWindow* row :
       {&v4_broken, &nat64_broken, &unreachable, &blackhole}) {
    row->latest.methodology_version = "2";
    rows.push_back(*row);
  }
  return rows;
}

const v6scope::v1::CauseCount* FindCause(const GroupAggregate& g,
                                         v6scope::v1::RootCause cause) {
  for (const v6scope::v1::CauseCount& c : g.causes()) {
    if (c.cause() == cause) return &c;
  }
  return nullptr;
}

TEST(AggregatorTest, MethodologyTwoClassesAndCauseShares) {
  const std::vector<GroupAggregate> groups =
      Groups(MixedVersions(), Options(v6scope::v1::COUNTRY));
  ASSERT_EQ(groups.size(), 1u);
  const GroupAggregate& ke = groups[0];
  EXPECT_EQ(ke.measured_probes(), 14u);
  EXPECT_EQ(ke.v6_capable().count(), 10u);   // 8 + V4_BROKEN + V6_ONLY.
  EXPECT_EQ(ke.v6_preferred().count(), 6u);  // 5 + V6_ONLY, not V4_BROKEN.
  EXPECT_EQ(ke.v6_broken().count(), 3u);
  EXPECT_EQ(ke.v4_broken().count(), 1u);
  EXPECT_EQ(ke.v4_broken().total(), 14u);
  EXPECT_NEAR(ke.v4_broken().ci_high(), 0.3147, 1e-4);  // Wilson, 1/14.
  EXPECT_EQ(ke.nat64().count(), 1u);  // NAT64_BROKEN is behind NAT64.
  // Causes in enum order, each with its share of the measured probes.
  ASSERT_EQ(ke.causes_size(), 5);
  EXPECT_EQ(ke.causes(0).cause(), v6scope::v1::PMTU_BLACKHOLE);
  EXPECT_EQ(ke.causes(4).cause(), v6scope::v1::V4_PATH_BROKEN);
  for (v6scope::v1::RootCause cause :
       {v6scope::v1::V6_UNREACHABLE, v6scope::v1::V6_BLACKHOLE,
        v6scope::v1::NAT64_BROKEN, v6scope::v1::V4_PATH_BROKEN}) {
    const v6scope::v1::CauseCount* c = FindCause(ke, cause);
    ASSERT_NE(c, nullptr) << v6scope::v1::RootCause_Name(cause);
    EXPECT_EQ(c->probes(), 1u);
    EXPECT_EQ(c->share().count(), 1u);
    EXPECT_EQ(c->share().total(), 14u);
    EXPECT_DOUBLE_EQ(c->share().value(), 1.0 / 14);
    EXPECT_DOUBLE_EQ(c->share().ci_high(), ke.v4_broken().ci_high());
  }
  ASSERT_EQ(ke.methodology_versions_size(), 2);
  EXPECT_EQ(ke.methodology_versions(0).version(), "1");
  EXPECT_EQ(ke.methodology_versions(0).probes(), 10u);
  EXPECT_EQ(ke.methodology_versions(1).version(), "2");
  EXPECT_EQ(ke.methodology_versions(1).probes(), 4u);
}

TEST(AggregatorTest, MethodologyFilterKeepsOneVersion) {
  AggregateOptions options = Options(v6scope::v1::COUNTRY);
  options.methodology = "2";
  std::vector<GroupAggregate> groups = Groups(MixedVersions(), options);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].probes(), 4u);
  EXPECT_EQ(groups[0].v4_broken().total(), 4u);
  ASSERT_EQ(groups[0].methodology_versions_size(), 1);
  EXPECT_EQ(groups[0].methodology_versions(0).version(), "2");
  EXPECT_EQ(FindCause(groups[0], v6scope::v1::PMTU_BLACKHOLE), nullptr);

  options.methodology = "1";
  groups = Groups(MixedVersions(), options);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].probes(), 10u);
  EXPECT_EQ(groups[0].v4_broken().count(), 0u);
  ASSERT_EQ(groups[0].methodology_versions_size(), 1);
  EXPECT_EQ(groups[0].methodology_versions(0).version(), "1");

  // A probe votes by its latest observation: one that moved to methodology
  // 2 during the window is not counted under 1.
  std::vector<ProbeWindow> rows = {Row("a", v6scope::v1::V6_PREFERRED)};
  rows[0].latest.methodology_version = "2";
  options.min_probes = 1;
  EXPECT_TRUE(Groups(rows, options).empty());
}

TEST(AggregatorTest, VersionsAscendNumericallyWithUnversionedLast) {
  std::vector<ProbeWindow> rows;
  for (const char* version : {"10", "", "2", "9", "2"}) {
    rows.push_back(Row(std::string("p") + version + std::to_string(rows.size()),
                       v6scope::v1::V6_CAPABLE));
    rows.back().latest.methodology_version = version;
  }
  const std::vector<GroupAggregate> groups =
      Groups(rows, Options(v6scope::v1::GLOBAL));
  ASSERT_EQ(groups.size(), 1u);
  std::vector<std::string> versions;
  for (const v6scope::v1::MethodologyCount& m :
       groups[0].methodology_versions()) {
    versions.push_back(m.version());
  }
  EXPECT_EQ(versions, (std::vector<std::string>{"2", "9", "10", ""}));
  EXPECT_EQ(groups[0].methodology_versions(0).probes(), 2u);
}

TEST(AggregatorTest, UnknownMethodologyIsInvalidArgument) {
  for (const char* version : {"3", "v2", "02", " 2", "latest"}) {
    AggregateOptions options = Options(v6scope::v1::COUNTRY);
    options.methodology = version;
    absl::StatusOr<std::vector<GroupAggregate>> groups =
        Aggregate(MixedVersions(), options);
    EXPECT_EQ(groups.status().code(), absl::StatusCode::kInvalidArgument)
        << version;
    EXPECT_NE(groups.status().message().find("methodology: unknown version"),
              std::string::npos)
        << groups.status();
  }
}

TEST(AggregatorTest, WindowsAreSeparateAndOrdered) {
  std::vector<ProbeWindow> rows = Kenya();
  for (ProbeWindow row : Kenya()) {
    row.window_start_us -= int64_t{7} * 86400 * 1000000;
    row.latest.capability = v6scope::v1::V4_ONLY;
    rows.push_back(row);
  }
  ProbeWindow other_kind = Row("d", v6scope::v1::V4_ONLY);
  other_kind.kind = WindowKind::kDay;  // Ignored: not the window asked.
  rows.push_back(other_kind);
  const std::vector<GroupAggregate> groups =
      Groups(rows, Options(v6scope::v1::COUNTRY));
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_LT(groups[0].window_start().seconds(),
            groups[1].window_start().seconds());
  EXPECT_EQ(groups[0].v6_capable().count(), 0u);
  EXPECT_EQ(groups[1].v6_capable().count(), 8u);
  EXPECT_EQ(groups[1].probes(), 10u);
}

}  // namespace
}  // namespace v6scope::collector::aggregate
