#include "collector/ingest/validate.h"

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
