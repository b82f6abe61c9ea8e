// The conformance cases of the AccessKeys role (researchers' read keys).
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/store/store.h"
#include "collector/store/store_conformance.h"
#include "gtest/gtest.h"

namespace v6scope::collector::store {
namespace {

absl::Time T(int64_t seconds) { return absl::FromUnixSeconds(seconds); }

ReadKeyRecord Key(const std::string& id, const std::string& hash) {
  ReadKeyRecord key;
  key.key_id = id;
  key.key_hash = hash;
  key.name = "Ada Lovelace";
  key.org = "Uni-X";
  key.created_at = T(1000);
  key.expires_at = T(9000);
  return key;
}

TEST_P(StoreConformanceTest, ReadKeyRoundTrips) {
  ASSERT_TRUE(store().AddReadKey(Key("k-1", "h1")).ok());
  absl::StatusOr<ReadKeyRecord> got = store().FindReadKey("h1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->key_id, "k-1");
  EXPECT_EQ(got->key_hash, "h1");
  EXPECT_EQ(got->name, "Ada Lovelace");
  EXPECT_EQ(got->org, "Uni-X");
  EXPECT_EQ(got->created_at, T(1000));
  EXPECT_EQ(got->expires_at, T(9000));
  EXPECT_FALSE(got->revoked);
}

TEST_P(StoreConformanceTest, UnknownReadKeyIsNotFound) {
  EXPECT_EQ(store().FindReadKey("nope").status().code(),
            absl::StatusCode::kNotFound);
}

TEST_P(StoreConformanceTest, DuplicateReadKeyIdOrHashIsAlreadyExists) {
  ASSERT_TRUE(store().AddReadKey(Key("k-1", "h1")).ok());
  EXPECT_EQ(store().AddReadKey(Key("k-1", "h2")).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store().AddReadKey(Key("k-2", "h1")).code(),
            absl::StatusCode::kAlreadyExists);
  absl::StatusOr<std::vector<ReadKeyRecord>> keys = store().ListReadKeys();
  ASSERT_TRUE(keys.ok()) << keys.status();
  EXPECT_EQ(keys->size(), 1u);
}

TEST_P(StoreConformanceTest, ReadKeysListByIdAndRevoke) {
  ASSERT_TRUE(store().AddReadKey(Key("k-b", "hb")).ok());
  ASSERT_TRUE(store().AddReadKey(Key("k-a", "ha")).ok());
  ASSERT_TRUE(store().RevokeReadKey("k-b").ok());
  EXPECT_TRUE(store().RevokeReadKey("k-b").ok());  // Twice is fine.
  EXPECT_EQ(store().RevokeReadKey("k-zz").code(), absl::StatusCode::kNotFound);
  absl::StatusOr<std::vector<ReadKeyRecord>> keys = store().ListReadKeys();
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].key_id, "k-a");
  EXPECT_FALSE((*keys)[0].revoked);
  EXPECT_EQ((*keys)[1].key_id, "k-b");
  EXPECT_TRUE((*keys)[1].revoked);
  absl::StatusOr<ReadKeyRecord> revoked = store().FindReadKey("hb");
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_TRUE(revoked->revoked);
}

}  // namespace
}  // namespace v6scope::collector::store
