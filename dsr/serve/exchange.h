#pragma once
// One HTTP request and its response, as a route handler sees them: the Poco objects,
// the path segments the route captured, and helpers that read bounded bodies and send
// complete responses with the security headers every answer carries.

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <optional>
#include <string>
#include <vector>

#include "dsr/common/result.h"

namespace dsr::serve {

class Exchange {
 public:
  Exchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
           std::vector<std::string> captures, bool tls)
      : request(request), response(response), captures(std::move(captures)), tls(tls) {}

  Poco::Net::HTTPServerRequest& request;
  Poco::Net::HTTPServerResponse& response;
  std::vector<std::string> captures;  // the {} segments of the route, in order
  bool tls;                           // the connection is HTTPS (cookies get Secure)

  // The query string's parameters.
  const Poco::Net::NameValueCollection& query();
  // An application/x-www-form-urlencoded body (at most 64 KiB); empty when it is not one.
  const Poco::Net::NameValueCollection& form();
  // A JSON object body (at most 64 KiB).
  Result<Poco::JSON::Object::Ptr> json_body();

  std::string cookie(const std::string& name) const;
  // "Bearer <token>" -> token; empty otherwise.
  std::string bearer_token() const;

  bool sent() const { return response.sent(); }

 private:
  std::optional<Poco::Net::NameValueCollection> query_;
  std::optional<Poco::Net::NameValueCollection> form_;
};

// Every response: no caching, no sniffing, no framing, no referrer, nothing loaded from elsewhere.
void add_security_headers(Poco::Net::HTTPServerResponse& response);

void send_text(Exchange& exchange, int status, const std::string& content_type, const std::string& body);
void send_html(Exchange& exchange, int status, const std::string& html);
void send_json(Exchange& exchange, int status, const Poco::JSON::Object::Ptr& body);
// {"error": {"code": ..., "message": ...}}
void send_json_error(Exchange& exchange, int status, const std::string& code, const std::string& message);
// 303 See Other: after a form post, the browser fetches the page with GET.
void redirect(Exchange& exchange, const std::string& location);

// Percent-encoding for a query parameter value.
std::string url_encode(const std::string& text);

}  // namespace dsr::serve
