#pragma once
// The "opendsr" section of dsr.json (see schemas/config.schema.json).

#include <string>

#include "dsr/config/config.h"

namespace dsr::opendsr {

inline constexpr const char* kApiVersion = "1.0";
inline constexpr const char* kCertificatePath = "/opendsr/v1/processor-certificate.pem";

struct Settings {
  std::string base_url;          // no trailing '/'; empty when not configured
  std::string processor_domain;  // empty when not configured
  std::string private_key_file;  // absolute
  bool allow_http_callbacks = false;
  int callback_retry_minutes = 5;
};

// Defaults for absent keys (the schema has checked types and ranges); relative paths
// are resolved against the config file's folder.
Settings read_settings(const Config& config);

}  // namespace dsr::opendsr
