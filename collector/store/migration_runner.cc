#include "collector/store/migration_runner.h"

#include <cstddef>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"

namespace v6scope::collector::store {
namespace {

// "Can't happen" unless someone edited a list wrongly: fail loudly.
absl::Status CheckNumbering(absl::Span<const MigrationStep> steps) {
  for (size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].version != static_cast<int>(i) + 1) {
      return absl::InternalError(absl::StrCat("schema step ", i,
                                              " has version ", steps[i].version,
                                              ", expected ", i + 1));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckVersion(int version, int latest) {
  if (version < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema version ", version, " is invalid"));
  }
  if (version > latest) {
    return absl::FailedPreconditionError(
        absl::StrCat("database schema version ", version,
                     " is newer than this binary supports (", latest,
                     "); upgrade v6scope-collector"));
  }
  return absl::OkStatus();
}

absl::Status ApplyStep(MigrationTarget& target, const MigrationStep& step) {
  absl::Status applied = target.RunSql(step.sql);
  if (!applied.ok()) {
    return absl::Status(
        applied.code(),
        absl::StrCat("schema step ", step.version, ": ", applied.message()));
  }
  return target.WriteVersion(step.version);
}

// The body of the migration transaction.
absl::Status ApplyMissingSteps(MigrationTarget& target,
                               absl::Span<const MigrationStep> steps) {
  // Read inside the transaction: a second collector opening the same
  // database at the same time waits, then sees our upgrade.
  absl::StatusOr<int> version = target.ReadVersion();
  if (!version.ok()) return version.status();
  const int latest = static_cast<int>(steps.size());
  absl::Status supported = CheckVersion(*version, latest);
  if (!supported.ok()) return supported;
  for (int i = *version; i < latest; ++i) {
    absl::Status applied = ApplyStep(target, steps[i]);
    if (!applied.ok()) return applied;
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Migrate(MigrationTarget& target,
                     absl::Span<const MigrationStep> steps) {
  absl::Status numbered = CheckNumbering(steps);
  if (!numbered.ok()) return numbered;
  return target.InTransaction(
      [&]() -> absl::Status { return ApplyMissingSteps(target, steps); });
}

}  // namespace v6scope::collector::store
