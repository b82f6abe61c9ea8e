#include "collector/service/validate.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::collector {
namespace {

using ::testing::HasSubstr;
using v6scope::v1::Batch;
using v6scope::v1::Run;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

Run ValidRun() {
  Run run;
  run.mutable_started_at()->set_seconds(absl::ToUnixSeconds(kNow) - 60);
  run.mutable_finished_at()->set_seconds(absl::ToUnixSeconds(kNow) - 59);
  run.mutable_inventory()->set_v6_global_native(1);
  run.mutable_public_addresses()->set_v4_prefix("192.0.2.0/24");
  run.mutable_public_addresses()->set_v6_prefix("2001:db8:1::/48");
  auto* t = run.add_tests();
  t->set_kind(v6scope::v1::HTTP_V6_ONLY);
  t->set_family(v6scope::v1::IPV6);
  t->set_outcome(v6scope::v1::OK);
  t->set_target("http://v6.example.test/");
  t->set_used_address("2001:db8::80");
  t->set_http_status(200);
  t->mutable_timings()->set_connect_us(1000);
  t->mutable_timings()->set_total_us(5000);
  t->add_resolved_addresses("2001:db8::80");
  run.mutable_verdict()->set_capability(v6scope::v1::V6_PREFERRED);
  run.mutable_verdict()->add_root_causes(v6scope::v1::SLOW_V6);
  run.mutable_verdict()->set_score(10);
  return run;
}

Batch ValidBatch() {
  Batch b;
  b.set_first_seq(1);
  *b.add_runs() = ValidRun();
  return b;
}

TEST(ValidateTest, ValidBatchPasses) {
  EXPECT_TRUE(ValidateBatch(ValidBatch(), kNow, {}).ok());
}

struct Case {
  std::string name;
  std::function<void(Batch&)> mutate;
  std::string want_path;
};

class ValidateBadInputTest : public ::testing::TestWithParam<Case> {};

TEST_P(ValidateBadInputTest, RejectedNamingTheField) {
  Batch b = ValidBatch();
  GetParam().mutate(b);
  absl::Status s = ValidateBatch(b, kNow, {});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(s.message(), HasSubstr(GetParam().want_path));
}

Run& R(Batch& b) { return *b.mutable_runs(0); }
v6scope::v1::TestResult& T(Batch& b) { return *R(b).mutable_tests(0); }

INSTANTIATE_TEST_SUITE_P(
    Cases, ValidateBadInputTest,
    ::testing::Values(
        Case{"seq0", [](Batch& b) { b.set_first_seq(0); }, "first_seq"},
        Case{"empty", [](Batch& b) { b.clear_runs(); }, "runs: empty"},
        Case{"too_many_runs",
             [](Batch& b) {
               for (int i = 0; i < 500; ++i) *b.add_runs() = ValidRun();
             },
             "runs: more than 500"},
        Case{"no_start", [](Batch& b) { R(b).clear_started_at(); },
             "runs[0].started_at: must be set"},
        Case{"future",
             [](Batch& b) {
               R(b).mutable_started_at()->set_seconds(
                   absl::ToUnixSeconds(kNow) + 3600);
             },
             "runs[0].started_at: in the future"},
        Case{"ancient",
             [](Batch& b) { R(b).mutable_started_at()->set_seconds(1000); },
             "runs[0].started_at: older"},
        Case{"bad_nanos",
             [](Batch& b) { R(b).mutable_started_at()->set_nanos(-1); },
             "runs[0].started_at: timestamp out of range"},
        Case{"finished_before_started",
             [](Batch& b) {
               R(b).mutable_finished_at()->set_seconds(
                   absl::ToUnixSeconds(kNow) - 3600);
             },
             "runs[0].finished_at: before started_at"},
        Case{"kind_unset", [](Batch& b) { T(b).set_kind({}); },
             "runs[0].tests[0].kind: must be set"},
        Case{"kind_unknown",
             [](Batch& b) {
               T(b).set_kind(static_cast<v6scope::v1::TestKind>(999));
             },
             "runs[0].tests[0].kind: unknown enum value 999"},
        Case{"outcome_unset", [](Batch& b) { T(b).set_outcome({}); },
             "runs[0].tests[0].outcome: must be set"},
        Case{"family_unknown",
             [](Batch& b) {
               T(b).set_family(static_cast<v6scope::v1::AddressFamily>(7));
             },
             "runs[0].tests[0].family"},
        Case{"long_target",
             [](Batch& b) { T(b).set_target(std::string(256, 'a')); },
             "runs[0].tests[0].target: longer than 255"},
        Case{"long_detail",
             [](Batch& b) { T(b).set_error_detail(std::string(300, 'x')); },
             "runs[0].tests[0].error_detail"},
        Case{"phase_after_total",
             [](Batch& b) { T(b).mutable_timings()->set_first_byte_us(6000); },
             "runs[0].tests[0].timings.first_byte_us: exceeds total_us"},
        Case{
            "total_huge",
            [](Batch& b) { T(b).mutable_timings()->set_total_us(700'000'000); },
            "timings.total_us"},
        Case{"bad_used_address",
             [](Batch& b) { T(b).set_used_address("not-an-ip"); },
             "runs[0].tests[0].used_address: not an IP"},
        Case{"bad_resolved",
             [](Batch& b) { T(b).add_resolved_addresses("300.1.1.1"); },
             "runs[0].tests[0].resolved_addresses[1]"},
        Case{"too_many_resolved",
             [](Batch& b) {
               for (int i = 0; i < 16; ++i) {
                 T(b).add_resolved_addresses("192.0.2.1");
               }
             },
             "resolved_addresses: more than 16"},
        Case{"bad_dns_server", [](Batch& b) { T(b).set_dns_server("::g"); },
             "tests[0].dns_server"},
        Case{"http_status", [](Batch& b) { T(b).set_http_status(99); },
             "tests[0].http_status"},
        Case{"rcode", [](Batch& b) { T(b).set_dns_rcode(5000); },
             "tests[0].dns_rcode"},
        Case{"too_many_tests",
             [](Batch& b) {
               for (int i = 0; i < 64; ++i) *R(b).add_tests() = T(b);
             },
             "runs[0].tests: more than 64"},
        Case{"untruncated_v4",
             [](Batch& b) {
               R(b).mutable_public_addresses()->set_v4_prefix("192.0.2.7/32");
             },
             "public_addresses.v4_prefix"},
        Case{"host_bits_v6",
             [](Batch& b) {
               R(b).mutable_public_addresses()->set_v6_prefix(
                   "2001:db8:1::1/48");
             },
             "public_addresses.v6_prefix"},
        Case{"v6_as_v4",
             [](Batch& b) {
               R(b).mutable_public_addresses()->set_v4_prefix(
                   "2001:db8:1::/48");
             },
             "public_addresses.v4_prefix"},
        Case{"score", [](Batch& b) { R(b).mutable_verdict()->set_score(11); },
             "verdict.score: above 10"},
        Case{"cause_dup",
             [](Batch& b) {
               R(b).mutable_verdict()->add_root_causes(v6scope::v1::SLOW_V6);
             },
             "verdict.root_causes[1]: duplicate"},
        Case{"cause_unknown",
             [](Batch& b) {
               R(b).mutable_verdict()->add_root_causes(
                   static_cast<v6scope::v1::RootCause>(77));
             },
             "verdict.root_causes[1]: unknown enum value 77"},
        Case{"capability_unknown",
             [](Batch& b) {
               R(b).mutable_verdict()->set_capability(
                   static_cast<v6scope::v1::Capability>(42));
             },
             "verdict.capability"},
        Case{"inventory",
             [](Batch& b) { R(b).mutable_inventory()->set_v4_private(100000); },
             "runs[0].inventory"},
        Case{"probe_version",
             [](Batch& b) { R(b).set_probe_version(std::string(65, 'v')); },
             "runs[0].probe_version"},
        Case{"dropped", [](Batch& b) { b.set_dropped_runs(uint64_t{1} << 62); },
             "dropped_runs"}),
    [](const ::testing::TestParamInfo<Case>& info) { return info.param.name; });

}  // namespace
}  // namespace v6scope::collector
