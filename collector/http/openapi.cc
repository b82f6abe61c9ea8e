#include "collector/http/openapi.h"

#include <string>

namespace v6scope::collector::http {

v6scope::http::Response OpenApiReply() {
  v6scope::http::Response res;
  res.content_type = "application/json";
  // The document changes only with the binary: cacheable, but revalidated.
  res.headers.emplace_back("Cache-Control", "no-cache");
  res.body = std::string(OpenApiDocument());
  return res;
}

}  // namespace v6scope::collector::http
