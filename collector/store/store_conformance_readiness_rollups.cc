// The conformance cases of the ReadinessRollupStore role: the rows ingest
// keeps (only for results stored new, whatever the batching, order and
// duplicates) equal RebuildReadinessRollups of rollup.h over the stored
// results, and equal the rows of the store's own rebuild; the query's
// filters. (Migration from schema 8 with results is per backend: its
// store test.)
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "collector/aggregate/readiness/result.h"
#include "collector/aggregate/readiness/rollup.h"
#include "collector/store/store.h"
#include "collector/store/store_conformance.h"
#include "gtest/gtest.h"
#include "proto/readiness.pb.h"

namespace v6scope::collector::store {
namespace {

namespace readiness = aggregate::readiness;
using readiness::DomainRollup;

const absl::Time kT0 = absl::FromUnixSeconds(1'700'000'000);

struct Probe {
  std::string id;
  uint32_t asn;
  std::string country;
};

// Probes of three countries (two networks in KE), one unattributed.
const Probe kProbes[] = {{"p-1", 33771, "KE"}, {"p-2", 36866, "KE"},
                         {"p-3", 33771, "KE"}, {"p-4", 37100, "SN"},
                         {"p-5", 0, ""},       {"p-6", 4134, "CN"}};
const char* const kSectors[] = {"government", "banking", "education"};

// Each probe's results: every (round, domain) of a campaign once, with
// random states and, now and then, another methodology version.
std::vector<DomainResultRow> ProbeRows(const Probe& probe, std::mt19937& rng) {
  std::vector<DomainResultRow> rows;
  std::uniform_int_distribution<int> state(0, readiness::kStateCount + 1);
  uint64_t seq = 0;
  for (const char* campaign : {"c-1", "c-2"}) {
    for (uint32_t round = 1; round <= 2; ++round) {
      for (uint32_t item = 0; item < 8; ++item) {
        DomainResultRow r;
        r.seq = ++seq;
        r.assignment_id = absl::StrCat("a-", campaign, "-", round);
        r.item = item;
        r.campaign_id = campaign;
        r.round = round;
        r.list_index = item;
        r.domain = absl::StrCat("site-", item, ".example");
        r.sector = kSectors[item % 3];
        r.probe_asn = probe.asn;
        r.probe_country = probe.country;
        r.received_at = kT0 + absl::Seconds(seq);
        r.check.set_domain(r.domain);
        v6scope::v1::ReadinessVerdict* v = r.check.mutable_verdict();
        // Beyond BROKEN_V4 now and then: a later proto's state.
        v->set_web(static_cast<v6scope::v1::ServiceState>(state(rng)));
        v->set_dns(static_cast<v6scope::v1::ServiceState>(state(rng)));
        v->set_mail(static_cast<v6scope::v1::ServiceState>(state(rng)));
        v->set_methodology_version(item == 7 ? "readiness 2" : "readiness 1");
        rows.push_back(std::move(r));
      }
    }
  }
  return rows;
}

struct Upload {
  std::string probe_id;
  std::vector<DomainResultRow> rows;
};

// Each probe's rows cut into batches of 1..7, every batch once, a third
// of them resent, and some items repeated under new sequence numbers
// (a probe that lost its spool); all in random order.
std::vector<Upload> Uploads(std::mt19937& rng,
                            std::vector<readiness::ReadinessResult>* stored) {
  std::vector<Upload> uploads;
  std::uniform_int_distribution<int> size(1, 7);
  for (const Probe& probe : kProbes) {
    std::vector<DomainResultRow> rows = ProbeRows(probe, rng);
    for (const DomainResultRow& r : rows) {
      stored->push_back(readiness::FromCheck(r.campaign_id, r.round, probe.id,
                                             r.probe_asn, r.probe_country,
                                             r.sector, r.check));
    }
    for (size_t i = 0; i < rows.size();) {
      const size_t n = std::min<size_t>(size(rng), rows.size() - i);
      Upload u{probe.id, {rows.begin() + i, rows.begin() + i + n}};
      if (rng() % 3 == 0) uploads.push_back(u);
      if (rng() % 4 == 0) {  // The same items again, as new sequence numbers.
        Upload again = u;
        for (DomainResultRow& r : again.rows) r.seq += 1000;
        uploads.push_back(again);
      }
      uploads.push_back(std::move(u));
      i += n;
    }
  }
  std::shuffle(uploads.begin(), uploads.end(), rng);
  return uploads;
}

// Stores `uploads` in calls of 1..4 batches (group commits).
void StoreAll(Store& store, const std::vector<Upload>& uploads,
              std::mt19937& rng) {
  std::uniform_int_distribution<int> per_call(1, 4);
  for (size_t i = 0; i < uploads.size();) {
    const size_t n = std::min<size_t>(per_call(rng), uploads.size() - i);
    std::vector<DomainBatchRows> batches;
    for (size_t k = i; k < i + n; ++k) {
      batches.push_back(
          {uploads[k].probe_id, uploads[k].rows.front().seq, uploads[k].rows});
    }
    absl::StatusOr<std::vector<StoredDomainBatch>> got =
        store.StoreDomainBatches(batches);
    ASSERT_TRUE(got.ok()) << got.status();
    i += n;
  }
}

ReadinessRollupQuery Q(const std::string& campaign, uint32_t round = 0,
                       const std::string& country = "",
                       const std::string& sector = "",
                       const std::string& domain = "") {
  ReadinessRollupQuery q;
  q.campaign_id = campaign;
  q.round = round;
  q.country = country;
  q.sector = sector;
  q.domain = domain;
  return q;
}

std::vector<DomainRollup> List(Store& store, ReadinessRollupQuery query) {
  absl::StatusOr<std::vector<DomainRollup>> got =
      store.ListReadinessRollups(query);
  EXPECT_TRUE(got.ok()) << got.status();
  return got.ok() ? *got : std::vector<DomainRollup>{};
}

std::vector<DomainRollup> Both(Store& store) {
  std::vector<DomainRollup> rows = List(store, Q("c-1"));
  std::vector<DomainRollup> more = List(store, Q("c-2"));
  rows.insert(rows.end(), more.begin(), more.end());
  return rows;
}

std::vector<DomainRollup> Matching(
    const std::vector<DomainRollup>& rows,
    bool (*keep)(const readiness::DomainRollupKey&)) {
  std::vector<DomainRollup> out;
  for (const DomainRollup& r : rows) {
    if (keep(r.key)) out.push_back(r);
  }
  return out;
}

// The random uploads stored; the table expected from their distinct
// results (`results`: how many).
std::vector<DomainRollup> StoreRandom(Store& store, uint32_t seed,
                                      std::vector<Upload>* uploads,
                                      size_t* results) {
  std::mt19937 rng(seed);
  std::vector<readiness::ReadinessResult> distinct;
  *uploads = Uploads(rng, &distinct);
  StoreAll(store, *uploads, rng);
  *results = distinct.size();
  return readiness::RebuildReadinessRollups(distinct);
}

TEST_P(StoreConformanceTest, ReadinessRollupsKeptAtIngestEqualTheRebuild) {
  std::vector<Upload> uploads;
  size_t results = 0;
  const std::vector<DomainRollup> expected =
      StoreRandom(store(), 17, &uploads, &results);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(Both(store()), expected);
  absl::StatusOr<ReadinessRebuildReport> rebuilt =
      store().RebuildReadinessRollups();
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(rebuilt->results_scanned, results);
  EXPECT_EQ(rebuilt->rows_written, expected.size());
  EXPECT_EQ(Both(store()), expected);
  // Everything again, in another order: all duplicates, nothing counted.
  std::mt19937 rng(18);
  std::shuffle(uploads.begin(), uploads.end(), rng);
  StoreAll(store(), uploads, rng);
  EXPECT_EQ(Both(store()), expected);
}

TEST_P(StoreConformanceTest, ReadinessRollupsOfAnEmptyStore) {
  EXPECT_TRUE(List(store(), Q("c-1")).empty());
  absl::StatusOr<ReadinessRebuildReport> rebuilt =
      store().RebuildReadinessRollups();
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  EXPECT_EQ(rebuilt->results_scanned, 0u);
  EXPECT_EQ(rebuilt->rows_written, 0u);
}

TEST_P(StoreConformanceTest, ReadinessRollupQueriesFilter) {
  std::vector<Upload> uploads;
  size_t results = 0;
  const std::vector<DomainRollup> all =
      StoreRandom(store(), 5, &uploads, &results);
  EXPECT_EQ(store().ListReadinessRollups(Q("")).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(List(store(), Q("c-9")).empty());
  EXPECT_EQ(List(store(), Q("c-1")),
            Matching(all, [](const readiness::DomainRollupKey& k) {
              return k.campaign_id == "c-1";
            }));
  EXPECT_EQ(List(store(), Q("c-2", 2)),
            Matching(all, [](const readiness::DomainRollupKey& k) {
              return k.campaign_id == "c-2" && k.round == 2;
            }));
  EXPECT_EQ(List(store(), Q("c-1", 0, "KE")),
            Matching(all, [](const readiness::DomainRollupKey& k) {
              return k.campaign_id == "c-1" && k.country == "KE";
            }));
  EXPECT_EQ(List(store(), Q("c-1", 0, "", "banking")),
            Matching(all, [](const readiness::DomainRollupKey& k) {
              return k.campaign_id == "c-1" && k.sector == "banking";
            }));
  EXPECT_EQ(List(store(), Q("c-2", 0, "", "", "site-7.example")),
            Matching(all, [](const readiness::DomainRollupKey& k) {
              return k.campaign_id == "c-2" && k.domain == "site-7.example";
            }));
  const std::vector<DomainRollup> one =
      List(store(), Q("c-1", 1, "SN", "education", "site-2.example"));
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].results, 1u);
  EXPECT_EQ(one[0].asns, std::vector<uint32_t>{37100});
  EXPECT_TRUE(List(store(), Q("c-1", 3)).empty());
}

}  // namespace
}  // namespace v6scope::collector::store
