#pragma once
// The "downloads" section of dsr.json (see schemas/config.schema.json).

#include <string>

#include "dsr/common/result.h"
#include "dsr/config/config.h"

namespace dsr::downloads {

struct Settings {
  std::string base_url;   // e.g. "https://dsr.example.com", no trailing '/'; empty when not configured
  int expiry_days = 7;    // a link answers 410 Gone after this
  bool single_use = false;
};

// Defaults for absent keys; the schema has checked types and ranges.
Settings read_settings(const Config& config);

}  // namespace dsr::downloads
