// Golden export scenarios: every file in tests/golden/scenarios/ becomes one test
// case that builds the scenario's stores on the engine under test (DSR_TEST_ENGINE),
// drives the built `dsr` through init, submit, approve and run (or batch), and
// compares the ZIP it writes with the scenario's expectations: the exact rows of
// every data/<dataset>/<collection>.json, no other person's values in any entry,
// a manifest whose hashes match, and the Art. 15 information in index.html.

#include <boost/test/unit_test.hpp>

#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/SHA2Engine.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "dsr/state/database.h"
#include "tests/golden/scenario.h"
#include "tests/golden/zip_reader.h"
#include "tests/support/json_file_reader.h"
#include "tests/support/run_dsr.h"
#include "tests/support/test_store.h"
#include "tests/support/value_search.h"

namespace fs = std::filesystem;
using namespace dsr;
using test::contains_value;
using golden::Scenario;
using golden::ScenarioRequest;
using Poco::JSON::Array;
using Poco::JSON::Object;

namespace {

const std::string kControllerName = "Golden Test Controller GmbH";
const std::string kControllerContact = "privacy@golden-controller.example";
const std::string kSupervisoryAuthority = "Golden State Commissioner for Data Protection, https://dpa.golden.example";

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

std::string sha256_hex(const std::string& bytes) {
  Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
  engine.update(bytes.data(), static_cast<unsigned>(bytes.size()));
  return Poco::DigestEngine::digestToHex(engine.digest());
}

// Decodes the character references an HTML writer may use, so that text is found
// however it was escaped.
std::string html_unescape(const std::string& html) {
  static const std::map<std::string, std::string> named = {
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}};
  std::string out;
  for (std::size_t i = 0; i < html.size(); ++i) {
    if (html[i] == '&') {
      const auto semicolon = html.find(';', i);
      if (semicolon != std::string::npos && semicolon - i <= 10) {
        const std::string name = html.substr(i + 1, semicolon - i - 1);
        std::string replacement;
        if (!name.empty() && name[0] == '#') {
          try {
            const unsigned long code = (name.size() > 1 && (name[1] == 'x' || name[1] == 'X'))
                                           ? std::stoul(name.substr(2), nullptr, 16)
                                           : std::stoul(name.substr(1));
            if (code < 0x80) replacement = std::string(1, static_cast<char>(code));
          } catch (const std::exception&) {
            // Not a number: kept as written.
          }
        } else if (auto it = named.find(name); it != named.end()) {
          replacement = it->second;
        }
        if (!replacement.empty()) {
          out += replacement;
          i = semicolon;
          continue;
        }
      }
    }
    out += html[i];
  }
  return out;
}

// JSON writers may escape '/' and non-control ASCII as \uXXXX.
std::string json_unescape(const std::string& json) {
  std::string out;
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] == '\\' && i + 1 < json.size()) {
      const char next = json[i + 1];
      if (next == 'u' && i + 5 < json.size()) {
        try {
          const unsigned long code = std::stoul(json.substr(i + 2, 4), nullptr, 16);
          if (code < 0x80) {
            out += static_cast<char>(code);
            i += 5;
            continue;
          }
        } catch (const std::exception&) {
          // Not an escape: kept as written.
        }
      } else if (next == '"' || next == '\\' || next == '/') {
        out += next;
        ++i;
        continue;
      }
    }
    out += json[i];
  }
  return out;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// Which form of an entry shows the foreign value, or "" when none does.
std::string foreign_form_found(const std::string& entry, const std::string& value) {
  const std::string needle = lower(value);
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"raw", entry},
      {"HTML-decoded", html_unescape(entry)},
      {"JSON-decoded", json_unescape(entry)},
      {"CSV-decoded", replace_all(entry, "\"\"", "\"")},
  };
  for (const auto& [name, text] : forms) {
    if (contains_value(lower(text), needle)) return name;
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string mysql_password(const StoreConnection& connection) {
  std::smatch match;
  if (std::regex_search(connection.mysql_connection, match, std::regex("password=([^ ]+)"))) return match[1];
  return "";
}

// One scenario's installation: fixture stores on the engine under test, its
// mappings, dsr.json, and a state store that is always a SQLite file in the folder.
class Installation {
 public:
  explicit Installation(const Scenario& scenario) : scenario_(scenario) {
    const fs::path folder = store_.folder();
    config_ = (folder / "dsr.json").string();
    export_dir_ = (folder / "exports").string();
    for (const auto& fixture : scenario.stores) {
      if (!fixture.unreachable) execute(fixture, fixture.setup);
    }
    for (const auto& mapping : scenario.mappings) {
      std::ofstream(folder / mapping.file) << mapping.text;
    }
    std::ofstream(config_) << config_text();
  }

  test::DsrRun dsr(std::vector<std::string> args, const std::string& input = "") const {
    args.insert(args.begin(), {"--config", config_});
    return test::run_dsr(args, input);
  }

  void before_run() {
    for (const auto& fixture : scenario_.stores) {
      if (!fixture.unreachable) execute(fixture, fixture.before_run);
    }
  }

  const std::string& export_dir() const { return export_dir_; }
  std::string zip_path(const std::string& id) const { return (fs::path(export_dir_) / (id + ".zip")).string(); }

  // Everything in the export folder whose name holds the request id: the ZIP, or a
  // temporary directory a failed run left behind.
  std::vector<std::string> export_entries_of(const std::string& id) const {
    std::vector<std::string> names;
    if (!fs::is_directory(export_dir_)) return names;
    for (const auto& entry : fs::directory_iterator(export_dir_)) {
      const std::string name = entry.path().filename().string();
      if (id.empty() || contains(name, id)) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  // The MariaDB password, which must not appear in what dsr prints or records.
  std::string secret() const {
    return store_.engine() == StoreEngine::mysql ? mysql_password(store_.connection()) : "";
  }

 private:
  StoreConnection fixture_connection(const golden::FixtureStore& fixture) const {
    if (store_.engine() == StoreEngine::mysql) return store_.connection();
    return {StoreEngine::sqlite, (fs::path(store_.folder()) / (fixture.connector + ".sqlite")).string(), ""};
  }

  void execute(const golden::FixtureStore& fixture, const std::vector<std::string>& statements) {
    if (statements.empty()) return;
    auto db = Database::open(fixture_connection(fixture));
    if (!db) throw std::runtime_error(scenario_.name + ": fixture " + fixture.connector + ": " + db.error());
    // Database::open sets WAL for dsr's own state; a fixture is an ordinary database file.
    if ((*db)->engine() == StoreEngine::sqlite) (*db)->session() << "PRAGMA journal_mode = DELETE";
    for (const auto& statement : statements) {
      try {
        (*db)->session() << statement;
      } catch (const std::exception& e) {
        throw std::runtime_error(scenario_.name + ": fixture " + fixture.connector + ": " + statement + ": " + e.what());
      }
    }
  }

  std::string connector_json(const golden::FixtureStore& fixture) const {
    std::string out = "    {\"name\": " + test::json_string(fixture.connector) + ", ";
    if (store_.engine() == StoreEngine::sqlite) {
      const std::string path = fixture.unreachable ? "missing/" + fixture.connector + ".sqlite" : fixture.connector + ".sqlite";
      return out + "\"kind\": \"sqlite\", \"path\": " + test::json_string(path) + "}";
    }
    std::string connection = store_.connection().mysql_connection;
    if (fixture.unreachable) {
      // Port 1 on loopback: nothing listens there, so the connection is refused at once.
      connection = std::regex_replace(connection, std::regex("port=[0-9]+"), "port=1");
      if (!contains(connection, "port=1")) connection += " port=1";
    }
    return out + "\"kind\": \"mysql\", \"connection\": " + test::json_string(connection) + "}";
  }

  std::string config_text() const {
    std::string text = "{\n  \"state\": {\"engine\": \"sqlite\", \"sqlite\": \"dsr-state.sqlite\"},\n";
    text += "  \"export_dir\": \"exports\",\n";
    text += "  \"controller\": {\"name\": " + test::json_string(kControllerName) +
            ", \"contact\": " + test::json_string(kControllerContact) +
            ", \"supervisory_authority\": " + test::json_string(kSupervisoryAuthority) + "},\n";
    text += "  \"connectors\": [\n";
    for (std::size_t i = 0; i < scenario_.stores.size(); ++i) {
      text += connector_json(scenario_.stores[i]) + (i + 1 < scenario_.stores.size() ? ",\n" : "\n");
    }
    text += "  ],\n  \"mappings\": [";
    for (std::size_t i = 0; i < scenario_.mappings.size(); ++i) {
      text += (i ? ", " : "") + test::json_string(scenario_.mappings[i].file);
    }
    return text + "]\n}\n";
  }

  const Scenario& scenario_;
  test::TestStore store_;
  std::string config_;
  std::string export_dir_;
};

std::string describe(const test::DsrRun& run) {
  return "exit " + std::to_string(run.code) + "\nstdout: " + run.out + "\nstderr: " + run.err;
}

// What a completed export must hold, beyond its data rows.
void check_manifest(const std::map<std::string, std::string>& entries, const std::string& id,
                    const ScenarioRequest& request) {
  const auto manifest_entry = entries.find("manifest.json");
  BOOST_TEST_REQUIRE((manifest_entry != entries.end()), "manifest.json is missing");
  Object::Ptr manifest;
  try {
    manifest = golden::parse_json(manifest_entry->second).extract<Object::Ptr>();
  } catch (const std::exception& e) {
    BOOST_FAIL("manifest.json does not parse: " << e.what());
  }
  BOOST_TEST(manifest->optValue<std::string>("request_id", "") == id);
  BOOST_TEST(manifest->optValue<std::string>("request_type", "") == request.type);
  const Array::Ptr files = manifest->getArray("files");
  BOOST_TEST_REQUIRE(files, "manifest.json has no \"files\" array");

  std::set<std::string> listed;
  for (std::size_t i = 0; i < files->size(); ++i) {
    const Object::Ptr file = files->getObject(static_cast<unsigned>(i));
    BOOST_TEST_REQUIRE(file, "manifest.json: files/" << i << " is not an object");
    const std::string path = file->optValue<std::string>("path", "");
    BOOST_TEST_CONTEXT("manifest entry " << path) {
      BOOST_TEST(listed.insert(path).second, "listed twice");
      const auto entry = entries.find(path);
      BOOST_TEST_REQUIRE((entry != entries.end()), "listed in manifest.json but not in the ZIP");
      BOOST_TEST(file->optValue<std::string>("sha256", "") == sha256_hex(entry->second));
      BOOST_TEST(file->optValue<Poco::UInt64>("size", 0) == entry->second.size());
      if (path.rfind("data/", 0) == 0) {
        const std::string stem = path.substr(0, path.rfind('.'));
        const auto json = entries.find(stem + ".json");
        if (json != entries.end()) {
          std::size_t rows = 0;
          try {
            rows = golden::parse_json(json->second).extract<Array::Ptr>()->size();
          } catch (const std::exception&) {
            // Reported where the rows are compared.
          }
          BOOST_TEST(file->optValue<Poco::UInt64>("rows", rows + 1) == rows, "rows differ from the JSON array's length");
        }
      } else {
        BOOST_TEST(!file->has("rows"));
      }
    }
  }
  for (const auto& [name, bytes] : entries) {
    if (name != "manifest.json") BOOST_TEST(listed.count(name) == 1u, name << " is in the ZIP but not in manifest.json");
  }
}

// Art. 15(1): purposes (and what else the mapping states) for every exported dataset,
// the controller, and the supervisory authority one may complain to.
void check_index(const std::map<std::string, std::string>& entries, const Scenario& scenario,
                 const std::set<std::string>& datasets) {
  const auto index = entries.find("index.html");
  BOOST_TEST_REQUIRE((index != entries.end()), "index.html is missing");
  const std::string text = html_unescape(index->second);
  BOOST_TEST(contains(text, kSupervisoryAuthority), "index.html does not name the supervisory authority");
  BOOST_TEST(contains(text, kControllerName), "index.html does not name the controller");
  BOOST_TEST(contains(text, kControllerContact), "index.html does not give the controller's contact");
  for (const auto& mapping : scenario.mappings) {
    if (!mapping.document || !datasets.count(mapping.document->optValue<std::string>("dataset", ""))) continue;
    BOOST_TEST_CONTEXT("index.html, dataset " << mapping.document->getValue<std::string>("dataset")) {
      for (const char* key : {"purposes", "recipients"}) {
        const Array::Ptr values = mapping.document->getArray(key);
        for (std::size_t i = 0; values && i < values->size(); ++i) {
          const std::string value = values->getElement<std::string>(static_cast<unsigned>(i));
          BOOST_TEST(contains(text, value), key << " \"" << value << "\" is not stated");
        }
      }
      for (const char* key : {"retention", "source"}) {
        const std::string value = mapping.document->optValue<std::string>(key, "");
        if (!value.empty()) BOOST_TEST(contains(text, value), key << " \"" << value << "\" is not stated");
      }
    }
  }
}

void check_export(const Installation& installation, const Scenario& scenario, const ScenarioRequest& request,
                  const std::string& id) {
  const std::string zip = installation.zip_path(id);
  BOOST_TEST_REQUIRE(fs::exists(zip), "no export at " << zip);
  const std::vector<std::string> leftovers = installation.export_entries_of(id);
  BOOST_TEST((leftovers == std::vector<std::string>{id + ".zip"}), "export folder holds more than the ZIP");

  std::map<std::string, std::string> entries;
  for (auto& [name, bytes] : golden::read_zip(zip)) {
    BOOST_TEST(entries.emplace(name, std::move(bytes)).second, name << " is in the ZIP twice");
  }

  // The collections exported are exactly those expected: portability leaves some out.
  std::set<std::string> actual_collections, expected_collections, datasets;
  for (const auto& [name, bytes] : entries) {
    static const std::regex data_file("data/([^/]+)/([^/]+)\\.(json|csv|html)");
    std::smatch match;
    if (std::regex_match(name, match, data_file)) {
      actual_collections.insert(match[1].str() + "/" + match[2].str());
      datasets.insert(match[1].str());
    } else {
      BOOST_TEST((name == "index.html" || name == "manifest.json"), "unexpected entry " << name);
    }
  }
  for (const auto& expected : request.expect.data) expected_collections.insert(expected.key);
  for (const auto& key : expected_collections) {
    BOOST_TEST(actual_collections.count(key) == 1u, "data/" << key << ".json is missing");
  }
  for (const auto& key : actual_collections) {
    BOOST_TEST(expected_collections.count(key) == 1u, "data/" << key << " is exported but not expected");
    for (const char* extension : {".json", ".csv", ".html"}) {
      BOOST_TEST(entries.count("data/" + key + extension) == 1u, "data/" << key << extension << " is missing");
    }
  }

  for (const auto& expected : request.expect.data) {
    const auto entry = entries.find("data/" + expected.key + ".json");
    if (entry == entries.end()) continue;
    BOOST_TEST_CONTEXT("data/" << expected.key << ".json") {
      Poco::Dynamic::Var actual;
      try {
        actual = golden::parse_json(entry->second);
      } catch (const std::exception& e) {
        BOOST_ERROR("does not parse: " << e.what() << "\n" << entry->second);
        continue;
      }
      const std::string want = golden::canonical_json(expected.rows, false);
      const std::string got = golden::canonical_json(actual, false);
      BOOST_TEST(got == want, "rows differ\nexpected:\n" << want << "\nactual:\n" << got);
      if (got == want) {
        const std::string want_ordered = golden::canonical_json(expected.rows, true);
        const std::string got_ordered = golden::canonical_json(actual, true);
        BOOST_TEST(got_ordered == want_ordered,
                   "keys are not in mapping order\nexpected:\n" << want_ordered << "\nactual:\n" << got_ordered);
      }
    }
  }

  // Stored text that looks like markup must reach the HTML pages escaped.
  std::vector<std::string> markup;
  std::function<void(const Poco::Dynamic::Var&)> collect = [&](const Poco::Dynamic::Var& value) {
    if (value.type() == typeid(Array::Ptr)) {
      for (const auto& element : *value.extract<Array::Ptr>()) collect(element);
    } else if (value.type() == typeid(Object::Ptr)) {
      for (const auto& [key, member] : *value.extract<Object::Ptr>()) collect(member);
    } else if (value.isString() && contains(value.extract<std::string>(), "<")) {
      markup.push_back(value.extract<std::string>());
    }
  };
  for (const auto& expected : request.expect.data) collect(expected.rows);
  for (const auto& [name, bytes] : entries) {
    if (name.size() < 5 || name.compare(name.size() - 5, 5, ".html") != 0) continue;
    for (const auto& value : markup) BOOST_TEST(!contains(bytes, value), name << " holds unescaped markup: " << value);
  }

  std::vector<std::string> foreign = scenario.foreign;
  foreign.insert(foreign.end(), request.expect.foreign.begin(), request.expect.foreign.end());
  for (const auto& [name, bytes] : entries) {
    for (const auto& value : foreign) {
      const std::string form = foreign_form_found(bytes, value);
      BOOST_TEST(form.empty(), name << " shows another person's value \"" << value << "\" (" << form << ")");
    }
  }

  check_manifest(entries, id, request);
  if (request.type == "access") check_index(entries, scenario, datasets);
}

// The run's audit entries: from the change to running to the change that ended the run
// (to `final_status`) only run.step entries, one per discovery step, which count rows and
// values and name collections, never a value. A completed run has at least one step.
void check_run_audit(const Installation& installation, const std::string& id, const std::string& final_status) {
  const test::DsrRun exported = installation.dsr({"audit", "export"});
  BOOST_TEST_REQUIRE(exported.code == 0, "audit export: " << describe(exported));
  std::vector<Object::Ptr> entries;
  std::istringstream lines(exported.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    const Object::Ptr entry = golden::parse_json(line).extract<Object::Ptr>();
    if (entry->optValue<std::string>("request_id", "") == id) entries.push_back(entry);
  }
  const auto status_to = [](const Object::Ptr& entry) {
    if (entry->optValue<std::string>("action", "") != "request.status") return std::string();
    const Object::Ptr detail = entry->getObject("detail");
    return detail ? detail->optValue<std::string>("to", "") : std::string();
  };
  std::size_t running = entries.size(), ended = entries.size();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (status_to(entries[i]) == "running") running = i;
    if (status_to(entries[i]) == final_status) ended = i;
  }
  BOOST_TEST_REQUIRE(running < entries.size(), "no change to running in the audit trail");
  BOOST_TEST_REQUIRE(ended < entries.size(), "no change to " << final_status << " in the audit trail");
  BOOST_TEST_REQUIRE(running < ended);
  std::size_t steps = 0;
  for (std::size_t i = running + 1; i < ended; ++i) {
    BOOST_TEST(entries[i]->optValue<std::string>("action", "") == "run.step",
               "between running and " << final_status << ": " << entries[i]->optValue<std::string>("action", ""));
    const Object::Ptr detail = entries[i]->getObject("detail");
    BOOST_TEST_REQUIRE(detail);
    BOOST_TEST(detail->has("rows"));
    BOOST_TEST(detail->optValue<long long>("values", 0) >= 1);
    BOOST_TEST(!detail->optValue<std::string>("collection", "").empty());
    ++steps;
  }
  if (final_status == "completed") BOOST_TEST(steps >= 1u, "a completed run audited no step");
}

// `run` reports a failure on stderr; `batch` may summarise each request on stdout.
void check_failure(const Installation& installation, const ScenarioRequest& request, const std::string& id,
                   const std::string& reason, const test::DsrRun& run, bool batch) {
  const std::string printed = batch ? run.out + run.err : run.err;
  for (const auto& message : request.expect.messages) {
    BOOST_TEST(contains(printed, message), "output does not name \"" << message << "\": " << printed);
    BOOST_TEST(contains(reason, message), "status reason does not name \"" << message << "\": " << reason);
  }
  const std::string secret = installation.secret();
  if (!secret.empty()) {
    BOOST_TEST(!contains(run.err + run.out, secret), "the store password is printed");
    BOOST_TEST(!contains(reason, secret), "the store password is in the status reason");
  }
  const std::vector<std::string> left = installation.export_entries_of(id);
  BOOST_TEST(left.empty(), "a failed request left " << (left.empty() ? "" : left.front()) << " in the export folder");
}

// A configuration refused before any request ran: the refusal names what is wrong
// and nothing was exported.
void check_refusal(const Installation& installation, const Scenario& scenario, const ScenarioRequest& request,
                   const std::string& step, const test::DsrRun& run) {
  BOOST_TEST_MESSAGE(scenario.name << ": refused at `" << step << "`: " << run.err);
  BOOST_TEST(run.code == request.expect.exit, step << ": " << describe(run));
  for (const auto& message : request.expect.messages) {
    BOOST_TEST(contains(run.err, message), step << ": stderr does not name \"" << message << "\": " << run.err);
  }
  const std::vector<std::string> left = installation.export_entries_of("");
  BOOST_TEST(left.empty(), "the export folder is not empty: " << (left.empty() ? "" : left.front()));
}

void run_scenario(const std::string& file) {
  const Scenario scenario = golden::load_scenario(file);
  BOOST_TEST_MESSAGE(scenario.name << " on " << test::engine_name() << ": " << scenario.description);
  Installation installation(scenario);

  // Commands before the run; a broken configuration may already be refused here.
  auto setup = [&](const std::string& step, const std::vector<std::string>& args, const std::string& input,
                   const ScenarioRequest& request, test::DsrRun& run) {
    run = installation.dsr(args, input);
    if (run.code == 0) return true;
    BOOST_TEST_REQUIRE(scenario.setup_may_fail, step << " failed: " << describe(run));
    check_refusal(installation, scenario, request, step, run);
    return false;
  };

  test::DsrRun run;
  if (!setup("init", {"init"}, "", scenario.requests.front(), run)) return;
  if (!setup("officer add", {"officer", "add", "olga", "--role", "officer"}, "a long enough password\n",
             scenario.requests.front(), run)) {
    return;
  }

  std::vector<std::string> ids;
  for (const auto& request : scenario.requests) {
    std::vector<std::string> args = {"submit", "--type", request.type, "--verified"};
    for (const auto& identity : request.identities) {
      args.push_back("--identity");
      args.push_back(identity);
    }
    if (!setup("submit", args, "", request, run)) return;
    const std::string id = test::trimmed(run.out);
    BOOST_TEST_REQUIRE(id.size() == 36u, "submit printed no request id: " << run.out);
    if (!setup("approve", {"approve", id, "--officer", "olga"}, "", request, run)) return;
    ids.push_back(id);
  }

  installation.before_run();

  std::vector<test::DsrRun> runs;
  if (scenario.batch) {
    const test::DsrRun batch = installation.dsr({"batch"});
    const bool any_fails = std::any_of(scenario.requests.begin(), scenario.requests.end(),
                                       [](const ScenarioRequest& r) { return r.expect.exit != 0; });
    BOOST_TEST(batch.code == (any_fails ? 1 : 0), "batch: " << describe(batch));
    runs.assign(ids.size(), batch);
  } else {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      runs.push_back(installation.dsr({"run", ids[i]}));
      BOOST_TEST(runs.back().code == scenario.requests[i].expect.exit, "run " << ids[i] << ": " << describe(runs.back()));
    }
  }

  for (std::size_t i = 0; i < ids.size(); ++i) {
    const ScenarioRequest& request = scenario.requests[i];
    BOOST_TEST_CONTEXT("request " << i << " (" << request.type << ", " << ids[i] << ")") {
      const test::DsrRun shown = installation.dsr({"--json", "show", ids[i]});
      BOOST_TEST_REQUIRE(shown.code == 0, "show: " << describe(shown));
      const Object::Ptr view = golden::parse_json(shown.out).extract<Object::Ptr>();
      const std::string status = view->optValue<std::string>("status", "");
      BOOST_TEST(status == request.expect.status, "status " << status << ": " << shown.out << "\n" << describe(runs[i]));
      if (request.expect.status == "completed") {
        if (status == "completed") {
          check_export(installation, scenario, request, ids[i]);
          check_run_audit(installation, ids[i], "completed");
        }
      } else {
        check_failure(installation, request, ids[i], view->optValue<std::string>("status_reason", ""), runs[i],
                      scenario.batch);
        if (status == "failed") check_run_audit(installation, ids[i], "failed");
      }
    }
  }
}

bool register_scenarios() {
  auto& master = boost::unit_test::framework::master_test_suite();
  master.p_name.value = "golden export scenarios (" + test::engine_name() + ")";
  for (const auto& file : test::json_files_in(DSR_GOLDEN_SCENARIOS)) {
    const std::string name = fs::path(file).stem().string();
    master.add(boost::unit_test::make_test_case([file] { run_scenario(file); }, name, __FILE__, __LINE__));
  }
  return true;
}

}  // namespace

int main(int argc, char* argv[]) { return boost::unit_test::unit_test_main(&register_scenarios, argc, argv); }
