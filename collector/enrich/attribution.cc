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

// Reads `path` and runs `parse(contents, &bad)`, which returns the number
// of records it accepted; fills `version` and logs the outcome. Fails if
// the file cannot be read or yields no valid record.
template <typename Parse>
absl::Status LoadFile(const std::string& path, absl::string_view kind,
                      DatasetVersion* version, Parse parse) {
  absl::StatusOr<DataFile> file = ReadDataFile(path);
  if (!file.ok()) return file.status();
  *version = VersionOf(*file, kind);
  MalformedLines bad(path);
  version->records = parse(file->contents, &bad);
  version->lines = static_cast<uint64_t>(
      std::count(file->contents.begin(), file->contents.end(), '\n'));
  version->malformed = bad.count();
  if (!file->contents.empty() && file->contents.back() != '\n') {
    version->truncated = true;  // ForEachLine refused the last line.
  }
  const bool clean = version->malformed == 0 && !version->truncated;
  log::Write(clean ? log::Level::kInfo : log::Level::kWarn,
             "enrich.dataset_loaded",
             {{"kind", kind},
              {"file", path},
              {"version", version->ToString()},
              {"records", version->records},
              {"malformed", version->malformed},
              {"truncated", version->truncated}});
  if (version->records == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("no valid record in ", kind, " file ", path, " (",
                     version->malformed, " malformed lines)"));
  }
  return absl::OkStatus();
}

absl::Status LoadPrefixes(const std::vector<std::string>& paths,
                          PrefixTable* table,
                          std::vector<DatasetVersion>* versions) {
  PrefixTable::Builder builder;
  versions->resize(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    absl::Status status =
        LoadFile(paths[i], "pfx2as", &(*versions)[i],
                 [&](absl::string_view contents, MalformedLines* bad) {
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

// Parses every RIR file, keeps the newest per registry (marking the others
// superseded) and returns the kept ones: IANA first, then by date, so that
// of two records for the same block the more recent wins.
absl::StatusOr<std::vector<ParsedRir>> ParseRirFiles(
    const std::vector<std::string>& paths,
    std::vector<DatasetVersion>* versions) {
  std::vector<ParsedRir> parsed(paths.size());
  versions->resize(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    parsed[i].position = i;
    absl::Status status = LoadFile(
        paths[i], "rir", &(*versions)[i],
        [&](absl::string_view contents, MalformedLines* bad) {
          const RirFile& file = parsed[i].file = ParseRirFile(contents, bad);
          (*versions)[i].registry = std::string(RegistryName(file.registry()));
          (*versions)[i].data_date = FormatYyyymmdd(file.date());
          return static_cast<uint64_t>(file.records.size());
        });
    if (!status.ok()) return status;
    const RirFile& file = parsed[i].file;
    if (file.has_header && file.header.records != file.records.size()) {
      log::Info("enrich.rir_count_mismatch",
                {{"file", paths[i]},
                 {"stated", file.header.records},
                 {"found", static_cast<uint64_t>(file.records.size())}});
    }
  }
  std::map<Registry, size_t> newest;
  for (size_t i = 0; i < parsed.size(); ++i) {
    auto [it, inserted] = newest.emplace(parsed[i].file.registry(), i);
    if (!inserted && Newer(parsed[i], parsed[it->second])) it->second = i;
  }
  std::vector<ParsedRir> kept;
  for (size_t i = 0; i < parsed.size(); ++i) {
    if (newest[parsed[i].file.registry()] != i) {
      (*versions)[i].superseded = true;
      log::Info("enrich.rir_file_superseded", {{"file", paths[i]}});
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
      if (d.kind == kind && !d.superseded) names.push_back(d.ToString());
    }
    if (!names.empty()) {
      parts.push_back(absl::StrCat(kind, "=", absl::StrJoin(names, ",")));
    }
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
    prefix_status =
        LoadPrefixes(sources.pfx2as_files, &prefixes, &prefix_versions);
  });

  std::vector<DatasetVersion> rir_versions;
  absl::StatusOr<std::vector<ParsedRir>> rir =
      ParseRirFiles(sources.rir_files, &rir_versions);
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
    as_names_status =
        LoadFile(sources.as_names_file, "as_names", &as_names_version,
                 [&](absl::string_view contents, MalformedLines* bad) {
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
