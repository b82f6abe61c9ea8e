#include "common/config/text_proto.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/config.pb.h"

namespace v6scope::config {
namespace {

using ::testing::HasSubstr;

TEST(TextProtoTest, ParsesTypedConfig) {
  v6scope::v1::CollectorConfig cfg;
  ASSERT_TRUE(ParseTextProto("grpc_listen: \"[::]:1\"\ndata_dir: \"/d\"\n",
                             "c.textproto", &cfg)
                  .ok());
  EXPECT_EQ(cfg.grpc_listen(), "[::]:1");
  EXPECT_EQ(cfg.data_dir(), "/d");
}

TEST(TextProtoTest, ErrorNamesFileLineAndField) {
  v6scope::v1::CollectorConfig cfg;
  absl::Status s = ParseTextProto("data_dir: \"/d\"\nno_such_field: 1\n",
                                  "c.textproto", &cfg);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("c.textproto:2:"));
  EXPECT_THAT(s.message(), HasSubstr("no_such_field"));
}

TEST(TextProtoTest, MissingFileNamesPath) {
  v6scope::v1::CollectorConfig cfg;
  absl::Status s = LoadTextProtoFile("/nonexistent/c.textproto", &cfg);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(s.message(), HasSubstr("/nonexistent/c.textproto"));
}

}  // namespace
}  // namespace v6scope::config
