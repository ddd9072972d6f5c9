// The golden erasure scenarios once more, with every request approved first and then
// erased together by one `dsr batch` (erasure.group_requests): the stores must end as
// erasing the requests one after another leaves them, each request must get the
// certificate it gets alone, and the audit trail must show that the requests really
// were erased together (run.step entries with erased_with), not one at a time after
// a fallback. The trail verifies.

#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Parser.h>

#include <filesystem>
#include <sstream>

#include "tests/erasure_golden/erasure_scenario.h"
#include "tests/erasure_golden/installation.h"
#include "tests/support/json_file_reader.h"
#include "tests/support/test_store.h"

namespace fs = std::filesystem;
using namespace dsr;
using namespace dsr::erasure_golden;
using Poco::JSON::Object;

namespace {

// run.step entries of the trail, per request: how many, and the group sizes they name.
struct StepEntries {
  std::size_t count = 0;
  std::set<std::size_t> erased_with;
};

std::map<std::string, StepEntries> step_entries(const Installation& installation) {
  const test::DsrRun exported = installation.dsr({"audit", "export"});
  BOOST_TEST_REQUIRE(exported.code == 0, "audit export: " << describe(exported));
  std::map<std::string, StepEntries> out;
  std::istringstream lines(exported.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const Object::Ptr entry = Poco::JSON::Parser().parse(line).extract<Object::Ptr>();
    if (entry->optValue<std::string>("action", "") != "run.step") continue;
    StepEntries& steps = out[entry->optValue<std::string>("request_id", "")];
    ++steps.count;
    Poco::Dynamic::Var detail = entry->get("detail");
    Object::Ptr object = detail.type() == typeid(Object::Ptr) ? detail.extract<Object::Ptr>()
                                                              : Poco::JSON::Parser().parse(detail.toString()).extract<Object::Ptr>();
    steps.erased_with.insert(object->optValue<std::size_t>("erased_with", 1));
  }
  return out;
}

void run_scenario_together(const std::string& file) {
  const Scenario scenario = load_scenario(file);
  BOOST_TEST_MESSAGE(scenario.name << " together on " << test::engine_name() << ": " << scenario.description);
  test::TestStore store;
  Installation installation(scenario, store.folder(), store.engine(), store.connection().mysql_connection);
  installation.create();

  StoreSnapshot expected = installation.snapshot();
  std::vector<std::string> ids;
  for (const auto& request : scenario.requests) {
    ids.push_back(installation.submit_erasure(request.identities));
    expected = installation.expected_after(expected, request.expect);
  }
  const test::DsrRun batch = installation.dsr({"batch"});
  BOOST_TEST_REQUIRE(batch.code == 0, "batch: " << describe(batch));

  const auto diff = differences(expected, installation.snapshot());
  BOOST_TEST(diff.empty(), "the stores differ from erasing one after another:" << joined(diff));
  const auto steps = step_entries(installation);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    BOOST_TEST_CONTEXT("request " << i << " (" << scenario.requests[i].identities.front() << ")") {
      const auto [status, reason] = installation.status_of(ids[i]);
      BOOST_TEST_REQUIRE(status == "completed", "status " << status << " (" << reason << ")");
      installation.check_certificate(ids[i], scenario.requests[i], &scenario.requests[i].expect.certificate);
      const auto found = steps.find(ids[i]);
      BOOST_TEST_REQUIRE((found != steps.end()), "no run.step entries in the audit trail");
      const std::set<std::size_t> together{ids.size()};
      BOOST_TEST((found->second.erased_with == together),
                 "not erased together with the other " << ids.size() - 1 << " requests");
    }
  }
  const test::DsrRun verified = installation.dsr({"audit", "verify"});
  BOOST_TEST(verified.code == 0, "audit verify: " << describe(verified));
}

bool register_scenarios() {
  auto& master = boost::unit_test::framework::master_test_suite();
  master.p_name.value = "golden erasure scenarios erased together (" + test::engine_name() + ")";
  for (const auto& file : test::json_files_in(DSR_ERASURE_SCENARIOS)) {
    const std::string name = fs::path(file).stem().string();
    master.add(boost::unit_test::make_test_case([file] { run_scenario_together(file); }, name, __FILE__, __LINE__));
  }
  return true;
}

}  // namespace

int main(int argc, char* argv[]) { return boost::unit_test::unit_test_main(&register_scenarios, argc, argv); }
