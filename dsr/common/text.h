#pragma once
// Checks on text that arrives from outside (identity values, config strings).

#include <string>
#include <string_view>

namespace dsr {

// True when bytes are well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool is_valid_utf8(std::string_view bytes);

// True when bytes contain a C0 control character (NUL, newline, ...) or DEL.
bool has_control_chars(std::string_view bytes);

std::string trim(std::string_view text);
std::string to_lower_ascii(std::string_view text);

// A short rendering of untrusted text (names, not personal data) for error messages:
// single-quoted, at most `limit` bytes, everything but printable ASCII (space,
// quotes and backslash included) shown as \xNN, so a message stays one clean line
// and a truncation never splits a UTF-8 sequence.
std::string quote_for_message(std::string_view text, std::size_t limit = 40);

}  // namespace dsr
