#include "dsr/serve/exchange.h"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <sstream>

#include "dsr/http/request_body.h"

namespace dsr::serve {

namespace {

constexpr std::streamsize kMaxBody = 64 * 1024;

void parse_pairs(const std::string& text, Poco::Net::NameValueCollection& out) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('&', start);
    if (end == std::string::npos) end = text.size();
    const std::string pair = text.substr(start, end - start);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      std::string name, value;
      std::string raw_name = pair.substr(0, eq),
                  raw_value = eq == std::string::npos ? "" : pair.substr(eq + 1);
      for (auto* raw : {&raw_name, &raw_value}) {
        for (char& c : *raw) {
          if (c == '+') c = ' ';
        }
      }
      try {
        Poco::URI::decode(raw_name, name);
        Poco::URI::decode(raw_value, value);
        out.add(name, value);
      } catch (const Poco::Exception&) {
        // A malformed escape: the pair is dropped, and the form then lacks a field it needs.
      }
    }
    start = end + 1;
  }
}

}  // namespace

const Poco::Net::NameValueCollection& Exchange::query() {
  if (!query_) {
    query_.emplace();
    const std::string& uri = request.getURI();
    const auto mark = uri.find('?');
    if (mark != std::string::npos) parse_pairs(uri.substr(mark + 1), *query_);
  }
  return *query_;
}

const Poco::Net::NameValueCollection& Exchange::form() {
  if (!form_) {
    form_.emplace();
    const std::string type = request.getContentType();
    if (type.rfind("application/x-www-form-urlencoded", 0) == 0) {
      if (auto body = http::read_request_body(request, kMaxBody)) parse_pairs(*body, *form_);
    }
  }
  return *form_;
}

Result<Poco::JSON::Object::Ptr> Exchange::json_body() {
  auto body = http::read_request_body(request, kMaxBody);
  if (!body) return fail("request body: larger than 64 KiB");
  if (body->empty()) return Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  try {
    Poco::JSON::Parser parser;
    auto value = parser.parse(*body);
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) return fail("request body: expected a JSON object");
    return value.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return fail("request body: invalid JSON: " + e.message());
  }
}

std::string Exchange::cookie(const std::string& name) const {
  Poco::Net::NameValueCollection cookies;
  request.getCookies(cookies);
  return cookies.get(name, "");
}

std::string Exchange::bearer_token() const {
  const std::string header = request.get("Authorization", "");
  const std::string prefix = "Bearer ";
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0) return "";
  return header.substr(prefix.size());
}

void add_security_headers(Poco::Net::HTTPServerResponse& response) {
  response.set("Cache-Control", "no-store");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
  response.set("Content-Security-Policy",
               "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
               "frame-ancestors 'none'; base-uri 'none'");
}

void send_text(Exchange& exchange, int status, const std::string& content_type, const std::string& body) {
  auto& response = exchange.response;
  response.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  add_security_headers(response);
  response.setContentType(content_type);
  response.setContentLength(static_cast<std::streamsize>(body.size()));
  response.send() << body;
}

void send_html(Exchange& exchange, int status, const std::string& html) {
  send_text(exchange, status, "text/html; charset=utf-8", html);
}

void send_json(Exchange& exchange, int status, const Poco::JSON::Object::Ptr& body) {
  std::ostringstream out;
  body->stringify(out);
  send_text(exchange, status, "application/json", out.str());
}

void send_json_error(Exchange& exchange, int status, const std::string& code, const std::string& message) {
  Poco::JSON::Object::Ptr error = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  error->set("code", code);
  error->set("message", message);
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("error", error);
  if (status == 401) exchange.response.set("WWW-Authenticate", "Bearer");
  send_json(exchange, status, body);
}

void redirect(Exchange& exchange, const std::string& location) {
  auto& response = exchange.response;
  response.setStatus(Poco::Net::HTTPResponse::HTTP_SEE_OTHER);
  add_security_headers(response);
  response.set("Location", location);
  response.setContentLength(0);
  response.send();
}

std::string url_encode(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]% \"<>", out);
  return out;
}

}  // namespace dsr::serve
