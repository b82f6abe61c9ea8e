// Raw SQLite on the benchmark's database, for the plain path and for
// counting what is stored: a failed statement ends the benchmark (Fail).
#ifndef V6SCOPE_BENCH_AGGREGATES_RAW_DB_H_
#define V6SCOPE_BENCH_AGGREGATES_RAW_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace v6scope::bench::aggregates {

class RawDb {
 public:
  RawDb(const std::string& path, bool writable);
  ~RawDb();
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  void Exec(const std::string& sql);

  // Runs `sql` with two int64 parameters (may be unused), calling `row`
  // for each result row.
  void Query(const std::string& sql, std::optional<int64_t> p1,
             std::optional<int64_t> p2,
             const std::function<void(sqlite3_stmt*)>& row);

  int64_t Scalar(const std::string& sql);

 private:
  sqlite3* db_ = nullptr;
};

// Bytes of the database's pages in use (a reused database keeps the pages
// of dropped indexes on its free list).
uint64_t UsedBytes(RawDb& db);

}  // namespace v6scope::bench::aggregates

#endif  // V6SCOPE_BENCH_AGGREGATES_RAW_DB_H_
