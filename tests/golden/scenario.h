#pragma once
// A golden export scenario, read from tests/golden/scenarios/<name>.json:
//
//   {
//     "description": "what the scenario proves",
//     "stores": [{"connector": "shop_db", "setup": ["CREATE TABLE ...", "INSERT ..."],
//                 "before_run": ["DROP TABLE ..."], "unreachable": false}],
//     "mappings": [{"file": "shop.dataset.json", "content": {dataset mapping}} | {"file", "text"}],
//     "run_with": "run" | "batch",
//     "setup_may_fail": false,
//     "foreign": ["values of other people that must appear in no export"],
//     "requests": [{"type": "access", "identities": ["email=..."],
//                   "expect": {"exit": 0, "status": "completed",
//                              "data": {"<dataset>/<collection>": [rows...]},
//                              "messages": ["text the failure must name"],
//                              "foreign": ["more values this request must not see"]}}]
//   }
//
// Setup SQL runs unchanged on SQLite and MariaDB. On MariaDB every store of a
// scenario shares one database, so table names are unique across its stores.
// "before_run" SQL runs after the requests are approved, before the first one runs.
// "setup_may_fail": the configuration itself is broken, so any command (init,
// submit, approve) may already refuse with the request's messages instead of run.
// Unknown keys are errors, so that a misspelt expectation cannot pass silently.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>
#include <vector>

namespace dsr::golden {

struct FixtureStore {
  std::string connector;
  std::vector<std::string> setup;
  std::vector<std::string> before_run;
  bool unreachable = false;  // sqlite: a missing file; mysql: a port nobody listens on
};

struct MappingFile {
  std::string file;
  std::string text;                  // written verbatim
  Poco::JSON::Object::Ptr document;  // null when the text is not a JSON object
};

struct ExpectedCollection {
  std::string key;  // "<dataset>/<collection>"
  Poco::Dynamic::Var rows;
};

struct Expectation {
  int exit = 0;
  std::string status = "completed";
  std::vector<ExpectedCollection> data;
  std::vector<std::string> messages;
  std::vector<std::string> foreign;
};

struct ScenarioRequest {
  std::string type;
  std::vector<std::string> identities;
  Expectation expect;
};

struct Scenario {
  std::string name;  // the file name without .json
  std::string description;
  std::vector<FixtureStore> stores;
  std::vector<MappingFile> mappings;
  std::vector<ScenarioRequest> requests;
  std::vector<std::string> foreign;
  bool batch = false;
  bool setup_may_fail = false;
};

// Throws std::runtime_error naming the file and what is wrong.
Scenario load_scenario(const std::string& path);


// Parses JSON keeping the key order of objects.
Poco::Dynamic::Var parse_json(const std::string& text);

// A JSON text that tells integers (42) from floating point numbers (42.0); with
// keep_key_order false, object keys are sorted.
std::string canonical_json(const Poco::Dynamic::Var& value, bool keep_key_order);

}  // namespace dsr::golden
