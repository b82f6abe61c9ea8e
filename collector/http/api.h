// The collector's HTTP JSON API for researchers and dashboards: an adapter
// over collector/query (the only read path, shared with the gRPC
// QueryService, so both give the same answers under the same paging
// rules), as JSON in the protobuf JSON mapping with proto field names.
//
//   GET /api/v1/aggregates?group_by=&window=&at=&windows=&country=&asn=
//                          &region=&page_size=&page_token=
//   GET /api/v1/allocations?country=
//   GET /api/v1/probes                  enrolled probes, public fields
//   GET /api/v1/runs?probe_id=&page_size=&page_token=   (page_size 0: 100,
//                                                       at most 1000)
//   GET /api/v1/export/runs?format=csv|jsonl&since=&until=&country=&asn=
//                          &probe_id=              streamed, chunked
//   GET /api/v1/export/aggregates?format=csv|jsonl&<aggregates params>
//
// Parameters: api/request_params.h. Errors are JSON {"error": "..."} with
// 400 (bad parameter) or 404; server errors (503, 500) say only
// {"error": "internal error", "error_id": "..."}: the details (maybe SQL)
// are in the log line event=http.error with that id. A numeric
// field that is absent is 0; shares are absent when a group has
// insufficient data. Handlers are thread-safe.
#ifndef V6SCOPE_COLLECTOR_HTTP_API_H_
#define V6SCOPE_COLLECTOR_HTTP_API_H_

#include <vector>

#include "collector/http/access.h"
#include "collector/http/api_limit.h"
#include "collector/query/queries.h"
#include "common/http/mhd_server.h"

namespace v6scope::collector::http {

// The routes above. `queries` (and `limit`) must outlive the server. Each
// request passes `limit` first (api_limit.h; null: no limit): 429
// {"error": ...} with Retry-After (seconds) when its client is over it;
// then `authorize` (access.h): 401 {"error": ...} with
// "WWW-Authenticate: Bearer" without a valid read key off loopback. Every
// route is offloaded (Route::offload): its store reads run on the
// server's workers, not on a polling thread.
std::vector<v6scope::http::Route> ApiRoutes(const query::Queries* queries,
                                            ApiAuthorizer authorize = nullptr,
                                            ApiRateLimit* limit = nullptr);

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_API_H_
