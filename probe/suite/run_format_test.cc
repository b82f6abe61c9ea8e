#include "probe/suite/run_format.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::probe::suite {
namespace {

using ::testing::HasSubstr;

v6scope::v1::Run SampleRun() {
  v6scope::v1::Run run;
  run.mutable_started_at()->set_seconds(1'800'000'000);
  run.mutable_inventory()->set_v6_global_native(1);
  run.mutable_inventory()->set_v4_shared(1);
  run.mutable_inventory()->set_v6_default_route(true);
  run.mutable_public_addresses()->set_v6_prefix("2001:db8:1::/48");
  return run;
}

TEST(RunFormatTest, TextShowsInventoryAndMissingVerdict) {
  std::string text = FormatRunText(SampleRun());
  EXPECT_THAT(text, HasSubstr("2027-01-15T08:00:00Z"));
  EXPECT_THAT(text, HasSubstr("global=1"));
  EXPECT_THAT(text, HasSubstr("cgnat=1"));
  EXPECT_THAT(text, HasSubstr("v4=no v6=yes"));
  EXPECT_THAT(text, HasSubstr("v4=- v6=2001:db8:1::/48"));
  EXPECT_THAT(text, HasSubstr("verdict                none"));
}

TEST(RunFormatTest, TextShowsTestsVerdictCausesAndScore) {
  v6scope::v1::Run run = SampleRun();
  auto* t = run.add_tests();
  t->set_kind(v6scope::v1::HTTP_V6_LARGE);
  t->set_outcome(v6scope::v1::TIMEOUT);
  t->set_family(v6scope::v1::IPV6);
  t->set_used_address("2001:db8::80");
  t->mutable_timings()->set_connect_us(1500);
  t->mutable_timings()->set_total_us(30000000);
  t->set_target("http://v6.example.test:80/large");
  run.mutable_verdict()->set_capability(v6scope::v1::V6_PREFERRED);
  run.mutable_verdict()->add_root_causes(v6scope::v1::PMTU_BLACKHOLE);
  run.mutable_verdict()->add_root_causes(
      static_cast<v6scope::v1::RootCause>(999));
  run.mutable_verdict()->set_score(7);
  run.mutable_verdict()->set_methodology_version("1");
  std::string text = FormatRunText(run);
  EXPECT_THAT(text, HasSubstr("HTTP_V6_LARGE    TIMEOUT             IPv6"));
  EXPECT_THAT(text, HasSubstr("1.5ms"));
  EXPECT_THAT(text, HasSubstr("30000.0ms"));
  EXPECT_THAT(text, HasSubstr("V6_PREFERRED"));
  EXPECT_THAT(text, HasSubstr("PMTU_BLACKHOLE, #999"));
  EXPECT_THAT(text, HasSubstr("7/10 (methodology 1)"));
}

TEST(RunFormatTest, JsonUsesProtoFieldNames) {
  absl::StatusOr<std::string> json = FormatRunJson(SampleRun());
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"v6_global_native\":1"));
  EXPECT_THAT(*json, HasSubstr("\"started_at\":\"2027-01-15T08:00:00Z\""));
}

}  // namespace
}  // namespace v6scope::probe::suite
