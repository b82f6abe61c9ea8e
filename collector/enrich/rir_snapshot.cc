#include "collector/enrich/rir_snapshot.h"

#include <dirent.h>

#include <algorithm>
#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace v6scope::collector::enrich {
namespace {

struct Parsed {
  RirFile file;
  size_t position = 0;
};

// True if `a` should replace `b` as the file of their registry (the
// attribution loader's rule).
bool Newer(const Parsed& a, const Parsed& b) {
  if (a.file.date() != b.file.date()) return a.file.date() > b.file.date();
  if (a.file.extended != b.file.extended) return a.file.extended;
  return a.position > b.position;
}

// Why `file` is not whole ("" if it is): the problems that make a record
// disappear or change silently, unlike a malformed line in the middle.
std::string Damage(const DataFile& file, const MalformedLines& bad) {
  if (file.truncated) {
    return absl::StrCat(file.path, ": gzip stream cut short or corrupt (",
                        file.gzip_error, ")");
  }
  if (bad.unterminated_line() != 0) {
    return absl::StrCat(file.path, ":", bad.unterminated_line(),
                        ": last line has no newline (file cut short)");
  }
  return "";
}

// Reads and parses one file into `parsed`, its version and problems.
absl::Status ParseOne(const std::string& path,
                      const SnapshotLoadOptions& options, Parsed* parsed,
                      DatasetVersion* version,
                      std::vector<std::string>* problems) {
  absl::StatusOr<DataFile> data = ReadDataFile(path);
  if (!data.ok()) return data.status();
  *version = VersionOf(*data, "rir");
  MalformedLines bad(path);
  parsed->file = ParseRirFile(data->contents, &bad);
  const RirFile& file = parsed->file;
  version->registry = std::string(RegistryName(file.registry()));
  version->data_date = FormatYyyymmdd(file.date());
  version->records = file.records.size();
  version->malformed = bad.count();
  version->truncated = data->truncated || bad.unterminated_line() != 0;
  problems->insert(problems->end(), bad.examples().begin(),
                   bad.examples().end());
  if (file.mismatch_line != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ":", file.mismatch_line, ": ", file.mismatch));
  }
  const std::string damage = Damage(*data, bad);
  if (!damage.empty()) {
    version->problem = damage;
    if (!options.allow_partial) return absl::DataLossError(damage);
    problems->push_back(damage);
  }
  if (file.records.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("no valid record in RIR file ", path, " (", bad.count(),
                     " malformed lines)"));
  }
  return absl::OkStatus();
}

// Snapshot folder name "2019-09-12" → 20190912; false for anything else.
bool SnapshotDate(const std::string& name, int32_t* date) {
  if (name.size() != 10 || name[4] != '-' || name[7] != '-') return false;
  return ParseYyyymmdd(absl::StrReplaceAll(name, {{"-", ""}}), date) &&
         *date != 0;
}

absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) {
    return absl::NotFoundError(absl::StrCat("cannot list ", dir));
  }
  std::vector<std::string> names;
  while (const dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') names.push_back(e->d_name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

const std::vector<Registry>& FiveRirs() {
  static const std::vector<Registry>* const kRirs = new std::vector<Registry>{
      Registry::kAfrinic, Registry::kApnic, Registry::kArin, Registry::kLacnic,
      Registry::kRipeNcc};
  return *kRirs;
}

const RirFile* RirSnapshot::FileOf(Registry registry) const {
  for (const RirFile& file : files) {
    if (file.registry() == registry) return &file;
  }
  return nullptr;
}

absl::StatusOr<RirSnapshot> LoadRirSnapshot(
    int32_t date, const std::vector<std::string>& paths,
    const SnapshotLoadOptions& options) {
  RirSnapshot snapshot;
  snapshot.date = date;
  snapshot.datasets.resize(paths.size());
  std::vector<Parsed> parsed(paths.size());
  std::map<Registry, size_t> newest;
  for (size_t i = 0; i < paths.size(); ++i) {
    parsed[i].position = i;
    absl::Status status = ParseOne(paths[i], options, &parsed[i],
                                   &snapshot.datasets[i], &snapshot.problems);
    if (!status.ok()) return status;
    auto [it, inserted] = newest.emplace(parsed[i].file.registry(), i);
    if (!inserted && Newer(parsed[i], parsed[it->second])) it->second = i;
  }
  for (size_t i = 0; i < paths.size(); ++i) {
    const size_t kept = newest[parsed[i].file.registry()];
    if (kept != i) {
      snapshot.datasets[i].superseded = true;
      snapshot.problems.push_back(
          absl::StrCat(paths[i], ": superseded by ", paths[kept]));
    }
  }
  for (const auto& [registry, index] : newest) {
    snapshot.files.push_back(std::move(parsed[index].file));
  }
  for (Registry rir : FiveRirs()) {
    if (newest.count(rir) == 0) snapshot.missing.push_back(rir);
  }
  return snapshot;
}

absl::StatusOr<std::vector<RirSnapshot>> LoadRirSnapshots(
    const std::string& dir, const SnapshotLoadOptions& options) {
  absl::StatusOr<std::vector<std::string>> names = ListDir(dir);
  if (!names.ok()) return names.status();
  std::vector<RirSnapshot> snapshots;
  for (const std::string& name : *names) {
    int32_t date = 0;
    if (!SnapshotDate(name, &date)) continue;
    const std::string folder = absl::StrCat(dir, "/", name);
    absl::StatusOr<std::vector<std::string>> files = ListDir(folder);
    if (!files.ok()) return files.status();
    std::vector<std::string> paths;
    for (const std::string& file : *files) {
      paths.push_back(absl::StrCat(folder, "/", file));
    }
    absl::StatusOr<RirSnapshot> snapshot =
        LoadRirSnapshot(date, paths, options);
    if (!snapshot.ok()) return snapshot.status();
    snapshots.push_back(*std::move(snapshot));
  }
  if (snapshots.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no snapshot folder (YYYY-MM-DD) in ", dir));
  }
  return snapshots;
}

}  // namespace v6scope::collector::enrich
