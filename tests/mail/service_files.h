#pragma once
// Where the mail tests find the POP3 and SMTP servers that ctest's fixture started:
// folders named by environment variables, holding one value per file (port, user, ...).

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "tests/support/run_dsr.h"

namespace dsr::test {

inline std::string env(const char* name) {
  const char* value = std::getenv(name);
  if (!value) throw std::runtime_error(std::string(name) + " is not set; run through ctest");
  return value;
}

inline std::string first_line(const std::string& path) {
  const std::string text = read_file(path);
  return text.substr(0, text.find('\n'));
}

}  // namespace dsr::test
