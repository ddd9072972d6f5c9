#pragma once
// One erasure scenario's installation in a folder: the fixture stores (one SQLite file
// per connector, or one MariaDB database that all connectors share), the mapping
// files, a dsr.json with erasure.chunk_rows from the scenario, and dsr's own state in a
// SQLite file. Drives the built `dsr` and checks what each erasure leaves behind.

#include <Poco/JSON/Object.h>

#include <memory>
#include <string>
#include <vector>

#include "dsr/state/database.h"
#include "tests/erasure_golden/erasure_scenario.h"
#include "tests/erasure_golden/fixture_tables.h"
#include "tests/support/run_dsr.h"

namespace dsr::erasure_golden {

class Installation {
 public:
  // mysql_connection: a SOCI connection string with db=, used when engine is mysql.
  Installation(const Scenario& scenario, std::string folder, StoreEngine engine, std::string mysql_connection);

  // Runs the fixtures' setup SQL, writes mappings and dsr.json, `dsr init`, adds officer olga.
  void create();

  test::DsrRun dsr(std::vector<std::string> args, const std::string& input = "") const;

  // Submits and approves an erasure request for the identities; returns its id.
  std::string submit_erasure(const std::vector<std::string>& identities) const;

  // Status and status reason of a request (`dsr --json show`).
  std::pair<std::string, std::string> status_of(const std::string& id) const;

  StoreSnapshot snapshot() const;

  // Before with the expectation's rows removed and masked columns rewritten.
  StoreSnapshot expected_after(const StoreSnapshot& before, const Expectation& expect) const;

  // Checks the certificate a completed request left (exact content against expected,
  // when given; the schema; no personal values; its SHA-256 in the audit trail).
  // Returns the parsed certificate.
  Poco::JSON::Object::Ptr check_certificate(const std::string& id, const ScenarioRequest& request,
                                            const Poco::Dynamic::Var* expected) const;

  const std::string& folder() const { return folder_; }

 private:
  std::string connector_json(const FixtureStore& store) const;
  std::unique_ptr<Database> open_fixture(const FixtureStore& store) const;

  const Scenario& scenario_;
  std::string folder_;
  StoreEngine engine_;
  std::string mysql_connection_;
  std::string config_;
};

// A dsr run for a failure message: exit code, stdout and stderr.
std::string describe(const test::DsrRun& run);

// Lines for a failure message, each on its own indented line.
std::string joined(const std::vector<std::string>& lines);

// "identity" in the sense of the scenario: "email=jane@example.com" -> {kind, value}.
std::pair<std::string, std::string> split_identity(const std::string& identity);

}  // namespace dsr::erasure_golden
