#include "probe/suite/inventory_suite.h"

#include "common/version.h"
#include "google/protobuf/util/time_util.h"
#include "probe/inventory/inventory.h"

namespace v6scope::probe {
namespace {

google::protobuf::Timestamp ToProto(absl::Time t) {
  return google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(t));
}

}  // namespace

InventorySuite::InventorySuite(const Clock* clock,
                               InventoryReader read_inventory)
    : clock_(clock), read_inventory_(std::move(read_inventory)) {
  if (!read_inventory_) {
    read_inventory_ = [] { return ReadLocalInventory(); };
  }
}

absl::StatusOr<v6scope::v1::Run> InventorySuite::RunOnce() {
  v6scope::v1::Run run;
  *run.mutable_started_at() = ToProto(clock_->Now());
  absl::StatusOr<v6scope::v1::AddressInventory> inventory = read_inventory_();
  if (!inventory.ok()) return inventory.status();
  *run.mutable_inventory() = *inventory;
  run.set_probe_version(kVersion);
  *run.mutable_finished_at() = ToProto(clock_->Now());
  return run;
}

}  // namespace v6scope::probe
