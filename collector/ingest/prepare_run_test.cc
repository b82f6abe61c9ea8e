#include "collector/ingest/prepare_run.h"

#include "gtest/gtest.h"

namespace v6scope::collector::ingest {
namespace {

v6scope::v1::Run SampleRun() {
  v6scope::v1::Run run;
  run.set_target_set("default");
  run.mutable_started_at()->set_seconds(1700000000);
  run.mutable_started_at()->set_nanos(123456789);
  run.mutable_verdict()->set_capability(v6scope::v1::V6_BROKEN);
  run.mutable_verdict()->set_score(40);
  run.mutable_verdict()->add_root_causes(v6scope::v1::PMTU_BLACKHOLE);
  run.mutable_attribution()->set_asn(64500);
  run.mutable_attribution()->set_country("NZ");
  return run;
}

TEST(PrepareRun, BlobIsTheRunsWireBytes) {
  const v6scope::v1::Run run = SampleRun();
  absl::StatusOr<store::PreparedRun> prepared = PrepareRun(run);
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  v6scope::v1::Run parsed;
  ASSERT_TRUE(parsed.ParseFromString(prepared->blob));
  EXPECT_EQ(parsed.SerializeAsString(), run.SerializeAsString());
}

TEST(PrepareRun, ColumnsAndObservationComeFromTheRun) {
  absl::StatusOr<store::PreparedRun> prepared = PrepareRun(SampleRun());
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  // Microseconds, nanoseconds below a microsecond dropped.
  ASSERT_TRUE(prepared->started_at_us.has_value());
  EXPECT_EQ(*prepared->started_at_us, 1700000000123456);
  EXPECT_EQ(prepared->capability, v6scope::v1::V6_BROKEN);
  EXPECT_EQ(prepared->score, 40);
  EXPECT_EQ(prepared->observation.asn, 64500u);
  EXPECT_EQ(prepared->observation.country, "NZ");
  EXPECT_TRUE(prepared->observation.HasCause(v6scope::v1::PMTU_BLACKHOLE));
  EXPECT_EQ(prepared->observation, methodology::Observe(SampleRun()));
}

TEST(PrepareRun, RunTimeIsStartedAtElseReceivedAt) {
  const absl::Time received = absl::FromUnixSeconds(1800000000);
  absl::StatusOr<store::PreparedRun> started = PrepareRun(SampleRun());
  ASSERT_TRUE(started.ok());
  EXPECT_EQ(started->RunTime(received), absl::FromUnixMicros(1700000000123456));
  v6scope::v1::Run unstarted = SampleRun();
  unstarted.clear_started_at();
  absl::StatusOr<store::PreparedRun> not_started = PrepareRun(unstarted);
  ASSERT_TRUE(not_started.ok());
  EXPECT_FALSE(not_started->started_at_us.has_value());
  EXPECT_EQ(not_started->RunTime(received), received);
}

}  // namespace
}  // namespace v6scope::collector::ingest
