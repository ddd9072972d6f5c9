#define BOOST_TEST_MODULE dsr serve : HTTPS
#include <boost/test/unit_test.hpp>

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>

#include <cstdlib>
#include <fstream>

#include "dsr/app/serve_site.h"
#include "tests/support/run_dsr.h"
#include "tests/support/test_store.h"

using namespace dsr;

namespace {

struct Response {
  int status = 0;
  std::vector<std::string> set_cookies;
  std::string body;
};

Response https_get(unsigned port, const std::string& path) {
  Poco::Net::Context::Ptr context =
      new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_NONE);
  Poco::Net::HTTPSClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port), context);
  Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  Response out;
  out.status = static_cast<int>(response.getStatus());
  std::ostringstream text;
  Poco::StreamCopier::copyStream(in, text);
  out.body = text.str();
  for (const auto& [name, value] : response) {
    if (Poco::icompare(name, "Set-Cookie") == 0) out.set_cookies.push_back(value);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(serve_speaks_https_and_marks_its_cookies_secure) {
  test::TestStore store;
  const std::string dir = store.folder();
  const std::string config = Poco::Path(dir, "dsr.json").toString();
  // A throw-away self-signed certificate, made by the openssl command line tool.
  const std::string make_cert =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost -keyout '" + dir +
      "/key.pem' -out '" + dir + "/cert.pem' 2>/dev/null";
  BOOST_REQUIRE_EQUAL(std::system(make_cert.c_str()), 0);
  {
    std::ofstream file(config);
    file << R"({"state": {"sqlite": "state.sqlite"},
               "serve": {"batch_interval_minutes": 0, "tls": {"certificate": "cert.pem", "private_key": "key.pem"}}})";
  }
  auto init = test::run_dsr({"--config", config, "init"});
  BOOST_REQUIRE_MESSAGE(init.code == 0, init.err);
  std::ofstream log(Poco::Path(dir, "serve.log").toString());
  cli::SiteSettings settings;
  settings.config_path = config;
  settings.listen = serve::ListenAddress{"127.0.0.1", 0};
  settings.log = &log;
  auto site = cli::Site::open(settings);
  BOOST_REQUIRE_MESSAGE(site.ok(), (site.ok() ? std::string() : site.error()));
  Status started = (*site)->start();
  BOOST_REQUIRE_MESSAGE(started.ok(), started.error());

  auto health = https_get((*site)->port(), "/healthz");
  BOOST_TEST(health.status == 200);
  BOOST_TEST(health.body == "ok\n");
  auto login = https_get((*site)->port(), "/login");
  BOOST_TEST(login.status == 200);
  BOOST_REQUIRE_EQUAL(login.set_cookies.size(), 1u);
  BOOST_TEST(login.set_cookies[0].find("; Secure") != std::string::npos);
  BOOST_TEST(login.set_cookies[0].find("HttpOnly") != std::string::npos);
  (*site)->stop();
}
