#include "dsr/common/canonical_json.h"

#include <Poco/JSON/Array.h>

#include <cstdio>
#include <stdexcept>

namespace dsr {

std::string json_quote(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
          out += buffer;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

namespace {

void write(const Poco::Dynamic::Var& value, std::string& out);

void write_object(const Poco::JSON::Object& object, std::string& out) {
  std::vector<std::string> names;
  object.getNames(names);
  std::sort(names.begin(), names.end());
  out.push_back('{');
  bool first = true;
  for (const auto& name : names) {
    if (!first) out.push_back(',');
    first = false;
    out += json_quote(name);
    out.push_back(':');
    write(object.get(name), out);
  }
  out.push_back('}');
}

void write_array(const Poco::JSON::Array& array, std::string& out) {
  out.push_back('[');
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (i != 0) out.push_back(',');
    write(array.get(static_cast<unsigned>(i)), out);
  }
  out.push_back(']');
}

void write(const Poco::Dynamic::Var& value, std::string& out) {
  if (value.isEmpty()) {
    out += "null";
  } else if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
    write_object(*value.extract<Poco::JSON::Object::Ptr>(), out);
  } else if (value.type() == typeid(Poco::JSON::Object)) {
    write_object(value.extract<Poco::JSON::Object>(), out);
  } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
    write_array(*value.extract<Poco::JSON::Array::Ptr>(), out);
  } else if (value.type() == typeid(Poco::JSON::Array)) {
    write_array(value.extract<Poco::JSON::Array>(), out);
  } else if (value.isBoolean()) {
    out += value.extract<bool>() ? "true" : "false";
  } else if (value.isInteger()) {
    out += value.isSigned() ? std::to_string(value.convert<long long>())
                            : std::to_string(value.convert<unsigned long long>());
  } else if (value.isString()) {
    out += json_quote(value.convert<std::string>());
  } else {
    throw std::invalid_argument("canonical JSON holds only objects, arrays, strings, integers, booleans and null");
  }
}

}  // namespace

std::string canonical_json(const Poco::Dynamic::Var& value) {
  std::string out;
  write(value, out);
  return out;
}

}  // namespace dsr
