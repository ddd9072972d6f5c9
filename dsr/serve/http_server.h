#pragma once
// The listening socket and Poco's HTTP server around a Router: plain HTTP, or HTTPS
// when the options name a certificate and key.

#include <memory>

#include "dsr/serve/options.h"
#include "dsr/serve/router.h"

namespace Poco::Net {
class HTTPServer;
}

namespace dsr::serve {

class HttpServer {
 public:
  // Binds and starts serving. The router must outlive the server.
  static Result<std::unique_ptr<HttpServer>> start(Router& router, const ServeOptions& options);
  ~HttpServer();

  // The bound port (the system's choice when the options asked for 0).
  unsigned port() const { return port_; }

  // Stops accepting connections; requests already being handled finish. Idempotent.
  void stop();

 private:
  HttpServer() = default;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  unsigned port_ = 0;
  bool stopped_ = false;
};

}  // namespace dsr::serve
