#pragma once
// Reading JSON that people write (config files, dataset descriptions) and checking
// it against a JSON Schema (draft-07), with errors a person can act on: each names
// the file, the place (an RFC 6901 JSON pointer) and what was expected there.

#include <Poco/Dynamic/Var.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dsr/common/result.h"

namespace dsr {

// Parses one JSON value (object, array or scalar). Stricter than RFC 8259 in one
// way: duplicate keys in an object are an error, since the last one silently
// winning hides mistakes in hand-edited files. A leading UTF-8 byte order mark is
// ignored. Errors read "<source_name>: invalid JSON: line L, column C: <what>".
// Objects in the result are Poco::JSON::Object::Ptr, arrays Poco::JSON::Array::Ptr.
Result<Poco::Dynamic::Var> parse_json_text(std::string_view text, const std::string& source_name);

// Reads and parses the file; errors name `path` as given ("dsr.json: cannot read: ...").
Result<Poco::Dynamic::Var> parse_json_file(const std::string& path);

struct SchemaViolation {
  std::string pointer;  // RFC 6901 pointer to the offending value; "" is the document root
  std::string message;  // e.g. "expected a string", "unknown key 'foo'"
  bool operator==(const SchemaViolation&) const = default;
};

// The pointer as shown to people: "" (the root) becomes "/", control characters
// in keys become \xNN so that one violation stays on one line.
std::string display_pointer(const std::string& pointer);

// One line per violation, "<source_name>: <pointer>: <message>", joined by '\n'
// (no trailing newline).
std::string format_violations(const std::string& source_name,
                              const std::vector<SchemaViolation>& violations);

// A compiled draft-07 schema. Only local references ("#/definitions/...",
// "#/$defs/...") are supported. Copies share the compiled schema; validate() may
// be called from several threads at once.
class JsonSchema {
 public:
  // `name` labels errors about the schema itself (a bad schema is a programming
  // error, but it is reported rather than aborting).
  static Result<JsonSchema> from_text(std::string_view schema_text, std::string name);

  // For a schema built into the binary (schemas/, see embedded_schemas.h), which
  // every dsr command compiles before it reads its config: skips the checks meant
  // for text from outside (syntax with line numbers, duplicate keys, and compiling
  // every regular expression in it, which alone costs more than validating a
  // document). The test suite runs each embedded schema through from_text()
  // (every_embedded_schema_compiles), so a schema failing those checks cannot ship.
  // The text is parsed with RapidJSON for compiling, and with Poco only when a
  // document fails (the messages look things up in the schema), so it is kept.
  // Documents are validated exactly as with from_text().
  static Result<JsonSchema> from_embedded_text(std::string_view schema_text, std::string name);

  // Empty when the document is valid. Violations are deduplicated and sorted by
  // pointer (keys in byte order, array indexes numerically), so the same document
  // always gives the same list. Wrapper errors ("item #0 failed") are dropped
  // when a more precise error below them explains the failure.
  std::vector<SchemaViolation> validate(const Poco::Dynamic::Var& document) const;

  const std::string& name() const;

 private:
  struct Impl;
  static Result<JsonSchema> compile(const Poco::Dynamic::Var& parsed, std::string name);
  explicit JsonSchema(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const Impl> impl_;
};

}  // namespace dsr
