// `v6scope report country XX [--period=YYYY-MM] [--lang=fr] [--out=FILE]
// [--format=json]` and `v6scope report region SLUG --out=DIR`: a country's
// national IPv6 progress report, or all of a region's
// (docs/reports.md) from the collector's QueryService.GetCountryReport.
// The page is written to --out (standard output by default); an --out
// ending in .pdf is printed to PDF by headless Chromium
// ($V6SCOPE_CHROMIUM, else chromium on the PATH); --format=json writes the
// report's figures as the HTTP API prints them.
#ifndef V6SCOPE_CLI_REPORT_COMMAND_H_
#define V6SCOPE_CLI_REPORT_COMMAND_H_

#include <memory>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/channel.h"
#include "proto/query_service.pb.h"

namespace v6scope::cli {

struct ReportOptions {
  std::string country;
  std::string period;  // YYYY-MM; empty: this month.
  std::string lang;    // BCP 47; empty: English.
  std::string out;     // File; empty or "-": `stdout`.
  bool json = false;
  // report region: each page also printed to DIR/<CC>.pdf and
  // DIR/index.pdf by headless Chromium (not with json).
  bool pdf = false;
};

// The request for `options`; INVALID_ARGUMENT naming the flag (--lang of
// an unsupported language, a country that is not two letters, --out=x.pdf
// with --format=json).
absl::StatusOr<v6scope::v1::CountryReportRequest> ReportRequest(
    const ReportOptions& options);

// Fetches the report and writes it. Errors name what failed (the RPC, the
// file, Chromium).
absl::Status ReportCommand(std::shared_ptr<grpc::Channel> channel,
                           const ReportOptions& options, std::ostream& stdout);

// `v6scope report region SLUG --out=DIR`: the region's summary page as
// DIR/index.html, linking each member country's report, DIR/<CC>.html
// (with --format=json: index.json and <CC>.json). `options.country` is
// the region's slug. Returns the number of files written.
absl::StatusOr<int> RegionReportCommand(std::shared_ptr<grpc::Channel> channel,
                                        const ReportOptions& options);

// Prints `html` to the PDF file `pdf_path` with headless Chromium.
absl::Status PrintToPdf(const std::string& html, const std::string& pdf_path);

}  // namespace v6scope::cli

#endif  // V6SCOPE_CLI_REPORT_COMMAND_H_
