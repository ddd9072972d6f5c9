#define BOOST_TEST_MODULE config
#include <boost/test/unit_test.hpp>

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "dsr/common/json_schema.h"
#include "dsr/config/config.h"
#include "schemas/embedded_schemas.h"

namespace {

using dsr::SchemaViolation;

// A fresh directory, removed with everything in it at the end of the test.
struct TempDir {
  TempDir() : path(Poco::TemporaryFile::tempName()) { Poco::File(path).createDirectories(); }
  ~TempDir() {
    try {
      Poco::File(path).remove(true);
    } catch (...) {
    }
  }
  std::string file(const std::string& name) const { return path + "/" + name; }
  void write(const std::string& name, const std::string& text) const { std::ofstream(file(name)) << text; }
  std::string path;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string current_directory() {
  std::string cwd = Poco::Path::current();
  if (cwd.size() > 1 && cwd.back() == '/') cwd.pop_back();
  return cwd;
}

struct ErrorCase {
  const char* name;
  const char* json;
  const char* expected;  // the whole error text
};

const ErrorCase kErrorCases[] = {
    {"wrong type", R"({"state": {"engine": "sqlite", "sqlite": 5}})",
     "dsr.json: /state/sqlite: expected a string"},
    {"state not an object", R"({"state": "sqlite"})", "dsr.json: /state: expected an object"},
    {"unknown top-level key", R"({"stat": {}})", "dsr.json: /: unknown key 'stat'"},
    {"unknown nested keys, all of them", R"({"state": {"sqlite": "a", "sqlite_path": "b", "engin": "mysql"}})",
     "dsr.json: /state: unknown key 'engin'\n"
     "dsr.json: /state: unknown key 'sqlite_path'"},
    {"unknown controller key", R"({"controller": {"email": "x"}})", "dsr.json: /controller: unknown key 'email'"},
    {"bad engine", R"({"state": {"engine": "postgres", "sqlite": "a"}})",
     "dsr.json: /state/engine: expected one of: sqlite, mysql"},
    {"bad engine alone, no follow-on error", R"({"state": {"engine": "postgres"}})",
     "dsr.json: /state/engine: expected one of: sqlite, mysql"},
    {"bad regulation", R"({"regulation": "hipaa"})", "dsr.json: /regulation: expected one of: gdpr, ccpa"},
    {"regulation of the wrong type", R"({"regulation": 1})", "dsr.json: /regulation: expected one of: gdpr, ccpa"},
    {"sqlite engine without its path", R"({"state": {"engine": "sqlite"}})",
     "dsr.json: /state: missing required key 'sqlite'"},
    {"default engine without a path", R"({"state": {}})", "dsr.json: /state: missing required key 'sqlite'"},
    {"mysql engine without a connection", R"({"state": {"engine": "mysql", "sqlite": "x"}})",
     "dsr.json: /state: missing required key 'mysql'"},
    {"empty path", R"({"key_file": ""})", "dsr.json: /key_file: must not be empty"},
    {"several violations in pointer order", R"({"regulation": "x", "key_file": 1, "export_dir": []})",
     "dsr.json: /export_dir: expected a string\n"
     "dsr.json: /key_file: expected a string\n"
     "dsr.json: /regulation: expected one of: gdpr, ccpa"},
    {"custom kind without a pattern", R"({"identities": {"custom": [{"name": "crm_id"}]}})",
     "dsr.json: /identities/custom/0: missing required key 'pattern'"},
    {"custom kind with a non-boolean flag",
     R"({"identities": {"custom": [{"name": "crm_id", "pattern": "^x$"},
                                   {"name": "shop_id", "pattern": "^y$", "lowercase": "yes"}]}})",
     "dsr.json: /identities/custom/1/lowercase: expected true or false"},
    {"custom kind with a bad name", R"({"identities": {"custom": [{"name": "CRM", "pattern": "x"}]}})",
     "dsr.json: /identities/custom/0/name: does not match the pattern ^[a-z][a-z0-9_]{0,31}$"},
    {"custom kinds not an array", R"({"identities": {"custom": {}}})",
     "dsr.json: /identities/custom: expected an array"},
    {"lower-case region", R"({"identities": {"phone_default_region": "de"}})",
     "dsr.json: /identities/phone_default_region: does not match the pattern ^[A-Z]{2}$"},
    {"root is an array", "[1, 2]", "dsr.json: /: expected an object"},
    {"root is a number", "42", "dsr.json: /: expected an object"},
    {"root is null", "null", "dsr.json: /: expected an object"},
    {"invalid JSON", "{\n  \"state\": }", "dsr.json: invalid JSON: line 2, column 12: expected a value but found '}'"},
    {"trailing comma", R"({"regulation": "gdpr",})", "dsr.json: invalid JSON: line 1, column 23: trailing comma before '}'"},
    {"duplicate key", R"({"regulation": "gdpr", "regulation": "ccpa"})",
     "dsr.json: invalid JSON: line 1, column 24: duplicate key 'regulation'"},
    {"unterminated string", R"({"a": "x)", "dsr.json: invalid JSON: line 1, column 9: unterminated string"},
    {"empty file", "  \n", "dsr.json: invalid JSON: line 2, column 1: the text is empty"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(config_errors)

BOOST_AUTO_TEST_CASE(table) {
  for (const auto& c : kErrorCases) {
    BOOST_TEST_CONTEXT(c.name) {
      const auto config = dsr::parse_config(c.json, "dsr.json");
      BOOST_TEST_REQUIRE(!config.ok());
      BOOST_TEST(config.error() == c.expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(custom_kind_with_a_bad_pattern_is_reported_by_the_normaliser) {
  const auto config =
      dsr::parse_config(R"({"identities": {"custom": [{"name": "crm_id", "pattern": "^([0-9]+$"}]}})", "dsr.json");
  BOOST_TEST_REQUIRE(!config.ok());
  const std::string prefix = "dsr.json: /identities: ";
  BOOST_TEST(config.error().substr(0, prefix.size()) == prefix);
  BOOST_TEST(config.error().size() > prefix.size());
  BOOST_TEST(config.error().find('\n') == std::string::npos);
}

BOOST_AUTO_TEST_CASE(missing_file_names_the_path_as_given) {
  TempDir dir;
  const std::string path = dir.file("none.json");
  const auto config = dsr::load_config(path);
  BOOST_TEST_REQUIRE(!config.ok());
  BOOST_TEST(config.error() == path + ": cannot read: No such file or directory");
}

BOOST_AUTO_TEST_CASE(errors_from_a_file_name_the_path_as_given) {
  TempDir dir;
  dir.write("dsr.json", R"({"state": {"engine": "sqlite", "sqlite": 5}})");
  const auto config = dsr::load_config(dir.file("dsr.json"));
  BOOST_TEST_REQUIRE(!config.ok());
  BOOST_TEST(config.error() == dir.file("dsr.json") + ": /state/sqlite: expected a string");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(config_values)

BOOST_AUTO_TEST_CASE(defaults_for_an_empty_object) {
  const auto config = dsr::parse_config("{}", "/etc/dsr/dsr.json");
  BOOST_TEST_REQUIRE(config.ok(), (config.ok() ? "" : config.error()));
  BOOST_TEST(config->path == "/etc/dsr/dsr.json");
  BOOST_TEST(config->directory == "/etc/dsr");
  BOOST_TEST((config->state.engine == dsr::StateEngine::sqlite));
  BOOST_TEST(config->state.sqlite_path == "/etc/dsr/dsr-state.sqlite");
  BOOST_TEST(config->state.mysql_connection == "");
  BOOST_TEST(config->key_file == "/etc/dsr/dsr.key");
  BOOST_TEST(config->export_dir == "/etc/dsr/exports");
  BOOST_TEST(config->regulation == "gdpr");
  BOOST_TEST(config->identities.phone_default_region == "DE");
  BOOST_TEST(config->identities.custom_kinds.empty());
  BOOST_TEST(config->controller.name == "");
  BOOST_TEST(config->controller.contact == "");
  BOOST_TEST(config->controller.supervisory_authority == "");
  BOOST_TEST(!config->document.isNull());
}

BOOST_AUTO_TEST_CASE(relative_paths_resolve_against_the_config_folder) {
  const auto config = dsr::parse_config(R"({
      "state": {"sqlite": "db/state.sqlite"},
      "key_file": "../secrets/dsr.key",
      "export_dir": "/var/lib/dsr/exports/"
    })",
                                        "/etc/dsr/dsr.json");
  BOOST_TEST_REQUIRE(config.ok(), (config.ok() ? "" : config.error()));
  BOOST_TEST(config->state.sqlite_path == "/etc/dsr/db/state.sqlite");
  BOOST_TEST(config->key_file == "/etc/secrets/dsr.key");
  BOOST_TEST(config->export_dir == "/var/lib/dsr/exports");
}

BOOST_AUTO_TEST_CASE(a_relative_config_path_is_made_absolute) {
  const auto config = dsr::parse_config("{}", "conf/dsr.json");
  BOOST_TEST_REQUIRE(config.ok(), (config.ok() ? "" : config.error()));
  BOOST_TEST(config->path == current_directory() + "/conf/dsr.json");
  BOOST_TEST(config->directory == current_directory() + "/conf");
  BOOST_TEST(config->key_file == current_directory() + "/conf/dsr.key");
}

BOOST_AUTO_TEST_CASE(load_config_resolves_against_the_file_folder) {
  TempDir dir;
  Poco::File(dir.file("etc")).createDirectories();
  dir.write("etc/dsr.json", R"({"state": {"engine": "sqlite", "sqlite": "state/dsr.sqlite"}, "export_dir": "../out"})");
  const auto config = dsr::load_config(dir.file("etc/dsr.json"));
  BOOST_TEST_REQUIRE(config.ok(), (config.ok() ? "" : config.error()));
  BOOST_TEST(config->directory == dir.file("etc"));
  BOOST_TEST(config->state.sqlite_path == dir.file("etc/state/dsr.sqlite"));
  BOOST_TEST(config->export_dir == dir.file("out"));
  BOOST_TEST(config->key_file == dir.file("etc/dsr.key"));
}

BOOST_AUTO_TEST_CASE(mysql_state) {
  const auto config = dsr::parse_config(
      R"({"state": {"engine": "mysql", "mysql": "db=dsr user=dsr password=pw host=127.0.0.1 port=3306"}})",
      "/etc/dsr/dsr.json");
  BOOST_TEST_REQUIRE(config.ok(), (config.ok() ? "" : config.error()));
  BOOST_TEST((config->state.engine == dsr::StateEngine::mysql));
  BOOST_TEST(config->state.mysql_connection == "db=dsr user=dsr password=pw host=127.0.0.1 port=3306");
  BOOST_TEST(config->state.sqlite_path == "");
}

BOOST_AUTO_TEST_CASE(full_example) {
  const auto config = dsr::parse_config(R"({
      "state": {"engine": "sqlite", "sqlite": "dsr-state.sqlite"},
      "key_file": "dsr.key",
      "export_dir": "exports",
      "regulation": "ccpa",
      "identities": {"phone_default_region": "GB",
                     "custom": [{"name": "crm_id", "pattern": "^[0-9]{1,12}$", "lowercase": false},
                                {"name": "shop_login", "pattern": "^[a-z]+$", "lowercase": true}]},
      "controller": {"name": "Example Marketing GmbH", "contact": "privacy@example.com",
                     "supervisory_authority": "Authority, https://authority.example"}
    })",
                                        "/srv/dsr/dsr.json");
  BOOST_TEST_REQUIRE(config.ok(), (config.ok() ? "" : config.error()));
  BOOST_TEST(config->regulation == "ccpa");
  BOOST_TEST(config->identities.phone_default_region == "GB");
  BOOST_TEST_REQUIRE(config->identities.custom_kinds.size() == 2u);
  BOOST_TEST(config->identities.custom_kinds[0].name == "crm_id");
  BOOST_TEST(config->identities.custom_kinds[0].pattern == "^[0-9]{1,12}$");
  BOOST_TEST(!config->identities.custom_kinds[0].lowercase);
  BOOST_TEST(config->identities.custom_kinds[1].name == "shop_login");
  BOOST_TEST(config->identities.custom_kinds[1].lowercase);
  BOOST_TEST(config->controller.name == "Example Marketing GmbH");
  BOOST_TEST(config->controller.contact == "privacy@example.com");
  BOOST_TEST(config->controller.supervisory_authority == "Authority, https://authority.example");
  BOOST_TEST(config->document->has("controller"));
}

BOOST_AUTO_TEST_CASE(editor_schema_key_is_allowed) {
  const auto config = dsr::parse_config(R"({"$schema": "./config.schema.json"})", "/etc/dsr/dsr.json");
  BOOST_TEST(config.ok(), (config.ok() ? "" : config.error()));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(default_config)

BOOST_AUTO_TEST_CASE(write_then_load_round_trip) {
  TempDir dir;
  const std::string path = dir.file("dsr.json");
  const auto written = dsr::write_default_config(path);
  BOOST_TEST_REQUIRE(written.ok(), written.error());

  struct stat info {};
  BOOST_TEST_REQUIRE(::stat(path.c_str(), &info) == 0);
  BOOST_TEST((info.st_mode & 0777) == 0600u);
  BOOST_TEST(read_file(path) == dsr::default_config_text());
  BOOST_TEST(read_file(path).find("\n  \"state\": {\n") != std::string::npos);  // pretty-printed

  const auto loaded = dsr::load_config(path);
  BOOST_TEST_REQUIRE(loaded.ok(), (loaded.ok() ? "" : loaded.error()));
  const auto defaults = dsr::parse_config("{}", path);
  BOOST_TEST_REQUIRE(defaults.ok());
  BOOST_TEST(loaded->path == path);
  BOOST_TEST((loaded->state.engine == dsr::StateEngine::sqlite));
  BOOST_TEST(loaded->state.sqlite_path == defaults->state.sqlite_path);
  BOOST_TEST(loaded->key_file == defaults->key_file);
  BOOST_TEST(loaded->export_dir == defaults->export_dir);
  BOOST_TEST(loaded->regulation == defaults->regulation);
  BOOST_TEST(loaded->identities.phone_default_region == defaults->identities.phone_default_region);
  BOOST_TEST(loaded->identities.custom_kinds.empty());
  BOOST_TEST(loaded->controller.name.find("Example") != std::string::npos);
  BOOST_TEST(!loaded->controller.contact.empty());
  BOOST_TEST(loaded->controller.supervisory_authority.find("Example") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(refuses_an_existing_file) {
  TempDir dir;
  dir.write("dsr.json", "{\"regulation\": \"ccpa\"}");
  const auto written = dsr::write_default_config(dir.file("dsr.json"));
  BOOST_TEST_REQUIRE(!written.ok());
  BOOST_TEST(written.error() == dir.file("dsr.json") + ": already exists; not overwriting it");
  BOOST_TEST(read_file(dir.file("dsr.json")) == "{\"regulation\": \"ccpa\"}");
}

BOOST_AUTO_TEST_CASE(reports_a_missing_folder) {
  TempDir dir;
  const auto written = dsr::write_default_config(dir.file("no/such/dir/dsr.json"));
  BOOST_TEST_REQUIRE(!written.ok());
  BOOST_TEST(written.error() == dir.file("no/such/dir/dsr.json") + ": cannot create: No such file or directory");
}

BOOST_AUTO_TEST_SUITE_END()

// The helper behind the messages above, on schema features dsr.json does not use.
BOOST_AUTO_TEST_SUITE(json_schema)

std::vector<SchemaViolation> check(const std::string& schema_text, const std::string& document_text) {
  auto schema = dsr::JsonSchema::from_text(schema_text, "test.schema.json");
  BOOST_TEST_REQUIRE(schema.ok(), (schema.ok() ? "" : schema.error()));
  auto document = dsr::parse_json_text(document_text, "doc.json");
  BOOST_TEST_REQUIRE(document.ok(), (document.ok() ? "" : document.error()));
  return schema->validate(*document);
}

std::string lines(const std::vector<SchemaViolation>& violations) { return dsr::format_violations("doc", violations); }

BOOST_AUTO_TEST_CASE(every_embedded_schema_compiles) {
  const auto names = dsr::embedded_schema_names();
  BOOST_TEST_REQUIRE(!names.empty());
  for (const auto name : names) {
    BOOST_TEST_CONTEXT(name) {
      const auto schema = dsr::JsonSchema::from_text(*dsr::embedded_schema(name), std::string(name));
      BOOST_TEST(schema.ok(), (schema.ok() ? "" : schema.error()));
      // The start-up path skips these checks because this test makes them.
      const auto embedded = dsr::JsonSchema::from_embedded_text(*dsr::embedded_schema(name), std::string(name));
      BOOST_TEST(embedded.ok(), (embedded.ok() ? "" : embedded.error()));
    }
  }
  BOOST_TEST(dsr::embedded_schema("config.schema.json").has_value());
  BOOST_TEST(!dsr::embedded_schema("no-such.schema.json").has_value());
}

// from_embedded_text compiles from RapidJSON and reads the schema with Poco only when a
// document fails; the messages must be the ones from_text gives.
BOOST_AUTO_TEST_CASE(embedded_schema_gives_the_same_messages) {
  const std::string schema_text = R"({
    "type": "object", "additionalProperties": false, "required": ["name"],
    "properties": {
      "name": {"$ref": "#/definitions/name"},
      "kind": {"enum": ["sqlite", "mysql"]},
      "size": {"type": "integer", "minimum": 1, "maximum": 10},
      "tags": {"type": "array", "items": {"type": "string", "minLength": 2}, "uniqueItems": true},
      "mode": {"oneOf": [{"const": "a"}, {"type": "object", "required": ["b"]}]}
    },
    "definitions": {"name": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,7}$"}}
  })";
  const auto from_text = dsr::JsonSchema::from_text(schema_text, "s.json");
  const auto embedded = dsr::JsonSchema::from_embedded_text(schema_text, "s.json");
  BOOST_TEST_REQUIRE(from_text.ok());
  BOOST_TEST_REQUIRE(embedded.ok());
  const std::vector<std::string> documents = {
      R"({"name": "Bad Name", "kind": "oracle", "size": 11, "tags": ["x", "ab", "ab"], "mode": {}, "extra": 1})",
      R"({"kind": 3, "size": 1.5})",
      R"({"name": "ok", "mode": "a"})",
  };
  // Several threads reach the first failure at once: the schema text is parsed once.
  std::vector<std::string> first(documents.size()), second(documents.size());
  std::thread other([&] {
    for (std::size_t i = 0; i < documents.size(); ++i) second[i] = lines(embedded->validate(*dsr::parse_json_text(documents[i], "d")));
  });
  for (std::size_t i = 0; i < documents.size(); ++i) first[i] = lines(embedded->validate(*dsr::parse_json_text(documents[i], "d")));
  other.join();
  for (std::size_t i = 0; i < documents.size(); ++i) {
    const std::string expected = lines(from_text->validate(*dsr::parse_json_text(documents[i], "d")));
    BOOST_TEST(first[i] == expected);
    BOOST_TEST(second[i] == expected);
  }
  BOOST_TEST(first[0] ==
             "doc: /: unknown key 'extra'\n"
             "doc: /kind: expected one of: sqlite, mysql\n"
             "doc: /mode: expected \"a\"\n"
             "doc: /mode: missing required key 'b'\n"
             "doc: /name: does not match the pattern ^[a-z][a-z0-9_]{0,7}$\n"
             "doc: /size: expected at most 10\n"
             "doc: /tags: duplicate items: indexes #1 and #2\n"
             "doc: /tags/0: expected at least 2 characters");
  BOOST_TEST(first[2] == "");
}

// The schema is the reference for the keys of dsr.json, so none may go undescribed.
void require_descriptions(const Poco::JSON::Object::Ptr& node, const Poco::JSON::Object::Ptr& root,
                          const std::string& where) {
  if (!node) return;
  if (auto properties = node->getObject("properties")) {
    for (const auto& [key, value] : *properties) {
      auto property = properties->getObject(key);
      BOOST_TEST_REQUIRE(!property.isNull(), where + "/" + key);
      auto described = property;
      if (property->has("$ref")) {
        const std::string ref = property->getValue<std::string>("$ref");
        described = root->getObject("definitions")->getObject(ref.substr(ref.rfind('/') + 1));
      }
      BOOST_TEST(described->has("description"), where + "/properties/" + key + " has no description");
      require_descriptions(property, root, where + "/properties/" + key);
    }
  }
  if (auto definitions = node->getObject("definitions")) {
    for (const auto& [key, value] : *definitions) {
      require_descriptions(definitions->getObject(key), root, where + "/definitions/" + key);
    }
  }
  require_descriptions(node->getObject("items"), root, where + "/items");
}

BOOST_AUTO_TEST_CASE(every_config_key_is_described) {
  const auto parsed = dsr::parse_json_text(*dsr::embedded_schema("config.schema.json"), "config.schema.json");
  BOOST_TEST_REQUIRE(parsed.ok());
  const auto root = parsed->extract<Poco::JSON::Object::Ptr>();
  require_descriptions(root, root, "");
}

BOOST_AUTO_TEST_CASE(one_of_types_are_merged) {
  const auto found = check(R"({"properties": {"v": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}})",
                           R"({"v": true})");
  BOOST_TEST(lines(found) == "doc: /v: expected a string or an integer");
}

BOOST_AUTO_TEST_CASE(defs_references_and_pointer_escaping) {
  const auto found = check(R"({"$defs": {"name": {"type": "string"}},
                               "properties": {"a/b": {"$ref": "#/$defs/name"}, "c~d": {"$ref": "#/$defs/name"}}})",
                           R"({"a/b": 1, "c~d": 2})");
  BOOST_TEST(lines(found) == "doc: /a~1b: expected a string\ndoc: /c~0d: expected a string");
}

BOOST_AUTO_TEST_CASE(array_indexes_in_numeric_order) {
  const auto found = check(R"({"type": "array", "items": {"type": "integer"}})",
                           R"([0, 1, "two", 3, 4, 5, 6, 7, 8, 9, "ten"])");
  BOOST_TEST(lines(found) == "doc: /2: expected an integer\ndoc: /10: expected an integer");
}

BOOST_AUTO_TEST_CASE(additional_properties_schema_and_lengths) {
  const auto found = check(
      R"({"type": "object", "additionalProperties": {"type": "array", "minItems": 2, "items": {"type": "string", "maxLength": 3}}})",
      R"({"x": ["a"], "y": ["abcd", "b"]})");
  BOOST_TEST(lines(found) == "doc: /x: expected at least 2 items\ndoc: /y/0: expected at most 3 characters");
}

BOOST_AUTO_TEST_CASE(numbers_const_and_uniqueness) {
  const auto found = check(R"({"properties": {"n": {"type": "integer", "minimum": 1, "maximum": 9},
                                               "k": {"const": "v1"},
                                               "u": {"uniqueItems": true}}})",
                           R"({"n": 12, "k": "v2", "u": [1, 1]})");
  BOOST_TEST(lines(found) ==
             "doc: /k: expected \"v1\"\n"
             "doc: /n: expected at most 9\n"
             "doc: /u: duplicate items: indexes #0 and #1");
}

BOOST_AUTO_TEST_CASE(valid_document_has_no_violations) {
  BOOST_TEST(check(R"({"type": "object", "required": ["a"]})", R"({"a": null})").empty());
}

BOOST_AUTO_TEST_CASE(bad_schemas_are_errors_not_aborts) {
  const auto bad_regex = dsr::JsonSchema::from_text(R"({"properties": {"a": {"pattern": "("}}})", "bad.json");
  BOOST_TEST_REQUIRE(!bad_regex.ok());
  BOOST_TEST(bad_regex.error().rfind("bad.json: /properties/a/pattern: invalid regular expression", 0) == 0u,
             bad_regex.error());

  const auto remote = dsr::JsonSchema::from_text(R"({"$ref": "https://example.com/other.json"})", "remote.json");
  BOOST_TEST_REQUIRE(!remote.ok());
  BOOST_TEST(remote.error().rfind("remote.json: invalid schema: ", 0) == 0u, remote.error());

  const auto not_object = dsr::JsonSchema::from_text("[]", "array.json");
  BOOST_TEST_REQUIRE(!not_object.ok());
  BOOST_TEST(not_object.error() == "array.json: a schema must be a JSON object");
}

BOOST_AUTO_TEST_CASE(parse_scalars_bom_and_limits) {
  auto text = dsr::parse_json_text(" \"hi\" ", "t");
  BOOST_TEST_REQUIRE(text.ok());
  BOOST_TEST(text->extract<std::string>() == "hi");
  auto number = dsr::parse_json_text("12", "t");
  BOOST_TEST_REQUIRE(number.ok());
  BOOST_TEST(number->convert<int>() == 12);
  auto bom = dsr::parse_json_text("\xEF\xBB\xBF{\"a\": 1}", "t");
  BOOST_TEST(bom.ok());

  auto bad_utf8 = dsr::parse_json_text("{\"a\": \"\xff\"}", "t");
  BOOST_TEST_REQUIRE(!bad_utf8.ok());
  BOOST_TEST(bad_utf8.error() == "t: invalid JSON: line 1, column 8: the text is not valid UTF-8 (byte 0xff)");

  auto control = dsr::parse_json_text("[\"a\tb\"]", "t");
  BOOST_TEST_REQUIRE(!control.ok());
  BOOST_TEST(control.error() ==
             "t: invalid JSON: line 1, column 4: control character '\\x09' in a string (write it as an escape such as \\n)");

  auto escaped_duplicate = dsr::parse_json_text(R"({"a": 1, "\u0061": 2})", "t");
  BOOST_TEST_REQUIRE(!escaped_duplicate.ok());
  BOOST_TEST(escaped_duplicate.error() == "t: invalid JSON: line 1, column 10: duplicate key 'a'");

  auto deep = dsr::parse_json_text(std::string(300, '[') + std::string(300, ']'), "t");
  BOOST_TEST_REQUIRE(!deep.ok());
  BOOST_TEST(deep.error() == "t: invalid JSON: line 1, column 201: nested more than 200 levels deep");

  auto leading_zero = dsr::parse_json_text("[01]", "t");
  BOOST_TEST_REQUIRE(!leading_zero.ok());
  BOOST_TEST(leading_zero.error() == "t: invalid JSON: line 1, column 3: numbers must not have leading zeros");

  auto missing = dsr::parse_json_file("/nonexistent/dsr-test/x.json");
  BOOST_TEST_REQUIRE(!missing.ok());
  BOOST_TEST(missing.error() == "/nonexistent/dsr-test/x.json: cannot read: No such file or directory");
}

BOOST_AUTO_TEST_CASE(display_pointer_shows_the_root_as_slash) {
  BOOST_TEST(dsr::display_pointer("") == "/");
  BOOST_TEST(dsr::display_pointer("/a/0") == "/a/0");
  BOOST_TEST(dsr::display_pointer("/a\nb") == "/a\\x0ab");
}

BOOST_AUTO_TEST_SUITE_END()
