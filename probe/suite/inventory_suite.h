// InventorySuite: the local checks that need no network — the host's
// address inventory and default routes. It carries no tests and no
// verdict (capability stays CAPABILITY_UNSPECIFIED); the network tests
// come with the capability suite.
#ifndef V6SCOPE_PROBE_SUITE_INVENTORY_SUITE_H_
#define V6SCOPE_PROBE_SUITE_INVENTORY_SUITE_H_

#include <functional>

#include "common/time/clock.h"
#include "probe/suite/suite.h"

namespace v6scope::probe {

class InventorySuite : public Suite {
 public:
  using InventoryReader =
      std::function<absl::StatusOr<v6scope::v1::AddressInventory>()>;

  // `read_inventory` defaults to the real system reader.
  explicit InventorySuite(const Clock* clock,
                          InventoryReader read_inventory = nullptr);

  absl::StatusOr<v6scope::v1::Run> RunOnce() override;

 private:
  const Clock* const clock_;
  InventoryReader read_inventory_;
};

}  // namespace v6scope::probe

#endif  // V6SCOPE_PROBE_SUITE_INVENTORY_SUITE_H_
