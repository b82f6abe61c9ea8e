#include "probe/state/probe_state.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "common/fs/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace v6scope::probe::state {
namespace {

using ::testing::HasSubstr;

std::string Dir(const std::string& name) {
  return absl::StrCat(::testing::TempDir(), "/probe_state_", name);
}

TEST(ProbeStateTest, NotEnrolledSaysSo) {
  absl::StatusOr<ProbeState> st = ProbeState::Open(Dir("new"));
  ASSERT_TRUE(st.ok());
  absl::StatusOr<Identity> id = st->LoadIdentity();
  EXPECT_EQ(id.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(id.status().message(), HasSubstr("not enrolled"));
}

TEST(ProbeStateTest, IdentityRoundTripsWithMode0600) {
  absl::StatusOr<ProbeState> st = ProbeState::Open(Dir("id"));
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(st->SaveIdentity({"p-1", "p-1.abc", "[::1]:7443"}).ok());
  absl::StatusOr<Identity> id = st->LoadIdentity();
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(id->probe_id, "p-1");
  EXPECT_EQ(id->credential, "p-1.abc");
  EXPECT_EQ(id->collector, "[::1]:7443");
  struct stat sb;
  ASSERT_EQ(stat((Dir("id") + "/identity").c_str(), &sb), 0);
  EXPECT_EQ(sb.st_mode & 0777, 0600u);
}

TEST(ProbeStateTest, SequenceNumbersNeverRepeatAcrossReopen) {
  {
    absl::StatusOr<ProbeState> st = ProbeState::Open(Dir("seq"));
    ASSERT_TRUE(st.ok());
    EXPECT_EQ(*st->ReserveSeq(1), 1u);
    EXPECT_EQ(*st->ReserveSeq(3), 2u);
  }
  absl::StatusOr<ProbeState> st = ProbeState::Open(Dir("seq"));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(*st->ReserveSeq(1), 5u);
}

TEST(ProbeStateTest, DomainSequenceIsItsOwnAndPersists) {
  {
    absl::StatusOr<ProbeState> st = ProbeState::Open(Dir("domain_seq"));
    ASSERT_TRUE(st.ok());
    EXPECT_EQ(*st->ReserveSeq(5), 1u);
    EXPECT_EQ(*st->ReserveDomainSeq(1), 1u);
    EXPECT_EQ(*st->ReserveDomainSeq(10), 2u);
  }
  absl::StatusOr<ProbeState> st = ProbeState::Open(Dir("domain_seq"));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(*st->ReserveDomainSeq(1), 12u);
  EXPECT_EQ(*st->ReserveSeq(1), 6u);
  ASSERT_TRUE(
      fs::WriteFileAtomically(Dir("domain_seq") + "/next_domain_seq", "0", 0600)
          .ok());
  absl::StatusOr<uint64_t> seq = st->ReserveDomainSeq(1);
  EXPECT_EQ(seq.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(seq.status().message(), HasSubstr("next_domain_seq"));
}

TEST(ProbeStateTest, CorruptSequenceFileIsAnErrorNamingThePath) {
  absl::StatusOr<ProbeState> st = ProbeState::Open(Dir("corrupt"));
  ASSERT_TRUE(st.ok());
  ASSERT_TRUE(
      fs::WriteFileAtomically(Dir("corrupt") + "/next_seq", "garbage", 0600)
          .ok());
  absl::StatusOr<uint64_t> seq = st->ReserveSeq(1);
  EXPECT_EQ(seq.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(seq.status().message(), HasSubstr("next_seq"));
}

TEST(ProbeStateTest, ScheduleRoundTrips) {
  absl::StatusOr<ProbeState> st = ProbeState::Open(Dir("schedule"));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->LoadSchedule().status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(st->SaveSchedule({900, 120}).ok());
  absl::StatusOr<StoredSchedule> schedule = st->LoadSchedule();
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  EXPECT_EQ(schedule->interval_seconds, 900u);
  EXPECT_EQ(schedule->spread_seconds, 120u);
}

TEST(ProbeStateTest, ScheduleOutOfRangeIsNotSaved) {
  absl::StatusOr<ProbeState> st = ProbeState::Open(Dir("schedule_range"));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->SaveSchedule({10, 0}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(st->SaveSchedule({100000, 0}).code(),
            absl::StatusCode::kInvalidArgument);
  absl::Status spread = st->SaveSchedule({60, 61});
  EXPECT_EQ(spread.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(spread.message(), HasSubstr("spread 61 s"));
  EXPECT_EQ(st->LoadSchedule().status().code(), absl::StatusCode::kNotFound);
}

TEST(ProbeStateTest, CorruptScheduleIsDataLossNamingTheFile) {
  const std::string dir = Dir("schedule_corrupt");
  absl::StatusOr<ProbeState> st = ProbeState::Open(dir);
  ASSERT_TRUE(st.ok());
  for (const char* text :
       {"interval_seconds=abc\nspread_seconds=1\n", "interval_seconds=60\n",
        "interval_seconds=5\nspread_seconds=1\n", "garbage"}) {
    ASSERT_TRUE(fs::WriteFileAtomically(dir + "/schedule", text, 0600).ok());
    absl::StatusOr<StoredSchedule> schedule = st->LoadSchedule();
    EXPECT_EQ(schedule.status().code(), absl::StatusCode::kDataLoss) << text;
    EXPECT_THAT(schedule.status().message(), HasSubstr(dir + "/schedule"));
  }
}

}  // namespace
}  // namespace v6scope::probe::state
