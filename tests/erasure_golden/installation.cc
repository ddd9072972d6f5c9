#include "tests/erasure_golden/installation.h"

#include <boost/test/unit_test.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "dsr/audit/subject_key.h"
#include "dsr/common/crypto.h"
#include "dsr/common/json_schema.h"
#include "schemas/embedded_schemas.h"
#include "tests/support/json_file_reader.h"
#include "tests/support/value_search.h"

namespace fs = std::filesystem;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace dsr::erasure_golden {

using test::contains_value;

std::string describe(const test::DsrRun& run) {
  return "exit " + std::to_string(run.code) + "\nstdout: " + run.out + "\nstderr: " + run.err;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += "\n  " + line;
  return out;
}

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

Poco::Dynamic::Var parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text);
}

struct Placeholders {
  std::string request_id;
  std::string subject;
  std::string received_at;
};

std::string shown(const Poco::Dynamic::Var& value) {
  if (value.isEmpty()) return "null";
  if (value.type() == typeid(Object::Ptr) || value.type() == typeid(Array::Ptr)) {
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(value, out);
    return out.str();
  }
  if (value.isString()) return test::json_string(value.extract<std::string>());
  return value.convert<std::string>();
}

// Compares the certificate with its expectation, naming each difference by its JSON pointer.
void match(const Poco::Dynamic::Var& want, const Poco::Dynamic::Var& got, const std::string& where,
           const Placeholders& placeholders, std::vector<std::string>& errors) {
  if (want.isString() && want.extract<std::string>().rfind('$', 0) == 0) {
    const std::string name = want.extract<std::string>();
    const std::string text = got.isString() ? got.extract<std::string>() : "<not a string>";
    bool ok = false;
    if (name == "$request_id") ok = text == placeholders.request_id;
    else if (name == "$subject") ok = text == placeholders.subject;
    else if (name == "$received_at") ok = text == placeholders.received_at;
    else if (name == "$dsr_version") ok = text == DSR_VERSION;
    else if (name == "$utc_time") ok = std::regex_match(text, std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
    else errors.push_back(where + ": unknown placeholder " + name);
    if (!ok) errors.push_back(where + ": " + shown(got) + " is not " + name);
    return;
  }
  if (want.type() == typeid(Object::Ptr)) {
    if (got.type() != typeid(Object::Ptr)) {
      errors.push_back(where + ": expected an object, got " + shown(got));
      return;
    }
    const Object::Ptr w = want.extract<Object::Ptr>();
    const Object::Ptr g = got.extract<Object::Ptr>();
    for (const auto& name : w->getNames()) {
      if (!g->has(name)) errors.push_back(where + "/" + name + ": missing");
      else match(w->get(name), g->get(name), where + "/" + name, placeholders, errors);
    }
    for (const auto& name : g->getNames()) {
      if (!w->has(name)) errors.push_back(where + "/" + name + ": not expected: " + shown(g->get(name)));
    }
    return;
  }
  if (want.type() == typeid(Array::Ptr)) {
    if (got.type() != typeid(Array::Ptr)) {
      errors.push_back(where + ": expected an array, got " + shown(got));
      return;
    }
    const Array::Ptr w = want.extract<Array::Ptr>();
    const Array::Ptr g = got.extract<Array::Ptr>();
    if (w->size() != g->size()) {
      errors.push_back(where + ": expected " + std::to_string(w->size()) + " elements, got " + std::to_string(g->size()) +
                       ": " + shown(got));
      return;
    }
    for (std::size_t i = 0; i < w->size(); ++i) {
      match(w->get(static_cast<unsigned>(i)), g->get(static_cast<unsigned>(i)), where + "/" + std::to_string(i),
            placeholders, errors);
    }
    return;
  }
  bool same = false;
  if (want.isEmpty() || got.isEmpty()) same = want.isEmpty() && got.isEmpty();
  else if (want.type() == typeid(bool) || got.type() == typeid(bool))
    same = want.type() == got.type() && want.extract<bool>() == got.extract<bool>();
  else if (want.isInteger() && got.isInteger()) same = want.convert<Poco::Int64>() == got.convert<Poco::Int64>();
  else if (want.isString() && got.isString()) same = want.extract<std::string>() == got.extract<std::string>();
  if (!same) errors.push_back(where + ": expected " + shown(want) + ", got " + shown(got));
}

}  // namespace

std::pair<std::string, std::string> split_identity(const std::string& identity) {
  const auto equals = identity.find('=');
  return {identity.substr(0, equals), identity.substr(equals + 1)};
}

Installation::Installation(const Scenario& scenario, std::string folder, StoreEngine engine,
                           std::string mysql_connection)
    : scenario_(scenario),
      folder_(std::move(folder)),
      engine_(engine),
      mysql_connection_(std::move(mysql_connection)),
      config_((fs::path(folder_) / "dsr.json").string()) {}

std::unique_ptr<Database> Installation::open_fixture(const FixtureStore& store) const {
  StoreConnection connection;
  connection.engine = engine_;
  if (engine_ == StoreEngine::sqlite) {
    connection.sqlite_path = (fs::path(folder_) / (store.connector + ".sqlite")).string();
  } else {
    connection.mysql_connection = mysql_connection_;
  }
  auto db = Database::open(connection);
  if (!db) throw std::runtime_error(scenario_.name + ": fixture " + store.connector + ": " + db.error());
  // Database::open sets WAL for dsr's own state; a fixture is an ordinary database file.
  if ((*db)->engine() == StoreEngine::sqlite) (*db)->session() << "PRAGMA journal_mode = DELETE";
  return std::move(*db);
}

std::string Installation::connector_json(const FixtureStore& store) const {
  std::string out = "    {\"name\": " + test::json_string(store.connector) + ", ";
  if (engine_ == StoreEngine::sqlite) {
    return out + "\"kind\": \"sqlite\", \"path\": " + test::json_string(store.connector + ".sqlite") + "}";
  }
  return out + "\"kind\": \"mysql\", \"connection\": " + test::json_string(mysql_connection_) + "}";
}

void Installation::create() {
  for (const auto& store : scenario_.stores) {
    auto db = open_fixture(store);
    for (const auto& statement : store.setup) {
      try {
        db->session() << statement;
      } catch (const std::exception& e) {
        throw std::runtime_error(scenario_.name + ": fixture " + store.connector + ": " + statement + ": " + e.what());
      }
    }
  }
  for (const auto& mapping : scenario_.mappings) std::ofstream(fs::path(folder_) / mapping.file) << mapping.text;
  std::string text = "{\n  \"state\": {\"engine\": \"sqlite\", \"sqlite\": \"dsr-state.sqlite\"},\n";
  text += "  \"export_dir\": \"exports\",\n";
  text += "  \"erasure\": {\"chunk_rows\": " + std::to_string(scenario_.chunk_rows) + "},\n";
  text += "  \"connectors\": [\n";
  for (std::size_t i = 0; i < scenario_.stores.size(); ++i) {
    text += connector_json(scenario_.stores[i]) + (i + 1 < scenario_.stores.size() ? ",\n" : "\n");
  }
  text += "  ],\n  \"mappings\": [";
  for (std::size_t i = 0; i < scenario_.mappings.size(); ++i) {
    text += (i ? ", " : "") + test::json_string(scenario_.mappings[i].file);
  }
  std::ofstream(config_) << text + "]\n}\n";

  const test::DsrRun init = dsr({"init"});
  BOOST_TEST_REQUIRE(init.code == 0, "init: " << describe(init));
  const test::DsrRun officer = dsr({"officer", "add", "olga", "--role", "officer"}, "a long enough password\n");
  BOOST_TEST_REQUIRE(officer.code == 0, "officer add: " << describe(officer));
}

test::DsrRun Installation::dsr(std::vector<std::string> args, const std::string& input) const {
  args.insert(args.begin(), {"--config", config_});
  return test::run_dsr(args, input);
}

std::string Installation::submit_erasure(const std::vector<std::string>& identities) const {
  std::vector<std::string> args = {"submit", "--type", "erasure", "--verified"};
  for (const auto& identity : identities) {
    args.push_back("--identity");
    args.push_back(identity);
  }
  const test::DsrRun submitted = dsr(args);
  BOOST_TEST_REQUIRE(submitted.code == 0, "submit: " << describe(submitted));
  const std::string id = test::trimmed(submitted.out);
  BOOST_TEST_REQUIRE(id.size() == 36u, "submit printed no request id: " << submitted.out);
  const test::DsrRun approved = dsr({"approve", id, "--officer", "olga"});
  BOOST_TEST_REQUIRE(approved.code == 0, "approve: " << describe(approved));
  return id;
}

std::pair<std::string, std::string> Installation::status_of(const std::string& id) const {
  const test::DsrRun shown = dsr({"--json", "show", id});
  BOOST_TEST_REQUIRE(shown.code == 0, "show: " << describe(shown));
  const Object::Ptr view = parse(shown.out).extract<Object::Ptr>();
  return {view->optValue<std::string>("status", ""), view->optValue<std::string>("status_reason", "")};
}

StoreSnapshot Installation::snapshot() const {
  StoreSnapshot snapshot;
  if (engine_ == StoreEngine::sqlite) {
    for (const auto& store : scenario_.stores) add_tables(*open_fixture(store), snapshot);
  } else {
    add_tables(*open_fixture(scenario_.stores.front()), snapshot);
  }
  return snapshot;
}

StoreSnapshot Installation::expected_after(const StoreSnapshot& before, const Expectation& expect) const {
  StoreSnapshot after = before;
  auto key_file = SubjectKey::load((fs::path(folder_) / "dsr.key").string());
  BOOST_TEST_REQUIRE(key_file.ok(), "dsr.key: " << (key_file.ok() ? "" : key_file.error()));
  auto db = open_fixture(scenario_.stores.front());
  for (const auto& [table, keys] : expect.gone) {
    BOOST_TEST_REQUIRE(after.count(table) == 1u, scenario_.name << ": gone: no table " << table);
    for (const auto& key : keys) {
      BOOST_TEST_REQUIRE(after[table].rows.erase(key) == 1u,
                         scenario_.name << ": gone: " << table << " has no row " << key << " to begin with");
    }
  }
  for (const auto& [table, rows] : expect.masked) {
    BOOST_TEST_REQUIRE(after.count(table) == 1u, scenario_.name << ": masked: no table " << table);
    TableRows& table_rows = after[table];
    for (const auto& [key, columns] : rows) {
      BOOST_TEST_REQUIRE(table_rows.rows.count(key) == 1u,
                         scenario_.name << ": masked: " << table << " has no row " << key << " to begin with");
      for (const auto& [column, value] : columns) {
        const auto at = std::find(table_rows.columns.begin(), table_rows.columns.end(), column);
        BOOST_TEST_REQUIRE((at != table_rows.columns.end()), scenario_.name << ": masked: " << table << " has no column " << column);
        std::optional<std::string> text;
        if (value.kind == MaskedValue::Kind::fixed) text = value.text;
        // The keyed hash dsr writes (dsr/run/erasure.cc), under this installation's key.
        if (value.kind == MaskedValue::Kind::keyed_hash) text = "hmac-sha256:" + key_file->seal("mask:" + value.text);
        table_rows.rows[key][static_cast<std::size_t>(at - table_rows.columns.begin())] = sql_literal(*db, text);
      }
    }
  }
  return after;
}

Poco::JSON::Object::Ptr Installation::check_certificate(const std::string& id, const ScenarioRequest& request,
                                                       const Poco::Dynamic::Var* expected) const {
  const std::string path = (fs::path(folder_) / "exports" / (id + ".certificate.json")).string();
  BOOST_TEST_REQUIRE(fs::exists(path), "no certificate at " << path);
  // Only dsr's own user may read what was erased where.
  const bool private_file =
      (fs::status(path).permissions() & fs::perms::all) == (fs::perms::owner_read | fs::perms::owner_write);
  BOOST_TEST(private_file, "the certificate's mode is not 0600");
  const std::string text = read_file(path);
  Poco::Dynamic::Var document;
  try {
    document = parse(text);
  } catch (const std::exception& e) {
    BOOST_FAIL("the certificate does not parse: " << e.what() << "\n" << text);
  }
  BOOST_TEST_REQUIRE((document.type() == typeid(Object::Ptr)), "the certificate is not an object");

  const auto schema_text = embedded_schema("deletion-certificate.schema.json");
  BOOST_TEST_REQUIRE(schema_text.has_value());
  auto schema = JsonSchema::from_text(*schema_text, "deletion-certificate.schema.json");
  BOOST_TEST_REQUIRE(schema.ok(), (schema.ok() ? "" : schema.error()));
  const auto violations = schema->validate(document);
  BOOST_TEST(violations.empty(), format_violations(path, violations));

  if (expected) {
    auto key_file = SubjectKey::load((fs::path(folder_) / "dsr.key").string());
    BOOST_TEST_REQUIRE(key_file.ok());
    const auto [kind, value] = split_identity(request.identities.front());
    Placeholders placeholders{id, key_file->pseudonym({kind, value}), ""};
    const test::DsrRun shown = dsr({"--json", "show", id});
    BOOST_TEST_REQUIRE(shown.code == 0);
    placeholders.received_at = parse(shown.out).extract<Object::Ptr>()->optValue<std::string>("received_at", "");
    std::vector<std::string> errors;
    match(*expected, document, "", placeholders, errors);
    std::string all;
    for (const auto& e : errors) all += "\n  certificate" + e;
    BOOST_TEST(errors.empty(), "the certificate differs:" << all << "\nactual: " << text);
  }

  std::vector<std::string> personal = request.personal;
  for (const auto& identity : request.identities) personal.push_back(split_identity(identity).second);
  for (const auto& value : personal) {
    BOOST_TEST(!contains_value(lower(text), lower(value)), "the certificate holds a personal value: " << value);
  }

  // The certificate's fingerprint is in the audit trail, in the entry that completed the request.
  const std::string sha = sha256_hex(text);
  const test::DsrRun exported = dsr({"audit", "export"});
  BOOST_TEST_REQUIRE(exported.code == 0, "audit export: " << describe(exported));
  std::istringstream lines(exported.out);
  std::string line;
  int recorded = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    const Object::Ptr entry = parse(line).extract<Object::Ptr>();
    if (entry->optValue<std::string>("request_id", "") != id) continue;
    const Object::Ptr detail = entry->getObject("detail");
    if (detail && detail->has("certificate_sha256")) {
      BOOST_TEST(detail->getValue<std::string>("certificate_sha256") == sha, "the audit trail records another hash");
      ++recorded;
    }
  }
  BOOST_TEST(recorded == 1, "the certificate's SHA-256 is recorded " << recorded << " times for request " << id);
  return document.extract<Object::Ptr>();
}

}  // namespace dsr::erasure_golden
