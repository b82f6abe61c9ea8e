#include "probe/suite/run_format.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::probe {
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
  EXPECT_THAT(text, HasSubstr("none (no network tests in this run)"));
}

TEST(RunFormatTest, JsonUsesProtoFieldNames) {
  absl::StatusOr<std::string> json = FormatRunJson(SampleRun());
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"v6_global_native\":1"));
  EXPECT_THAT(*json, HasSubstr("\"started_at\":\"2027-01-15T08:00:00Z\""));
}

}  // namespace
}  // namespace v6scope::probe
