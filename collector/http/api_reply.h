// The JSON answers of the collector's /api/: a message printed by
// api/api_json.h, or the error body every non-2xx under /api/ has,
//   {"error":{"code":404,"status":"NOT_FOUND","message":"..."}}
// (docs/api.md). Every answer says Cache-Control: no-store.
#ifndef V6SCOPE_COLLECTOR_HTTP_API_REPLY_H_
#define V6SCOPE_COLLECTOR_HTTP_API_REPLY_H_

#include <google/protobuf/message.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "common/http/mhd_server.h"

namespace v6scope::collector::http {

// 200 with `message` as JSON.
v6scope::http::Response JsonReply(const google::protobuf::Message& message);

// `status` (4xx or 5xx) with the error body saying `message`. For a 4xx
// the message says what was wrong with the request; a 5xx message must
// carry no internals (see FailReply).
v6scope::http::Response ErrorReply(int status, absl::string_view message);

// The answer to a failed query: INVALID_ARGUMENT and OUT_OF_RANGE 400,
// NOT_FOUND 404, UNAVAILABLE and RESOURCE_EXHAUSTED 503, anything else
// 500. A client error says what was wrong; a server error may come from
// the store and carry SQL, paths or library messages, so the client gets
// "internal error" (or "service unavailable") and an error id, and the
// details go to the log line event=http.error with that id.
v6scope::http::Response FailReply(const absl::Status& status);

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_API_REPLY_H_
