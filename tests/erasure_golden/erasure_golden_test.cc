// Golden erasure scenarios: every file in tests/erasure_golden/scenarios/ becomes one
// test case that builds the scenario's stores on the engine under test
// (DSR_TEST_ENGINE), erases each request's subject through the built `dsr` (submit,
// approve, run), and compares every table before and after: exactly the expected rows
// are gone or masked, everything else is unchanged byte for byte. The certificate's
// content is exact and valid against its schema, its SHA-256 is in the audit trail,
// and the trail verifies. Then every subject is erased again: nothing changes, nothing
// is deleted, and verification passes.

#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>

#include <filesystem>

#include "tests/erasure_golden/erasure_scenario.h"
#include "tests/erasure_golden/installation.h"
#include "tests/support/json_file_reader.h"
#include "tests/support/test_store.h"

namespace fs = std::filesystem;
using namespace dsr;
using namespace dsr::erasure_golden;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

// Runs one approved request and requires it to complete.
void run_to_completion(const Installation& installation, const std::string& id) {
  const test::DsrRun run = installation.dsr({"run", id});
  BOOST_TEST_REQUIRE(run.code == 0, "run " << id << ": " << describe(run));
  const auto [status, reason] = installation.status_of(id);
  BOOST_TEST_REQUIRE(status == "completed", "status " << status << " (" << reason << ")");
}

void check_nothing_deleted(const Object::Ptr& certificate) {
  BOOST_TEST(certificate->getValue<bool>("verification_passed"));
  BOOST_TEST(certificate->getObject("totals")->getValue<Poco::UInt64>("rows_deleted") == 0u);
  const Array::Ptr stores = certificate->getArray("stores");
  for (std::size_t s = 0; s < stores->size(); ++s) {
    const Array::Ptr collections = stores->getObject(static_cast<unsigned>(s))->getArray("collections");
    for (std::size_t c = 0; c < collections->size(); ++c) {
      const Object::Ptr entry = collections->getObject(static_cast<unsigned>(c));
      BOOST_TEST_CONTEXT("collection " << entry->getValue<std::string>("collection")) {
        BOOST_TEST(entry->getValue<Poco::UInt64>("rows_deleted") == 0u);
        BOOST_TEST(entry->getObject("verification")->getValue<bool>("passed"));
      }
    }
  }
}

void run_scenario(const std::string& file) {
  const Scenario scenario = load_scenario(file);
  BOOST_TEST_MESSAGE(scenario.name << " on " << test::engine_name() << ": " << scenario.description);
  test::TestStore store;
  Installation installation(scenario, store.folder(), store.engine(), store.connection().mysql_connection);
  installation.create();

  for (std::size_t i = 0; i < scenario.requests.size(); ++i) {
    const ScenarioRequest& request = scenario.requests[i];
    BOOST_TEST_CONTEXT("request " << i << " (" << request.identities.front() << ")") {
      const StoreSnapshot before = installation.snapshot();
      const std::string id = installation.submit_erasure(request.identities);
      run_to_completion(installation, id);
      const auto diff = differences(installation.expected_after(before, request.expect), installation.snapshot());
      BOOST_TEST(diff.empty(), "the stores differ from the expectation:" << joined(diff));
      installation.check_certificate(id, request, &request.expect.certificate);
    }
  }

  // Erasing again is harmless: no row changes, nothing is deleted, verification passes.
  for (std::size_t i = 0; i < scenario.requests.size(); ++i) {
    const ScenarioRequest& request = scenario.requests[i];
    BOOST_TEST_CONTEXT("request " << i << " again (" << request.identities.front() << ")") {
      const StoreSnapshot before = installation.snapshot();
      const std::string id = installation.submit_erasure(request.identities);
      run_to_completion(installation, id);
      const auto diff = differences(before, installation.snapshot());
      BOOST_TEST(diff.empty(), "erasing again changed the stores:" << joined(diff));
      check_nothing_deleted(installation.check_certificate(id, request, nullptr));
    }
  }

  const test::DsrRun verified = installation.dsr({"audit", "verify"});
  BOOST_TEST(verified.code == 0, "audit verify: " << describe(verified));
}

bool register_scenarios() {
  auto& master = boost::unit_test::framework::master_test_suite();
  master.p_name.value = "golden erasure scenarios (" + test::engine_name() + ")";
  for (const auto& file : test::json_files_in(DSR_ERASURE_SCENARIOS)) {
    const std::string name = fs::path(file).stem().string();
    master.add(boost::unit_test::make_test_case([file] { run_scenario(file); }, name, __FILE__, __LINE__));
  }
  return true;
}

}  // namespace

int main(int argc, char* argv[]) { return boost::unit_test::unit_test_main(&register_scenarios, argc, argv); }
