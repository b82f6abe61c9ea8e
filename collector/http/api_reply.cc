#include "collector/http/api_reply.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "api/api_json.h"
#include "common/log/error_id.h"

namespace v6scope::collector::http {
namespace {

using ::v6scope::http::Response;

constexpr char kJson[] = "application/json";

int HttpStatus(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kResourceExhausted:
      return 503;
    default:
      return 500;
  }
}

Response Json(int status, std::string body) {
  Response res;
  res.status = status;
  res.content_type = kJson;
  res.headers.emplace_back("Cache-Control", "no-store");
  body.push_back('\n');
  res.body = std::move(body);
  return res;
}

}  // namespace

Response JsonReply(const google::protobuf::Message& message) {
  return Json(200, api::ToJson(message));
}

Response ErrorReply(int status, absl::string_view message) {
  return Json(status, api::ErrorJson(status, message));
}

Response FailReply(const absl::Status& status) {
  const int code = HttpStatus(status);
  if (code < 500) return ErrorReply(code, status.message());
  const std::string id = log::LogWithErrorId("http.error", status);
  const char* what = code == 503 ? "service unavailable" : "internal error";
  return Json(code, api::ErrorJson(
                        code, absl::StrCat(what, " (error id ", id, ")"), id));
}

}  // namespace v6scope::collector::http
