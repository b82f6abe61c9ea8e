#include "methodology/readiness/readiness.h"

#include <string>

#include "methodology/readiness/services.h"
#include "methodology/readiness/text.h"
#include "proto/readiness.pb.h"
#include "proto/results.pb.h"

namespace v6scope::methodology::readiness {
namespace {

void AddExplanation(const std::string& label, const ServiceFinding& finding,
                    v6scope::v1::ReadinessVerdict& verdict) {
  v6scope::v1::Explanation* x = verdict.add_explanations();
  x->set_label(label);
  // The parts are cleaned where they enter; Clean again so that no path
  // can put a line break or a non-ASCII byte into a stored sentence.
  x->set_text(Bounded(Clean(finding.text, finding.text.size())));
}

}  // namespace

v6scope::v1::ReadinessVerdict ComputeReadiness(
    const v6scope::v1::DomainCheck& check) {
  const ServiceFinding web = DecideWeb(check);
  const ServiceFinding dns = DecideDns(check);
  const ServiceFinding mail = DecideMail(check);
  v6scope::v1::ReadinessVerdict verdict;
  verdict.set_web(web.state);
  verdict.set_dns(dns.state);
  verdict.set_mail(mail.state);
  AddExplanation("web", web, verdict);
  AddExplanation("dns", dns, verdict);
  AddExplanation("mail", mail, verdict);
  verdict.set_methodology_version(kReadinessMethodologyVersion);
  return verdict;
}

}  // namespace v6scope::methodology::readiness
