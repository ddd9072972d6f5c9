#include "dsr/opendsr/settings.h"

#include <Poco/Path.h>

namespace dsr::opendsr {

Settings read_settings(const Config& config) {
  Settings settings;
  std::string key_file = "opendsr-processor.pem";
  if (const auto section = config.document ? config.document->getObject("opendsr") : nullptr) {
    if (section->has("base_url")) settings.base_url = section->getValue<std::string>("base_url");
    if (section->has("processor_domain")) settings.processor_domain = section->getValue<std::string>("processor_domain");
    if (section->has("private_key_file")) key_file = section->getValue<std::string>("private_key_file");
    if (section->has("allow_http_callbacks")) settings.allow_http_callbacks = section->getValue<bool>("allow_http_callbacks");
    if (section->has("callback_retry_minutes")) {
      settings.callback_retry_minutes = section->getValue<int>("callback_retry_minutes");
    }
  }
  while (!settings.base_url.empty() && settings.base_url.back() == '/') settings.base_url.pop_back();
  Poco::Path resolved(config.directory + "/", Poco::Path::PATH_UNIX);
  resolved.resolve(Poco::Path(key_file, Poco::Path::PATH_UNIX));
  settings.private_key_file = resolved.toString(Poco::Path::PATH_UNIX);
  return settings;
}

}  // namespace dsr::opendsr
