// The conformance suite every Store implementation must pass.
//
// An implementation's test instantiates it with a factory that creates a
// fresh, empty store for each test:
//
//   INSTANTIATE_TEST_SUITE_P(
//       Sqlite, StoreConformanceTest,
//       ::testing::Values(StoreFactory{"Sqlite", [] { return ...; }}),
//       StoreFactoryName);
//
// and links //collector/store:store_conformance (alwayslink, so the tests
// register themselves).
#ifndef V6SCOPE_COLLECTOR_STORE_STORE_CONFORMANCE_H_
#define V6SCOPE_COLLECTOR_STORE_STORE_CONFORMANCE_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "collector/store/store.h"
#include "gtest/gtest.h"

namespace v6scope::collector::store {

struct StoreFactory {
  // Test name suffix: letters, digits and underscores only.
  std::string name;
  // Creates a fresh, empty store; called once per test.
  std::function<absl::StatusOr<std::unique_ptr<Store>>()> create;
};

// Name generator for INSTANTIATE_TEST_SUITE_P: the factory's name.
std::string StoreFactoryName(
    const ::testing::TestParamInfo<StoreFactory>& info);

// Prints the factory's name in test output (instead of its bytes).
void PrintTo(const StoreFactory& factory, std::ostream* os);

class StoreConformanceTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;

  Store& store() { return *store_; }

 private:
  std::unique_ptr<Store> store_;
};

}  // namespace v6scope::collector::store

#endif  // V6SCOPE_COLLECTOR_STORE_STORE_CONFORMANCE_H_
