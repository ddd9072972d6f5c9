#include "tests/support/value_search.h"

#include <cctype>

namespace dsr::test {

namespace {

bool is_word_byte(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '+' || c == '@' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

bool contains_value(const std::string& haystack, const std::string& needle) {
  if (needle.empty()) return false;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) {
    const bool left_ok = !is_word_byte(needle.front()) || at == 0 || !is_word_byte(haystack[at - 1]);
    const std::size_t end = at + needle.size();
    bool right_ok = !is_word_byte(needle.back()) || end == haystack.size() || !is_word_byte(haystack[end]);
    // A sentence may end right after a value.
    if (!right_ok && haystack[end] == '.' && (end + 1 == haystack.size() || !is_word_byte(haystack[end + 1]))) {
      right_ok = true;
    }
    if (left_ok && right_ok) return true;
  }
  return false;
}

}  // namespace dsr::test
