#include "tests/web/web_client.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <regex>
#include <sstream>

namespace dsr::test {

std::string csrf_in(const std::string& html) {
  static const std::regex field(R"re(name="csrf" value="([0-9a-f]+)")re");
  std::smatch match;
  return std::regex_search(html, match, field) ? match[1].str() : "";
}

std::string form_encode(const std::map<std::string, std::string>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    std::string encoded;
    Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]% ", encoded);
    body += (body.empty() ? "" : "&") + name + "=" + encoded;
  }
  return body;
}

HttpResponse WebClient::send(const std::string& method, const std::string& path, const std::string& body,
                             const std::string& content_type,
                             const std::map<std::string, std::string>& headers) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!cookies_.empty()) {
    Poco::Net::NameValueCollection cookies;
    for (const auto& [name, value] : cookies_) cookies.add(name, value);
    request.setCookies(cookies);
  }
  for (const auto& [name, value] : headers) request.set(name, value);
  if (!content_type.empty()) request.setContentType(content_type);
  if (method == "POST" || method == "DELETE" || !body.empty())
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpResponse out;
  out.status = static_cast<int>(response.getStatus());
  std::ostringstream text;
  Poco::StreamCopier::copyStream(in, text);
  out.body = text.str();
  for (const auto& [name, value] : response) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[lower] = value;
    if (lower == "set-cookie") {
      out.set_cookies.push_back(value);
      const auto eq = value.find('='), end = value.find(';');
      const std::string cookie_name = value.substr(0, eq);
      const std::string cookie_value = value.substr(eq + 1, end - eq - 1);
      if (value.find("Max-Age=0") != std::string::npos)
        cookies_.erase(cookie_name);
      else
        cookies_[cookie_name] = cookie_value;
    }
  }
  return out;
}

HttpResponse WebClient::get(const std::string& path, const std::map<std::string, std::string>& headers) {
  return send("GET", path, "", "", headers);
}

HttpResponse WebClient::post_form(const std::string& path, const std::map<std::string, std::string>& fields) {
  return send("POST", path, form_encode(fields), "application/x-www-form-urlencoded");
}

std::string WebClient::csrf_from(const std::string& path) { return csrf_in(get(path).body); }

HttpResponse WebClient::login(const std::string& name, const std::string& password) {
  const std::string token = csrf_from("/login");
  return post_form("/login", {{"csrf", token}, {"name", name}, {"password", password}});
}

}  // namespace dsr::test
