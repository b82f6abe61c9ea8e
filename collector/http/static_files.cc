#include "collector/http/static_files.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace v6scope::collector::http {
namespace {

using ::v6scope::http::BodyReader;
using ::v6scope::http::Request;
using ::v6scope::http::Response;
using ::v6scope::http::Route;

// An open file shared by the body reader; closed with the last reference.
struct OpenFile {
  explicit OpenFile(int f) : fd(f) {}
  ~OpenFile() { close(fd); }
  const int fd;
};

std::optional<std::string> RealPath(const std::string& path) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved) == nullptr) return std::nullopt;
  return std::string(resolved);
}

bool Inside(absl::string_view root, absl::string_view path) {
  return path == root ||
         (absl::StartsWith(path, root) && path.size() > root.size() &&
          (root == "/" || path[root.size()] == '/'));
}

// The real path of the file `request_path` names under `root`, or nullopt
// when there is none inside it (missing, outside through a symlink, not a
// regular file).
std::optional<std::string> Resolve(const std::string& root,
                                   absl::string_view request_path) {
  std::string relative(request_path.substr(1));  // Without the leading '/'.
  if (relative.empty() || absl::EndsWith(relative, "/")) {
    relative += "index.html";
  }
  std::optional<std::string> real = RealPath(absl::StrCat(root, "/", relative));
  if (!real.has_value() || !Inside(root, *real)) return std::nullopt;
  struct stat st;
  if (stat(real->c_str(), &st) != 0) return std::nullopt;
  if (S_ISDIR(st.st_mode))
    return Resolve(root, absl::StrCat(request_path, "/"));
  if (!S_ISREG(st.st_mode)) return std::nullopt;
  return real;
}

Response NotFound() {
  Response response;
  response.status = 404;
  response.body = "not found\n";
  return response;
}

Response ServeFile(const std::string& root, const Request& request) {
  std::optional<std::string> real = Resolve(root, request.path);
  if (!real.has_value()) return NotFound();
  // O_NOFOLLOW: the last component was just resolved; a symlink swapped in
  // since is refused rather than followed.
  const int fd = open(real->c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return NotFound();
  auto file = std::make_shared<OpenFile>(fd);
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return NotFound();
  Response response;
  response.content_type = std::string(ContentTypeFor(*real));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Cache-Control", "no-cache");
  auto reader = std::make_shared<BodyReader>();
  reader->size = st.st_size;
  reader->read = [file](uint64_t offset, char* buf,
                        size_t max) -> absl::StatusOr<size_t> {
    const ssize_t n = pread(file->fd, buf, max, static_cast<off_t>(offset));
    if (n < 0) return absl::InternalError(std::strerror(errno));
    return static_cast<size_t>(n);
  };
  response.stream = std::move(reader);
  return response;
}

}  // namespace

absl::string_view ContentTypeFor(absl::string_view file_name) {
  static constexpr std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".csv", "text/csv; charset=utf-8"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".wasm", "application/wasm"},
  };
  const size_t slash = file_name.rfind('/');
  const absl::string_view base =
      slash == absl::string_view::npos ? file_name : file_name.substr(slash);
  for (const auto& [extension, type] : kTypes) {
    if (absl::EndsWithIgnoreCase(base, extension)) return type;
  }
  return "application/octet-stream";
}

absl::StatusOr<Route> StaticFilesRoute(const std::string& dir) {
  std::optional<std::string> root = RealPath(dir);
  if (!root.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("dashboard_dir: ", dir, ": ", std::strerror(errno)));
  }
  return Route{"/",
               {"GET"},
               [root = *root](const Request& request) {
                 return ServeFile(root, request);
               },
               /*prefix=*/true};
}

}  // namespace v6scope::collector::http
