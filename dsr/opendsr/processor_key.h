#pragma once
// The processor's RSA key: it signs status callbacks and the answer to a new request
// (X-OpenDSR-Signature: base64 of an RSA-SHA256 signature over the raw body), and its
// public half, served as the processor certificate, lets controllers check them.

#include <memory>
#include <string>
#include <string_view>

#include "dsr/common/result.h"

namespace dsr::opendsr {

// Writes a new 2048-bit RSA private key as PEM with mode 0600, creating its folder.
// Fails if the file exists.
Status create_processor_key(const std::string& path);

class ProcessorKey {
 public:
  // Refuses a file that others can read or write.
  static Result<ProcessorKey> load(const std::string& path);

  // Base64 of the RSA-SHA256 signature over the bytes. Safe to call from several threads.
  std::string sign(std::string_view body) const;
  // The public key, PEM ("-----BEGIN PUBLIC KEY-----").
  const std::string& public_pem() const { return public_pem_; }

 private:
  struct Impl;
  explicit ProcessorKey(std::shared_ptr<Impl> impl, std::string public_pem)
      : impl_(std::move(impl)), public_pem_(std::move(public_pem)) {}
  std::shared_ptr<Impl> impl_;
  std::string public_pem_;
};

// Checks an X-OpenDSR-Signature value against a public key PEM, as a controller does.
// False for a bad signature, a malformed one, or a bad key.
bool verify_signature(const std::string& public_pem, std::string_view body, const std::string& signature_base64);

}  // namespace dsr::opendsr
