#include "api/readiness_export.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "api/api_json.h"
#include "proto/readiness.pb.h"

namespace v6scope::api {
namespace {

using v6scope::v1::ReadinessProvenance;

constexpr char kProvenanceColumns[] =
    "methodology_version,aggregation_version,dataset_version,min_networks";

std::string Row(const std::vector<std::string>& cells) {
  return absl::StrCat(absl::StrJoin(cells, ","), "\r\n");
}

void AddProvenance(const ReadinessProvenance& p,
                   std::vector<std::string>& cells) {
  cells.push_back(CsvField(p.methodology_version()));
  cells.push_back(CsvField(p.aggregation_version()));
  cells.push_back(CsvField(p.dataset_version()));
  cells.push_back(absl::StrCat(p.min_networks()));
}

std::string StateName(v6scope::v1::ServiceState state) {
  const std::string& name = v6scope::v1::ServiceState_Name(state);
  return name.empty() ? absl::StrCat(static_cast<int>(state)) : name;
}

// A number, or empty when the record is withheld.
std::string Num(bool withheld, double value) {
  return withheld ? "" : JsonDouble(value);
}

std::string Line(const google::protobuf::Message& m) {
  return absl::StrCat(ToJson(m), "\n");
}

std::string CellRow(const v6scope::v1::ServiceShareCell& c) {
  const bool w = c.withheld();
  std::vector<std::string> cells = {
      CsvField(c.campaign_id()), absl::StrCat(c.round()), CsvField(c.country()),
      CsvField(c.sector()),      CsvField(c.service()),   w ? "true" : "false",
      Num(w, c.networks()),      Num(w, c.domains()),     Num(w, c.n()),
      Num(w, c.split()),         Num(w, c.untested())};
  for (int s = v6scope::v1::NO_SERVICE; s <= v6scope::v1::BROKEN_V4; ++s) {
    const int i = s - v6scope::v1::NO_SERVICE;
    const bool has = !w && i < c.shares_size();
    const v6scope::v1::ServiceStateShare share =
        has ? c.shares(i) : v6scope::v1::ServiceStateShare();
    cells.push_back(Num(!has, share.domains()));
    cells.push_back(Num(!has, share.value()));
    cells.push_back(Num(!has, share.ci_low()));
    cells.push_back(Num(!has, share.ci_high()));
  }
  AddProvenance(c.provenance(), cells);
  cells.push_back(CsvField(c.withheld_reason()));
  return Row(cells);
}

// The rows of one country's view of `d`, one per service (withheld: one,
// service empty).
void AppendViewRows(const v6scope::v1::DomainReadiness& d,
                    const v6scope::v1::CountryReadinessView& v,
                    std::string* out) {
  const std::vector<std::string> keys = {
      CsvField(d.campaign_id()), absl::StrCat(d.round()), CsvField(d.sector()),
      CsvField(d.domain()), CsvField(v.country())};
  auto disagrees = [&d](const std::string& service) {
    for (const auto& dis : d.disagreements()) {
      if (dis.service() == service) return "true";
    }
    return "false";
  };
  if (v.withheld()) {
    std::vector<std::string> cells = keys;
    cells.insert(cells.end(), {"", "true", "", "", "", "", "", "", "", "", ""});
    AddProvenance(d.provenance(), cells);
    cells.push_back(CsvField(v.withheld_reason()));
    absl::StrAppend(out, Row(cells));
    return;
  }
  for (const v6scope::v1::ServiceConsensus& s : v.services()) {
    std::vector<std::string> cells = keys;
    cells.insert(cells.end(),
                 {CsvField(s.service()), "false", absl::StrCat(v.results()),
                  absl::StrCat(v.networks()), s.kind(),
                  s.kind() == "state" ? StateName(s.state()) : "",
                  absl::StrCat(s.votes()), absl::StrCat(s.voters()),
                  absl::StrCat(s.tested()), disagrees(s.service())});
    cells.push_back(absl::StrJoin(s.state_counts(), ";"));
    AddProvenance(d.provenance(), cells);
    cells.push_back("");
    absl::StrAppend(out, Row(cells));
  }
}

void AppendChangeRows(const v6scope::v1::ServiceChangeRecord& c,
                      std::string* out) {
  auto row = [&c](const std::string& change,
                  const v6scope::v1::ReadinessDomainChange* d) {
    std::vector<std::string> cells = {
        CsvField(c.campaign_id()),
        absl::StrCat(c.previous_round()),
        absl::StrCat(c.round()),
        CsvField(c.country()),
        CsvField(c.service()),
        absl::StrCat(c.compared()),
        absl::StrCat(c.not_compared()),
        change,
        d == nullptr ? "" : CsvField(d->sector()),
        d == nullptr ? "" : CsvField(d->domain()),
        d == nullptr ? "" : StateName(d->before()),
        d == nullptr ? "" : StateName(d->after())};
    AddProvenance(c.provenance(), cells);
    return Row(cells);
  };
  for (const auto& d : c.gained()) absl::StrAppend(out, row("gained", &d));
  for (const auto& d : c.lost()) absl::StrAppend(out, row("lost", &d));
  if (c.gained_size() == 0 && c.lost_size() == 0) {
    absl::StrAppend(out, row("", nullptr));
  }
}

}  // namespace

std::string ServiceSharesCsvHeader() {
  std::string header =
      "campaign_id,round,country,sector,service,withheld,networks,domains,n,"
      "split,untested";
  for (int s = v6scope::v1::NO_SERVICE; s <= v6scope::v1::BROKEN_V4; ++s) {
    const std::string name =
        absl::AsciiStrToLower(v6scope::v1::ServiceState_Name(
            static_cast<v6scope::v1::ServiceState>(s)));
    absl::StrAppend(&header, ",", name, "_domains,", name, "_share,", name,
                    "_ci_low,", name, "_ci_high");
  }
  return absl::StrCat(header, ",", kProvenanceColumns, ",withheld_reason\r\n");
}

std::string DomainReadinessCsvHeader() {
  return absl::StrCat(
      "campaign_id,round,sector,domain,country,service,withheld,results,"
      "networks,consensus,state,votes,voters,tested,disagreement,"
      "state_counts,",
      kProvenanceColumns, ",withheld_reason\r\n");
}

std::string ServiceChangesCsvHeader() {
  return absl::StrCat(
      "campaign_id,from_round,to_round,country,service,compared,not_compared,"
      "change,sector,domain,before,after,",
      kProvenanceColumns, "\r\n");
}

std::string ServiceSharesExport(const v6scope::v1::ServiceSharesResponse& r,
                                ExportFormat format) {
  std::string out =
      format == ExportFormat::kCsv ? ServiceSharesCsvHeader() : "";
  for (const auto& cell : r.cells()) {
    absl::StrAppend(&out,
                    format == ExportFormat::kCsv ? CellRow(cell) : Line(cell));
  }
  return out;
}

std::string ServiceSeriesExport(const v6scope::v1::ServiceSeriesResponse& r,
                                ExportFormat format) {
  std::string out =
      format == ExportFormat::kCsv ? ServiceSharesCsvHeader() : "";
  for (const auto& series : r.series()) {
    if (format == ExportFormat::kJsonLines) {
      absl::StrAppend(&out, Line(series));
      continue;
    }
    for (const auto& point : series.points()) {
      absl::StrAppend(&out, CellRow(point));
    }
  }
  return out;
}

std::string DomainReadinessExport(const v6scope::v1::DomainReadinessResponse& r,
                                  ExportFormat format) {
  std::string out =
      format == ExportFormat::kCsv ? DomainReadinessCsvHeader() : "";
  for (const auto& d : r.domains()) {
    if (format == ExportFormat::kJsonLines) {
      absl::StrAppend(&out, Line(d));
      continue;
    }
    for (const auto& view : d.countries()) AppendViewRows(d, view, &out);
  }
  return out;
}

std::string ServiceChangesExport(const v6scope::v1::ServiceChangesResponse& r,
                                 ExportFormat format) {
  std::string out =
      format == ExportFormat::kCsv ? ServiceChangesCsvHeader() : "";
  for (const auto& c : r.changes()) {
    if (format == ExportFormat::kJsonLines) {
      absl::StrAppend(&out, Line(c));
      continue;
    }
    AppendChangeRows(c, &out);
  }
  return out;
}

}  // namespace v6scope::api
