#include "dsr/requests/password.h"

#include <argon2.h>

#include "dsr/common/crypto.h"
#include "dsr/common/text.h"

namespace dsr {

namespace {
constexpr uint32_t kTimeCost = 3;
constexpr uint32_t kMemoryKiB = 64 * 1024;
constexpr uint32_t kLanes = 1;
constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kHashBytes = 32;
}  // namespace

Status check_password_policy(const std::string& password) {
  if (password.size() < 12) return fail("password: at least 12 characters");
  if (password.size() > 1024) return fail("password: at most 1024 bytes");
  if (!is_valid_utf8(password)) return fail("password: not valid UTF-8");
  if (has_control_chars(password)) return fail("password: contains control characters");
  return Status::Ok();
}

Result<std::string> hash_password(const std::string& password) {
  if (Status s = check_password_policy(password); !s) return s.take_error();
  const std::string salt = random_bytes(kSaltBytes);
  const std::size_t length =
      argon2_encodedlen(kTimeCost, kMemoryKiB, kLanes, kSaltBytes, kHashBytes, Argon2_id);
  std::string encoded(length, '\0');
  const int rc = argon2id_hash_encoded(kTimeCost, kMemoryKiB, kLanes, password.data(), password.size(), salt.data(),
                                       salt.size(), kHashBytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK) return fail(std::string("password hashing failed: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0') == std::string::npos ? encoded.size() : encoded.find('\0'));
  return encoded;
}

bool verify_password(const std::string& password, const std::string& encoded_hash) {
  if (encoded_hash.rfind("$argon2id$", 0) != 0) return false;
  return argon2id_verify(encoded_hash.c_str(), password.data(), password.size()) == ARGON2_OK;
}

}  // namespace dsr
