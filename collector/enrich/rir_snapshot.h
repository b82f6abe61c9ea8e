// RIR snapshots: the delegated files of the five RIRs as published on one
// date, read from disk for the allocation history (allocation_history.h).
// A snapshot need not be complete — the shared data set has no date with
// all five — so every snapshot says which registries it lacks, and a file
// that is not whole fails the load naming the file and line.
//
// Layout read by LoadRirSnapshots:
//   <dir>/2019-09-12/delegated-afrinic-extended-latest
//   <dir>/2019-09-12/delegated-apnic-latest
//   <dir>/2026-05-06/delegated-afrinic-extended-latest
// (one folder per snapshot, named by its date; any file names).
#ifndef V6SCOPE_COLLECTOR_ENRICH_RIR_SNAPSHOT_H_
#define V6SCOPE_COLLECTOR_ENRICH_RIR_SNAPSHOT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "collector/enrich/data_file.h"
#include "collector/enrich/rir_stats.h"

namespace v6scope::collector::enrich {

// The five RIRs, in enum order: the registries a complete snapshot has.
const std::vector<Registry>& FiveRirs();

struct RirSnapshot {
  int32_t date = 0;  // YYYYMMDD: the snapshot's date (its folder's name).
  // One file per registry (IANA's included if given), sorted by registry.
  std::vector<RirFile> files;
  // Of the five RIRs, those without a file here, in enum order. A
  // non-empty list is a partial snapshot: say so wherever it is used.
  std::vector<Registry> missing;
  // Every file read, in the order given, superseded ones marked.
  std::vector<DatasetVersion> datasets;
  // "file:line: why" of the first malformed lines of each file (skipped,
  // as the attribution loader does), and "file: superseded by file" for a
  // second file of one registry. Empty when everything loaded cleanly.
  std::vector<std::string> problems;

  // The file of `registry`, or nullptr.
  const RirFile* FileOf(Registry registry) const;
};

struct SnapshotLoadOptions {
  // Keep what is valid of a file that is not whole (cut mid-line, a
  // corrupt gzip stream) instead of failing; the problem is listed in
  // RirSnapshot::problems either way.
  bool allow_partial = false;
};

// Reads the files of one snapshot. Of two files of one registry the newer
// (version-line date) is kept, on a tie the extended one (it carries
// opaque ids), then the later listed — the attribution loader's rule. Fails
// naming the file (and line) if a file cannot be read, holds no valid record,
// mixes registries, or (without allow_partial) is not whole.
absl::StatusOr<RirSnapshot> LoadRirSnapshot(
    int32_t date, const std::vector<std::string>& paths,
    const SnapshotLoadOptions& options = {});

// Every snapshot under `dir` (sub-folders named YYYY-MM-DD; others are
// ignored), oldest first. Fails if `dir` cannot be listed, holds no
// snapshot folder, or a snapshot fails to load.
absl::StatusOr<std::vector<RirSnapshot>> LoadRirSnapshots(
    const std::string& dir, const SnapshotLoadOptions& options = {});

}  // namespace v6scope::collector::enrich

#endif  // V6SCOPE_COLLECTOR_ENRICH_RIR_SNAPSHOT_H_
