#include "dsr/common/crypto.h"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace dsr {

std::string to_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0f]);
  }
  return out;
}

// Without OpenSSL's EVP layer. The first EVP digest or MAC in a process sets up OpenSSL's
// library context: it loads openssl.cnf, activates the default provider and fetches the
// algorithm, about 6M instructions (callgrind), more than the rest of an audit append or
// of hashing an export's ZIP. Most dsr commands are short processes that hash a few short
// texts, so SHA-256 comes from OpenSSL's SHA256_* routines (marked deprecated in OpenSSL 3
// in favour of EVP, but they are the same assembly-accelerated code without the set-up),
// and HMAC-SHA256 from Poco's HMACEngine, which needs no set-up either.
struct Sha256::State {
  SHA256_CTX context;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  if (SHA256_Init(&state_->context) != 1) throw std::runtime_error("SHA-256 failed in OpenSSL");
}
Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::string_view bytes) {
  if (SHA256_Update(&state_->context, bytes.data(), bytes.size()) != 1) {
    throw std::runtime_error("SHA-256 failed in OpenSSL");
  }
}

std::string Sha256::hex_digest() {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  if (SHA256_Final(digest, &state_->context) != 1) throw std::runtime_error("SHA-256 failed in OpenSSL");
  return to_hex(std::string_view(reinterpret_cast<const char*>(digest), sizeof digest));
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 hash;
  hash.update(bytes);
  return hash.hex_digest();
}

namespace {

// Poco's HMACEngine wants the block and digest size as constants of the engine.
class Sha256Engine : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256Engine() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  Poco::HMACEngine<Sha256Engine> hmac(key.data(), key.size());
  hmac.update(message.data(), message.size());
  return Poco::DigestEngine::digestToHex(hmac.digest());
}

// Straight from the kernel (getrandom(2), which OpenSSL seeds from too) rather than
// RAND_bytes: the first RAND_bytes in a process sets up OpenSSL's DRBG (provider
// fetches, AES key schedule; a few milliseconds), and most dsr commands are short
// processes that need a handful of random bytes once.
std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  std::size_t filled = 0;
  while (filled < count) {
    const ssize_t n = ::getrandom(out.data() + filled, count - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("the system random number generator failed: ") + std::strerror(errno));
    }
    filled += static_cast<std::size_t>(n);
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace dsr
