#include "collector/enrich/attribution.h"

#include <algorithm>
#include <map>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "common/log/log.h"

namespace v6scope::collector::enrich {
namespace {

void LogLoaded(const DatasetVersion& version) {
  const bool clean = version.malformed == 0 && !version.truncated;
  log::Write(clean ? log::Level::kInfo : log::Level::kWarn,
             "enrich.dataset_loaded",
             {{"kind", version.kind},
              {"file", version.path},
              {"version", version.ToString()},
              {"records", version.records},
              {"malformed", version.malformed},
              {"truncated", version.truncated}});
}

// Why `file` did not load whole, as "path:line: why"; "" if it did. The
// line is where the valid data end.
std::string Damage(const DataFile& file, const MalformedLines& bad) {
  if (file.truncated) {
    const uint64_t line =
        std::count(file.contents.begin(), file.contents.end(), '\n') + 1;
    return absl::StrCat(file.path, ":", line,
                        ": gzip stream corrupt or cut short (", file.gzip_error,
                        ") after ", file.contents.size(), " bytes");
  }
  if (bad.unterminated_line() != 0) {
    return absl::StrCat(file.path, ":", bad.unterminated_line(),
                        ": last line has no newline (file cut mid-line?)");
  }
  return "";
}

// A file that did not load whole: without allow_partial the load fails
// naming it; with it the problem is recorded in `version` (and so in the
// version line stored with every run) and logged at error.
absl::Status Incomplete(const std::string& problem, bool allow_partial,
                        DatasetVersion* version) {
  if (!allow_partial) {
    return absl::FailedPreconditionError(absl::StrCat(
        problem, " (--allow_partial_data would load what is valid)"));
  }
  log::Error(
      "enrich.dataset_partial",
      {{"kind", version->kind}, {"file", version->path}, {"problem", problem}});
  if (version->problem.empty()) version->problem = problem;
  return absl::OkStatus();
}

// Reads `path` and runs `parse(contents, &bad, &refuse)`, which returns
// the number of records it accepted, or sets `refuse` to why nothing of
// the file may be used; fills `version` and logs the outcome. Fails if the
// file cannot be read, or (unless `allow_partial`) did not load whole, or
// yields no valid record.
template <typename Parse>
absl::Status LoadFile(const std::string& path, absl::string_view kind,
                      bool allow_partial, DatasetVersion* version,
                      Parse parse) {
  absl::StatusOr<DataFile> file = ReadDataFile(path);
  if (!file.ok()) return file.status();
  *version = VersionOf(*file, kind);
  MalformedLines bad(path);
  std::string refuse;
  version->records = parse(file->contents, &bad, &refuse);
  version->lines = static_cast<uint64_t>(
      std::count(file->contents.begin(), file->contents.end(), '\n'));
  version->malformed = bad.count();
  if (bad.unterminated_line() != 0) version->truncated = true;
  LogLoaded(*version);
  if (!refuse.empty()) {
    version->refused = true;
    return Incomplete(refuse, allow_partial, version);
  }
  const std::string damage = Damage(*file, bad);
  if (!damage.empty()) {
    absl::Status status = Incomplete(damage, allow_partial, version);
    if (!status.ok()) return status;
  }
  if (version->records == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("no valid record in ", kind, " file ", path, " (",
                     version->malformed, " malformed lines)"));
  }
  return absl::OkStatus();
}

absl::Status LoadPrefixes(const std::vector<std::string>& paths,
                          bool allow_partial, PrefixTable* table,
                          std::vector<DatasetVersion>* versions) {
  PrefixTable::Builder builder;
  versions->resize(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    absl::Status status = LoadFile(
        paths[i], "pfx2as", allow_partial, &(*versions)[i],
        [&](absl::string_view contents, MalformedLines* bad, std::string*) {
          return builder.AddContents(contents, bad);
        });
    if (!status.ok()) return status;
  }
  *table = std::move(builder).Build();
  return absl::OkStatus();
}

struct ParsedRir {
  RirFile file;
  size_t position = 0;  // In AttributionSources::rir_files.
};

// True if `a` should replace `b` as the file of their registry.
bool Newer(const ParsedRir& a, const ParsedRir& b) {
  if (a.file.date() != b.file.date()) return a.file.date() > b.file.date();
  if (a.file.extended != b.file.extended) return a.file.extended;
  return a.position > b.position;
}

// Loads one RIR file into `parsed` and `version`. A file whose records
// are not all of its version line's registry fails the load, or with
// allow_partial is refused as a whole (and marked).
absl::Status ParseOneRir(const std::string& path, bool allow_partial,
                         ParsedRir* parsed, DatasetVersion* version) {
  absl::Status status = LoadFile(
      path, "rir", allow_partial, version,
      [&](absl::string_view contents, MalformedLines* bad,
          std::string* refuse) {
        const RirFile& file = parsed->file = ParseRirFile(contents, bad);
        version->registry = std::string(RegistryName(file.registry()));
        version->data_date = FormatYyyymmdd(file.date());
        if (file.mismatch_line != 0) {
          *refuse =
              absl::StrCat(path, ":", file.mismatch_line, ": ", file.mismatch);
        }
        return static_cast<uint64_t>(file.records.size());
      });
  const RirFile& file = parsed->file;
  if (status.ok() && file.has_header &&
      file.header.records != file.records.size()) {
    log::Info("enrich.rir_count_mismatch",
              {{"file", path},
               {"stated", file.header.records},
               {"found", static_cast<uint64_t>(file.records.size())}});
  }
  return status;
}

// Parses every RIR file, keeps the newest per registry (marking the others
// superseded) and returns the kept ones: IANA first, then by date, so that
// of two records for the same block the more recent wins.
absl::StatusOr<std::vector<ParsedRir>> ParseRirFiles(
    const std::vector<std::string>& paths, bool allow_partial,
    std::vector<DatasetVersion>* versions) {
  std::vector<ParsedRir> parsed(paths.size());
  versions->resize(paths.size());
  std::map<Registry, size_t> newest;
  for (size_t i = 0; i < paths.size(); ++i) {
    parsed[i].position = i;
    absl::Status status =
        ParseOneRir(paths[i], allow_partial, &parsed[i], &(*versions)[i]);
    if (!status.ok()) return status;
    if ((*versions)[i].refused) continue;
    auto [it, inserted] = newest.emplace(parsed[i].file.registry(), i);
    if (!inserted && Newer(parsed[i], parsed[it->second])) it->second = i;
  }
  std::vector<ParsedRir> kept;
  for (size_t i = 0; i < parsed.size(); ++i) {
    if ((*versions)[i].refused) continue;
    if (newest[parsed[i].file.registry()] != i) {
      (*versions)[i].superseded = true;
      log::Info("enrich.rir_file_superseded",
                {{"file", paths[i]},
                 {"by", paths[newest[parsed[i].file.registry()]]}});
      continue;
    }
    kept.push_back(std::move(parsed[i]));
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const ParsedRir& a, const ParsedRir& b) {
                     const bool a_iana = a.file.registry() == Registry::kIana;
                     const bool b_iana = b.file.registry() == Registry::kIana;
                     if (a_iana != b_iana) return a_iana;
                     return a.file.date() < b.file.date();
                   });
  return kept;
}

std::string VersionLine(const std::vector<DatasetVersion>& datasets) {
  std::vector<std::string> parts;
  for (absl::string_view kind : {"pfx2as", "rir", "as_names"}) {
    std::vector<std::string> names;
    for (const DatasetVersion& d : datasets) {
      if (d.kind == kind && !d.superseded && !d.refused) {
        names.push_back(d.ToString());
      }
    }
    if (!names.empty()) {
      parts.push_back(absl::StrCat(kind, "=", absl::StrJoin(names, ",")));
    }
  }
  // Files loaded in part or refused (--allow_partial_data): every run
  // stored with this line says its attribution came from incomplete data.
  std::vector<std::string> partial;
  for (const DatasetVersion& d : datasets) {
    if (!d.problem.empty()) partial.push_back(d.name);
  }
  if (!partial.empty()) {
    parts.push_back(absl::StrCat("partial=", absl::StrJoin(partial, ",")));
  }
  return absl::StrJoin(parts, ";");
}

}  // namespace

absl::string_view CountrySourceName(CountrySource source) {
  switch (source) {
    case CountrySource::kNone:
      return "none";
    case CountrySource::kPrefixDelegation:
      return "prefix_delegation";
    case CountrySource::kOriginAsnDelegation:
      return "origin_asn_delegation";
    case CountrySource::kOriginAsName:
      return "origin_as_name";
  }
  return "none";
}

absl::StatusOr<std::shared_ptr<const AttributionIndex>> AttributionIndex::Load(
    const AttributionSources& sources) {
  const absl::Time started = absl::Now();
  PrefixTable prefixes;
  std::vector<DatasetVersion> prefix_versions;
  absl::Status prefix_status;
  std::thread prefix_loader([&] {
    prefix_status = LoadPrefixes(sources.pfx2as_files, sources.allow_partial,
                                 &prefixes, &prefix_versions);
  });

  std::vector<DatasetVersion> rir_versions;
  absl::StatusOr<std::vector<ParsedRir>> rir =
      ParseRirFiles(sources.rir_files, sources.allow_partial, &rir_versions);
  RirTables::Builder rir_builder;
  std::vector<const RirFile*> rir_files;
  if (rir.ok()) {
    for (const ParsedRir& parsed : *rir) {
      rir_builder.AddFile(parsed.file);
      rir_files.push_back(&parsed.file);
    }
  }
  RirTables delegations = std::move(rir_builder).Build();
  AsNames as_names;
  DatasetVersion as_names_version;
  absl::Status as_names_status;
  if (rir.ok() && !sources.as_names_file.empty()) {
    as_names_status = LoadFile(
        sources.as_names_file, "as_names", sources.allow_partial,
        &as_names_version,
        [&](absl::string_view contents, MalformedLines* bad, std::string*) {
          as_names = AsNames::Parse(contents, bad);
          return static_cast<uint64_t>(as_names.size());
        });
  }
  prefix_loader.join();
  if (!prefix_status.ok()) return prefix_status;
  if (!rir.ok()) return rir.status();
  if (!as_names_status.ok()) return as_names_status;

  std::vector<DatasetVersion> datasets = std::move(prefix_versions);
  datasets.insert(datasets.end(), rir_versions.begin(), rir_versions.end());
  if (!sources.as_names_file.empty()) datasets.push_back(as_names_version);
  std::shared_ptr<const AttributionIndex> index =
      FromTables(std::move(prefixes), std::move(delegations),
                 std::move(as_names), rir_files, std::move(datasets));
  log::Info("enrich.index_loaded",
            {{"version", index->version()},
             {"v4_prefixes", static_cast<uint64_t>(index->prefixes_.v4_size())},
             {"v6_prefixes", static_cast<uint64_t>(index->prefixes_.v6_size())},
             {"seconds", absl::ToDoubleSeconds(absl::Now() - started)}});
  return index;
}

std::shared_ptr<const AttributionIndex> AttributionIndex::FromTables(
    PrefixTable prefixes, RirTables delegations, AsNames as_names,
    const std::vector<const RirFile*>& rir_files,
    std::vector<DatasetVersion> datasets) {
  std::shared_ptr<AttributionIndex> index(new AttributionIndex());
  index->prefixes_ = std::move(prefixes);
  index->delegations_ = std::move(delegations);
  index->as_names_ = std::move(as_names);
  index->allocations_ = ComputeAllocationContext(rir_files);
  index->allocation_history_ = ComputeCurrentAllocationHistory(rir_files);
  for (const RirFile* file : rir_files) {
    index->registries_.emplace_back(RegistryName(file->registry()));
  }
  std::sort(index->registries_.begin(), index->registries_.end());
  index->registries_.erase(
      std::unique(index->registries_.begin(), index->registries_.end()),
      index->registries_.end());
  index->datasets_ = std::move(datasets);
  index->version_ = VersionLine(index->datasets_);
  return index;
}

void AttributionIndex::AddCountry(const std::optional<Delegation>& delegation,
                                  Attribution* a) const {
  if (delegation.has_value()) {
    a->rir = std::string(RegistryName(delegation->holder));
    a->delegation = delegation->prefix;
    a->delegation_date = delegation->date;
    if (!delegation->country.empty()) {
      a->country = delegation->country;
      a->country_source = CountrySource::kPrefixDelegation;
    }
  }
  if (a->origin_asn == 0) return;
  std::optional<AsNames::Entry> name = as_names_.Lookup(a->origin_asn);
  if (name.has_value()) a->as_name = std::string(name->name);
  if (!a->country.empty()) return;
  std::optional<Delegation> asn = delegations_.LookupAsn(a->origin_asn);
  if (asn.has_value() && !asn->country.empty()) {
    a->country = asn->country;
    a->country_source = CountrySource::kOriginAsnDelegation;
  } else if (name.has_value() && name->cc.size() == 2 && name->cc != "ZZ") {
    a->country = std::string(name->cc);
    a->country_source = CountrySource::kOriginAsName;
  }
}

namespace {

void CopyOrigin(std::optional<PrefixOrigin> match, Attribution* a) {
  if (!match.has_value()) return;
  a->prefix = match->prefix;
  a->origin_asn = match->origin_asn;
  a->origins = std::move(match->origins);
  a->moas = match->moas;
  a->as_set = match->as_set;
  a->origin_field = std::move(match->origin_field);
}

}  // namespace

Attribution AttributionIndex::Attribute(const net::IpAddress& address) const {
  Attribution a;
  CopyOrigin(prefixes_.Lookup(address), &a);
  AddCountry(delegations_.Lookup(address), &a);
  return a;
}

Attribution AttributionIndex::Attribute(const net::IpPrefix& prefix) const {
  Attribution a;
  CopyOrigin(prefixes_.LookupCovering(prefix), &a);
  AddCountry(delegations_.LookupCovering(prefix), &a);
  return a;
}

std::string AttributionIndex::AsnCountry(uint32_t asn) const {
  std::optional<Delegation> delegation = delegations_.LookupAsn(asn);
  if (delegation.has_value() && !delegation->country.empty()) {
    return delegation->country;
  }
  std::optional<AsNames::Entry> name = as_names_.Lookup(asn);
  if (name.has_value() && name->cc.size() == 2 && name->cc != "ZZ") {
    return std::string(name->cc);
  }
  return "";
}

std::string AttributionIndex::AsName(uint32_t asn) const {
  std::optional<AsNames::Entry> name = as_names_.Lookup(asn);
  return name.has_value() ? std::string(name->name) : "";
}

bool AttributionIndex::HasRegistry(absl::string_view registry) const {
  return std::binary_search(registries_.begin(), registries_.end(), registry);
}

std::vector<std::string> AttributionIndex::PartialFiles() const {
  std::vector<std::string> names;
  for (const DatasetVersion& d : datasets_) {
    if (!d.problem.empty()) names.push_back(d.name);
  }
  return names;
}

std::optional<AllocationContext> AttributionIndex::Allocation(
    absl::string_view cc) const {
  const auto it =
      std::lower_bound(allocations_.begin(), allocations_.end(), cc,
                       [](const AllocationContext& c, absl::string_view key) {
                         return c.cc < key;
                       });
  if (it == allocations_.end() || it->cc != cc) return std::nullopt;
  return *it;
}

AttributionHolder::AttributionHolder(
    std::shared_ptr<const AttributionIndex> initial)
    : current_(std::move(initial)) {}

std::shared_ptr<const AttributionIndex> AttributionHolder::Current() const {
  absl::MutexLock lock(&mu_);
  return current_;
}

absl::Status AttributionHolder::Reload(const AttributionSources& sources) {
  absl::StatusOr<std::shared_ptr<const AttributionIndex>> loaded =
      AttributionIndex::Load(sources);
  if (!loaded.ok()) {
    log::Error("enrich.reload_failed", {{"status", loaded.status()}});
    return loaded.status();
  }
  std::shared_ptr<const AttributionIndex> previous;
  {
    absl::MutexLock lock(&mu_);
    previous = std::move(current_);
    current_ = *std::move(loaded);
  }
  // `previous` is released here, outside the lock; readers that still hold
  // it finish their lookups on it.
  return absl::OkStatus();
}

}  // namespace v6scope::collector::enrich
