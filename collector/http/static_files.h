// The dashboard's static files on the HTTP listener: a prefix route "/"
// that serves the files under one directory (GET and HEAD only).
//
// A path maps to a file only if its real path (symlinks resolved) lies
// inside the directory's real path: a symlink pointing out of it is 404,
// like a missing file. Paths with "." / ".." segments or an encoded NUL
// never get here (the server refuses them with 400). "/" and directories
// serve their index.html. The content type comes from the real file's
// extension (unknown: application/octet-stream) with nosniff, so a
// browser never runs a file as something it is not.
#ifndef V6SCOPE_COLLECTOR_HTTP_STATIC_FILES_H_
#define V6SCOPE_COLLECTOR_HTTP_STATIC_FILES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/http/mhd_server.h"

namespace v6scope::collector::http {

// The route serving `dir`, which must exist (its real path is taken now).
absl::StatusOr<v6scope::http::Route> StaticFilesRoute(const std::string& dir);

// The Content-Type for a file name ("app.js": "text/javascript; ...").
absl::string_view ContentTypeFor(absl::string_view file_name);

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_STATIC_FILES_H_
