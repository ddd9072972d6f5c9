#define BOOST_TEST_MODULE dsr hashes
#include <boost/test/unit_test.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>

#include "dsr/common/crypto.h"

// The audit chain, the seals and the subject pseudonyms hash with OpenSSL's SHA256_*
// routines and Poco's HMACEngine instead of OpenSSL's EVP layer (see crypto.cc); every
// stored hash and pseudonym depends on them giving the standard results.

namespace {

// OpenSSL's EVP HMAC, the reference.
std::string evp_hmac(const std::string& key, const std::string& message) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), digest, &length);
  return dsr::to_hex(std::string(reinterpret_cast<const char*>(digest), length));
}

}  // namespace

BOOST_AUTO_TEST_CASE(sha256_gives_the_standard_digests) {
  // FIPS 180-4 examples.
  BOOST_TEST(dsr::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  BOOST_TEST(dsr::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(dsr::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // Pieces give what the whole gives, across block boundaries.
  const std::string text(1000, 'a');
  dsr::Sha256 pieces;
  for (std::size_t i = 0; i < text.size(); i += 37) pieces.update(std::string_view(text).substr(i, 37));
  BOOST_TEST(pieces.hex_digest() == dsr::sha256_hex(text));
  dsr::Sha256 million;
  for (int i = 0; i < 1000; ++i) million.update(text);
  BOOST_TEST(million.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

BOOST_AUTO_TEST_CASE(hmac_sha256_gives_the_rfc_4231_results) {
  BOOST_TEST(dsr::hmac_sha256_hex(std::string(20, '\x0b'), "Hi There") ==
             "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  BOOST_TEST(dsr::hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // A key longer than the block is hashed first.
  BOOST_TEST(dsr::hmac_sha256_hex(std::string(131, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First") ==
             "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

BOOST_AUTO_TEST_CASE(hmac_sha256_agrees_with_openssl_for_every_key_length) {
  for (std::size_t key_length : {0, 1, 31, 32, 63, 64, 65, 128, 200}) {
    std::string key;
    for (std::size_t i = 0; i < key_length; ++i) key.push_back(static_cast<char>(i * 7 + 3));
    for (const std::string& message : {std::string(), std::string("subject:email:jane.doe@example.com"), std::string(300, '\0')}) {
      BOOST_TEST_CONTEXT("key " << key_length << " bytes, message " << message.size() << " bytes") {
        BOOST_TEST(dsr::hmac_sha256_hex(key, message) == evp_hmac(key, message));
      }
    }
  }
}
