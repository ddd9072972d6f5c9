#pragma once
// Canonical JSON: object keys sorted by byte order, no insignificant whitespace,
// strings escaped only where JSON requires it (", \, control characters), UTF-8
// passed through unchanged, integers in plain decimal. Two equal values always
// give the same bytes, so the text can be hashed (the audit chain relies on it).

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>

namespace dsr {

// Supports objects, arrays, strings, booleans, null and integers. Floating-point
// numbers throw std::invalid_argument: their text is not canonical across libraries.
std::string canonical_json(const Poco::Dynamic::Var& value);

// JSON string literal (with quotes) for text, escaped as canonical_json does.
std::string json_quote(const std::string& text);

}  // namespace dsr
