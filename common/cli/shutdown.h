// Clean shutdown on SIGTERM / SIGINT.
//
// Call BlockShutdownSignals() first thing in main(), before any thread is
// started, so every thread inherits the mask; then WaitForShutdownSignal()
// blocks (on any one thread) until a signal arrives and returns its name.
#ifndef V6SCOPE_COMMON_CLI_SHUTDOWN_H_
#define V6SCOPE_COMMON_CLI_SHUTDOWN_H_

#include <string>

#include "absl/time/time.h"

namespace v6scope::cli {

void BlockShutdownSignals();

// Blocks until SIGTERM or SIGINT; returns "SIGTERM" or "SIGINT".
std::string WaitForShutdownSignal();

// Blocks until SIGTERM, SIGINT or SIGHUP; returns its name.
std::string WaitForSignal();

// Like WaitForShutdownSignal, but gives up after `timeout`; returns the
// signal name, or "" on timeout.
std::string WaitForShutdownSignalFor(absl::Duration timeout);

}  // namespace v6scope::cli

#endif  // V6SCOPE_COMMON_CLI_SHUTDOWN_H_
