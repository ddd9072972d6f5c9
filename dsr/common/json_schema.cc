#include "dsr/common/json_schema.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <valijson/adapters/poco_json_adapter.hpp>

#include <stdexcept>
// RapidJSON checks its invariants with RAPIDJSON_ASSERT; valijson's own definition throws,
// but builds a std::string of the file name on every check, passed or not, which makes
// parsing a schema slower than Poco. This one throws as well and costs a test.
#define RAPIDJSON_ASSERT(x) ((x) ? static_cast<void>(0) : throw std::logic_error("RapidJSON assertion failed: " #x))
// The adapter reads VALIJSON_USE_EXCEPTIONS only to define RAPIDJSON_ASSERT (and warns when
// it finds one); valijson's own headers, which do depend on it, are already included above.
#pragma push_macro("VALIJSON_USE_EXCEPTIONS")
#undef VALIJSON_USE_EXCEPTIONS
#include <valijson/adapters/rapidjson_adapter.hpp>
#pragma pop_macro("VALIJSON_USE_EXCEPTIONS")
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validation_visitor.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <unordered_map>

#include "dsr/common/text.h"

namespace dsr {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

// Deep enough for any real document, shallow enough that the recursive walks
// below (ours, Poco's and valijson's) cannot exhaust the stack.
constexpr int kMaxDepth = 200;

Object::Ptr as_object(const Var& value) {
  if (value.type() == typeid(Object::Ptr)) return value.extract<Object::Ptr>();
  return nullptr;
}

Array::Ptr as_array(const Var& value) {
  if (value.type() == typeid(Array::Ptr)) return value.extract<Array::Ptr>();
  return nullptr;
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 1;
}

// Control characters and invalid bytes as \xNN, so that text from a file can
// neither break a one-line message nor smuggle terminal escapes into it.
std::string printable(std::string_view text, std::size_t limit = 80) {
  const bool utf8 = is_valid_utf8(text);
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7F || (!utf8 && c >= 0x80)) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", c);
      out += buffer;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  if (text.size() > limit) out += "...";
  return out;
}

// ---------------------------------------------------------------------------
// Syntax check. Poco 1.11's parser says what is wrong but not where, which is
// useless in a 200-line config file; this pass finds the first error's line and
// column (and rejects duplicate keys, which Poco accepts silently).

class SyntaxChecker {
 public:
  explicit SyntaxChecker(std::string_view text) : text_(text) {}

  // The error as "line L, column C: what", or nullopt when the text is one
  // well-formed JSON value.
  std::optional<std::string> check() {
    if (!locate_invalid_utf8()) return error_text();
    skip_whitespace();
    if (at_end()) {
      fail("the text is empty");
      return error_text();
    }
    if (value(0)) {
      skip_whitespace();
      if (!at_end()) fail("expected the end of the text but found " + found());
    }
    return error_text();
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }

  bool fail(std::string message) {
    if (!error_) {
      error_ = std::move(message);
      error_pos_ = pos_;
    }
    return false;
  }

  std::optional<std::string> error_text() const {
    if (!error_) return std::nullopt;
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < error_pos_ && i < text_.size(); ++i) {
      const auto c = static_cast<unsigned char>(text_[i]);
      if (c == '\n') {
        ++line;
        column = 1;
      } else if ((c & 0xC0) != 0x80) {  // count characters, not UTF-8 continuation bytes
        ++column;
      }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + *error_;
  }

  // What stands at the current position, for "expected X but found Y".
  std::string found() const {
    if (at_end()) return "the end of the text";
    const auto c = static_cast<unsigned char>(peek());
    const std::size_t length = std::min(utf8_sequence_length(c), text_.size() - pos_);
    return "'" + printable(text_.substr(pos_, length)) + "'";
  }

  bool locate_invalid_utf8() {
    for (std::size_t i = 0; i < text_.size();) {
      const auto c = static_cast<unsigned char>(text_[i]);
      const std::size_t length = utf8_sequence_length(c);
      if (c >= 0x80 && (length == 1 || i + length > text_.size() ||
                        !is_valid_utf8(text_.substr(i, length)))) {
        pos_ = i;
        char buffer[8];
        std::snprintf(buffer, sizeof buffer, "0x%02x", c);
        return fail(std::string("the text is not valid UTF-8 (byte ") + buffer + ")");
      }
      i += length;
    }
    return true;
  }

  void skip_whitespace() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
  }

  bool value(int depth) {
    skip_whitespace();
    if (at_end()) return fail("expected a value but found the end of the text");
    switch (peek()) {
      case '{':
        return object(depth + 1);
      case '[':
        return array(depth + 1);
      case '"':
        return string(nullptr);
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        if (peek() == '-' || (peek() >= '0' && peek() <= '9')) return number();
        return fail("expected a value but found " + found());
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("expected a value but found " + found());
    pos_ += word.size();
    return true;
  }

  bool digits() {
    if (at_end() || peek() < '0' || peek() > '9') return fail("expected a digit but found " + found());
    while (!at_end() && peek() >= '0' && peek() <= '9') ++pos_;
    return true;
  }

  bool number() {
    if (peek() == '-') ++pos_;
    if (!at_end() && peek() == '0') {
      ++pos_;
      if (!at_end() && peek() >= '0' && peek() <= '9') return fail("numbers must not have leading zeros");
    } else if (!digits()) {
      return false;
    }
    if (!at_end() && peek() == '.') {
      ++pos_;
      if (!digits()) return false;
    }
    if (!at_end() && (peek() == 'e' || peek() == 'E')) {
      ++pos_;
      if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
      if (!digits()) return false;
    }
    return true;
  }

  static int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  // Reads the 4 hex digits after "\u".
  std::optional<unsigned> hex4() {
    if (pos_ + 4 > text_.size()) return std::nullopt;
    unsigned code = 0;
    for (int i = 0; i < 4; ++i) {
      const int digit = hex_value(text_[pos_ + static_cast<std::size_t>(i)]);
      if (digit < 0) return std::nullopt;
      code = code * 16 + static_cast<unsigned>(digit);
    }
    pos_ += 4;
    return code;
  }

  static void append_utf8(std::string& out, unsigned code) {
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  // Decodes into *out when given: keys are compared decoded ("a" == "\u0061").
  bool string(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      if (at_end()) return fail("unterminated string");
      const auto c = static_cast<unsigned char>(peek());
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return fail("control character " + found() + " in a string (write it as an escape such as \\n)");
      if (c != '\\') {
        if (out) out->push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      const std::size_t escape_start = pos_;
      ++pos_;
      if (at_end()) return fail("unterminated string");
      const char e = peek();
      ++pos_;
      switch (e) {
        case '"': case '\\': case '/':
          if (out) out->push_back(e);
          break;
        case 'b': if (out) out->push_back('\b'); break;
        case 'f': if (out) out->push_back('\f'); break;
        case 'n': if (out) out->push_back('\n'); break;
        case 'r': if (out) out->push_back('\r'); break;
        case 't': if (out) out->push_back('\t'); break;
        case 'u': {
          auto code = hex4();
          if (!code) {
            pos_ = escape_start;
            return fail("\\u must be followed by four hex digits");
          }
          if (*code >= 0xDC00 && *code <= 0xDFFF) {
            pos_ = escape_start;
            return fail("unpaired UTF-16 surrogate in \\u escape");
          }
          if (*code >= 0xD800 && *code <= 0xDBFF) {
            std::optional<unsigned> low;
            if (text_.substr(pos_, 2) == "\\u") {
              pos_ += 2;
              low = hex4();
            }
            if (!low || *low < 0xDC00 || *low > 0xDFFF) {
              pos_ = escape_start;
              return fail("unpaired UTF-16 surrogate in \\u escape");
            }
            *code = 0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00);
          }
          if (out) append_utf8(*out, *code);
          break;
        }
        default:
          pos_ = escape_start;
          return fail("invalid escape sequence in a string");
      }
    }
  }

  bool object(int depth) {
    if (depth > kMaxDepth) return fail("nested more than " + std::to_string(kMaxDepth) + " levels deep");
    ++pos_;  // '{'
    std::set<std::string> keys;
    skip_whitespace();
    if (!at_end() && peek() == '}') {
      ++pos_;
      return true;
    }
    while (true) {
      skip_whitespace();
      if (at_end() || peek() != '"') return fail("expected a key in double quotes but found " + found());
      const std::size_t key_start = pos_;
      std::string key;
      if (!string(&key)) return false;
      if (!keys.insert(key).second) {
        pos_ = key_start;
        return fail("duplicate key '" + printable(key) + "'");
      }
      skip_whitespace();
      if (at_end() || peek() != ':') return fail("expected ':' after the key but found " + found());
      ++pos_;
      if (!value(depth)) return false;
      skip_whitespace();
      if (at_end()) return fail("expected ',' or '}' but found the end of the text");
      if (peek() == '}') {
        ++pos_;
        return true;
      }
      if (peek() != ',') return fail("expected ',' or '}' but found " + found());
      ++pos_;
      skip_whitespace();
      if (!at_end() && peek() == '}') return fail("trailing comma before '}'");
    }
  }

  bool array(int depth) {
    if (depth > kMaxDepth) return fail("nested more than " + std::to_string(kMaxDepth) + " levels deep");
    ++pos_;  // '['
    skip_whitespace();
    if (!at_end() && peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      if (!value(depth)) return false;
      skip_whitespace();
      if (at_end()) return fail("expected ',' or ']' but found the end of the text");
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      if (peek() != ',') return fail("expected ',' or ']' but found " + found());
      ++pos_;
      skip_whitespace();
      if (!at_end() && peek() == ']') return fail("trailing comma before ']'");
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::optional<std::string> error_;
  std::size_t error_pos_ = 0;
};

// ---------------------------------------------------------------------------
// Schema lookups, to turn valijson's generic messages into specific ones
// ("Value type not permitted" becomes "expected a string").

using SchemaNodes = std::vector<Object::Ptr>;

Object::Ptr resolve_local_ref(const Object::Ptr& root, const std::string& ref) {
  if (ref == "#") return root;
  if (!starts_with(ref, "#/")) return nullptr;
  Var current = root;
  std::size_t start = 2;
  while (true) {
    const std::size_t slash = ref.find('/', start);
    std::string token = ref.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    for (std::size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) {
      if (i + 1 < token.size() && token[i + 1] == '1') token.replace(i, 2, "/");
      else if (i + 1 < token.size() && token[i + 1] == '0') token.replace(i, 2, "~");
    }
    if (auto object = as_object(current)) {
      if (!object->has(token)) return nullptr;
      current = object->get(token);
    } else if (auto array = as_array(current)) {
      char* end = nullptr;
      const unsigned long index = std::strtoul(token.c_str(), &end, 10);
      if (token.empty() || *end != '\0' || index >= array->size()) return nullptr;
      current = array->get(static_cast<unsigned>(index));
    } else {
      return nullptr;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return as_object(current);
}

// Adds `node` and every schema that applies to the same value through $ref,
// allOf/anyOf/oneOf and then/else ("if" only selects, it does not constrain).
void expand(const Object::Ptr& root, const Object::Ptr& node, SchemaNodes& out, int depth = 0) {
  if (!node || depth > 32) return;
  for (const auto& seen : out) {
    if (seen.get() == node.get()) return;
  }
  out.push_back(node);
  if (node->has("$ref") && node->get("$ref").isString()) {
    expand(root, resolve_local_ref(root, node->get("$ref").extract<std::string>()), out, depth + 1);
  }
  for (const char* key : {"allOf", "anyOf", "oneOf"}) {
    if (auto list = node->getArray(key)) {
      for (std::size_t i = 0; i < list->size(); ++i) expand(root, as_object(list->get(static_cast<unsigned>(i))), out, depth + 1);
    }
  }
  for (const char* key : {"then", "else"}) expand(root, node->getObject(key), out, depth + 1);
}

bool pattern_matches(const std::string& pattern, const std::string& text) {
  try {
    return std::regex_search(text, std::regex(pattern));
  } catch (const std::regex_error&) {
    return false;
  }
}

// The schemas for the child `segment` of `parent` (the document value the
// parent schemas describe).
SchemaNodes child_nodes(const Object::Ptr& root, const SchemaNodes& parents, const Var& parent,
                        const std::string& segment) {
  SchemaNodes out;
  for (const auto& node : parents) {
    if (as_object(parent)) {
      bool matched = false;
      if (auto properties = node->getObject("properties"); properties && properties->has(segment)) {
        expand(root, properties->getObject(segment), out);
        matched = true;
      }
      if (auto patterns = node->getObject("patternProperties")) {
        for (const auto& [pattern, schema] : *patterns) {
          if (pattern_matches(pattern, segment)) {
            expand(root, as_object(schema), out);
            matched = true;
          }
        }
      }
      if (!matched) expand(root, node->getObject("additionalProperties"), out);
    } else if (as_array(parent)) {
      const Var items = node->get("items");
      if (auto single = as_object(items)) {
        expand(root, single, out);
      } else if (auto tuple = as_array(items)) {
        const unsigned long index = std::strtoul(segment.c_str(), nullptr, 10);
        if (index < tuple->size()) expand(root, as_object(tuple->get(static_cast<unsigned>(index))), out);
        else expand(root, node->getObject("additionalItems"), out);
      }
    }
  }
  return out;
}

Var child_value(const Var& parent, const std::string& segment) {
  if (auto object = as_object(parent)) return object->has(segment) ? object->get(segment) : Var();
  if (auto array = as_array(parent)) {
    const unsigned long index = std::strtoul(segment.c_str(), nullptr, 10);
    return index < array->size() ? array->get(static_cast<unsigned>(index)) : Var();
  }
  return Var();
}

std::string json_text(const Var& value) {
  if (value.isString()) return value.extract<std::string>();
  if (value.isEmpty()) return "null";
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  return out.str();
}

std::string json_literal(const Var& value) {
  if (value.isString()) return "\"" + printable(value.extract<std::string>()) + "\"";
  return json_text(value);
}

std::string join_alternatives(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += (i + 1 == items.size()) ? " or " : ", ";
    out += items[i];
  }
  return out;
}

std::string type_phrase(const std::string& type) {
  if (type == "string") return "a string";
  if (type == "integer") return "an integer";
  if (type == "number") return "a number";
  if (type == "boolean") return "true or false";
  if (type == "object") return "an object";
  if (type == "array") return "an array";
  if (type == "null") return "null";
  return type;
}

std::optional<std::string> enum_message(const SchemaNodes& nodes) {
  for (const auto& node : nodes) {
    if (auto values = node->getArray("enum")) {
      std::string text = "expected one of: ";
      for (std::size_t i = 0; i < values->size(); ++i) {
        if (i > 0) text += ", ";
        text += printable(json_text(values->get(static_cast<unsigned>(i))));
      }
      return text;
    }
  }
  return std::nullopt;
}

std::string type_message(const SchemaNodes& nodes) {
  // An enum says more than its type does ("one of: sqlite, mysql" over "a string").
  if (auto text = enum_message(nodes)) return *text;
  std::vector<std::string> phrases;
  auto add = [&phrases](const Var& type) {
    if (!type.isString()) return;
    std::string phrase = type_phrase(type.extract<std::string>());
    if (std::find(phrases.begin(), phrases.end(), phrase) == phrases.end()) phrases.push_back(phrase);
  };
  for (const auto& node : nodes) {
    if (!node->has("type")) continue;
    const Var type = node->get("type");
    if (auto list = as_array(type)) {
      for (std::size_t i = 0; i < list->size(); ++i) add(list->get(static_cast<unsigned>(i)));
    } else {
      add(type);
    }
  }
  if (phrases.empty()) return "has a type that is not allowed here";
  return "expected " + join_alternatives(phrases);
}

std::optional<Var> first_keyword(const SchemaNodes& nodes, const char* keyword) {
  for (const auto& node : nodes) {
    if (node->has(keyword)) return node->get(keyword);
  }
  return std::nullopt;
}

// The number at the end of valijson's "... no fewer than 3 characters" messages.
std::optional<long long> number_in(const std::string& text) {
  const auto digit = text.find_first_of("0123456789");
  if (digit == std::string::npos) return std::nullopt;
  return std::strtoll(text.c_str() + digit, nullptr, 10);
}

// valijson errors that only say "something below failed"; the error below is
// the useful one.
bool is_wrapper(const std::string& description) {
  static const char* const kPrefixes[] = {
      "Failed to validate against schema associated with property name",
      "Failed to validate item #",
      "Failed to validate against a conditional schema",
      "Failed to validate against any child schemas allowed by oneOf",
      "Failed to validate against any schemas allowed by anyOf",
      "Failed to validate against additional properties schema",
      "Failed to validate against schema associated with pattern",
      "Failed to validate against dependent schema",
      "Failed to validate against child schema #",
  };
  for (const char* prefix : kPrefixes) {
    if (starts_with(description, prefix)) return true;
  }
  return false;
}

std::string wrapper_message(const std::string& description) {
  if (starts_with(description, "Failed to validate against any child schemas allowed by oneOf") ||
      starts_with(description, "Failed to validate against any schemas allowed by anyOf")) {
    return "matches none of the allowed forms";
  }
  return "does not match the schema";
}

// valijson's own wording, made to read like ours: lower-case start, no full stop.
std::string tidy(std::string text) {
  if (!text.empty() && text.back() == '.') text.pop_back();
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

std::string bound_message(const SchemaNodes& nodes, const char* keyword, const char* phrase,
                          const std::string& fallback) {
  if (auto bound = first_keyword(nodes, keyword); bound && bound->isNumeric()) {
    return std::string(phrase) + " " + bound->toString();
  }
  return tidy(fallback);
}

std::string escape_pointer_token(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out.push_back(c);
  }
  return out;
}

std::string pointer_of(const std::vector<std::string>& segments) {
  std::string out;
  for (const auto& segment : segments) out += "/" + escape_pointer_token(segment);
  return out;
}

bool is_index(const std::string& segment) {
  return !segment.empty() && std::all_of(segment.begin(), segment.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Keys in byte order, array indexes numerically ("2" before "10"), parents first.
bool segments_less(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] == b[i]) continue;
    if (is_index(a[i]) && is_index(b[i]) && a[i].size() != b[i].size()) return a[i].size() < b[i].size();
    return a[i] < b[i];
  }
  return a.size() < b.size();
}

bool is_prefix(const std::vector<std::string>& prefix, const std::vector<std::string>& path) {
  return prefix.size() <= path.size() && std::equal(prefix.begin(), prefix.end(), path.begin());
}

struct Located {
  std::vector<std::string> segments;
  std::string message;
};

// Checks every regular expression in the schema up front: valijson compiles
// them only when a document reaches them, and would throw mid-validation.
std::optional<std::string> find_bad_pattern(const Var& node, const std::string& where, int depth = 0) {
  if (depth > kMaxDepth) return std::nullopt;
  if (auto object = as_object(node)) {
    for (const auto& [key, value] : *object) {
      const std::string here = where + "/" + escape_pointer_token(key);
      if (key == "pattern" && value.isString()) {
        try {
          std::regex check(value.extract<std::string>());
        } catch (const std::regex_error& e) {
          return display_pointer(here) + ": invalid regular expression: " + e.what();
        }
      }
      if (key == "patternProperties") {
        if (auto patterns = as_object(value)) {
          for (const auto& entry : *patterns) {
            try {
              std::regex check(entry.first);
            } catch (const std::regex_error& e) {
              return display_pointer(here) + ": invalid regular expression '" + printable(entry.first) + "': " + e.what();
            }
          }
        }
      }
      if (auto bad = find_bad_pattern(value, here, depth + 1)) return bad;
    }
  } else if (auto array = as_array(node)) {
    for (std::size_t i = 0; i < array->size(); ++i) {
      if (auto bad = find_bad_pattern(array->get(static_cast<unsigned>(i)), where + "/" + std::to_string(i), depth + 1)) return bad;
    }
  }
  return std::nullopt;
}

}  // namespace

// ---------------------------------------------------------------------------

Result<Var> parse_json_text(std::string_view text, const std::string& source_name) {
  if (starts_with(text, "\xEF\xBB\xBF")) text.remove_prefix(3);
  if (auto error = SyntaxChecker(text).check()) return fail(source_name + ": invalid JSON: " + *error);
  try {
    Poco::JSON::Parser parser;
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (text[first] == '{' || text[first] == '[') return parser.parse(std::string(text));
    // Poco only accepts an object or an array at the top.
    const Var wrapped = parser.parse("[" + std::string(text) + "]");
    return wrapped.extract<Array::Ptr>()->get(0);
  } catch (const Poco::Exception& e) {
    return fail(source_name + ": invalid JSON: " + printable(e.message(), 200));
  } catch (const std::exception& e) {
    return fail(source_name + ": invalid JSON: " + printable(e.what(), 200));
  }
}

Result<Var> parse_json_file(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return fail(path + ": cannot read: " + std::strerror(errno));
  std::string text;
  char buffer[65536];
  std::size_t count;
  while ((count = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, count);
  const int read_error = std::ferror(file) ? errno : 0;
  std::fclose(file);
  if (read_error != 0) return fail(path + ": cannot read: " + std::strerror(read_error));
  return parse_json_text(text, path);
}

std::string display_pointer(const std::string& pointer) {
  if (pointer.empty()) return "/";
  return printable(pointer, 400);
}

std::string format_violations(const std::string& source_name, const std::vector<SchemaViolation>& violations) {
  std::string out;
  for (const auto& violation : violations) {
    if (!out.empty()) out += "\n";
    out += source_name + ": " + display_pointer(violation.pointer) + ": " + violation.message;
  }
  return out;
}

struct JsonSchema::Impl {
  std::string name;
  valijson::Schema schema;

  // The schema as JSON, to phrase messages. Only a failed validation needs it, so an
  // embedded schema keeps its text and parses it with Poco on the first failure.
  const Object::Ptr& root() const {
    std::call_once(root_parsed, [this] {
      if (root_object || embedded_text.empty()) return;
      try {
        root_object = as_object(Poco::JSON::Parser().parse(embedded_text));
      } catch (const std::exception&) {
        // Not reached for a schema RapidJSON has parsed; messages then fall back to
        // valijson's wording, which needs no schema lookups.
      }
    });
    return root_object;
  }

  std::string embedded_text;
  mutable std::once_flag root_parsed;
  mutable Object::Ptr root_object;
};

Result<JsonSchema> JsonSchema::compile(const Var& parsed, std::string name) {
  auto impl = std::make_shared<Impl>();
  impl->name = std::move(name);
  impl->root_object = as_object(parsed);
  if (!impl->root_object) return fail(impl->name + ": a schema must be a JSON object");
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::PocoJsonAdapter adapter(parsed);
    parser.populateSchema(adapter, impl->schema);
  } catch (const std::exception& e) {
    return fail(impl->name + ": invalid schema: " + printable(e.what(), 200));
  }
  return JsonSchema(std::move(impl));
}

Result<JsonSchema> JsonSchema::from_text(std::string_view schema_text, std::string name) {
  auto parsed = parse_json_text(schema_text, name);
  if (!parsed) return parsed.take_error();
  if (!as_object(*parsed)) return fail(name + ": a schema must be a JSON object");
  if (auto bad = find_bad_pattern(*parsed, "")) return fail(name + ": " + *bad);
  return compile(*parsed, std::move(name));
}

// Every dsr command compiles config.schema.json before anything else, so this is on
// every start: RapidJSON (which valijson's Debian package brings, with an adapter)
// parses the text and valijson compiles from it in half the instructions that Poco's
// parser and adapter take (3.9M instead of 7.9M for config and dataset schema, callgrind).
// valijson copies what it keeps (enum and const values, patterns, names) out of the
// document, so the document can go.
Result<JsonSchema> JsonSchema::from_embedded_text(std::string_view schema_text, std::string name) {
  auto impl = std::make_shared<Impl>();
  impl->name = std::move(name);
  // Parsed in place in a copy of the text: its strings are then views into the copy,
  // not allocations of their own (valijson copies what it keeps).
  std::string buffer(schema_text);
  rapidjson::Document parsed;
  parsed.ParseInsitu(buffer.data());
  if (parsed.HasParseError()) {
    return fail(impl->name + ": invalid JSON at offset " + std::to_string(parsed.GetErrorOffset()));
  }
  if (!parsed.IsObject()) return fail(impl->name + ": a schema must be a JSON object");
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::RapidJsonAdapter adapter(parsed);
    parser.populateSchema(adapter, impl->schema);
  } catch (const std::exception& e) {
    return fail(impl->name + ": invalid schema: " + printable(e.what(), 200));
  }
  impl->embedded_text = std::string(schema_text);
  return JsonSchema(std::move(impl));
}

const std::string& JsonSchema::name() const { return impl_->name; }

std::vector<SchemaViolation> JsonSchema::validate(const Var& document) const {
  valijson::ValidationResults results;
  try {
    // What valijson::Validator::validate does, but with the compiled patterns kept: each
    // std::regex costs about 0.7M instructions to build (far more than matching), the
    // config and the mappings share patterns (connector names), and dsr serve validates
    // many documents. valijson's Validator keeps them only for its own lifetime, one
    // validation. Per thread, as validate() may run on several at once; the patterns
    // come from dsr's own schemas, so the cache stays small.
    thread_local std::unordered_map<std::string, std::regex> compiled_patterns;
    valijson::adapters::PocoJsonAdapter adapter(document);
    valijson::ValidationVisitor<valijson::adapters::PocoJsonAdapter> visitor(
        adapter, std::vector<std::string>(1, "<root>"), /*strictTypes=*/true, &results, compiled_patterns);
    if (visitor.validateSchema(impl_->schema)) return {};
  } catch (const std::exception& e) {
    return {SchemaViolation{"", std::string("cannot be validated: ") + printable(e.what(), 200)}};
  }

  std::vector<Located> leaves;
  std::vector<Located> wrappers;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    // valijson's context is "<root>" followed by "[key]" or "[index]" per level.
    Located located;
    for (std::size_t i = 1; i < error.context.size(); ++i) {
      const std::string& part = error.context[i];
      located.segments.push_back(part.size() >= 2 ? part.substr(1, part.size() - 2) : part);
    }

    if (is_wrapper(error.description)) {
      located.message = wrapper_message(error.description);
      wrappers.push_back(std::move(located));
      continue;
    }

    // Walk document and schema down to the failing value.
    SchemaNodes nodes;
    const Object::Ptr& root = impl_->root();
    expand(root, root, nodes);
    Var value = document;
    for (const auto& segment : located.segments) {
      nodes = child_nodes(root, nodes, value, segment);
      value = child_value(value, segment);
    }

    const std::string& d = error.description;
    if (starts_with(d, "Value type not permitted")) {
      located.message = type_message(nodes);
    } else if (starts_with(d, "Failed to match against any enum values")) {
      located.message = enum_message(nodes).value_or("has a value that is not allowed here");
    } else if (starts_with(d, "Object contains a property that could not be validated")) {
      // valijson names only the first unknown key; list them all.
      std::vector<std::string> unknown;
      if (auto object = as_object(value)) {
        for (const auto& [key, member] : *object) {
          bool known = false;
          for (const auto& node : nodes) {
            if (auto properties = node->getObject("properties"); properties && properties->has(key)) known = true;
            if (auto patterns = node->getObject("patternProperties")) {
              for (const auto& entry : *patterns) known = known || pattern_matches(entry.first, key);
            }
          }
          if (!known) unknown.push_back(key);
        }
      }
      if (unknown.empty()) {
        const auto open = d.rfind(": '");
        if (open != std::string::npos && d.size() >= open + 5) unknown.push_back(d.substr(open + 3, d.size() - open - 5));
      }
      for (const auto& key : unknown) leaves.push_back({located.segments, "unknown key '" + printable(key) + "'"});
      continue;
    } else if (starts_with(d, "Missing required property '")) {
      const std::string key = d.substr(27, d.size() - 27 - 2);  // between the quotes, before "'."
      located.message = "missing required key '" + printable(key) + "'";
    } else if (starts_with(d, "Missing dependency '")) {
      const std::string key = d.substr(20, d.size() - 20 - 2);
      located.message = "missing key '" + printable(key) + "', required together with a key present here";
    } else if (starts_with(d, "Failed to match regex specified by 'pattern'")) {
      auto pattern = first_keyword(nodes, "pattern");
      located.message = pattern && pattern->isString()
                            ? "does not match the pattern " + printable(pattern->extract<std::string>())
                            : "does not match the required pattern";
    } else if (starts_with(d, "Failed to match expected value set by 'const'")) {
      auto expected = first_keyword(nodes, "const");
      located.message = expected ? "expected " + json_literal(*expected) : "has a value that is not allowed here";
    } else if (starts_with(d, "String should be no fewer than")) {
      const auto n = number_in(d).value_or(0);
      located.message = n == 1 ? "must not be empty" : "expected at least " + std::to_string(n) + " characters";
    } else if (starts_with(d, "String should be no more than")) {
      located.message = "expected at most " + std::to_string(number_in(d).value_or(0)) + " characters";
    } else if (starts_with(d, "Array should contain no fewer than")) {
      const auto n = number_in(d).value_or(0);
      located.message = n == 1 ? "must not be empty" : "expected at least " + std::to_string(n) + " items";
    } else if (starts_with(d, "Array should contain no more than")) {
      located.message = "expected at most " + std::to_string(number_in(d).value_or(0)) + " items";
    } else if (starts_with(d, "Object should have no fewer than")) {
      const auto n = number_in(d).value_or(0);
      located.message = n == 1 ? "must not be empty" : "expected at least " + std::to_string(n) + " keys";
    } else if (starts_with(d, "Object should have no more than")) {
      located.message = "expected at most " + std::to_string(number_in(d).value_or(0)) + " keys";
    } else if (starts_with(d, "Expected number greater than or equal to")) {
      located.message = bound_message(nodes, "minimum", "expected at least", d);
    } else if (starts_with(d, "Expected number greater than")) {
      located.message = bound_message(nodes, "exclusiveMinimum", "expected more than", d);
    } else if (starts_with(d, "Expected number less than or equal to")) {
      located.message = bound_message(nodes, "maximum", "expected at most", d);
    } else if (starts_with(d, "Expected number less than")) {
      located.message = bound_message(nodes, "exclusiveMaximum", "expected less than", d);
    } else if (starts_with(d, "Elements at indexes #")) {
      located.message = "duplicate items: " + tidy(d.substr(12, d.find(" violate") - 12));
    } else if (starts_with(d, "Failed to validate against exactly one child schema")) {
      located.message = "matches more than one of the allowed forms";
    } else if (starts_with(d, "Target should not validate against schema specified in 'not'")) {
      located.message = "has a value that is not allowed here";
    } else {
      located.message = tidy(d);
    }
    leaves.push_back(std::move(located));
  }

  // A wrapper stays only when nothing at or below its place explains it; deeper
  // wrappers go first so that a kept one explains the wrappers above it.
  std::stable_sort(wrappers.begin(), wrappers.end(),
                   [](const Located& a, const Located& b) { return a.segments.size() > b.segments.size(); });
  for (auto& wrapper : wrappers) {
    const bool explained = std::any_of(leaves.begin(), leaves.end(), [&wrapper](const Located& leaf) {
      return is_prefix(wrapper.segments, leaf.segments);
    });
    if (!explained) leaves.push_back(std::move(wrapper));
  }

  std::stable_sort(leaves.begin(), leaves.end(),
                   [](const Located& a, const Located& b) { return segments_less(a.segments, b.segments); });
  std::vector<SchemaViolation> violations;
  std::set<std::pair<std::vector<std::string>, std::string>> seen;
  for (const auto& leaf : leaves) {
    if (!seen.insert({leaf.segments, leaf.message}).second) continue;
    violations.push_back({pointer_of(leaf.segments), leaf.message});
  }
  return violations;
}

}  // namespace dsr
