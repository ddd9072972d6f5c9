#include "dsr/opendsr/processor_key.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/Crypto/EVPPKey.h>
#include <Poco/Crypto/RSADigestEngine.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <sstream>

namespace dsr::opendsr {

namespace {

using Poco::Crypto::RSADigestEngine;
using Poco::Crypto::RSAKey;

std::string base64(const std::vector<unsigned char>& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out);
  encoder.rdbuf()->setLineLength(0);
  encoder.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  encoder.close();
  return out.str();
}

}  // namespace

struct ProcessorKey::Impl {
  explicit Impl(RSAKey k) : key(std::move(k)) {}
  RSAKey key;
  // An RSAKey wraps one OpenSSL object; signing through it is serialised to be safe
  // whatever the OpenSSL build.
  std::mutex mutex;
};

Status create_processor_key(const std::string& path) {
  std::string pem;
  try {
    RSAKey key(RSAKey::KL_2048, RSAKey::EXP_LARGE);
    std::ostringstream private_pem;
    key.save(nullptr, &private_pem);
    pem = private_pem.str();
  } catch (const Poco::Exception& e) {
    return fail("processor key " + path + ": cannot generate: " + e.displayText());
  }
  try {
    Poco::File(Poco::Path(path).parent()).createDirectories();
  } catch (const Poco::Exception& e) {
    return fail("processor key " + path + ": cannot create its folder: " + e.displayText());
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return fail("processor key " + path + ": cannot create: " + std::strerror(errno));
  const bool written = ::write(fd, pem.data(), pem.size()) == static_cast<ssize_t>(pem.size()) && ::fsync(fd) == 0;
  const std::string error = std::strerror(errno);
  ::close(fd);
  if (!written) {
    ::unlink(path.c_str());
    return fail("processor key " + path + ": cannot write: " + error);
  }
  return Status::Ok();
}

Result<ProcessorKey> ProcessorKey::load(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return fail("processor key " + path + ": " + std::strerror(errno) + " (create it with `dsr controller key`)");
  }
  if ((info.st_mode & 077) != 0) return fail("processor key " + path + ": readable or writable by others; chmod 600 it");
  try {
    const Poco::Crypto::EVPPKey pair("", path);
    // Through EVPPKey the public half is written as SubjectPublicKeyInfo ("BEGIN PUBLIC
    // KEY"), the form most verifiers read, rather than bare PKCS#1.
    std::ostringstream public_pem;
    pair.save(&public_pem);
    return ProcessorKey(std::make_shared<Impl>(RSAKey(pair)), public_pem.str());
  } catch (const Poco::Exception& e) {
    return fail("processor key " + path + ": not an RSA private key in PEM: " + e.displayText());
  }
}

std::string ProcessorKey::sign(std::string_view body) const {
  std::lock_guard lock(impl_->mutex);
  RSADigestEngine engine(impl_->key, "SHA256");
  engine.update(body.data(), static_cast<unsigned>(body.size()));
  return base64(engine.signature());
}

bool verify_signature(const std::string& public_pem, std::string_view body, const std::string& signature_base64) {
  try {
    std::istringstream pem(public_pem);
    const RSAKey key(Poco::Crypto::EVPPKey(&pem, nullptr));
    std::istringstream encoded(signature_base64);
    Poco::Base64Decoder decoder(encoded);
    const std::string raw((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
    RSADigestEngine engine(key, "SHA256");
    engine.update(body.data(), static_cast<unsigned>(body.size()));
    return engine.verify(std::vector<unsigned char>(raw.begin(), raw.end()));
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace dsr::opendsr
