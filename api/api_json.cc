#include "api/api_json.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <charconv>
#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace v6scope::api {
namespace {

using ::google::protobuf::Descriptor;
using ::google::protobuf::FieldDescriptor;
using ::google::protobuf::Message;
using ::google::protobuf::Reflection;

void AppendMessage(const Message& message, std::string* out);

// NaN and the infinities as protobuf's JSON mapping writes them; nullptr
// for a finite value.
const char* NonFinite(double value) {
  if (std::isnan(value)) return "\"NaN\"";
  if (std::isinf(value)) return value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
  return nullptr;
}

// std::to_chars without a precision is the shortest text that reads back
// to the same value of T: the float's own precision for a float.
template <typename T>
std::string Shortest(T value) {
  if (const char* text = NonFinite(value)) return text;
  char buf[64];
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), value);
  return std::string(buf, r.ptr);
}

void AppendEnum(const google::protobuf::EnumDescriptor* type, int number,
                std::string* out) {
  const google::protobuf::EnumValueDescriptor* value =
      type->FindValueByNumber(number);
  // A value this build does not know (a newer peer's): its number.
  out->append(value == nullptr ? absl::StrCat(number)
                               : JsonString(value->name()));
}

// One value of `field`: element `index` of a repeated field, or the
// singular value when index < 0.
void AppendValue(const Message& m, const FieldDescriptor* f, int index,
                 std::string* out) {
  const Reflection* r = m.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return absl::StrAppend(
          out, rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return absl::StrAppend(
          out, rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return absl::StrAppend(
          out, rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return absl::StrAppend(
          out, rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      out->append(JsonDouble(rep ? r->GetRepeatedDouble(m, f, index)
                                 : r->GetDouble(m, f)));
      return;
    case FieldDescriptor::CPPTYPE_FLOAT:
      out->append(JsonFloat(rep ? r->GetRepeatedFloat(m, f, index)
                                : r->GetFloat(m, f)));
      return;
    case FieldDescriptor::CPPTYPE_BOOL:
      out->append((rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f))
                      ? "true"
                      : "false");
      return;
    case FieldDescriptor::CPPTYPE_ENUM:
      return AppendEnum(
          f->enum_type(),
          rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f),
          out);
    case FieldDescriptor::CPPTYPE_STRING: {
      const std::string s =
          rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
      out->append(f->type() == FieldDescriptor::TYPE_BYTES
                      ? JsonString(absl::Base64Escape(s))
                      : JsonString(s));
      return;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return AppendMessage(
          rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f), out);
  }
}

// A map field as an object: keys are strings in JSON whatever their type.
void AppendMap(const Message& m, const FieldDescriptor* f, std::string* out) {
  const Reflection* r = m.GetReflection();
  const FieldDescriptor* key = f->message_type()->map_key();
  const FieldDescriptor* value = f->message_type()->map_value();
  out->push_back('{');
  for (int i = 0; i < r->FieldSize(m, f); ++i) {
    const Message& entry = r->GetRepeatedMessage(m, f, i);
    if (i > 0) out->push_back(',');
    std::string k;
    AppendValue(entry, key, -1, &k);
    out->append(
        key->cpp_type() == FieldDescriptor::CPPTYPE_STRING ? k : JsonString(k));
    out->push_back(':');
    AppendValue(entry, value, -1, out);
  }
  out->push_back('}');
}

void AppendField(const Message& m, const FieldDescriptor* f, std::string* out) {
  const Reflection* r = m.GetReflection();
  if (f->is_map()) return AppendMap(m, f, out);
  if (f->is_repeated()) {
    out->push_back('[');
    for (int i = 0; i < r->FieldSize(m, f); ++i) {
      if (i > 0) out->push_back(',');
      AppendValue(m, f, i, out);
    }
    out->push_back(']');
    return;
  }
  // Messages, `optional` scalars and oneof members have presence: unset
  // is "no value", which no default could say.
  if (f->has_presence() && !r->HasField(m, f)) {
    out->append("null");
    return;
  }
  AppendValue(m, f, -1, out);
}

// Well-known types other than Timestamp (none in the API today) keep
// protobuf's own mapping, whose special forms (Duration "1.5s", Struct...)
// have no field-by-field equivalent.
bool AppendWellKnown(const Message& m, std::string* out) {
  const Descriptor* d = m.GetDescriptor();
  if (d->full_name() == "google.protobuf.Timestamp") {
    google::protobuf::Timestamp t;
    t.CopyFrom(m);
    out->append(JsonString(google::protobuf::util::TimeUtil::ToString(t)));
    return true;
  }
  if (d->file()->package() != "google.protobuf") return false;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(m, &json).ok()) {
    json = "null";
  }
  out->append(json);
  return true;
}

void AppendMessage(const Message& m, std::string* out) {
  if (AppendWellKnown(m, out)) return;
  const Descriptor* d = m.GetDescriptor();
  out->push_back('{');
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (i > 0) out->push_back(',');
    out->append(JsonString(f->name()));
    out->push_back(':');
    AppendField(m, f, out);
  }
  out->push_back('}');
}

bool Digits(absl::string_view text, size_t* i) {
  const size_t start = *i;
  while (*i < text.size() && absl::ascii_isdigit(text[*i])) ++*i;
  return *i > start;
}

}  // namespace

std::string ToJson(const Message& message) {
  std::string out;
  AppendJson(message, &out);
  return out;
}

void AppendJson(const Message& message, std::string* out) {
  AppendMessage(message, out);
}

std::string JsonString(absl::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += absl::StrFormat("\\u%04x", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string JsonDouble(double value) { return Shortest(value); }
std::string JsonFloat(float value) { return Shortest(value); }

bool IsJsonNumber(absl::string_view text) {
  size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (!Digits(text, &i)) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!Digits(text, &i)) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!Digits(text, &i)) return false;
  }
  return i == text.size();
}

absl::string_view ErrorStatusName(int http_status) {
  switch (http_status) {
    case 400:
      return "INVALID_ARGUMENT";
    case 401:
      return "UNAUTHENTICATED";
    case 403:
      return "PERMISSION_DENIED";
    case 404:
      return "NOT_FOUND";
    case 405:
    case 501:
      return "UNIMPLEMENTED";
    case 409:
      return "ALREADY_EXISTS";
    case 413:
    case 429:
      return "RESOURCE_EXHAUSTED";
    case 503:
      return "UNAVAILABLE";
    case 504:
      return "DEADLINE_EXCEEDED";
    default:
      return http_status < 500 ? "FAILED_PRECONDITION" : "INTERNAL";
  }
}

std::string ErrorJson(int http_status, absl::string_view message,
                      absl::string_view error_id) {
  std::string out =
      absl::StrCat("{\"error\":{\"code\":", http_status,
                   ",\"status\":", JsonString(ErrorStatusName(http_status)),
                   ",\"message\":", JsonString(message));
  if (!error_id.empty()) {
    absl::StrAppend(&out, ",\"error_id\":", JsonString(error_id));
  }
  out.append("}}");
  return out;
}

}  // namespace v6scope::api
