// The one JSON printer of the HTTP API, its exports and the CLI: a message
// as JSON by the project's conventions (docs/api.md), which differ from
// protobuf's JSON mapping where that mapping hurts clients:
//
//   - every field is present: proto3 defaults are printed (0, "", false,
//     []), so a schema can require every key and a zero is never a gap;
//   - a field with presence that is unset (a message field, a proto3
//     `optional` scalar such as median_gap_ms) is null: "no value" stays
//     distinct from 0, and the key is still there (protobuf's parsers
//     read null as unset, so the JSON still parses into the message);
//   - names are the proto field names (snake_case), enums their names (an
//     unknown enum value: its number);
//   - 64-bit integers are JSON numbers, not strings (exact in a double up
//     to 2^53; seq and run counts stay far below);
//   - doubles and floats are the shortest decimal that reads back to the
//     same value in their own precision (a float 135.00035, not
//     135.00035095214844); NaN and infinities, which JSON lacks, are the
//     strings "NaN", "Infinity", "-Infinity" as in protobuf's mapping;
//   - google.protobuf.Timestamp is an RFC 3339 string in UTC ("Z"), with
//     0, 3, 6 or 9 fractional digits; bytes are base64.
//
// Output is compact (no whitespace), keys in declaration order.
#ifndef V6SCOPE_API_API_JSON_H_
#define V6SCOPE_API_API_JSON_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace v6scope::api {

std::string ToJson(const google::protobuf::Message& message);
void AppendJson(const google::protobuf::Message& message, std::string* out);

// `text` as a JSON string literal, quoted; '"', '\\' and control
// characters escaped (text is UTF-8, passed through as is).
std::string JsonString(absl::string_view text);

// The shortest round-trip decimal (see above).
std::string JsonDouble(double value);
std::string JsonFloat(float value);

// True if `text` is a number in JSON's grammar (RFC 8259 section 6):
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(absl::string_view text);

// The error body of every /api/ answer that is not a 2xx:
//   {"error":{"code":404,"status":"NOT_FOUND","message":"..."}}
// `status` is the gRPC canonical code name for the HTTP status
// (ErrorStatusName). A server error carries the id of the log line with
// its details: ..."message":"internal error (error id 3f9c0a12b4de)",
// "error_id":"3f9c0a12b4de"}} (only when `error_id` is not empty).
std::string ErrorJson(int http_status, absl::string_view message,
                      absl::string_view error_id = "");

// 400 INVALID_ARGUMENT, 401 UNAUTHENTICATED, 403 PERMISSION_DENIED,
// 404 NOT_FOUND, 405 UNIMPLEMENTED (as grpc-gateway answers a method a
// path does not take), 409 ALREADY_EXISTS, 413 and 429 RESOURCE_EXHAUSTED,
// 501 UNIMPLEMENTED, 503 UNAVAILABLE, 504 DEADLINE_EXCEEDED; any other 4xx
// FAILED_PRECONDITION, any other 5xx INTERNAL.
absl::string_view ErrorStatusName(int http_status);

}  // namespace v6scope::api

#endif  // V6SCOPE_API_API_JSON_H_
