// The raw-SQLite baseline of the readiness ingest benchmark: the store's
// own INSERT (sqlite_readiness_sql.h), prepared once, on a database with
// the store's schema and its connection settings (WAL, synchronous=FULL),
// the same rows in the same transaction sizes, blobs (each check with its
// verdict, in the stored form of collector/store/check_blob.h) made before
// the clock starts. What SQLite alone costs; the ingest's ratio to it is
// the figure that does not depend on the machine.
#ifndef V6SCOPE_BENCH_READINESS_INGEST_RAW_BASELINE_H_
#define V6SCOPE_BENCH_READINESS_INGEST_RAW_BASELINE_H_

#include <string>

namespace v6scope::bench::readiness_ingest {

// Results per second inserting `results` rows of probes "p-0".."p-<probes-1>"
// (round robin by transaction) in transactions of `per_txn`, into `path`
// (a fresh database made by SqliteStore::Open). Exits on an error.
double RawInsertRate(const std::string& path, int probes, int results,
                     int per_txn);

}  // namespace v6scope::bench::readiness_ingest

#endif  // V6SCOPE_BENCH_READINESS_INGEST_RAW_BASELINE_H_
