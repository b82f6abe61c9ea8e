#include "api/api_json.h"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/util/time_util.h>

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "proto/query_service.pb.h"
#include "proto/results.pb.h"

namespace v6scope::api {
namespace {

using ::google::protobuf::util::TimeUtil;

google::protobuf::Timestamp At(const char* rfc3339) {
  google::protobuf::Timestamp t;
  EXPECT_TRUE(TimeUtil::FromString(rfc3339, &t)) << rfc3339;
  return t;
}

// The JSON parses back into an equal message with protobuf's own parser
// (what Python's json_format and other generic clients use).
template <typename M>
void ExpectRoundTrip(const M& message) {
  M back;
  const std::string json = ToJson(message);
  const auto parsed = google::protobuf::util::JsonStringToMessage(json, &back);
  ASSERT_TRUE(parsed.ok()) << parsed.message() << " in " << json;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(message, back))
      << json;
}

TEST(ApiJsonTest, DefaultsArePrintedAndUnsetMessagesAreNull) {
  v6scope::v1::Share share;
  EXPECT_EQ(ToJson(share),
            R"({"count":0,"total":0,"value":0,"ci_low":0,"ci_high":0})");
  v6scope::v1::ProbeSummary probe;
  EXPECT_EQ(ToJson(probe), R"({"probe_id":"","org":"","enrolled_at":null,)"
                           R"("last_run_at":null,"runs":0,"revoked":false,)"
                           R"("dropped_runs":0,"synthetic":false})");
  ExpectRoundTrip(probe);
}

TEST(ApiJsonTest, SixtyFourBitIntegersAreNumbers) {
  v6scope::v1::ListProbesResponse response;
  v6scope::v1::ProbeSummary* p = response.add_probes();
  p->set_probe_id("p-1");
  p->set_runs((uint64_t{1} << 53) - 1);
  p->set_dropped_runs(7);
  *p->mutable_enrolled_at() = At("2026-11-29T10:00:00Z");
  *p->mutable_last_run_at() = At("2026-11-30T08:15:30.250Z");
  const std::string json = ToJson(response);
  EXPECT_TRUE(absl::StrContains(json, R"("runs":9007199254740991,)")) << json;
  EXPECT_TRUE(absl::StrContains(json, R"("dropped_runs":7,)")) << json;
  EXPECT_TRUE(
      absl::StrContains(json, R"("enrolled_at":"2026-11-29T10:00:00Z")"))
      << json;
  EXPECT_TRUE(
      absl::StrContains(json, R"("last_run_at":"2026-11-30T08:15:30.250Z")"))
      << json;
  ExpectRoundTrip(response);

  v6scope::v1::StoredRun run;
  run.set_seq(std::numeric_limits<uint64_t>::max());
  EXPECT_TRUE(absl::StartsWith(ToJson(run),
                               R"({"probe_id":"","seq":18446744073709551615,)"))
      << ToJson(run);
}

TEST(ApiJsonTest, OptionalScalarIsNullUnsetAndItsValueWhenSet) {
  v6scope::v1::GroupAggregate g;
  EXPECT_TRUE(absl::StrContains(ToJson(g), R"("median_gap_ms":null,)"))
      << ToJson(g);
  g.set_median_gap_ms(0);  // Set to zero is a value, not "none".
  EXPECT_TRUE(absl::StrContains(ToJson(g), R"("median_gap_ms":0,)"))
      << ToJson(g);
  ExpectRoundTrip(g);
  g.set_median_gap_ms(-12.5);
  EXPECT_TRUE(absl::StrContains(ToJson(g), R"("median_gap_ms":-12.5,)"));
  ExpectRoundTrip(g);
}

TEST(ApiJsonTest, GroupAggregateHasEveryFieldInDeclarationOrder) {
  v6scope::v1::GroupAggregate g;
  g.set_key("KE");
  g.mutable_pmtu_broken()->set_total(20);
  g.mutable_pmtu_broken()->set_ci_high(0.161);
  const std::string json = ToJson(g);
  // Issue 18's example: value, count and ci_low are there although 0.
  EXPECT_TRUE(absl::StrContains(
      json, R"("pmtu_broken":{"count":0,"total":20,"value":0,"ci_low":0,)"
            R"("ci_high":0.161})"))
      << json;
  EXPECT_TRUE(absl::StrContains(json, R"("v6_capable":null,)")) << json;
  EXPECT_TRUE(absl::StrContains(
      json, R"("synthetic_probes":0,"country":"","methodology_versions":[]})"))
      << json;
  EXPECT_TRUE(absl::StartsWith(json, R"({"key":"KE","name":"",)")) << json;
  ExpectRoundTrip(g);
}

TEST(ApiJsonTest, EnumsByNameUnknownOnesByNumber) {
  v6scope::v1::Verdict v;
  v.set_capability(v6scope::v1::V6_BROKEN);
  v.add_root_causes(v6scope::v1::PMTU_BLACKHOLE);
  v.add_root_causes(static_cast<v6scope::v1::RootCause>(99));
  v.set_score(3);
  v.set_methodology_version("2");
  v.add_explanations()->set_label("V6_BROKEN");
  EXPECT_EQ(ToJson(v),
            R"({"capability":"V6_BROKEN","root_causes":["PMTU_BLACKHOLE",99],)"
            R"("score":3,"methodology_version":"2","explanations":)"
            R"([{"label":"V6_BROKEN","text":""}]})");
}

TEST(ApiJsonTest, StoredRunRoundTripsWithEveryNestedField) {
  v6scope::v1::StoredRun stored;
  stored.set_probe_id("p-\"quoted\"\n");
  stored.set_seq(42);
  *stored.mutable_received_at() = At("2026-11-29T10:00:01.123456Z");
  v6scope::v1::Run* run = stored.mutable_run();
  *run->mutable_started_at() = At("2026-11-29T10:00:00Z");
  v6scope::v1::TestResult* t = run->add_tests();
  t->set_kind(v6scope::v1::HTTP_V6_LARGE);
  t->set_bytes_received(uint64_t{1} << 40);
  t->add_resolved_addresses("2001:db8::1");
  const std::string json = ToJson(stored);
  EXPECT_TRUE(absl::StrContains(json, R"("probe_id":"p-\"quoted\"\n",)"));
  EXPECT_TRUE(absl::StrContains(json, R"("bytes_received":1099511627776,)"))
      << json;
  EXPECT_TRUE(absl::StrContains(json, R"("finished_at":null,)")) << json;
  EXPECT_TRUE(absl::StrContains(
      json, R"("received_at":"2026-11-29T10:00:01.123456Z")"));
  EXPECT_TRUE(
      absl::StrContains(json, R"("family":"ADDRESS_FAMILY_UNSPECIFIED")"))
      << json;
  ExpectRoundTrip(stored);
}

TEST(ApiJsonTest, FloatsAreShortestInTheirOwnPrecision) {
  EXPECT_EQ(JsonFloat(135.00035f), "135.00035");
  EXPECT_EQ(JsonDouble(static_cast<double>(135.00035f)), "135.00035095214844");
  EXPECT_EQ(JsonDouble(0.1), "0.1");
  EXPECT_EQ(JsonDouble(0.161), "0.161");
  EXPECT_EQ(JsonDouble(3), "3");
  EXPECT_EQ(JsonDouble(1e21), "1e+21");
  EXPECT_EQ(JsonDouble(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(JsonDouble(std::numeric_limits<double>::quiet_NaN()), "\"NaN\"");
  EXPECT_EQ(JsonDouble(-std::numeric_limits<double>::infinity()),
            "\"-Infinity\"");
  for (double d : {0.1, 1e21, 1.0 / 3, 5e-324, 1.7976931348623157e308}) {
    EXPECT_TRUE(IsJsonNumber(JsonDouble(d))) << d;
    EXPECT_EQ(std::strtod(JsonDouble(d).c_str(), nullptr), d);
  }
  v6scope::v1::CountryAllocations a;
  a.set_slash32_equivalents(135.00035095214844);  // An exact sum of 2^-k.
  a.set_delegations(12);
  EXPECT_TRUE(absl::StrContains(
      ToJson(a),
      R"("delegations":12,"slash32_equivalents":135.00035095214844,)"))
      << ToJson(a);
}

TEST(ApiJsonTest, StringsEscapeControlCharacters) {
  EXPECT_EQ(JsonString("a\"b\\c\td\x01\x7f"), R"("a\"b\\c\td\u0001\u007f")");
  EXPECT_EQ(JsonString("Côte d’Ivoire"), "\"Côte d’Ivoire\"");
}

TEST(ApiJsonTest, IsJsonNumberFollowsTheGrammar) {
  for (const char* yes : {"0", "-0", "1", "13335", "0.5", "-1.25e-3", "1E+9"}) {
    EXPECT_TRUE(IsJsonNumber(yes)) << yes;
  }
  for (const char* no : {"", "-", "01", "+1", ".5", "1.", "1e", "0x10", "1 ",
                         "NaN", "<5", "72%", "2001:db8::1"}) {
    EXPECT_FALSE(IsJsonNumber(no)) << no;
  }
}

TEST(ApiJsonTest, ErrorBody) {
  EXPECT_EQ(ErrorJson(404, "no route \"/api/v2\""),
            R"({"error":{"code":404,"status":"NOT_FOUND",)"
            R"("message":"no route \"/api/v2\""}})");
  EXPECT_EQ(
      ErrorJson(500, "internal error (error id 0123456789ab)", "0123456789ab"),
      R"({"error":{"code":500,"status":"INTERNAL",)"
      R"j("message":"internal error (error id 0123456789ab)",)j"
      R"("error_id":"0123456789ab"}})");
  EXPECT_EQ(ErrorStatusName(400), "INVALID_ARGUMENT");
  EXPECT_EQ(ErrorStatusName(401), "UNAUTHENTICATED");
  EXPECT_EQ(ErrorStatusName(403), "PERMISSION_DENIED");
  EXPECT_EQ(ErrorStatusName(405), "UNIMPLEMENTED");
  EXPECT_EQ(ErrorStatusName(413), "RESOURCE_EXHAUSTED");
  EXPECT_EQ(ErrorStatusName(429), "RESOURCE_EXHAUSTED");
  EXPECT_EQ(ErrorStatusName(500), "INTERNAL");
  EXPECT_EQ(ErrorStatusName(503), "UNAVAILABLE");
}

}  // namespace
}  // namespace v6scope::api
