#include "dsr/model/masking.h"

#include <algorithm>

namespace dsr {

namespace {

// Counts UTF-8 code points so a masked value never splits a character.
std::size_t code_points(const std::string& text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

std::string first_code_point(const std::string& text) {
  if (text.empty()) return "";
  std::size_t end = 1;
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  return text.substr(0, end);
}

std::string keep_ends(const std::string& text, std::size_t head, std::size_t tail) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (text.size() <= head + tail + 1 || !ascii) {
    // Short or non-ASCII: keep only the first character.
    const std::string first = first_code_point(text);
    return first + std::string(code_points(text) > 1 ? code_points(text) - 1 : 1, '*');
  }
  return text.substr(0, head) + std::string(text.size() - head - tail, '*') + text.substr(text.size() - tail);
}

}  // namespace

std::string mask_identity(const Identity& identity) {
  const std::string& v = identity.value;
  if (identity.kind == "email") {
    const auto at = v.rfind('@');
    if (at == std::string::npos) return keep_ends(v, 1, 0);
    const std::string local = v.substr(0, at), domain = v.substr(at + 1);
    const auto dot = domain.rfind('.');
    const std::string host = dot == std::string::npos ? domain : domain.substr(0, dot);
    const std::string tld = dot == std::string::npos ? "" : domain.substr(dot);
    return keep_ends(local, 1, 0) + "@" + keep_ends(host, 1, 0) + tld;
  }
  if (identity.kind == "phone") return keep_ends(v, 3, 2);
  return keep_ends(v, 1, 1);
}

}  // namespace dsr
