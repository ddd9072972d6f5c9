#pragma once
// Hashes used by the audit chain and the subject pseudonyms.

#include <memory>
#include <string>
#include <string_view>

namespace dsr {

// SHA-256 over bytes given piece by piece (OpenSSL's SHA-256 routines, without its EVP
// layer: see crypto.cc for why).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;

  void update(std::string_view bytes);
  // The lower-case hex digest of everything given; the object is spent afterwards.
  std::string hex_digest();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Lower-case hex SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

// Lower-case hex HMAC-SHA256 of message under key.
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

// `count` bytes from the operating system's CSPRNG. Throws std::runtime_error
// if the generator fails (nothing sensible can continue without randomness).
std::string random_bytes(std::size_t count);

std::string to_hex(std::string_view bytes);

// Compares without an early exit, for secrets.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace dsr
