// The conformance cases of the ReadinessStore role: readiness results
// stored exactly once by both keys and read back in keyset pages; the
// assignments and each probe's work state; one probe's vantage.
#include <google/protobuf/util/time_util.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "collector/ingest/prepare_run.h"
#include "collector/store/store.h"
#include "collector/store/store_conformance.h"
#include "gtest/gtest.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::store {
namespace {

using v6scope::v1::StoredDomainResult;

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

DomainResultRow Row(uint64_t seq, const std::string& assignment, uint32_t item,
                    uint32_t round = 1, const std::string& campaign = "c-1") {
  DomainResultRow r;
  r.seq = seq;
  r.assignment_id = assignment;
  r.item = item;
  r.campaign_id = campaign;
  r.round = round;
  r.list_index = 100 + item;
  r.domain = absl::StrCat("site-", item, ".example.go.ke");
  r.sector = "government";
  r.probe_asn = 33771;
  r.probe_country = "KE";
  r.received_at = kT0 + absl::Seconds(seq);
  r.check.set_domain(r.domain);
  r.check.mutable_www()->add_aaaa("2001:db8::1");
  r.check.set_web_v4_asn(64500);
  r.check.set_web_v6_asn(64501);
  r.check.mutable_verdict()->set_web(v6scope::v1::SERVING_V6);
  r.check.mutable_verdict()->set_methodology_version("readiness 1");
  return r;
}

std::vector<DomainResultRow> Rows(uint64_t first_seq,
                                  const std::string& assignment,
                                  uint32_t first_item, int n,
                                  uint32_t round = 1) {
  std::vector<DomainResultRow> rows;
  for (int i = 0; i < n; ++i) {
    rows.push_back(Row(first_seq + i, assignment, first_item + i, round));
  }
  return rows;
}

uint32_t Store3(Store& store, const std::string& probe, uint64_t first_seq,
                const std::vector<DomainResultRow>& rows) {
  absl::StatusOr<StoredDomainBatch> got =
      store.StoreDomainResults(probe, first_seq, rows);
  EXPECT_TRUE(got.ok()) << got.status();
  if (!got.ok()) return 0;
  EXPECT_EQ(got->first_seq, first_seq);
  EXPECT_EQ(got->last_seq, first_seq + rows.size() - 1);
  return got->stored;
}

std::vector<StoredDomainResult> Read(Store& store, DomainResultQuery q) {
  absl::StatusOr<std::vector<StoredDomainResult>> got =
      store.ReadDomainResults(q);
  EXPECT_TRUE(got.ok()) << got.status();
  return got.ok() ? *got : std::vector<StoredDomainResult>{};
}

TEST_P(StoreConformanceTest, DomainResultsAreStoredOnceByEitherKey) {
  EXPECT_EQ(*store().LastStoredDomainSeq("p-1"), 0u);
  EXPECT_EQ(Store3(store(), "p-1", 1, Rows(1, "a-1", 0, 3)), 3u);
  EXPECT_EQ(*store().LastStoredDomainSeq("p-1"), 3u);
  // Resent: (probe, seq) known.
  EXPECT_EQ(Store3(store(), "p-1", 2, Rows(2, "a-1", 1, 2)), 0u);
  // A check repeated after a crash under new sequence numbers: (probe,
  // assignment, item) known for item 2 only.
  EXPECT_EQ(Store3(store(), "p-1", 4, Rows(4, "a-1", 2, 2)), 1u);
  EXPECT_EQ(*store().LastStoredDomainSeq("p-1"), 5u);
  // Another probe has its own sequence space and its own items.
  EXPECT_EQ(Store3(store(), "p-2", 1, Rows(1, "a-1", 0, 2)), 2u);
  EXPECT_EQ(*store().LastStoredDomainSeq("p-2"), 2u);
  EXPECT_EQ(*store().LastStoredDomainSeq("p-1"), 5u);
}

TEST_P(StoreConformanceTest, DomainResultsMustBeContiguous) {
  std::vector<DomainResultRow> rows = Rows(1, "a-1", 0, 3);
  rows[2].seq = 7;
  EXPECT_EQ(store().StoreDomainResults("p-1", 1, rows).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store().StoreDomainResults("p-1", 1, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*store().LastStoredDomainSeq("p-1"), 0u);  // Nothing stored.
}

// Several probes' batches in one call (one transaction): each batch gets
// its own outcome, and duplicates count against earlier batches of the
// same call as against earlier calls.
TEST_P(StoreConformanceTest, DomainBatchesStoreSeveralInOneCall) {
  ASSERT_EQ(Store3(store(), "p-1", 1, Rows(1, "a-1", 0, 1)), 1u);
  const std::vector<DomainResultRow> first = Rows(2, "a-1", 1, 2);  // 2..3
  const std::vector<DomainResultRow> other = Rows(1, "a-2", 0, 2);
  const std::vector<DomainResultRow> resent = Rows(1, "a-1", 0, 3);
  const std::vector<DomainResultRow> repeat = Rows(4, "a-1", 2, 2);
  const DomainBatchRows batches[] = {{"p-1", 2, first},
                                     {"p-2", 1, other},
                                     {"p-1", 1, resent},
                                     {"p-1", 4, repeat}};
  absl::StatusOr<std::vector<StoredDomainBatch>> got =
      store().StoreDomainBatches(batches);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 4u);
  EXPECT_EQ((*got)[0].first_seq, 2u);
  EXPECT_EQ((*got)[0].last_seq, 3u);
  EXPECT_EQ((*got)[0].stored, 2u);
  EXPECT_EQ((*got)[1].stored, 2u);
  EXPECT_EQ((*got)[2].first_seq, 1u);
  EXPECT_EQ((*got)[2].last_seq, 3u);
  EXPECT_EQ((*got)[2].stored, 0u);  // Every seq stored, one by this call.
  EXPECT_EQ((*got)[3].stored, 1u);  // Item 2 came with seq 3; item 3 new.
  EXPECT_EQ(*store().LastStoredDomainSeq("p-1"), 5u);
  EXPECT_EQ(*store().LastStoredDomainSeq("p-2"), 2u);
  DomainResultQuery q;
  q.campaign_id = "c-1";
  EXPECT_EQ(Read(store(), q).size(), 6u);
  EXPECT_TRUE(store().StoreDomainBatches({})->empty());
}

TEST_P(StoreConformanceTest, DomainBatchesAreAllOrNothing) {
  const std::vector<DomainResultRow> good = Rows(1, "a-1", 0, 2);
  std::vector<DomainResultRow> gap = Rows(1, "a-2", 0, 3);
  gap[1].seq = 9;
  const DomainBatchRows batches[] = {{"p-1", 1, good}, {"p-2", 1, gap}};
  absl::StatusOr<std::vector<StoredDomainBatch>> got =
      store().StoreDomainBatches(batches);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(got.status().message(), "batches[1]: rows[1]"))
      << got.status();
  const DomainBatchRows empty[] = {{"p-1", 1, good}, {"p-2", 1, {}}};
  EXPECT_EQ(store().StoreDomainBatches(empty).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(*store().LastStoredDomainSeq("p-1"), 0u);  // Nothing stored.
  EXPECT_EQ(*store().LastStoredDomainSeq("p-2"), 0u);
}

// A row the caller serialized already is stored as given, and its check
// (left empty) is not looked at.
TEST_P(StoreConformanceTest, SerializedChecksAreStoredAsGiven) {
  std::vector<DomainResultRow> rows = Rows(1, "a-1", 0, 2);
  const std::string want = rows[1].check.SerializeAsString();
  rows[1].serialized = SerializedCheck::Of(rows[1].check);
  rows[1].check.Clear();
  ASSERT_EQ(Store3(store(), "p-1", 1, rows), 2u);
  DomainResultQuery q;
  q.campaign_id = "c-1";
  std::vector<StoredDomainResult> all = Read(store(), q);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].check().SerializeAsString(), want);
  EXPECT_EQ(all[1].check().web_v6_asn(), 64501u);
}

TEST_P(StoreConformanceTest, DomainResultsRoundTripAndPage) {
  ASSERT_EQ(Store3(store(), "p-b", 1, Rows(1, "a-b", 0, 3)), 3u);
  ASSERT_EQ(Store3(store(), "p-a", 1, Rows(1, "a-a", 0, 2)), 2u);
  ASSERT_EQ(Store3(store(), "p-a", 3, Rows(3, "a-a2", 0, 2, 2)), 2u);
  std::vector<DomainResultRow> other = Rows(1, "a-c", 0, 1);
  other[0].campaign_id = "c-2";
  ASSERT_EQ(Store3(store(), "p-c", 1, other), 1u);

  DomainResultQuery q;
  q.campaign_id = "c-1";
  std::vector<StoredDomainResult> all = Read(store(), q);
  ASSERT_EQ(all.size(), 7u);  // Round 1 (p-a, p-b), then round 2.
  EXPECT_EQ(all[0].probe_id(), "p-a");
  EXPECT_EQ(all[0].round(), 1u);
  EXPECT_EQ(all[0].list_index(), 100u);
  EXPECT_EQ(all[0].sector(), "government");
  EXPECT_EQ(all[0].probe_asn(), 33771u);
  EXPECT_EQ(all[0].probe_country(), "KE");
  EXPECT_EQ(all[0].received_at().seconds(), 1'700'000'001);
  EXPECT_EQ(all[0].check().SerializeAsString(),
            Row(1, "a-a", 0).check.SerializeAsString());
  EXPECT_EQ(all[2].probe_id(), "p-b");
  EXPECT_EQ(all[5].round(), 2u);
  EXPECT_EQ(all[6].list_index(), 101u);

  // Keyset pages of 3 give the same rows.
  std::vector<StoredDomainResult> paged;
  q.limit = 3;
  for (;;) {
    std::vector<StoredDomainResult> page = Read(store(), q);
    if (page.empty()) break;
    paged.insert(paged.end(), page.begin(), page.end());
    const StoredDomainResult& last = page.back();
    q.after = {last.round(), last.probe_id(), last.list_index(), true};
  }
  ASSERT_EQ(paged.size(), all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(paged[i].SerializeAsString(), all[i].SerializeAsString()) << i;
  }

  DomainResultQuery one;
  one.campaign_id = "c-1";
  one.round = 1;
  one.probe_id = "p-b";
  EXPECT_EQ(Read(store(), one).size(), 3u);
  one.round = 2;
  EXPECT_TRUE(Read(store(), one).empty());
}

TEST_P(StoreConformanceTest, DomainResultsAreCountedPerProbe) {
  ASSERT_EQ(Store3(store(), "p-a", 1, Rows(1, "a-1", 0, 3)), 3u);
  ASSERT_EQ(Store3(store(), "p-a", 4, Rows(4, "a-2", 0, 2, 2)), 2u);
  ASSERT_EQ(Store3(store(), "p-b", 1, Rows(1, "a-3", 0, 4)), 4u);
  absl::StatusOr<std::vector<ReadinessStore::ResultCount>> got =
      store().CountDomainResults("c-1");
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 2u);
  EXPECT_EQ((*got)[0].probe_id, "p-a");
  EXPECT_EQ((*got)[0].round, 2u);
  EXPECT_EQ((*got)[0].in_round, 2u);
  EXPECT_EQ((*got)[0].all_rounds, 5u);
  EXPECT_EQ((*got)[1].probe_id, "p-b");
  EXPECT_EQ((*got)[1].round, 1u);
  EXPECT_EQ((*got)[1].in_round, 4u);
  EXPECT_EQ((*got)[1].all_rounds, 4u);
  EXPECT_TRUE(store().CountDomainResults("c-none")->empty());
}

AssignmentRecord Assignment(const std::string& id, const std::string& probe,
                            AssignmentState state, absl::Time offered_at,
                            uint64_t first_index = 0, uint32_t count = 10) {
  AssignmentRecord a;
  a.assignment_id = id;
  a.campaign_id = "c-1";
  a.probe_id = probe;
  a.round = 1;
  a.first_index = first_index;
  a.count = count;
  a.state = state;
  a.offered_at = offered_at;
  a.expires_at = offered_at + absl::Hours(48);
  return a;
}

std::vector<std::string> Ids(
    const absl::StatusOr<std::vector<AssignmentRecord>>& list) {
  EXPECT_TRUE(list.ok()) << list.status();
  std::vector<std::string> ids;
  if (list.ok()) {
    for (const AssignmentRecord& a : *list) ids.push_back(a.assignment_id);
  }
  return ids;
}

TEST_P(StoreConformanceTest, AssignmentsRoundTripAndReplace) {
  EXPECT_EQ(store().GetAssignment("a-0000000000000001").status().code(),
            absl::StatusCode::kNotFound);
  AssignmentRecord a = Assignment("a-0000000000000001", "p-1",
                                  AssignmentState::kOffered, kT0, 2000, 1000);
  ASSERT_TRUE(store().PutAssignment(a).ok());
  a.state = AssignmentState::kRefused;
  a.refusal = "domains[3]: \"a..b\" is not a host name";
  a.done = 7;
  a.offers = 2;
  ASSERT_TRUE(store().PutAssignment(a).ok());
  absl::StatusOr<AssignmentRecord> got =
      store().GetAssignment("a-0000000000000001");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->campaign_id, "c-1");
  EXPECT_EQ(got->probe_id, "p-1");
  EXPECT_EQ(got->round, 1u);
  EXPECT_EQ(got->first_index, 2000u);
  EXPECT_EQ(got->count, 1000u);
  EXPECT_EQ(got->state, AssignmentState::kRefused);
  EXPECT_EQ(got->done, 7u);
  EXPECT_EQ(got->refusal, a.refusal);
  EXPECT_EQ(got->offered_at, kT0);
  EXPECT_EQ(got->expires_at, kT0 + absl::Hours(48));
  EXPECT_EQ(got->offers, 2);
}

TEST_P(StoreConformanceTest, AssignmentListsAndNextListIndex) {
  // Old and open: listed; old and ended: not; recent: listed whatever state.
  ASSERT_TRUE(store()
                  .PutAssignment(Assignment("a-3", "p-1",
                                            AssignmentState::kHeld, kT0, 0, 10))
                  .ok());
  ASSERT_TRUE(store()
                  .PutAssignment(Assignment(
                      "a-1", "p-1", AssignmentState::kEnded, kT0, 10, 10))
                  .ok());
  ASSERT_TRUE(
      store()
          .PutAssignment(Assignment("a-2", "p-1", AssignmentState::kRefused,
                                    kT0 + absl::Hours(30), 20, 5))
          .ok());
  ASSERT_TRUE(
      store()
          .PutAssignment(Assignment("a-4", "p-1", AssignmentState::kOffered,
                                    kT0 + absl::Hours(30), 25, 5))
          .ok());
  ASSERT_TRUE(store()
                  .PutAssignment(Assignment(
                      "a-5", "p-0", AssignmentState::kOffered, kT0, 0, 3))
                  .ok());
  EXPECT_EQ(Ids(store().ListProbeAssignments("p-1", kT0 + absl::Hours(24))),
            (std::vector<std::string>{"a-3", "a-2", "a-4"}));
  EXPECT_EQ(Ids(store().ListProbeAssignments("p-1", kT0)),
            (std::vector<std::string>{"a-1", "a-3", "a-2", "a-4"}));
  EXPECT_EQ(Ids(store().ListCampaignAssignments("c-1")),
            (std::vector<std::string>{"a-5", "a-1", "a-3", "a-2", "a-4"}));
  EXPECT_TRUE(Ids(store().ListCampaignAssignments("c-2")).empty());
  EXPECT_EQ(*store().NextListIndex("c-1", "p-1", 1), 30u);
  EXPECT_EQ(*store().NextListIndex("c-1", "p-0", 1), 3u);
  EXPECT_EQ(*store().NextListIndex("c-1", "p-1", 2), 0u);
  EXPECT_EQ(*store().NextListIndex("c-2", "p-1", 1), 0u);
}

TEST_P(StoreConformanceTest, ProbeWorkStateRoundTrips) {
  EXPECT_EQ(store().GetProbeWorkState("p-1").status().code(),
            absl::StatusCode::kNotFound);
  ProbeWorkState state{"p-1", kT0, false, {"banking", "health"}};
  ASSERT_TRUE(store().PutProbeWorkState(state).ok());
  absl::StatusOr<ProbeWorkState> got = store().GetProbeWorkState("p-1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->last_poll, kT0);
  EXPECT_FALSE(got->opted_out);
  EXPECT_EQ(got->opted_out_sectors, state.opted_out_sectors);
  ASSERT_TRUE(store()
                  .PutProbeWorkState({"p-1", kT0 + absl::Minutes(5), true, {}})
                  .ok());
  got = store().GetProbeWorkState("p-1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->last_poll, kT0 + absl::Minutes(5));
  EXPECT_TRUE(got->opted_out);
  EXPECT_TRUE(got->opted_out_sectors.empty());
}

absl::Status Enrol(Store& store, const std::string& id) {
  absl::Status added =
      store.AddEnrolmentToken({"hash-" + id, "Org", kT0, kT0 + absl::Hours(1)});
  if (!added.ok()) return added;
  ProbeRecord probe;
  probe.probe_id = id;
  probe.credential_hash = "cred-" + id;
  probe.probe_version = "0.1.0";
  probe.enrolled_at = kT0;
  return store.ConsumeEnrolmentToken("hash-" + id, kT0, probe).status();
}

TEST_P(StoreConformanceTest, OneProbesVantage) {
  EXPECT_EQ(store().GetProbeVantage("p-x").status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(Enrol(store(), "p-a").ok());
  absl::StatusOr<campaign::ProbeVantage> got = store().GetProbeVantage("p-a");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->probe_id, "p-a");
  EXPECT_FALSE(got->has_runs);
  EXPECT_FALSE(got->revoked);
  RunBatch batch;
  batch.probe_id = "p-a";
  batch.first_seq = 1;
  batch.received_at = kT0;
  for (auto [asn, cc] :
       {std::pair<uint32_t, const char*>{64500, "DE"}, {33771, "KE"}}) {
    v6scope::v1::Run run;
    *run.mutable_started_at() =
        google::protobuf::util::TimeUtil::SecondsToTimestamp(1'700'000'000);
    run.mutable_verdict()->set_capability(v6scope::v1::V6_PREFERRED);
    run.mutable_verdict()->set_methodology_version("1");
    run.mutable_attribution()->set_asn(asn);
    run.mutable_attribution()->set_country(cc);
    batch.runs.push_back(*ingest::PrepareRun(run));
  }
  ASSERT_TRUE(store().StoreBatches({batch}).ok());
  ASSERT_TRUE(store().RevokeProbe("p-a").ok());
  got = store().GetProbeVantage("p-a");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->has_runs);
  EXPECT_TRUE(got->revoked);
  EXPECT_EQ(got->asn, 33771u);
  EXPECT_EQ(got->country, "KE");
}

// Schema step 8: a collector-vantage token enrols a probe marked so, and
// only such a token does (the mark is the token's, not the caller's).
TEST_P(StoreConformanceTest, CollectorVantageMarkIsTheTokens) {
  EnrolmentTokenRecord vantage_token{"hash-v", "Office", kT0,
                                     kT0 + absl::Hours(1)};
  vantage_token.collector_vantage = true;
  ASSERT_TRUE(store().AddEnrolmentToken(vantage_token).ok());
  ProbeRecord probe;
  probe.probe_id = "p-v";
  probe.credential_hash = "cred-v";
  probe.probe_version = "0.1.0";
  probe.enrolled_at = kT0;
  absl::StatusOr<ProbeRecord> enrolled =
      store().ConsumeEnrolmentToken("hash-v", kT0, probe);
  ASSERT_TRUE(enrolled.ok()) << enrolled.status();
  EXPECT_TRUE(enrolled->collector_vantage);
  ASSERT_TRUE(
      store()
          .AddEnrolmentToken({"hash-o", "Org", kT0, kT0 + absl::Hours(1)})
          .ok());
  probe.probe_id = "p-o";
  probe.collector_vantage = true;  // Not the caller's to say.
  enrolled = store().ConsumeEnrolmentToken("hash-o", kT0, probe);
  ASSERT_TRUE(enrolled.ok()) << enrolled.status();
  EXPECT_FALSE(enrolled->collector_vantage);

  absl::StatusOr<ProbeRecord> v = store().GetProbe("p-v");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_TRUE(v->collector_vantage);
  EXPECT_EQ(v->org, "Office");
  absl::StatusOr<ProbeRecord> o = store().GetProbe("p-o");
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_FALSE(o->collector_vantage);
  absl::StatusOr<campaign::ProbeVantage> one = store().GetProbeVantage("p-v");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_TRUE(one->collector_vantage);
  one = store().GetProbeVantage("p-o");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_FALSE(one->collector_vantage);
  absl::StatusOr<std::vector<campaign::ProbeVantage>> all =
      store().ListProbeVantages();
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].probe_id, "p-o");
  EXPECT_FALSE((*all)[0].collector_vantage);
  EXPECT_EQ((*all)[1].probe_id, "p-v");
  EXPECT_TRUE((*all)[1].collector_vantage);
}

}  // namespace
}  // namespace v6scope::collector::store
