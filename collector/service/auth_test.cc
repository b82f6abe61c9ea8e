#include "collector/service/auth.h"

#include <memory>
#include <string>

#include "collector/store/sqlite/sqlite_store.h"
#include "common/crypto/secrets.h"
#include "common/time/clock.h"
#include "gtest/gtest.h"

namespace v6scope::collector::service {
namespace {

constexpr char kAdminSecret[] = "admin-secret";
constexpr char kKey[] = "rk-00112233445566778899aabbccddeeff";

TEST(IsLoopbackPeerTest, GrpcPeerForms) {
  EXPECT_TRUE(IsLoopbackPeer("ipv4:127.0.0.1:5000"));
  EXPECT_TRUE(IsLoopbackPeer("ipv6:[::1]:5000"));
  EXPECT_TRUE(IsLoopbackPeer("ipv6:%5B::1%5D:5000"));
  EXPECT_TRUE(IsLoopbackPeer("ipv6:%5B::ffff:127.0.0.1%5D:5000"));
  EXPECT_FALSE(IsLoopbackPeer("ipv4:192.0.2.1:5000"));
  EXPECT_FALSE(IsLoopbackPeer("ipv6:%5B2001:db8::1%5D:5000"));
  EXPECT_FALSE(IsLoopbackPeer("unix:/tmp/sock"));
  EXPECT_FALSE(IsLoopbackPeer(""));
}

class ReadAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = store::sqlite::SqliteStore::Open(
        ::testing::TempDir() + "/" +
        ::testing::UnitTest::GetInstance()->current_test_info()->name() +
        ".db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    store::ReadKeyRecord key;
    key.key_id = "k-1";
    key.key_hash = crypto::Sha256Hex(kKey);
    key.name = "Ada";
    key.org = "Uni";
    key.created_at = clock_.Now();
    key.expires_at = clock_.Now() + absl::Hours(1);
    ASSERT_TRUE(store_->AddReadKey(key).ok());
  }

  ReadAccess Access(bool public_queries = false) {
    return ReadAccess(store_.get(), &clock_, kAdminSecret, public_queries);
  }

  time::FakeClock clock_{absl::FromUnixSeconds(1700000000)};
  std::unique_ptr<store::sqlite::SqliteStore> store_;
};

TEST_F(ReadAccessTest, OffLoopbackAKeyIsRequired) {
  absl::Status s = Access().Authorize(false, "");
  EXPECT_TRUE(absl::IsUnauthenticated(s)) << s;
  EXPECT_TRUE(absl::IsUnauthenticated(Access().Authorize(false, kKey)));
  EXPECT_TRUE(absl::IsUnauthenticated(
      Access().Authorize(false, "Bearer rk-ffffffffffffffffffffffffffffffff")));
  EXPECT_TRUE(absl::IsUnauthenticated(Access().Authorize(false, "Bearer x")));
}

TEST_F(ReadAccessTest, ValidKeyOrAdminSecretIsEnough) {
  EXPECT_TRUE(Access().Authorize(false, std::string("Bearer ") + kKey).ok());
  EXPECT_TRUE(
      Access().Authorize(false, std::string("Bearer ") + kAdminSecret).ok());
}

TEST_F(ReadAccessTest, LoopbackAndPublicQueriesAreOpen) {
  EXPECT_TRUE(Access().Authorize(true, "").ok());
  EXPECT_TRUE(Access(/*public_queries=*/true).Authorize(false, "").ok());
}

TEST_F(ReadAccessTest, RevokedAndExpiredKeysAreRefused) {
  const std::string bearer = std::string("Bearer ") + kKey;
  clock_.Advance(absl::Hours(2));
  absl::Status expired = Access().Authorize(false, bearer);
  EXPECT_TRUE(absl::IsUnauthenticated(expired)) << expired;
  EXPECT_NE(expired.message().find("expired"), std::string::npos);
  clock_.Advance(absl::Hours(-2));
  ASSERT_TRUE(store_->RevokeReadKey("k-1").ok());
  absl::Status revoked = Access().Authorize(false, bearer);
  EXPECT_TRUE(absl::IsUnauthenticated(revoked)) << revoked;
  EXPECT_NE(revoked.message().find("revoked"), std::string::npos);
}

}  // namespace
}  // namespace v6scope::collector::service
