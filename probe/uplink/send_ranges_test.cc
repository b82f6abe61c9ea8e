#include "probe/uplink/send_ranges.h"

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace v6scope::probe::uplink {
namespace {

// A collector stand-in: refuses any batch holding a record in `bad`,
// naming it (or not), and records what was stored and put aside.
struct Fake {
  std::vector<uint64_t> seqs;
  std::set<uint64_t> bad;
  bool name_the_record = true;
  std::vector<std::pair<uint64_t, uint64_t>> batches;  // Stored [first, last].
  std::vector<uint64_t> aside;

  RangeSender Sender() {
    RangeSender s;
    s.send = [this](size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        if (bad.count(seqs[i]) > 0) {
          return absl::InvalidArgumentError(
              name_the_record ? absl::StrCat("results[", i - begin, "]: bad")
                              : "something in the batch is bad");
        }
      }
      batches.push_back({seqs[begin], seqs[end - 1]});
      return absl::OkStatus();
    };
    s.read = [](const absl::Status& st) {
      if (!absl::IsInvalidArgument(st)) return SendFailure{st, {}};
      std::optional<size_t> i;
      if (st.message().rfind("results[", 0) == 0) i = st.message()[8] - '0';
      return SendFailure{absl::OkStatus(), i};
    };
    s.put_aside = [this](size_t i, const absl::Status&) {
      aside.push_back(seqs[i]);
      return absl::OkStatus();
    };
    s.seq = [this](size_t i) { return seqs[i]; };
    s.unnamed_event = "test.unnamed";
    return s;
  }
};

TEST(SendRangesTest, SplitsAtGapsInTheSequence) {
  Fake f;
  f.seqs = {1, 2, 3, 7, 8, 10};
  ASSERT_TRUE(SendContiguous(f.Sender(), f.seqs.size()).ok());
  EXPECT_EQ(f.batches, (std::vector<std::pair<uint64_t, uint64_t>>{
                           {1, 3}, {7, 8}, {10, 10}}));
  EXPECT_TRUE(f.aside.empty());
}

TEST(SendRangesTest, ANamedRefusalIsPutAsideAfterTheRecordsBeforeIt) {
  Fake f;
  f.seqs = {1, 2, 3, 4, 5};
  f.bad = {3};
  ASSERT_TRUE(SendContiguous(f.Sender(), f.seqs.size()).ok());
  EXPECT_EQ(f.batches,
            (std::vector<std::pair<uint64_t, uint64_t>>{{1, 2}, {4, 5}}));
  EXPECT_EQ(f.aside, (std::vector<uint64_t>{3}));
}

TEST(SendRangesTest, AnUnnamedRefusalIsNarrowedDownOneByOne) {
  Fake f;
  f.seqs = {1, 2, 3, 4};
  f.bad = {2, 4};
  f.name_the_record = false;
  ASSERT_TRUE(SendContiguous(f.Sender(), f.seqs.size()).ok());
  EXPECT_EQ(f.batches,
            (std::vector<std::pair<uint64_t, uint64_t>>{{1, 1}, {3, 3}}));
  EXPECT_EQ(f.aside, (std::vector<uint64_t>{2, 4}));
}

TEST(SendRangesTest, AnyOtherFailureEndsTheAttemptWithNothingPutAside) {
  Fake f;
  f.seqs = {1, 2};
  RangeSender s = f.Sender();
  s.send = [](size_t, size_t) { return absl::UnavailableError("down"); };
  absl::Status st = SendContiguous(s, f.seqs.size());
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(f.aside.empty());
}

}  // namespace
}  // namespace v6scope::probe::uplink
