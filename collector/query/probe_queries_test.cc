#include "collector/query/probe_queries.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/query/silent_for.h"
#include "common/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace v6scope::collector::query {
namespace {

using ::google::protobuf::util::TimeUtil;

// A register holding the given probe summaries; writes are not used.
class FakeRegistry : public store::ProbeRegistry {
 public:
  explicit FakeRegistry(std::vector<v6scope::v1::ProbeSummary> probes)
      : probes_(std::move(probes)) {}
  absl::Status AddEnrolmentToken(const store::EnrolmentTokenRecord&) override {
    return absl::UnimplementedError("fake");
  }
  absl::StatusOr<store::ProbeRecord> ConsumeEnrolmentToken(
      const std::string&, absl::Time, store::ProbeRecord) override {
    return absl::UnimplementedError("fake");
  }
  absl::StatusOr<store::ProbeRecord> GetProbe(const std::string&) override {
    return absl::UnimplementedError("fake");
  }
  absl::Status RevokeProbe(const std::string&) override {
    return absl::UnimplementedError("fake");
  }
  absl::StatusOr<std::vector<v6scope::v1::ProbeSummary>> ListProbes() override {
    return probes_;
  }

 private:
  std::vector<v6scope::v1::ProbeSummary> probes_;
};

class FakeRuns : public store::RunSink {
 public:
  absl::StatusOr<std::vector<store::BatchOutcome>> StoreBatches(
      const std::vector<store::RunBatch>&) override {
    return absl::UnimplementedError("fake");
  }
  absl::StatusOr<uint64_t> LastStoredSeq(const std::string&) override {
    return 0;
  }
  absl::StatusOr<uint64_t> DroppedRuns(const std::string& id) override {
    return id == "p-old" ? 7 : 0;
  }
};

const absl::Time kNow = absl::FromUnixSeconds(1796601600);

v6scope::v1::ProbeSummary Probe(const std::string& id,
                                absl::Duration ago = absl::InfiniteDuration(),
                                bool revoked = false) {
  v6scope::v1::ProbeSummary p;
  p.set_probe_id(id);
  p.set_org("office");
  p.set_revoked(revoked);
  if (ago != absl::InfiniteDuration()) {
    *p.mutable_last_run_at() =
        TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(kNow - ago));
  }
  return p;
}

class ProbeQueriesTest : public ::testing::Test {
 protected:
  ProbeQueriesTest()
      : registry_({Probe("p-fresh", absl::Minutes(30)),
                   Probe("p-edge", absl::Hours(2)),
                   Probe("p-old", absl::Hours(5)), Probe("p-never"),
                   Probe("p-revoked", absl::Hours(9), /*revoked=*/true)}),
        clock_(kNow),
        queries_(&registry_, &runs_, &clock_) {}

  std::vector<std::string> Listed(const std::string& silent_for) {
    v6scope::v1::ListProbesRequest request;
    request.set_silent_for(silent_for);
    absl::StatusOr<v6scope::v1::ListProbesResponse> r =
        queries_.ListProbes(request);
    EXPECT_TRUE(r.ok()) << r.status();
    std::vector<std::string> ids;
    if (!r.ok()) return ids;
    for (const auto& p : r->probes()) ids.push_back(p.probe_id());
    return ids;
  }

  FakeRegistry registry_;
  FakeRuns runs_;
  time::FakeClock clock_;
  ProbeQueries queries_;
};

using Ids = std::vector<std::string>;

TEST_F(ProbeQueriesTest, WithoutSilentForListsEveryProbe) {
  EXPECT_EQ(Listed(""),
            (Ids{"p-fresh", "p-edge", "p-old", "p-never", "p-revoked"}));
}

TEST_F(ProbeQueriesTest, SilentMeansNoRunNewerThanNowMinusDOrNeverRan) {
  // A run exactly 2 h old is not newer than now - 2h: silent.
  EXPECT_EQ(Listed("2h"), (Ids{"p-edge", "p-old", "p-never"}));
  EXPECT_EQ(Listed("121m"), (Ids{"p-old", "p-never"}));
  EXPECT_EQ(Listed("1d"), (Ids{"p-never"}));
  EXPECT_EQ(Listed("1800s"), (Ids{"p-fresh", "p-edge", "p-old", "p-never"}));
}

TEST_F(ProbeQueriesTest, TheClockDecides) {
  clock_.Advance(absl::Hours(20));
  EXPECT_EQ(Listed("1d"), (Ids{"p-old", "p-never"}));
}

TEST_F(ProbeQueriesTest, SilentProbesKeepTheirDroppedRuns) {
  v6scope::v1::ListProbesRequest request;
  request.set_silent_for("3h");
  absl::StatusOr<v6scope::v1::ListProbesResponse> r =
      queries_.ListProbes(request);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->probes_size(), 2);
  EXPECT_EQ(r->probes(0).dropped_runs(), 7u);
}

TEST_F(ProbeQueriesTest, MalformedSilentForIsInvalidArgumentNamingIt) {
  v6scope::v1::ListProbesRequest request;
  request.set_silent_for("2 hours");
  absl::StatusOr<v6scope::v1::ListProbesResponse> r =
      queries_.ListProbes(request);
  ASSERT_TRUE(absl::IsInvalidArgument(r.status())) << r.status();
  EXPECT_EQ(r.status().message(),
            "silent_for: '2 hours' is not a duration such as 2h, 90m, 1d or "
            "3600s");
}

TEST(ParseSilentForTest, UnitsSecondsMinutesHoursDays) {
  EXPECT_EQ(*ParseSilentFor("3600s"), absl::Hours(1));
  EXPECT_EQ(*ParseSilentFor("90m"), absl::Minutes(90));
  EXPECT_EQ(*ParseSilentFor("2h"), absl::Hours(2));
  EXPECT_EQ(*ParseSilentFor("1d"), absl::Hours(24));
  EXPECT_EQ(*ParseSilentFor("3650d"), absl::Hours(24 * 3650));
}

TEST(ParseSilentForTest, AnythingElseIsRefusedByName) {
  for (const char* bad : {"", "h", "2", "2x", "-2h", "+2h", " 2h", "2h ",
                          "1.5h", "2H", "1h30m", "99999999999999999999h"}) {
    absl::StatusOr<absl::Duration> d = ParseSilentFor(bad);
    ASSERT_TRUE(absl::IsInvalidArgument(d.status())) << bad;
    EXPECT_NE(d.status().message().find(absl::StrCat("'", bad, "'")),
              std::string::npos)
        << d.status();
  }
  EXPECT_EQ(ParseSilentFor("0h").status().message(),
            "silent_for: '0h' must be positive");
  EXPECT_EQ(ParseSilentFor("3651d").status().message(),
            "silent_for: '3651d' is more than 3650 days");
}

}  // namespace
}  // namespace v6scope::collector::query
