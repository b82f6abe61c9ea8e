#include "probe/spool/spool_test_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/fs/files.h"
#include "common/log/log.h"
#include "gtest/gtest.h"
#include "probe/spool/frame.h"

namespace v6scope::probe::spool::testing {

v6scope::v1::Run TestRun(uint64_t seq, size_t filler) {
  v6scope::v1::Run run;
  run.set_target_set(absl::StrCat("set-", seq));
  run.set_probe_version("v6scope-test");
  run.mutable_started_at()->set_seconds(static_cast<int64_t>(1700000000 + seq));
  v6scope::v1::TestResult* test = run.add_tests();
  test->set_kind(v6scope::v1::HTTP_V6_ONLY);
  test->set_outcome(v6scope::v1::OK);
  test->set_target(std::string(filler, static_cast<char>('a' + seq % 26)));
  return run;
}

bool IsTestRun(uint64_t seq, const v6scope::v1::Run& run) {
  return run.target_set() == absl::StrCat("set-", seq) &&
         run.tests_size() == 1 &&
         run.started_at().seconds() == static_cast<int64_t>(1700000000 + seq);
}

uint64_t FrameBytes(uint64_t seq, size_t filler) {
  return kFrameOverhead + TestRun(seq, filler).ByteSizeLong();
}

std::string FreshDir(absl::string_view name) {
  const std::string dir = absl::StrCat(::testing::TempDir(), "/spool_", name);
  ::nftw(
      dir.c_str(),
      [](const char* path, const struct stat*, int, struct FTW*) {
        return ::remove(path);
      },
      16, FTW_DEPTH | FTW_PHYS);
  EXPECT_TRUE(fs::MakeDirs(dir, 0700).ok());
  return dir;
}

std::vector<std::string> SegmentFiles(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (const struct dirent* e = ::readdir(d)) {
    if (absl::EndsWith(e->d_name, ".seg")) {
      out.push_back(absl::StrCat(dir, "/", e->d_name));
    }
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

uint64_t FileSize(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return static_cast<uint64_t>(st.st_size);
}

void Overwrite(const std::string& path, uint64_t offset,
               absl::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0) << path;
  EXPECT_EQ(
      ::pwrite(fd, bytes.data(), bytes.size(), static_cast<off_t>(offset)),
      static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

void AppendBytes(const std::string& path, absl::string_view bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0) << path;
  EXPECT_EQ(::write(fd, bytes.data(), bytes.size()),
            static_cast<ssize_t>(bytes.size()));
  ::close(fd);
}

void CopyFile(const std::string& from, const std::string& to) {
  absl::StatusOr<std::string> data = fs::ReadFile(from);
  ASSERT_TRUE(data.ok()) << data.status();
  ASSERT_TRUE(fs::WriteFileAtomically(to, *data, 0600).ok());
}

std::unique_ptr<Spool> OpenSpool(const SpoolOptions& options) {
  absl::StatusOr<std::unique_ptr<Spool>> spool = Spool::Open(options);
  EXPECT_TRUE(spool.ok()) << spool.status();
  if (!spool.ok()) return nullptr;
  return *std::move(spool);
}

std::vector<uint64_t> PendingSeqs(Spool& spool) {
  std::vector<uint64_t> seqs;
  absl::StatusOr<std::vector<SpooledRun>> all =
      spool.ReadPending(SIZE_MAX, SIZE_MAX);
  EXPECT_TRUE(all.ok()) << all.status();
  if (!all.ok()) return seqs;
  for (const SpooledRun& r : *all) {
    EXPECT_TRUE(IsTestRun(r.seq, r.run)) << "seq " << r.seq;
    seqs.push_back(r.seq);
  }
  return seqs;
}

LogCapture::LogCapture() {
  static int counter = 0;
  path_ = absl::StrCat(::testing::TempDir(), "/spool_log_", ::getpid(), "_",
                       ++counter);
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
  EXPECT_GE(fd_, 0);
  log::SetOutputFd(fd_);
}

LogCapture::~LogCapture() {
  log::SetOutputFd(2);
  ::close(fd_);
  ::unlink(path_.c_str());
}

std::string LogCapture::Text() const {
  absl::StatusOr<std::string> text = fs::ReadFile(path_);
  return text.ok() ? *text : "";
}

}  // namespace v6scope::probe::spool::testing
