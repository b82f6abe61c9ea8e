// The size limit: a million names pass, the next one is an error naming
// its line, and a 10-million-line upload is refused having read only up to
// that line (never loaded whole).
#include <sstream>
#include <streambuf>
#include <string>

#include "absl/strings/str_cat.h"
#include "collector/campaign/list_import.h"
#include "gtest/gtest.h"

namespace v6scope::collector::campaign {
namespace {

// An input of `lines` distinct names made on demand, counting what the
// reader pulled, so the test holds none of it.
class GeneratedNames : public std::streambuf {
 public:
  explicit GeneratedNames(int64_t lines) : lines_(lines) {}
  int64_t bytes_served() const { return served_; }

 protected:
  int_type underflow() override {
    if (next_ >= lines_) return traits_type::eof();
    line_ = absl::StrCat("name-", next_++, ".example\n");
    served_ += static_cast<int64_t>(line_.size());
    setg(&line_[0], &line_[0], &line_[0] + line_.size());
    return traits_type::to_int_type(line_[0]);
  }

 private:
  const int64_t lines_;
  int64_t next_ = 0;
  int64_t served_ = 0;
  std::string line_;
};

TEST(ListLimitsTest, AMillionNamesPass) {
  GeneratedNames names(kMaxNames);
  std::istream in(&names);
  absl::StatusOr<ImportResult> r = ImportDomainList(in, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->list.size(), static_cast<size_t>(kMaxNames));
  EXPECT_EQ(r->list.entries().back().line, kMaxNames);
}

TEST(ListLimitsTest, TenMillionLinesAreRefusedAtTheLimit) {
  GeneratedNames names(10'000'000);
  std::istream in(&names);
  absl::StatusOr<ImportResult> r = ImportDomainList(in, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "line 1000001: name number 1000001 is past the limit of 1000000 "
            "names in one list: split the list into several campaigns");
  // Read up to that line and at most one more buffer, not the 10 million.
  const int64_t one_million_lines = 24 * kMaxNames;  // ~ bytes per line.
  EXPECT_LT(names.bytes_served(), one_million_lines + 128 * 1024);
}

TEST(ListLimitsTest, DuplicatesCountTowardsTheLimit) {
  std::string text;
  for (int i = 0; i < 11; ++i) text += "same.example\n";
  std::istringstream in(text);
  ImportOptions options;
  options.limits.max_names = 10;
  absl::StatusOr<ImportResult> r = ImportDomainList(in, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().substr(0, 9), "line 11: ");
}

}  // namespace
}  // namespace v6scope::collector::campaign
