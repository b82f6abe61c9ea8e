#include "cli/report_command.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/api_json.h"
#include "cli/read_key.h"
#include "common/fs/files.h"
#include "common/i18n/locale.h"
#include "common/rpc/status.h"
#include "proto/query_service.grpc.pb.h"

extern char** environ;

namespace v6scope::cli {
namespace {

bool IsPdf(const std::string& path) {
  return absl::EndsWithIgnoreCase(path, ".pdf");
}

// A page or figures file: whole or not at all (fs::WriteFileAtomically).
absl::Status WriteFile(const std::string& path, const std::string& text) {
  return fs::WriteFileAtomically(path, text, 0644);
}

// --lang, checked before asking the collector (a usage error, exit 2).
absl::Status CheckLang(const std::string& lang) {
  if (lang.empty() || i18n::ParseLang(lang).has_value()) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--lang: expected one of ar, en, es, fr, ru, zh, got '", lang, "'"));
}

std::string ChromiumPath() {
  const char* env = std::getenv("V6SCOPE_CHROMIUM");
  return env != nullptr && *env != '\0' ? env : "chromium";
}

}  // namespace

absl::StatusOr<v6scope::v1::CountryReportRequest> ReportRequest(
    const ReportOptions& options) {
  if (options.country.size() != 2 || !absl::ascii_isalpha(options.country[0]) ||
      !absl::ascii_isalpha(options.country[1])) {
    return absl::InvalidArgumentError(absl::StrCat(
        "report country: expected a two-letter country code, got '",
        options.country, "'"));
  }
  if (absl::Status s = CheckLang(options.lang); !s.ok()) return s;
  if (options.json && IsPdf(options.out)) {
    return absl::InvalidArgumentError(
        "--out: a .pdf file takes the page, not --format=json");
  }
  v6scope::v1::CountryReportRequest request;
  request.set_country(absl::AsciiStrToUpper(options.country));
  request.set_period(options.period);
  request.set_lang(options.lang);
  request.set_html(!options.json);
  return request;
}

absl::Status PrintToPdf(const std::string& html, const std::string& pdf_path) {
  char dir_template[] = "/tmp/v6scope-report.XXXXXX";
  if (::mkdtemp(dir_template) == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot make a temporary folder: ", std::strerror(errno)));
  }
  const std::string dir = dir_template;
  const std::string page = dir + "/report.html";
  absl::Status status = WriteFile(page, html);
  const std::string absolute =
      std::filesystem::absolute(std::filesystem::path(pdf_path)).string();
  if (status.ok()) {
    const std::string chromium = ChromiumPath();
    // Its own profile folder: no interference with a running browser.
    std::vector<std::string> argv = {
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-pdf-header-footer",
        absl::StrCat("--user-data-dir=", dir, "/profile"),
        absl::StrCat("--print-to-pdf=", absolute),
        absl::StrCat("file://", page)};
    std::vector<char*> args;
    for (std::string& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    // Chromium's chatter stays out of the CLI's output.
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                                     O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO,
                                     (dir + "/chromium.log").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = 0;
    const int spawned = ::posix_spawnp(&pid, chromium.c_str(), &actions,
                                       nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    int wait_status = 0;
    if (spawned != 0) {
      status = absl::FailedPreconditionError(absl::StrCat(
          "cannot run ", chromium, " for the PDF: ", std::strerror(spawned),
          " (install chromium or set V6SCOPE_CHROMIUM)"));
    } else if (::waitpid(pid, &wait_status, 0) < 0 || !WIFEXITED(wait_status) ||
               WEXITSTATUS(wait_status) != 0) {
      status = absl::InternalError(absl::StrCat(
          chromium, " failed to print the PDF (status ", wait_status, ")"));
    } else {
      std::ifstream pdf(absolute, std::ios::binary);
      char magic[5] = {};
      pdf.read(magic, 4);
      if (std::string(magic) != "%PDF") {
        status = absl::InternalError(
            absl::StrCat(chromium, " wrote no PDF to ", pdf_path));
      }
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return status;
}

namespace {

// The report of `options` as the collector answers it: the page, or the
// figures as JSON.
absl::StatusOr<std::string> FetchReport(std::shared_ptr<grpc::Channel> channel,
                                        const ReportOptions& options) {
  absl::StatusOr<v6scope::v1::CountryReportRequest> request =
      ReportRequest(options);
  if (!request.ok()) return request.status();
  auto stub = v6scope::v1::QueryService::NewStub(channel);
  grpc::ClientContext context;
  AddReadKey(context);
  v6scope::v1::CountryReportResponse response;
  grpc::Status status = stub->GetCountryReport(&context, *request, &response);
  if (!status.ok()) return rpc::FromGrpc(status);
  return options.json ? api::ToJson(response.report()) + "\n" : response.html();
}

}  // namespace

absl::Status ReportCommand(std::shared_ptr<grpc::Channel> channel,
                           const ReportOptions& options, std::ostream& stdout) {
  absl::StatusOr<std::string> fetched = FetchReport(channel, options);
  if (!fetched.ok()) return fetched.status();
  const std::string& text = *fetched;
  if (options.out.empty() || options.out == "-") {
    stdout << text;
    return absl::OkStatus();
  }
  if (IsPdf(options.out)) return PrintToPdf(text, options.out);
  return WriteFile(options.out, text);
}

absl::StatusOr<int> RegionReportCommand(std::shared_ptr<grpc::Channel> channel,
                                        const ReportOptions& options) {
  if (options.out.empty() || options.out == "-") {
    return absl::InvalidArgumentError(
        "--out: report region writes a folder of pages: name it");
  }
  if (absl::Status s = CheckLang(options.lang); !s.ok()) return s;
  if (options.pdf && options.json) {
    return absl::InvalidArgumentError(
        "--pdf: prints the pages, not --format=json");
  }
  if (absl::Status s = fs::MakeDirs(options.out, 0755); !s.ok()) return s;
  const std::string ext = options.json ? ".json" : ".html";
  auto stub = v6scope::v1::QueryService::NewStub(channel);
  v6scope::v1::RegionReportRequest request;
  request.set_region(options.country);
  request.set_period(options.period);
  request.set_lang(options.lang);
  request.set_html(!options.json);
  request.set_country_link(absl::StrCat("{cc}", ext));
  v6scope::v1::RegionReportResponse region;
  {
    grpc::ClientContext context;
    AddReadKey(context);
    grpc::Status status = stub->GetRegionReport(&context, request, &region);
    if (!status.ok()) return rpc::FromGrpc(status);
  }
  // Every country of the month asked for, the region's first: a report
  // of the month the region's summary is of, even across midnight.
  int written = 0;
  for (const auto& row : region.report().countries()) {
    ReportOptions country = options;
    country.country = row.country();
    country.period = region.report().period();
    country.out = absl::StrCat(options.out, "/", row.country(), ext);
    absl::StatusOr<std::string> page = FetchReport(channel, country);
    absl::Status s = page.status();
    if (s.ok()) s = WriteFile(country.out, *page);
    if (s.ok() && options.pdf) {
      // The same page printed beside it: the same figures.
      s = PrintToPdf(*page,
                     absl::StrCat(options.out, "/", row.country(), ".pdf"));
      if (s.ok()) ++written;
    }
    if (!s.ok()) {
      return absl::Status(s.code(),
                          absl::StrCat(row.country(), ": ", s.message()));
    }
    ++written;
  }
  const std::string index = absl::StrCat(options.out, "/index", ext);
  absl::Status s =
      WriteFile(index, options.json ? api::ToJson(region.report()) + "\n"
                                    : region.html());
  if (!s.ok()) return s;
  if (options.pdf) {
    s = PrintToPdf(region.html(), absl::StrCat(options.out, "/index.pdf"));
    if (!s.ok())
      return absl::Status(s.code(), absl::StrCat("index: ", s.message()));
    ++written;
  }
  return written + 1;
}

}  // namespace v6scope::cli
