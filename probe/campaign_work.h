// CampaignWork: the probe's campaign machinery (issue 16, docs/campaigns.md)
// assembled on the measuring thread's event loop: the work book kept in
// <state dir>/campaigns, the readiness checks' own UDP DNS client (asking
// the host's resolvers, as the capability suite's c-ares does), a second
// curl fetcher on the same loop, the politeness gate, the sink that spools
// each finished check, and the runner the daemon pauses around every
// capability run.
#ifndef V6SCOPE_PROBE_CAMPAIGN_WORK_H_
#define V6SCOPE_PROBE_CAMPAIGN_WORK_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "probe/campaign/campaign_runner.h"
#include "probe/campaign/file_work_book.h"
#include "probe/campaign/participation.h"
#include "probe/http/http_fetcher.h"
#include "probe/measurement.h"
#include "probe/readiness/connection_gate.h"
#include "probe/readiness/udp_dns_lookup.h"
#include "probe/spool/domain_spool.h"
#include "probe/spool/spooled_result_sink.h"
#include "proto/config.pb.h"

namespace v6scope::probe {

struct CampaignWorkOptions {
  std::string state_dir;
  campaign::Participation participation;
  // CA certificate for https home pages; empty: the system store (the
  // readiness bed's test CA in tests).
  std::string ca_file;
  // At most one new connection per target address this often (politeness).
  absl::Duration min_interval_per_address = absl::Milliseconds(500);
};

class CampaignWork {
 public:
  // `measurement` (its loop and resolver), `results` and the callbacks
  // must outlive the work. `next_seq` reserves a readiness sequence
  // number; `appended` wakes the uplink.
  static absl::StatusOr<std::unique_ptr<CampaignWork>> Create(
      Measurement* measurement, spool::DomainSpool* results,
      spool::SpooledResultSink::SeqSource next_seq,
      std::function<void()> appended, CampaignWorkOptions options);

  campaign::FileWorkBook* book() { return book_.get(); }
  campaign::CampaignRunner* runner() { return runner_.get(); }

 private:
  CampaignWork() = default;

  // Destruction in reverse: the runner first, the fetcher and DNS last.
  std::unique_ptr<readiness::UdpDnsLookup> dns_;
  std::unique_ptr<http::HttpFetcher> fetcher_;
  std::unique_ptr<readiness::ConnectionGate> gate_;
  std::unique_ptr<campaign::FileWorkBook> book_;
  std::unique_ptr<spool::SpooledResultSink> sink_;
  std::unique_ptr<campaign::CampaignRunner> runner_;
};

}  // namespace v6scope::probe

#endif  // V6SCOPE_PROBE_CAMPAIGN_WORK_H_
