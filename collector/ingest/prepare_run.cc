#include "collector/ingest/prepare_run.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/net/ip_address.h"
#include "google/protobuf/util/time_util.h"
#include "methodology/observation.h"

namespace v6scope::collector::ingest {

namespace {

void Canonicalize(std::string* literal) {
  if (literal->empty()) return;
  absl::StatusOr<net::IpAddress> address = net::IpAddress::Parse(*literal);
  if (address.ok()) *literal = address->ToString();
}

}  // namespace

void SanitizeRun(v6scope::v1::Run* run) {
  run->DiscardUnknownFields();
  for (v6scope::v1::TestResult& test : *run->mutable_tests()) {
    for (std::string& address : *test.mutable_resolved_addresses()) {
      Canonicalize(&address);
    }
    Canonicalize(test.mutable_used_address());
    Canonicalize(test.mutable_dns_server());
  }
}

absl::StatusOr<store::PreparedRun> PrepareRun(const v6scope::v1::Run& run) {
  store::PreparedRun prepared;
  if (!run.SerializeToString(&prepared.blob)) {
    return absl::InvalidArgumentError("run is not serializable");
  }
  if (prepared.blob.size() > kMaxStoredRunBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "run is ", prepared.blob.size(), " bytes serialized, more than the ",
        kMaxStoredRunBytes, " a stored run may have"));
  }
  if (run.has_started_at()) {
    prepared.started_at_us =
        google::protobuf::util::TimeUtil::TimestampToMicroseconds(
            run.started_at());
  }
  prepared.capability = run.verdict().capability();
  prepared.score = run.verdict().score();
  prepared.observation = methodology::Observe(run);
  return prepared;
}

}  // namespace v6scope::collector::ingest
