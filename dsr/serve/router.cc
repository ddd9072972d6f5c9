#include "dsr/serve/router.h"

#include <chrono>

namespace dsr::serve {

namespace {

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

// Times, counts and logs whatever handles the request, and turns an escaped exception into a 500.
class MeasuredHandler : public HTTPRequestHandler {
 public:
  MeasuredHandler(Metrics& metrics, JsonLog& log, std::string route,
                  std::unique_ptr<HTTPRequestHandler> inner)
      : metrics_(metrics), log_(log), route_(std::move(route)), inner_(std::move(inner)) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    const auto started = std::chrono::steady_clock::now();
    try {
      inner_->handleRequest(request, response);
    } catch (const std::exception& e) {
      log_.error("handler_failed", fields({{"route", route_}, {"what", std::string(e.what())}}));
      if (!response.sent()) {
        response.setStatus(HTTPServerResponse::HTTP_INTERNAL_SERVER_ERROR);
        add_security_headers(response);
        response.setContentType("text/plain; charset=utf-8");
        response.send() << "internal error\n";
      }
    }
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started)
            .count();
    metrics_.count_response(static_cast<int>(response.getStatus()));
    log_.info("http", fields({{"method", request.getMethod()},
                              {"route", route_},
                              {"status", static_cast<int>(response.getStatus())},
                              {"ms", static_cast<double>(micros) / 1000.0}}));
  }

 private:
  Metrics& metrics_;
  JsonLog& log_;
  std::string route_;
  std::unique_ptr<HTTPRequestHandler> inner_;
};

class FunctionHandler : public HTTPRequestHandler {
 public:
  FunctionHandler(const RouteHandler& handler, std::vector<std::string> captures, bool tls)
      : handler_(handler), captures_(std::move(captures)), tls_(tls) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    Exchange exchange(request, response, std::move(captures_), tls_);
    handler_(exchange);
  }

 private:
  const RouteHandler& handler_;
  std::vector<std::string> captures_;
  bool tls_;
};

class StatusHandler : public HTTPRequestHandler {
 public:
  StatusHandler(int status, std::string allow) : status_(status), allow_(std::move(allow)) {}
  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    Exchange exchange(request, response, {}, false);
    if (!allow_.empty()) response.set("Allow", allow_);
    send_text(exchange, status_, "text/plain; charset=utf-8",
              status_ == 404 ? "not found\n" : "method not allowed\n");
  }

 private:
  int status_;
  std::string allow_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Router& router) : router_(router) {}
  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest& request) override {
    return router_.handler_for(request);
  }

 private:
  Router& router_;
};

}  // namespace

std::vector<std::string> path_segments(const std::string& uri) {
  std::string path = uri.substr(0, uri.find_first_of("?#"));
  std::vector<std::string> segments;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!segments.empty() && segments.back().empty()) segments.pop_back();  // "/x/" is "/x"
  return segments;
}

void Router::add(const std::string& method, const std::string& pattern, RouteHandler handler) {
  routes_.push_back({method, path_segments(pattern), pattern, std::move(handler)});
}

void Router::add_fallback(std::string name, FallbackFactory factory) {
  fallbacks_.push_back({std::move(name), std::move(factory)});
}

Poco::Net::HTTPRequestHandlerFactory* Router::make_factory() { return new Factory(*this); }

HTTPRequestHandler* Router::handler_for(const HTTPServerRequest& request) {
  const auto segments = path_segments(request.getURI());
  std::string allowed;
  for (const Route& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    std::vector<std::string> captures;
    bool match = true;
    for (std::size_t i = 0; i < segments.size() && match; ++i) {
      if (route.segments[i] == "{}") {
        if (segments[i].empty())
          match = false;
        else
          captures.push_back(segments[i]);
      } else if (route.segments[i] != segments[i]) {
        match = false;
      }
    }
    if (!match) continue;
    if (route.method != request.getMethod()) {
      allowed += (allowed.empty() ? "" : ", ") + route.method;
      continue;
    }
    return new MeasuredHandler(metrics_, log_, route.pattern,
                               std::make_unique<FunctionHandler>(route.handler, std::move(captures), tls_));
  }
  if (!allowed.empty()) {
    return new MeasuredHandler(metrics_, log_, "(method not allowed)",
                               std::make_unique<StatusHandler>(405, allowed));
  }
  for (const Fallback& fallback : fallbacks_) {
    if (auto handler = fallback.factory(request)) {
      return new MeasuredHandler(metrics_, log_, "(" + fallback.name + ")", std::move(handler));
    }
  }
  return new MeasuredHandler(metrics_, log_, "(not found)", std::make_unique<StatusHandler>(404, ""));
}

}  // namespace dsr::serve
