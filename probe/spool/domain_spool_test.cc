// The readiness-result spool: the run spool's guarantees for DomainResult
// payloads (append, recovery after a torn tail, acknowledgement, refused
// results put aside in the quarantine).
#include "probe/spool/domain_spool.h"

#include <unistd.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/fs/files.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "probe/spool/quarantine.h"
#include "probe/spool/spool_test_util.h"

namespace v6scope::probe::spool {
namespace {

using ::testing::ElementsAre;
using testing::FileSize;
using testing::FreshDir;
using ::testing::HasSubstr;
using testing::SegmentFiles;

v6scope::v1::DomainResult Result(uint64_t seq) {
  v6scope::v1::DomainResult r;
  r.set_assignment_id("a-00000000000000aa");
  r.set_item(static_cast<uint32_t>(seq));
  r.mutable_check()->set_domain(absl::StrCat("d", seq, ".example"));
  return r;
}

SpoolOptions Options(const std::string& dir) {
  SpoolOptions o;
  o.dir = dir;
  o.segment_bytes = 4096;
  o.max_bytes = 1 << 20;
  return o;
}

std::unique_ptr<DomainSpool> Open(const SpoolOptions& o) {
  absl::StatusOr<std::unique_ptr<DomainSpool>> s = DomainSpool::Open(o);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? *std::move(s) : nullptr;
}

// Seqs of the pending results; each must be Result(seq).
std::vector<uint64_t> Pending(DomainSpool& spool) {
  std::vector<uint64_t> out;
  auto all = spool.ReadPending(SIZE_MAX, SIZE_MAX);
  EXPECT_TRUE(all.ok()) << all.status();
  if (!all.ok()) return out;
  for (const SpooledResult& r : *all) {
    EXPECT_EQ(r.result.SerializeAsString(), Result(r.seq).SerializeAsString());
    out.push_back(r.seq);
  }
  return out;
}

TEST(DomainSpoolTest, AppendReadAcknowledge) {
  const SpoolOptions o = Options(FreshDir("domain_spool_basic"));
  auto spool = Open(o);
  ASSERT_NE(spool, nullptr);
  for (uint64_t seq = 1; seq <= 5; ++seq) {
    ASSERT_TRUE(spool->Append(seq, Result(seq)).ok());
  }
  EXPECT_THAT(Pending(*spool), ElementsAre(1, 2, 3, 4, 5));
  ASSERT_TRUE(spool->Acknowledge(3).ok());
  EXPECT_THAT(Pending(*spool), ElementsAre(4, 5));
  EXPECT_EQ(spool->stats().pending_records, 2u);
  // A seq not above the last one is refused, naming a result.
  absl::Status s = spool->Append(5, Result(5));
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  spool.reset();
  // Acknowledged results stay gone after a restart.
  spool = Open(o);
  ASSERT_NE(spool, nullptr);
  EXPECT_THAT(Pending(*spool), ElementsAre(4, 5));
}

TEST(DomainSpoolTest, RecoversAfterATornTail) {
  const SpoolOptions o = Options(FreshDir("domain_spool_torn"));
  {
    auto spool = Open(o);
    ASSERT_NE(spool, nullptr);
    for (uint64_t seq = 1; seq <= 3; ++seq) {
      ASSERT_TRUE(spool->Append(seq, Result(seq)).ok());
    }
  }
  const std::vector<std::string> segments = SegmentFiles(o.dir);
  ASSERT_EQ(segments.size(), 1u);
  const uint64_t size = FileSize(segments[0]);
  // A crash in the middle of writing result 3: its frame is cut short.
  ASSERT_EQ(::truncate(segments[0].c_str(), static_cast<off_t>(size - 5)), 0);
  auto spool = Open(o);
  ASSERT_NE(spool, nullptr);
  EXPECT_THAT(Pending(*spool), ElementsAre(1, 2));
  EXPECT_GT(spool->stats().truncated_bytes, 0u);
  // Appending goes on after the cut.
  ASSERT_TRUE(spool->Append(3, Result(3)).ok());
  EXPECT_THAT(Pending(*spool), ElementsAre(1, 2, 3));
}

TEST(DomainSpoolTest, RefusedResultIsQuarantinedAndCountedAsDropped) {
  const std::string dir = FreshDir("domain_spool_refused");
  auto spool = Open(Options(dir));
  ASSERT_NE(spool, nullptr);
  for (uint64_t seq = 1; seq <= 3; ++seq) {
    ASSERT_TRUE(spool->Append(seq, Result(seq)).ok());
  }
  QuarantineOptions qo;
  qo.dir = dir + "/quarantine";
  auto q = Quarantine::Open(qo);
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_TRUE(spool->Acknowledge(1).ok());
  absl::StatusOr<std::string> path =
      (*q)->Put(2, Result(2), "results[0].check.domain: not a host name",
                absl::UnixEpoch());
  ASSERT_TRUE(path.ok()) << path.status();
  EXPECT_THAT(*path, HasSubstr("/00000000000000000002.result.txt"));
  const std::string text = fs::ReadFile(*path).value_or("");
  EXPECT_THAT(text, HasSubstr("readiness result refused"));
  EXPECT_THAT(text, HasSubstr("dropped_results"));
  EXPECT_THAT(text, HasSubstr("d2.example"));
  absl::StatusOr<uint64_t> dropped = spool->DropRefused(2);
  ASSERT_TRUE(dropped.ok()) << dropped.status();
  EXPECT_EQ(*dropped, 1u);
  EXPECT_EQ(spool->unreported_dropped(), 1u);
  EXPECT_THAT(Pending(*spool), ElementsAre(3));
}

}  // namespace
}  // namespace v6scope::probe::spool
