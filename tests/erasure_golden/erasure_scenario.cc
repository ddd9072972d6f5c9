#include "tests/erasure_golden/erasure_scenario.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include "tests/support/json_file_reader.h"

namespace dsr::erasure_golden {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

MaskedValue masked_value(const test::JsonFileReader& reader, const Poco::Dynamic::Var& value,
                         const std::string& where) {
  MaskedValue masked;
  if (value.isEmpty()) return masked;
  if (value.isString()) {
    masked.kind = MaskedValue::Kind::fixed;
    masked.text = value.extract<std::string>();
    return masked;
  }
  const Object::Ptr object = reader.object(value, where);
  reader.only_keys(object, {"hash_of"}, where);
  masked.kind = MaskedValue::Kind::keyed_hash;
  masked.text = reader.string(object, "hash_of", where);
  return masked;
}

Expectation read_expectation(const test::JsonFileReader& reader, const Object::Ptr& object,
                             const std::string& where) {
  reader.only_keys(object, {"gone", "masked", "certificate"}, where);
  Expectation expect;
  if (object->has("gone")) {
    const Object::Ptr gone = reader.object(object->get("gone"), where + "/gone");
    for (const auto& table : gone->getNames()) {
      const Array::Ptr keys = reader.array(gone, table, where + "/gone", true);
      if (keys->size() == 0)
        reader.fail(where + "/gone/" + table, "an empty list says nothing; leave the table out");
      for (std::size_t i = 0; i < keys->size(); ++i) {
        const Poco::Dynamic::Var key = keys->get(static_cast<unsigned>(i));
        if (!key.isString() && !key.isInteger()) {
          reader.fail(where + "/gone/" + table + "/" + std::to_string(i),
                      "expected a key (integer or string)");
        }
        expect.gone[table].push_back(key_text(key));
      }
    }
  }
  if (object->has("masked")) {
    const Object::Ptr masked = reader.object(object->get("masked"), where + "/masked");
    for (const auto& table : masked->getNames()) {
      const Object::Ptr rows = reader.object(masked->get(table), where + "/masked/" + table);
      for (const auto& key : rows->getNames()) {
        const std::string row_where = where + "/masked/" + table + "/" + key;
        const Object::Ptr columns = reader.object(rows->get(key), row_where);
        if (columns->size() == 0) reader.fail(row_where, "name at least one masked column");
        for (const auto& column : columns->getNames()) {
          expect.masked[table][key][column] =
              masked_value(reader, columns->get(column), row_where + "/" + column);
        }
      }
    }
  }
  if (!object->has("certificate")) reader.fail(where, "missing \"certificate\"");
  reader.object(object->get("certificate"), where + "/certificate");
  expect.certificate = object->get("certificate");
  return expect;
}

}  // namespace

std::string key_text(const Poco::Dynamic::Var& key) {
  if (key.isString()) return key.extract<std::string>();
  return std::to_string(key.convert<Poco::Int64>());
}

Scenario load_scenario(const std::string& path) {
  const test::JsonFileReader reader(path);
  const Poco::Dynamic::Var document = reader.document();
  const Object::Ptr root = reader.object(document, "/");
  reader.only_keys(root, {"description", "chunk_rows", "stores", "mappings", "requests"}, "/");

  Scenario scenario;
  scenario.name = std::filesystem::path(path).stem().string();
  scenario.description = reader.string(root, "description", "/");
  if (root->has("chunk_rows")) {
    const Poco::Dynamic::Var chunk = root->get("chunk_rows");
    if (!chunk.isInteger() || chunk.convert<int>() < 1)
      reader.fail("/chunk_rows", "expected a positive integer");
    scenario.chunk_rows = chunk.convert<int>();
  }

  const Array::Ptr stores = reader.array(root, "stores", "/", true);
  std::set<std::string> connectors;
  for (std::size_t i = 0; i < stores->size(); ++i) {
    const std::string where = "/stores/" + std::to_string(i);
    const Object::Ptr object = reader.object(stores->get(static_cast<unsigned>(i)), where);
    reader.only_keys(object, {"connector", "setup"}, where);
    FixtureStore store;
    store.connector = reader.string(object, "connector", where);
    if (!connectors.insert(store.connector).second) reader.fail(where, "connector named twice");
    store.setup = reader.strings(object, "setup", where, true);
    scenario.stores.push_back(std::move(store));
  }

  const Array::Ptr mappings = reader.array(root, "mappings", "/", true);
  for (std::size_t i = 0; i < mappings->size(); ++i) {
    const std::string where = "/mappings/" + std::to_string(i);
    const Object::Ptr object = reader.object(mappings->get(static_cast<unsigned>(i)), where);
    reader.only_keys(object, {"file", "content"}, where);
    MappingFile mapping;
    mapping.file = reader.string(object, "file", where);
    if (!object->has("content")) reader.fail(where, "missing \"content\"");
    std::ostringstream out;
    Poco::JSON::Stringifier::stringify(reader.object(object->get("content"), where + "/content"), out, 2);
    mapping.text = out.str() + "\n";
    scenario.mappings.push_back(std::move(mapping));
  }

  const Array::Ptr requests = reader.array(root, "requests", "/", true);
  if (requests->size() == 0) reader.fail("/requests", "at least one request");
  for (std::size_t i = 0; i < requests->size(); ++i) {
    const std::string where = "/requests/" + std::to_string(i);
    const Object::Ptr object = reader.object(requests->get(static_cast<unsigned>(i)), where);
    reader.only_keys(object, {"identities", "personal", "expect"}, where);
    ScenarioRequest request;
    request.identities = reader.strings(object, "identities", where, true);
    if (request.identities.empty()) reader.fail(where + "/identities", "at least one identity");
    for (const auto& identity : request.identities) {
      if (identity.find('=') == std::string::npos) reader.fail(where + "/identities", "expected KIND=VALUE");
    }
    request.personal = reader.strings(object, "personal", where, false);
    if (!object->has("expect")) reader.fail(where, "missing \"expect\"");
    request.expect =
        read_expectation(reader, reader.object(object->get("expect"), where + "/expect"), where + "/expect");
    scenario.requests.push_back(std::move(request));
  }
  return scenario;
}

}  // namespace dsr::erasure_golden
