// The public-service readiness endpoints of the JSON API (docs/api.md),
// adapters over query::ReadinessQueries registered by ApiRoutes (api.h)
// behind the same rate limit and read-key check as the other /api/v1
// routes:
//
//   GET /api/v1/services/shares?campaign_id=&round=&country=&sector=
//                               &service=&methodology=&min_networks=
//   GET /api/v1/services/series?<the same but round>
//   GET /api/v1/services/domains?campaign_id=&round=&domain=&country=
//                                &sector=&page_size=&page_token=
//   GET /api/v1/services/campaigns
//   GET /api/v1/services/changes?campaign_id=&from_round=&to_round=
//                                &country=&sector=&service=
//
// format=json (default: the response message), csv or jsonl (the records,
// api/readiness_export.h; domains: every page from page_token on).
// Without readiness rollups in the store: 503 saying so.
#ifndef V6SCOPE_COLLECTOR_HTTP_SERVICES_API_H_
#define V6SCOPE_COLLECTOR_HTTP_SERVICES_API_H_

#include "collector/query/queries.h"
#include "common/http/mhd_server.h"

namespace v6scope::collector::http {

v6scope::http::Response GetServiceShares(const query::Queries& queries,
                                         const v6scope::http::Request& req);
v6scope::http::Response GetServiceSeries(const query::Queries& queries,
                                         const v6scope::http::Request& req);
v6scope::http::Response GetServiceDomains(const query::Queries& queries,
                                          const v6scope::http::Request& req);
// GET /api/v1/services/campaigns: every campaign (id, name, sectors,
// domains, state, created_at), by id; no parameters.
v6scope::http::Response GetServiceCampaigns(const query::Queries& queries,
                                            const v6scope::http::Request& req);
v6scope::http::Response GetServiceChanges(const query::Queries& queries,
                                          const v6scope::http::Request& req);

}  // namespace v6scope::collector::http

#endif  // V6SCOPE_COLLECTOR_HTTP_SERVICES_API_H_
