// The readiness verdict of one domain (readiness 1): per service (web,
// DNS, mail) a v1.ServiceState and one plain sentence saying what was
// seen, derived from what a probe observed (v1.DomainCheck) by the rules
// of docs/methodology.md §13.
//
// ComputeReadiness() is a pure function of the DomainCheck's observations
// (never the clock, the host, or a verdict already in the check), so the
// probe and the collector compute the same verdict from the same check.
// Thread-safe.
#ifndef V6SCOPE_METHODOLOGY_READINESS_READINESS_H_
#define V6SCOPE_METHODOLOGY_READINESS_READINESS_H_

#include "proto/readiness.pb.h"

namespace v6scope::methodology::readiness {

// Version of the rules of docs/methodology.md §13 that ComputeReadiness()
// implements, stored in every ReadinessVerdict. Bump it with any rule or
// threshold change (kMaxSimHashDistance included) and keep the old rules
// as a frozen function, as methodology 1 is.
inline constexpr char kReadinessMethodologyVersion[] = "readiness 1";

// The web, dns and mail states and three explanations labelled "web",
// "dns", "mail" in that order (each one line of printable ASCII, at most
// 400 bytes), methodology_version = kReadinessMethodologyVersion. Any
// check is accepted: a missing part counts as not observed, unknown
// outcome values as failures.
v6scope::v1::ReadinessVerdict ComputeReadiness(
    const v6scope::v1::DomainCheck& check);

}  // namespace v6scope::methodology::readiness

#endif  // V6SCOPE_METHODOLOGY_READINESS_READINESS_H_
