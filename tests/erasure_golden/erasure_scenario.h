#pragma once
// A golden erasure scenario, read from tests/erasure_golden/scenarios/<name>.json:
//
//   {
//     "description": "what the scenario proves",
//     "chunk_rows": 2,
//     "stores": [{"connector": "shop_db", "setup": ["CREATE TABLE ...", "INSERT ..."]}],
//     "mappings": [{"file": "shop.dataset.json", "content": {dataset mapping}}],
//     "requests": [{
//       "identities": ["email=jane@example.com", "telegram_id=42"],
//       "personal": ["Jane Doe"],
//       "expect": {
//         "gone": {"<table>": [<key>, ...]},
//         "masked": {"<table>": {"<key>": {"<column>": null | "fixed text" | {"hash_of": "old value"}}}},
//         "certificate": {the certificate, with "$request_id", "$subject", "$received_at",
//                         "$dsr_version" and "$utc_time" standing for what a run decides}
//       }
//     }]
//   }
//
// Requests run one after another; each one's expectation is relative to the stores as
// the request before it left them. A row is named by its table's first column (which
// must be unique in every fixture table): <key> is that value as JSON. Every row and
// column that the expectation does not name must come out byte for byte as it was.
// Identities are written in their normal form, since the subject's pseudonym in the
// certificate is computed from the first one. "personal" lists values of the subject
// that must not appear in the certificate (the identities' values are checked anyway).
// Setup SQL runs unchanged on SQLite and MariaDB; on MariaDB all stores of a scenario
// share one database, so table names are unique across its stores. Unknown keys are
// errors, so that a misspelt expectation cannot pass silently.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dsr::erasure_golden {

struct FixtureStore {
  std::string connector;
  std::vector<std::string> setup;
};

struct MappingFile {
  std::string file;
  std::string text;
};

// What a masked column must hold afterwards.
struct MaskedValue {
  enum class Kind { null_value, fixed, keyed_hash } kind = Kind::null_value;
  std::string text;  // the fixed text, or the value that was hashed
};

struct Expectation {
  std::map<std::string, std::vector<std::string>> gone;  // table -> keys
  std::map<std::string, std::map<std::string, std::map<std::string, MaskedValue>>> masked;  // table -> key -> column
  Poco::Dynamic::Var certificate;
};

struct ScenarioRequest {
  std::vector<std::string> identities;  // "kind=value"
  std::vector<std::string> personal;
  Expectation expect;
};

struct Scenario {
  std::string name;  // the file name without .json
  std::string description;
  int chunk_rows = 2;
  std::vector<FixtureStore> stores;
  std::vector<MappingFile> mappings;
  std::vector<ScenarioRequest> requests;
};

// Throws std::runtime_error naming the file and the place of what is wrong.
Scenario load_scenario(const std::string& path);


// A row key as the scenario writes it: an integer as its digits, a string as itself.
std::string key_text(const Poco::Dynamic::Var& key);

}  // namespace dsr::erasure_golden
