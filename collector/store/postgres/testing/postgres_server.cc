#include "collector/store/postgres/testing/postgres_server.h"

#include <fcntl.h>
#include <grp.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace v6scope::collector::store::postgres::testing {
namespace {

constexpr char kDefaultBinDir[] = "/usr/lib/postgresql/15/bin";
constexpr char kRunAsUser[] = "nobody";  // When started as root.
constexpr absl::Duration kReadyTimeout = absl::Seconds(60);
constexpr absl::Duration kStopTimeout = absl::Seconds(30);
constexpr int kStartAttempts = 3;  // A fresh port each time.

// Who initdb and postgres run as: ourselves, or (as root) kRunAsUser.
struct RunAs {
  bool drop = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

absl::StatusOr<RunAs> ChooseUser() {
  RunAs as;
  if (geteuid() != 0) return as;
  struct passwd pw;
  struct passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (getpwnam_r(kRunAsUser, &pw, buffer.data(), buffer.size(), &found) != 0 ||
      found == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("running as root, and PostgreSQL refuses to: there is no "
                     "user \"",
                     kRunAsUser, "\" to run it as"));
  }
  as.drop = true;
  as.uid = pw.pw_uid;
  as.gid = pw.pw_gid;
  return as;
}

std::string Errno(absl::string_view what) {
  return absl::StrCat(what, ": ", std::strerror(errno));
}

// The last `max` bytes of a log, for error messages.
std::string Tail(const std::string& path, size_t max = 2000) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  std::string all = text.str();
  if (all.size() > max) all = "..." + all.substr(all.size() - max);
  return all;
}

// Only async-signal-safe calls between fork and exec.
void ChildFail(const char* what) {
  const char* reason = std::strerror(errno);
  (void)!write(STDERR_FILENO, what, std::strlen(what));
  (void)!write(STDERR_FILENO, ": ", 2);
  (void)!write(STDERR_FILENO, reason, std::strlen(reason));
  (void)!write(STDERR_FILENO, "\n", 1);
  _exit(127);
}

// Runs argv[0] (an absolute path) in `cwd` as `as`, its output appended
// to `log`. With `death_signal`, the child gets it when the calling thread
// exits (set after the uid change, which would clear it).
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& args,
                            const RunAs& as, const std::string& cwd,
                            const std::string& log, int death_signal) {
  std::vector<char*> argv;
  for (const std::string& arg : args) {
    argv.push_back(const_cast<char*>(arg.c_str()));
  }
  argv.push_back(nullptr);
  const int log_fd =
      open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) return absl::InternalError(Errno(absl::StrCat("open ", log)));
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    return absl::InternalError(Errno("fork"));
  }
  if (pid == 0) {
    if (dup2(log_fd, STDOUT_FILENO) < 0 || dup2(log_fd, STDERR_FILENO) < 0) {
      _exit(127);
    }
    if (as.drop) {
      if (setgroups(0, nullptr) != 0) ChildFail("setgroups");
      if (setgid(as.gid) != 0) ChildFail("setgid");
      if (setuid(as.uid) != 0) ChildFail("setuid");
    }
    if (death_signal != 0) {
      if (prctl(PR_SET_PDEATHSIG, death_signal) != 0) ChildFail("prctl");
      if (getppid() != parent) _exit(127);  // Parent already gone.
    }
    if (chdir(cwd.c_str()) != 0) ChildFail("chdir");
    execv(argv[0], argv.data());
    ChildFail(argv[0]);
  }
  close(log_fd);
  return pid;
}

// A TCP port on 127.0.0.1 that was free a moment ago.
absl::StatusOr<int> FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return absl::InternalError(Errno("socket"));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    const std::string error = Errno("binding 127.0.0.1:0");
    close(fd);
    return absl::InternalError(error);
  }
  close(fd);
  return ntohs(addr.sin_port);
}

// Waits for `pid`; kills it after `timeout`. Returns its wait status.
int WaitFor(pid_t pid, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  int status = 0;
  while (true) {
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid || (done < 0 && errno != EINTR)) return status;
    if (absl::Now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return status;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
}

// A fresh directory under /tmp, owned by `as`: under TEST_TMPDIR the
// socket path could exceed the 107 bytes a Unix socket name allows, and
// TEST_TMPDIR sits under /root, which `nobody` cannot enter.
absl::StatusOr<std::string> MakeDir(const RunAs& as) {
  std::string dir = "/tmp/v6scope-pg.XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) {
    return absl::InternalError(Errno("mkdtemp /tmp/v6scope-pg.XXXXXX"));
  }
  if (as.drop && chown(dir.c_str(), as.uid, as.gid) != 0) {
    const std::string error = Errno(absl::StrCat("chown ", dir));
    rmdir(dir.c_str());
    return absl::InternalError(error);
  }
  return dir;
}

absl::Status InitDb(const std::string& dir, const RunAs& as) {
  const std::string log = dir + "/initdb.log";
  // --no-sync: initdb's own final fsync only; the server keeps fsync on.
  // Locale C: byte-wise text order, whatever the machine's locale.
  absl::StatusOr<pid_t> pid =
      Spawn({PostgresServer::BinDir() + "/initdb", "--pgdata=" + dir + "/data",
             "--auth=trust", "--username=postgres", "--encoding=UTF8",
             "--locale=C", "--no-sync", "--no-instructions"},
            as, dir, log, SIGKILL);
  if (!pid.ok()) return pid.status();
  const int status = WaitFor(*pid, kReadyTimeout);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(
        absl::StrCat("initdb failed (wait status ", status, "):\n", Tail(log)));
  }
  return absl::OkStatus();
}

std::string SocketConnInfo(const std::string& dir, int port,
                           const std::string& dbname) {
  return absl::StrCat("host=", dir, " port=", port, " dbname=", dbname,
                      " user=postgres connect_timeout=10");
}

// Waits until the server at `conninfo` accepts connections, or its
// process (*pid; 0 once reaped) exits.
absl::Status WaitUntilReady(const std::string& conninfo, const std::string& log,
                            pid_t* pid) {
  const absl::Time deadline = absl::Now() + kReadyTimeout;
  while (true) {
    if (PQping(conninfo.c_str()) == PQPING_OK) return absl::OkStatus();
    int status = 0;
    if (waitpid(*pid, &status, WNOHANG) == *pid) {
      *pid = 0;
      return absl::InternalError(absl::StrCat("postgres exited (wait status ",
                                              status, "):\n", Tail(log)));
    }
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("postgres not ready after ",
                       absl::FormatDuration(kReadyTimeout), ":\n", Tail(log)));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
}

// Immediate shutdown, then reaps it. Its directory is deleted next, so
// the shutdown checkpoint of a fast shutdown (which writes and fsyncs
// every page the tests' databases dirtied: ~30 s for this suite) would be
// wasted.
void StopPostmaster(pid_t* pid) {
  if (*pid == 0) return;
  kill(*pid, SIGQUIT);
  WaitFor(*pid, kStopTimeout);
  *pid = 0;
}

}  // namespace

std::string PostgresServer::BinDir() {
  const char* dir = std::getenv("V6SCOPE_PG_BINDIR");
  return dir != nullptr && dir[0] != '\0' ? dir : kDefaultBinDir;
}

std::string PostgresServer::WhyUnavailable() {
  for (const char* binary : {"initdb", "postgres"}) {
    const std::string path = absl::StrCat(BinDir(), "/", binary);
    if (access(path.c_str(), X_OK) != 0) {
      return absl::StrCat("PostgreSQL server binary ", path,
                          " not found: install the postgresql-15 package "
                          "(tools/install-deps does)");
    }
  }
  return "";
}

absl::StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  const std::string why = WhyUnavailable();
  if (!why.empty()) return absl::FailedPreconditionError(why);
  absl::StatusOr<RunAs> as = ChooseUser();
  if (!as.ok()) return as.status();
  absl::StatusOr<std::string> dir = MakeDir(*as);
  if (!dir.ok()) return dir.status();
  absl::Status status = InitDb(*dir, *as);
  for (int attempt = 0; attempt < kStartAttempts && status.ok(); ++attempt) {
    absl::StatusOr<int> port = FreePort();
    if (!port.ok()) {
      status = port.status();
      break;
    }
    // Defaults otherwise, fsync and synchronous_commit included.
    absl::StatusOr<pid_t> pid =
        Spawn({BinDir() + "/postgres", "-D", *dir + "/data", "-k", *dir, "-p",
               absl::StrCat(*port), "-c", "listen_addresses=127.0.0.1"},
              *as, *dir, *dir + "/postgres.log", SIGQUIT);
    if (!pid.ok()) {
      status = pid.status();
      break;
    }
    pid_t postmaster = *pid;
    absl::Status ready = WaitUntilReady(SocketConnInfo(*dir, *port, "postgres"),
                                        *dir + "/postgres.log", &postmaster);
    if (ready.ok()) {
      return std::unique_ptr<PostgresServer>(
          new PostgresServer(*dir, *port, postmaster));
    }
    StopPostmaster(&postmaster);  // Perhaps the port was taken: retry.
    if (attempt + 1 == kStartAttempts) status = ready;
  }
  std::error_code ignored;
  std::filesystem::remove_all(*dir, ignored);
  return status;
}

absl::StatusOr<PostgresServer*> PostgresServer::Shared() {
  // Destroyed at exit, which stops the server and removes its directory.
  static absl::StatusOr<std::unique_ptr<PostgresServer>> server = Start();
  if (!server.ok()) return server.status();
  return server->get();
}

PostgresServer::~PostgresServer() {
  StopPostmaster(&pid_);
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::string PostgresServer::ConnInfo(const std::string& dbname) const {
  return SocketConnInfo(dir_, port_, dbname);
}

std::string PostgresServer::TcpConnInfo(const std::string& dbname) const {
  return absl::StrCat("host=127.0.0.1 port=", port_, " dbname=", dbname,
                      " user=postgres connect_timeout=10");
}

absl::StatusOr<std::string> PostgresServer::CreateDatabase() {
  std::string name;
  {
    absl::MutexLock lock(&mu_);
    name = absl::StrCat("t_", ++databases_);
  }
  absl::StatusOr<std::string> created =
      Query("postgres", absl::StrCat("CREATE DATABASE ", name));
  if (!created.ok()) return created.status();
  return name;
}

absl::StatusOr<std::string> PostgresServer::Query(
    const std::string& dbname, const std::string& sql) const {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(
      PQconnectdb(ConnInfo(dbname).c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat("connecting to ", dbname, ": ",
                                               PQerrorMessage(conn.get())));
  }
  std::unique_ptr<PGresult, decltype(&PQclear)> result(
      PQexec(conn.get(), sql.c_str()), &PQclear);
  const ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return absl::InternalError(
        absl::StrCat(sql, ": ", PQerrorMessage(conn.get())));
  }
  if (PQntuples(result.get()) == 0 || PQnfields(result.get()) == 0) return "";
  return std::string(PQgetvalue(result.get(), 0, 0),
                     PQgetlength(result.get(), 0, 0));
}

}  // namespace v6scope::collector::store::postgres::testing
