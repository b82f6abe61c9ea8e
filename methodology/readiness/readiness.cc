#include "methodology/readiness/readiness.h"

#include <string>
#include <utility>

#include "methodology/readiness/services.h"
#include "methodology/readiness/text.h"
#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::readiness {
namespace {

void AddExplanation(const char* label, ServiceFinding finding,
                    v6scope::v1::ReadinessVerdict& verdict) {
  v6scope::v1::Explanation* x = verdict.add_explanations();
  x->set_label(label);
  // The parts are cleaned where they enter; clean again (as Clean() does,
  // in place: this runs for every result ingested) so that no path can
  // put a line break or a non-ASCII byte into a stored sentence.
  for (char& c : finding.text) {
    if (c < 0x20 || c > 0x7e) c = '?';
  }
  x->set_text(Bounded(std::move(finding.text)));
}

}  // namespace

v6scope::v1::ReadinessVerdict ComputeReadiness(
    const v6scope::v1::DomainCheck& check) {
  ServiceFinding web = DecideWeb(check);
  ServiceFinding dns = DecideDns(check);
  ServiceFinding mail = DecideMail(check);
  v6scope::v1::ReadinessVerdict verdict;
  verdict.set_web(web.state);
  verdict.set_dns(dns.state);
  verdict.set_mail(mail.state);
  AddExplanation("web", std::move(web), verdict);
  AddExplanation("dns", std::move(dns), verdict);
  AddExplanation("mail", std::move(mail), verdict);
  verdict.set_methodology_version(kReadinessMethodologyVersion);
  return verdict;
}

}  // namespace v6scope::methodology::readiness
