#include "tests/support/json_file_reader.h"

#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dsr::test {

using Poco::JSON::Array;
using Poco::JSON::Object;

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::vector<std::string> json_files_in(const std::string& folder) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

Poco::Dynamic::Var JsonFileReader::document() const {
  std::ifstream in(file_);
  if (!in) throw std::runtime_error(file_ + ": cannot read");
  std::stringstream text;
  text << in.rdbuf();
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
    return parser.parse(text.str());
  } catch (const Poco::Exception& e) {
    throw std::runtime_error(file_ + ": invalid JSON: " + e.displayText());
  }
}

void JsonFileReader::fail(const std::string& where, const std::string& what) const {
  throw std::runtime_error(file_ + ": " + where + ": " + what);
}

void JsonFileReader::only_keys(const Object::Ptr& object, const std::set<std::string>& allowed,
                               const std::string& where) const {
  for (const auto& name : object->getNames()) {
    if (!allowed.count(name)) fail(where, "unknown key \"" + name + "\"");
  }
}

Object::Ptr JsonFileReader::object(const Poco::Dynamic::Var& value, const std::string& where) const {
  if (value.type() != typeid(Object::Ptr)) fail(where, "expected an object");
  return value.extract<Object::Ptr>();
}

Array::Ptr JsonFileReader::array(const Object::Ptr& parent, const std::string& key, const std::string& where,
                                 bool required) const {
  if (!parent->has(key)) {
    if (required) fail(where, "missing \"" + key + "\"");
    return new Array;
  }
  const Poco::Dynamic::Var value = parent->get(key);
  if (value.type() != typeid(Array::Ptr)) fail(where + "/" + key, "expected an array");
  return value.extract<Array::Ptr>();
}

std::string JsonFileReader::string(const Object::Ptr& parent, const std::string& key,
                                   const std::string& where, bool required,
                                   const std::string& fallback) const {
  if (!parent->has(key)) {
    if (required) fail(where, "missing \"" + key + "\"");
    return fallback;
  }
  const Poco::Dynamic::Var value = parent->get(key);
  if (!value.isString()) fail(where + "/" + key, "expected a string");
  return value.extract<std::string>();
}

std::vector<std::string> JsonFileReader::strings(const Object::Ptr& parent, const std::string& key,
                                                 const std::string& where, bool required) const {
  std::vector<std::string> out;
  const Array::Ptr values = array(parent, key, where, required);
  for (std::size_t i = 0; i < values->size(); ++i) {
    const Poco::Dynamic::Var value = values->get(static_cast<unsigned>(i));
    if (!value.isString()) fail(where + "/" + key + "/" + std::to_string(i), "expected a string");
    out.push_back(value.extract<std::string>());
  }
  return out;
}

bool JsonFileReader::boolean(const Object::Ptr& parent, const std::string& key,
                             const std::string& where) const {
  if (!parent->has(key)) return false;
  const Poco::Dynamic::Var value = parent->get(key);
  if (value.type() != typeid(bool)) fail(where + "/" + key, "expected true or false");
  return value.extract<bool>();
}

}  // namespace dsr::test
