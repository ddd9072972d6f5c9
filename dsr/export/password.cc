#include "dsr/export/password.h"

#include <string_view>

#include "dsr/common/crypto.h"

namespace dsr {

std::string generate_export_password() {
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  static_assert(kAlphabet.size() == 31);
  // Bytes at or above the largest multiple of the alphabet size are dropped, so
  // every character is equally likely.
  constexpr unsigned kLimit = 256 - 256 % kAlphabet.size();
  constexpr std::size_t kLength = 32;
  std::string out;
  while (out.size() < kLength) {
    for (unsigned char byte : random_bytes(kLength)) {
      if (byte >= kLimit || out.size() == kLength) continue;
      out.push_back(kAlphabet[byte % kAlphabet.size()]);
    }
  }
  return out;
}

}  // namespace dsr
