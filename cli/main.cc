// v6scope: the command line for researchers and administrators.
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "api/export_format.h"
#include "api/request_params.h"
#include "cli/aggregate_commands.h"
#include "cli/campaign_commands.h"
#include "cli/campaign_results.h"
#include "cli/commands.h"
#include "cli/connection_hint.h"
#include "cli/flag_alias.h"
#include "cli/key_commands.h"
#include "cli/read_key.h"
#include "cli/report_command.h"
#include "cli/services_commands.h"
#include "common/cli/flags.h"
#include "common/crypto/secret_file.h"
#include "common/log/grpc_log.h"
#include "common/log/log.h"
#include "common/rpc/channel.h"

ABSL_FLAG(std::string, collector, "localhost:7443", "collector gRPC address");
ABSL_FLAG(std::string, ca_file, "",
          "CA certificate (PEM) for a TLS collector; without it plaintext, "
          "allowed only to loopback");
ABSL_FLAG(std::string, client_cert, "",
          "client certificate (PEM) for a collector that requires mutual TLS");
ABSL_FLAG(std::string, client_key, "", "private key (PEM) of --client_cert");
ABSL_FLAG(bool, insecure_remote, false,
          "allow plaintext to a non-loopback collector (testing only)");
ABSL_FLAG(std::string, format, "table",
          "output: table, csv or json (export: csv or jsonl)");
// Aggregates and exports: the HTTP API's parameters (see docs/cli.md).
ABSL_FLAG(std::string, country, "", "ISO 3166-1 alpha-2 code, e.g. KE");
ABSL_FLAG(std::string, asn, "", "AS number, e.g. 13335");
ABSL_FLAG(std::string, region, "",
          "group slug: africa, americas, arab-states, asia-pacific, cis, "
          "europe, afrinic, apnic, arin, lacnic, ripencc, ldc, lldc, sids");
ABSL_FLAG(std::string, window, "", "day, week or month (default day)");
ABSL_FLAG(std::string, methodology, "",
          "aggregates: only probes whose latest verdict in the window has "
          "this methodology version (1, 2); default every version");
ABSL_FLAG(std::string, at, "",
          "a time inside the (last) window: YYYY-MM-DD or RFC 3339 "
          "(default now)");
ABSL_FLAG(std::string, windows, "", "time series: this many windows");
ABSL_FLAG(std::string, group_by, "",
          "aggregates and export aggregates: country (default), asn, rir, "
          "itu_region, dev_group or global; regions: itu_region (default), "
          "rir, dev_group or global");
ABSL_FLAG(std::string, by, "", "deprecated alias of --group_by");
ABSL_FLAG(std::string, since, "", "export results: started at or after");
ABSL_FLAG(std::string, until, "", "export results: started before");
ABSL_FLAG(std::string, probe_id, "",
          "runs and export results: only this probe");
ABSL_FLAG(std::string, probe, "", "deprecated alias of --probe_id");
ABSL_FLAG(int, limit, 50, "runs: newest N runs (1..100000)");
ABSL_FLAG(std::string, silent_for, "",
          "probes: only those with no run for this long (2h, 90m, 1d, "
          "3600s) or never, revoked ones excepted");
ABSL_FLAG(std::string, org, "", "admin token create: organisation");
ABSL_FLAG(bool, collector_vantage, false,
          "admin token create: the token enrols the collector's own vantage "
          "probe (campaigns with --include_collector select it)");
ABSL_FLAG(std::string, expires, "",
          "admin token/key create: lifetime, e.g. 72h or 30m (default: "
          "168h for a token, 8760h for a key)");
ABSL_FLAG(std::string, admin_secret_file, "/var/lib/v6scope/admin.secret",
          "admin commands: file holding the collector's admin secret "
          "('-': standard input)");
ABSL_FLAG(std::string, key_file, "",
          "queries: file holding your read key ('-': standard input); "
          "default: $V6SCOPE_KEY if set. Needed off the collector's host "
          "unless it serves public queries");
ABSL_FLAG(std::string, name, "",
          "admin key create: who holds the key; campaign create: its name");
ABSL_FLAG(std::string, list, "",
          "campaign create: the domain list file ('-': standard input)");
ABSL_FLAG(std::string, list_format, "auto",
          "campaign create: auto, text, csv, dotgov, tranco or toml");
ABSL_FLAG(std::string, sectors, "", "campaign create: sector tags, a,b");
ABSL_FLAG(std::string, default_sector, "",
          "campaign create: sector of names the list gives none");
ABSL_FLAG(std::string, name_column, "", "campaign create: CSV name column");
ABSL_FLAG(std::string, sector_column, "", "campaign create: CSV sector column");
ABSL_FLAG(bool, skip_invalid_names, false,
          "campaign create: leave invalid names out (warnings)");
ABSL_FLAG(std::string, countries, "", "campaign create: probes in KE,UG");
ABSL_FLAG(std::string, asns, "", "campaign create: probes in AS33771,...");
ABSL_FLAG(std::string, regions, "",
          "campaign create: probes in regions (africa, ripencc, ldc, global)");
ABSL_FLAG(std::string, probe_ids, "", "campaign create: these probes too");
ABSL_FLAG(bool, include_collector, false,
          "campaign create: the collector measures too");
ABSL_FLAG(int, every_days, 0, "campaign create: repeat every N days (0: once)");
ABSL_FLAG(std::string, start, "", "campaign create: first round, YYYY-MM-DD");
ABSL_FLAG(int, domains_per_day, 0, "campaign create: per probe (0: 5000)");
ABSL_FLAG(std::string, bytes_per_day, "",
          "campaign create: per probe, e.g. 500M (default 500M)");
ABSL_FLAG(int, concurrency, 0, "campaign create: per probe (0: 4)");
ABSL_FLAG(std::string, created_by, "", "campaign create: who (a label)");
ABSL_FLAG(bool, include_deleted, false, "campaign list: deleted ones too");
ABSL_FLAG(int, round, 0,
          "campaign results: only this round (0: every round); services: "
          "the round (0: the latest; changes: the round compared)");
ABSL_FLAG(std::string, campaign, "", "services: the campaign id");
ABSL_FLAG(std::string, sector, "", "services: one sector, e.g. government");
ABSL_FLAG(std::string, service, "", "services: web, dns or mail (default all)");
ABSL_FLAG(std::string, domain, "", "services domains: one domain");
ABSL_FLAG(int, from_round, 0,
          "services changes: the earlier round (0: the one before --round)");
ABSL_FLAG(std::string, period, "",
          "report: the month, YYYY-MM (default: this month)");
ABSL_FLAG(std::string, lang, "",
          "report: ar, en, es, fr, ru or zh (default en)");
ABSL_FLAG(bool, pdf, false,
          "report region: also print every page to DIR/<CC>.pdf and "
          "DIR/index.pdf (headless Chromium)");
ABSL_FLAG(std::string, out, "",
          "report: the file to write (default: standard output); a .pdf "
          "file is printed by headless Chromium");
ABSL_FLAG(int, min_networks, 0,
          "services: k, at least the collector's (0: the collector's)");

namespace v6scope::cli {
namespace {

constexpr char kUsage[] =
    "v6scope: query and administer a v6scope collector.\n"
    "usage:\n"
    "  v6scope runs [--probe_id=ID] [--limit=N]   stored runs, newest first\n"
    "  v6scope probes [--silent_for=2h]           enrolled probes (or only\n"
    "                                             those silent that long)\n"
    "  v6scope networks [--country=KE] [--region=R] [--window=week]\n"
    "                   [--at=DATE] [--windows=N]      IPv6 by origin AS\n"
    "  v6scope countries [--region=africa] [--window=month] ...\n"
    "  v6scope regions [--group_by=itu_region|rir|dev_group|global] ...\n"
    "  v6scope aggregates [--group_by=country|asn|rir|...] [--methodology=2]\n"
    "  v6scope allocations [--country=KE]           RIR IPv6 delegations\n"
    "  v6scope export results [--since=DATE] [--until=DATE] [--country=KE]\n"
    "                   [--asn=N] [--probe_id=ID] [--format=csv|jsonl]\n"
    "  v6scope export aggregates [--group_by=country|asn|...] [aggregate "
    "flags]\n"
    "                   [--format=csv|jsonl]\n"
    "  v6scope admin token create --org=ORG [--expires=168h] "
    "[--collector_vantage]\n"
    "  v6scope admin probe revoke PROBE_ID\n"
    "  v6scope admin key create --name=NAME --org=ORG [--expires=8760h]\n"
    "  v6scope admin key list\n"
    "  v6scope admin key revoke KEY_ID\n"
    "  v6scope campaign create --name=NAME --list=FILE [--list_format=F]\n"
    "                   [--countries=KE] [--asns=N] [--regions=R]\n"
    "                   [--probe_ids=ID] [--include_collector] "
    "[--every_days=N]\n"
    "                   [--domains_per_day=N] [--bytes_per_day=500M] ...\n"
    "  v6scope campaign list [--include_deleted]\n"
    "  v6scope campaign show|pause|resume|delete CAMPAIGN_ID\n"
    "  v6scope campaign progress CAMPAIGN_ID [--format=table|json]\n"
    "                   each probe's round, offered, stored, refusals\n"
    "  v6scope campaign results CAMPAIGN_ID [--round=N] [--probe_id=ID]\n"
    "                   [--format=jsonl|csv]   the stored readiness results\n"
    "  v6scope services campaigns                  the campaigns to ask about\n"
    "  v6scope services shares|series|domains|changes --campaign=ID\n"
    "                   [--round=N] [--country=XX] [--sector=S]\n"
    "                   [--service=web|dns|mail] [--domain=D] "
    "[--from_round=N]\n"
    "                   [--format=table|csv|json|jsonl]  public-service\n"
    "                   readiness: shares per state, series, per-domain\n"
    "                   views and disagreements, IPv6 gained and lost\n"
    "  v6scope report country XX [--period=YYYY-MM] [--lang=fr]\n"
    "                   [--out=FILE.html|FILE.pdf] [--format=json]\n"
    "                   the national IPv6 progress report\n"
    "  v6scope report region africa|ldc|...|global --out=DIR [--period=...]\n"
    "                   [--lang=fr] [--format=json] [--pdf]   every country's\n"
    "                   report and the region's summary (DIR/index.html;\n"
    "                   --pdf: each also as PDF)\n"
    "Queries send the read key of --key_file (or $V6SCOPE_KEY).\n"
    "Aggregates count each probe once per window and publish a group only\n"
    "with at least k probes (docs/aggregation.md); every aggregate command\n"
    "takes --methodology=1|2 to count only probes of that verdict version.\n"
    "Flags are the HTTP API's parameter names; --by and --probe are\n"
    "deprecated aliases of --group_by and --probe_id.\n"
    "Exit status: 0 done, 1 the work failed (collector unreachable, refused,\n"
    "output unwritable), 2 a bad command, flag or flag value.";

constexpr char kExportUsage[] =
    "usage: v6scope export results|aggregates [flags] (see --help)";

std::string GroupByFlag() {
  return FlagOrAlias("group_by", absl::GetFlag(FLAGS_group_by), "by",
                     absl::GetFlag(FLAGS_by), std::cerr);
}

std::string ProbeIdFlag() {
  return FlagOrAlias("probe_id", absl::GetFlag(FLAGS_probe_id), "probe",
                     absl::GetFlag(FLAGS_probe), std::cerr);
}

std::shared_ptr<grpc::Channel> Channel() {
  rpc::ChannelOptions o;
  o.ca_file = absl::GetFlag(FLAGS_ca_file);
  o.client_cert_file = absl::GetFlag(FLAGS_client_cert);
  o.client_key_file = absl::GetFlag(FLAGS_client_key);
  o.allow_insecure_remote = absl::GetFlag(FLAGS_insecure_remote);
  auto channel = rpc::MakeChannel(absl::GetFlag(FLAGS_collector), o);
  if (!channel.ok()) Die(channel.status().message(), 1);
  return *channel;
}

std::string AdminSecret() {
  absl::StatusOr<std::string> secret =
      crypto::ReadSecret(absl::GetFlag(FLAGS_admin_secret_file), std::cin);
  if (!secret.ok()) Die(secret.status().message(), 1);
  return *secret;
}

// The read key for query calls: --key_file, else $V6SCOPE_KEY, else none
// (enough on the collector's host: loopback needs no key).
void LoadReadKey() {
  const std::string path = absl::GetFlag(FLAGS_key_file);
  if (!path.empty()) {
    absl::StatusOr<std::string> key = crypto::ReadSecret(path, std::cin);
    if (!key.ok()) Die(absl::StrCat("--key_file: ", key.status().message()), 1);
    SetReadKey(*key);
    return;
  }
  const char* env = std::getenv("V6SCOPE_KEY");
  if (env != nullptr) {
    SetReadKey(std::string(absl::StripAsciiWhitespace(env)));
  }
}

absl::Duration LifetimeFlag(absl::string_view fallback) {
  std::string text = absl::GetFlag(FLAGS_expires);
  if (text.empty()) text = std::string(fallback);
  absl::Duration lifetime;
  if (!absl::ParseDuration(text, &lifetime)) {
    Die(absl::StrCat("--expires: not a duration: '", text, "'"));
  }
  if (lifetime <= absl::ZeroDuration()) {
    Die("--expires must be a positive duration");
  }
  return lifetime;
}

// admin key create|list|revoke.
absl::StatusOr<Table> KeyCommand(const std::vector<std::string>& args) {
  if (args.size() == 3 && args[2] == "create") {
    const absl::Duration lifetime = LifetimeFlag("8760h");
    return CreateReadKey(Channel(), AdminSecret(), absl::GetFlag(FLAGS_name),
                         absl::GetFlag(FLAGS_org), lifetime);
  }
  if (args.size() == 3 && args[2] == "list") {
    return ListReadKeys(Channel(), AdminSecret());
  }
  if (args.size() == 4 && args[2] == "revoke") {
    absl::Status s = RevokeReadKey(Channel(), AdminSecret(), args[3]);
    if (!s.ok()) return s;
    Table t({"revoked"});
    t.AddRow({args[3]});
    return t;
  }
  Die("usage: v6scope admin key create|list|revoke (see --help)");
}

// Flag errors first (exit 2), then the list file and the secret (1).
absl::StatusOr<Table> CreateCampaignCommand(const CampaignFlags& f) {
  if (f.list_file.empty()) Die("campaign create: --list=FILE is required");
  absl::StatusOr<v6scope::v1::CampaignSpec> spec = BuildCampaignSpec(f);
  if (!spec.ok()) Die(spec.status().message());
  if (f.list_file == "-") {
    return CreateCampaign(Channel(), AdminSecret(), *spec, std::cin, std::cerr);
  }
  std::ifstream in(f.list_file, std::ios::binary);
  if (!in) Die(absl::StrCat("--list: cannot open ", f.list_file), 1);
  return CreateCampaign(Channel(), AdminSecret(), *spec, in, std::cerr);
}

// Flag errors first (exit 2), then the secret and the call (1). Written
// as the pages arrive; the table stays empty.
absl::StatusOr<Table> CampaignResultsCommand(const std::string& campaign_id) {
  const std::string name = absl::GetFlag(FLAGS_format);
  api::ExportFormat format = api::ExportFormat::kJsonLines;
  if (name == "csv") {
    format = api::ExportFormat::kCsv;
  } else if (name != "table" && name != "json" && name != "jsonl") {
    Die(absl::StrCat("--format: campaign results takes jsonl or csv, not '",
                     name, "'"));
  }
  const int round = absl::GetFlag(FLAGS_round);
  if (round < 0) Die("--round must be 0 (every round) or a round number");
  v6scope::v1::ExportCampaignResultsRequest request;
  request.set_campaign_id(campaign_id);
  request.set_round(static_cast<uint32_t>(round));
  request.set_probe_id(ProbeIdFlag());
  absl::StatusOr<uint64_t> n = ExportCampaignResults(
      Channel(), AdminSecret(), request, format, std::cout);
  if (!n.ok()) return n.status();
  return Table({});
}

// campaign create|list|show|pause|resume|delete|progress|results.
absl::StatusOr<Table> CampaignCommand(const std::vector<std::string>& args) {
  if (args.size() == 2 && args[1] == "create") {
    CampaignFlags f;
    f.name = absl::GetFlag(FLAGS_name);
    f.list_file = absl::GetFlag(FLAGS_list);
    f.list_format = absl::GetFlag(FLAGS_list_format);
    f.sectors = absl::GetFlag(FLAGS_sectors);
    f.default_sector = absl::GetFlag(FLAGS_default_sector);
    f.name_column = absl::GetFlag(FLAGS_name_column);
    f.sector_column = absl::GetFlag(FLAGS_sector_column);
    f.skip_invalid_names = absl::GetFlag(FLAGS_skip_invalid_names);
    f.countries = absl::GetFlag(FLAGS_countries);
    f.asns = absl::GetFlag(FLAGS_asns);
    f.regions = absl::GetFlag(FLAGS_regions);
    f.probe_ids = absl::GetFlag(FLAGS_probe_ids);
    f.include_collector = absl::GetFlag(FLAGS_include_collector);
    f.every_days = absl::GetFlag(FLAGS_every_days);
    f.start = absl::GetFlag(FLAGS_start);
    f.domains_per_day = absl::GetFlag(FLAGS_domains_per_day);
    f.bytes_per_day = absl::GetFlag(FLAGS_bytes_per_day);
    f.concurrency = absl::GetFlag(FLAGS_concurrency);
    f.created_by = absl::GetFlag(FLAGS_created_by);
    return CreateCampaignCommand(f);
  }
  if (args.size() == 2 && args[1] == "list") {
    return ListCampaigns(Channel(), AdminSecret(),
                         absl::GetFlag(FLAGS_include_deleted));
  }
  if (args.size() == 3 && args[1] == "progress") {
    return CampaignProgress(Channel(), AdminSecret(), args[2]);
  }
  if (args.size() == 3 && args[1] == "results") {
    return CampaignResultsCommand(args[2]);
  }
  if (args.size() == 3 && (args[1] == "show" || args[1] == "pause" ||
                           args[1] == "resume" || args[1] == "delete")) {
    return CampaignVerb(Channel(), AdminSecret(), args[1], args[2]);
  }
  Die("usage: v6scope campaign "
      "create|list|show|pause|resume|delete|progress|results (see --help)");
}

// The flags that are set, as API parameters.
api::Params SetParams(
    std::initializer_list<std::pair<const char*, std::string>> flags) {
  api::Params params;
  for (const auto& [name, value] : flags) {
    if (!value.empty()) params[name] = value;
  }
  return params;
}

v6scope::v1::AggregatesRequest AggregatesRequestFromFlags(
    const std::string& group_by) {
  api::Params params =
      SetParams({{"group_by", group_by},
                 {"country", absl::GetFlag(FLAGS_country)},
                 {"asn", absl::GetFlag(FLAGS_asn)},
                 {"region", absl::GetFlag(FLAGS_region)},
                 {"methodology", absl::GetFlag(FLAGS_methodology)},
                 {"window", absl::GetFlag(FLAGS_window)},
                 {"at", absl::GetFlag(FLAGS_at)},
                 {"windows", absl::GetFlag(FLAGS_windows)}});
  absl::StatusOr<v6scope::v1::AggregatesRequest> request =
      api::ParseAggregatesRequest(params);
  if (!request.ok()) Die(absl::StrCat("--", request.status().message()));
  return *request;
}

api::ExportFormat ExportFormatFromFlag() {
  const std::string name = absl::GetFlag(FLAGS_format);
  if (name == "table") return api::ExportFormat::kCsv;
  std::optional<api::ExportFormat> format =
      api::ParseExportFormat(name == "json" ? "jsonl" : name);
  if (!format.has_value()) {
    Die(absl::StrCat("--format: export takes csv or jsonl, not '", name, "'"));
  }
  return *format;
}

// Aggregate commands print a table, or in csv/json the export records.
absl::StatusOr<Table> ShowAggregates(const std::string& group_by) {
  const v6scope::v1::AggregatesRequest request =
      AggregatesRequestFromFlags(group_by);
  absl::StatusOr<v6scope::v1::AggregatesResponse> response =
      FetchAggregates(Channel(), request);
  if (!response.ok()) return response.status();
  if (absl::GetFlag(FLAGS_format) == "table") {
    return AggregatesTable(*response, request.group_by());
  }
  WriteAggregates(request, *response, ExportFormatFromFlag(), std::cout);
  return Table({});  // Already written.
}

absl::StatusOr<Table> Export(const std::string& what) {
  if (what == "aggregates") {
    const std::string by = GroupByFlag();
    return ShowAggregates(by.empty() ? "country" : by);
  }
  api::Params params = SetParams({{"since", absl::GetFlag(FLAGS_since)},
                                  {"until", absl::GetFlag(FLAGS_until)},
                                  {"country", absl::GetFlag(FLAGS_country)},
                                  {"asn", absl::GetFlag(FLAGS_asn)},
                                  {"probe_id", ProbeIdFlag()}});
  absl::StatusOr<v6scope::v1::ExportRunsRequest> request =
      api::ParseExportRunsRequest(params);
  if (!request.ok()) Die(absl::StrCat("--", request.status().message()));
  absl::StatusOr<uint64_t> runs =
      ExportRuns(Channel(), *request, ExportFormatFromFlag(), std::cout);
  if (!runs.ok()) return runs.status();
  return Table({});
}

// A non-negative count flag; a bad one is a usage error.
uint32_t CountFlag(const char* name, int value) {
  if (value < 0) Die(absl::StrCat("--", name, " must be 0 or more"));
  return static_cast<uint32_t>(value);
}

// services shares|series|domains|changes.
absl::StatusOr<Table> Services(const std::vector<std::string>& args) {
  ServicesOptions o;
  o.campaign = absl::GetFlag(FLAGS_campaign);
  o.round = CountFlag("round", absl::GetFlag(FLAGS_round));
  o.from_round = CountFlag("from_round", absl::GetFlag(FLAGS_from_round));
  o.country = absl::GetFlag(FLAGS_country);
  o.sector = absl::GetFlag(FLAGS_sector);
  o.service = absl::GetFlag(FLAGS_service);
  o.domain = absl::GetFlag(FLAGS_domain);
  o.methodology = absl::GetFlag(FLAGS_methodology);
  o.min_networks = CountFlag("min_networks", absl::GetFlag(FLAGS_min_networks));
  const std::string what = args.size() == 2 ? args[1] : "";
  if (what == "campaigns") return ServiceCampaignsCommand(Channel());
  // Flags first: a bad flag is a usage error (2), whatever the collector.
  if (absl::StatusOr<api::Params> p = ServicesParams(what, o); !p.ok()) {
    Die(p.status().message());
  }
  std::string format = absl::AsciiStrToLower(absl::GetFlag(FLAGS_format));
  return ServicesCommand(Channel(), what, o, format, std::cout);
}

// report country XX | report region SLUG.
absl::StatusOr<Table> Report(const std::vector<std::string>& args) {
  if (args.size() != 3 || (args[1] != "country" && args[1] != "region")) {
    Die("usage: v6scope report country XX [--out=FILE] | report region SLUG "
        "--out=DIR [--period=YYYY-MM] [--lang=L]");
  }
  ReportOptions o;
  o.country = args[2];
  o.period = absl::GetFlag(FLAGS_period);
  o.lang = absl::GetFlag(FLAGS_lang);
  o.out = absl::GetFlag(FLAGS_out);
  const std::string format = absl::AsciiStrToLower(absl::GetFlag(FLAGS_format));
  if (format != "table" && format != "json") {
    Die("--format: report takes json (the figures) or none (the page)");
  }
  o.json = format == "json";
  o.pdf = absl::GetFlag(FLAGS_pdf);
  if (o.pdf && args[1] != "region") {
    Die("--pdf: for report region; report country prints a PDF with "
        "--out=FILE.pdf");
  }
  if (o.pdf && o.json) Die("--pdf: prints the pages, not --format=json");
  if (args[1] == "region") {
    if (o.out.empty() || o.out == "-") Die("--out=DIR is required");
    absl::StatusOr<int> files = RegionReportCommand(Channel(), o);
    if (!files.ok()) return files.status();
    Table t({"files", "folder"});
    t.AddRow({absl::StrCat(*files), o.out});
    return t;
  }
  // Flags first: a bad flag is a usage error (2), whatever the collector.
  if (auto r = ReportRequest(o); !r.ok()) Die(r.status().message());
  absl::Status s = ReportCommand(Channel(), o, std::cout);
  if (!s.ok()) return s;
  return Table({});
}

absl::StatusOr<Table> Dispatch(const std::vector<std::string>& args) {
  const std::string cmd = args.empty() ? "" : args[0];
  if (cmd == "networks" && args.size() == 1) return ShowAggregates("asn");
  if (cmd == "countries" && args.size() == 1) return ShowAggregates("country");
  if (cmd == "aggregates" && args.size() == 1) {
    const std::string by = GroupByFlag();
    return ShowAggregates(by.empty() ? "country" : by);
  }
  if (cmd == "regions" && args.size() == 1) {
    const std::string by = GroupByFlag();
    return ShowAggregates(by.empty() ? "itu_region" : by);
  }
  if (cmd == "allocations" && args.size() == 1) {
    return ListAllocations(Channel(), absl::GetFlag(FLAGS_country));
  }
  if (cmd == "export") {
    if (args.size() != 2 || (args[1] != "results" && args[1] != "runs" &&
                             args[1] != "aggregates")) {
      Die(kExportUsage);
    }
    return Export(args[1]);
  }
  if (cmd == "runs" && args.size() == 1) {
    const int limit = absl::GetFlag(FLAGS_limit);
    if (limit < 1 || limit > 100000) Die("--limit must be 1..100000");
    return ListRuns(Channel(), {ProbeIdFlag(), limit});
  }
  if (cmd == "probes" && args.size() == 1) {
    return ListProbes(Channel(), absl::GetFlag(FLAGS_silent_for));
  }
  if (cmd == "admin" && args.size() == 3 && args[1] == "token" &&
      args[2] == "create") {
    // Flags first: a bad --expires is a usage error (2) even when the
    // admin secret is unreadable (1).
    const absl::Duration lifetime = LifetimeFlag("168h");
    return CreateToken(Channel(), AdminSecret(), absl::GetFlag(FLAGS_org),
                       lifetime, absl::GetFlag(FLAGS_collector_vantage));
  }
  if (cmd == "campaign") return CampaignCommand(args);
  if (cmd == "services") return Services(args);
  if (cmd == "report") return Report(args);
  if (cmd == "admin" && args.size() >= 3 && args[1] == "key") {
    return KeyCommand(args);
  }
  if (cmd == "admin" && args.size() == 4 && args[1] == "probe" &&
      args[2] == "revoke") {
    absl::Status s = RevokeProbe(Channel(), AdminSecret(), args[3]);
    if (!s.ok()) return s;
    Table t({"revoked"});
    t.AddRow({args[3]});
    return t;
  }
  Die(args.empty() ? "no command given (see --help)"
                   : absl::StrCat("unknown command '", absl::StrJoin(args, " "),
                                  "' (see --help)"));
}

int Main(int argc, char** argv) {
  std::vector<std::string> args = ParseFlagsOrExit(argc, argv, kUsage);
  log::SetComponent("v6scope");
  log::RouteGrpcLogs();
  absl::StatusOr<OutputFormat> format =
      ParseOutputFormat(absl::GetFlag(FLAGS_format));
  if (!format.ok()) Die(format.status().message());
  LoadReadKey();
  absl::StatusOr<Table> table = Dispatch(args);
  if (!table.ok()) {
    Die(WithConnectionHint(table.status(),
                           !absl::GetFlag(FLAGS_ca_file).empty()),
        1);
  }
  if (table->columns() > 0) std::cout << table->Render(*format);
  std::cout.flush();
  if (!std::cout) Die("cannot write the output", 1);
  return 0;
}

}  // namespace
}  // namespace v6scope::cli

int main(int argc, char** argv) { return v6scope::cli::Main(argc, argv); }
