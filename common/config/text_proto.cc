#include "common/config/text_proto.h"

#include "absl/strings/str_cat.h"
#include "common/fs/files.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"

namespace v6scope::config {
namespace {

// Keeps the first error, with its position, for a one-line message.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, int column, const std::string& message) override {
    if (!error_.empty()) return;
    // The parser counts from 0; editors count from 1.
    error_ = absl::StrCat(line + 1, ":", column + 1, ": ", message);
  }
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

}  // namespace

absl::Status ParseTextProto(const std::string& text, const std::string& origin,
                            google::protobuf::Message* msg) {
  FirstError errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, msg)) {
    return absl::InvalidArgumentError(
        absl::StrCat(origin, ":", errors.error()));
  }
  return absl::OkStatus();
}

absl::Status LoadTextProtoFile(const std::string& path,
                               google::protobuf::Message* msg) {
  absl::StatusOr<std::string> text = fs::ReadFile(path);
  if (!text.ok()) return text.status();
  return ParseTextProto(*text, path, msg);
}

}  // namespace v6scope::config
