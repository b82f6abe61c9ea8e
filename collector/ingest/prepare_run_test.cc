#include "collector/ingest/prepare_run.h"

#include <string>

#include "google/protobuf/unknown_field_set.h"
#include "gtest/gtest.h"

namespace v6scope::collector::ingest {
namespace {

// Unknown fields of a proto3 message, through reflection.
google::protobuf::UnknownFieldSet* Unknown(google::protobuf::Message* m) {
  return m->GetReflection()->MutableUnknownFields(m);
}
const google::protobuf::UnknownFieldSet& UnknownOf(
    const google::protobuf::Message& m) {
  return m.GetReflection()->GetUnknownFields(m);
}

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

TEST(PrepareRun, RefusesARunOverTheStoredSizeLimit) {
  v6scope::v1::Run run;
  run.set_probe_version(std::string(kMaxStoredRunBytes, 'v'));
  absl::StatusOr<store::PreparedRun> prepared = PrepareRun(run);
  EXPECT_EQ(prepared.status().code(), absl::StatusCode::kInvalidArgument);
  run.set_probe_version(std::string(kMaxStoredRunBytes - 8, 'v'));
  EXPECT_TRUE(PrepareRun(run).ok());
}

TEST(SanitizeRun, DropsUnknownFieldsRecursively) {
  v6scope::v1::Run run;
  run.set_target_set("default");
  Unknown(&run)->AddLengthDelimited(999, std::string(1000, 'x'));
  v6scope::v1::TestResult* test = run.add_tests();
  Unknown(test)->AddVarint(77, 5);
  Unknown(test->mutable_timings())->AddFixed32(50, 1);
  SanitizeRun(&run);
  EXPECT_EQ(UnknownOf(run).field_count(), 0);
  EXPECT_EQ(UnknownOf(run.tests(0)).field_count(), 0);
  EXPECT_EQ(UnknownOf(run.tests(0).timings()).field_count(), 0);
  EXPECT_EQ(run.target_set(), "default");
}

TEST(SanitizeRun, AddressesBecomeCanonicalText) {
  v6scope::v1::Run run;
  v6scope::v1::TestResult* test = run.add_tests();
  test->add_resolved_addresses("3FFE:0:0:0:0:0:0:80");
  test->set_used_address("3ffe:0000::0080");
  test->set_dns_server("11.0.2.53");
  SanitizeRun(&run);
  EXPECT_EQ(run.tests(0).resolved_addresses(0), "3ffe::80");
  EXPECT_EQ(run.tests(0).used_address(), "3ffe::80");
  EXPECT_EQ(run.tests(0).dns_server(), "11.0.2.53");
}

}  // namespace
}  // namespace v6scope::collector::ingest
