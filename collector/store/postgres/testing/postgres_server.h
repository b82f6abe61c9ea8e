// PostgresServer: a real, private PostgreSQL server for tests.
//
// Start() runs initdb into a fresh directory under /tmp and starts the
// `postgres` binary of the Debian postgresql-15 package on its own Unix
// socket (in that directory) and a free TCP port on 127.0.0.1, with trust
// authentication and the server's default durability settings (fsync on,
// synchronous_commit on: the stores' durability is part of what is
// tested). The destructor shuts it down (immediate mode: the data is
// thrown away, so a shutdown checkpoint would only cost time) and removes
// the directory. Databases are cheap: CreateDatabase() gives each test its own.
//
// Privileges: initdb and postgres refuse to run as root. Run as root (as
// CI and the developer machines do), the harness runs them as the
// unprivileged `nobody` user (setuid in the child, directory chowned to
// it); run as anyone else, as that user.
//
// Orphans: the server is the harness's child and gets SIGQUIT (immediate
// shutdown) when the thread that started it exits, so a test killed by a
// timeout or a crash leaves no server behind. Start it from a thread that
// outlives it (the main thread; Shared() does).
//
// Thread-safe after Start().
#ifndef V6SCOPE_COLLECTOR_STORE_POSTGRES_TESTING_POSTGRES_SERVER_H_
#define V6SCOPE_COLLECTOR_STORE_POSTGRES_TESTING_POSTGRES_SERVER_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace v6scope::collector::store::postgres::testing {

class PostgresServer {
 public:
  // Where the server binaries are looked for: $V6SCOPE_PG_BINDIR if set,
  // else /usr/lib/postgresql/15/bin.
  static std::string BinDir();

  // Empty if initdb and postgres are there; otherwise why tests that need
  // a server must skip (naming the missing file and the package).
  static std::string WhyUnavailable();

  // initdb + start; waits until the server accepts connections.
  static absl::StatusOr<std::unique_ptr<PostgresServer>> Start();

  // The server of this test process: started on first call, stopped when
  // the process exits. Returns the same error on every call if it could
  // not start.
  static absl::StatusOr<PostgresServer*> Shared();

  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  ~PostgresServer();

  // Creates a new, empty database ("t_1", "t_2", ...) and returns its name.
  absl::StatusOr<std::string> CreateDatabase();

  // libpq connection strings for `dbname` as the superuser "postgres":
  // through the Unix socket, or through TCP on 127.0.0.1.
  std::string ConnInfo(const std::string& dbname) const;
  std::string TcpConnInfo(const std::string& dbname) const;

  // Runs `sql` (no parameters) on its own connection to `dbname`, as the
  // superuser; returns the first column of the first row as text (empty
  // if there is none, or it is NULL).
  absl::StatusOr<std::string> Query(const std::string& dbname,
                                    const std::string& sql) const;

  int port() const { return port_; }
  const std::string& dir() const { return dir_; }

 private:
  PostgresServer(std::string dir, int port, pid_t pid)
      : dir_(std::move(dir)), port_(port), pid_(pid) {}

  const std::string dir_;  // Socket, data/, logs.
  const int port_;
  pid_t pid_;  // The postmaster; 0 once stopped.
  absl::Mutex mu_;
  int databases_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace v6scope::collector::store::postgres::testing

#endif  // V6SCOPE_COLLECTOR_STORE_POSTGRES_TESTING_POSTGRES_SERVER_H_
