#include "dsr/http/request_path.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace dsr::http {

std::optional<std::string> path_under(const Poco::Net::HTTPServerRequest& request, std::string_view prefix) {
  std::string path;
  try {
    path = Poco::URI(request.getURI()).getPath();
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
  if (!path.starts_with(prefix)) return std::nullopt;
  return path;
}

}  // namespace dsr::http
