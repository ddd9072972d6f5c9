#pragma once
// Strict reading of the JSON fixture files tests are driven by: every failure throws
// std::runtime_error naming the file and the JSON pointer, and callers reject unknown
// keys, so a misspelt expectation cannot pass silently.

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <set>
#include <string>
#include <vector>

namespace dsr::test {

// A JSON string literal of text, for writing fixture files (escapes quotes and
// backslashes only: fixtures hold no control characters).
std::string json_string(const std::string& text);

// Every *.json file in the folder, sorted by name.
std::vector<std::string> json_files_in(const std::string& folder);

class JsonFileReader {
 public:
  explicit JsonFileReader(std::string file) : file_(std::move(file)) {}

  // The file's document, objects keeping their key order.
  Poco::Dynamic::Var document() const;

  [[noreturn]] void fail(const std::string& where, const std::string& what) const;
  void only_keys(const Poco::JSON::Object::Ptr& object, const std::set<std::string>& allowed,
                 const std::string& where) const;
  Poco::JSON::Object::Ptr object(const Poco::Dynamic::Var& value, const std::string& where) const;
  // An absent optional array reads as empty.
  Poco::JSON::Array::Ptr array(const Poco::JSON::Object::Ptr& parent, const std::string& key,
                               const std::string& where, bool required) const;
  std::string string(const Poco::JSON::Object::Ptr& parent, const std::string& key, const std::string& where,
                     bool required = true, const std::string& fallback = "") const;
  std::vector<std::string> strings(const Poco::JSON::Object::Ptr& parent, const std::string& key,
                                   const std::string& where, bool required) const;
  // Absent reads as false.
  bool boolean(const Poco::JSON::Object::Ptr& parent, const std::string& key, const std::string& where) const;

 private:
  std::string file_;
};

}  // namespace dsr::test
