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
  run.mutable_public_addresses()->set_v6_prefix("3ffe:1::/48");
  return run;
}

TEST(RunFormatTest, TextShowsInventoryAndMissingVerdict) {
  std::string text = FormatRunText(SampleRun());
  EXPECT_THAT(text, HasSubstr("2027-01-15T08:00:00Z"));
  EXPECT_THAT(text, HasSubstr("global=1"));
  EXPECT_THAT(text, HasSubstr("cgnat=1"));
  EXPECT_THAT(text, HasSubstr("v4=no v6=yes"));
  EXPECT_THAT(text, HasSubstr("v4=- v6=3ffe:1::/48"));
  EXPECT_THAT(text, HasSubstr("verdict                none"));
}

TEST(RunFormatTest, TextShowsTestsVerdictCausesAndScore) {
  v6scope::v1::Run run = SampleRun();
  auto* t = run.add_tests();
  t->set_kind(v6scope::v1::HTTP_V6_LARGE);
  t->set_outcome(v6scope::v1::TIMEOUT);
  t->set_family(v6scope::v1::IPV6);
  t->set_used_address("3ffe::80");
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

v6scope::v1::Run Nat64BrokenRun() {
  v6scope::v1::Run run = SampleRun();
  v6scope::v1::Verdict* v = run.mutable_verdict();
  v->set_capability(v6scope::v1::V6_ONLY);
  v->add_root_causes(v6scope::v1::NAT64_BROKEN);
  v->set_score(4);
  v->set_methodology_version("2");
  auto add = [v](const char* label, const char* text) {
    v6scope::v1::Explanation* e = v->add_explanations();
    e->set_label(label);
    e->set_text(text);
  };
  add("V6_ONLY", "IPv6 fetches worked and the host has no IPv4 address");
  add("NAT64_BROKEN",
      "fetches through the NAT64 prefix 64:ff9b::/96 failed (network "
      "unreachable)");
  return run;
}

TEST(RunFormatTest, TextPrintsEachExplanationUnderItsLabel) {
  std::string text = FormatRunText(Nat64BrokenRun());
  EXPECT_THAT(text, HasSubstr("4/10 (methodology 2)\nwhy\n"));
  EXPECT_THAT(text, HasSubstr("\n  V6_ONLY: IPv6 fetches worked and the host "
                              "has no IPv4 address\n  NAT64_BROKEN: fetches "
                              "through the NAT64 prefix 64:ff9b::/96 failed"));
}

TEST(RunFormatTest, TextOfAMethodologyOneVerdictHasNoWhy) {
  v6scope::v1::Run run = Nat64BrokenRun();
  run.mutable_verdict()->clear_explanations();
  EXPECT_THAT(FormatRunText(run), ::testing::Not(HasSubstr("why")));
}

TEST(RunFormatTest, JsonCarriesTheExplanations) {
  absl::StatusOr<std::string> json = FormatRunJson(Nat64BrokenRun());
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"explanations\":[{\"label\":\"V6_ONLY\","
                               "\"text\":\"IPv6 fetches worked"));
  EXPECT_THAT(*json, HasSubstr("{\"label\":\"NAT64_BROKEN\",\"text\":"
                               "\"fetches through the NAT64 prefix"));
}

TEST(RunFormatTest, JsonUsesProtoFieldNames) {
  absl::StatusOr<std::string> json = FormatRunJson(SampleRun());
  ASSERT_TRUE(json.ok());
  EXPECT_THAT(*json, HasSubstr("\"v6_global_native\":1"));
  EXPECT_THAT(*json, HasSubstr("\"started_at\":\"2027-01-15T08:00:00Z\""));
}

}  // namespace
}  // namespace v6scope::probe::suite
