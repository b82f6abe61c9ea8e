// Typed configuration: a protobuf message read from text format.
#ifndef V6SCOPE_COMMON_CONFIG_TEXT_PROTO_H_
#define V6SCOPE_COMMON_CONFIG_TEXT_PROTO_H_

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"

namespace v6scope::config {

// Parses `text` into `msg`; errors say "<origin>:<line>:<col>: <what>".
absl::Status ParseTextProto(const std::string& text, const std::string& origin,
                            google::protobuf::Message* msg);

// Reads and parses the file at `path`.
absl::Status LoadTextProtoFile(const std::string& path,
                               google::protobuf::Message* msg);

}  // namespace v6scope::config

#endif  // V6SCOPE_COMMON_CONFIG_TEXT_PROTO_H_
