#include "collector/ingest/validate.h"

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "collector/ingest/testing/malformed_batches.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::ingest {
namespace {

using ::testing::HasSubstr;
using testing::MalformedCase;

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

TEST(ValidateTest, ValidBatchPasses) {
  EXPECT_TRUE(ValidateBatch(testing::ValidBatch(kNow), kNow, {}).ok());
}

TEST(ValidateTest, AcceptsWhatProbesSendAtTheLimits) {
  v6scope::v1::Batch b = testing::ValidBatch(kNow);
  v6scope::v1::Run& run = *b.mutable_runs(0);
  run.set_nat64_prefix("3ffe:100::/40");
  run.set_target_set(std::string(64, 't'));
  run.mutable_finished_at()->set_seconds(absl::ToUnixSeconds(kNow) + 23 * 3600);
  v6scope::v1::TestResult& t = *run.mutable_tests(0);
  t.set_target("https://v6.example.net/large?probe=1&test=3");
  t.set_error_detail("r\xc3\xa9seau injoignable\t(\xe2\x80\x94)");
  *run.add_tests() = t;
  run.mutable_tests(1)->set_target("ipv4only.arpa.");
  b.set_first_seq(uint64_t{INT64_MAX});  // One run: its seq is 2^63-1.
  EXPECT_TRUE(ValidateBatch(b, kNow, {}).ok()) << ValidateBatch(b, kNow, {});
}

class ValidateBadInputTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(ValidateBadInputTest, RejectedNamingTheField) {
  v6scope::v1::Batch b = testing::ValidBatch(kNow);
  GetParam().mutate(b);
  absl::Status s = ValidateBatch(b, kNow, {});
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  EXPECT_THAT(s.message(), HasSubstr(GetParam().want_path));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ValidateBadInputTest,
    ::testing::ValuesIn(testing::MalformedCases(kNow)),
    [](const ::testing::TestParamInfo<MalformedCase>& info) {
      return info.param.name;
    });

}  // namespace
}  // namespace v6scope::collector::ingest
