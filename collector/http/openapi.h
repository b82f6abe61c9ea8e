// The OpenAPI 3.0 description of the collector's HTTP API
// (collector/http/openapi.json), built into the binary so that
// /api/v1/openapi.json answers from an installed package too, with no
// file to find at run time. tests/api checks every endpoint's real
// responses against it.
#ifndef V6SCOPE_COLLECTOR_HTTP_OPENAPI_H_
#define V6SCOPE_COLLECTOR_HTTP_OPENAPI_H_

#include "absl/strings/string_view.h"
#include "common/http/mhd_server.h"

namespace v6scope::collector::http {

// The document's text, as checked in (generated into openapi_document.cc
// at build time).
absl::string_view OpenApiDocument();

// 200 application/json with the document.
v6scope::http::Response OpenApiReply();

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_OPENAPI_H_
