// The readiness aggregates of collector/aggregate/readiness as the wire
// records of QueryService (proto/query_service.proto): a withheld record
// keeps its keys and reason and carries no number (docs/methodology.md
// §14.4); every record carries its provenance.
#ifndef V6SCOPE_COLLECTOR_QUERY_READINESS_RECORDS_H_
#define V6SCOPE_COLLECTOR_QUERY_READINESS_RECORDS_H_

#include <vector>

#include "absl/types/span.h"
#include "collector/aggregate/readiness/changes.h"
#include "collector/aggregate/readiness/domain_views.h"
#include "collector/aggregate/readiness/options.h"
#include "collector/aggregate/readiness/shares.h"
#include "proto/query_service.pb.h"

namespace v6scope::collector::query {

v6scope::v1::ReadinessProvenance ToProto(
    const aggregate::readiness::Provenance& provenance);

v6scope::v1::ServiceShareCell ToProto(
    const aggregate::readiness::ShareCell& cell);

v6scope::v1::ServiceShareSeries ToProto(
    const aggregate::readiness::ShareSeries& series);

v6scope::v1::ServiceChangeRecord ToProto(
    const aggregate::readiness::ServiceChanges& changes);

// "state", "split", "untested".
const char* ConsensusKindName(aggregate::readiness::ConsensusKind kind);

// One country's view of a domain (its key gives the country).
v6scope::v1::CountryReadinessView ToProto(
    const aggregate::readiness::DomainView& view);

v6scope::v1::ReadinessDisagreement ToProto(
    const aggregate::readiness::Disagreement& disagreement);

}  // namespace v6scope::collector::query

#endif  // V6SCOPE_COLLECTOR_QUERY_READINESS_RECORDS_H_
