#include "collector/service/upload_parse.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/text/text_rules.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/unknown_field_set.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace v6scope::collector::service {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::UnknownField;
using google::protobuf::UnknownFieldSet;

// Deeper than any v6scope message nests; bounds the recursion on hostile
// input (protobuf's own limit is 100).
constexpr int kMaxDepth = 16;

std::string FieldPath(const std::string& parent, const FieldDescriptor& field,
                      int index) {
  std::string path =
      parent.empty() ? field.name() : absl::StrCat(parent, ".", field.name());
  if (field.is_repeated()) absl::StrAppend(&path, "[", index, "]");
  return path;
}

// Walks `bytes` as a `type` message without the generated parser, which
// says only "false": the wire structure parses schemaless as unknown
// fields, and each string field known to `type` is checked for UTF-8.
// Returns "" if nothing wrong was found.
std::string Diagnose(absl::string_view bytes, const Descriptor& type,
                     const std::string& path, int depth) {
  if (depth > kMaxDepth) return absl::StrCat(path, ": nested too deeply");
  UnknownFieldSet fields;
  if (!fields.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::StrCat(path.empty() ? "" : absl::StrCat(path, ": "),
                        "truncated or malformed protobuf data");
  }
  std::map<int, int> seen;  // Field number -> occurrences so far.
  for (int i = 0; i < fields.field_count(); ++i) {
    const UnknownField& f = fields.field(i);
    const FieldDescriptor* field = type.FindFieldByNumber(f.number());
    const int index = seen[f.number()]++;
    if (field == nullptr || f.type() != UnknownField::TYPE_LENGTH_DELIMITED) {
      continue;
    }
    const std::string where = FieldPath(path, *field, index);
    if (field->type() == FieldDescriptor::TYPE_STRING &&
        !text::IsValidUtf8(f.length_delimited())) {
      return absl::StrCat(where, ": invalid UTF-8");
    }
    if (field->type() == FieldDescriptor::TYPE_MESSAGE) {
      std::string why = Diagnose(f.length_delimited(), *field->message_type(),
                                 where, depth + 1);
      if (!why.empty()) return why;
    }
  }
  return "";
}

}  // namespace

std::string WhyUploadUnparseable(absl::string_view bytes) {
  std::string why =
      Diagnose(bytes, *v6scope::v1::UploadRequest::descriptor(), "", 0);
  return why.empty() ? "not a valid v6scope.v1.UploadRequest" : why;
}

absl::Status ParseUploadRequest(grpc::ByteBuffer* bytes,
                                v6scope::v1::UploadRequest* request) {
  bool parsed = false;
  {
    grpc::ProtoBufferReader reader(bytes);
    parsed = request->ParseFromZeroCopyStream(&reader);
  }
  if (parsed) {
    bytes->Clear();
    return absl::OkStatus();
  }
  // The slow path, for broken messages only: flatten and diagnose.
  std::vector<grpc::Slice> slices;
  std::string flat;
  if (bytes->Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) {
      flat.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  bytes->Clear();
  return absl::InvalidArgumentError(absl::StrCat(
      "UploadRequest does not parse: ", WhyUploadUnparseable(flat)));
}

}  // namespace v6scope::collector::service
