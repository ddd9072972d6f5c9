#include "dsr/opendsr/http.h"

namespace dsr::opendsr {

std::unique_ptr<Poco::Net::HTTPRequestHandler> make_opendsr_handler(const Poco::Net::HTTPServerRequest&,
                                                                    const HttpContext&) {
  return nullptr;
}

}  // namespace dsr::opendsr
