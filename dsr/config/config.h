#pragma once
// dsr.json: the one configuration file. Its reference documentation is
// schemas/config.schema.json (every key has a description there); the file is
// checked against that schema before anything is read from it, and unknown keys
// are errors so that a typo cannot silently fall back to a default.

#include <Poco/JSON/Object.h>

#include <string>
#include <string_view>
#include <vector>

#include "dsr/common/result.h"
#include "dsr/model/identity.h"

namespace dsr {

enum class StateEngine { sqlite, mysql };

struct StateConfig {
  StateEngine engine = StateEngine::sqlite;
  std::string sqlite_path;       // absolute; set when engine is sqlite
  std::string mysql_connection;  // SOCI connection string; set when engine is mysql
};

struct ControllerInfo {
  std::string name, contact, supervisory_authority;  // empty when not configured
};

// A store to search, as configured; the connector kind interprets `settings`.
struct ConnectorConfig {
  std::string name;
  std::string kind;
  Poco::JSON::Object::Ptr settings;  // the whole entry (name, kind, path or connection)
};

struct ExportConfig {
  bool encrypt = false;
  int retention_days = 30;
};

struct ErasureConfig {
  int chunk_rows = 1000;
  int group_requests = 50;  // fresh erasures dsr batch erases together; 1: one at a time
};

// dsr batch and the workers of dsr serve.
struct WorkerConfig {
  int lease_seconds = 300;        // a claim's lease; renewed while the worker runs
  int due_soon_days = 7;          // batch lists open requests due within this many days
  int minimise_after_days = 365;  // finished requests' identities become pseudonyms after this
};

struct Config {
  std::string path;        // absolute path of the config file
  std::string directory;   // its folder (absolute, no trailing '/'); relative paths are resolved against it
  StateConfig state;
  std::string key_file;    // absolute
  std::string export_dir;  // absolute
  std::string regulation;  // "gdpr" | "ccpa"
  IdentityPolicy identities;
  ControllerInfo controller;
  std::vector<ConnectorConfig> connectors;
  std::vector<std::string> mapping_files;  // absolute
  ExportConfig exports;
  ErasureConfig erasure;
  WorkerConfig workers;
  // The whole validated document, for sections read by other modules (they
  // still need to resolve their own relative paths against `directory`).
  Poco::JSON::Object::Ptr document;
};

// Reads, validates and interprets the file. Every error message starts with
// `path` as given, one line per problem, e.g.
//   "dsr.json: /state/sqlite: expected a string"
//   "dsr.json: cannot read: No such file or directory"
//   "dsr.json: invalid JSON: line 3, column 12: expected a value but found '}'"
Result<Config> load_config(const std::string& path);

// As load_config, with the file's content given; `path` is used for messages
// and to resolve relative paths (it need not exist).
Result<Config> parse_config(std::string_view json_text, const std::string& path);

// Writes a working config with every key at its default (controller fields with
// "Example ..." values to edit), pretty-printed, with mode 0600 since later keys
// hold passwords. Fails without touching anything if the file exists.
Status write_default_config(const std::string& path);

// The text write_default_config writes.
std::string default_config_text();

}  // namespace dsr
