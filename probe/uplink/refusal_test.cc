#include "probe/uplink/refusal.h"

#include "gtest/gtest.h"

namespace v6scope::probe::uplink {
namespace {

TEST(RefusalTest, FindsTheRunTheCollectorNames) {
  EXPECT_EQ(RefusedRunIndex("runs[1].tests[3].error_detail: control "
                            "character at byte 4"),
            1u);
  EXPECT_EQ(RefusedRunIndex("batch.runs[12]: stored run above 65536 bytes"),
            12u);
  EXPECT_EQ(RefusedRunIndex("UploadRequest does not parse: "
                            "batch.runs[0].tests[2].target: invalid UTF-8"),
            0u);
  EXPECT_EQ(RefusedRunIndex("first_seq: must be at least 1"), std::nullopt);
  EXPECT_EQ(RefusedRunIndex("runs: empty batch"), std::nullopt);
  EXPECT_EQ(RefusedRunIndex("xruns[3]: not a path"), std::nullopt);
  EXPECT_EQ(RefusedRunIndex("runs[]: no index"), std::nullopt);
  EXPECT_EQ(RefusedRunIndex("runs[7"), std::nullopt);
}

TEST(RefusalTest, TellsBatchFieldsFromRuns) {
  EXPECT_TRUE(
      NamesBatchField("first_seq: the batch's sequence numbers "
                      "would pass 2^63-1"));
  EXPECT_TRUE(NamesBatchField("dropped_runs: implausibly large"));
  EXPECT_TRUE(NamesBatchField("runs: more than 500 runs in one batch"));
  EXPECT_FALSE(NamesBatchField("runs[0].target_set: longer than 64 bytes"));
  EXPECT_FALSE(
      NamesBatchField("UploadRequest does not parse: truncated or "
                      "malformed protobuf data"));
}

TEST(RefusalTest, ShiftsTheIndexOfAPartBatch) {
  absl::Status s = ShiftRefusedRun(
      absl::InvalidArgumentError("runs[3].tests[1].error_detail: bad"), 200);
  EXPECT_EQ(s.message(), "runs[203].tests[1].error_detail: bad");
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  const absl::Status other = absl::UnavailableError("runs[3]");
  EXPECT_EQ(ShiftRefusedRun(other, 200), other);
  const absl::Status unnamed = absl::InvalidArgumentError("no run named");
  EXPECT_EQ(ShiftRefusedRun(unnamed, 200), unnamed);
}

TEST(RefusalTest, ReadsDomainBatchRefusals) {
  EXPECT_EQ(RefusedResultIndex("results[3].check.web[1].final_url: too long"),
            3u);
  EXPECT_EQ(RefusedResultIndex("runs[3].target_set: x"), std::nullopt);
  EXPECT_TRUE(NamesDomainBatchField("first_seq: must be at least 1"));
  EXPECT_TRUE(NamesDomainBatchField("dropped_results: implausibly large"));
  EXPECT_FALSE(NamesDomainBatchField("results[0].item: out of range"));
  EXPECT_EQ(
      ShiftRefusedResult(absl::InvalidArgumentError("results[2].item: x"), 200)
          .message(),
      "results[202].item: x");
}

TEST(RefusalTest, RecognisesACollectorWithoutCampaigns) {
  EXPECT_TRUE(IsWithoutCampaigns(
      absl::InvalidArgumentError("UploadRequest carries no batch")));
  EXPECT_FALSE(IsWithoutCampaigns(
      absl::UnavailableError("UploadRequest carries no batch")));
  EXPECT_FALSE(IsWithoutCampaigns(absl::InvalidArgumentError("results[0]")));
}

}  // namespace
}  // namespace v6scope::probe::uplink
