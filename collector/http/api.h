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
//   GET /api/v1/openapi.json            the OpenAPI 3.0 description
//
// Parameters: api/request_params.h; the whole API is described in
// collector/http/openapi.json (docs/api.md). JSON is printed by
// api/api_json.h: every field present, unset ones null. Every non-2xx under
// /api/ (unknown paths, /api/v1 itself, the server's own 400/405/413/503
// included) is the JSON error body of api_reply.h; server errors (503,
// 500) carry only an error id, the details (maybe SQL) are in the log
// line event=http.error with that id. Handlers are thread-safe.
#ifndef V6SCOPE_COLLECTOR_HTTP_API_H_
#define V6SCOPE_COLLECTOR_HTTP_API_H_

#include <vector>

#include "collector/http/access.h"
#include "collector/http/api_limit.h"
#include "collector/query/queries.h"
#include "collector/report/country_report.h"
#include "common/http/mhd_server.h"

namespace v6scope::collector::http {

// The routes above. `queries` (and `limit`) must outlive the server. Each
// request passes `limit` first (api_limit.h; null: no limit): 429
// (the error body) with Retry-After (seconds) when its client is over it;
// then `authorize` (access.h): 401 with "WWW-Authenticate: Bearer"
// without a valid read key off loopback (openapi.json is open: a client
// reads it before it has a key). Every route that reads the store is
// offloaded (Route::offload): its reads run on the server's workers, not
// on a polling thread.
// With `reports`, also GET /report/XX (report_page.h) under the same
// access check and rate limit.
std::vector<v6scope::http::Route> ApiRoutes(
    const query::Queries* queries, ApiAuthorizer authorize = nullptr,
    ApiRateLimit* limit = nullptr, const report::Reports* reports = nullptr);

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_API_H_
