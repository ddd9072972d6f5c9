#pragma once
// The server's request handler factory: a table of routes (method and path pattern,
// where "{}" captures one segment), then the fallback factories of other modules
// (OpenDSR, downloads), asked in order, then 404 (or 405 when only the method is
// wrong). Every handler is wrapped so that it is timed, counted in the metrics by
// status code, logged as one JSON line (method, route pattern, status; never the raw
// path, which may hold a token), and an exception becomes a 500 instead of a dropped
// connection.

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "dsr/serve/exchange.h"
#include "dsr/serve/json_log.h"
#include "dsr/serve/metrics.h"

namespace dsr::serve {

using RouteHandler = std::function<void(Exchange&)>;
// Returns nullptr when the path is not the module's.
using FallbackFactory =
    std::function<std::unique_ptr<Poco::Net::HTTPRequestHandler>(const Poco::Net::HTTPServerRequest&)>;

class Router {
 public:
  Router(Metrics& metrics, JsonLog& log, bool tls) : metrics_(metrics), log_(log), tls_(tls) {}

  // Patterns are absolute paths; "{}" matches one non-empty segment. Routes are
  // registered before the server starts and never change afterwards.
  void add(const std::string& method, const std::string& pattern, RouteHandler handler);
  void add_fallback(std::string name, FallbackFactory factory);

  // For Poco::Net::HTTPServer, which takes ownership of the factory; the factory
  // refers to this router, which must outlive the server.
  Poco::Net::HTTPRequestHandlerFactory* make_factory();

  // The handler for one request (used by the factory).
  Poco::Net::HTTPRequestHandler* handler_for(const Poco::Net::HTTPServerRequest& request);

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    std::string pattern;
    RouteHandler handler;
  };
  struct Fallback {
    std::string name;
    FallbackFactory factory;
  };
  Metrics& metrics_;
  JsonLog& log_;
  bool tls_;
  std::vector<Route> routes_;
  std::vector<Fallback> fallbacks_;
};

// The path of a request URI, without query or fragment, split at '/'.
std::vector<std::string> path_segments(const std::string& uri);

}  // namespace dsr::serve
