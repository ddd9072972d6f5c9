#include "dsr/serve/http_server.h"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <thread>

namespace dsr::serve {

Result<std::unique_ptr<HttpServer>> HttpServer::start(Router& router, const ServeOptions& options) {
  std::unique_ptr<HttpServer> server(new HttpServer);
  const std::string where = options.listen.host + ":" + std::to_string(options.listen.port);
  try {
    const Poco::Net::SocketAddress address(options.listen.host,
                                           static_cast<Poco::UInt16>(options.listen.port));
    std::unique_ptr<Poco::Net::ServerSocket> socket;
    if (options.tls()) {
      Poco::Net::Context::Ptr context =
          new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, options.tls_private_key,
                                 options.tls_certificate, "", Poco::Net::Context::VERIFY_NONE);
      context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                                Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
      socket = std::make_unique<Poco::Net::SecureServerSocket>(address, 64, context);
    } else {
      socket = std::make_unique<Poco::Net::ServerSocket>(address, 64);
    }
    server->port_ = socket->address().port();
    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.threads);
    params->setMaxQueued(256);
    params->setKeepAlive(true);
    params->setServerName("dsr");
    params->setSoftwareVersion("dsr");
    server->server_ = std::make_unique<Poco::Net::HTTPServer>(router.make_factory(), *socket, params);
    server->server_->start();
  } catch (const Poco::Exception& e) {
    return fail("serve: cannot listen on " + where + ": " + e.displayText());
  }
  return server;
}

void HttpServer::stop() {
  if (stopped_ || !server_) return;
  stopped_ = true;
  server_->stopAll(false);
  // Requests already being handled get a moment to finish before the process goes on
  // to close the store under them.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (server_->currentConnections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

HttpServer::~HttpServer() { stop(); }

}  // namespace dsr::serve
