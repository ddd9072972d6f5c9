#pragma once
// The password of an encrypted package. It reaches the person by another
// channel than the ZIP, and may be read out or typed, so it avoids look-alike
// characters (0/o, 1/l/i) and case.

#include <string>

namespace dsr {

// 32 characters from a 31-character alphabet (about 158 bits) from the OS CSPRNG.
// Throws std::runtime_error when the generator fails.
std::string generate_export_password();

}  // namespace dsr
