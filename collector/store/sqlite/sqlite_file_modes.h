// The database file and its -wal and -shm companions hold every probe's
// results and credential hashes: owner-only (0600). SQLite creates the
// companions with the database file's mode, so creating that one 0600 is
// enough for new databases; existing files are tightened with a log line.
#ifndef V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_FILE_MODES_H_
#define V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_FILE_MODES_H_

#include <string>

#include "absl/status/status.h"

namespace v6scope::collector::store::sqlite {

// Creates `path` empty with mode 0600 if it does not exist, and takes group
// and other permissions off it and off `path`-wal and `path`-shm where
// they exist. ":memory:" and "file:" URIs are left alone.
absl::Status SecureDatabaseFiles(const std::string& path);

}  // namespace v6scope::collector::store::sqlite

#endif  // V6SCOPE_COLLECTOR_STORE_SQLITE_SQLITE_FILE_MODES_H_
