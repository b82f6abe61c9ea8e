// Internal to //methodology/readiness: the three decision tables of
// readiness 1 (docs/methodology.md §13.2, §13.4, §13.5), one per service,
// each a pure function of the DomainCheck giving a state and the sentence
// that explains it.
#ifndef V6SCOPE_METHODOLOGY_READINESS_SERVICES_H_
#define V6SCOPE_METHODOLOGY_READINESS_SERVICES_H_

#include <string>

#include "proto/readiness.pb.h"

namespace v6scope::methodology::readiness {

struct ServiceFinding {
  v6scope::v1::ServiceState state = v6scope::v1::SERVICE_STATE_UNSPECIFIED;
  std::string text;  // One sentence; ComputeReadiness bounds it.
};

ServiceFinding DecideWeb(const v6scope::v1::DomainCheck& check);   // W0-W10
ServiceFinding DecideDns(const v6scope::v1::DomainCheck& check);   // D0-D8
ServiceFinding DecideMail(const v6scope::v1::DomainCheck& check);  // M1-M5

}  // namespace v6scope::methodology::readiness

#endif  // V6SCOPE_METHODOLOGY_READINESS_SERVICES_H_
