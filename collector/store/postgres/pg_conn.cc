#include "collector/store/postgres/pg_conn.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace v6scope::collector::store::postgres {
namespace {

// Statements per pipeline sync: keeps the replies the server queues for us
// (a few dozen bytes each) far below a socket buffer, so neither side can
// block on a full buffer while the other is blocked writing.
constexpr size_t kPipelineChunk = 256;

// Absent from the string: libpq's default, which may come from the
// environment (PGHOST, ...). Present: used as given.
constexpr const char* kConnectDefaults[][2] = {
    // libpq waits forever for an unreachable host by default.
    {"connect_timeout", "10"},
    {"fallback_application_name", "v6scope-collector"},
};

using PgResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

absl::StatusCode CodeForSqlState(absl::string_view state) {
  const absl::string_view cls = state.substr(0, 2);
  if (cls == "08" || cls == "40" || cls == "57" || state == "53300" ||
      state == "55P03" || state == "25006") {
    // Connection lost, serialization failure or deadlock, server shutting
    // down, too many connections, lock not available, read-only (a hot
    // standby during a failover): worth retrying, perhaps elsewhere.
    return absl::StatusCode::kUnavailable;
  }
  if (cls == "23") return absl::StatusCode::kAlreadyExists;
  if (cls == "22") return absl::StatusCode::kInvalidArgument;
  if (cls == "53") return absl::StatusCode::kResourceExhausted;
  if (state == "XX001" || state == "XX002") {
    return absl::StatusCode::kDataLoss;
  }
  if (cls == "28" || state == "42501") {
    return absl::StatusCode::kPermissionDenied;
  }
  return absl::StatusCode::kInternal;
}

// Whether `conninfo` may contain a password (a password keyword, or a URI
// with user:password@).
bool MayHoldPassword(absl::string_view conninfo) {
  if (absl::StrContains(absl::AsciiStrToLower(conninfo), "password")) {
    return true;
  }
  absl::string_view rest = conninfo;
  if (!absl::ConsumePrefix(&rest, "postgresql://") &&
      !absl::ConsumePrefix(&rest, "postgres://")) {
    return false;
  }
  const absl::string_view authority = rest.substr(0, rest.find('/'));
  const size_t at = authority.rfind('@');
  return at != absl::string_view::npos &&
         authority.substr(0, at).find(':') != absl::string_view::npos;
}

// libpq's parse errors quote pieces of the string ("..."), which may be
// pieces of a password: blank every quoted piece but a lone punctuation
// character (as in: missing "=" after "...").
std::string RedactQuoted(absl::string_view message) {
  std::string out;
  size_t pos = 0;
  while (true) {
    const size_t open = message.find('"', pos);
    const size_t close = open == absl::string_view::npos
                             ? absl::string_view::npos
                             : message.find('"', open + 1);
    if (close == absl::string_view::npos) {
      absl::StrAppend(&out, message.substr(pos));
      return out;
    }
    const absl::string_view piece = message.substr(open + 1, close - open - 1);
    absl::StrAppend(&out, message.substr(pos, open + 1 - pos),
                    piece.size() == 1 && absl::ascii_ispunct(piece[0])
                        ? piece
                        : absl::string_view("..."),
                    "\"");
    pos = close + 1;
  }
}

struct ParsedConnInfo {
  std::string description;
  std::string password;
};

absl::StatusOr<ParsedConnInfo> ParseConnInfo(const std::string& conninfo) {
  if (!absl::StrContains(conninfo, '=') &&
      !absl::StartsWith(conninfo, "postgresql://") &&
      !absl::StartsWith(conninfo, "postgres://") && !conninfo.empty()) {
    // A bare word is a database name (as in psql and libpq).
    return ParsedConnInfo{absl::StrCat("PostgreSQL dbname=", conninfo), ""};
  }
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
  if (options == nullptr) {
    std::string reason = error != nullptr ? error : "out of memory";
    PQfreemem(error);
    absl::StripTrailingAsciiWhitespace(&reason);
    if (MayHoldPassword(conninfo)) reason = RedactQuoted(reason);
    return absl::InvalidArgumentError(
        absl::StrCat("invalid PostgreSQL connection string: ", reason));
  }
  ParsedConnInfo parsed;
  std::vector<std::string> parts;
  for (const char* keyword : {"dbname", "host", "hostaddr", "port", "user"}) {
    for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
      if (std::strcmp(o->keyword, keyword) == 0 && o->val != nullptr &&
          o->val[0] != '\0') {
        parts.push_back(absl::StrCat(keyword, "=", o->val));
      }
    }
  }
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::strcmp(o->keyword, "password") == 0 && o->val != nullptr) {
      parsed.password = o->val;
    }
  }
  PQconninfoFree(options);
  parsed.description =
      absl::StrCat("PostgreSQL ", parts.empty() ? "(libpq defaults)"
                                                : absl::StrJoin(parts, " "));
  return parsed;
}

// libpq's messages end in a newline and may span lines.
std::string OneLine(absl::string_view message) {
  std::string line = absl::StrReplaceAll(
      absl::StripTrailingAsciiWhitespace(message), {{"\n", " "}, {"\t", ""}});
  return line;
}

}  // namespace

absl::StatusOr<std::string> DescribePgConnInfo(const std::string& conninfo) {
  absl::StatusOr<ParsedConnInfo> parsed = ParseConnInfo(conninfo);
  if (!parsed.ok()) return parsed.status();
  return parsed->description;
}

// --- PgParams ---------------------------------------------------------------

PgParams& PgParams::Int(int64_t value) {
  values_.push_back(absl::StrCat(value));
  null_.push_back(false);
  lengths_.push_back(0);
  formats_.push_back(0);  // Text: the server parses it as the column type.
  return *this;
}

PgParams& PgParams::Text(absl::string_view value) { return Bytes(value); }

PgParams& PgParams::Bytes(absl::string_view value) {
  values_.emplace_back(value);
  null_.push_back(false);
  lengths_.push_back(static_cast<int>(value.size()));
  formats_.push_back(1);  // Binary: text and bytea are sent as raw bytes.
  return *this;
}

PgParams& PgParams::Literal(absl::string_view value) {
  values_.emplace_back(value);
  null_.push_back(false);
  lengths_.push_back(0);
  formats_.push_back(0);  // Text: parsed by the type's input function.
  return *this;
}

PgParams& PgParams::Null() {
  values_.emplace_back();
  null_.push_back(true);
  lengths_.push_back(0);
  formats_.push_back(0);
  return *this;
}

std::vector<const char*> PgParams::Values() const {
  std::vector<const char*> values;
  values.reserve(values_.size());
  for (size_t i = 0; i < values_.size(); ++i) {
    values.push_back(null_[i] ? nullptr : values_[i].c_str());
  }
  return values;
}

// --- PgResult ---------------------------------------------------------------

PgResult::PgResult(PGresult* result) : result_(result) {}

PgResult::PgResult(PgResult&& other) noexcept : result_(other.result_) {
  other.result_ = nullptr;
}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

PgResult::~PgResult() { PQclear(result_); }

std::string PgResult::CommandStatus() const { return PQcmdStatus(result_); }

int PgResult::Rows() const { return PQntuples(result_); }

int64_t PgResult::Affected() const {
  int64_t rows = 0;
  return absl::SimpleAtoi(PQcmdTuples(result_), &rows) ? rows : 0;
}

bool PgResult::IsNull(int row, int column) const {
  return PQgetisnull(result_, row, column) != 0;
}

int64_t PgResult::Int(int row, int column) const {
  if (IsNull(row, column)) return 0;
  const auto* bytes =
      reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, column));
  const int length = PQgetlength(result_, row, column);
  // Network byte order, two's complement; sign-extend from the top byte.
  uint64_t value = length > 0 && (bytes[0] & 0x80) != 0 ? ~uint64_t{0} : 0;
  for (int i = 0; i < length; ++i) value = (value << 8) | bytes[i];
  return static_cast<int64_t>(value);
}

bool PgResult::Bool(int row, int column) const { return Int(row, column) != 0; }

std::string PgResult::Bytes(int row, int column) const {
  if (IsNull(row, column)) return "";
  return std::string(PQgetvalue(result_, row, column),
                     PQgetlength(result_, row, column));
}

// --- PgConn -----------------------------------------------------------------

absl::StatusOr<std::unique_ptr<PgConn>> PgConn::Connect(
    const std::string& conninfo) {
  absl::StatusOr<ParsedConnInfo> parsed = ParseConnInfo(conninfo);
  if (!parsed.ok()) return parsed.status();
  // Entries before "dbname" are defaults the string may override; those
  // after it are forced (results are decoded as UTF-8 text).
  std::vector<const char*> keywords;
  std::vector<const char*> values;
  for (const auto& [keyword, value] : kConnectDefaults) {
    keywords.push_back(keyword);
    values.push_back(value);
  }
  keywords.push_back("dbname");
  values.push_back(conninfo.c_str());
  keywords.push_back("client_encoding");
  values.push_back("UTF8");
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* conn =
      PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1);
  std::unique_ptr<PgConn> pg(
      new PgConn(conn, parsed->description, parsed->password));
  if (conn == nullptr) {
    return absl::ResourceExhaustedError(
        absl::StrCat(pg->target_, ": out of memory"));
  }
  if (PQstatus(conn) != CONNECTION_OK) return pg->Error(nullptr, pg->target_);
  // Server notices (e.g. "relation already exists, skipping") are not for
  // the collector's users; libpq would print them to stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  // The collector acknowledges a batch once it is committed, so a commit
  // must be durable: override a server or database default of "off" (a
  // stronger setting such as remote_apply is kept).
  absl::Status durable = pg->Exec(
      "SELECT set_config('synchronous_commit', 'on', false) "
      "WHERE current_setting('synchronous_commit') = 'off'");
  if (!durable.ok()) {
    return absl::Status(durable.code(),
                        absl::StrCat(pg->target_, ": ", durable.message()));
  }
  return pg;
}

PgConn::~PgConn() { PQfinish(conn_); }

bool PgConn::Broken() const { return PQstatus(conn_) != CONNECTION_OK; }

bool PgConn::CheckAlive() {
  // libpq keeps its socket non-blocking: this reads only what is there. A
  // server ending the session sends an error first (libpq passes it to the
  // notice processor on an idle connection), then closes: the first read
  // takes the message, the second sees the end of the stream.
  for (int i = 0; i < 2; ++i) {
    if (PQconsumeInput(conn_) != 1) return false;
  }
  return !Broken();
}

absl::Status PgConn::Error(const PGresult* result,
                           absl::string_view what) const {
  const char* state = result != nullptr
                          ? PQresultErrorField(result, PG_DIAG_SQLSTATE)
                          : nullptr;
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)
                        : nullptr;
  std::string reason =
      primary != nullptr ? primary
      : result != nullptr && PQresultErrorMessage(result)[0] != '\0'
          ? PQresultErrorMessage(result)
          : PQerrorMessage(conn_);
  reason = OneLine(reason);
  if (reason.empty()) reason = "unknown libpq error";
  if (password_.size() >= 3) {
    absl::StrReplaceAll({{password_, "***"}}, &reason);
  }
  absl::StatusCode code = absl::StatusCode::kUnavailable;  // No SQLSTATE:
  if (state != nullptr) {  // the connection itself failed.
    code = CodeForSqlState(state);
    absl::StrAppend(&reason, " (SQLSTATE ", state, ")");
  } else if (!Broken()) {
    code = absl::StatusCode::kInternal;  // A libpq usage error.
  }
  return absl::Status(code, absl::StrCat(what, ": ", reason));
}

absl::Status PgConn::Exec(const std::string& sql) {
  PgResultPtr result(PQexec(conn_, sql.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(result.get());
  if (result != nullptr &&
      (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) {
    return absl::OkStatus();
  }
  return Error(result.get(), sql);
}

absl::StatusOr<PgResult> PgConn::ExecParams(const std::string& sql,
                                            const PgParams& params) {
  const std::vector<const char*> values = params.Values();
  PGresult* raw =
      PQexecParams(conn_, sql.c_str(), params.size(), nullptr, values.data(),
                   params.Lengths(), params.Formats(), /*resultFormat=*/1);
  PgResult result(raw);
  const ExecStatusType status = PQresultStatus(raw);
  if (raw != nullptr &&
      (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) {
    return result;
  }
  return Error(raw, sql);
}

absl::StatusOr<std::string> PgConn::Prepared(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  std::string name = absl::StrCat("v6scope_", statements_.size() + 1);
  PgResultPtr result(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr),
                     &PQclear);
  if (result == nullptr || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return Error(result.get(), absl::StrCat("preparing ", sql));
  }
  statements_.emplace(sql, name);
  return name;
}

absl::StatusOr<PgResult> PgConn::Query(const std::string& sql,
                                       const PgParams& params) {
  absl::StatusOr<std::string> name = Prepared(sql);
  if (!name.ok()) return name.status();
  const std::vector<const char*> values = params.Values();
  PGresult* raw =
      PQexecPrepared(conn_, name->c_str(), params.size(), values.data(),
                     params.Lengths(), params.Formats(), /*resultFormat=*/1);
  PgResult result(raw);
  const ExecStatusType status = PQresultStatus(raw);
  if (raw != nullptr &&
      (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)) {
    return result;
  }
  return Error(raw, sql);
}

absl::StatusOr<std::vector<int64_t>> PgConn::ExecPipelined(
    const std::string& sql, const std::vector<PgParams>& executions) {
  std::vector<int64_t> affected;
  if (executions.empty()) return affected;
  absl::StatusOr<std::string> name = Prepared(sql);
  if (!name.ok()) return name.status();
  if (PQenterPipelineMode(conn_) != 1) {
    return Error(nullptr, "entering pipeline mode");
  }
  affected.reserve(executions.size());
  absl::Status status;
  for (size_t begin = 0; begin < executions.size() && status.ok();
       begin += kPipelineChunk) {
    const size_t end = std::min(executions.size(), begin + kPipelineChunk);
    status = PipelineChunk(*name, executions, begin, end, &affected);
  }
  // Fails only with results still pending, which PipelineChunk never
  // leaves behind unless the connection is lost.
  if (PQexitPipelineMode(conn_) != 1 && status.ok()) {
    status = Error(nullptr, "leaving pipeline mode");
  }
  if (!status.ok()) return status;
  return affected;
}

// Sends executions [begin, end) and a sync point, then reads every reply up
// to the sync: the pipeline is empty again afterwards, error or not.
absl::Status PgConn::PipelineChunk(const std::string& name,
                                   const std::vector<PgParams>& executions,
                                   size_t begin, size_t end,
                                   std::vector<int64_t>* affected) {
  for (size_t i = begin; i < end; ++i) {
    const PgParams& params = executions[i];
    const std::vector<const char*> values = params.Values();
    if (PQsendQueryPrepared(conn_, name.c_str(), params.size(), values.data(),
                            params.Lengths(), params.Formats(),
                            /*resultFormat=*/1) != 1) {
      return Error(nullptr, "sending pipelined statement");
    }
  }
  if (PQpipelineSync(conn_) != 1) return Error(nullptr, "pipeline sync");
  absl::Status first_error;
  while (true) {
    PgResultPtr result(PQgetResult(conn_), &PQclear);
    if (result == nullptr) {
      // End of one statement's results; NULL forever once the connection
      // is gone.
      if (Broken()) return Error(nullptr, "reading pipelined results");
      continue;
    }
    switch (PQresultStatus(result.get())) {
      case PGRES_PIPELINE_SYNC:
        return first_error;
      case PGRES_COMMAND_OK:
      case PGRES_TUPLES_OK:
        affected->push_back(PgResult(result.release()).Affected());
        break;
      case PGRES_PIPELINE_ABORTED:  // After an earlier statement failed.
        break;
      default:
        if (first_error.ok()) first_error = Error(result.get(), name);
        break;
    }
  }
}

// --- PgTransaction ----------------------------------------------------------

absl::StatusOr<PgTransaction> PgTransaction::Begin(PgConn& conn) {
  absl::Status begun = conn.Exec("BEGIN");
  if (!begun.ok()) return begun;
  return PgTransaction(&conn);
}

PgTransaction::PgTransaction(PgTransaction&& other) noexcept
    : conn_(other.conn_) {
  other.conn_ = nullptr;
}

PgTransaction::~PgTransaction() {
  // Best effort: a lost connection rolls back on the server by itself.
  if (conn_ != nullptr && !conn_->Broken()) {
    conn_->Exec("ROLLBACK").IgnoreError();
  }
}

absl::Status PgTransaction::Commit() {
  PgConn* conn = conn_;
  conn_ = nullptr;  // Whatever happens, COMMIT ends the transaction.
  absl::StatusOr<PgResult> committed = conn->ExecParams("COMMIT", PgParams());
  if (!committed.ok()) {
    if (conn->Broken()) {
      return absl::UnavailableError(absl::StrCat("outcome of COMMIT unknown: ",
                                                 committed.status().message()));
    }
    return committed.status();
  }
  // COMMIT of a transaction that had failed succeeds, as a ROLLBACK.
  if (committed->CommandStatus() != "COMMIT") {
    return absl::AbortedError(absl::StrCat("transaction rolled back (",
                                           committed->CommandStatus(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace v6scope::collector::store::postgres
