#include "tests/golden/scenario.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "tests/support/json_file_reader.h"

namespace dsr::golden {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string stringify(const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out, 2);
  out << "\n";
  return out.str();
}

Expectation read_expectation(const test::JsonFileReader& reader, const Object::Ptr& object,
                             const std::string& where) {
  reader.only_keys(object, {"exit", "status", "data", "messages", "foreign"}, where);
  Expectation expect;
  if (object->has("exit")) {
    const Poco::Dynamic::Var exit = object->get("exit");
    if (!exit.isInteger()) reader.fail(where + "/exit", "expected an integer");
    expect.exit = exit.convert<int>();
  }
  expect.status = reader.string(object, "status", where, false, expect.exit == 0 ? "completed" : "failed");
  if (object->has("data")) {
    const Object::Ptr data = reader.object(object->get("data"), where + "/data");
    for (const auto& key : data->getNames()) {
      const Poco::Dynamic::Var rows = data->get(key);
      if (rows.type() != typeid(Array::Ptr)) reader.fail(where + "/data/" + key, "expected an array of rows");
      if (std::count(key.begin(), key.end(), '/') != 1) {
        reader.fail(where + "/data/" + key, "expected \"<dataset>/<collection>\"");
      }
      expect.data.push_back({key, rows});
    }
  }
  expect.messages = reader.strings(object, "messages", where, false);
  expect.foreign = reader.strings(object, "foreign", where, false);
  if (expect.status == "completed" && (expect.exit != 0 || !expect.messages.empty())) {
    reader.fail(where, "a completed request exits 0 and has no failure messages");
  }
  if (expect.status != "completed" && (expect.exit == 0 || !expect.data.empty() || expect.messages.empty())) {
    reader.fail(where, "a failing request exits non-zero, exports no data and names its messages");
  }
  return expect;
}

// SQL string literals double their quotes.
std::string sql_text_values(const std::vector<FixtureStore>& stores) {
  std::string all;
  for (const auto& store : stores) {
    for (const auto& statement : store.setup) all += statement + "\n";
  }
  std::string out;
  for (std::size_t i = 0; i < all.size(); ++i) {
    out += all[i];
    if (all[i] == '\'' && i + 1 < all.size() && all[i + 1] == '\'') ++i;
  }
  return out;
}

std::string format_double(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  std::string text = buffer;
  if (std::isfinite(value) && text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
      out += buffer;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace

Poco::Dynamic::Var parse_json(const std::string& text) {
  Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
  return parser.parse(text);
}

std::string canonical_json(const Poco::Dynamic::Var& value, bool keep_key_order) {
  if (value.isEmpty()) return "null";
  if (value.type() == typeid(Object::Ptr)) {
    const Object::Ptr object = value.extract<Object::Ptr>();
    std::vector<std::string> names = object->getNames();
    if (!keep_key_order) std::sort(names.begin(), names.end());
    std::string out = "{";
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i) out += ", ";
      out += quote(names[i]) + ": " + canonical_json(object->get(names[i]), keep_key_order);
    }
    return out + "}";
  }
  if (value.type() == typeid(Array::Ptr)) {
    const Array::Ptr array = value.extract<Array::Ptr>();
    std::string out = "[";
    for (std::size_t i = 0; i < array->size(); ++i) {
      out += i ? ",\n " : "";
      out += canonical_json(array->get(static_cast<unsigned>(i)), keep_key_order);
    }
    return out + "]";
  }
  if (value.type() == typeid(bool)) return value.extract<bool>() ? "true" : "false";
  if (value.isString()) return quote(value.extract<std::string>());
  if (value.isInteger())
    return value.isSigned() ? std::to_string(value.convert<Poco::Int64>())
                            : std::to_string(value.convert<Poco::UInt64>());
  if (value.isNumeric()) return format_double(value.convert<double>());
  return "<" + std::string(value.type().name()) + ">";
}

Scenario load_scenario(const std::string& path) {
  const test::JsonFileReader reader(path);
  const Poco::Dynamic::Var document = reader.document();
  const Object::Ptr root = reader.object(document, "/");
  reader.only_keys(
      root, {"description", "stores", "mappings", "run_with", "setup_may_fail", "foreign", "requests"}, "/");

  Scenario scenario;
  scenario.name = std::filesystem::path(path).stem().string();
  scenario.description = reader.string(root, "description", "/", true);
  const std::string run_with = reader.string(root, "run_with", "/", false, "run");
  if (run_with != "run" && run_with != "batch") reader.fail("/run_with", "expected \"run\" or \"batch\"");
  scenario.batch = run_with == "batch";
  scenario.setup_may_fail = reader.boolean(root, "setup_may_fail", "/");
  scenario.foreign = reader.strings(root, "foreign", "/", false);

  const Array::Ptr stores = reader.array(root, "stores", "/", true);
  for (std::size_t i = 0; i < stores->size(); ++i) {
    const std::string where = "/stores/" + std::to_string(i);
    const Object::Ptr object = reader.object(stores->get(static_cast<unsigned>(i)), where);
    reader.only_keys(object, {"connector", "setup", "before_run", "unreachable"}, where);
    FixtureStore store;
    store.connector = reader.string(object, "connector", where, true);
    store.setup = reader.strings(object, "setup", where, false);
    store.before_run = reader.strings(object, "before_run", where, false);
    store.unreachable = reader.boolean(object, "unreachable", where);
    scenario.stores.push_back(std::move(store));
  }

  const Array::Ptr mappings = reader.array(root, "mappings", "/", true);
  for (std::size_t i = 0; i < mappings->size(); ++i) {
    const std::string where = "/mappings/" + std::to_string(i);
    const Object::Ptr object = reader.object(mappings->get(static_cast<unsigned>(i)), where);
    reader.only_keys(object, {"file", "content", "text"}, where);
    MappingFile mapping;
    mapping.file = reader.string(object, "file", where, true);
    if (object->has("content") == object->has("text"))
      reader.fail(where, "give either \"content\" or \"text\"");
    if (object->has("content")) {
      mapping.document = reader.object(object->get("content"), where + "/content");
      mapping.text = stringify(mapping.document);
    } else {
      mapping.text = reader.string(object, "text", where, true);
    }
    scenario.mappings.push_back(std::move(mapping));
  }

  const Array::Ptr requests = reader.array(root, "requests", "/", true);
  for (std::size_t i = 0; i < requests->size(); ++i) {
    const std::string where = "/requests/" + std::to_string(i);
    const Object::Ptr object = reader.object(requests->get(static_cast<unsigned>(i)), where);
    reader.only_keys(object, {"type", "identities", "expect"}, where);
    ScenarioRequest request;
    request.type = reader.string(object, "type", where, true);
    if (request.type != "access" && request.type != "portability") {
      reader.fail(where + "/type", "golden scenarios cover access and portability");
    }
    request.identities = reader.strings(object, "identities", where, true);
    if (!object->has("expect")) reader.fail(where, "missing \"expect\"");
    request.expect =
        read_expectation(reader, reader.object(object->get("expect"), where + "/expect"), where + "/expect");
    scenario.requests.push_back(std::move(request));
  }
  if (scenario.requests.empty()) reader.fail("/requests", "at least one request");

  // A foreign value that the fixtures never hold would make its check vacuous.
  const std::string fixture_text = sql_text_values(scenario.stores);
  auto check_foreign = [&](const std::vector<std::string>& values, const std::string& where) {
    for (const auto& value : values) {
      if (value.empty() || fixture_text.find(value) == std::string::npos) {
        reader.fail(where, "foreign value \"" + value + "\" is not in any store's setup SQL");
      }
    }
  };
  check_foreign(scenario.foreign, "/foreign");
  for (std::size_t i = 0; i < scenario.requests.size(); ++i) {
    check_foreign(scenario.requests[i].expect.foreign, "/requests/" + std::to_string(i) + "/expect/foreign");
  }
  return scenario;
}

}  // namespace dsr::golden
