#include "probe/campaign/byte_estimate.h"

#include "gtest/gtest.h"

namespace v6scope::probe::campaign {
namespace {

TEST(ByteEstimateTest, BodiesHopsAndQuestions) {
  v6scope::v1::DomainCheck c;
  EXPECT_EQ(EstimateBytes(c), 6 * 512u);  // Apex, www, NS, MX questions.
  v6scope::v1::NameServerCheck* ns = c.add_name_servers();
  ns->add_soa();
  ns->add_soa();
  c.add_mail();
  v6scope::v1::WebFetch* f = c.add_web();
  f->set_body_bytes(10000);
  f->add_hops();
  f->add_hops();
  c.add_web();  // No response at all: still one hop's worth.
  EXPECT_EQ(EstimateBytes(c), 10000u + 3 * 1024u + (6 + 4 + 2) * 512u);
}

}  // namespace
}  // namespace v6scope::probe::campaign
