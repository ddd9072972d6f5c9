#pragma once
// Officer passwords, hashed with Argon2id (RFC 9106's second recommended setting:
// t=3, 64 MiB, one lane) into the self-describing "$argon2id$..." form.

#include <string>

#include "dsr/common/result.h"

namespace dsr {

// At least 12 bytes, at most 1024, valid UTF-8, no control characters.
Status check_password_policy(const std::string& password);

Result<std::string> hash_password(const std::string& password);

// False for a wrong password and for a malformed hash.
bool verify_password(const std::string& password, const std::string& encoded_hash);

}  // namespace dsr
