#include "common/http/push_stream.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace v6scope::http {
namespace {

// Reads the whole body in pieces of at most `piece` bytes.
absl::StatusOr<std::string> ReadAll(BodyReader& reader, size_t piece) {
  std::string out;
  char buf[64];
  for (;;) {
    absl::StatusOr<size_t> n = reader.read(out.size(), buf, piece);
    if (!n.ok()) return n.status();
    if (*n == 0) return out;
    out.append(buf, *n);
  }
}

TEST(PushStreamTest, DeliversEveryChunkInOrderThenTheEnd) {
  auto reader = PushStream([](const ChunkSink& sink) {
    for (int i = 0; i < 100; ++i) {
      if (!sink(std::to_string(i) + ",")) return absl::CancelledError("gone");
    }
    sink("");  // An empty chunk is no end.
    return absl::OkStatus();
  });
  EXPECT_EQ(reader->size, -1);
  absl::StatusOr<std::string> body = ReadAll(*reader, 7);
  ASSERT_TRUE(body.ok()) << body.status();
  std::string want;
  for (int i = 0; i < 100; ++i) want += std::to_string(i) + ",";
  EXPECT_EQ(*body, want);
}

TEST(PushStreamTest, AProducerErrorEndsTheBodyWithTheErrorAfterItsChunks) {
  auto reader = PushStream([](const ChunkSink& sink) {
    sink("first");
    return absl::InternalError("store failed");
  });
  char buf[64];
  absl::StatusOr<size_t> n = reader->read(0, buf, sizeof(buf));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buf, *n), "first");
  EXPECT_EQ(reader->read(5, buf, sizeof(buf)).status().code(),
            absl::StatusCode::kInternal);
}

TEST(PushStreamTest, DroppingTheReaderStopsAndJoinsTheProducer) {
  auto stopped = std::make_shared<absl::Notification>();
  auto reader = PushStream(
      [stopped](const ChunkSink& sink) {
        while (sink("more")) {
        }
        stopped->Notify();
        return absl::OkStatus();
      },
      /*max_queued_chunks=*/2);
  char buf[4];
  ASSERT_TRUE(reader->read(0, buf, sizeof(buf)).ok());
  reader.reset();  // Joins: the producer saw false and returned.
  EXPECT_TRUE(stopped->HasBeenNotified());
}

TEST(PushStreamTest, AnUnreadStreamNeverStartsItsProducer) {
  bool ran = false;
  auto reader = PushStream([&ran](const ChunkSink&) {
    ran = true;
    return absl::OkStatus();
  });
  reader.reset();  // A HEAD request: the body is never read.
  EXPECT_FALSE(ran);
}

}  // namespace
}  // namespace v6scope::http
