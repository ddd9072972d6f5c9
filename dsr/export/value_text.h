#pragma once
// How a stored Value is spelt in the export files. One place, so the CSV, JSON and
// HTML of a collection agree on every value.

#include <string>
#include <string_view>

#include "dsr/common/value.h"

namespace dsr::export_text {

// text with every byte that is not part of well-formed UTF-8 replaced by U+FFFD:
// stores hand us bytes, the package must be valid text.
std::string clean_utf8(std::string_view text);

// Shortest text that reads back as the same double. Always marked as a
// floating-point number ("2.0", "1e+20") so typed readers keep the type.
// Non-finite values have no JSON number: "NaN", "Infinity", "-Infinity".
std::string format_double(double value);

// The JSON literal: null, true/false, integer, number, or a string (UTF-8 cleaned,
// escaped per RFC 8259). Non-finite doubles become strings, see format_double.
std::string json_literal(const Value& value);

// The text shown in a CSV field or HTML cell: NULL is "", booleans are true/false.
std::string display_text(const Value& value);

}  // namespace dsr::export_text
