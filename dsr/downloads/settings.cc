#include "dsr/downloads/settings.h"

namespace dsr::downloads {

Settings read_settings(const Config& config) {
  Settings settings;
  const auto section = config.document ? config.document->getObject("downloads") : nullptr;
  if (!section) return settings;
  if (section->has("base_url")) settings.base_url = section->getValue<std::string>("base_url");
  while (!settings.base_url.empty() && settings.base_url.back() == '/') settings.base_url.pop_back();
  if (section->has("expiry_days")) settings.expiry_days = section->getValue<int>("expiry_days");
  if (section->has("single_use")) settings.single_use = section->getValue<bool>("single_use");
  return settings;
}

}  // namespace dsr::downloads
