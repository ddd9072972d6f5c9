#include "dsr/downloads/http.h"

namespace dsr::downloads {

std::unique_ptr<Poco::Net::HTTPRequestHandler> make_download_handler(const Poco::Net::HTTPServerRequest&,
                                                                     const HttpContext&) {
  return nullptr;
}

}  // namespace dsr::downloads
