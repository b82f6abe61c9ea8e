#include "cli/aggregate_commands.h"

#include <sstream>

#include "gtest/gtest.h"

namespace v6scope::cli {
namespace {

TEST(AllocationsTableTest, MissingRegistrySaysSoInsteadOfAnEmptyTable) {
  v6scope::v1::ListAllocationsResponse response;
  response.add_notes("no AFRINIC data loaded");
  std::ostringstream out, err;
  const Table table = AllocationsTable(response, out, err);
  EXPECT_EQ(table.columns(), 0u);
  EXPECT_EQ(out.str(), "no AFRINIC data loaded\n");
  EXPECT_EQ(err.str(), "");
}

TEST(AllocationsTableTest, NotesBesideRowsGoToStderr) {
  v6scope::v1::ListAllocationsResponse response;
  v6scope::v1::CountryAllocations* ke = response.add_allocations();
  ke->set_country("KE");
  ke->set_delegations(2);
  response.add_notes("attribution data incomplete");
  std::ostringstream out, err;
  const Table table = AllocationsTable(response, out, err);
  EXPECT_EQ(table.rows(), 1u);
  EXPECT_EQ(out.str(), "");
  EXPECT_EQ(err.str(), "note: attribution data incomplete\n");
}

TEST(AllocationsTableTest, NoRowsAndNoNotesIsAnEmptyTable) {
  std::ostringstream out, err;
  const Table table =
      AllocationsTable(v6scope::v1::ListAllocationsResponse(), out, err);
  EXPECT_EQ(table.columns(), 5u);
  EXPECT_EQ(table.rows(), 0u);
}

}  // namespace
}  // namespace v6scope::cli
