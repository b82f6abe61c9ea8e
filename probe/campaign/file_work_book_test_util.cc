#include "probe/campaign/file_work_book_test_util.h"

#include <cstdlib>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"

namespace v6scope::probe::campaign {

std::string FreshTestDir() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const ::testing::TestInfo* t =
      ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string dir = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/",
                                       t->test_suite_name(), ".", t->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string AssignmentId(uint64_t n) { return absl::StrFormat("a-%016x", n); }

v6scope::v1::Assignment MakeAssignment(uint64_t n, int domains, absl::Time now,
                                       int campaign) {
  v6scope::v1::Assignment a;
  a.set_assignment_id(AssignmentId(n));
  a.set_campaign_id(absl::StrFormat("c-%08x", campaign));
  a.set_round(1);
  for (int i = 0; i < domains; ++i) {
    v6scope::v1::AssignedDomain* d = a.add_domains();
    d->set_name(absl::StrCat("d", i, ".a", n, ".example"));
    d->set_sector("government");
  }
  a.mutable_budget()->set_domains_per_day(100000);
  a.mutable_budget()->set_bytes_per_day(uint64_t{10} << 30);
  a.mutable_budget()->set_concurrency(64);
  a.mutable_expires_at()->set_seconds(
      absl::ToUnixSeconds(now + absl::Hours(48)));
  return a;
}

}  // namespace v6scope::probe::campaign
