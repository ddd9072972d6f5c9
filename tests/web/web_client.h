#pragma once
// A small HTTP client for the web tests (Poco's HTTPClientSession): one request per
// call, cookies kept like a browser would for one site, and the form token read from
// the page the way a browser form would submit it.

#include <map>
#include <string>
#include <vector>

namespace dsr::test {

struct HttpResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // last value of each (lower-case names)
  std::vector<std::string> set_cookies;
};

class WebClient {
 public:
  explicit WebClient(unsigned port) : port_(port) {}

  HttpResponse get(const std::string& path, const std::map<std::string, std::string>& headers = {});
  HttpResponse post_form(const std::string& path, const std::map<std::string, std::string>& fields);
  HttpResponse send(const std::string& method, const std::string& path, const std::string& body,
                    const std::string& content_type, const std::map<std::string, std::string>& headers = {});

  // GET /login, then POST the form with its token. Returns the POST's response.
  HttpResponse login(const std::string& name, const std::string& password);
  // The form token on the page at path (the value of the first csrf field).
  std::string csrf_from(const std::string& path);

  std::map<std::string, std::string>& cookies() { return cookies_; }

 private:
  unsigned port_;
  std::map<std::string, std::string> cookies_;
};

// The value of the first <input name="csrf" value="..."> in html; empty when absent.
std::string csrf_in(const std::string& html);
std::string form_encode(const std::map<std::string, std::string>& fields);

}  // namespace dsr::test
