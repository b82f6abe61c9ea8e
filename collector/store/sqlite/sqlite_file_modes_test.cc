#include "collector/store/sqlite/sqlite_file_modes.h"

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "collector/store/sqlite/sqlite_store.h"
#include "gtest/gtest.h"

namespace v6scope::collector::store::sqlite {
namespace {

mode_t Mode(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return 07777;
  return st.st_mode & 0777;
}

std::string Fresh(const std::string& name) {
  const std::string path = ::testing::TempDir() + "/" + name;
  for (const char* s : {"", "-wal", "-shm"}) {
    unlink((path + s).c_str());
  }
  return path;
}

TEST(SqliteFileModesTest, NewDatabaseAndItsCompanionsAreOwnerOnly) {
  const std::string path = Fresh("new.db");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(path + "-wal"), 0600u);
  EXPECT_EQ(Mode(path + "-shm"), 0600u);
}

TEST(SqliteFileModesTest, ExistingLooseFilesAreTightened) {
  const std::string path = Fresh("loose.db");
  for (const char* s : {"", "-wal"}) {
    std::ofstream(path + s).flush();
    ASSERT_EQ(chmod((path + s).c_str(), 0644), 0);
  }
  ASSERT_TRUE(SecureDatabaseFiles(path).ok());
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(path + "-wal"), 0600u);
}

}  // namespace
}  // namespace v6scope::collector::store::sqlite
