#include "dsr/opendsr/http.h"

#include <Poco/JSON/Stringifier.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <sstream>

#include "dsr/http/request_body.h"
#include "dsr/http/request_path.h"
#include "dsr/opendsr/api.h"
#include "dsr/opendsr/processor_key.h"
#include "dsr/opendsr/settings.h"

namespace dsr::opendsr {

namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr std::string_view kPrefix = "/opendsr/";
constexpr std::string_view kDiscovery = "/opendsr/v1/discovery";
constexpr std::string_view kRequests = "/opendsr/v1/requests";
constexpr std::streamsize kMaxBody = 64 * 1024;

std::string json_text(const Poco::JSON::Object::Ptr& body) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(body, out);
  return out.str();
}

void send_body(HTTPServerResponse& response, int status, const std::string& content_type, const std::string& text) {
  response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType(content_type);
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.setContentLength(static_cast<std::streamsize>(text.size()));
  response.send() << text;
}

void send_reply(HTTPServerResponse& response, const ApiReply& reply, const ProcessorKey* signer = nullptr,
                const std::string& processor_domain = "") {
  const std::string text = json_text(reply.body);
  if (signer) {
    response.set("X-OpenDSR-Signature", signer->sign(text));
    if (!processor_domain.empty()) response.set("X-OpenDSR-Processor-Domain", processor_domain);
  }
  send_body(response, reply.status, "application/json; charset=utf-8", text);
}

// The Authorization header's bearer token, or "".
std::string bearer_token(const HTTPServerRequest& request) {
  if (!request.has("Authorization")) return "";
  const std::string& value = request.get("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (value.size() <= kScheme.size() || Poco::icompare(value.substr(0, kScheme.size()), std::string(kScheme)) != 0) {
    return "";
  }
  return value.substr(kScheme.size());
}

class OpenDsrHandler : public Poco::Net::HTTPRequestHandler {
 public:
  OpenDsrHandler(std::string path, const HttpContext& context) : path_(std::move(path)), context_(context) {}

  void handleRequest(HTTPServerRequest& request, HTTPServerResponse& response) override {
    try {
      route(request, response);
    } catch (const std::exception&) {
      // Details may name paths or queries; the controller learns only that it failed.
      if (!response.sent()) send_reply(response, error_reply(500, "internal", "the request could not be handled"));
    }
  }

 private:
  void route(HTTPServerRequest& request, HTTPServerResponse& response) {
    const std::string& method = request.getMethod();
    if (path_ == kDiscovery) {
      if (method != "GET") return method_not_allowed(response, "GET");
      return send_reply(response, discovery(context_.config, context_.identities));
    }
    if (path_ == kCertificatePath) {
      if (method != "GET") return method_not_allowed(response, "GET");
      auto key = ProcessorKey::load(read_settings(context_.config).private_key_file);
      if (!key) return send_reply(response, error_reply(503, "unavailable", "the processor certificate is not configured"));
      return send_body(response, 200, "application/x-pem-file", key->public_pem());
    }
    std::string id;
    if (path_ == kRequests) {
      if (method != "POST") return method_not_allowed(response, "POST");
    } else if (path_.starts_with(std::string(kRequests) + "/")) {
      id = path_.substr(kRequests.size() + 1);
      if (method != "GET" && method != "DELETE") return method_not_allowed(response, "GET, DELETE");
    } else {
      return send_reply(response, error_reply(404, "not_found", "no such OpenDSR endpoint"));
    }

    // The body is read before a store connection is taken, so a slow client holds none.
    std::string body;
    if (method == "POST") {
      auto read = http::read_request_body(request, kMaxBody);
      if (!read) return too_large(response);
      body = std::move(*read);
    }
    const bool ran = http::with_store(context_.lend_database, context_.open_database,
                                      [&](Database& db) { serve_api(request, response, db, id, body); });
    if (!ran) send_reply(response, error_reply(503, "unavailable", "the state store is unavailable; try again"));
  }

  void serve_api(HTTPServerRequest& request, HTTPServerResponse& response, Database& db, const std::string& id,
                 const std::string& body) {
    const std::string& method = request.getMethod();
    std::optional<Controller> controller;
    const std::string api_key = bearer_token(request);
    Status read = db.read([&] {
      controller = find_controller_by_key(db, api_key);
      return Status::Ok();
    });
    if (!read) return send_reply(response, error_reply(503, "unavailable", "the state store is unavailable; try again"));
    if (!controller) {
      response.set("WWW-Authenticate", "Bearer realm=\"opendsr\"");
      return send_reply(response, error_reply(401, "unauthorized",
                                              "a valid controller API key is required (Authorization: Bearer KEY)"));
    }
    Api api({db, context_.key, context_.clock, context_.config, context_.identities});
    if (method == "GET") return send_reply(response, api.status(*controller, id));
    if (method == "DELETE") return send_reply(response, api.cancel(*controller, id));

    const ApiReply reply = api.create(*controller, body);
    if (reply.status != 201) return send_reply(response, reply);
    // The receipt is signed so the controller can prove what dsr accepted. Without a
    // processor key the request still stands; the receipt goes out unsigned.
    const Settings settings = read_settings(context_.config);
    auto key = ProcessorKey::load(settings.private_key_file);
    send_reply(response, reply, key ? &*key : nullptr, settings.processor_domain);
  }

  static void method_not_allowed(HTTPServerResponse& response, const std::string& allowed) {
    response.set("Allow", allowed);
    send_reply(response, error_reply(405, "method_not_allowed", "method not allowed here; allowed: " + allowed));
  }

  static void too_large(HTTPServerResponse& response) {
    send_reply(response, error_reply(413, "too_large", "the request body is larger than 64 KiB"));
  }

  std::string path_;
  const HttpContext& context_;
};

}  // namespace

std::unique_ptr<Poco::Net::HTTPRequestHandler> make_opendsr_handler(const Poco::Net::HTTPServerRequest& request,
                                                                    const HttpContext& context) {
  auto path = http::path_under(request, kPrefix);
  if (!path) return nullptr;
  return std::make_unique<OpenDsrHandler>(std::move(*path), context);
}

}  // namespace dsr::opendsr
